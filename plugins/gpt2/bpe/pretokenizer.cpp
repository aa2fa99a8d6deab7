#include "pretokenizer.h"

#include <unicode/uchar.h>

#include <memory>

namespace textkit::gpt2 {
namespace {

char_class class_from_icu(char32_t c) noexcept {
  const auto cp = static_cast<UChar32>(c);
  if (u_hasBinaryProperty(cp, UCHAR_WHITE_SPACE)) return char_class::space;
  switch (u_charType(cp)) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
      return char_class::letter;
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
      return char_class::number;
    default:
      return char_class::other;
  }
}

// The Basic Multilingual Plane in one table (64 KiB), filled once: ICU's lookups cost more than
// one load, and nearly all text is there.
const char_class* bmp_classes() {
  static const std::unique_ptr<char_class[]> table = [] {
    auto t = std::make_unique<char_class[]>(0x10000);
    for (char32_t c = 0; c < 0x10000; ++c) t[c] = class_from_icu(c);
    return t;
  }();
  return table.get();
}

}  // namespace

char_class class_of_non_ascii(char32_t c) noexcept {
  static const char_class* const bmp = bmp_classes();
  if (c < 0x10000) return bmp[c];
  return class_from_icu(c);
}

}  // namespace textkit::gpt2
