// furigana - MeCab analysis and the reading rules.
#include "annotator.h"

#include <mecab.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "numbers.h"
#include "text.h"
#include "textkit/error.h"

namespace textkit::furigana {
namespace {

// IPADIC's features: part of speech, three subdivisions, conjugation type and form, base form,
// reading, pronunciation. Fixed size: this runs for every word, and a vector would allocate.
struct features {
  std::array<std::string_view, 9> field;
  std::size_t count = 0;
};

features split_features(std::string_view feature) {
  // One pass over the bytes, eight at a time where it can: the fields are short, mostly
  // multi-byte text, and a search per field costs more.
  features out;
  std::size_t start = 0;
  const auto comma_at = [&](std::size_t i) {
    out.field[out.count++] = feature.substr(start, i - start);
    start = i + 1;
    return out.count == out.field.size();
  };
  std::size_t i = 0;
  if constexpr (std::endian::native == std::endian::little) {
    constexpr std::uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL;
    constexpr std::uint64_t commas = 0x2C2C2C2C2C2C2C2CULL;
    for (; i + 8 <= feature.size(); i += 8) {
      std::uint64_t chunk = 0;
      std::memcpy(&chunk, feature.data() + i, 8);
      const std::uint64_t x = chunk ^ commas;  // a zero byte where a comma is
      // The high bit of each byte of x that is zero (exact: no carry crosses bytes).
      std::uint64_t found = ~(((x & low7) + low7) | x | low7);
      while (found != 0) {
        if (comma_at(i + static_cast<std::size_t>(std::countr_zero(found)) / 8)) return out;
        found &= found - 1;
      }
    }
  }
  for (; i < feature.size(); ++i) {
    if (feature[i] == ',' && comma_at(i)) return out;
  }
  out.field[out.count++] = feature.substr(start);
  return out;
}

// `text` is the one character `c` (a comparison the rules make for every word: a size test
// first, where comparing with a string literal measures the literal each time).
bool is_one(std::u32string_view text, char32_t c) { return text.size() == 1 && text[0] == c; }

bool all_kana(std::u32string_view text) {
  return std::all_of(text.begin(), text.end(), [](char32_t c) { return is_kana(c); }) &&
         !text.empty();
}

bool all_kanji(std::u32string_view text) {
  return std::all_of(text.begin(), text.end(), [](char32_t c) { return is_kanji(c); }) &&
         !text.empty();
}

bool is_japanese(std::u32string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char32_t c) { return is_kana(c) || is_kanji(c); });
}

// Tokens [from, to) may make one of EDICT's rare words: nouns, maybe after a prefix (小悪魔) or a
// verb's stem (持ち札 もちふだ).
bool rare_compound(const std::vector<word>& words, std::size_t from, std::size_t to) {
  const std::string_view first = words[from].pos;
  if (first != "名詞" && first != "接頭詞" && first != "動詞") return false;
  for (std::size_t k = from + 1; k < to; ++k) {
    if (words[k].pos != "名詞") return false;
  }
  return true;
}

word merged(const std::vector<word>& words, std::size_t from, std::size_t to,
            std::u32string reading) {
  word out;
  for (std::size_t k = from; k < to; ++k) out.surface += words[k].surface;
  out.pos = words[from].pos;
  out.pos_detail = words[from].pos_detail;
  out.japanese = true;
  out.fixed = true;
  out.pronunciation = to_katakana(reading);
  out.reading = std::move(reading);
  return out;
}

}  // namespace

annotator::annotator(annotator_config config) : config_(std::move(config)) {
  const std::filesystem::path dictionary(config_.mecab_dictionary);
  if (!std::filesystem::exists(dictionary / "sys.dic")) {
    throw error("MeCab dictionary not found at " + config_.mecab_dictionary +
                ": install the Debian package mecab-ipadic-utf8 (apt-get install "
                "mecab-ipadic-utf8), or set \"mecab_dictionary\" to an IPADIC folder");
  }
  // The dictionary is always named, and no mecabrc is read: a system default set by another
  // dictionary package (mecab-naist-jdic makes itself the default) must not change readings.
  // MeCab wants some rc file: the dictionary's own dicrc, which it reads after the rc file anyway.
  // (/dev/null was used, until a machine where it had become a regular file with text in it made
  // MeCab refuse to start.)
  std::string rc_file = (dictionary / "dicrc").string();
  if (!std::filesystem::is_regular_file(rc_file)) rc_file = "/dev/null";
  std::string dictionary_option = config_.mecab_dictionary;
  std::vector<char*> argv{const_cast<char*>("mecab"), const_cast<char*>("-r"), rc_file.data(),
                          const_cast<char*>("-d"), dictionary_option.data()};
  model_.reset(MeCab::createModel(static_cast<int>(argv.size()), argv.data()));
  if (!model_) {
    throw error("MeCab cannot load the dictionary at " + config_.mecab_dictionary + ": " +
                MeCab::getLastError());
  }
  tagger_.reset(model_->createTagger());
  if (!tagger_) throw error(std::string("MeCab: ") + MeCab::getLastError());
}

annotator::~annotator() = default;

// Lattices are per call (the model and tagger are shared), but making one for every line costs
// more than parsing a short line: finished ones wait in a pool for the next call.
std::unique_ptr<MeCab::Lattice> annotator::take_lattice() const {
  {
    const std::lock_guard<std::mutex> guard(pool_lock_);
    if (!lattice_pool_.empty()) {
      std::unique_ptr<MeCab::Lattice> lattice = std::move(lattice_pool_.back());
      lattice_pool_.pop_back();
      return lattice;
    }
  }
  std::unique_ptr<MeCab::Lattice> lattice(model_->createLattice());
  if (!lattice) throw error(std::string("MeCab: ") + MeCab::getLastError());
  return lattice;
}

void annotator::give_back(std::unique_ptr<MeCab::Lattice> lattice) const {
  const std::lock_guard<std::mutex> guard(pool_lock_);
  lattice_pool_.push_back(std::move(lattice));
}

std::vector<word> annotator::tokenize(std::string_view line) const {
  std::vector<word> words;
  words.reserve(line.size() / 3 + 4);
  // Back to the pool on every way out, exceptions included.
  const auto give = [this](MeCab::Lattice* l) { give_back(std::unique_ptr<MeCab::Lattice>(l)); };
  const std::unique_ptr<MeCab::Lattice, decltype(give)> lattice(take_lattice().release(), give);
  lattice->clear();
  lattice->set_sentence(line.data(), line.size());
  if (!tagger_->parse(lattice.get())) throw error(std::string("MeCab: ") + lattice->what());
  const char* begin = lattice->sentence();
  std::size_t at = 0;
  const auto add_gap = [&](std::size_t until) {
    if (until <= at) return;
    word gap;
    gap.surface = to_code_points(line.substr(at, until - at));
    gap.japanese = is_japanese(gap.surface);
    words.push_back(std::move(gap));
  };
  for (const MeCab::Node* node = lattice->bos_node(); node != nullptr; node = node->next) {
    if (node->stat == MECAB_BOS_NODE || node->stat == MECAB_EOS_NODE || node->length == 0) continue;
    const auto start = static_cast<std::size_t>(node->surface - begin);
    if (start < at || start + node->length > line.size()) continue;  // defensive
    add_gap(start);
    word& w = words.emplace_back();  // filled in place: a word is large to move
    w.surface = to_code_points(line.substr(start, node->length));
    w.japanese = is_japanese(w.surface);
    const features f = split_features(node->feature);
    if (f.count > 0) w.pos = f.field[0];
    if (f.count > 1) w.pos_detail = f.field[1];
    if (w.pos == "動詞" && f.count > 6 && f.field[6] != "*") w.base = to_code_points(f.field[6]);
    // Punctuation and symbols read as themselves: no reading needed.
    if (w.japanese && f.count > 7 && f.field[7] != "*") {
      w.reading = hiragana_code_points(f.field[7]);
      if (!all_kana(w.reading)) w.reading.clear();
    }
    if (config_.pronunciation && f.count > 8 && f.field[8] != "*" && !w.reading.empty()) {
      w.pronunciation = to_code_points(f.field[8]);
    }
    at = start + node->length;
  }
  add_gap(line.size());
  return words;
}

void annotator::apply_user_words(std::vector<word>& words) const {
  if (config_.user_words.empty()) return;
  // The user's words replace the tokens they cover exactly, longest first; a user word that
  // straddles MeCab's boundaries is matched by re-joining whole tokens too (names MeCab cuts).
  std::size_t longest = 0;
  for (const auto& [w, r] : config_.user_words) longest = std::max(longest, w.size());
  std::vector<word> out;
  for (std::size_t i = 0; i < words.size();) {
    std::size_t best_end = 0;
    const std::u32string* best_reading = nullptr;
    std::u32string joined;
    for (std::size_t j = i; j < words.size() && joined.size() < longest; ++j) {
      joined += words[j].surface;
      if (const auto it = config_.user_words.find(joined); it != config_.user_words.end()) {
        best_end = j + 1;
        best_reading = &it->second;
      }
    }
    if (best_reading == nullptr) {
      out.push_back(std::move(words[i]));
      ++i;
      continue;
    }
    out.push_back(merged(words, i, best_end, *best_reading));
    out.back().pos = "名詞";
    i = best_end;
  }
  words = std::move(out);
}

namespace {

// Replaces each word that `split_at` cuts (at a position > 0) by its number and its counter,
// nouns of their own; `number_is_japanese` says whether the number gets a reading.
template <typename split_function>
void split_number_from_counter(std::vector<word>& words, split_function split_at,
                               bool number_is_japanese) {
  if (std::none_of(words.begin(), words.end(), [&](const word& w) { return split_at(w) != 0; }))
    return;
  std::vector<word> out;
  for (word& w : words) {
    const std::size_t n = split_at(w);
    if (n == 0) {
      out.push_back(std::move(w));
      continue;
    }
    word number;
    number.surface = w.surface.substr(0, n);
    number.pos = "名詞";
    number.pos_detail = "数";
    number.japanese = number_is_japanese;
    word counter;
    counter.surface = w.surface.substr(n);
    counter.pos = "名詞";
    counter.pos_detail = "接尾";
    counter.japanese = true;
    out.push_back(std::move(number));
    out.push_back(std::move(counter));
  }
  words = std::move(out);
}

// MeCab keeps some digits and their counter as one word (３月): split them, so the number and the
// counter are read (and skipped) like the others.
void split_digit_counters(std::vector<word>& words) {
  const auto split_at = [](const word& w) -> std::size_t {
    if (w.fixed || w.surface.empty() || !is_digit(w.surface[0]) || !has_kanji(w.surface)) return 0;
    std::size_t digits = 0;
    while (digits < w.surface.size() && is_digit(w.surface[digits])) ++digits;
    if (digits == w.surface.size() || !is_counter(std::u32string_view(w.surface).substr(digits)))
      return 0;
    return digits;
  };
  split_number_from_counter(words, split_at, false);
}

// MeCab keeps some numbers of two kanji or more and their counter as one word (十一月): split them
// as the digits above, so that number and counter each get their ruby as when MeCab splits them
// (三十 + 本), where the compound rule would cut the run elsewhere (十 + 一月). Only where the
// counter rules give MeCab's own reading: words that do not split (二十日 はつか) stay whole, and
// so do the words of one numeral (一番, 九月), one ruby as other words of two kanji.
void split_numeral_counters(std::vector<word>& words) {
  const auto split_at = [](const word& w) -> std::size_t {
    if (w.fixed || w.pos != "名詞" || w.surface.size() < 3 || is_digit(w.surface[0])) return 0;
    std::size_t n = 0;
    while (n < w.surface.size() && is_number_char(w.surface[n])) ++n;
    if (n < 2 || n == w.surface.size()) return 0;
    const std::u32string_view surface = w.surface;
    const std::u32string_view counter = surface.substr(n);
    if (!is_counter(counter)) return 0;
    const auto reading = read_number(surface.substr(0, n), counter, false);
    if (!reading || !reading->whole.empty() || reading->number + reading->counter != w.reading) {
      return 0;
    }
    return n;
  };
  split_number_from_counter(words, split_at, true);
}

// A word MeCab keeps whole that is two numbers or more, each with its counter (五十歩百歩): split
// into numbers and counters like the one above (五十[ごじゅっ]歩[ぽ]百[ひゃっ]歩[ぽ]), where the
// counter rules read every pair as MeCab reads the whole; any other word stays as it is
// (十人十色 じゅうにんといろ: 色 is no counter).
std::vector<std::pair<std::size_t, std::size_t>> counter_groups(const word& w) {
  std::vector<std::pair<std::size_t, std::size_t>> groups;  // (number end, counter end)
  if (w.fixed || w.pos != "名詞" || w.surface.size() < 4 || !is_number_char(w.surface[0])) {
    return groups;
  }
  const std::u32string_view surface = w.surface;
  std::u32string reading;
  for (std::size_t i = 0; i < surface.size();) {
    std::size_t n = i;
    while (n < surface.size() && is_number_char(surface[n])) ++n;
    std::size_t c = n;
    while (c < surface.size() && !is_number_char(surface[c])) ++c;
    const std::u32string_view counter = surface.substr(n, c - n);
    if (n == i || c == n || !is_counter(counter)) return {};
    const auto read = read_number(surface.substr(i, n - i), counter, false);
    if (!read || !read->whole.empty() || read->counter.empty()) return {};
    reading += read->number + read->counter;
    groups.emplace_back(n, c);
    i = c;
  }
  if (groups.size() < 2 || reading != w.reading) return {};
  return groups;
}

void split_counter_groups(std::vector<word>& words) {
  if (std::none_of(words.begin(), words.end(),
                   [](const word& w) { return !counter_groups(w).empty(); })) {
    return;
  }
  std::vector<word> out;
  for (word& w : words) {
    const auto groups = counter_groups(w);
    if (groups.empty()) {
      out.push_back(std::move(w));
      continue;
    }
    std::size_t begin = 0;
    for (const auto& [number_end, counter_end] : groups) {
      word number;
      number.surface = w.surface.substr(begin, number_end - begin);
      number.pos = "名詞";
      number.pos_detail = "数";
      number.japanese = true;
      word counter;
      counter.surface = w.surface.substr(number_end, counter_end - number_end);
      counter.pos = "名詞";
      counter.pos_detail = "接尾";
      counter.japanese = true;
      out.push_back(std::move(number));
      out.push_back(std::move(counter));
      begin = counter_end;
    }
  }
  words = std::move(out);
}

// 月 on its own (after digits: 3 + 月) or with its numerals (三月, 十一月, which MeCab keeps
// whole).
bool is_month(std::u32string_view surface) {
  if (surface.empty() || surface.back() != U'月') return false;
  return surface.size() == 1 || is_number(surface.substr(0, surface.size() - 1));
}

word number_word(std::u32string surface, std::u32string reading, std::string_view detail) {
  word out;
  out.surface = std::move(surface);
  out.pos = "名詞";
  out.pos_detail = detail;
  out.japanese = true;
  out.fixed = true;
  out.pronunciation = to_katakana(reading);
  out.reading = std::move(reading);
  return out;
}

}  // namespace

void annotator::read_numbers(std::vector<word>& words) const {
  split_digit_counters(words);
  split_numeral_counters(words);
  split_counter_groups(words);
  const auto number_token = [&](std::size_t k) {
    return k < words.size() && !words[k].fixed && is_number(words[k].surface) &&
           (words[k].pos_detail == "数" || is_digit(words[k].surface[0]));
  };
  // 何 before a numeral or a counter counts like a number (何百 なんびゃく, 何本 なんぼん).
  const auto how_many = [&](std::size_t i) {
    return i + 1 < words.size() && is_one(words[i].surface, U'何') &&
           (number_token(i + 1) || is_counter(words[i + 1].surface) ||
            (i + 2 < words.size() && is_counter(words[i + 1].surface + words[i + 2].surface)));
  };
  // Most lines have no number: they are left as they are, without moving their words.
  std::size_t first = 0;
  while (first < words.size() && !number_token(first) && !how_many(first)) ++first;
  if (first == words.size()) return;
  std::vector<word> out;
  out.reserve(words.size() + 2);
  for (std::size_t i = 0; i < first; ++i) out.push_back(std::move(words[i]));
  for (std::size_t i = first; i < words.size();) {
    const bool how_many_here = how_many(i);
    if (!number_token(i) && !how_many_here) {
      out.push_back(std::move(words[i]));
      ++i;
      continue;
    }
    std::size_t end = i;
    std::u32string number;
    if (how_many_here) number += words[end++].surface;
    while (number_token(end)) number += words[end++].surface;
    // The counter: one token (本, ヶ月) or two MeCab split (か + 月).
    std::size_t counter_end = end;
    std::u32string counter;
    if (end < words.size() && !words[end].fixed) {
      if (end + 1 < words.size() && is_counter(words[end].surface + words[end + 1].surface)) {
        counter = words[end].surface + words[end + 1].surface;
        counter_end = end + 2;
      } else if (is_counter(words[end].surface)) {
        counter = words[end].surface;
        counter_end = end + 1;
      }
    }
    // Two numerals in a row, one more than the other, are "one or two": each read on its own
    // (一二歩 いち + に + ほ), not as twelve.
    if (const auto approximate = read_approximate(number, counter)) {
      out.push_back(number_word(number.substr(0, 1), approximate->first, "数"));
      out.push_back(number_word(number.substr(1), approximate->second, "数"));
      if (counter_end > end) out.push_back(number_word(counter, approximate->counter, "接尾"));
      i = counter_end;
      continue;
    }
    const bool after_month = !out.empty() && is_month(out.back().surface);
    const std::optional<counted_reading> reading = read_number(number, counter, after_month);
    if (!reading) {
      for (std::size_t k = i; k < end; ++k) out.push_back(std::move(words[k]));
      i = end;
      continue;
    }
    if (!reading->whole.empty()) {
      out.push_back(merged(words, i, counter_end, reading->whole));
      for (std::size_t k = i; k < counter_end; ++k) {
        out.back().pieces.emplace_back(words[k].surface.size(), words[k].reading);
      }
      i = counter_end;
      continue;
    }
    out.push_back(merged(words, i, end, reading->number));
    out.back().pos_detail = "数";
    if (counter_end > end) {
      out.push_back(merged(words, end, counter_end, reading->counter));
      out.back().pos_detail = "接尾";
    }
    i = counter_end;
  }
  words = std::move(out);
}

std::u32string annotator::without_final_okurigana(std::u32string_view run) const {
  // Nouns made of a verb's stem are often written without its last kana (綿入 for 綿入れ
  // わたいれ, 手当 for 手当て): a run of kanji EDICT lacks reads as the word it has with one of
  // the kana a stem ends in, when EDICT gives that word one reading (or one common reading).
  if (!all_kanji(run) || !config_.words->has_word_starting(run)) return {};
  for (const char32_t kana : std::u32string_view(U"れりしけえきちみいひ")) {
    std::u32string spelled(run);
    spelled += kana;
    if (auto reading = config_.words->one_reading(spelled)) return std::move(*reading);
  }
  return {};
}

void annotator::read_compound_verbs(std::vector<word>& words) const {
  if (!config_.words) return;
  // A verb's stem and a verb in kana after it (潜り + こむ) that EDICT has together as one verb
  // with one reading (潜りこむ もぐりこむ): the stem takes its part of that reading, where MeCab
  // reads the stem on its own (くぐり).
  for (std::size_t k = 0; k + 1 < words.size(); ++k) {
    word& stem = words[k];
    const word& next = words[k + 1];
    if (stem.fixed || stem.pos != "動詞" || !has_kanji(stem.surface) || stem.reading.empty() ||
        !is_hiragana(stem.surface.back()) || next.pos != "動詞" || next.base.empty() ||
        !is_kana_only(next.surface)) {
      continue;
    }
    const auto reading = config_.words->one_reading(stem.surface + next.base);
    if (!reading || reading->size() <= next.base.size() || !reading->ends_with(next.base)) {
      continue;
    }
    std::u32string own = reading->substr(0, reading->size() - next.base.size());
    if (own == stem.reading) continue;
    stem.reading = std::move(own);
    stem.pronunciation = to_katakana(stem.reading);
    stem.fixed = true;
  }
  read_prefixed_verbs(words);
}

void annotator::read_prefixed_verbs(std::vector<word>& words) const {
  // A kanji before a verb that EDICT has together as one verb with one reading (相 + 通じる:
  // EDICT 相通ずる あいつうずる, a 〜じる verb also written 〜ずる): the kanji takes its part of
  // that reading, where MeCab reads it as a suffix on its own (相 しょう).
  const auto kana_tail = [](std::u32string_view text) {
    std::size_t n = text.size();
    while (n > 0 && is_hiragana(text[n - 1])) --n;
    return n;
  };
  for (std::size_t k = 0; k + 1 < words.size(); ++k) {
    word& before = words[k];
    const word& verb = words[k + 1];
    if (before.fixed || before.surface.size() != 1 || !all_kanji(before.surface) ||
        (before.pos != "名詞" && before.pos != "接頭詞") || before.reading.empty() ||
        verb.pos != "動詞" || verb.base.empty() || !has_kanji(verb.base) || verb.reading.empty()) {
      continue;
    }
    // The reading of the verb's kanji: its reading without the kana after them.
    const std::size_t kanji_end = kana_tail(verb.surface);
    const std::size_t okurigana = verb.surface.size() - kanji_end;
    if (kanji_end == 0 || verb.reading.size() <= okurigana) continue;
    const std::u32string kanji_reading = verb.reading.substr(0, verb.reading.size() - okurigana);
    std::vector<std::u32string> spellings{before.surface + verb.base};
    if (verb.base.ends_with(U"じる")) {
      spellings.push_back(spellings.front().substr(0, spellings.front().size() - 2) + U"ずる");
    }
    for (const std::u32string& spelled : spellings) {
      const auto found = config_.words->one_reading(spelled);
      if (!found) continue;
      const std::u32string& reading = *found;
      const std::size_t tail = spelled.size() - kana_tail(spelled);
      if (reading.size() <= tail + kanji_reading.size()) break;
      const std::u32string_view head =
          std::u32string_view(reading).substr(0, reading.size() - tail);
      if (!head.ends_with(kanji_reading)) break;
      before.reading = std::u32string(head.substr(0, head.size() - kanji_reading.size()));
      before.pronunciation = to_katakana(before.reading);
      before.fixed = true;
      break;
    }
  }
}

void annotator::join_compounds(std::vector<word>& words) const {
  if (!config_.join_compounds || !config_.words) return;
  constexpr std::size_t max_tokens = 4;
  // Most lines have no two kanji words side by side: nothing to join.
  bool adjacent = false;
  for (std::size_t i = 0; i + 1 < words.size() && !adjacent; ++i) {
    adjacent = has_kanji(words[i].surface) && has_kanji(words[i + 1].surface);
  }
  if (!adjacent) return;
  std::vector<word> out;  // made at the first join: most lines have none
  bool any_joined = false;
  for (std::size_t i = 0; i < words.size();) {
    bool joined = false;
    // Longest first; only tokens with a kanji, which MeCab may have cut inside a word.
    std::size_t limit = i;
    while (limit < words.size() && limit - i < max_tokens && !words[limit].fixed &&
           has_kanji(words[limit].surface) && !words[limit].reading.empty()) {
      ++limit;
    }
    for (std::size_t end = limit; end >= i + 2 && !joined; --end) {
      std::u32string surface;
      for (std::size_t k = i; k < end; ++k) surface += words[k].surface;
      // Every way to join below needs an EDICT word starting with the tokens (the word itself, or
      // it with a kana after): one look-up rules most spans out.
      if (!config_.words->has_word_starting(surface)) continue;
      std::u32string reading;
      for (std::size_t k = i; k < end; ++k) reading += words[k].reading;
      std::u32string whole;
      if (const auto entries = config_.words->find(surface); entries && !entries->empty()) {
        if (!entries->front().common) continue;
        const bool agrees =
            std::any_of(entries->begin(), entries->end(),
                        [&](const word_reading& r) { return r.reading == reading; });
        if (agrees) break;  // MeCab's parts already read as the word does: keep the finer ruby
        whole = entries->front().reading;
      } else if (const auto rare = config_.words->find_rare(surface)) {
        if (*rare == reading) break;
        // A word EDICT knows only as rare, with one reading (卑怯者 ひきょうもの, 小悪魔 こあくま):
        // only noun compounds, so that a verb and the noun after it stay apart.
        if (!rare_compound(words, i, end)) continue;
        whole = *rare;
      } else if (const auto spelled = without_final_okurigana(surface);
                 !spelled.empty() && rare_compound(words, i, end)) {
        whole = spelled;
      } else {
        continue;
      }
      if (!any_joined) {
        any_joined = true;
        out.reserve(words.size());
        std::move(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(i),
                  std::back_inserter(out));
      }
      out.push_back(merged(words, i, end, std::move(whole)));
      for (std::size_t k = i; k < end; ++k) {
        out.back().pieces.emplace_back(words[k].surface.size(), words[k].reading);
      }
      i = end;
      joined = true;
    }
    if (!joined) {
      if (any_joined) out.push_back(std::move(words[i]));
      ++i;
    }
  }
  if (any_joined) words = std::move(out);
}

std::vector<ruby_part> annotator::ruby_over_pieces(const word& w) const {
  if (w.pieces.size() < 2 || !config_.kanji) return {};
  // Each piece keeps its MeCab reading (free), or takes one its kanji give (cost 1); one piece
  // may take whatever is left (cost 3). The cheapest way that reads the whole word wins.
  const std::u32string_view reading = w.reading;
  struct choice {
    int cost = 1000;
    std::vector<std::u32string> readings;
  };
  const auto search = [&](auto&& self, std::size_t piece, std::size_t begin, std::size_t at,
                          bool guessed) -> choice {
    if (piece == w.pieces.size()) {
      return at == reading.size() ? choice{0, {}} : choice{};
    }
    const auto& [length, own] = w.pieces[piece];
    const std::u32string_view surface = std::u32string_view(w.surface).substr(begin, length);
    choice best;
    const bool last = piece + 1 == w.pieces.size();
    for (std::size_t size = 1; at + size <= reading.size(); ++size) {
      if (last && at + size != reading.size()) continue;
      const std::u32string_view candidate = reading.substr(at, size);
      int cost = 0;
      if (candidate == own) {
        cost = 0;
      } else if (reads_as(surface, candidate, *config_.kanji)) {
        cost = 1;
      } else if (!guessed) {
        cost = 3;
      } else {
        continue;
      }
      choice rest = self(self, piece + 1, begin + length, at + size, guessed || cost == 3);
      if (rest.cost + cost < best.cost) {
        best.cost = rest.cost + cost;
        best.readings = {std::u32string(candidate)};
        best.readings.insert(best.readings.end(), rest.readings.begin(), rest.readings.end());
      }
    }
    return best;
  };
  const choice found = search(search, 0, 0, 0, false);
  if (found.cost >= 1000) return {};
  std::vector<ruby_part> parts;
  std::size_t begin = 0;
  for (std::size_t k = 0; k < w.pieces.size(); ++k) {
    const std::size_t length = w.pieces[k].first;
    const std::u32string_view surface = std::u32string_view(w.surface).substr(begin, length);
    if (auto split = split_okurigana(surface, found.readings[k])) {
      for (ruby_part part : *split) {
        part.begin += begin;
        part.end += begin;
        parts.push_back(std::move(part));
      }
    } else {
      parts.push_back({begin, begin + length, found.readings[k]});
    }
    begin += length;
  }
  return parts;
}

void annotator::prefer_common_readings(std::vector<word>& words) const {
  if (!config_.words) return;
  for (word& w : words) {
    // Whole nouns of two characters or more: a single kanji or a suffix (者 しゃ) reads by context.
    if (w.fixed || w.pos != "名詞" || w.pos_detail == "接尾" || w.surface.size() < 2 ||
        w.reading.empty() || !has_kanji(w.surface)) {
      continue;
    }
    // Only when MeCab chose a rare reading and EDICT marks exactly one reading as common
    // (日本 にっぽん → にほん); where several are common (皆 みな/みんな) context decides.
    auto common = config_.words->common_instead_of(w.surface, w.reading);
    if (!common) continue;
    w.reading = std::move(*common);
    w.pronunciation = to_katakana(w.reading);
  }
}

namespace {

// Sino-Japanese suffixes that make a noun of a noun (JUMAN's 名詞性名詞接尾辞, IPADIC's
// 名詞,接尾), with their suffix reading: 黄熱病 is 黄熱 + 病 びょう. Kanji that also start a
// word with what comes before them are left out (不動産, 一酸化, 諸外国, 未亡人, 無気力).
constexpr std::pair<char32_t, std::u32string_view> noun_suffixes[] = {
    {U'者', U"しゃ"}, {U'派', U"は"},   {U'戦', U"せん"}, {U'病', U"びょう"}, {U'性', U"せい"},
    {U'的', U"てき"}, {U'家', U"か"},   {U'界', U"かい"}, {U'論', U"ろん"},   {U'学', U"がく"},
    {U'式', U"しき"}, {U'率', U"りつ"}, {U'権', U"けん"}, {U'費', U"ひ"},     {U'感', U"かん"},
    {U'員', U"いん"}, {U'党', U"とう"}, {U'語', U"ご"},   {U'症', U"しょう"}, {U'用', U"よう"},
};

}  // namespace

std::vector<ruby_part> annotator::split_noun_suffix(std::u32string_view run,
                                                    std::u32string_view reading) {
  // A word of two kanji or more and a suffix: two rubies (黄熱[おうねつ]病[びょう]), as for the
  // EDICT words of a compound, where the reading ends with the suffix's.
  if (run.size() < 3) return {};
  for (const auto& [kanji, own] : noun_suffixes) {
    if (run.back() != kanji || !reading.ends_with(own) || reading.size() == own.size()) continue;
    const std::size_t stem = reading.size() - own.size();
    return {{0, run.size() - 1, std::u32string(reading.substr(0, stem))},
            {run.size() - 1, run.size(), std::u32string(own)}};
  }
  return {};
}

std::optional<std::size_t> annotator::suffix_recut(std::u32string_view lone,
                                                   std::u32string_view lone_reading,
                                                   std::u32string_view noun,
                                                   std::u32string_view noun_reading) const {
  // 同 + 業者 read as 同業 + 者 when 同業 is an EDICT word with that reading and 者 a suffix
  // read as one: the words follow the dictionary's, the reading is unchanged.
  if (!config_.words || lone.size() != 1 || noun.size() < 2 || !all_kanji(lone) ||
      !all_kanji(noun) || lone_reading.empty()) {
    return std::nullopt;
  }
  for (const auto& [kanji, own] : noun_suffixes) {
    if (noun.back() != kanji || !noun_reading.ends_with(own) || noun_reading.size() == own.size()) {
      continue;
    }
    std::u32string stem(lone);
    stem += noun.substr(0, noun.size() - 1);
    std::u32string stem_reading(lone_reading);
    stem_reading += noun_reading.substr(0, noun_reading.size() - own.size());
    const auto entries = config_.words->find(stem);
    const bool known =
        entries ? std::any_of(entries->begin(), entries->end(),
                              [&](const word_reading& r) { return r.reading == stem_reading; })
                : config_.words->find_rare(stem) == stem_reading;
    if (known) return stem_reading.size();
    return std::nullopt;
  }
  return std::nullopt;
}

void annotator::recut_before_suffixes(std::vector<word>& words) const {
  for (std::size_t k = 0; k + 1 < words.size(); ++k) {
    word& a = words[k];
    word& b = words[k + 1];
    if (a.fixed || b.fixed || !a.pieces.empty() || !b.pieces.empty() || b.pos != "名詞") continue;
    const auto stem = suffix_recut(a.surface, a.reading, b.surface, b.reading);
    if (!stem) continue;
    const std::u32string reading = a.reading + b.reading;
    a.surface += b.surface.substr(0, b.surface.size() - 1);
    b.surface.erase(0, b.surface.size() - 1);
    a.reading = reading.substr(0, *stem);
    b.reading = reading.substr(*stem);
    a.pronunciation = to_katakana(a.reading);
    b.pronunciation = to_katakana(b.reading);
    a.pos = "名詞";
    a.pos_detail = "一般";
    b.pos_detail = "接尾";
  }
}

std::vector<ruby_part> annotator::split_compound(std::u32string_view run,
                                                 std::u32string_view reading) const {
  if (!config_.words || !config_.kanji || run.size() < 3) return {};
  // A compound IPADIC keeps as one word (天文学者) gets one ruby per EDICT word in it (天文 +
  // 学者), where the readings agree exactly; a kanji on its own (世界 + 中) only with a reading
  // KANJIDIC2 gives it.
  const std::size_t n = run.size(), m = reading.size();
  constexpr int no_way = 1 << 20;
  std::vector<int> best((n + 1) * (m + 1), no_way);
  std::vector<std::pair<std::size_t, std::size_t>> from(best.size());
  const auto at = [m](std::size_t i, std::size_t p) { return i * (m + 1) + p; };
  best[at(0, 0)] = 0;
  for (std::size_t i = 0; i < n; ++i) {
    // What may start at kanji i, looked up once: the words (and their voiced forms after the
    // first), and the kanji's own readings when it stands alone.
    std::vector<std::pair<std::size_t, std::u32string>> words;  // (end, reading)
    for (std::size_t j = i + 2; j <= n && j - i < n; ++j) {
      const auto entries = config_.words->find(run.substr(i, j - i));
      if (!entries) continue;
      for (const word_reading& r : *entries) {
        words.emplace_back(j, r.reading);
        if (i > 0 && !voiced(r.reading).empty()) words.emplace_back(j, voiced(r.reading));
      }
    }
    std::vector<std::u32string> alone;
    if (const auto entry = config_.kanji->find(run[i])) alone = entry->readings;
    for (std::size_t p = 0; p < m; ++p) {
      if (best[at(i, p)] == no_way) continue;
      const std::u32string_view rest = reading.substr(p);
      const auto relax = [&](std::size_t j, std::size_t q, int cost) {
        if (best[at(i, p)] + cost < best[at(j, q)]) {
          best[at(j, q)] = best[at(i, p)] + cost;
          from[at(j, q)] = {i, p};
        }
      };
      for (const auto& [end, form] : words) {
        if (rest.starts_with(form)) relax(end, p + form.size(), 2);
      }
      for (const std::u32string& own : alone) {
        if (rest.starts_with(own)) relax(i + 1, p + own.size(), 3);
      }
    }
  }
  // Costs: 2 per word, 3 per lone kanji, so the split with the most words wins.
  if (best[at(n, m)] == no_way) return split_noun_suffix(run, reading);
  std::vector<ruby_part> parts;
  std::size_t i = n, p = m;
  while (i > 0) {
    const auto [fi, fp] = from[at(i, p)];
    parts.push_back({fi, i, std::u32string(reading.substr(fp, p - fp))});
    i = fi;
    p = fp;
  }
  std::reverse(parts.begin(), parts.end());
  // A lone kanji before a word (黄 + 熱病) loses to a word and its suffix (黄熱 + 病).
  if (parts.front().end == 1) {
    if (auto suffixed = split_noun_suffix(run, reading); !suffixed.empty()) return suffixed;
  }
  if (std::none_of(parts.begin(), parts.end(),
                   [](const ruby_part& r) { return r.end - r.begin >= 2; })) {
    return {};
  }
  return parts;
}

void annotator::place_ruby(word& w) const {
  w.ruby.clear();
  if (!w.japanese || w.reading.empty()) return;
  const std::u32string& s = w.surface;
  if (!has_kanji(s)) {
    const bool digits = std::any_of(s.begin(), s.end(), [](char32_t c) { return is_digit(c); });
    const bool katakana =
        std::any_of(s.begin(), s.end(), [](char32_t c) { return is_katakana(c); });
    if ((digits && !config_.skip_numbers) || (katakana && !digits && !config_.skip_kana)) {
      w.ruby.push_back({0, s.size(), w.reading});
    }
    return;
  }
  std::vector<ruby_part> parts = ruby_over_pieces(w);
  if (!parts.empty()) {
    // already placed
  } else if (all_kanji(s)) {  // no okurigana to split off (what split_okurigana would find)
    parts.push_back({0, s.size(), w.reading});
  } else if (auto split = split_okurigana(s, w.reading)) {
    parts = std::move(*split);
  } else {
    parts.push_back({0, s.size(), w.reading});
  }
  if (config_.split == granularity::word && parts.size() == 2 && parts[0].end == 1 &&
      parts[1].begin == 1) {
    // The same inside a word joined from MeCab's tokens (総 + 力戦 → 総力 + 戦).
    const std::u32string_view whole(s);
    if (const auto stem = suffix_recut(whole.substr(0, 1), parts[0].reading,
                                       whole.substr(1, parts[1].end - 1), parts[1].reading)) {
      const std::u32string reading = parts[0].reading + parts[1].reading;
      parts = {{0, parts[1].end - 1, reading.substr(0, *stem)},
               {parts[1].end - 1, parts[1].end, reading.substr(*stem)}};
    }
  }
  if (config_.split == granularity::word) {
    std::vector<ruby_part> finer;
    for (std::size_t k = 0; k < parts.size(); ++k) {
      const ruby_part& part = parts[k];
      const std::u32string_view run =
          std::u32string_view(s).substr(part.begin, part.end - part.begin);
      std::vector<ruby_part> pieces =
          all_kanji(run) ? split_compound(run, part.reading) : std::vector<ruby_part>{};
      if (pieces.empty()) {
        // Most words: nothing splits, and `parts` stays as it is.
        if (!finer.empty()) finer.push_back(part);
        continue;
      }
      if (finer.empty())
        finer.assign(parts.begin(), parts.begin() + static_cast<std::ptrdiff_t>(k));
      for (ruby_part& piece : pieces) {
        piece.begin += part.begin;
        piece.end += part.begin;
        finer.push_back(std::move(piece));
      }
    }
    if (!finer.empty()) parts = std::move(finer);
  }
  if (config_.split == granularity::kanji && config_.kanji) {
    std::vector<ruby_part> fine;
    for (const ruby_part& part : parts) {
      const std::u32string_view run =
          std::u32string_view(s).substr(part.begin, part.end - part.begin);
      if (run.size() < 2 || !all_kanji(run)) {
        fine.push_back(part);
        continue;
      }
      for (ruby_part sub : align_kanji(run, part.reading, *config_.kanji, config_.words.get(),
                                       config_.learned.get())) {
        sub.begin += part.begin;
        sub.end += part.begin;
        fine.push_back(std::move(sub));
      }
    }
    parts = std::move(fine);
  }
  if (!config_.known_kanji.empty()) {
    const auto known = [&](std::size_t k) {
      char32_t c = s[k];
      // 々 is known when the kanji it repeats is.
      if (c == U'々' && k > 0) c = s[k - 1];
      return !is_kanji(c) || config_.known_kanji.contains(c);
    };
    std::erase_if(parts, [&](const ruby_part& part) {
      for (std::size_t k = part.begin; k < part.end; ++k) {
        if (!known(k)) return false;
      }
      return true;
    });
  }
  w.ruby = std::move(parts);
}

std::vector<word> annotator::annotate(std::string_view line) const {
  // Stretches without kana or kanji (English sentences, code, a line of dashes) pass by MeCab:
  // they come out untouched anyway, and MeCab is slow on long runs of one character class.
  constexpr std::size_t plain_enough = 64;  // bytes; shorter runs stay as context for MeCab
  std::vector<word> out;
  const auto add_plain = [&](std::size_t from, std::size_t to) {
    if (to <= from) return;
    word plain;
    plain.surface = to_code_points(line.substr(from, to - from));
    out.push_back(std::move(plain));
  };
  const auto add_japanese = [&](std::size_t from, std::size_t to) {
    if (to <= from) return;
    std::vector<word> words = annotate_region(line.substr(from, to - from));
    if (out.empty()) {  // the whole line, most often
      out = std::move(words);
      return;
    }
    out.insert(out.end(), std::make_move_iterator(words.begin()),
               std::make_move_iterator(words.end()));
  };
  std::size_t region = 0;                      // start of the text not yet added
  std::size_t plain = std::string_view::npos;  // start of the current run without Japanese
  bool any_japanese = false;
  for (std::size_t i = 0; i < line.size();) {
    const auto byte = static_cast<unsigned char>(line[i]);
    const std::size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
    bool japanese = false;
    if (length > 1 && i + length <= line.size()) {  // kana and kanji are never ASCII
      char32_t c = byte & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07);
      for (std::size_t k = 1; k < length; ++k) {
        c = (c << 6) | (static_cast<unsigned char>(line[i + k]) & 0x3F);
      }
      japanese = is_kana(c) || is_kanji(c);
    }
    if (japanese) {
      if (plain != std::string_view::npos && i - plain >= plain_enough) {
        if (any_japanese) {
          add_japanese(region, plain);
        } else {
          add_plain(region, plain);
        }
        add_plain(plain, i);
        region = i;
        any_japanese = false;
      }
      plain = std::string_view::npos;
      any_japanese = true;
    } else if (plain == std::string_view::npos) {
      plain = i;
    }
    i += length;
  }
  if (!any_japanese) {
    add_plain(region, line.size());
  } else if (plain != std::string_view::npos && line.size() - plain >= plain_enough) {
    add_japanese(region, plain);
    add_plain(plain, line.size());
  } else {
    add_japanese(region, line.size());
  }
  return out;
}

std::vector<word> annotator::annotate_region(std::string_view line) const {
  std::vector<word> words = tokenize(line);
  apply_user_words(words);
  read_numbers(words);
  read_repeat_marks(words);
  join_compounds(words);
  read_compound_verbs(words);
  prefer_common_readings(words);
  read_by_context(words);
  recut_before_suffixes(words);
  for (std::size_t k = 0; k < words.size(); ++k) {
    word& w = words[k];
    if (w.reading.empty() && w.japanese && has_kanji(w.surface)) {
      // Hiragana after it may be okurigana MeCab took for other words (癒やす: 癒 + や + す),
      // but not a particle it is sure of (社販で).
      const bool okurigana_next =
          k + 1 < words.size() && !words[k + 1].surface.empty() &&
          is_hiragana(words[k + 1].surface.front()) &&
          (words[k + 1].pos != "助詞" || words[k + 1].pos_detail == "並立助詞");
      std::u32string kana_after;
      for (std::size_t n = k + 1;
           okurigana_next && n < words.size() && kana_after.size() < 4 &&
           is_kana_only(words[n].surface) && is_hiragana(words[n].surface.front());
           ++n) {
        kana_after += words[n].surface;
      }
      w.reading = unknown_word_reading(w.surface, kana_after);
      if (!w.reading.empty()) w.pronunciation = to_katakana(w.reading);
    }
    place_ruby(w);
  }
  return words;
}

namespace {

template <typename Lookup>
std::u32string okurigana_word_reading(std::u32string_view kanji, std::u32string_view kana_after,
                                      const Lookup& lookup) {
  // A verb or adjective in a spelling IPADIC lacks (癒やす; IPADIC has 癒す): the kana after it
  // are okurigana, the last one conjugated. The EDICT word made of the kanji, the most kana kept
  // and a dictionary ending gives the kanji's part of its reading (癒やさ: 癒やす いやす → い).
  constexpr std::u32string_view endings = U"うくぐすつぬぶむるい";
  for (std::size_t kept = std::min<std::size_t>(kana_after.size(), 3) + 1; kept-- > 0;) {
    const std::u32string_view okurigana = kana_after.substr(0, kept);
    for (const char32_t ending : endings) {
      std::u32string word(kanji);
      word += okurigana;
      word += ending;
      const std::u32string reading = lookup(word);
      const std::size_t tail = okurigana.size() + 1;
      if (reading.size() <= tail || !reading.ends_with(word.substr(kanji.size()))) continue;
      return reading.substr(0, reading.size() - tail);
    }
  }
  return {};
}

}  // namespace

std::u32string annotator::unknown_word_reading(std::u32string_view surface,
                                               std::u32string_view kana_after) const {
  const auto lookup = [this](std::u32string_view word) -> std::u32string {
    if (!config_.words) return {};
    if (const auto entries = config_.words->find(word); entries && !entries->empty()) {
      return entries->front().reading;
    }
    if (const auto rare = config_.words->find_rare(word)) return *rare;
    return {};
  };
  if (!kana_after.empty()) return okurigana_word_reading(surface, kana_after, lookup);
  // Words MeCab does not know (rare kanji compounds) may still be in EDICT.
  if (std::u32string reading = lookup(surface); !reading.empty()) return reading;
  // Else kanji by kanji, each with its first KANJIDIC2 reading (販 はん): an on reading, the way
  // kanji read in compounds.
  if (!config_.kanji || !all_kanji(surface)) return {};
  std::u32string reading;
  for (const char32_t c : surface) {
    if (c == U'々') return {};
    const auto entry = config_.kanji->find(c);
    if (!entry || entry->readings.empty()) return {};
    reading += entry->readings.front();
  }
  return reading;
}

void annotator::read_repeat_marks(std::vector<word>& words) const {
  // MeCab knows the common words with 々 (人々, 時々); in others it cuts the run of kanji at 々,
  // reads the kanji before it as whatever word it can (去々年: 去 さ, a verb) and leaves 々
  // unread. The run (the kanji before, 々, one kanji after) is read again as one word: from EDICT,
  // else kanji by kanji with their first KANJIDIC2 reading (an on reading), 々 repeating the one
  // before it (去々年 きょきょねん).
  if (!config_.kanji) return;
  for (std::size_t k = 1; k < words.size(); ++k) {
    if (!is_one(words[k].surface, U'々') || words[k - 1].fixed ||
        !all_kanji(words[k - 1].surface)) {
      continue;
    }
    const std::size_t from = k - 1;
    std::size_t to = k + 1;
    if (to < words.size() && !words[to].fixed && words[to].surface.size() == 1 &&
        is_kanji(words[to].surface[0]) && words[to].surface[0] != U'々') {
      ++to;
    }
    std::u32string surface;
    for (std::size_t n = from; n < to; ++n) surface += words[n].surface;
    std::u32string reading;
    if (config_.words) {
      if (const auto entries = config_.words->find(surface); entries && !entries->empty()) {
        reading = entries->front().reading;
      } else if (const auto rare = config_.words->find_rare(surface)) {
        reading = *rare;
      }
    }
    if (reading.empty()) {
      std::u32string last;
      for (const char32_t c : surface) {
        if (c != U'々') {
          const auto entry = config_.kanji->find(c);
          if (!entry || entry->readings.empty()) {
            last.clear();
            break;
          }
          last = entry->readings.front();
        }
        reading += last;
      }
      if (last.empty()) continue;
    }
    word joined = merged(words, from, to, std::move(reading));
    joined.pos = "名詞";
    joined.pos_detail = "一般";
    words.erase(words.begin() + static_cast<std::ptrdiff_t>(from + 1),
                words.begin() + static_cast<std::ptrdiff_t>(to));
    words[from] = std::move(joined);
  }
}

void annotator::read_by_context(std::vector<word>& words) {
  for (std::size_t k = 1; k < words.size(); ++k) {
    word& w = words[k];
    const word& before = words[k - 1];
    if (w.fixed) continue;
    // 後 after a verb or an auxiliary (泳ぎ切った後) is "after": あと, where IPADIC says のち.
    if (is_one(w.surface, U'後') && w.pos_detail == "非自立" && w.reading == U"のち" &&
        (before.pos == "動詞" || before.pos == "助動詞")) {
      w.reading = U"あと";
      w.pronunciation = U"アト";
    }
    // 辺 after この, その, あの, どの is the set phrase このへん ("around here"); IPADIC reads
    // it あたり, which is written 辺り.
    if (is_one(w.surface, U'辺') && w.reading == U"あたり" &&
        (before.surface == U"この" || before.surface == U"その" || before.surface == U"あの" ||
         before.surface == U"どの")) {
      w.reading = U"へん";
      w.pronunciation = U"ヘン";
    }
    // 中 after a stretch of time (一日中, 一年中, 三日中) is "throughout": じゅう, not ちゅう.
    const std::u32string_view time = before.surface;
    if (is_one(w.surface, U'中') && w.reading == U"ちゅう" && before.fixed &&
        (before.pos_detail == "接尾" || before.pos_detail == "数") &&
        (time.ends_with(U"日") || time.ends_with(U"年") || time.ends_with(U"晩") ||
         time.ends_with(U"日間") || time.ends_with(U"年間") || time.ends_with(U"週間"))) {
      w.reading = U"じゅう";
      w.pronunciation = U"ジュウ";
    }
  }
}

}  // namespace textkit::furigana
