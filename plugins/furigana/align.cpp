// furigana - okurigana split and per-kanji alignment.
#include "align.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "text.h"

namespace textkit::furigana {

std::u32string voiced(std::u32string_view reading) {
  if (reading.empty()) return {};
  const char32_t c = reading[0];
  char32_t v = 0;
  // か..ぽ: the voiced kana follows its plain one (か が, き ぎ, ..., は ば ぱ).
  if ((c >= U'か' && c <= U'ぢ' && (c - U'か') % 2 == 0) ||
      (c >= U'つ' && c <= U'ど' && (c - U'つ') % 2 == 0)) {
    v = c + 1;
  } else if (c >= U'は' && c <= U'ほ' && (c - U'は') % 3 == 0) {
    v = c + 1;
  }
  if (v == 0) return {};
  std::u32string out(reading);
  out[0] = v;
  return out;
}

std::u32string half_voiced(std::u32string_view reading) {
  if (reading.empty()) return {};
  const char32_t c = reading[0];
  if (!(c >= U'は' && c <= U'ほ' && (c - U'は') % 3 == 0)) return {};
  std::u32string out(reading);
  out[0] = c + 2;
  return out;
}

namespace {

struct run {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool kanji = false;
};

std::vector<run> runs_of(std::u32string_view word) {
  std::vector<run> runs;
  runs.reserve(word.size());
  for (std::size_t i = 0; i < word.size(); ++i) {
    const bool k = is_kanji(word[i]);
    if (runs.empty() || runs.back().kanji != k) runs.push_back({i, i, k});
    runs.back().end = i + 1;
  }
  return runs;
}

// Whether `reading` at `at` holds the kana of `word` (katakana matching their hiragana).
bool kana_match(std::u32string_view word, std::u32string_view reading, std::size_t at) {
  if (reading.size() - at < word.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k) {
    char32_t c = word[k];
    if (c == U'ヵ') {
      c = U'か';
    } else if (c == U'ヶ') {
      c = U'け';
    } else if (c >= 0x30A1 && c <= 0x30F4) {
      c -= 0x60;
    }
    if (reading[at + k] != c) return false;
  }
  return true;
}

// Backtracking match of runs[index..] against reading[at..]; `lengths` gets the length of the
// reading of each kanji run.
bool match_runs(const std::vector<run>& runs, std::size_t index, std::u32string_view word,
                std::u32string_view reading, std::size_t at, std::vector<std::size_t>& lengths) {
  if (index == runs.size()) return at == reading.size();
  const run& r = runs[index];
  if (!r.kanji) {
    const std::u32string_view kana = word.substr(r.begin, r.end - r.begin);
    if (!kana_match(kana, reading, at)) return false;
    return match_runs(runs, index + 1, word, reading, at + kana.size(), lengths);
  }
  // A kanji run reads at least one kana. Shortest first: the kana after a run usually starts
  // right where the run's own reading ends.
  for (std::size_t length = 1; at + length <= reading.size(); ++length) {
    lengths.push_back(length);
    if (match_runs(runs, index + 1, word, reading, at + length, lengths)) return true;
    lengths.pop_back();
  }
  return false;
}

}  // namespace

std::optional<std::vector<ruby_part>> split_okurigana(std::u32string_view word,
                                                      std::u32string_view reading) {
  const std::vector<run> runs = runs_of(word);
  std::vector<std::size_t> lengths;
  lengths.reserve(runs.size());
  if (!match_runs(runs, 0, word, reading, 0, lengths)) return std::nullopt;
  // The readings, now that the kanji runs' lengths are known.
  std::vector<ruby_part> parts;
  parts.reserve(lengths.size());
  std::size_t at = 0, kanji_run = 0;
  for (const run& r : runs) {
    if (!r.kanji) {
      at += r.end - r.begin;
      continue;
    }
    const std::size_t length = lengths[kanji_run++];
    parts.push_back({r.begin, r.end, std::u32string(reading.substr(at, length))});
    at += length;
  }
  return parts;
}

namespace {

constexpr double no_path = std::numeric_limits<double>::infinity();

// Costs: a reading from the dictionary is free; variants cost a little so the plain form wins
// ties; a common word kept whole costs more than a clean per-kanji split but less than a guess.
constexpr double cost_variant = 0.25;
constexpr double cost_long_vowel = 1.0;
constexpr double cost_nanori = 2.5;
constexpr double cost_stem = 0.5;     // 取[とり]引[ひき] beats 取引 kept whole
constexpr double cost_learned = 1.5;  // below cost_group + 2 * cost_group_kanji: 余[よ]所[そ]
constexpr double cost_group = 1.0;    // plus cost_group_kanji for each kanji in it, so
constexpr double cost_group_kanji = 0.5;  // 日本+刀 beats 日本刀 as one group
constexpr double cost_free = 3.5;

struct candidate {
  std::u32string reading;
  double cost = 0;
};

void add(std::vector<candidate>& list, std::u32string reading, double cost) {
  if (reading.empty()) return;
  for (candidate& c : list) {
    if (c.reading == reading) {
      c.cost = std::min(c.cost, cost);
      return;
    }
  }
  list.push_back({std::move(reading), cost});
}

// Every way kanji `run[i]` may be read inside the run.
std::vector<candidate> candidates_for(std::u32string_view run, std::size_t i,
                                      const kanji_dictionary& kanji, bool with_stems,
                                      const learned_readings* learned) {
  std::vector<candidate> out;
  const char32_t c = run[i];
  std::vector<std::pair<std::u32string, double>> base;
  if (c == U'ヶ' || c == U'ヵ') {
    for (const auto* r : {U"か", U"が", U"け", U"こ"}) base.emplace_back(r, 0.0);
  } else {
    // 々 repeats the kanji before it.
    const char32_t looked_up = c == U'々' && i > 0 ? run[i - 1] : c;
    if (const auto entry = kanji.find(looked_up)) {
      for (const auto& r : entry->readings) base.emplace_back(r, 0.0);
      for (const auto& r : entry->nanori) base.emplace_back(r, cost_nanori);
      if (with_stems) {
        for (const auto& r : entry->stems) base.emplace_back(r, cost_stem);
      }
    }
    if (learned != nullptr) {
      for (auto& r : learned->find(looked_up)) base.emplace_back(std::move(r), cost_learned);
    }
  }
  const bool last = i + 1 == run.size();
  for (const auto& [r, cost] : base) {
    add(out, r, cost);
    if (i > 0) {
      add(out, voiced(r), cost + cost_variant);
      add(out, half_voiced(r), cost + cost_variant);
    }
    if (!last && r.size() >= 2 &&
        (r.back() == U'つ' || r.back() == U'ち' || r.back() == U'く' || r.back() == U'き')) {
      std::u32string small = r;
      small.back() = U'っ';
      add(out, small, cost + cost_variant);
      if (i > 0) add(out, voiced(small), cost + 2 * cost_variant);
    }
    if (r.size() >= 2 && (r.back() == U'う' || r.back() == U'い')) {
      add(out, r.substr(0, r.size() - 1), cost + cost_long_vowel);
    }
  }
  return out;
}

struct step_choice {
  std::size_t from_i = 0;
  std::size_t from_p = 0;
  int from_free = 0;
  bool pair = false;  // a repeated kanji pair: each takes half the reading
};

}  // namespace

namespace {

struct alignment {
  std::vector<ruby_part> parts;
  double cost = no_path;
};

// The least-cost alignment; cost no_path when there is none.
alignment best_alignment(std::u32string_view run, std::u32string_view reading,
                         const kanji_dictionary& kanji, const word_dictionary* words,
                         bool with_stems, const learned_readings* learned, bool allow_guess) {
  const std::size_t n = run.size(), m = reading.size();
  if (n == 0 || m == 0) return {};
  // best[i][p][f]: least cost to read run[0..i) as reading[0..p) with f free kanji used.
  const auto index = [m](std::size_t i, std::size_t p, int f) {
    return (i * (m + 1) + p) * 2 + static_cast<std::size_t>(f);
  };
  std::vector<double> best((n + 1) * (m + 1) * 2, no_path);
  std::vector<step_choice> came_from(best.size());
  best[index(0, 0, 0)] = 0;
  const auto relax = [&](std::size_t i, std::size_t p, int f, std::size_t j, std::size_t q, int g,
                         double cost, bool pair = false) {
    const double total = best[index(i, p, f)] + cost;
    if (total < best[index(j, q, g)]) {
      best[index(j, q, g)] = total;
      came_from[index(j, q, g)] = {i, p, f, pair};
    }
  };
  for (std::size_t i = 0; i < n; ++i) {
    const std::vector<candidate> readings = candidates_for(run, i, kanji, with_stems, learned);
    for (std::size_t p = 0; p < m; ++p) {
      for (int f = 0; f < 2; ++f) {
        if (best[index(i, p, f)] == no_path) continue;
        const std::u32string_view rest = reading.substr(p);
        for (const candidate& c : readings) {
          if (rest.starts_with(c.reading)) relax(i, p, f, i + 1, p + c.reading.size(), f, c.cost);
        }
        // A repeated kanji (抑抑 そも+そも, 捗捗 はか+ばか) reads twice the same, the second
        // possibly voiced.
        if (i + 1 < n && (run[i + 1] == run[i] || run[i + 1] == U'々')) {
          for (std::size_t half = 1; p + 2 * half <= m; ++half) {
            const std::u32string_view first = rest.substr(0, half),
                                      second = rest.substr(half, half);
            if (second == first || second == voiced(first) || second == half_voiced(first)) {
              relax(i, p, f, i + 2, p + 2 * half, f, cost_variant, true);
            }
          }
        }
        // A common word that reads as a whole (芝生 しばふ).
        if (words != nullptr) {
          for (std::size_t j = i + 2; j <= n; ++j) {
            const auto entries = words->find(run.substr(i, j - i));
            if (!entries) continue;
            for (const word_reading& w : *entries) {
              if (!w.common) continue;
              for (const std::u32string& form :
                   {w.reading, i > 0 ? voiced(w.reading) : std::u32string()}) {
                if (!form.empty() && rest.starts_with(form)) {
                  relax(i, p, f, j, p + form.size(), f,
                        cost_group + cost_group_kanji * static_cast<double>(j - i));
                }
              }
            }
          }
        }
        // One kanji per run may take a reading no dictionary has (御母 お+かあ).
        if (f == 0 && allow_guess) {
          for (std::size_t length = 1; p + length <= m; ++length) {
            relax(i, p, 0, i + 1, p + length, 1, cost_free);
          }
        }
      }
    }
  }
  int final_free = best[index(n, m, 0)] <= best[index(n, m, 1)] ? 0 : 1;
  alignment result;
  result.cost = best[index(n, m, final_free)];
  if (result.cost == no_path) return result;
  std::vector<ruby_part>& parts = result.parts;
  std::size_t i = n, p = m;
  int f = final_free;
  while (i > 0) {
    const step_choice from = came_from[index(i, p, f)];
    const std::u32string part_reading(reading.substr(from.from_p, p - from.from_p));
    if (from.pair) {
      const std::size_t half = part_reading.size() / 2;
      parts.push_back({from.from_i + 1, i, part_reading.substr(half)});
      parts.push_back({from.from_i, from.from_i + 1, part_reading.substr(0, half)});
    } else {
      parts.push_back({from.from_i, i, part_reading});
    }
    i = from.from_i;
    p = from.from_p;
    f = from.from_free;
  }
  std::reverse(parts.begin(), parts.end());
  return result;
}

}  // namespace

std::vector<ruby_part> align_kanji(std::u32string_view run, std::u32string_view reading,
                                   const kanji_dictionary& kanji, const word_dictionary* words,
                                   const learned_readings* learned) {
  std::vector<ruby_part> whole{{0, run.size(), std::u32string(reading)}};
  if (run.size() <= 1 || reading.empty()) return whole;
  alignment found = best_alignment(run, reading, kanji, words, true, learned, true);
  return found.cost == no_path ? whole : std::move(found.parts);
}

bool reads_as(std::u32string_view word, std::u32string_view reading,
              const kanji_dictionary& kanji) {
  const auto parts = split_okurigana(word, reading);
  if (!parts) return false;
  for (const ruby_part& part : *parts) {
    const std::u32string_view run = word.substr(part.begin, part.end - part.begin);
    const alignment found =
        best_alignment(run, part.reading, kanji, nullptr, false, nullptr, false);
    // Dictionary readings and their sound changes only.
    if (found.cost >= cost_long_vowel) return false;
  }
  return true;
}

namespace {

// What kanji `run[free]` must read for the run to read as `reading` when every other kanji takes
// one of its KANJIDIC2 readings or their sound changes; each such leftover once.
void leftovers(std::u32string_view run, std::u32string_view reading, std::size_t free,
               const kanji_dictionary& kanji, std::size_t i, std::size_t p,
               std::u32string_view left, std::set<std::u32string>& out) {
  if (i == run.size()) {
    if (p == reading.size()) out.emplace(left);
    return;
  }
  if (i == free) {
    // Other kanji read one kana at least.
    const std::size_t after = run.size() - i - 1;
    for (std::size_t length = 1; p + length + after <= reading.size(); ++length) {
      leftovers(run, reading, free, kanji, i + 1, p + length, reading.substr(p, length), out);
    }
    return;
  }
  for (const candidate& c : candidates_for(run, i, kanji, true, nullptr)) {
    if (reading.substr(p).starts_with(c.reading)) {
      leftovers(run, reading, free, kanji, i + 1, p + c.reading.size(), left, out);
    }
  }
}

// Greedy count of contexts (the other kanji of a word) that share no kanji, smallest first: a
// lower bound of the largest such set, enough to tell one word's family from several words.
std::size_t disjoint_contexts(std::set<std::u32string>& contexts) {
  std::vector<const std::u32string*> by_size;
  for (const auto& c : contexts) by_size.push_back(&c);
  std::stable_sort(by_size.begin(), by_size.end(),
                   [](const auto* a, const auto* b) { return a->size() < b->size(); });
  std::u32string used;
  std::size_t count = 0;
  for (const auto* c : by_size) {
    if (std::any_of(c->begin(), c->end(),
                    [&](char32_t k) { return used.find(k) != std::u32string::npos; })) {
      continue;
    }
    used += *c;
    ++count;
  }
  return count;
}

constexpr std::size_t min_disjoint_contexts = 3;

// Leftovers that say more about the word than about the kanji: one that cannot start a syllable
// (牌 ーぱい, 手 って: the kanji before took too little), and a reading KANJIDIC2 has with the
// unwritten particle の before it (大和国 やまとのくに: 国 のくに).
bool could_be_learned(const kanji_dictionary& kanji, char32_t k, std::u32string_view reading) {
  if (std::u32string_view(U"っんーゃゅょぁぃぅぇぉ").find(reading.front()) !=
      std::u32string_view::npos) {
    return false;
  }
  if (reading.size() > 1 && reading.front() == U'の') {
    const auto entry = kanji.find(k);
    const std::u32string_view rest = reading.substr(1);
    if (entry &&
        std::find(entry->readings.begin(), entry->readings.end(), rest) != entry->readings.end()) {
      return false;
    }
  }
  return true;
}

std::string learned_table(const std::string& edict_path, const kanji_dictionary& kanji) {
  // (kanji, reading) -> the other kanji of each run that showed it, sorted.
  std::map<std::pair<char32_t, std::u32string>, std::set<std::u32string>> evidence;
  for_each_edict_reading(edict_path, [&](std::u32string_view word, std::u32string_view reading) {
    const auto parts = split_okurigana(word, reading);
    if (!parts) return;
    for (const ruby_part& part : *parts) {
      const std::u32string_view run = word.substr(part.begin, part.end - part.begin);
      // Longer runs are phrases whose leftovers are rarely one kanji's.
      if (run.size() < 2 || run.size() > 4) continue;
      if (best_alignment(run, part.reading, kanji, nullptr, true, nullptr, false).cost != no_path) {
        continue;
      }
      for (std::size_t free = 0; free < run.size(); ++free) {
        if (run[free] == U'々' || !kanji.find(run[free])) continue;
        std::set<std::u32string> found;
        leftovers(run, part.reading, free, kanji, 0, 0, {}, found);
        if (found.size() != 1 || !could_be_learned(kanji, run[free], *found.begin())) continue;
        std::u32string others(run.substr(0, free));
        others += run.substr(free + 1);
        std::sort(others.begin(), others.end());
        evidence[{run[free], *found.begin()}].insert(std::move(others));
      }
    }
  });
  std::string table;
  for (auto& [key, contexts] : evidence) {
    if (disjoint_contexts(contexts) < min_disjoint_contexts) continue;
    // kanji \t reading; std::map's order of code points is the byte order of UTF-8.
    table += to_utf8(std::u32string(1, key.first)) + '\t' + to_utf8(key.second) + '\n';
  }
  return table;
}

}  // namespace

std::shared_ptr<const learned_readings> learned_readings::load(const std::string& edict_path,
                                                               const kanji_dictionary& kanji) {
  auto learned = std::make_shared<learned_readings>();
  // Keyed on EDICT's file only: KANJIDIC2 changes with it, in the same Debian releases.
  learned->table_ = cached_sorted_table("furigana", "kanji-learned-v3", edict_path,
                                        [&] { return learned_table(edict_path, kanji); });
  return learned;
}

std::vector<std::u32string> learned_readings::find(char32_t kanji) const {
  std::vector<std::u32string> out;
  for_each_line_of(table_.lines_of(to_utf8(std::u32string(1, kanji))), [&](std::string_view line) {
    out.push_back(to_code_points(line.substr(line.find('\t') + 1)));
  });
  return out;
}

}  // namespace textkit::furigana
