// furigana - from a line of text to words with readings: MeCab + IPADIC, then the rules that fix
// what MeCab gets wrong (numbers and counters, compounds it splits, the user's own words), then
// where each reading goes (okurigana, per kanji) and which readings are shown (skip rules).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "align.h"
#include "dictionaries.h"

namespace MeCab {
class Lattice;
class Model;
class Tagger;
}  // namespace MeCab

namespace textkit::furigana {

enum class granularity { word, kanji };

struct annotator_config {
  std::string mecab_dictionary{default_mecab_dictionary};
  granularity split = granularity::word;
  bool join_compounds = true;  ///< re-join what MeCab splits when EDICT has it as a common word
  bool skip_kana = true;       ///< katakana words get no hiragana ruby
  bool skip_numbers = true;    ///< numbers written in digits get no ruby
  bool pronunciation = true;   ///< keep MeCab's pronunciation (romaji needs it; others do not)
  std::unordered_set<char32_t> known_kanji;                       ///< shown without ruby
  std::unordered_map<std::u32string, std::u32string> user_words;  ///< word → hiragana reading
  std::shared_ptr<const kanji_dictionary> kanji;                  ///< needed for granularity kanji
  std::shared_ptr<const word_dictionary> words;                   ///< needed for join_compounds
  std::shared_ptr<const learned_readings> learned;  ///< for granularity kanji; may be null
};

/// One word of the text, or a piece between words (spaces, text MeCab leaves out).
struct word {
  std::u32string surface;
  std::u32string reading;        ///< hiragana; empty when unknown or not Japanese
  std::u32string pronunciation;  ///< katakana with ー for long vowels (for romaji); may be empty
  std::vector<ruby_part> ruby;   ///< the readings to show, over code points of `surface`
  /// IPADIC part of speech ("名詞", "助詞", ...); empty: a gap. Views of MeCab's dictionary (or of
  /// string literals), valid as long as the annotator that made the word: compared for every word
  /// by the rules, and a view compares and moves at no cost.
  std::string_view pos;
  std::string_view pos_detail;  ///< its first subdivision ("数", "接尾", ...)
  std::u32string base;          ///< a verb's dictionary form (IPADIC's base form); else empty
  bool japanese = false;        ///< has kana or kanji
  bool fixed = false;           ///< reading set by a rule here; later rules leave it alone
  /// For a word joined from MeCab's tokens by EDICT: each token's length and MeCab reading, so the
  /// new reading can go back over them when it splits cleanly (日本+人 にほん+じん).
  std::vector<std::pair<std::size_t, std::u32string>> pieces;
};

/// Annotates text. Thread-safe: MeCab's model and tagger are shared read-only and each call parses
/// in a lattice of its own.
class annotator {
 public:
  /// Loads MeCab with the dictionary named in `config`; throws textkit::error naming the Debian
  /// package when it is missing.
  explicit annotator(annotator_config config);
  ~annotator();
  annotator(const annotator&) = delete;
  annotator& operator=(const annotator&) = delete;

  /// The words of `line` (valid UTF-8, no line break), in order; their surfaces concatenate to
  /// `line`.
  [[nodiscard]] std::vector<word> annotate(std::string_view line) const;

  [[nodiscard]] const annotator_config& config() const { return config_; }

 private:
  std::unique_ptr<MeCab::Lattice> take_lattice() const;
  void give_back(std::unique_ptr<MeCab::Lattice> lattice) const;
  std::vector<word> annotate_region(std::string_view text) const;
  std::vector<word> tokenize(std::string_view line) const;
  void apply_user_words(std::vector<word>& words) const;
  void read_numbers(std::vector<word>& words) const;
  void join_compounds(std::vector<word>& words) const;
  void place_ruby(word& w) const;
  [[nodiscard]] std::vector<ruby_part> ruby_over_pieces(const word& w) const;
  void read_prefixed_verbs(std::vector<word>& words) const;
  void read_compound_verbs(std::vector<word>& words) const;
  [[nodiscard]] std::u32string without_final_okurigana(std::u32string_view run) const;
  [[nodiscard]] std::optional<std::size_t> suffix_recut(std::u32string_view lone,
                                                        std::u32string_view lone_reading,
                                                        std::u32string_view noun,
                                                        std::u32string_view noun_reading) const;
  void recut_before_suffixes(std::vector<word>& words) const;
  [[nodiscard]] static std::vector<ruby_part> split_noun_suffix(std::u32string_view run,
                                                                std::u32string_view reading);
  [[nodiscard]] std::vector<ruby_part> split_compound(std::u32string_view run,
                                                      std::u32string_view reading) const;
  void prefer_common_readings(std::vector<word>& words) const;
  static void read_by_context(std::vector<word>& words);
  void read_repeat_marks(std::vector<word>& words) const;
  [[nodiscard]] std::u32string unknown_word_reading(std::u32string_view surface,
                                                    std::u32string_view kana_after) const;

  annotator_config config_;
  std::unique_ptr<MeCab::Model> model_;
  std::unique_ptr<MeCab::Tagger> tagger_;
  // Declared after the model: lattices go before the model they came from.
  mutable std::mutex pool_lock_;
  mutable std::vector<std::unique_ptr<MeCab::Lattice>> lattice_pool_;
};

}  // namespace textkit::furigana
