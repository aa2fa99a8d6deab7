// kanji - relations between kanji: looks alike, means alike, and the order to learn them in.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "kanji_data.h"

namespace textkit::kanji {

struct scored_kanji {
  std::size_t index = 0;  ///< into kanji_database::all()
  double score = 0;
};

/// What visual_similarity() compares, in a form that is cheap to compare (every pair of jōyō
/// kanji is compared for look-alikes).
struct visual_features {
  element_set parts;  ///< its components, or itself when it has none (大, 門)
  int weight = 0;     ///< the strokes of its parts, summed
  const std::vector<int>* element_strokes = nullptr;
  int strokes = 0;
  int skip = 0;     ///< "1-7-7" as 10707; 0 none
  int corner = -1;  ///< the four-corner code's first four digits; -1 none
  std::array<int, 4> misclass{};
  int misclass_count = 0;
};

visual_features features_of(const kanji_database& database, std::size_t kanji);

/// How alike two kanji look, 0-1: the overlap of their RADKFILE components, each weighing its
/// strokes (sharing 門 counts more than sharing 口; a kanji RADKFILE keeps whole, such as 大,
/// counts as its own component, so 犬 and 太 overlap it), closeness in stroke count, and
/// KANJIDIC2's SKIP codes (the same code, or one kanji's recorded misclassification being the
/// other's code) and four-corner codes, which catch pairs RADKFILE keeps atomic (土 士).
double visual_similarity(const visual_features& a, const visual_features& b);
double visual_similarity(const kanji_database& database, std::size_t a, std::size_t b);

/// English meanings as words, stop words and parenthesised notes left out ("(kokuji)").
std::vector<std::string> meaning_words(const kanji_facts& facts);

/// Finds, for a kanji, the most alike among a fixed set of candidates (all jōyō kanji, say).
/// Read-only after construction: safe to share across threads.
class relation_index {
 public:
  relation_index(const kanji_database& database, std::vector<std::size_t> candidates);

  /// Up to `count` candidates that look like `kanji` with a score of at least `min_score`, best
  /// first (itself left out).
  [[nodiscard]] std::vector<scored_kanji> looks_like(std::size_t kanji, std::size_t count,
                                                     double min_score) const;
  /// Up to `count` candidates whose meanings share words with those of `kanji`, weighted by how
  /// rare each word is among the candidates (cosine of idf-weighted word sets).
  [[nodiscard]] std::vector<scored_kanji> means_like(std::size_t kanji, std::size_t count,
                                                     double min_score) const;

 private:
  [[nodiscard]] double idf(const std::string& word) const;
  [[nodiscard]] double norm(std::size_t kanji) const;  // of its idf-weighted meaning words

  const kanji_database& database_;
  std::vector<std::size_t> candidates_;
  std::vector<visual_features> candidate_features_;                    // parallel to candidates_
  std::unordered_map<std::string, std::vector<std::size_t>> by_word_;  // word → candidates
  std::unordered_map<std::size_t, double> norms_;                      // candidate → norm()
};

struct order_weights {
  double frequency = 1;  ///< newspaper frequency rank
  double jlpt = 1;
  double grade = 1;
  double corpus = 1;  ///< occurrences in the user's corpus
};

/// How early a kanji should be learned, 0-1 (1: first): the weighted mean of its newspaper
/// frequency, JLPT level, school grade and frequency in the user's corpus, each scaled to 0-1.
double learning_score(const kanji_facts& facts, std::size_t corpus_count,
                      std::size_t max_corpus_count, const order_weights& weights);

/// The kanji of `set` in learning order: by score, best first, except that a kanji comes after
/// every one of its RADKFILE components that is itself in the set, and a component is taken as
/// early as the best-scored kanji waiting for it. `scores` is parallel to `set`.
/// A cycle among components (none in RADKFILE's jōyō kanji) is broken at its best-scored kanji.
std::vector<std::size_t> learning_order(const kanji_database& database,
                                        const std::vector<std::size_t>& set,
                                        const std::vector<double>& scores);

/// The kanji of `set` that are components of `kanji` (RADKFILE elements written as that kanji).
std::vector<std::size_t> component_kanji(const kanji_database& database, std::size_t kanji,
                                         const std::vector<std::size_t>& set);

}  // namespace textkit::kanji
