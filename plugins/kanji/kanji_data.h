// kanji - what is known about each kanji: KANJIDIC2 (readings, meanings, grade, JLPT, newspaper
// frequency, strokes, radical, SKIP codes) and RADKFILE (the components each kanji is drawn from).
#pragma once

#include <bitset>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace textkit::kanji {

inline constexpr std::string_view default_radkfile = "/var/lib/xjdic/radkfile";

/// RADKFILE has about 250 elements; a kanji's components are a set of them.
inline constexpr std::size_t max_elements = 320;
using element_set = std::bitset<max_elements>;

struct kanji_facts {
  char32_t literal = 0;
  std::string text;              ///< the kanji in UTF-8
  std::vector<std::string> on;   ///< on readings, katakana, as KANJIDIC2 writes them
  std::vector<std::string> kun;  ///< kun readings, hiragana, okurigana after a dot (かた.る)
  std::vector<std::string> meanings;  ///< English
  int grade = 0;           ///< 1-6 school grades, 8 rest of jōyō, 9-10 jinmeiyō; 0 none
  int jlpt = 0;            ///< old 4-level scale, 4 easiest; 0 not listed
  int frequency_rank = 0;  ///< among the 2,500 most used in newspapers; 0 not ranked
  int strokes = 0;
  int radical = 0;                         ///< classical (Kangxi) radical number, 1-214
  std::string skip;                        ///< SKIP code "1-7-7"
  std::vector<std::string> skip_misclass;  ///< SKIP codes learners wrongly give it
  std::string four_corner;                 ///< "0166.1"
  element_set elements;                    ///< RADKFILE elements, itself included
  int self_element = -1;                   ///< the element that is this kanji itself, if any
  std::vector<std::string> components;     ///< those elements as text, without itself

  [[nodiscard]] bool joyo() const { return grade >= 1 && grade <= 8; }
};

/// KANJIDIC2 and RADKFILE, loaded once and read-only afterwards (safe to share across threads).
/// KANJIDIC2's fields are kept in a table in $XDG_CACHE_HOME/textkit/kanji/ (~/.cache/...),
/// rebuilt when the Debian file changes, so a warm start reads no XML.
class kanji_database {
 public:
  /// Throws textkit::error naming the Debian package when a file is missing, and the file and
  /// line when RADKFILE cannot be read.
  static std::shared_ptr<const kanji_database> load(const std::string& kanjidic,
                                                    const std::string& radkfile);

  /// Index of `kanji` in all(), or npos.
  [[nodiscard]] std::size_t find(char32_t kanji) const;
  [[nodiscard]] const std::vector<kanji_facts>& all() const { return kanji_; }
  [[nodiscard]] const kanji_facts& operator[](std::size_t index) const { return kanji_[index]; }
  /// The jōyō kanji (KANJIDIC2 grades 1-8), in code point order.
  [[nodiscard]] std::vector<std::size_t> joyo() const;
  /// The text of RADKFILE element `element` (a stand-in such as 化 shown as the part it stands
  /// for, 亻).
  [[nodiscard]] const std::string& element_text(std::size_t element) const {
    return elements_[element];
  }
  [[nodiscard]] std::size_t element_count() const { return elements_.size(); }
  /// Strokes of each element, as RADKFILE gives them.
  [[nodiscard]] const std::vector<int>& element_strokes() const { return element_strokes_; }

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

 private:
  std::vector<kanji_facts> kanji_;
  std::unordered_map<char32_t, std::size_t> index_;
  std::vector<std::string> elements_;
  std::vector<int> element_strokes_;
};

/// RADKFILE's element stand-ins: 化 is listed for the 亻 it stands for, 汁 for 氵, and so on.
/// Returns the part itself, or `element` unchanged.
std::string_view radkfile_element_shape(std::string_view element);

/// The character of classical radical `number` (1-214): 149 → 言.
std::string radical_character(int number);

}  // namespace textkit::kanji
