// gpt2 - the `gpt2.train` step: trains a GPT-2 model from scratch or fine-tunes one on the records,
// grouped by meta.label, in phases ("marinate" in one corpus, then "sear" in another) or with the
// labels merged; checkpoints that a second run of the same pipeline resumes from.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>

#include "bpe/bpe.h"
#include "model.h"
#include "sampling.h"
#include "textkit/io.h"
#include "textkit/plugin.h"
#include "trainer.h"

namespace textkit::gpt2 {
namespace {

namespace fs = std::filesystem;

struct init_shape {
  int n_layer = 0, n_head = 0, n_embd = 0, block_size = 0, vocab_size = 0;
};

struct phase_option {
  std::vector<std::string> labels;
  std::int64_t steps = 0;
};

struct settings {
  std::string folder;
  std::optional<std::string> base_model;  // fine-tune this folder
  std::optional<init_shape> init;         // or start from scratch
  std::optional<std::string> tokenizer_path;
  std::vector<phase_option> phases;
  bool merge = false;
  std::map<std::string, double> weights;
  double validation = 0.1;
  train_settings train;
  int threads = 0;
  // sample_every: what the samples shown during training are made of.
  int sample_count = 3;
  int sample_tokens = 64;
  sampling sample;
  std::string sample_prompt;
  bool sample_file = true;
};

std::string shown(const std::string& label) { return label.empty() ? "(no label)" : label; }

// Checks the `phases` option: an array of {"label": string or [strings], "steps": n}.
std::vector<phase_option> read_phases(const json& j) {
  if (!j.is_array() || j.empty()) {
    throw error("phases: expected a non-empty array of {\"label\": ..., \"steps\": ...}");
  }
  std::vector<phase_option> phases;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const auto where = "phases[" + std::to_string(i) + "]";
    const auto& p = j[i];
    if (!p.is_object())
      throw error(where + ": expected an object {\"label\": ..., \"steps\": ...}");
    for (const auto& [key, value] : p.items()) {
      if (key != "label" && key != "steps") {
        throw error(where + ": unknown key \"" + key + "\" (expected label, steps)");
      }
    }
    phase_option phase;
    if (!p.contains("label")) throw error(where + ": missing \"label\"");
    const auto& label = p["label"];
    if (label.is_string()) {
      phase.labels.push_back(label.get<std::string>());
    } else if (label.is_array() && !label.empty()) {
      for (const auto& l : label) {
        if (!l.is_string()) throw error(where + ".label: expected strings, got " + l.dump());
        phase.labels.push_back(l.get<std::string>());
      }
    } else {
      throw error(where + ".label: expected a label or an array of labels, got " + label.dump());
    }
    for (const auto& l : phase.labels) {
      if (l.empty()) throw error(where + ".label: a label is empty");
    }
    if (!p.contains("steps") || !p["steps"].is_number_integer() ||
        p["steps"].get<std::int64_t>() < 1) {
      throw error(where + ".steps: expected a positive integer");
    }
    phase.steps = p["steps"].get<std::int64_t>();
    phases.push_back(std::move(phase));
  }
  return phases;
}

init_shape read_init(const json& j) {
  if (!j.is_object())
    throw error("init: expected an object {n_layer, n_head, n_embd, block_size, vocab_size}");
  init_shape shape;
  const std::pair<const char*, int*> fields[] = {{"n_layer", &shape.n_layer},
                                                 {"n_head", &shape.n_head},
                                                 {"n_embd", &shape.n_embd},
                                                 {"block_size", &shape.block_size},
                                                 {"vocab_size", &shape.vocab_size}};
  for (const auto& [key, value] : j.items()) {
    bool known = false;
    for (const auto& f : fields) known = known || key == f.first;
    if (!known) {
      throw error("init: unknown key \"" + key +
                  "\" (expected n_layer, n_head, n_embd, block_size, vocab_size)");
    }
  }
  for (const auto& [key, target] : fields) {
    if (!j.contains(key)) {
      if (std::string_view(key) == "vocab_size") continue;  // from the tokenizer option
      throw error(std::string("init: missing \"") + key + "\"");
    }
    const auto& v = j[key];
    if (!v.is_number_integer() || v.get<std::int64_t>() < 1 || v.get<std::int64_t>() > 1'000'000) {
      throw error(std::string("init.") + key + ": expected a positive integer, got " + v.dump());
    }
    *target = v.get<int>();
  }
  if (shape.n_embd % shape.n_head != 0) {
    throw error("init: n_embd " + std::to_string(shape.n_embd) + " is not a multiple of n_head " +
                std::to_string(shape.n_head));
  }
  return shape;
}

// The ranks of a data-parallel run: the `distributed` option's keys, each missing one from the
// variables torchrun sets (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT); neither: one process.
distributed_settings read_distributed(const json* j) {
  distributed_settings d;
  if (j && !j->is_object()) {
    throw error(
        "distributed: expected an object {\"rank\", \"world_size\", \"master_addr\", "
        "\"master_port\", \"timeout_s\", \"rank_model\"}");
  }
  static const char* const keys[] = {"rank",        "world_size", "master_addr",
                                     "master_port", "timeout_s",  "rank_model"};
  if (j) {
    for (const auto& [key, value] : j->items()) {
      if (std::find_if(std::begin(keys), std::end(keys), [&](const char* k) { return key == k; }) ==
          std::end(keys)) {
        throw error("distributed: unknown key \"" + key +
                    "\" (expected rank, world_size, master_addr, master_port, timeout_s, "
                    "rank_model)");
      }
    }
  }
  std::vector<std::string> problems;
  // An integer from the option, else from the variable; `fallback` when neither has it.
  auto integer = [&](const char* key, const char* variable, long long low, long long high,
                     long long fallback) {
    if (j && j->contains(key)) {
      const auto& v = (*j)[key];
      if (v.is_number_integer() && v.get<long long>() >= low && v.get<long long>() <= high) {
        return v.get<long long>();
      }
      problems.push_back(std::string("distributed.") + key + ": expected an integer from " +
                         std::to_string(low) + " to " + std::to_string(high) + ", got " + v.dump());
      return fallback;
    }
    const char* text = std::getenv(variable);
    if (!text || !*text) return fallback;
    char* end = nullptr;
    const long long value = std::strtoll(text, &end, 10);
    if (*end != '\0' || value < low || value > high) {
      problems.push_back(std::string("the environment variable ") + variable + "=\"" + text +
                         "\" (for distributed." + key + "): expected an integer from " +
                         std::to_string(low) + " to " + std::to_string(high));
      return fallback;
    }
    return value;
  };
  d.world_size = static_cast<int>(integer("world_size", "WORLD_SIZE", 1, 65536, 1));
  d.rank = static_cast<int>(integer("rank", "RANK", 0, 65535, 0));
  d.master_port = static_cast<int>(integer("master_port", "MASTER_PORT", 1, 65535, 29500));
  if (j && j->contains("master_addr")) {
    const auto& v = (*j)["master_addr"];
    if (v.is_string() && !v.get<std::string>().empty()) {
      d.master_addr = v.get<std::string>();
    } else {
      problems.push_back("distributed.master_addr: expected a host name or address, got " +
                         v.dump());
    }
  } else if (const char* addr = std::getenv("MASTER_ADDR"); addr && *addr) {
    d.master_addr = addr;
  }
  if (j && j->contains("timeout_s")) {
    const auto& v = (*j)["timeout_s"];
    if (v.is_number() && v.get<double>() >= 1 && v.get<double>() <= 86400) {
      d.timeout_s = v.get<double>();
    } else {
      problems.push_back("distributed.timeout_s: expected seconds from 1 to 86400, got " +
                         v.dump());
    }
  }
  if (j && j->contains("rank_model")) {
    const auto& v = (*j)["rank_model"];
    if (v.is_string() && !v.get<std::string>().empty()) {
      d.rank_model = v.get<std::string>();
    } else {
      problems.push_back("distributed.rank_model: expected a folder, got " + v.dump());
    }
  }
  if (problems.empty() && d.rank >= d.world_size) {
    problems.push_back("distributed: rank " + std::to_string(d.rank) + " is not below world_size " +
                       std::to_string(d.world_size));
  }
  if (problems.empty()) return d;
  std::string message;
  for (const auto& p : problems) message += (message.empty() ? "" : "; ") + p;
  throw error(message);
}

class train_step final : public sink {
 public:
  explicit train_step(settings s) : settings_(std::move(s)) {
    // Ranks other than 0 write nothing into the model folder (which on one machine is rank 0's).
    if (lead()) {
      fs::create_directories(settings_.folder);
      // An unwritable folder fails now, before any record is read (a probe, never committed).
      atomic_output((fs::path(settings_.folder) / "config.json").string());
    }
    if (settings_.base_model) {
      base_ = load_model(*settings_.base_model);
      if (settings_.train.block_size == 0) {
        settings_.train.block_size = std::min(base_->cfg.n_positions, 1024);
      }
      if (settings_.train.block_size > base_->cfg.n_positions) {
        throw error("block_size " + std::to_string(settings_.train.block_size) +
                    " is larger than the model's " + std::to_string(base_->cfg.n_positions) +
                    " positions (n_positions in " + *settings_.base_model + "/config.json)");
      }
      tokenizer_ = bpe_tokenizer::load(settings_.tokenizer_path.value_or(*settings_.base_model));
      if (tokenizer_->vocab_size() > base_->cfg.vocab_size) {
        throw error("the tokenizer has " + std::to_string(tokenizer_->vocab_size()) +
                    " tokens but the model only " + std::to_string(base_->cfg.vocab_size));
      }
    } else {
      if (settings_.train.block_size == 0) settings_.train.block_size = settings_.init->block_size;
      if (settings_.train.block_size > settings_.init->block_size) {
        throw error("block_size " + std::to_string(settings_.train.block_size) +
                    " is larger than the model's " + std::to_string(settings_.init->block_size) +
                    " positions (init.block_size)");
      }
      if (settings_.tokenizer_path) {
        tokenizer_ = bpe_tokenizer::load(*settings_.tokenizer_path);
      } else if (settings_.init->vocab_size < 257) {
        throw error(
            "init.vocab_size: a trained byte-level BPE needs at least 257 tokens (or give "
            "a tokenizer folder)");
      }
    }
  }

  void write(const record& in, context& /*ctx*/) override {
    std::string label;
    if (in.meta.is_object() && in.meta.contains("label") && in.meta["label"].is_string()) {
      label = in.meta["label"].get<std::string>();
    }
    auto& docs = texts_[label];
    docs.push_back(in.text);
  }

  // Trains at the end of the stream, before the steps after this one see it end, so a
  // gpt2.generate later in the pipeline samples from the trained model. Checkpoints and the final
  // model are written atomically as training goes, so nothing is left to do in commit().
  void finish(context& ctx) override {
    check_labels(ctx);
    const bpe_tokenizer tokenizer = tokenizer_for(ctx);
    const auto data = tokenize(tokenizer, ctx);
    model m = start_model(tokenizer);
    train_settings s = settings_.train;
    s.threads =
        settings_.threads > 0 ? settings_.threads : static_cast<int>(std::max(1u, ctx.threads()));
    s.phases = plan(data);

    std::string summary = "data:";
    for (const auto& d : data) {
      summary += " " + shown(d.label) + " " + std::to_string(texts_[d.label].size()) +
                 " records, " + std::to_string(d.train.size()) + " training + " +
                 std::to_string(d.validation.size()) + " validation tokens;";
    }
    summary += " model " + std::to_string(m.cfg.parameter_count()) + " parameters, block " +
               std::to_string(s.block_size) + ", " + std::to_string(s.total_steps()) + " steps";
    const auto& dist = s.distributed;
    if (dist.enabled()) {
      summary += ", " + std::to_string(dist.world_size) + " ranks x batch " +
                 std::to_string(s.batch_size) + " (master " + dist.master_addr + ":" +
                 std::to_string(dist.master_port) + ")";
    }
    if (lead()) {
      ctx.warn(summary);
    } else {
      ctx.warn("rank " + std::to_string(dist.rank) + " of " + std::to_string(dist.world_size) +
               ": joining rank 0 at " + dist.master_addr + ":" + std::to_string(dist.master_port) +
               "; rank 0 reports the training and writes " + settings_.folder);
    }

    train_hooks hooks;
    hooks.progress = [&ctx](std::int64_t done, std::int64_t total) {
      ctx.progress(static_cast<std::uint64_t>(done), static_cast<std::uint64_t>(total), "steps");
    };
    hooks.message = [&ctx](const std::string& line) { ctx.warn(line); };
    hooks.stop_requested = [&ctx] { return ctx.stop_requested(); };
    first_samples_ = true;
    if (settings_.train.sample_every > 0 && lead()) {
      if (s.restart || !fs::exists(fs::path(settings_.folder) / training_state_file)) {
        fs::remove(samples_path());  // samples of an earlier training are not this one's
      }
      hooks.sample = [&](std::int64_t done, const model& at) {
        show_samples(done, at, tokenizer, s.threads, ctx);
      };
    }
    const auto result =
        train(m, data, s, settings_.folder, hooks, [&] { tokenizer.save(settings_.folder); });
    if (!lead()) {
      char line[200];
      std::snprintf(line, sizeof line,
                    "rank %d of %d: trained %lld steps (all-reduce %.1f ms/step, and %.1f ms "
                    "waiting for the slowest rank)",
                    dist.rank, dist.world_size, static_cast<long long>(result.steps_done),
                    per_step_ms(result.allreduce_seconds, result),
                    per_step_ms(result.wait_seconds, result));
      ctx.warn(line);
      return;
    }
    std::string losses = "loss per label, training / validation, at the start -> the end:";
    for (const auto& [label, end] : result.end) {
      const auto& start = result.start.at(label);
      char line[200];
      std::snprintf(line, sizeof line, " %s %.3f / %.3f -> %.3f / %.3f;", shown(label).c_str(),
                    start.train, start.validation, end.train, end.validation);
      losses += line;
    }
    ctx.warn(losses);
    char done[200];
    std::snprintf(
        done, sizeof done, "trained %lld steps%s (%.0f tokens/s); wrote %s",
        static_cast<long long>(result.steps_done),
        result.resumed_from
            ? (" from the checkpoint at step " + std::to_string(result.resumed_from)).c_str()
            : "",
        result.tokens_per_second, settings_.folder.c_str());
    ctx.warn(done);
    if (dist.enabled()) {
      char line[200];
      std::snprintf(line, sizeof line,
                    "distributed: %d ranks, %.0f tokens/s together; all-reduce of the gradients "
                    "%.1f ms per step, and %.1f ms waiting for the slowest rank",
                    dist.world_size, result.tokens_per_second,
                    per_step_ms(result.allreduce_seconds, result),
                    per_step_ms(result.wait_seconds, result));
      ctx.warn(line);
    }
  }

  void commit(context& /*ctx*/) override {}

 private:
  [[nodiscard]] bool lead() const { return settings_.train.distributed.rank == 0; }

  static double per_step_ms(double seconds, const train_result& r) {
    return r.steps_done > 0 ? seconds * 1000 / static_cast<double>(r.steps_done) : 0;
  }

  // Every label a phase or a weight names has records with text, and every weight's label is
  // trained; records no phase uses are reported. All problems are told at once, before training.
  void check_labels(context& ctx) {
    if (texts_.empty()) throw error("no records reached gpt2.train: nothing to train on");
    std::string seen;
    for (const auto& [l, docs] : texts_) seen += (seen.empty() ? "" : ", ") + shown(l);
    std::vector<std::string> problems;
    std::map<std::string, bool> named;
    for (const auto& p : settings_.phases) {
      for (const auto& l : p.labels) named[l] = true;
    }
    for (const auto& [label, used] : named) {
      if (!texts_.contains(label)) {
        problems.push_back("phases name the label \"" + label +
                           "\", but no record has it (labels seen: " + seen + ")");
      }
    }
    for (const auto& [label, weight] : settings_.weights) {
      if (!named.empty() && !named.contains(label)) {
        problems.push_back("weights give the label \"" + label +
                           "\" a weight, but no phase trains it");
      } else if (named.empty() && !texts_.contains(label)) {
        problems.push_back("weights give the label \"" + label +
                           "\" a weight, but no record has it (labels seen: " + seen + ")");
      }
    }
    for (const auto& [label, docs] : texts_) {
      bool any = false;
      for (const auto& d : docs) any = any || !d.empty();
      if (!any) {
        problems.push_back("the " + std::to_string(docs.size()) + " records labelled \"" +
                           shown(label) + "\" have no text");
      } else if (!named.empty() && !named.contains(label)) {
        ctx.warn(std::to_string(docs.size()) + " records labelled " + shown(label) +
                 " are in no phase: only their loss is reported");
      }
    }
    if (problems.empty()) return;
    std::string message;
    for (const auto& p : problems) message += (message.empty() ? "" : "; ") + p;
    throw error(message);
  }

  fs::path samples_path() const { return fs::path(settings_.folder) / "samples.jsonl"; }

  // Samples from the weights being trained, on the cached decoder: each on stderr, and with
  // sample_file into samples.jsonl in the model folder. The seed depends on the step only, so a
  // resumed run shows what the uninterrupted one would have.
  void show_samples(std::int64_t done, const model& at, const bpe_tokenizer& tokenizer, int threads,
                    context& ctx) {
    sample_request r;
    r.prompt = tokenizer.encode(settings_.sample_prompt);
    if (r.prompt.empty()) r.prompt.push_back(tokenizer.eot_id());
    r.count = settings_.sample_count;
    r.max_tokens = std::min(settings_.sample_tokens, at.cfg.n_positions - 1);
    r.stop_token = tokenizer.eot_id();
    r.vocab_size = tokenizer.vocab_size();
    r.sample = settings_.sample;
    r.seed = mix_seed(settings_.train.seed ^ mix_seed(static_cast<std::uint64_t>(done)));
    r.threads = threads;
    const auto samples = sample_tokens(at, r);

    std::string lines;
    for (std::size_t i = 0; i < samples.size(); ++i) {
      const auto text = as_valid_utf8(settings_.sample_prompt + tokenizer.decode(samples[i]));
      std::string shown_text = text;
      for (auto& c : shown_text) c = c == '\n' ? ' ' : c;  // one line per sample on stderr
      ctx.warn("step " + std::to_string(done) + " sample " + std::to_string(i + 1) + ": " +
               shown_text);
      json line = {{"text", text},
                   {"meta",
                    {{"source", "gpt2.train"},
                     {"kind", "sample"},
                     {"step", done},
                     {"sample", i},
                     {"tokens", samples[i].size()},
                     {"prompt", settings_.sample_prompt},
                     {"settings",
                      {{"temperature", r.sample.temperature},
                       {"top_k", r.sample.top_k},
                       {"max_tokens", r.max_tokens},
                       {"seed", r.seed}}}}}};
      lines += line.dump() + "\n";
    }
    if (!settings_.sample_file) return;
    if (first_samples_) drop_samples_from(done);
    first_samples_ = false;
    std::ofstream out(samples_path(), std::ios::app | std::ios::binary);
    out << lines;
    if (!out.flush()) throw error(origin{samples_path().string(), 0, 0}, "cannot write samples");
  }

  // Lines of samples at step `done` or later: an interrupted run made them after the checkpoint
  // this run resumed from, which shows them again.
  void drop_samples_from(std::int64_t done) const {
    const auto path = samples_path();
    std::ifstream in(path, std::ios::binary);
    if (!in) return;
    std::string kept, line;
    bool dropped = false;
    while (std::getline(in, line)) {
      const auto j = json::parse(line, nullptr, false);
      const bool later = j.is_object() && j.contains("meta") && j["meta"].is_object() &&
                         j["meta"].value("step", std::int64_t{0}) >= done;
      if (later) {
        dropped = true;
      } else {
        kept += line + "\n";
      }
    }
    in.close();
    if (!dropped) return;
    atomic_output out(path.string());
    out.write(kept);
    out.commit();
  }

  bpe_tokenizer tokenizer_for(context& ctx) {
    if (tokenizer_) return *tokenizer_;
    const fs::path folder = settings_.folder;
    // A resumed run takes the vocabulary its checkpoint was trained with.
    if (!settings_.train.restart && fs::exists(folder / training_state_file) &&
        fs::exists(folder / "vocab.json")) {
      return bpe_tokenizer::load(folder);
    }
    bpe_trainer trainer;
    for (const auto& [label, docs] : texts_) {
      for (const auto& d : docs) trainer.add(d);
    }
    train_options options;
    options.vocab_size = settings_.init->vocab_size;
    options.progress = [&ctx](std::size_t done, std::size_t total) {
      if (ctx.stop_requested()) throw cancelled();
      ctx.progress(done, total, "merges");
      return true;
    };
    auto trained = trainer.train(options);
    ctx.warn("trained a byte-level BPE of " + std::to_string(trained.vocab_size()) +
             " tokens on the records");
    return trained;
  }

  std::vector<label_tokens> tokenize(const bpe_tokenizer& tokenizer, context& ctx) {
    if (tokenizer.eot_id() < 0) {
      throw error("the tokenizer has no <|endoftext|> token to separate documents");
    }
    std::vector<label_tokens> data;
    for (const auto& [label, docs] : texts_) {
      std::vector<std::vector<std::int32_t>> ids(docs.size());
      const auto n = static_cast<std::ptrdiff_t>(docs.size());
#pragma omp parallel for schedule(dynamic, 16) num_threads(std::max(1u, ctx.threads()))
      for (std::ptrdiff_t i = 0; i < n; ++i) {
        ids[static_cast<std::size_t>(i)] = tokenizer.encode(docs[static_cast<std::size_t>(i)]);
      }
      std::erase_if(ids, [](const auto& d) { return d.empty(); });
      data.push_back(split_label(label, ids, tokenizer.eot_id(), settings_.validation));
    }
    return data;
  }

  model start_model(const bpe_tokenizer& tokenizer) {
    if (base_) return std::move(*base_);
    config cfg;
    cfg.n_layer = settings_.init->n_layer;
    cfg.n_head = settings_.init->n_head;
    cfg.n_embd = settings_.init->n_embd;
    cfg.n_positions = settings_.init->block_size;
    cfg.vocab_size = tokenizer.vocab_size();
    return model::random(cfg, settings_.train.seed);
  }

  std::vector<train_phase> plan(const std::vector<label_tokens>& data) const {
    std::vector<train_phase> phases;
    for (const auto& p : settings_.phases) phases.push_back({p.labels, {}, p.steps});
    if (phases.empty()) {
      train_phase all;
      for (const auto& d : data) all.labels.push_back(d.label);
      all.steps = settings_.train.total_steps();  // `steps`, stored as one phase
      phases.push_back(all);
    } else if (settings_.merge) {
      train_phase merged;
      for (const auto& p : phases) {
        for (const auto& l : p.labels) {
          if (std::find(merged.labels.begin(), merged.labels.end(), l) == merged.labels.end()) {
            merged.labels.push_back(l);
          }
        }
        merged.steps += p.steps;
      }
      phases.assign(1, merged);
    }
    if (!settings_.weights.empty()) {
      for (auto& p : phases) {
        for (const auto& l : p.labels) {
          const auto it = settings_.weights.find(l);
          if (it != settings_.weights.end()) {
            p.weights.push_back(it->second);
          } else {
            // Unweighted labels count by their tokens, as without weights.
            for (const auto& d : data) {
              if (d.label == l) p.weights.push_back(static_cast<double>(d.train.size()));
            }
          }
        }
      }
    }
    return phases;
  }

  settings settings_;
  std::optional<model> base_;
  std::optional<bpe_tokenizer> tokenizer_;
  std::map<std::string, std::vector<std::string>> texts_;
  bool first_samples_ = true;  // the first samples of this run: lines of later steps go
};

result<std::unique_ptr<step>> create(const step_config& config) {
  const auto& o = config.opts;
  try {
    settings s;
    s.folder = o.get_path("path");
    if (o.has("model") == o.has("init")) {
      return error(
          "give either model (a folder to fine-tune) or init (a shape to train from "
          "scratch), not " +
          std::string(o.has("model") ? "both" : "neither"));
    }
    if (o.has("model")) s.base_model = o.get_path("model");
    if (o.has("init")) s.init = read_init(o.get("init"));
    if (o.has("tokenizer")) {
      s.tokenizer_path = o.get_path("tokenizer");
    } else if (s.init && s.init->vocab_size == 0) {
      return error(
          "init.vocab_size: the size of the BPE to train on the records (or give a "
          "tokenizer folder)");
    }
    if (o.has("phases")) s.phases = read_phases(o.get("phases"));
    s.merge = o.get_string("mix") == "merge";
    if (o.has("phases") == o.has("steps")) {
      return error(o.has("steps") ? "give steps or phases, not both (each phase has its steps)"
                                  : "give phases (label and steps of each) or steps (all labels "
                                    "mixed)");
    }
    if (o.has("steps")) s.train.phases.push_back({{}, {}, o.get_int("steps")});
    if (o.has("weights")) {
      const auto& w = o.get("weights");
      if (!w.is_object()) return error("weights: expected an object {\"label\": weight, ...}");
      for (const auto& [label, value] : w.items()) {
        if (label.empty()) return error("weights: a label is empty");
        if (!value.is_number() || value.get<double>() <= 0) {
          return error("weights." + label + ": expected a positive number");
        }
        s.weights[label] = value.get<double>();
      }
    }
    s.validation = o.get_number("validation");
    auto& t = s.train;
    t.block_size = o.has("block_size") ? static_cast<int>(o.get_int("block_size")) : 0;
    t.batch_size = static_cast<int>(o.get_int("batch_size"));
    t.grad_accumulation = static_cast<int>(o.get_int("grad_accumulation"));
    t.learning_rate =
        o.has("learning_rate") ? o.get_number("learning_rate") : (s.init ? 1e-3 : 1e-4);
    t.min_lr = o.get_number("min_lr");
    t.warmup = o.get_number("warmup");
    t.cosine = o.get_string("decay") == "cosine";
    t.weight_decay = o.get_number("weight_decay");
    t.grad_clip = o.get_number("grad_clip");
    t.seed = static_cast<std::uint64_t>(o.get_int("seed"));
    t.save_every = o.get_int("save_every");
    t.eval_every = o.get_int("eval_every");
    t.eval_windows = static_cast<int>(o.get_int("eval_windows"));
    t.log_every = o.get_int("log_every");
    t.restart = o.get_bool("restart");
    s.threads = static_cast<int>(o.get_int("threads"));
    t.sample_every = o.get_int("sample_every");
    s.sample_count = static_cast<int>(o.get_int("sample_count"));
    s.sample_tokens = static_cast<int>(o.get_int("sample_tokens"));
    s.sample.temperature = o.get_number("sample_temperature");
    s.sample.top_k = static_cast<int>(o.get_int("sample_top_k"));
    if (o.has("sample_prompt")) s.sample_prompt = o.get_string("sample_prompt");
    s.sample_file = o.get_bool("sample_file");
    t.distributed = read_distributed(o.has("distributed") ? &o.get("distributed") : nullptr);
    if (!t.distributed.rank_model.empty()) {  // relative to the pipeline, as path is
      t.distributed.rank_model = (config.base_dir / t.distributed.rank_model).string();
    }
    return std::unique_ptr<step>(std::make_unique<train_step>(std::move(s)));
  } catch (const error& e) {
    return e;
  }
}

const plugin_descriptor& describe() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "gpt2.train";
    d.version = "1.0.0";
    d.summary = "Train or fine-tune a GPT-2 model on the records, by label, in phases";
    d.kind = step_kind::sink;
    d.consumes = "text, grouped by meta.label (records without one form the label \"\")";
    d.produces =
        "a model folder `path` (config.json, model.safetensors, vocab.json, merges.txt: loads in "
        "gpt2.generate and Hugging Face transformers) and training_state.safetensors beside it";
    d.options = {
        as_required(make_option("path", option_type::output_path, nullptr,
                                "The model folder to write (created if missing). A training state "
                                "in it from an earlier run of the same settings is resumed.")),
        make_option("model", option_type::path, nullptr,
                    "A model folder (or llm.c .bin) to fine-tune; or give init."),
        make_option("init", option_type::object, nullptr,
                    "Train from scratch: {\"n_layer\", \"n_head\", \"n_embd\", \"block_size\", "
                    "\"vocab_size\"} (vocab_size: a BPE of that size is trained on the records, "
                    "unless tokenizer is given)."),
        make_option("tokenizer", option_type::path, nullptr,
                    "A vocabulary folder (vocab.json + merges.txt or encoder.json + vocab.bpe); "
                    "default: the model's, or with init one trained on the records."),
        make_option("phases", option_type::any, nullptr,
                    "[{\"label\": \"admired\", \"steps\": 1500}, {\"label\": \"mine\", \"steps\": "
                    "100}]: trained in order; a label may be an array of labels mixed."),
        allow_values(make_option("mix", option_type::string, "sequence",
                                 "sequence: phases one after the other; merge: all phases' labels "
                                 "shuffled together for the sum of their steps."),
                     {"sequence", "merge"}),
        bounded(make_option("steps", option_type::integer, nullptr,
                            "Without phases: optimizer steps on all labels mixed."),
                1, 1e12),
        make_option("weights", option_type::object, nullptr,
                    "{\"label\": weight}: how often a label's windows are drawn when labels mix "
                    "(default: in proportion to their training tokens)."),
        bounded(make_option("validation", option_type::number, 0.1,
                            "Fraction of each label's records held out (its last ones) for the "
                            "validation loss; 0: none."),
                0.0, 0.9),
        bounded(make_option("block_size", option_type::integer, nullptr,
                            "Tokens per training window; default: init.block_size, or the "
                            "model's positions (at most 1024)."),
                2, 1e6),
        bounded(make_option("batch_size", option_type::integer, 4, "Windows per micro-batch."), 1,
                1e6),
        bounded(make_option("grad_accumulation", option_type::integer, 1,
                            "Micro-batches per optimizer step."),
                1, 1e6),
        bounded(make_option("learning_rate", option_type::number, nullptr,
                            "AdamW's peak learning rate; default 1e-4 to fine-tune, 1e-3 with "
                            "init."),
                0.0, 10.0),
        bounded(make_option("min_lr", option_type::number, 0.1,
                            "The learning rate at the end of each phase, as a fraction of the "
                            "peak."),
                0.0, 1.0),
        bounded(make_option("warmup", option_type::number, 0.05,
                            "Fraction of each phase's steps over which the learning rate rises "
                            "from 0."),
                0.0, 1.0),
        allow_values(make_option("decay", option_type::string, "cosine",
                                 "After warmup: cosine (down to min_lr) or none (constant)."),
                     {"cosine", "none"}),
        bounded(make_option("weight_decay", option_type::number, 0.1,
                            "AdamW's decoupled weight decay, on weight matrices and embeddings."),
                0.0, 10.0),
        bounded(make_option("grad_clip", option_type::number, 1.0,
                            "Clip the gradients' global norm to this; 0: off."),
                0.0, 1e9),
        make_option("seed", option_type::integer, 1337,
                    "Seeds the initial weights (init) and the windows drawn at each step."),
        bounded(make_option("threads", option_type::integer, 0,
                            "Threads for libtorch; 0: the run's --threads (all cores)."),
                0, 1024),
        bounded(make_option("save_every", option_type::integer, 0,
                            "Write a checkpoint every this many steps; 0: only at the end."),
                0, 1e12),
        bounded(make_option("eval_every", option_type::integer, 0,
                            "Report the validation loss every this many steps; 0: only at the "
                            "start and the end."),
                0, 1e12),
        bounded(make_option("eval_windows", option_type::integer, 16,
                            "Windows per label (evenly spaced) for each loss estimate."),
                1, 1e6),
        bounded(make_option("log_every", option_type::integer, 10,
                            "A progress line (loss, learning rate, tokens/s, ETA) every this "
                            "many steps; 0: none."),
                0, 1e12),
        make_option("restart", option_type::boolean, false,
                    "Ignore a training state in path and start over."),
        bounded(make_option("sample_every", option_type::integer, 0,
                            "Every this many steps (and at the last), show sample_count samples "
                            "of the model as it is, on the cached decoder; 0: none."),
                0, 1e12),
        bounded(make_option("sample_count", option_type::integer, 3, "Samples each time."), 1,
                1024),
        bounded(make_option("sample_tokens", option_type::integer, 64,
                            "The most tokens a sample gets (it ends sooner at <|endoftext|>)."),
                1, 1e6),
        bounded(make_option("sample_temperature", option_type::number, 0.8,
                            "The samples' temperature, as gpt2.generate's."),
                0, 100),
        bounded(make_option("sample_top_k", option_type::integer, 40,
                            "The samples' top_k, as gpt2.generate's; 0: no limit."),
                0, 1e9),
        make_option("sample_prompt", option_type::string, nullptr,
                    "The text the samples continue; none: they start from <|endoftext|>."),
        make_option("sample_file", option_type::boolean, true,
                    "Also append the samples to samples.jsonl in path (one record each, with "
                    "meta.step, meta.sample and the settings)."),
        make_option("distributed", option_type::object, nullptr,
                    "Data-parallel training over torch.distributed (Gloo): {\"rank\", "
                    "\"world_size\", \"master_addr\", \"master_port\", \"timeout_s\" "
                    "(default 300), \"rank_model\"}; a missing key comes from RANK, WORLD_SIZE, "
                    "MASTER_ADDR, MASTER_PORT as torchrun sets them. batch_size is per rank; "
                    "rank 0 writes path."),
    };
    d.create = create;
    return d;
  }();
  return descriptor;
}

}  // namespace
}  // namespace textkit::gpt2

TEXTKIT_PLUGIN(gpt2_train, textkit::gpt2::describe)
