// kanji - the `kanji.info` transform: one record per distinct kanji, with study data and a
// learning order.
#include <algorithm>
#include <cmath>
#include <future>
#include <map>
#include <unordered_set>

#include "dictionaries.h"
#include "kanji_data.h"
#include "option_helpers.h"
#include "relations.h"
#include "text.h"
#include "textkit/io.h"
#include "textkit/plugin.h"

namespace textkit::kanji {
namespace {

enum class selection { input, list, joyo };

struct settings {
  selection select = selection::input;
  std::u32string listed;  // for selection::list, in the order given
  std::string kanjidic;
  std::string radkfile;
  std::size_t similar = 6;
  double similar_min = 0.45;
  std::size_t related = 5;
  double related_min = 0.3;
  bool compare_with_set = false;
  std::size_t min_count = 1;
  order_weights weights;
};

bool counts_as_kanji(char32_t c) {
  // furigana's is_kanji also takes 々 〆 ヶ ヵ, which take readings but are not kanji to learn.
  return furigana::is_kanji(c) && c != U'々' && c != U'〆' && c != U'ヶ' && c != U'ヵ';
}

json string_array(const std::vector<std::string>& items) { return json(items); }

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

class kanji_info final : public transform {
 public:
  explicit kanji_info(settings config)
      : settings_(std::move(config)),
        database_(kanji_database::load(settings_.kanjidic, settings_.radkfile)) {}

  void process(record&& in, emitter& /*out*/, context& /*ctx*/) override {
    if (const std::size_t bad = find_invalid_utf8(in.text); bad != std::string::npos) {
      throw error(in.from, "invalid UTF-8 at byte " + std::to_string(bad) + " of the text");
    }
    for (const char32_t c : furigana::to_code_points(in.text)) {
      if (!counts_as_kanji(c)) continue;
      if (counts_.emplace(c, 1).second) {
        first_seen_.push_back(c);
      } else {
        ++counts_[c];
      }
    }
  }

  void finish(emitter& out, context& ctx) override {
    const std::vector<std::size_t> set = chosen_kanji(ctx);
    if (set.empty()) {
      ctx.warn("no kanji in the records flowing in (set `kanji` to choose some)");
      return;
    }
    std::vector<std::size_t> candidates = settings_.compare_with_set ? set : database_->joyo();
    const relation_index relations(*database_, std::move(candidates));

    std::size_t max_count = 0;
    for (const auto& [c, n] : counts_) max_count = std::max(max_count, n);
    std::vector<double> scores(set.size());
    for (std::size_t i = 0; i < set.size(); ++i) {
      scores[i] = learning_score((*database_)[set[i]], count_of((*database_)[set[i]].literal),
                                 max_count, settings_.weights);
    }
    const std::vector<std::size_t> order = learning_order(*database_, set, scores);
    std::unordered_map<std::size_t, double> score_of;
    for (std::size_t i = 0; i < set.size(); ++i) score_of[set[i]] = scores[i];

    std::vector<record> records(order.size());
    const std::size_t workers =
        std::max<std::size_t>(1, std::min<std::size_t>(ctx.threads(), order.size() / 64 + 1));
    std::vector<std::future<void>> running;
    for (std::size_t w = 0; w < workers; ++w) {
      running.push_back(std::async(std::launch::async, [&, w] {
        for (std::size_t i = w; i < order.size(); i += workers) {
          records[i] = describe_kanji(order[i], relations, i + 1, score_of.at(order[i]));
        }
      }));
    }
    for (auto& r : running) r.get();
    for (record& r : records) out.emit(std::move(r));
  }

 private:
  [[nodiscard]] std::size_t count_of(char32_t c) const {
    const auto found = counts_.find(c);
    return found == counts_.end() ? 0 : found->second;
  }

  std::vector<std::size_t> chosen_kanji(context& ctx) const {
    std::vector<std::size_t> set;
    std::unordered_set<std::size_t> seen;
    const auto add = [&](char32_t c) {
      const std::size_t index = database_->find(c);
      if (index == kanji_database::npos) {
        ctx.warn(furigana::to_utf8(std::u32string(1, c)) + " is not in KANJIDIC2; left out");
        return;
      }
      if (seen.insert(index).second) set.push_back(index);
    };
    switch (settings_.select) {
      case selection::joyo:
        return database_->joyo();
      case selection::list:
        for (const char32_t c : settings_.listed) add(c);
        return set;
      case selection::input:
        for (const char32_t c : first_seen_) {
          if (count_of(c) >= settings_.min_count) add(c);
        }
        return set;
    }
    return set;
  }

  std::vector<std::string> texts(const std::vector<scored_kanji>& found) const {
    std::vector<std::string> out;
    for (const scored_kanji& s : found) out.push_back((*database_)[s.index].text);
    return out;
  }

  record describe_kanji(std::size_t index, const relation_index& relations, std::size_t position,
                        double score) const {
    const kanji_facts& facts = (*database_)[index];
    record r;
    r.text = facts.text;
    json& m = r.meta;
    m["source"] = "kanji.info";
    m["kind"] = "kanji";
    m["on"] = string_array(facts.on);
    m["kun"] = string_array(facts.kun);
    m["meanings"] = string_array(facts.meanings);
    // The same as one string each, for CSV columns and labels.
    std::vector<std::string> readings = facts.on;
    readings.insert(readings.end(), facts.kun.begin(), facts.kun.end());
    m["reading"] = joined(readings, "、");
    m["meaning"] = joined(facts.meanings, ", ");
    if (facts.grade > 0) m["grade"] = facts.grade;
    if (facts.jlpt > 0) m["jlpt"] = facts.jlpt;
    if (facts.frequency_rank > 0) m["frequency_rank"] = facts.frequency_rank;
    if (facts.strokes > 0) m["strokes"] = facts.strokes;
    if (facts.radical > 0) {
      m["radical"] = radical_character(facts.radical);
      m["radical_number"] = facts.radical;
    }
    m["components"] = string_array(facts.components);
    if (settings_.similar > 0) {
      m["similar"] = string_array(
          texts(relations.looks_like(index, settings_.similar, settings_.similar_min)));
    }
    if (settings_.related > 0) {
      m["related"] = string_array(
          texts(relations.means_like(index, settings_.related, settings_.related_min)));
    }
    m["corpus_count"] = count_of(facts.literal);
    m["order"] = position;
    m["order_score"] = std::round(score * 10000) / 10000;
    return r;
  }

  settings settings_;
  std::shared_ptr<const kanji_database> database_;
  std::unordered_map<char32_t, std::size_t> counts_;
  std::vector<char32_t> first_seen_;
};

bool means_all_joyo(const std::string& value) {
  return value == "all jōyō" || value == "all joyo" || value == "joyo" || value == "jōyō";
}

result<std::unique_ptr<step>> create(const step_config& config) {
  const options& opts = config.opts;
  settings s;
  if (opts.has("kanji")) {
    const json& value = opts.get("kanji");
    if (value.is_string() && means_all_joyo(value.get<std::string>())) {
      s.select = selection::joyo;
    } else if (value.is_array()) {
      s.select = selection::list;
      for (const json& item : value) {
        if (!item.is_string()) return error("kanji: expected strings of kanji, got " + item.dump());
        const std::string text = item.get<std::string>();
        if (find_invalid_utf8(text) != std::string::npos) {
          return error("kanji: " + item.dump() + " is not valid UTF-8");
        }
        for (const char32_t c : furigana::to_code_points(text)) {
          if (counts_as_kanji(c)) s.listed.push_back(c);
        }
      }
      if (s.listed.empty()) return error("kanji: the list holds no kanji");
    } else {
      return error("kanji: expected a list of kanji ([\"語\", \"未末\"]) or \"all jōyō\", got " +
                   value.dump());
    }
  }
  s.kanjidic = opts.get_path("kanjidic");
  s.radkfile = opts.get_path("radkfile");
  s.similar = static_cast<std::size_t>(opts.get_int("similar"));
  s.similar_min = opts.get_number("similar_min");
  s.related = static_cast<std::size_t>(opts.get_int("related"));
  s.related_min = opts.get_number("related_min");
  s.compare_with_set = opts.get_string("compare_with") == "set";
  s.min_count = static_cast<std::size_t>(opts.get_int("min_count"));
  s.weights.frequency = opts.get_number("weight_frequency");
  s.weights.jlpt = opts.get_number("weight_jlpt");
  s.weights.grade = opts.get_number("weight_grade");
  s.weights.corpus = opts.get_number("weight_corpus");
  return make_step<kanji_info>(std::move(s));
}

const plugin_descriptor& describe() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "kanji.info";
    d.version = "1.0.0";
    d.summary =
        "One record per distinct kanji, with readings, meanings, components, look-alikes and a "
        "learning order";
    d.kind = step_kind::transform;
    d.consumes =
        "text (UTF-8): its kanji, and how often each occurs (the user's corpus); the records "
        "themselves are not passed on";
    d.produces =
        "one record per kanji, in learning order: text the kanji; meta kind \"kanji\", on, kun, "
        "meanings, reading and meaning (the same as strings), grade, jlpt, frequency_rank, "
        "strokes, radical, radical_number, components, "
        "similar, related, corpus_count, order (1 first), order_score";
    d.options = {
        option("kanji", option_type::any, nullptr,
               "Which kanji: absent, those of the records flowing in; a list of strings of kanji "
               "([\"語\", \"未末\"]); or \"all jōyō\" (KANJIDIC2 grades 1-8, 2,136 kanji). The "
               "records flowing in always count as the corpus for corpus_count."),
        with_bounds(option("min_count", option_type::integer, 1,
                           "Without `kanji`: leave out kanji seen fewer times than this."),
                    1, 1e9),
        with_bounds(option("similar", option_type::integer, 6,
                           "How many visually similar kanji to list in meta.similar (0: none)."),
                    0, 100),
        with_bounds(option("similar_min", option_type::number, 0.45,
                           "Lowest visual similarity listed (0-1): component overlap, stroke "
                           "count, SKIP codes and KANJIDIC2's recorded SKIP misclassifications."),
                    0, 1),
        with_bounds(option("related", option_type::integer, 5,
                           "How many kanji of related meaning to list in meta.related (0: none)."),
                    0, 100),
        with_bounds(option("related_min", option_type::number, 0.3,
                           "Lowest meaning similarity listed (0-1): cosine of the English meaning "
                           "words, stop words left out, rare words weighing more."),
                    0, 1),
        with_allowed(option("compare_with", option_type::string, "joyo",
                            "Where similar and related kanji are looked for: joyo (all 2,136 "
                            "jōyō kanji) or set (only the kanji this step outputs, for maps)."),
                     {"joyo", "set"}),
        with_bounds(option("weight_frequency", option_type::number, 1.0,
                           "Weight of the newspaper frequency rank in the learning order."),
                    0, 1e6),
        with_bounds(option("weight_jlpt", option_type::number, 1.0,
                           "Weight of the JLPT level (easier levels first)."),
                    0, 1e6),
        with_bounds(option("weight_grade", option_type::number, 1.0,
                           "Weight of the school grade (lower grades first)."),
                    0, 1e6),
        with_bounds(option("weight_corpus", option_type::number, 1.0,
                           "Weight of the frequency in the records flowing in (the user's own "
                           "text)."),
                    0, 1e6),
        option("kanjidic", option_type::path, std::string(furigana::default_kanjidic),
               "KANJIDIC2 (Debian package kanjidic-xml)."),
        option("radkfile", option_type::path, std::string(default_radkfile),
               "RADKFILE, EUC-JP (Debian package xjdic): the components of each kanji."),
    };
    d.create = create;
    return d;
  }();
  return descriptor;
}

}  // namespace
}  // namespace textkit::kanji

TEXTKIT_PLUGIN(kanji_info, textkit::kanji::describe)
