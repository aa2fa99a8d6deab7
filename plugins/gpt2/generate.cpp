// gpt2 - the `gpt2.generate` step: samples text from a GPT-2 model, from prompts given as options
// or from the text of each record flowing in, in batches on the cached decoder.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <optional>
#include <random>
#include <thread>

#include "bpe/bpe.h"
#include "decode.h"
#include "model.h"
#include "sampling.h"
#include "textkit/io.h"
#include "textkit/plugin.h"

namespace textkit::gpt2 {
namespace {

struct settings {
  std::string model_path;
  std::string tokenizer_path;
  std::vector<std::string> prompts;
  bool prompts_from_records = false;
  int samples_per_prompt = 1;
  int max_tokens = 200;
  sampling sample;
  std::uint64_t seed = 0;
  bool seed_given = false;
  int batch_size = 8;
  std::vector<std::string> stop;
  bool include_prompt = false;
  int threads = 0;
  std::string label;
  /// A gpt2.train earlier in the pipeline writes the model: load it when the first sample is due.
  bool model_made_earlier = false;
};

// One sample to make: its prompt and where it comes from.
struct job {
  std::size_t prompt_index = 0;
  int sample_index = 0;
  std::string prompt;
  json meta;  // the prompt record's meta, or empty
  origin from;
};

class generate_step final : public transform {
 public:
  explicit generate_step(settings s) : settings_(std::move(s)) {
    // A missing or broken model fails before any record flows, unless an earlier step makes it.
    if (!settings_.model_made_earlier) load();
    if (!settings_.seed_given) {
      settings_.seed =
          std::random_device{}() ^
          static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    }
  }

  void process(record&& in, emitter& out, context& ctx) override {
    if (!settings_.prompts_from_records) {
      out.emit(std::move(in));
      return;
    }
    for (int j = 0; j < settings_.samples_per_prompt; ++j) {
      jobs_.push_back({record_prompts_, j, in.text, in.meta, in.from});
    }
    ++record_prompts_;
    // Keep a few batches queued, so prompts of different records share batches. A model made
    // by an earlier step exists only at the end of the stream: until then every prompt waits.
    if (!loaded_) return;
    if (jobs_.size() >= static_cast<std::size_t>(settings_.batch_size) * 4) run(out, ctx, false);
  }

  void finish(emitter& out, context& ctx) override {
    if (!loaded_) load();
    if (!settings_.prompts_from_records) {
      const auto prompts =
          settings_.prompts.empty() ? std::vector<std::string>{""} : settings_.prompts;
      for (std::size_t i = 0; i < prompts.size(); ++i) {
        for (int j = 0; j < settings_.samples_per_prompt; ++j) {
          jobs_.push_back({i, j, prompts[i], json::object(), origin{}});
        }
      }
    }
    run(out, ctx, true);
    if (tokens_ > 0) {
      const double seconds = std::chrono::duration<double>(busy_).count();
      char line[160];
      std::snprintf(
          line, sizeof line, "generated %llu samples, %llu tokens in %.1f s (%.1f tokens/s)",
          static_cast<unsigned long long>(samples_), static_cast<unsigned long long>(tokens_),
          seconds, seconds > 0 ? static_cast<double>(tokens_) / seconds : 0.0);
      ctx.warn(line);
    }
  }

 private:
  struct slot {
    bool busy = false;
    job work;
    std::vector<std::int32_t> context;  // prompt (possibly cut) + generated
    std::size_t prompt_tokens = 0;
    std::vector<std::int32_t> pending;  // to feed next
    std::string generated;              // bytes of the generated tokens
    std::mt19937_64 rng;
    int produced = 0;
  };

  void load() {
    model_ = load_model(settings_.model_path);
    tokenizer_.emplace(bpe_tokenizer::load(settings_.tokenizer_path));
    if (tokenizer_->vocab_size() > model_.cfg.vocab_size) {
      throw error(origin{settings_.tokenizer_path, 0, 0},
                  "the tokenizer has " + std::to_string(tokenizer_->vocab_size()) +
                      " tokens but the model only " + std::to_string(model_.cfg.vocab_size));
    }
    if (settings_.max_tokens >= model_.cfg.n_positions) {
      throw error("max_tokens " + std::to_string(settings_.max_tokens) + " leaves no room for a " +
                  "prompt in the model's " + std::to_string(model_.cfg.n_positions) + " positions");
    }
    loaded_ = true;
  }

  int threads(const context& ctx) const {
    if (settings_.threads > 0) return settings_.threads;
    return static_cast<int>(std::max(1u, ctx.threads()));
  }

  void start(slot& s, job work, context& ctx) {
    s = slot{};
    s.busy = true;
    s.work = std::move(work);
    s.context = tokenizer_->encode(s.work.prompt);
    if (s.context.empty()) s.context.push_back(start_token());
    const auto room = static_cast<std::size_t>(model_.cfg.n_positions - settings_.max_tokens);
    if (s.context.size() > room) {
      ctx.warn("prompts longer than " + std::to_string(room) +
               " tokens are cut to their last tokens (the model has " +
               std::to_string(model_.cfg.n_positions) + " positions, max_tokens is " +
               std::to_string(settings_.max_tokens) + ")");
      s.context.erase(s.context.begin(), s.context.end() - static_cast<std::ptrdiff_t>(room));
    }
    s.prompt_tokens = s.context.size();
    s.pending = s.context;
    s.rng.seed(
        mix_seed(settings_.seed ^ mix_seed(s.work.prompt_index * 1'000'003ULL +
                                           static_cast<std::uint64_t>(s.work.sample_index))));
  }

  std::int32_t start_token() const {
    const auto eot = tokenizer_->eot_id();
    return eot >= 0 ? eot : 0;
  }

  // The generated text ends with a stop string (or the model ended the text): where to cut.
  std::optional<std::size_t> stop_at(const slot& s, std::size_t new_bytes) const {
    for (const auto& stop : settings_.stop) {
      if (stop.empty()) continue;
      // Only a match that involves the newest token's bytes is new.
      const std::size_t from = s.generated.size() >= new_bytes + stop.size()
                                   ? s.generated.size() - new_bytes - stop.size() + 1
                                   : 0;
      const auto at = s.generated.find(stop, from);
      if (at != std::string::npos) return at;
    }
    return std::nullopt;
  }

  void emit_sample(slot& s, std::size_t cut, emitter& out) {
    record r;
    std::string text = s.generated.substr(0, cut);
    if (settings_.include_prompt) text = s.work.prompt + text;
    r.text = as_valid_utf8(std::move(text));
    r.meta = s.work.meta.is_object() ? s.work.meta : json::object();
    r.meta["source"] = "gpt2.generate";
    r.meta["kind"] = "sample";
    if (!settings_.label.empty()) r.meta["label"] = settings_.label;
    r.meta["prompt"] = s.work.prompt;
    r.meta["sample"] = s.work.sample_index;
    r.meta["tokens"] = s.produced;
    r.meta["settings"] = {{"model", settings_.model_path},
                          {"seed", settings_.seed},
                          {"temperature", settings_.sample.temperature},
                          {"top_k", settings_.sample.top_k},
                          {"top_p", settings_.sample.top_p},
                          {"repetition_penalty", settings_.sample.repetition_penalty},
                          {"max_tokens", settings_.max_tokens}};
    r.from = s.work.from;
    ++samples_;
    out.emit(std::move(r));
  }

  // Generates every queued job (all = true), or until fewer than a batch are queued.
  void run(emitter& out, context& ctx, bool all) {
    if (jobs_.empty()) return;
    const int threads_now = threads(ctx);
    if (!decoder_) {
      // The key/value cache holds batch_size x max_length positions per layer: when every prompt
      // is known (no prompt_from), only as many as the longest needs.
      int max_length = model_.cfg.n_positions;
      if (all && !settings_.prompts_from_records) {
        std::size_t longest = 1;
        for (const auto& j : jobs_) longest = std::max(longest, tokenizer_->count(j.prompt));
        max_length = static_cast<int>(
            std::min<std::size_t>(static_cast<std::size_t>(max_length),
                                  longest + static_cast<std::size_t>(settings_.max_tokens)));
      }
      decoder_ = std::make_unique<decoder>(model_, settings_.batch_size, max_length, threads_now);
      slots_.resize(static_cast<std::size_t>(settings_.batch_size));
    }
    const auto started = std::chrono::steady_clock::now();
    std::uint64_t total_planned =
        tokens_ + jobs_.size() * static_cast<std::uint64_t>(settings_.max_tokens);
    while (true) {
      for (std::size_t i = 0; i < slots_.size(); ++i) {
        auto& s = slots_[i];
        if (s.busy || jobs_.empty()) continue;
        if (!all && jobs_.size() < slots_.size()) break;
        decoder_->reset(static_cast<int>(i));
        start(s, std::move(jobs_.front()), ctx);
        jobs_.pop_front();
      }
      std::vector<std::span<const std::int32_t>> feed(slots_.size());
      bool any = false;
      for (std::size_t i = 0; i < slots_.size(); ++i) {
        if (slots_[i].busy) {
          feed[i] = slots_[i].pending;
          any = true;
        }
      }
      if (!any) break;
      if (ctx.stop_requested()) throw cancelled();
      decoder_->feed(feed);
      for (std::size_t i = 0; i < slots_.size(); ++i) {
        auto& s = slots_[i];
        if (!s.busy) continue;
        auto logits = decoder_->logits(static_cast<int>(i));
        std::vector<float> scratch(logits.begin(), logits.end());
        // Only the tokenizer's ids can be decoded (a model may pad its vocabulary).
        scratch.resize(static_cast<std::size_t>(tokenizer_->vocab_size()));
        const auto id = pick_token(scratch, s.context, settings_.sample, s.rng);
        ++s.produced;
        ++tokens_;
        s.context.push_back(id);
        const auto bytes = tokenizer_->token_bytes(id);
        s.generated += bytes;
        s.pending.assign(1, id);
        auto cut = stop_at(s, bytes.size());
        if (cut || s.produced >= settings_.max_tokens) {
          emit_sample(s, cut.value_or(s.generated.size()), out);
          s.busy = false;
          total_planned -= static_cast<std::uint64_t>(settings_.max_tokens - s.produced);
        }
      }
      ctx.progress(tokens_, total_planned, "tokens");
    }
    busy_ += std::chrono::steady_clock::now() - started;
  }

  settings settings_;
  bool loaded_ = false;
  model model_;
  std::optional<bpe_tokenizer> tokenizer_;
  std::unique_ptr<decoder> decoder_;
  std::vector<slot> slots_;
  std::deque<job> jobs_;
  std::size_t record_prompts_ = 0;
  std::uint64_t tokens_ = 0;
  std::uint64_t samples_ = 0;
  std::chrono::steady_clock::duration busy_{};
};

result<std::unique_ptr<step>> create(const step_config& config) {
  const auto& o = config.opts;
  settings s;
  s.model_path = o.get_path("model");
  s.tokenizer_path = o.has("tokenizer") ? o.get_path("tokenizer") : s.model_path;
  if (std::filesystem::is_regular_file(s.tokenizer_path)) {
    s.tokenizer_path = std::filesystem::path(s.tokenizer_path).parent_path().string();
  }
  if (o.has("prompt")) s.prompts.push_back(o.get_string("prompt"));
  if (o.has("prompts")) {
    for (auto& p : o.get_strings("prompts")) s.prompts.push_back(p);
  }
  s.prompts_from_records = o.has("prompt_from");
  if (s.prompts_from_records && !s.prompts.empty()) {
    return error("prompt_from takes the prompts from the records; leave out prompt and prompts");
  }
  s.samples_per_prompt = static_cast<int>(o.get_int("n"));
  s.max_tokens = static_cast<int>(o.get_int("max_tokens"));
  s.sample.temperature = o.get_number("temperature");
  s.sample.top_k = static_cast<int>(o.get_int("top_k"));
  s.sample.top_p = o.get_number("top_p");
  s.sample.repetition_penalty = o.get_number("repetition_penalty");
  if (o.has("seed")) {
    s.seed = static_cast<std::uint64_t>(o.get_int("seed"));
    s.seed_given = true;
  }
  s.batch_size = static_cast<int>(o.get_int("batch_size"));
  s.stop = o.get_strings("stop");
  s.include_prompt = o.get_bool("include_prompt");
  s.threads = static_cast<int>(o.get_int("threads"));
  if (o.has("label")) s.label = o.get_string("label");
  const auto same_folder = [](const std::filesystem::path& a, const std::filesystem::path& b) {
    return std::filesystem::weakly_canonical(a) == std::filesystem::weakly_canonical(b);
  };
  for (const auto& e : config.earlier) {
    if (e.use == "gpt2.train" && e.opts.has("path") &&
        same_folder(e.opts.get_path("path"), s.model_path) &&
        same_folder(s.tokenizer_path, s.model_path)) {
      s.model_made_earlier = true;
    }
  }
  return make_step<generate_step>(std::move(s));
}

const plugin_descriptor& describe() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "gpt2.generate";
    d.version = "1.0.0";
    d.summary = "Sample text from a GPT-2 model (Hugging Face folder or llm.c checkpoint)";
    // A source whose step object is a transform (see textkit::source): it can take its prompts
    // from the records flowing in (prompt_from); without prompt_from it passes them through and
    // appends its samples.
    d.kind = step_kind::source;
    d.consumes = "nothing (records pass through), or each record's text as a prompt (prompt_from)";
    d.produces =
        "one record per sample: text, meta.kind \"sample\", prompt, sample (index), tokens, "
        "settings (model, seed, temperature, top_k, top_p, ...); with prompt_from the prompt "
        "record's meta too";
    d.options = {
        as_required(make_option("model", option_type::path, nullptr,
                                "A model folder in Hugging Face's layout (config.json, "
                                "model.safetensors, vocab.json, merges.txt), or an llm.c "
                                "gpt2_124M.bin checkpoint.")),
        make_option("tokenizer", option_type::path, nullptr,
                    "The folder of vocab.json + merges.txt (or OpenAI's encoder.json + "
                    "vocab.bpe); default: the model's folder."),
        make_option("prompt", option_type::string, nullptr,
                    "The text to continue; none: samples start from <|endoftext|>."),
        make_option("prompts", option_type::string_list, nullptr,
                    "Several prompts; n samples of each, batched together."),
        allow_values(make_option("prompt_from", option_type::string, nullptr,
                                 "\"text\": each record flowing in is a prompt; it is replaced by "
                                 "its samples, which keep its meta."),
                     {"text"}),
        bounded(make_option("n", option_type::integer, 1, "Samples per prompt."), 1, 1e6),
        bounded(make_option("max_tokens", option_type::integer, 200,
                            "The most tokens a sample gets (it ends sooner at a stop string)."),
                1, 1e6),
        bounded(make_option("temperature", option_type::number, 0.8,
                            "Below 1 sharper, above 1 wilder; 0 always takes the most likely "
                            "token (greedy)."),
                0, 100),
        bounded(make_option("top_k", option_type::integer, 40,
                            "Sample among the k most likely tokens only; 0: no limit."),
                0, 1e9),
        bounded(make_option("top_p", option_type::number, 1.0,
                            "Nucleus sampling: among the most likely tokens whose probabilities "
                            "add up to p; 1: no limit."),
                0.0, 1.0),
        bounded(make_option("repetition_penalty", option_type::number, 1.0,
                            "Divides the scores of tokens already in the text (CTRL's penalty, as "
                            "in transformers); 1: off, 1.2 is a common choice."),
                0.01, 100),
        make_option("seed", option_type::integer, nullptr,
                    "Same seed, same model, same settings: same samples, whatever batch_size "
                    "and threads. Absent: a random seed, recorded in each sample's meta."),
        bounded(make_option("batch_size", option_type::integer, 8,
                            "Samples generated together (prompts of different lengths mix)."),
                1, 1024),
        make_option("stop", option_type::string_list, json::array({"<|endoftext|>"}),
                    "A sample ends before the first of these strings it produces."),
        make_option("include_prompt", option_type::boolean, false,
                    "Put the prompt in front of each sample's text."),
        bounded(make_option("threads", option_type::integer, 0,
                            "Threads for the matrix products; 0: the run's --threads (all "
                            "cores by default)."),
                0, 1024),
        make_option("label", option_type::string, nullptr, "meta.label of the samples."),
    };
    d.create = create;
    return d;
  }();
  return descriptor;
}

}  // namespace
}  // namespace textkit::gpt2

TEXTKIT_PLUGIN(gpt2_generate, textkit::gpt2::describe)
