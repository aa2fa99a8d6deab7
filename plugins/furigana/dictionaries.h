// furigana - the Debian dictionaries behind the readings: KANJIDIC2 (per-kanji readings, school
// grade, JLPT level) and EDICT (words and their readings, common-word marks).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace textkit::furigana {

inline constexpr std::string_view default_mecab_dictionary = "/var/lib/mecab/dic/ipadic-utf8";
inline constexpr std::string_view default_kanjidic = "/usr/share/edict/kanjidic2.xml.gz";
inline constexpr std::string_view default_edict = "/usr/share/edict/edict";

/// Lines "key<TAB>...", sorted by the key's bytes, looked up by binary search over the bytes
/// themselves: loading one is a file read (or a mapping of the cache file), with no index built and
/// nothing parsed before it is asked for.
class sorted_table {
 public:
  sorted_table() = default;
  explicit sorted_table(std::string text);
  /// The table in the cache file `path` after its first line (the stamp), mapped into memory when
  /// that line is `stamp`; nothing when the file is missing or stale.
  static std::optional<sorted_table> map_cache(const std::string& path, std::string_view stamp);
  /// The lines whose key is `key`, one after another, each with its line break (the last one may
  /// lack it); empty when there are none.
  [[nodiscard]] std::string_view lines_of(std::string_view key) const;
  /// Notes where each line starts, so that look-ups search lines instead of bytes (the text of
  /// a table over 4 GiB is not indexed).
  void index_lines();
  /// Whether some key starts with `prefix` (or is it).
  [[nodiscard]] bool has_key_starting(std::string_view prefix) const;
  /// Calls `visit` with every line, in order.
  void for_each_line(const std::function<void(std::string_view line)>& visit) const;
  /// Number of lines (counted on each call).
  [[nodiscard]] std::size_t size() const;

 private:
  /// Where the first line whose key is not less than `key` starts (the size when none is).
  [[nodiscard]] std::size_t lower_bound(std::string_view key) const;

  std::shared_ptr<const void> storage_;  // owns the bytes `text_` views (a string or a mapping)
  std::string_view text_;
  std::vector<std::uint32_t> starts_;  // where lines start, when indexed
};

/// Calls `visit` with each line of `block` (from sorted_table::lines_of), without its line break.
template <typename visitor>
void for_each_line_of(std::string_view block, visitor&& visit) {
  while (!block.empty()) {
    const std::size_t newline = block.find('\n');
    visit(block.substr(0, newline));
    if (newline == std::string_view::npos) break;
    block.remove_prefix(newline + 1);
  }
}

struct kanji_entry {
  std::vector<std::u32string> readings;  ///< on and kun, in hiragana, okurigana cut off, no dups
  std::vector<std::u32string> nanori;    ///< readings used in names only
  std::vector<std::u32string> stems;     ///< kun readings with okurigana, continuative (取 とり)
  int grade = 0;                         ///< school grade 1-6, 8 (rest of jōyō), 9-10 (jinmeiyō)
  int jlpt = 0;                          ///< old 4-level scale (4 easiest); 0: not listed
};

/// KANJIDIC2, read from its gzipped XML once and kept read-only (safe to share across threads).
/// Both dictionaries keep what they use in a small table in $XDG_CACHE_HOME/textkit/furigana/
/// (~/.cache/...), rebuilt when the source file changes, so later runs start in milliseconds.
class kanji_dictionary {
 public:
  kanji_dictionary();
  ~kanji_dictionary();
  kanji_dictionary(const kanji_dictionary&) = delete;
  kanji_dictionary& operator=(const kanji_dictionary&) = delete;
  /// Throws textkit::error naming the Debian package when the file is missing.
  static std::shared_ptr<const kanji_dictionary> load(const std::string& path);
  /// The entry of `kanji` (valid as long as the dictionary), or null when KANJIDIC2 lacks it.
  /// Each entry is parsed from the table on its first look-up and kept.
  [[nodiscard]] const kanji_entry* find(char32_t kanji) const;
  /// Calls `visit` for every kanji, in no particular order.
  void for_each(const std::function<void(char32_t, const kanji_entry&)>& visit) const;
  [[nodiscard]] std::size_t size() const { return table_.size(); }

 private:
  struct parsed;
  sorted_table table_;
  std::unique_ptr<parsed> parsed_;
};

/// KANJIDIC2's XML, unzipped, for readers of the fields the table above does not keep (the kanji
/// family). Throws textkit::error naming the Debian package when the file is missing.
std::string read_kanjidic_xml(const std::string& path);

/// Calls `visit` with the literal and the whole element of each <character> of KANJIDIC2's XML.
void for_each_kanjidic_character(
    std::string_view xml,
    const std::function<void(std::string_view literal, std::string_view element)>& visit);

/// A table derived from `source` by `build`, kept in $XDG_CACHE_HOME/textkit/<family>/
/// (~/.cache/...) as <stem>-<hash of the source path>.tsv and rebuilt whenever the source file
/// changes (size or time). Best effort: without a writable cache folder, `build` runs every time.
std::string cached_table(std::string_view family, std::string_view stem, const std::string& source,
                         const std::function<std::string()>& build);

/// cached_table's table as a sorted_table: the cache file is mapped into memory, not read.
sorted_table cached_sorted_table(std::string_view family, std::string_view stem,
                                 const std::string& source,
                                 const std::function<std::string()>& build);

struct word_reading {
  std::u32string reading;  ///< hiragana
  bool common = false;     ///< marked (P) in EDICT
};

/// Calls `visit` with every headword of EDICT that has a kanji and each of its readings (hiragana),
/// rare and outdated ones too. Throws textkit::error naming the Debian package when the file is
/// missing.
void for_each_edict_reading(
    const std::string& path,
    const std::function<void(std::u32string_view word, std::u32string_view reading)>& visit);

/// EDICT headwords that contain a kanji and have a common (P) reading, with all their readings.
/// Read-only once loaded.
class word_dictionary {
 public:
  /// Throws textkit::error naming the Debian package when the file is missing.
  static std::shared_ptr<const word_dictionary> load(const std::string& path);
  /// The readings of `word` (common ones first), if EDICT has it.
  [[nodiscard]] std::optional<std::vector<word_reading>> find(std::u32string_view word) const;
  /// The one reading of `word` (two characters or more) when EDICT has it with a single reading
  /// and no common one (卑怯者 ひきょうもの). That table is loaded on the first call.
  [[nodiscard]] std::optional<std::u32string> find_rare(std::u32string_view word) const;
  /// The one reading EDICT gives `word`: its only common reading, or, for a word it has no
  /// common reading of, its single reading (find_rare); nothing when EDICT lacks the word or
  /// has more than one common reading of it.
  [[nodiscard]] std::optional<std::u32string> one_reading(std::u32string_view word) const;
  /// EDICT's only common reading of `word`, when `reading` is one of its readings that is not
  /// common (日本 にっぽん → にほん); nothing otherwise (no common reading, or several). The same
  /// as looking through find(word), without making its list.
  [[nodiscard]] std::optional<std::u32string> common_instead_of(std::u32string_view word,
                                                                std::u32string_view reading) const;
  /// Whether a word EDICT has (one of either table above) starts with `prefix`: a cheap test
  /// before trying many endings of it.
  [[nodiscard]] bool has_word_starting(std::u32string_view prefix) const;
  /// Number of readings (one line each).
  [[nodiscard]] std::size_t size() const { return table_.size(); }

 private:
  /// The lines of `table` for `word`, its key written in UTF-8 without allocating.
  [[nodiscard]] static std::string_view lines_of(const sorted_table& table,
                                                 std::u32string_view word);
  [[nodiscard]] const sorted_table& rare() const;

  sorted_table table_;
  std::string path_;
  mutable std::once_flag rare_loaded_;
  mutable sorted_table rare_;
};

}  // namespace textkit::furigana
