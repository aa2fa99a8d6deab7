// furigana - the Debian dictionaries behind the readings: KANJIDIC2 (per-kanji readings, school
// grade, JLPT level) and EDICT (words and their readings, common-word marks).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace textkit::furigana {

inline constexpr std::string_view default_mecab_dictionary = "/var/lib/mecab/dic/ipadic-utf8";
inline constexpr std::string_view default_kanjidic = "/usr/share/edict/kanjidic2.xml.gz";
inline constexpr std::string_view default_edict = "/usr/share/edict/edict";

struct kanji_entry {
  std::vector<std::u32string> readings;  ///< on and kun, in hiragana, okurigana cut off, no dups
  std::vector<std::u32string> nanori;    ///< readings used in names only
  int grade = 0;                         ///< school grade 1-6, 8 (rest of jōyō), 9-10 (jinmeiyō)
  int jlpt = 0;                          ///< old 4-level scale (4 easiest); 0: not listed
};

/// KANJIDIC2, read from its gzipped XML once and kept read-only (safe to share across threads).
/// Both dictionaries keep what they use in a small table in $XDG_CACHE_HOME/textkit/furigana/
/// (~/.cache/...), rebuilt when the source file changes, so later runs start in milliseconds.
class kanji_dictionary {
 public:
  /// Throws textkit::error naming the Debian package when the file is missing.
  static std::shared_ptr<const kanji_dictionary> load(const std::string& path);
  /// The entry of `kanji`, or nullptr.
  [[nodiscard]] const kanji_entry* find(char32_t kanji) const;
  [[nodiscard]] std::size_t size() const { return entries_.size(); }

 private:
  static std::shared_ptr<kanji_dictionary> parse(const std::string& path);
  std::unordered_map<char32_t, kanji_entry> entries_;
};

struct word_reading {
  std::u32string reading;  ///< hiragana
  bool common = false;     ///< marked (P) in EDICT
};

/// EDICT headwords that contain a kanji and have a common (P) reading, with all their readings.
/// Read-only once loaded.
class word_dictionary {
 public:
  /// Throws textkit::error naming the Debian package when the file is missing.
  static std::shared_ptr<const word_dictionary> load(const std::string& path);
  /// The readings of `word` (common ones first), or nullptr.
  [[nodiscard]] const std::vector<word_reading>* find(const std::u32string& word) const;
  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  /// Longest headword, in code points: bounds the look-ups of a scan.
  [[nodiscard]] std::size_t longest() const { return longest_; }

 private:
  static std::shared_ptr<word_dictionary> parse(const std::string& path);
  std::unordered_map<std::u32string, std::vector<word_reading>> entries_;
  std::size_t longest_ = 0;
};

}  // namespace textkit::furigana
