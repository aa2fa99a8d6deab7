#include "langid.h"

#include <cld2/public/compact_lang_det.h>

#include <limits>

namespace textkit::sanitize {

language_guess detect_language(std::string_view text) {
  // CLD2 looks at the first few kilobytes anyway; the cap keeps the int length safe.
  const int length = static_cast<int>(std::min<std::size_t>(text.size(), 1 << 20));
  CLD2::Language top3[3];
  int percent3[3] = {0, 0, 0};
  int text_bytes = 0;
  bool reliable = false;
  const CLD2::Language top = CLD2::DetectLanguageSummary(
      text.data(), length, /*is_plain_text=*/true, top3, percent3, &text_bytes, &reliable);
  language_guess guess;
  if (top == CLD2::UNKNOWN_LANGUAGE) {
    guess.code = "und";
    return guess;
  }
  guess.code = CLD2::LanguageCode(top);
  guess.percent = percent3[0];
  guess.reliable = reliable;
  return guess;
}

}  // namespace textkit::sanitize
