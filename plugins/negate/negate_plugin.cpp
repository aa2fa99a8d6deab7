// negate - the step: options, the factory, a pool of negators (one link-grammar dictionary and
// ICU break iterator each), and the end-of-run summary.
//
// Threads: the descriptor is thread_safe. process() borrows a negator from the pool (making one
// when all are busy), so each thread parses with a link-grammar Dictionary and Parse_Options of
// its own; the WordNet lexicon is read-only and shared. The counts are atomic.
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "negator.h"
#include "textkit/plugin.h"

namespace textkit::negate {
namespace {

option_spec option(std::string name, option_type type, json fallback, std::string doc,
                   std::vector<std::string> allowed = {}) {
  option_spec spec;
  spec.name = std::move(name);
  spec.type = type;
  spec.default_value = std::move(fallback);
  spec.doc = std::move(doc);
  spec.allowed = std::move(allowed);
  return spec;
}

std::vector<option_spec> negate_options() {
  std::vector<option_spec> specs = {
      option("mode", option_type::string, "logic",
             "logic: the logical negation of every main clause (quantifiers all/some/nobody, "
             "always/never, comparatives, De Morgan with WordNet antonyms); verb: only the main "
             "verb of one clause per sentence, as main-verb negation datasets do.",
             {"logic", "verb"}),
      option("contractions", option_type::boolean, false,
             "Write negations contracted (didn't, isn't, won't) rather than in full (did not)."),
      option("quotes", option_type::string, "keep",
             "keep: quoted speech stays verbatim (\"said 'Go'\" -> \"never said 'Go'\"); negate: "
             "the sentences inside quotations are negated too.",
             {"keep", "negate"}),
      option("scope", option_type::string, "sentence",
             "sentence: each sentence on its own; story: also the story-level moves (a Title "
             "Case line -> \"Not the ...\", a byline -> \"Not by ...\", \"Once upon a time there "
             "lived\" -> \"In all of time there never lived\").",
             {"sentence", "story"}),
      option("per", option_type::string, "sentence",
             "sentence: every sentence is negated; record: only a record's first sentence that "
             "can be negated, the others kept as they are, for records that each hold one "
             "statement (the pairs of main-verb negation datasets; the Python package negate "
             "negates one verb per input).",
             {"sentence", "record"}),
      option("explain", option_type::boolean, false,
             "Put, per sentence, the original, the negation and the rules applied into "
             "meta.negate."),
      option("keep_original", option_type::boolean, true,
             "Keep the text as it was in meta.original (for side-by-side pages)."),
      option("antonyms", option_type::boolean, true,
             "Use WordNet adjective antonyms for negated attributes (\"little and kind\" -> "
             "\"either big or unkind\")."),
      option("wordnet", option_type::path, "/usr/share/wordnet",
             "WordNet's dict folder (Debian package wordnet-base): verb.exc, index.verb, "
             "index.noun, data.adj, and cntlist.rev (SemCor counts) when there."),
      option("linkage_limit", option_type::integer, 100,
             "How many linkages link-grammar enumerates per clause."),
      option("timeout", option_type::integer, 1,
             "Seconds link-grammar may spend on one clause before the lexicon reading is used."),
  };
  specs[9].min = 1;
  specs[9].max = 100000;
  specs[10].min = 1;
  specs[10].max = 60;
  return specs;
}

struct counts {
  std::atomic<std::uint64_t> records{0};
  std::atomic<std::uint64_t> sentences{0};
  std::atomic<std::uint64_t> by_parser{0};
  std::atomic<std::uint64_t> by_lexicon{0};
  std::atomic<std::uint64_t> story{0};
  std::atomic<std::uint64_t> kept{0};
  std::atomic<std::uint64_t> unanalysable{0};
  std::atomic<std::uint64_t> no_words{0};
};

class negate_step final : public transform {
 public:
  negate_step(std::shared_ptr<const lexicon> lex, negate_settings settings, parser_settings parsing,
              bool explain, bool keep_original)
      : lex_(std::move(lex)),
        settings_(settings),
        parsing_(parsing),
        explain_(explain),
        keep_original_(keep_original) {
    // One negator now, so that a missing link-grammar dictionary fails before records flow.
    free_.push_back(std::make_unique<negator>(lex_, settings_, parsing_));
  }

  void process(record&& in, emitter& out, context& ctx) override {
    (void)ctx;
    std::unique_ptr<negator> worker = borrow();
    text_result result;
    try {
      result = worker->negate_text(in.text);
    } catch (...) {
      give_back(std::move(worker));
      throw;
    }
    give_back(std::move(worker));
    ++totals_.records;
    json explained = json::array();
    for (const sentence_result& s : result.sentences) {
      ++totals_.sentences;
      if (s.analysed_by == "link-grammar")
        ++totals_.by_parser;
      else if (s.analysed_by == "lexicon")
        ++totals_.by_lexicon;
      else if (s.analysed_by == "story")
        ++totals_.story;
      else if (s.analysed_by == "kept")
        ++totals_.kept;
      else if (s.unanalysable)
        ++totals_.unanalysable;
      else
        ++totals_.no_words;
      if (explain_) {
        json entry = {{"sentence", s.original}, {"negated", s.text}, {"rules", s.rules}};
        entry["analysed_by"] = s.unanalysable ? "none (passed through)" : s.analysed_by;
        explained.push_back(std::move(entry));
      }
    }
    if (keep_original_) in.meta["original"] = in.text;
    if (explain_) in.meta["negate"] = std::move(explained);
    in.text = std::move(result.text);
    out.emit(std::move(in));
  }

  void finish(emitter& out, context& ctx) override {
    (void)out;
    const auto n = [](const std::atomic<std::uint64_t>& v) { return std::to_string(v.load()); };
    std::string summary =
        n(totals_.sentences) + " sentences in " + n(totals_.records) + " records; negated " +
        std::to_string(totals_.by_parser + totals_.by_lexicon + totals_.story) + " (link-grammar " +
        n(totals_.by_parser) + ", lexicon fallback " + n(totals_.by_lexicon) + ", story moves " +
        n(totals_.story) + "); passed through unchanged: unanalysable " + n(totals_.unanalysable);
    if (totals_.kept != 0)
      summary += ", after the record's negation (per: record) " + n(totals_.kept);
    if (totals_.no_words != 0) summary += ", no words " + n(totals_.no_words);
    ctx.warn(summary);
  }

 private:
  std::unique_ptr<negator> borrow() {
    {
      const std::lock_guard lock(mutex_);
      if (!free_.empty()) {
        std::unique_ptr<negator> w = std::move(free_.back());
        free_.pop_back();
        return w;
      }
    }
    return std::make_unique<negator>(lex_, settings_, parsing_);
  }
  void give_back(std::unique_ptr<negator> w) {
    const std::lock_guard lock(mutex_);
    free_.push_back(std::move(w));
  }

  std::shared_ptr<const lexicon> lex_;
  negate_settings settings_;
  parser_settings parsing_;
  bool explain_;
  bool keep_original_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<negator>> free_;
  counts totals_;
};

result<std::unique_ptr<step>> create(const step_config& config) {
  try {
    const options& o = config.opts;
    negate_settings settings;
    settings.mode = o.get_string("mode") == "verb" ? logic_mode::verb : logic_mode::logic;
    settings.contractions = o.get_bool("contractions");
    settings.quotes = o.get_string("quotes") == "negate" ? quote_mode::negate : quote_mode::keep;
    settings.scope = o.get_string("scope") == "story" ? scope_mode::story : scope_mode::sentence;
    settings.per = o.get_string("per") == "record" ? per_mode::record : per_mode::sentence;
    settings.antonyms = o.get_bool("antonyms");
    parser_settings parsing;
    parsing.linkage_limit = static_cast<int>(o.get_int("linkage_limit"));
    parsing.timeout_seconds = static_cast<int>(o.get_int("timeout"));
    auto lex = lexicon::load(o.get_path("wordnet"));
    return std::unique_ptr<step>(std::make_unique<negate_step>(
        std::move(lex), settings, parsing, o.get_bool("explain"), o.get_bool("keep_original")));
  } catch (const error& e) {
    return e;
  }
}

}  // namespace

const plugin_descriptor& describe_negate() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "negate";
    d.version = "1.0.0";
    d.summary = "Rewrite English text as its approximate logical negation, sentence by sentence";
    d.kind = step_kind::transform;
    d.consumes = "text (English)";
    d.produces =
        "text negated; meta.original (the text as it was, unless keep_original is false); "
        "meta.negate (per sentence: original, negation, rules applied) with explain";
    d.thread_safe = true;  // one link-grammar dictionary per worker: see negate_plugin.cpp
    d.options = negate_options();
    d.create = create;
    return d;
  }();
  return descriptor;
}

}  // namespace textkit::negate

TEXTKIT_PLUGIN(negate, textkit::negate::describe_negate)
