#include "trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>
#include <random>
#include <span>

#include "distributed.h"
#include "safetensors.h"
#include "sampling.h"
#include "textkit/error.h"
#include "textkit/hash.h"
#include "torch_model.h"

namespace textkit::gpt2 {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

std::uint64_t fnv1a(const void* bytes, std::size_t n, std::uint64_t h) {
  return textkit::fnv1a(std::string_view(static_cast<const char*>(bytes), n), h);
}

std::string hex(std::uint64_t x) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(x));
  return text;
}

std::string data_fingerprint(const std::vector<label_tokens>& data) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const auto& d : data) {
    h = fnv1a(d.label.data(), d.label.size() + 1, h);
    for (const auto* stream : {&d.train, &d.validation}) {
      const std::uint64_t size = stream->size();
      h = fnv1a(&size, sizeof size, h);
      h = fnv1a(stream->data(), stream->size() * sizeof(std::int32_t), h);
    }
  }
  return hex(h);
}

// The settings that decide the course of training; a checkpoint resumes only under the same ones.
// batch_size is the windows of a step over all ranks: a checkpoint of 2 ranks of 4 resumes on one
// process of 8 and the other way round.
json trajectory_settings(const train_settings& s) {
  json phases = json::array();
  for (const auto& p : s.phases) {
    phases.push_back({{"labels", p.labels}, {"weights", p.weights}, {"steps", p.steps}});
  }
  return {{"phases", phases},
          {"block_size", s.block_size},
          {"batch_size", s.batch_size * s.distributed.world_size},
          {"grad_accumulation", s.grad_accumulation},
          {"learning_rate", s.learning_rate},
          {"min_lr", s.min_lr},
          {"warmup", s.warmup},
          {"cosine", s.cosine},
          {"weight_decay", s.weight_decay},
          {"beta1", s.beta1},
          {"beta2", s.beta2},
          {"eps", s.eps},
          {"grad_clip", s.grad_clip},
          {"seed", s.seed}};
}

std::size_t index_of(const std::vector<label_tokens>& data, const std::string& label) {
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data[i].label == label) return i;
  }
  throw error("no records have the label \"" + label + "\"");
}

// Where each phase draws its windows from, and how long they are.
struct phase_plan {
  std::vector<std::size_t> labels;  // indices into data
  std::vector<double> cumulative;   // cumulative weights
  int window = 0;                   // tokens per window (block_size, or less for short labels)
  std::int64_t first_step = 0;
  std::int64_t steps = 0;
};

std::vector<phase_plan> plan_phases(const std::vector<label_tokens>& data,
                                    const train_settings& s) {
  std::vector<phase_plan> plans;
  std::int64_t at = 0;
  for (const auto& p : s.phases) {
    phase_plan plan;
    plan.window = s.block_size;
    double total = 0;
    for (std::size_t i = 0; i < p.labels.size(); ++i) {
      const auto index = index_of(data, p.labels[i]);
      const auto tokens = data[index].train.size();
      if (tokens < 2) {
        throw error("label \"" + p.labels[i] + "\" has " + std::to_string(tokens) +
                    " training tokens: too few to train on");
      }
      plan.window = std::min(plan.window, static_cast<int>(tokens - 1));
      total += p.weights.empty() ? static_cast<double>(tokens) : p.weights[i];
      plan.labels.push_back(index);
      plan.cumulative.push_back(total);
    }
    plan.first_step = at;
    plan.steps = p.steps;
    at += p.steps;
    plans.push_back(std::move(plan));
  }
  return plans;
}

const phase_plan& phase_at(const std::vector<phase_plan>& plans, std::int64_t step) {
  for (const auto& p : plans) {
    if (step < p.first_step + p.steps) return p;
  }
  return plans.back();
}

// The windows of one micro-batch: a function of (seed, step, micro-step) only, so a resumed run
// draws exactly what the interrupted one would have. The step's batch is world_size x batch_size
// windows, drawn in one sequence whatever the number of ranks; this rank keeps its own rows
// (rank x batch_size onwards), so that the ranks together train on exactly the windows one
// process with the whole batch would. per_label counts the windows of all ranks.
void draw_batch(const std::vector<label_tokens>& data, const phase_plan& plan,
                const train_settings& s, std::int64_t step, int micro, torch::Tensor& ids,
                torch::Tensor& targets, std::vector<std::int64_t>& per_label) {
  std::mt19937_64 rng(mix_seed(s.seed ^ mix_seed(static_cast<std::uint64_t>(step) * 1'000'003ULL +
                                                 static_cast<std::uint64_t>(micro))));
  const int B = s.batch_size, T = plan.window;
  const int first_row = s.distributed.rank * B;
  ids = torch::empty({B, T}, torch::kLong);
  targets = torch::empty({B, T}, torch::kLong);
  auto* x = ids.data_ptr<std::int64_t>();
  auto* y = targets.data_ptr<std::int64_t>();
  for (int b = 0; b < B * s.distributed.world_size; ++b) {
    std::size_t pick = 0;
    if (plan.labels.size() > 1) {
      const double r = std::uniform_real_distribution<double>(0, plan.cumulative.back())(rng);
      while (pick + 1 < plan.labels.size() && r >= plan.cumulative[pick]) ++pick;
    }
    const auto& stream = data[plan.labels[pick]].train;
    ++per_label[plan.labels[pick]];
    const auto start = std::uniform_int_distribution<std::size_t>(
        0, stream.size() - static_cast<std::size_t>(T) - 1)(rng);
    if (b < first_row || b >= first_row + B) continue;  // another rank's window
    const int row = b - first_row;
    for (int t = 0; t < T; ++t) {
      x[row * T + t] = stream[start + static_cast<std::size_t>(t)];
      y[row * T + t] = stream[start + static_cast<std::size_t>(t) + 1];
    }
  }
}

double lr_at(const train_settings& s, const phase_plan& plan, std::int64_t step) {
  const auto local = static_cast<double>(step - plan.first_step);
  const auto steps = static_cast<double>(plan.steps);
  const double warmup = std::floor(s.warmup * steps);
  if (local < warmup) return s.learning_rate * (local + 1) / warmup;
  if (!s.cosine || steps - warmup <= 1) return s.learning_rate;
  const double progress = (local - warmup) / (steps - warmup - 1);
  const double floor_lr = s.learning_rate * s.min_lr;
  return floor_lr +
         0.5 * (s.learning_rate - floor_lr) * (1 + std::cos(std::numbers::pi * progress));
}

torch::Tensor loss_of(const torch_weights& w, const torch::Tensor& ids,
                      const torch::Tensor& targets) {
  auto logits = forward(w, ids);
  return torch::nn::functional::cross_entropy(logits.view({-1, logits.size(-1)}),
                                              targets.view({-1}));
}

// The sum of the losses of evenly spaced windows of a stream, and their count: with several
// ranks, this rank's share of the windows (every world_size-th); count 0 when the stream has
// fewer than 2 tokens.
struct loss_sum {
  double sum = 0;
  double count = 0;
};

loss_sum stream_loss(const torch_weights& w, const std::vector<std::int32_t>& stream,
                     const train_settings& s, std::size_t rank, std::size_t ranks) {
  if (stream.size() < 2) return {};
  const auto T = static_cast<std::size_t>(
      std::min<std::size_t>(static_cast<std::size_t>(s.block_size), stream.size() - 1));
  const std::size_t room = stream.size() - T - 1;  // last possible start
  const std::size_t windows =
      std::min<std::size_t>(static_cast<std::size_t>(s.eval_windows), room + 1);
  const auto chunk = static_cast<std::size_t>(std::max(1, s.batch_size));
  std::vector<std::size_t> mine;  // this rank's windows
  for (std::size_t i = rank; i < windows; i += ranks) mine.push_back(i);
  double total = 0;
  for (std::size_t first = 0; first < mine.size(); first += chunk) {
    const std::size_t rows = std::min(chunk, mine.size() - first);
    auto ids =
        torch::empty({static_cast<std::int64_t>(rows), static_cast<std::int64_t>(T)}, torch::kLong);
    auto targets = torch::empty_like(ids);
    auto* x = ids.data_ptr<std::int64_t>();
    auto* y = targets.data_ptr<std::int64_t>();
    for (std::size_t r = 0; r < rows; ++r) {
      const std::size_t i = mine[first + r];
      const std::size_t start = windows == 1 ? 0 : i * room / (windows - 1);
      for (std::size_t t = 0; t < T; ++t) {
        x[r * T + t] = stream[start + t];
        y[r * T + t] = stream[start + t + 1];
      }
    }
    total += loss_of(w, ids, targets).item<double>() * static_cast<double>(rows);
  }
  return {total, static_cast<double>(mine.size())};
}

// Losses per label; with several ranks, each evaluates its share of the windows and the sums are
// added up over the ranks, so every rank gets the loss one process computes (up to rounding).
loss_table evaluate_weights(const torch_weights& w, const std::vector<label_tokens>& data,
                            const train_settings& s, process_group* group = nullptr) {
  torch::NoGradGuard no_grad;
  auto sums = torch::zeros({static_cast<std::int64_t>(data.size()), 4}, torch::kDouble);
  auto* at = sums.data_ptr<double>();
  const auto rank = static_cast<std::size_t>(group ? group->rank() : 0);
  const auto ranks = static_cast<std::size_t>(group ? group->size() : 1);
  for (const auto& d : data) {
    const auto train = stream_loss(w, d.train, s, rank, ranks);
    const auto validation = stream_loss(w, d.validation, s, rank, ranks);
    *at++ = train.sum;
    *at++ = train.count;
    *at++ = validation.sum;
    *at++ = validation.count;
  }
  if (group) group->sum(sums, "adding up the validation losses");
  auto mean = [](double sum, double count) {
    return count > 0 ? sum / count : std::numeric_limits<double>::quiet_NaN();
  };
  loss_table table;
  const auto* row = sums.data_ptr<double>();
  for (const auto& d : data) {
    table[d.label] = {mean(row[0], row[1]), mean(row[2], row[3])};
    row += 4;
  }
  return table;
}

std::string loss_text(double loss) {
  if (std::isnan(loss)) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", loss);
  return text;
}

std::string duration_text(double seconds) {
  const auto s = static_cast<long long>(seconds + 0.5);
  char text[48];
  if (s >= 3600) {
    std::snprintf(text, sizeof text, "%lldh%02lldm", s / 3600, s / 60 % 60);
  } else if (s >= 60) {
    std::snprintf(text, sizeof text, "%lldm%02llds", s / 60, s % 60);
  } else {
    std::snprintf(text, sizeof text, "%llds", s);
  }
  return text;
}

// AdamW's moments, one pair of buffers per parameter in model::tensors() order.
struct moments {
  std::vector<std::vector<float>> m, v;
};

void save_state(model& m, const moments& opt, std::int64_t step, const json& settings,
                const std::string& fingerprint, const fs::path& folder) {
  std::vector<tensor_to_write> tensors;
  auto refs = m.tensors();
  for (std::size_t i = 0; i < refs.size(); ++i) {
    const auto n = static_cast<std::int64_t>(refs[i].data->size());
    tensors.push_back(
        {"param/" + refs[i].name, "F32", {n}, std::as_bytes(std::span(*refs[i].data))});
    tensors.push_back({"exp_avg/" + refs[i].name, "F32", {n}, std::as_bytes(std::span(opt.m[i]))});
    tensors.push_back(
        {"exp_avg_sq/" + refs[i].name, "F32", {n}, std::as_bytes(std::span(opt.v[i]))});
  }
  write_safetensors(folder / training_state_file, tensors,
                    {{"format", "textkit-gpt2-training"},
                     {"version", "1"},
                     {"step", std::to_string(step)},
                     {"settings", settings.dump()},
                     {"data", fingerprint},
                     {"config", m.cfg.to_json().dump()}});
}

// Reads a training state into m and opt; returns its step. Throws when it belongs to another run.
std::int64_t load_state(model& m, moments& opt, const json& settings,
                        const std::string& fingerprint, const fs::path& path) {
  const auto file = safetensors_file::open(path);
  const auto& meta = file.metadata();
  auto get = [&](const std::string& key) {
    const auto it = meta.find(key);
    if (it == meta.end())
      throw error(origin{path.string(), 0, 0},
                  "no \"" + key + "\" in the header: not a textkit training state");
    return it->second;
  };
  if (get("format") != "textkit-gpt2-training" || get("version") != "1") {
    throw error(origin{path.string(), 0, 0}, "not a textkit training state of version 1");
  }
  const json saved = json::parse(get("settings"), nullptr, false);
  if (saved != settings) {
    std::string changed;
    for (const auto& [key, value] : settings.items()) {
      if (!saved.is_object() || !saved.contains(key) || saved[key] != value) {
        changed += (changed.empty() ? "" : ", ") + key;
      }
    }
    throw error(origin{path.string(), 0, 0},
                "the checkpoint was trained with other settings (" + changed +
                    "); set restart: true to start over, or use the settings it was made with");
  }
  if (get("data") != fingerprint) {
    throw error(origin{path.string(), 0, 0},
                "the checkpoint was trained on other records (or another tokenizer or validation "
                "split); set restart: true to start over");
  }
  auto refs = m.tensors();
  for (std::size_t i = 0; i < refs.size(); ++i) {
    const std::pair<const char*, std::vector<float>*> parts[] = {
        {"param/", refs[i].data}, {"exp_avg/", &opt.m[i]}, {"exp_avg_sq/", &opt.v[i]}};
    for (const auto& [prefix, buffer] : parts) {
      const auto* t = file.find(prefix + refs[i].name);
      if (!t || t->dtype != "F32" || t->elements() != static_cast<std::int64_t>(buffer->size())) {
        throw error(origin{path.string(), 0, 0}, std::string("tensor \"") + prefix + refs[i].name +
                                                     "\" is missing or does not fit the model");
      }
      file.read(*t, std::as_writable_bytes(std::span(*buffer)));
    }
  }
  return std::stoll(get("step"));
}

// The global norm of the gradients: one reading pass per tensor (libtorch's CPU norm of floats
// accumulates in double), where converting each gradient to double first wrote and read a copy
// of every gradient at twice its size (about 4.5 GB of memory traffic per step for 124M).
double grad_norm(const std::vector<torch::Tensor>& params) {
  double sum = 0;
  for (const auto& p : params) {
    const auto& g = p.grad();
    if (!g.defined()) continue;
    const double n = g.norm().item<double>();
    sum += n * n;
  }
  return std::sqrt(sum);
}

// Tensors over float buffers (no copy), for the collectives.
std::vector<torch::Tensor> as_tensors(const std::vector<std::vector<float>*>& buffers) {
  std::vector<torch::Tensor> out;
  for (auto* b : buffers) {
    out.push_back(
        torch::from_blob(b->data(), {static_cast<std::int64_t>(b->size())}, torch::kFloat));
  }
  return out;
}

// What every rank must agree on before training: the settings that decide the course of training
// and the order of the collectives (the progress, validation and checkpoint steps, which each
// take part in one), and the records (their tokens' fingerprint). A rank that differs would
// train on other windows, or wait at a collective the others never reach.
void check_ranks_agree(process_group& group, const train_settings& s, const json& settings,
                       const std::string& fingerprint) {
  json schedule = settings;
  schedule["batch_size_per_rank"] = s.batch_size;
  schedule["world_size"] = s.distributed.world_size;
  schedule["log_every"] = s.log_every;
  schedule["eval_every"] = s.eval_every;
  schedule["eval_windows"] = s.eval_windows;
  schedule["save_every"] = s.save_every;
  const auto all = group.gather("settings", schedule.dump(), "exchanging settings");
  std::string problems;
  for (std::size_t r = 1; r < all.size(); ++r) {
    const json other = json::parse(all[r], nullptr, false);
    std::string changed;
    for (const auto& [key, value] : schedule.items()) {
      if (!other.is_object() || !other.contains(key) || other[key] != value) {
        changed += (changed.empty() ? "" : ", ") + key;
      }
    }
    if (!changed.empty()) {
      problems += (problems.empty() ? "" : "; ") + std::string("rank ") + std::to_string(r) +
                  " has other settings than rank 0 (" + changed + ")";
    }
  }
  const auto prints = group.gather("data", fingerprint, "exchanging the data fingerprints");
  for (std::size_t r = 1; r < prints.size(); ++r) {
    if (prints[r] != prints.front()) {
      problems += (problems.empty() ? "" : "; ") + std::string("rank ") + std::to_string(r) +
                  " has other records or another tokenizer than rank 0 (data fingerprint " +
                  prints[r] + ", rank 0: " + prints.front() + ")";
    }
  }
  if (problems.empty()) return;
  throw error("distributed training, rank " + std::to_string(group.rank()) + " of " +
              std::to_string(group.size()) + ": " + problems +
              "; every rank must run the same pipeline on the same records");
}

// The ranks' weights are bit for bit the same (they start from rank 0's and apply the same
// averaged gradients); checked at each checkpoint, on every rank: the largest and the smallest
// hash over the ranks are equal only when all are.
void check_weights_agree(process_group& group, model& m, std::int64_t step) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const auto& ref : m.tensors()) {
    h = fnv1a(ref.data->data(), ref.data->size() * sizeof(float), h);
  }
  const auto mine = static_cast<std::int64_t>(h >> 2);  // room for the negation
  auto extremes = torch::tensor({mine, -mine}, torch::kLong);
  group.max(extremes, "comparing the ranks' weights");
  if (extremes[0].item<std::int64_t>() == -extremes[1].item<std::int64_t>()) return;
  throw error("distributed training, rank " + std::to_string(group.rank()) + " of " +
              std::to_string(group.size()) + ": the ranks' weights differ after step " +
              std::to_string(step) +
              " (the ranks must run the same textkit build with the same threads option); the "
              "checkpoint holds rank 0's");
}

}  // namespace

loss_table evaluate(model& m, const std::vector<label_tokens>& data, const train_settings& s) {
  const torch_weights w(m, false);
  return evaluate_weights(w, data, s);
}

train_result train(model& m, const std::vector<label_tokens>& data, const train_settings& s,
                   const fs::path& folder, const train_hooks& hooks,
                   const std::function<void()>& before_first_save) {
  if (s.block_size > m.cfg.n_positions) {
    throw error("block_size " + std::to_string(s.block_size) + " is larger than the model's " +
                std::to_string(m.cfg.n_positions) + " positions (n_positions)");
  }
  const auto plans = plan_phases(data, s);
  const std::int64_t total = s.total_steps();
  const json settings = trajectory_settings(s);
  const std::string fingerprint = data_fingerprint(data);
  torch::set_num_threads(std::max(1, s.threads));
  // Rank 0 (the only rank of a one-process run) speaks, writes and samples; the others train.
  const bool lead = s.distributed.rank == 0;
  auto say = [&](const std::string& text) {
    if (lead && hooks.message) hooks.message(text);
  };
  std::unique_ptr<process_group> group;
  if (s.distributed.enabled()) {
    group = std::make_unique<process_group>(s.distributed);
    check_ranks_agree(*group, s, settings, fingerprint);
    say("distributed: " + std::to_string(group->size()) + " ranks joined at " +
        s.distributed.master_addr + ":" + std::to_string(s.distributed.master_port) + ", " +
        std::to_string(s.batch_size) + " windows per rank and micro-batch");
  }

  moments opt;
  for (auto& ref : m.tensors()) {
    opt.m.emplace_back(ref.data->size(), 0.0f);
    opt.v.emplace_back(ref.data->size(), 0.0f);
  }
  train_result result;
  std::int64_t step = 0;
  const auto state_path = folder / training_state_file;
  if (lead && !s.restart && fs::exists(state_path)) {
    step = load_state(m, opt, settings, fingerprint, state_path);
    result.resumed_from = step;
    say("resuming from the checkpoint at step " + std::to_string(step) + " of " +
        std::to_string(total) + " (" + state_path.string() + ")");
  }
  if (group) {
    // Every rank starts from rank 0's weights, and on a resumed run from its step and moments
    // (the other ranks need no copy of the model folder).
    auto at = torch::tensor({step}, torch::kLong);
    group->broadcast({at}, "receiving rank 0's step");
    step = at.item<std::int64_t>();
    result.resumed_from = step;
    std::vector<std::vector<float>*> buffers;
    for (auto& ref : m.tensors()) buffers.push_back(ref.data);
    if (step > 0) {
      for (auto& b : opt.m) buffers.push_back(&b);
      for (auto& b : opt.v) buffers.push_back(&b);
    }
    group->broadcast(as_tensors(buffers), "receiving rank 0's weights");
  }

  torch_weights w(m, true);
  std::vector<bool> decay;
  for (const auto& p : w.parameters) decay.push_back(p.dim() >= 2);
  result.start = evaluate_weights(w, data, s, group.get());

  bool saved_once = false;
  auto checkpoint = [&](std::int64_t at) {
    if (lead) {
      if (!saved_once && before_first_save) before_first_save();
      saved_once = true;
      save_state(m, opt, at, settings, fingerprint, folder);
      save_model(m, folder);
    }
    if (group) check_weights_agree(*group, m, at);
    if (lead && hooks.after_checkpoint) hooks.after_checkpoint(at);
  };

  std::vector<std::int64_t> per_label(data.size(), 0);
  const auto started = std::chrono::steady_clock::now();
  std::int64_t tokens = 0;  // of all ranks
  double loss_sum = 0;
  std::int64_t loss_count = 0;
  double allreduce_logged = 0, wait_logged = 0;
  std::vector<torch::Tensor> grads;
  for (; step < total; ++step) {
    if (hooks.stop_requested && hooks.stop_requested()) throw cancelled();
    const auto& plan = phase_at(plans, step);
    double step_loss = 0;
    for (int micro = 0; micro < s.grad_accumulation; ++micro) {
      torch::Tensor ids, targets;
      draw_batch(data, plan, s, step, micro, ids, targets, per_label);
      auto loss = loss_of(w, ids, targets);
      (loss / s.grad_accumulation).backward();
      step_loss += loss.item<double>() / s.grad_accumulation;
      tokens += ids.numel() * s.distributed.world_size;
    }
    if (group) {
      // As DDP: once per optimizer step, after the micro-batches have added up their gradients.
      // A one-number all-reduce first, as a barrier, so that the time the ranks wait for the
      // slowest of them is told apart from the time the gradients take.
      const auto wait_start = std::chrono::steady_clock::now();
      auto ready = torch::zeros({1}, torch::kFloat);
      group->sum(ready, "waiting for the other ranks at step " + std::to_string(step + 1));
      const auto reduce_start = std::chrono::steady_clock::now();
      result.wait_seconds += std::chrono::duration<double>(reduce_start - wait_start).count();
      grads.clear();
      for (auto& p : w.parameters) {
        if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
        grads.push_back(p.grad());
      }
      group->average(grads, "the all-reduce of the gradients of step " + std::to_string(step + 1));
      result.allreduce_seconds +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - reduce_start).count();
    }
    const double norm = grad_norm(w.parameters);
    const float scale = s.grad_clip > 0 && norm > s.grad_clip
                            ? static_cast<float>(s.grad_clip / (norm + 1e-6))
                            : 1.0f;
    const double lr = lr_at(s, plan, step);
    for (std::size_t i = 0; i < w.parameters.size(); ++i) {
      auto& p = w.parameters[i];
      auto g = p.mutable_grad().contiguous();
      adamw_update(p.data_ptr<float>(), g.data_ptr<float>(), opt.m[i].data(), opt.v[i].data(),
                   opt.m[i].size(), lr, s.beta1, s.beta2, s.eps, decay[i] ? s.weight_decay : 0.0,
                   step + 1, scale);
      p.mutable_grad().zero_();
    }
    loss_sum += step_loss;
    ++loss_count;
    const std::int64_t done = step + 1;
    ++result.steps_done;
    if (lead && hooks.progress) hooks.progress(done, total);
    if (s.log_every > 0 && (done % s.log_every == 0 || done == total)) {
      if (group) {
        auto shared = torch::tensor({loss_sum}, torch::kDouble);
        group->sum(shared, "adding up the training losses");
        loss_sum = shared.item<double>() / group->size();
      }
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      const double rate = seconds > 0 ? static_cast<double>(tokens) / seconds : 0;
      const double eta =
          seconds / static_cast<double>(result.steps_done) * static_cast<double>(total - done);
      std::string labels;
      for (auto index : plan.labels) labels += (labels.empty() ? "" : "+") + data[index].label;
      char line[256];
      std::snprintf(
          line, sizeof line,
          "step %lld/%lld [%s]: loss %.4f, lr %.2e, grad norm %.2f, %.0f tokens/s, ETA %s",
          static_cast<long long>(done), static_cast<long long>(total), labels.c_str(),
          loss_sum / static_cast<double>(loss_count), lr, norm, rate, duration_text(eta).c_str());
      std::string text = line;
      if (group) {
        char reduce[128];
        const auto steps = static_cast<double>(loss_count);
        std::snprintf(reduce, sizeof reduce,
                      ", all-reduce %.1f ms/step (and %.1f ms waiting for the slowest rank)",
                      (result.allreduce_seconds - allreduce_logged) * 1000 / steps,
                      (result.wait_seconds - wait_logged) * 1000 / steps);
        text += reduce;
        allreduce_logged = result.allreduce_seconds;
        wait_logged = result.wait_seconds;
      }
      say(text);
      loss_sum = 0;
      loss_count = 0;
    }
    if (s.eval_every > 0 && done % s.eval_every == 0 && done != total) {
      std::string line = "step " + std::to_string(done) + ": validation loss";
      for (const auto& [label, loss] : evaluate_weights(w, data, s, group.get())) {
        line += " " + label + " " + loss_text(loss.validation);
      }
      say(line);
    }
    if (s.save_every > 0 && done % s.save_every == 0 && done != total) checkpoint(done);
    if (lead && hooks.sample && s.sample_every > 0 &&
        (done % s.sample_every == 0 || done == total)) {
      hooks.sample(done, m);
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  result.tokens_per_second = seconds > 0 ? static_cast<double>(tokens) / seconds : 0;
  checkpoint(total);
  result.end = evaluate_weights(w, data, s, group.get());
  if (!lead && !s.distributed.rank_model.empty()) save_model(m, s.distributed.rank_model);
  for (std::size_t i = 0; i < data.size(); ++i)
    result.steps_per_label[data[i].label] = per_label[i];
  return result;
}

}  // namespace textkit::gpt2
