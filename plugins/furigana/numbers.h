// furigana - readings of numbers and counters: 三百 さんびゃく, 6本 ろっぽん, 一人 ひとり, 二十日
// はつか.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace textkit::furigana {

/// True for the characters a number is written with: 0-9 (half and full width), 〇 and the kanji
/// numerals 一 to 九, 十 百 千 万 億 兆, 零.
bool is_number_char(char32_t c);
/// True when `text` is made only of number characters.
bool is_number(std::u32string_view text);

struct counted_reading {
  std::u32string number;   ///< the number's reading, with the counter's sound change (ろっ)
  std::u32string counter;  ///< the counter's reading (ぽん); empty when `counter` is not one
  /// Set when number and counter are read as one word that does not split (ひとり, はつか): then
  /// `number` and `counter` are empty.
  std::u32string whole;
};

/// Reads `number` (digits, kanji numerals or both) followed by `counter` (empty: no counter).
/// `after_month` says a month came just before, so 一日 is ついたち (the first) not いちにち.
/// Nothing when `number` is not a number this reads (too long, or malformed).
std::optional<counted_reading> read_number(std::u32string_view number, std::u32string_view counter,
                                           bool after_month);

struct approximate_reading {
  std::u32string first;    ///< the first numeral's reading (し of 四五)
  std::u32string second;   ///< the second's, with the counter's sound change (ろっ of 五六本)
  std::u32string counter;  ///< the counter's reading; empty without a counter
};

/// Reads an approximate number, two kanji numerals one above the other (一二 "one or two",
/// 二三日 に + さん + にち, 四五人 し + ご + にん), before `counter` (may be empty). Nothing for
/// any other number.
std::optional<approximate_reading> read_approximate(std::u32string_view number,
                                                    std::u32string_view counter);

/// True when `word` is a counter read here (本, 人, 日, 月, ヶ月, 分, ...).
bool is_counter(std::u32string_view word);

}  // namespace textkit::furigana
