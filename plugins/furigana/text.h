// furigana - UTF-8, script classes and kana conversions (private to the furigana family).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace textkit::furigana {

/// The code points of valid UTF-8 `text` (the caller has checked it).
std::u32string to_code_points(std::string_view text);
std::string to_utf8(std::u32string_view text);
void append_utf8(std::string& out, char32_t c);
/// Number of code points in valid UTF-8.
std::size_t count_code_points(std::string_view text);

/// A kanji for furigana purposes: Han script, plus 々 (repeat mark), 〆 and ヶ/ヵ (read か in
/// counters), which take readings like kanji do.
bool is_kanji(char32_t c);
bool is_hiragana(char32_t c);
/// Katakana letters and the prolonged sound mark ー.
bool is_katakana(char32_t c);
bool is_kana(char32_t c);
bool has_kanji(std::u32string_view text);
/// True when every code point is kana (hiragana, katakana, ー).
bool is_kana_only(std::u32string_view text);
/// 0-9 in half or full width.
bool is_digit(char32_t c);

/// Katakana to hiragana (ヴ becomes ゔ; ヵ ヶ become か け); anything else unchanged.
std::u32string to_hiragana(std::u32string_view text);
std::string to_hiragana(std::string_view utf8);
std::u32string to_katakana(std::u32string_view text);
std::string to_katakana(std::string_view utf8);

/// Modified Hepburn romanization of kana (hiragana or katakana): し shi, ち chi, つ tsu, ふ fu,
/// じ ji, ん n (n' before a vowel or y), っ doubles the next consonant (っち tchi), ー and the
/// pronunciation's long vowels become macrons (トーキョー tōkyō).
std::string to_romaji(std::u32string_view kana);

}  // namespace textkit::furigana
