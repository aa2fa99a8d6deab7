// kanji - visual and semantic likeness, and the learning order.
#include "relations.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <queue>
#include <unordered_set>

namespace textkit::kanji {
namespace {

bool is_stop_word(std::string_view word) {
  static const std::unordered_set<std::string_view> stop_words = {
      "a",    "an",        "the",     "of",    "to",     "in",     "on",      "at",
      "by",   "for",       "with",    "from",  "and",    "or",     "as",      "be",
      "is",   "are",       "it",      "its",   "one",    "ones",   "one's",   "oneself",
      "self", "something", "someone", "thing", "things", "up",     "out",     "off",
      "into", "over",      "no",      "not",   "very",   "kokuji", "counter", "radical",
      "used", "use",       "etc",     "sth",   "s",      "also",   "variant", "abbr",
      "make", "do",        "get",     "have",  "go",     "stroke", "strokes", "number",
      "kanji"};
  return stop_words.contains(word);
}

// "1-7-7" → 10707; 0 for none.
int skip_number(std::string_view code) {
  int value = 0;
  for (const char c : code) {
    if (c >= '0' && c <= '9') {
      value = value * 10 + (c - '0');
    } else {
      value *= 10;  // a dash: each part gets two digits
    }
  }
  return value;
}

// "5090.0" → 5090; -1 for none.
int corner_number(std::string_view code) {
  if (code.size() < 4) return -1;
  int value = 0;
  for (const char c : code.substr(0, 4)) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

visual_features features_of(const kanji_database& database, std::size_t kanji) {
  const kanji_facts& facts = database[kanji];
  visual_features f;
  f.parts = facts.elements;
  if (facts.self_element >= 0 && facts.elements.count() > 1) {
    f.parts.reset(static_cast<std::size_t>(facts.self_element));
  }
  f.element_strokes = &database.element_strokes();
  for (std::size_t e = f.parts._Find_first(); e < f.parts.size(); e = f.parts._Find_next(e)) {
    f.weight += (*f.element_strokes)[e];
  }
  f.strokes = facts.strokes;
  f.skip = skip_number(facts.skip);
  f.corner = corner_number(facts.four_corner);
  for (const std::string& code : facts.skip_misclass) {
    if (f.misclass_count < static_cast<int>(f.misclass.size())) {
      f.misclass[static_cast<std::size_t>(f.misclass_count++)] = skip_number(code);
    }
  }
  return f;
}

namespace {

bool misclassified_as(const visual_features& x, int skip) {
  if (skip == 0) return false;
  for (int i = 0; i < x.misclass_count; ++i) {
    if (x.misclass[static_cast<std::size_t>(i)] == skip) return true;
  }
  return false;
}

}  // namespace

double visual_similarity(const visual_features& a, const visual_features& b) {
  const element_set common = a.parts & b.parts;
  int shared = 0;
  for (std::size_t e = common._Find_first(); e < common.size(); e = common._Find_next(e)) {
    shared += (*a.element_strokes)[e];
  }
  const int either = a.weight + b.weight - shared;
  const double overlap = either == 0 ? 0.0 : static_cast<double>(shared) / either;
  const int stroke_gap = std::abs(a.strokes - b.strokes);
  const double strokes = 1.0 / (1.0 + stroke_gap);
  const bool skip = (a.skip != 0 && a.skip == b.skip) || misclassified_as(a, b.skip) ||
                    misclassified_as(b, a.skip);
  const bool corner = a.corner >= 0 && a.corner == b.corner;
  // Component overlap is the main signal; the codes add to it, and on their own (with the same
  // shape of code and nearly the same strokes) they find what RADKFILE keeps atomic: 土 士, 己 已.
  // The same SKIP pattern (left-right, top-bottom, enclosure) with one side of the same strokes,
  // and something in common: the side kept is the shared part (険 検: 1-3-8, 1-4-8).
  const int pattern = a.skip / 10000;
  const bool same_side =
      shared > 0 && pattern >= 1 && pattern <= 3 && pattern == b.skip / 10000 && a.skip != b.skip &&
      ((a.skip / 100) % 100 == (b.skip / 100) % 100 || a.skip % 100 == b.skip % 100);
  const double by_components =
      std::min(1.0, 0.7 * overlap + 0.15 * strokes + 0.1 * ((skip || same_side) ? 1.0 : 0.0) +
                        0.15 * (corner ? 1.0 : 0.0));
  double by_codes = 0;
  if (stroke_gap <= 1 && corner && skip) by_codes = 0.6 + 0.2 * strokes;
  return std::max(by_components, by_codes);
}

double visual_similarity(const kanji_database& database, std::size_t a, std::size_t b) {
  return visual_similarity(features_of(database, a), features_of(database, b));
}

namespace {

// "words" → "word", "cities" → "city", "boxes" → "box": enough to match KANJIDIC2's glosses.
std::string singular(std::string word) {
  if (word.size() > 4 && word.ends_with("ies")) return word.substr(0, word.size() - 3) + "y";
  if (word.size() > 4 && (word.ends_with("ses") || word.ends_with("xes") ||
                          word.ends_with("ches") || word.ends_with("shes"))) {
    return word.substr(0, word.size() - 2);
  }
  if (word.size() > 3 && word.ends_with("s") && !word.ends_with("ss") && !word.ends_with("us") &&
      !word.ends_with("is")) {
    return word.substr(0, word.size() - 1);
  }
  return word;
}

}  // namespace

std::vector<std::string> meaning_words(const kanji_facts& facts) {
  std::vector<std::string> words;
  for (const std::string& meaning : facts.meanings) {
    std::string word;
    int depth = 0;  // inside parentheses: notes such as "(kokuji)" or "(used phonetically)"
    const auto flush = [&] {
      const bool digits =
          std::any_of(word.begin(), word.end(), [](char d) { return d >= '0' && d <= '9'; });
      if (word.size() > 1 && !digits && !is_stop_word(word)) {
        std::string base = singular(word);
        if (std::find(words.begin(), words.end(), base) == words.end()) {
          words.push_back(std::move(base));
        }
      }
      word.clear();
    };
    for (const char c : meaning) {
      if (c == '(') ++depth;
      if (c == ')' && depth > 0) {
        --depth;
        word.clear();
        continue;
      }
      if (depth > 0) continue;
      const auto u = static_cast<unsigned char>(c);
      if (std::isalnum(u) != 0 || c == '\'' || u >= 0x80) {
        word.push_back(static_cast<char>(std::tolower(u)));
      } else {
        flush();
      }
    }
    flush();
  }
  return words;
}

relation_index::relation_index(const kanji_database& database, std::vector<std::size_t> candidates)
    : database_(database), candidates_(std::move(candidates)) {
  for (const std::size_t c : candidates_) {
    for (const std::string& word : meaning_words(database_[c])) by_word_[word].push_back(c);
  }
  for (const std::size_t c : candidates_) norms_.emplace(c, norm(c));
  candidate_features_.reserve(candidates_.size());
  for (const std::size_t c : candidates_) candidate_features_.push_back(features_of(database_, c));
}

double relation_index::norm(std::size_t kanji) const {
  double sum = 0;
  for (const std::string& word : meaning_words(database_[kanji])) {
    const double weight = idf(word);
    sum += weight * weight;
  }
  return std::sqrt(sum);
}

double relation_index::idf(const std::string& word) const {
  const auto found = by_word_.find(word);
  const double df = found == by_word_.end() ? 0.0 : static_cast<double>(found->second.size());
  return std::log((1.0 + static_cast<double>(candidates_.size())) / (1.0 + df)) + 1.0;
}

namespace {

std::vector<scored_kanji> best(std::vector<scored_kanji> all, std::size_t count) {
  const auto better = [](const scored_kanji& x, const scored_kanji& y) {
    return x.score != y.score ? x.score > y.score : x.index < y.index;
  };
  if (all.size() > count) {
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(count), all.end(),
                      better);
    all.resize(count);
  } else {
    std::sort(all.begin(), all.end(), better);
  }
  return all;
}

}  // namespace

std::vector<scored_kanji> relation_index::looks_like(std::size_t kanji, std::size_t count,
                                                     double min_score) const {
  const visual_features own = features_of(database_, kanji);
  std::vector<scored_kanji> found;
  for (std::size_t i = 0; i < candidates_.size(); ++i) {
    if (candidates_[i] == kanji) continue;
    const double score = visual_similarity(own, candidate_features_[i]);
    if (score >= min_score) found.push_back({candidates_[i], score});
  }
  return best(std::move(found), count);
}

std::vector<scored_kanji> relation_index::means_like(std::size_t kanji, std::size_t count,
                                                     double min_score) const {
  std::unordered_map<std::size_t, double> shared;  // candidate → sum of idf² of shared words
  for (const std::string& word : meaning_words(database_[kanji])) {
    const double weight = idf(word);
    const auto found = by_word_.find(word);
    if (found == by_word_.end()) continue;
    for (const std::size_t c : found->second) {
      if (c != kanji) shared[c] += weight * weight;
    }
  }
  std::vector<scored_kanji> out;
  const double own_norm = norm(kanji);
  for (const auto& [c, dot] : shared) {
    const double score = dot / (own_norm * norms_.at(c));
    if (score >= min_score) out.push_back({c, score});
  }
  return best(std::move(out), count);
}

double learning_score(const kanji_facts& facts, std::size_t corpus_count,
                      std::size_t max_corpus_count, const order_weights& weights) {
  // KANJIDIC2 ranks the 2,500 most frequent newspaper kanji.
  const double frequency =
      facts.frequency_rank > 0 ? 1.0 - (facts.frequency_rank - 1) / 2500.0 : 0.0;
  const double jlpt = facts.jlpt > 0 ? facts.jlpt / 4.0 : 0.0;  // 4: the easiest level
  double grade = 0;
  if (facts.grade >= 1 && facts.grade <= 6) grade = (7.0 - facts.grade) / 6.0;
  if (facts.grade == 8) grade = 0.1;  // the rest of jōyō, taught in secondary school
  const double corpus = corpus_count == 0 || max_corpus_count == 0
                            ? 0.0
                            : std::log1p(static_cast<double>(corpus_count)) /
                                  std::log1p(static_cast<double>(max_corpus_count));
  const double total = weights.frequency + weights.jlpt + weights.grade + weights.corpus;
  if (total <= 0) return 0;
  return (weights.frequency * frequency + weights.jlpt * jlpt + weights.grade * grade +
          weights.corpus * corpus) /
         total;
}

std::vector<std::size_t> component_kanji(const kanji_database& database, std::size_t kanji,
                                         const std::vector<std::size_t>& set) {
  std::vector<std::size_t> out;
  const kanji_facts& facts = database[kanji];
  for (const std::string& component : facts.components) {
    for (const std::size_t other : set) {
      if (other != kanji && database[other].text == component) out.push_back(other);
    }
  }
  return out;
}

std::vector<std::size_t> learning_order(const kanji_database& database,
                                        const std::vector<std::size_t>& set,
                                        const std::vector<double>& scores) {
  const std::size_t n = set.size();
  std::unordered_map<std::string, std::size_t> position;  // kanji text → position in set
  for (std::size_t i = 0; i < n; ++i) position.emplace(database[set[i]].text, i);

  std::vector<std::vector<std::size_t>> users(n);  // component → kanji drawn with it
  std::vector<std::size_t> waiting(n, 0);          // components not yet placed
  for (std::size_t i = 0; i < n; ++i) {
    for (const std::string& component : database[set[i]].components) {
      const auto found = position.find(component);
      if (found == position.end() || found->second == i) continue;
      users[found->second].push_back(i);
      ++waiting[i];
    }
  }
  // A component is wanted as early as the best kanji waiting for it: 言 right before 語 when 語
  // scores high, not after everything that outscores 言 alone.
  std::vector<double> priority(scores.begin(), scores.end());
  std::vector<int> state(n, 0);  // 0 new, 1 on the path, 2 done
  const std::function<double(std::size_t)> lift = [&](std::size_t i) {
    if (state[i] != 0) return priority[i];  // done, or a cycle: its own score so far
    state[i] = 1;
    for (const std::size_t user : users[i]) priority[i] = std::max(priority[i], lift(user));
    state[i] = 2;
    return priority[i];
  };
  for (std::size_t i = 0; i < n; ++i) lift(i);

  const auto later = [&](std::size_t x, std::size_t y) {  // priority queue: best on top
    if (priority[x] != priority[y]) return priority[x] < priority[y];
    if (scores[x] != scores[y]) return scores[x] < scores[y];
    return database[set[x]].literal > database[set[y]].literal;
  };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> ready(later);
  for (std::size_t i = 0; i < n; ++i) {
    if (waiting[i] == 0) ready.push(i);
  }
  std::vector<bool> placed(n, false);
  std::vector<std::size_t> order;
  order.reserve(n);
  while (order.size() < n) {
    if (ready.empty()) {  // a cycle: release its best-scored kanji
      std::size_t pick = n;
      for (std::size_t i = 0; i < n; ++i) {
        if (!placed[i] && (pick == n || later(pick, i))) pick = i;
      }
      waiting[pick] = 0;
      ready.push(pick);
    }
    const std::size_t next = ready.top();
    ready.pop();
    if (placed[next]) continue;
    placed[next] = true;
    order.push_back(set[next]);
    for (const std::size_t user : users[next]) {
      if (!placed[user] && waiting[user] > 0 && --waiting[user] == 0) ready.push(user);
    }
  }
  return order;
}

}  // namespace textkit::kanji
