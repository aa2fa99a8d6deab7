#include "textkit_common/unicode.h"

#include <unicode/errorcode.h>
#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>
#include <unicode/unistr.h>

#include <simdjson.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>

namespace textkit::common {

namespace {

// From the first non-ASCII byte on, text this long or longer is checked by simdjson (a call
// through its runtime choice of implementation, then 64-byte blocks): on mixed text (French,
// Polish, emoji) several times faster than the loop below, which wins on short ASCII.
constexpr std::ptrdiff_t simd_validation_from = 16;

// simdjson chooses its implementation on first use and keeps the candidates in function-local
// statics, destroyed at exit in the reverse order of their making. Chosen lazily, on a worker
// thread, they would be made after (so destroyed before) an object that outlives main and still
// has a worker checking text as the process exits: a step held by a static, as the fuzz harness
// holds its transform. Chosen here, as this library loads, they outlast anything built after it.
[[maybe_unused]] const bool simdjson_chosen =
    !simdjson::get_active_implementation()->name().empty();

}  // namespace

bool is_valid_utf8(std::string_view text) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    // Eight ASCII bytes at a time: most text is mostly ASCII.
    while (end - p >= 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, p, 8);
      if ((word & 0x8080808080808080ULL) != 0) break;
      p += 8;
    }
    if (p == end) break;
    if (*p >= 0x80 && end - p >= simd_validation_from) {
      // At a character's start: all before it was ASCII, or whole characters.
      return simdjson::validate_utf8(reinterpret_cast<const char*>(p),
                                     static_cast<std::size_t>(end - p));
    }
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;   // overlong
      if (c == 0xED) high = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;   // overlong
      if (c == 0xF4) high = 0x8F;  // past U+10FFFF
    } else {
      return false;
    }
    if (static_cast<std::size_t>(end - p) < length) return false;
    if (p[1] < low || p[1] > high) return false;
    for (std::size_t k = 2; k < length; ++k) {
      if (p[k] < 0x80 || p[k] > 0xBF) return false;
    }
    p += length;
  }
  return true;
}

void append_utf8(std::string& out, char32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
    return;
  }
  if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    return;
  }
  if ((code_point >= 0xD800 && code_point <= 0xDFFF) || code_point > 0x10FFFF) {
    code_point = 0xFFFD;
  }
  if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    return;
  }
  out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
  out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
  out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
  out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
}

namespace {

// Which code points of the BMP and plane 1 NFC leaves alone whatever is around them
// (icu::Normalizer2::isInert): punctuation such as U+2014 and U+2019, CJK, emoji. One bit each,
// a block of 256 found the first time one of them is asked about. Threads may find a block at
// the same time: they write the same bits.
// The table covers the BMP and plane 1 (emoji): past it, ICU is asked each time.
constexpr char32_t table_end = 0x20000;

class bmp_inert_table {
 public:
  explicit bmp_inert_table(const icu::Normalizer2& nfc) : nfc_(nfc) {}
  [[nodiscard]] bool inert(char32_t c) {
    const std::size_t block = c >> 8;
    if (!known_[block].load(std::memory_order_acquire)) learn(block);
    return ((bits_[c >> 6].load(std::memory_order_relaxed) >> (c & 63)) & 1) != 0;
  }

 private:
  void learn(std::size_t block) {
    for (std::size_t word = block * 4; word < block * 4 + 4; ++word) {
      std::uint64_t bits = 0;
      for (unsigned bit = 0; bit < 64; ++bit) {
        if (nfc_.isInert(static_cast<UChar32>(word * 64 + bit))) bits |= std::uint64_t{1} << bit;
      }
      bits_[word].store(bits, std::memory_order_relaxed);
    }
    known_[block].store(true, std::memory_order_release);
  }

  const icu::Normalizer2& nfc_;
  std::array<std::atomic<std::uint64_t>, table_end / 64> bits_{};
  std::array<std::atomic<bool>, table_end / 256> known_{};
};

// ICU's NFC and the table of its inert characters, made the first time one is needed.
struct nfc_lookup {
  const icu::Normalizer2* nfc = nullptr;  // null when ICU has no NFC data
  std::unique_ptr<bmp_inert_table> table;
};

const nfc_lookup& nfc_lookup_instance() {
  static const nfc_lookup instance = [] {
    nfc_lookup made;
    icu::ErrorCode status;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    if (status.isFailure()) return made;
    made.nfc = nfc;
    made.table = std::make_unique<bmp_inert_table>(*nfc);
    return made;
  }();
  return instance;
}

// The first byte from 0xCC (the lead byte of U+0300 and above) at or after `p`, or `end`:
// sixteen bytes at a time, then eight.
const unsigned char* next_from_cc(const unsigned char* p, const unsigned char* end) {
#if defined(__SSE2__)
  const __m128i flip = _mm_set1_epi8(static_cast<char>(0x80));
  const __m128i above = _mm_set1_epi8(0x4B);  // 0xCB, flipped to signed as the bytes are
  for (; end - p >= 16; p += 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const auto from_cc =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpgt_epi8(_mm_xor_si128(block, flip), above)));
    if (from_cc != 0) return p + std::countr_zero(from_cc);
  }
#endif
  for (; end - p >= 8; p += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, p, 8);
    const std::uint64_t from_cc = bytes_from(word, 0xCC);
    if (from_cc != 0) return p + std::countr_zero(from_cc) / 8;  // little-endian: the first
  }
  while (p < end && *p < 0xCC) ++p;
  return p;
}

// Whether `text` holds only characters below U+0300 and characters NFC leaves alone in any
// context: then it is NFC (a character below U+0300 is NFC on its own and changes only with a
// combining character after it, which is never inert). Text below U+0300 (every byte below 0xCC,
// the lead byte of U+0300) is most records: ICU's own fast path starts at the same place. Only
// the characters from U+0300 are looked at, found sixteen bytes at a time; what lies between them
// is taken as it is (as ICU's fast path does). False for anything ill-formed from 0xCC: ICU
// decides.
bool surely_nfc(std::string_view text) {
  const nfc_lookup* lookup = nullptr;
  const auto* begin = reinterpret_cast<const unsigned char*>(text.data());
  const auto* p = begin;
  const auto* end = begin + text.size();
  for (;;) {
    p = next_from_cc(p, end);
    if (p == end) break;
    const unsigned char lead = *p;
    std::size_t length = 0;
    char32_t c = 0;
    char32_t least = 0;
    if (lead < 0xE0) {
      length = 2;
      c = lead & 0x1F;
    } else if (lead < 0xF0) {
      length = 3;
      c = lead & 0x0F;
      least = 0x800;
    } else if (lead < 0xF5) {
      length = 4;
      c = lead & 0x07;
      least = 0x10000;
    } else {
      return false;
    }
    if (static_cast<std::size_t>(end - p) < length) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((p[k] & 0xC0) != 0x80) return false;
      c = (c << 6) | (p[k] & 0x3F);
    }
    if (c < least || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) return false;
    p += length;
    if (lookup == nullptr) lookup = &nfc_lookup_instance();
    if (lookup->nfc == nullptr) return false;
    if (c < table_end ? !lookup->table->inert(c) : !lookup->nfc->isInert(static_cast<UChar32>(c))) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool to_nfc_in_place(std::string& text) {
  // Nothing past U+0300 but characters NFC never touches (emoji, dashes, curly quotes, CJK): a
  // lookup each, where ICU's check costs several times more.
  if (surely_nfc(text)) return false;
  icu::ErrorCode status;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (status.isFailure()) return false;
  // Checked on the UTF-8 itself: nearly all text is already NFC, and this costs no conversion.
  if (nfc->isNormalizedUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())),
                            status) &&
      status.isSuccess()) {
    return false;
  }
  status.reset();
  const icu::UnicodeString wide = icu::UnicodeString::fromUTF8(text);
  const int32_t done = nfc->spanQuickCheckYes(wide, status);
  if (status.isFailure() || done == wide.length()) return false;
  icu::UnicodeString normalized = wide.tempSubString(0, done);
  nfc->normalizeSecondAndAppend(normalized, wide.tempSubString(done), status);
  if (status.isFailure()) return false;
  std::string out;
  normalized.toUTF8String(out);
  if (out == text) return false;
  text = std::move(out);
  return true;
}

std::string to_nfc(std::string_view text) {
  std::string out(text);
  to_nfc_in_place(out);
  return out;
}

char32_t next_code_point(std::string_view text, std::size_t& i) noexcept {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) {
    ++i;
    return c;
  }
  std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  length = std::min(length, text.size() - i);
  char32_t cp = length == 4 ? (c & 0x07) : length == 3 ? (c & 0x0F) : (c & 0x1F);
  for (std::size_t k = 1; k < length; ++k) cp = (cp << 6) | (text[i + k] & 0x3F);
  i += length;
  return cp;
}

}  // namespace textkit::common
