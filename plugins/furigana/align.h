// furigana - where a word's reading goes: okurigana split (見習[みなら]う) and per-kanji alignment
// (振[ふ]り仮[が]名[な], 頑[がん]張[ば]る), with whole-group ruby where a reading does not split
// (今日[きょう]).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dictionaries.h"

namespace textkit::furigana {

/// A reading over code points [begin, end) of a word.
struct ruby_part {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::u32string reading;  ///< hiragana

  bool operator==(const ruby_part&) const = default;
};

/// Splits `reading` (hiragana) over the kanji runs of `word`: each run of kana in the word must
/// appear as such in the reading (katakana matching hiragana), and each run of kanji takes what
/// lies between. Nothing when the reading does not fit the word's kana.
std::optional<std::vector<ruby_part>> split_okurigana(std::u32string_view word,
                                                      std::u32string_view reading);

/// Kanji readings KANJIDIC2 lacks, learned from EDICT by elimination: where every kanji of a word's
/// run but one reads by its KANJIDIC2 readings, the one left takes the rest (余所 よそ: 余 よ, so
/// 所 そ). A reading is kept only when three words or more show it whose other kanji share none
/// (所 そ: 余所, 楽所, 獄所, 所作 ...), so that the leftover of a jukujikun word teaches nothing:
/// 下手 へた gives 下 へ only beside 手, 明日 あした gives 日 した only beside 明.
class learned_readings {
 public:
  /// Built once from EDICT (the Debian package edict) and `kanji`, then kept in the cache folder
  /// beside the dictionaries' tables. Throws textkit::error naming the package when it is missing.
  static std::shared_ptr<const learned_readings> load(const std::string& edict_path,
                                                      const kanji_dictionary& kanji);
  /// The readings learned for `kanji` (hiragana).
  [[nodiscard]] std::vector<std::u32string> find(char32_t kanji) const;
  [[nodiscard]] std::size_t size() const { return table_.size(); }

 private:
  sorted_table table_;
};

/// Splits the reading of a run of kanji `run` kanji by kanji, from KANJIDIC2 readings and their
/// variants: voicing (rendaku, 張 は → ば), a final small っ (一 いち → いっ), a dropped long vowel
/// (坊 ぼう → ぼ), repeated kanji and 々 (人々 ひと+びと); a common EDICT word whose reading does
/// not split (芝生 しばふ, 日本 にほん) stays one group; at most one kanji may take a reading
/// found nowhere (御母 お+かあ); a learned reading (余所見 よ+そ+み) costs more than KANJIDIC2's
/// but less than keeping a two-kanji word whole. Returns parts relative to `run`; one part for the
/// whole run when nothing fits. `words` and `learned` may be null.
std::vector<ruby_part> align_kanji(std::u32string_view run, std::u32string_view reading,
                                   const kanji_dictionary& kanji, const word_dictionary* words,
                                   const learned_readings* learned = nullptr);

/// True when `word` reads as `reading` from KANJIDIC2 readings and their sound changes alone (no
/// guess, no whole-word group): 一人 as ひと+り, 日本 not as にほん.
bool reads_as(std::u32string_view word, std::u32string_view reading, const kanji_dictionary& kanji);

/// The voiced form of a reading's first kana (か → が, は → ば); empty when it has none.
std::u32string voiced(std::u32string_view reading);
/// The half-voiced form (は → ぱ); empty when it has none.
std::u32string half_voiced(std::u32string_view reading);

}  // namespace textkit::furigana
