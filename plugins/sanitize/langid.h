// sanitize - language identification with CLD2 (Compact Language Detector 2, Debian's libcld2).
#pragma once

#include <string>
#include <string_view>

namespace textkit::sanitize {

struct language_guess {
  std::string code;  ///< ISO 639-1 where there is one ("en", "fr", "ja", "zh", "zh-Hant"), or "und"
  int percent = 0;   ///< share of the text's letters in that language
  bool reliable = false;
};

/// The main language of plain text (valid UTF-8). Thread-safe: CLD2 keeps no state between calls.
language_guess detect_language(std::string_view text);

}  // namespace textkit::sanitize
