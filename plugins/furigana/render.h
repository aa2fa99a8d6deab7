// furigana - writing annotated words out in the chosen format.
#pragma once

#include <string>
#include <vector>

#include "annotator.h"

namespace textkit::furigana {

enum class output_format { ruby, anki, aozora, hiragana, katakana, romaji };

/// Appends `words` to `out` in `format`. `merge_word` (granularity word) lets anki put a word's
/// inner kana under one ruby (取り扱[とりあつか]い), as the Anki Japanese add-on does.
void render(const std::vector<word>& words, output_format format, bool merge_word,
            std::string& out);

/// Escapes & < > " for HTML text.
void append_html_escaped(std::string& out, std::u32string_view text);

}  // namespace textkit::furigana
