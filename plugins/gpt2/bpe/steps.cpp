// gpt2 - the tokenizer's steps, in a module without libtorch: gpt2.tokenize (token ids or counts
// per record) and gpt2.bpe (train a byte-level BPE vocabulary on the records and save it).
#include <map>
#include <mutex>

#include "bpe.h"
#include "textkit/io.h"
#include "textkit/plugin.h"

namespace textkit::gpt2 {
namespace {

option_spec option(std::string name, option_type type, json fallback, std::string doc) {
  option_spec spec;
  spec.name = std::move(name);
  spec.type = type;
  spec.default_value = std::move(fallback);
  spec.doc = std::move(doc);
  return spec;
}

option_spec required(option_spec spec) {
  spec.required = true;
  return spec;
}

option_spec with_allowed(option_spec spec, std::vector<std::string> allowed) {
  spec.allowed = std::move(allowed);
  return spec;
}

option_spec with_bounds(option_spec spec, double min, double max) {
  spec.min = min;
  spec.max = max;
  return spec;
}

// Steps of one run (and the tests) that name the same folder share one tokenizer.
bpe_tokenizer shared_tokenizer(const std::string& folder) {
  static std::mutex lock;
  static std::map<std::string, bpe_tokenizer> cache;
  const std::lock_guard<std::mutex> guard(lock);
  if (const auto found = cache.find(folder); found != cache.end()) return found->second;
  bpe_tokenizer loaded = bpe_tokenizer::load(folder);
  cache.emplace(folder, loaded);
  return loaded;
}

// ---------------------------------------------------------------------------------------------
// gpt2.tokenize

struct tokenize_settings {
  bool ids = true;
  std::string key;
  bool end_of_text = false;
};

class tokenize_step final : public transform {
 public:
  tokenize_step(bpe_tokenizer tokenizer, tokenize_settings settings)
      : tokenizer_(std::move(tokenizer)), settings_(std::move(settings)) {}

  void process(record&& in, emitter& out, context& /*ctx*/) override {
    if (settings_.ids) {
      std::vector<std::int32_t> ids = tokenizer_.encode(in.text);
      if (settings_.end_of_text) ids.push_back(tokenizer_.eot_id());
      in.meta[settings_.key] = std::move(ids);
    } else {
      in.meta[settings_.key] = tokenizer_.count(in.text) + (settings_.end_of_text ? 1 : 0);
    }
    out.emit(std::move(in));
  }

 private:
  bpe_tokenizer tokenizer_;
  tokenize_settings settings_;
};

result<std::unique_ptr<step>> create_tokenize(const step_config& config) {
  const options& opts = config.opts;
  try {
    tokenize_settings s;
    s.ids = opts.get_string("output") == "ids";
    s.key = opts.has("key") ? opts.get_string("key") : (s.ids ? "tokens" : "token_count");
    s.end_of_text = opts.get_bool("end_of_text");
    bpe_tokenizer tokenizer = shared_tokenizer(opts.get_path("tokenizer"));
    if (s.end_of_text && tokenizer.eot_id() < 0) {
      return error("end_of_text: the tokenizer in " + opts.get_path("tokenizer") +
                   " has no <|endoftext|> token");
    }
    return std::unique_ptr<step>(std::make_unique<tokenize_step>(std::move(tokenizer), s));
  } catch (const error& failure) {
    return failure;
  }
}

const plugin_descriptor& describe_tokenize() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "gpt2.tokenize";
    d.version = "1.0.0";
    d.summary = "GPT-2 byte-level BPE token ids, or their count, of each record";
    d.kind = step_kind::transform;
    d.consumes = "text";
    d.produces =
        "meta.tokens (array of ids) with output ids, meta.token_count with output count (or "
        "meta.<key>); the text is unchanged";
    d.thread_safe = true;
    d.options = {
        required(option("tokenizer", option_type::path, nullptr,
                        "Folder with vocab.json and merges.txt (Hugging Face: any GPT-2 model "
                        "folder, or one gpt2.bpe wrote) or encoder.json and vocab.bpe (OpenAI).")),
        with_allowed(option("output", option_type::string, "ids",
                            "ids: the token ids as a JSON array; count: only their number."),
                     {"ids", "count"}),
        option("key", option_type::string, nullptr,
               "The meta key written (default: tokens for ids, token_count for count)."),
        option("end_of_text", option_type::boolean, false,
               "Append the <|endoftext|> id after each record's ids (and count it), as "
               "training data separates documents."),
    };
    d.create = create_tokenize;
    return d;
  }();
  return descriptor;
}

// ---------------------------------------------------------------------------------------------
// gpt2.bpe

class bpe_sink final : public sink {
 public:
  bpe_sink(const std::string& folder, train_options settings)
      : vocab_((std::filesystem::path(folder) / "vocab.json").string()),
        merges_((std::filesystem::path(folder) / "merges.txt").string()),
        settings_(std::move(settings)) {}

  void write(const record& in, context& /*ctx*/) override {
    trainer_.add(in.text);
    ++records_;
  }

  void commit(context& ctx) override {
    train_options settings = settings_;
    settings.progress = [&ctx](std::size_t done, std::size_t total) {
      if (ctx.stop_requested()) throw cancelled();
      ctx.progress(done, total, "merges");
      return true;
    };
    const bpe_tokenizer trained = trainer_.train(settings);
    if (trained.vocab_size() < settings_.vocab_size) {
      ctx.warn("the vocabulary has " + std::to_string(trained.vocab_size()) + " tokens, not " +
               std::to_string(settings_.vocab_size) + ": no pair left was seen " +
               std::to_string(settings_.min_frequency) +
               " times (min_frequency); give it more text or lower vocab_size");
    }
    trained.save(vocab_, merges_);
    vocab_.commit();
    merges_.commit();
    ctx.warn(std::to_string(trained.vocab_size()) + " tokens (" +
             std::to_string(trained.merge_count()) + " merges) from " + std::to_string(records_) +
             " records, " + std::to_string(trainer_.distinct_pieces()) +
             " distinct pieces; wrote " + vocab_.path() + " and " + merges_.path());
  }

 private:
  atomic_output vocab_;  // opened before any record flows: an unwritable folder fails at once
  atomic_output merges_;
  train_options settings_;
  bpe_trainer trainer_;
  std::uint64_t records_ = 0;
};

result<std::unique_ptr<step>> create_bpe(const step_config& config) {
  const options& opts = config.opts;
  try {
    train_options settings;
    settings.vocab_size = static_cast<std::int32_t>(opts.get_int("vocab_size"));
    settings.min_frequency = opts.get_int("min_frequency");
    return std::unique_ptr<step>(std::make_unique<bpe_sink>(opts.get_path("path"), settings));
  } catch (const error& failure) {
    return failure;
  }
}

const plugin_descriptor& describe_bpe() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "gpt2.bpe";
    d.version = "1.0.0";
    d.summary = "Train a GPT-2 byte-level BPE vocabulary of a chosen size on the records";
    d.kind = step_kind::sink;
    d.consumes = "text (each record a document; <|endoftext|> in it separates, as a special token)";
    d.produces =
        "vocab.json and merges.txt in the folder `path` (Hugging Face's GPT-2 layout): 256 byte "
        "tokens, the merges, <|endoftext|> last";
    d.options = {
        required(option("path", option_type::output_path, nullptr,
                        "Folder to write vocab.json and merges.txt into (created if missing; a "
                        "model folder is fine).")),
        with_bounds(option("vocab_size", option_type::integer, 50257,
                           "Tokens in the result, <|endoftext|> included (GPT-2 has 50257)."),
                    257, 1 << 24),
        with_bounds(option("min_frequency", option_type::integer, 2,
                           "A pair seen fewer times than this in the records is never merged; the "
                           "vocabulary comes out smaller when pairs run out."),
                    1, 1e12),
    };
    d.create = create_bpe;
    return d;
  }();
  return descriptor;
}

}  // namespace
}  // namespace textkit::gpt2

TEXTKIT_PLUGIN(gpt2_tokenize, textkit::gpt2::describe_tokenize)
TEXTKIT_PLUGIN(gpt2_bpe, textkit::gpt2::describe_bpe)
