#include "textkit_common/unicode.h"

#include <unicode/errorcode.h>
#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace textkit::common {

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

bool to_nfc_in_place(std::string& text) {
  // Text below U+0300 (every byte below 0xCC, the lead byte of U+0300) is always NFC: each such
  // character is NFC on its own and never combines with the one before it (ICU's own fast path
  // starts at the same place). Most records are ASCII or Latin: this skips ICU for them.
  bool below_combining = true;
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0xCC) {
      below_combining = false;
      break;
    }
  }
  if (below_combining) return false;
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
