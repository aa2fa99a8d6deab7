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
/// Writes `c` as UTF-8 at `out` (room for 4 bytes); returns the bytes written.
inline std::size_t encode_utf8(char32_t c, char* out) {
  if (c < 0x80) {
    out[0] = static_cast<char>(c);
    return 1;
  }
  std::size_t length = 0;
  if (c < 0x800) {
    out[length++] = static_cast<char>(0xC0 | (c >> 6));
  } else if (c < 0x10000) {
    out[length++] = static_cast<char>(0xE0 | (c >> 12));
    out[length++] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
  } else {
    out[length++] = static_cast<char>(0xF0 | (c >> 18));
    out[length++] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out[length++] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
  }
  out[length++] = static_cast<char>(0x80 | (c & 0x3F));
  return length;
}
inline void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
    return;
  }
  char bytes[4];
  out.append(bytes, encode_utf8(c, bytes));
}
/// Number of code points in valid UTF-8.
std::size_t count_code_points(std::string_view text);

/// Han characters outside the ranges is_kanji answers by itself (ICU's script property).
bool is_rare_han(char32_t c);

/// A kanji for furigana purposes: Han script, plus 々 (repeat mark), 〆 and ヶ/ヵ (read か in
/// counters), which take readings like kanji do.
inline bool is_kanji(char32_t c) {
  if (c == U'々' || c == U'〆' || c == U'ヶ' || c == U'ヵ') return true;
  if (c < 0x2E80) return false;
  // The blocks every kanji of real text is in, and kana, answered without ICU (ICU 72 agrees:
  // all of 3400-4DBF and 4E00-9FFF are Han, nothing in 3040-30FF is).
  if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF)) return true;
  if (c >= 0x3040 && c <= 0x30FF) return false;
  return is_rare_han(c);
}
inline bool is_hiragana(char32_t c) { return c >= 0x3041 && c <= 0x309F; }
/// Katakana letters and the prolonged sound mark ー.
inline bool is_katakana(char32_t c) {
  return (c >= 0x30A1 && c <= 0x30FA) || c == U'ー' || (c >= 0xFF66 && c <= 0xFF9F);
}
inline bool is_kana(char32_t c) { return is_hiragana(c) || is_katakana(c); }
bool has_kanji(std::u32string_view text);
/// True when every code point is kana (hiragana, katakana, ー).
bool is_kana_only(std::u32string_view text);
/// 0-9 in half or full width.
inline bool is_digit(char32_t c) { return (c >= U'0' && c <= U'9') || (c >= U'０' && c <= U'９'); }

/// Katakana to hiragana (ヴ becomes ゔ; ヵ ヶ become か け); anything else unchanged.
std::u32string to_hiragana(std::u32string_view text);
std::string to_hiragana(std::string_view utf8);
/// to_hiragana(to_code_points(utf8)) in one pass.
std::u32string hiragana_code_points(std::string_view utf8);
std::u32string to_katakana(std::u32string_view text);
std::string to_katakana(std::string_view utf8);

/// Modified Hepburn romanization of kana (hiragana or katakana): し shi, ち chi, つ tsu, ふ fu,
/// じ ji, ん n (n' before a vowel or y), っ doubles the next consonant (っち tchi), ー and the
/// pronunciation's long vowels become macrons (トーキョー tōkyō).
std::string to_romaji(std::u32string_view kana);

}  // namespace textkit::furigana
