#include "textkit_common/mojibake.h"

#include <cstdint>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "textkit_common/unicode.h"

namespace textkit::common {
namespace {

// Code points U+0000..U+00FF are one byte in UTF-8 below 0x80 and two above (C2 or C3 then one
// continuation byte), so "all code points <= U+00FF" means: no lead byte other than C2/C3.
bool all_latin1_range(std::string_view text, bool& any_high) {
  any_high = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) continue;
    if (byte != 0xC2 && byte != 0xC3) return false;
    any_high = true;
    ++i;  // its continuation byte; the input is valid UTF-8
  }
  return true;
}

// The Latin-1 byte behind each code point of `text`, which holds only U+0000..U+00FF.
std::string latin1_bytes(std::string_view text) {
  std::string bytes;
  bytes.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      bytes.push_back(static_cast<char>(byte));
      continue;
    }
    const auto next = static_cast<unsigned char>(text[++i]);
    bytes.push_back(static_cast<char>(((byte & 0x03) << 6) | (next & 0x3F)));
  }
  return bytes;
}

// The code point U+0080..U+00FF starting at text[i], or -1 when it is something else.
int latin1_high_at(std::string_view text, std::size_t i) {
  if (i + 1 >= text.size()) return -1;
  const auto byte = static_cast<unsigned char>(text[i]);
  if (byte != 0xC2 && byte != 0xC3) return -1;
  const auto next = static_cast<unsigned char>(text[i + 1]);
  return ((byte & 0x03) << 6) | (next & 0x3F);
}

std::size_t sequence_length(int lead) {
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

#if defined(__x86_64__)
// For the SSSE3 repair below: for each set of kept bytes among eight (bit i: byte i kept), the
// indices of the kept bytes in order, then 0x80 (pshufb writes a zero).
struct keep_table {
  std::uint64_t shuffles[256] = {};
  std::uint8_t counts[256] = {};
  constexpr keep_table() {
    for (unsigned mask = 0; mask < 256; ++mask) {
      std::uint64_t shuffle = 0;
      unsigned count = 0;
      for (unsigned bit = 0; bit < 8; ++bit) {
        if ((mask >> bit & 1U) == 0) continue;
        shuffle |= static_cast<std::uint64_t>(bit) << (8 * count);
        ++count;
      }
      for (unsigned rest = count; rest < 8; ++rest) shuffle |= std::uint64_t{0x80} << (8 * rest);
      shuffles[mask] = shuffle;
      counts[mask] = static_cast<std::uint8_t>(count);
    }
  }
};
constexpr keep_table keep{};

// The repair's conversion sixteen bytes at a time, for text known to hold only ASCII and C2/C3
// pairs (valid UTF-8 with no byte from 0xC4): each pair becomes its Latin-1 byte where its lead
// was, the continuation bytes are squeezed out (pshufb with keep_table), and a lead that ends a
// block is left for the next. Works in place (each block is loaded before anything is stored,
// and the output never passes the input). Returns how far it got (`in`, `out`); the caller does
// the rest byte by byte.
__attribute__((target("ssse3"))) void convert_pairs_ssse3(char* data, std::size_t size,
                                                          std::size_t& in, std::size_t& out) {
  const __m128i low2 = _mm_set1_epi8(0x03);
  const __m128i low6 = _mm_set1_epi8(0x3F);
  const __m128i top2 = _mm_set1_epi8(static_cast<char>(0xC0));
  const __m128i cont = _mm_set1_epi8(static_cast<char>(0x80));
  while (in + 17 <= size) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + in));
    const unsigned high = static_cast<unsigned>(_mm_movemask_epi8(block));
    if (high == 0) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(data + out), block);
      in += 16;
      out += 16;
      continue;
    }
    const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + in + 1));
    const __m128i kind = _mm_and_si128(block, top2);
    const __m128i leads = _mm_cmpeq_epi8(kind, top2);
    const __m128i continuations = _mm_cmpeq_epi8(kind, cont);
    // ((lead & 3) << 6) | (next & 0x3F): shifted in 16-bit lanes, no bit crosses a byte.
    const __m128i latin1 =
        _mm_or_si128(_mm_slli_epi16(_mm_and_si128(block, low2), 6), _mm_and_si128(next, low6));
    const __m128i merged =
        _mm_or_si128(_mm_and_si128(leads, latin1), _mm_andnot_si128(leads, block));
    unsigned kept = ~static_cast<unsigned>(_mm_movemask_epi8(continuations)) & 0xFFFFU;
    std::size_t used = 16;
    if ((static_cast<unsigned>(_mm_movemask_epi8(leads)) & 0x8000U) != 0) {
      kept &= 0x7FFFU;  // a lead last: its pair is the next block's
      used = 15;
    }
    const unsigned low_mask = kept & 0xFFU;
    const unsigned high_mask = kept >> 8;
    const __m128i shuffle =
        _mm_set_epi64x(static_cast<long long>(keep.shuffles[high_mask] + 0x0808080808080808ULL),
                       static_cast<long long>(keep.shuffles[low_mask]));
    // Indices past the kept ones have 0x80 set, and keep it after adding 8 (0x88): zeros.
    const __m128i squeezed = _mm_shuffle_epi8(merged, shuffle);
    // The stores may write zeros past the kept bytes, up to the block's end: a lead left for the
    // next block is put back.
    const char left = data[in + 15];
    _mm_storel_epi64(reinterpret_cast<__m128i*>(data + out), squeezed);
    out += keep.counts[low_mask];
    _mm_storel_epi64(reinterpret_cast<__m128i*>(data + out), _mm_srli_si128(squeezed, 8));
    out += keep.counts[high_mask];
    if (used == 15) data[in + 15] = left;
    in += used;
  }
}

bool has_ssse3() {
  static const bool supported = __builtin_cpu_supports("ssse3") != 0;
  return supported;
}
#endif

}  // namespace

std::optional<std::string> repair_latin1_mojibake(std::string_view text) {
  bool any_high = false;
  if (!all_latin1_range(text, any_high) || !any_high) return std::nullopt;
  std::string bytes = latin1_bytes(text);
  if (!is_valid_utf8(bytes)) return std::nullopt;
  return bytes;
}

bool repair_latin1_mojibake_in_place(std::string& text) {
  // One pass, in place (the bytes are never longer than the code points' UTF-8): each C2/C3 pair
  // becomes its Latin-1 byte; any other lead byte means a code point past U+00FF, so the text is
  // not that damage and is left alone. The result must then be valid UTF-8, else it is undone.
  // Eight bytes at a time: copied whole when ASCII, else taken byte by byte to the end of the
  // eight (a pair may run one past it) before the next eight are looked at.
  char* data = text.data();
  const std::size_t size = text.size();
  std::size_t in = 0;
  std::size_t out = 0;
  bool any_high = false;
#if defined(__x86_64__)
  // Long text sixteen bytes at a time, once it is known to be only ASCII and C2/C3 pairs: no
  // byte from 0xC4 (eight bytes at a time), and some byte from 0x80.
  if (size >= 32 && has_ssse3()) {
    constexpr std::uint64_t high_bits = 0x8080808080808080ULL;
    std::uint64_t seen = 0;
    std::uint64_t from_c4 = 0;
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, data + i, 8);
      seen |= word;
      from_c4 |= bytes_from(word, 0xC4);
    }
    for (; i < size; ++i) {
      const auto byte = static_cast<unsigned char>(data[i]);
      seen |= byte;
      from_c4 |= byte >= 0xC4 ? 0x80U : 0U;
    }
    if ((seen & high_bits) == 0 || (from_c4 & high_bits) != 0) return false;
    any_high = true;
    convert_pairs_ssse3(data, size, in, out);
  }
#endif
  while (in < size) {
    std::size_t stop = size;
    if (size - in >= 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, data + in, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        std::memcpy(data + out, &word, 8);  // read before written: out <= in
        in += 8;
        out += 8;
        continue;
      }
      stop = in + 8;
    }
    while (in < stop) {
      const auto byte = static_cast<unsigned char>(data[in]);
      if (byte < 0x80) {
        data[out++] = static_cast<char>(byte);
        ++in;
        continue;
      }
      if ((byte & 0xFE) != 0xC2 || in + 1 >= size) {
        if (any_high) text = latin1_to_utf8(std::string_view(data, out)) + text.substr(in);
        return false;
      }
      const auto next = static_cast<unsigned char>(data[in + 1]);
      data[out++] = static_cast<char>(((byte & 0x03) << 6) | (next & 0x3F));
      in += 2;
      any_high = true;
    }
  }
  if (!any_high) return false;
  if (!is_valid_utf8(std::string_view(data, out))) {
    text = latin1_to_utf8(std::string_view(data, out));
    return false;
  }
  text.resize(out);
  return true;
}

std::string repair_mojibake_sequences(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const int lead = latin1_high_at(text, i);
    const std::size_t length = lead < 0 ? 0 : sequence_length(lead);
    if (length == 0) {
      out.push_back(text[i]);
      ++i;
      continue;
    }
    // Gather the continuation code points, each two bytes of `text`.
    std::string bytes(1, static_cast<char>(lead));
    std::size_t at = i + 2;
    while (bytes.size() < length) {
      const int next = latin1_high_at(text, at);
      if (next < 0x80 || next > 0xBF) break;
      bytes.push_back(static_cast<char>(next));
      at += 2;
    }
    if (bytes.size() == length && is_valid_utf8(bytes)) {
      out.append(bytes);
      i = at;
      continue;
    }
    out.append(text.substr(i, 2));
    i += 2;
  }
  return out;
}

std::string latin1_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 4);
  for (char c : bytes) append_utf8(out, static_cast<unsigned char>(c));
  return out;
}

}  // namespace textkit::common
