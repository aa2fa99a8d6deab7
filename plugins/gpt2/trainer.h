// GPT-2 training on token streams grouped by label: phases in sequence (or labels mixed), random
// windows, AdamW with warmup and decay, gradient clipping and accumulation, per-label validation,
// and checkpoints a later run resumes from exactly. No libtorch in this header: the plugin step
// (train.cpp) and the tests include it; trainer.cpp alone compiles against libtorch.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "model.h"

namespace textkit::gpt2 {

/// One label's documents as one token stream (documents joined by <|endoftext|>), split into a
/// training part and a held-out validation part (its tail).
struct label_tokens {
  std::string label;
  std::vector<std::int32_t> train;
  std::vector<std::int32_t> validation;
};

/// Splits each document list into train and validation streams: the last `fraction` of a label's
/// documents are held out (at least one when the label has two or more and fraction > 0); a label
/// of one document gives the last `fraction` of its tokens instead.
label_tokens split_label(std::string label, const std::vector<std::vector<std::int32_t>>& docs,
                         std::int32_t separator, double fraction);

/// Data-parallel training over torch.distributed (c10d: a TCPStore for the rendezvous, Gloo for
/// the collectives). world_size 1: one process, nothing distributed. Each rank trains on its own
/// rows of every step's batch (batch_size is per rank: a step sees world_size x batch_size
/// windows, exactly those one process with that batch would draw), gradients are averaged with
/// all-reduce, and rank 0 alone writes the model folder, checkpoints and samples.
struct distributed_settings {
  int rank = 0;
  int world_size = 1;
  std::string master_addr = "127.0.0.1";
  int master_port = 29500;
  double timeout_s = 300;  ///< rendezvous and every collective; a lost rank stops the others
  /// Ranks other than 0: write the final weights (config.json, model.safetensors) here, to check
  /// that the ranks agree. Empty: nothing.
  std::string rank_model;

  [[nodiscard]] bool enabled() const { return world_size > 1; }
};

/// A stretch of training: `steps` optimizer steps on windows drawn from `labels` (several labels:
/// each window's label drawn with probability proportional to `weights`, by default to the
/// labels' training tokens).
struct train_phase {
  std::vector<std::string> labels;
  std::vector<double> weights;  ///< empty, or one per label
  std::int64_t steps = 0;
};

struct train_settings {
  std::vector<train_phase> phases;
  int block_size = 128;
  int batch_size = 4;
  int grad_accumulation = 1;
  double learning_rate = 1e-4;
  double min_lr = 0.1;        ///< as a fraction of learning_rate, reached at the end of each phase
  double warmup = 0.05;       ///< fraction of each phase's steps with a linear ramp from 0
  bool cosine = true;         ///< cosine decay to min_lr after warmup; false: constant
  double weight_decay = 0.1;  ///< on 2-D weights only (not biases, LayerNorm)
  double beta1 = 0.9;
  double beta2 = 0.95;
  double eps = 1e-8;
  double grad_clip = 1.0;  ///< 0: off
  std::uint64_t seed = 1337;
  int threads = 1;
  std::int64_t save_every = 0;  ///< steps; 0: only at the end
  std::int64_t eval_every = 0;  ///< steps; 0: at the start, the end and each checkpoint
  int eval_windows = 16;        ///< windows per label and split for a loss estimate
  std::int64_t log_every = 10;
  /// steps; 0: none. Every this many steps (and at the last), hooks.sample sees the model. Not
  /// part of a checkpoint's settings: samples do not change the course of training.
  std::int64_t sample_every = 0;
  bool restart = false;  ///< ignore a training state in the folder and start over
  distributed_settings distributed;

  [[nodiscard]] std::int64_t total_steps() const;
};

/// Loss per label on its training and validation streams (NaN when a stream is too short).
struct label_loss {
  double train = 0;
  double validation = 0;
};
using loss_table = std::map<std::string, label_loss>;

/// What the step sees of a run: progress, messages, stop requests, samples.
struct train_hooks {
  std::function<void(std::int64_t step, std::int64_t total)> progress;
  std::function<void(const std::string&)> message;
  std::function<bool()> stop_requested;
  /// Called after each checkpoint's files are in place (tests kill runs here).
  std::function<void(std::int64_t step)> after_checkpoint;
  /// Called every sample_every steps with the model being trained: its buffers hold the weights
  /// after that step (libtorch trains them in place), so the cached decoder can sample from it.
  std::function<void(std::int64_t step, const model& m)> sample;
};

struct train_result {
  std::int64_t resumed_from = 0;  ///< step of the checkpoint the run continued from; 0: fresh
  std::int64_t steps_done = 0;    ///< steps run in this call
  loss_table start, end;
  std::map<std::string, std::int64_t> steps_per_label;  ///< windows drawn per label, this call
  double tokens_per_second = 0;                         ///< of all ranks together
  double allreduce_seconds = 0;  ///< averaging gradients across ranks, this call
  double wait_seconds = 0;       ///< waiting for the slowest rank before that, this call
};

/// The file beside config.json and model.safetensors that holds what a resumed run needs: the
/// weights again (so that a kill between two files never pairs new weights with an old optimizer),
/// AdamW's moments, the step, and fingerprints of the settings and data.
inline constexpr const char* training_state_file = "training_state.safetensors";

/// Trains `m` in place on `data` and writes checkpoints into `folder` (model files, then the
/// training state; the caller writes the tokenizer). With s.distributed.enabled(), every rank
/// calls this with the same data and settings (checked at the rendezvous); only rank 0 writes
/// into `folder`, reads its training state (and sends it to the others), and calls the hooks
/// other than stop_requested. When `folder` holds a training state whose
/// settings and data fingerprints match, training continues from it (its weights replace m's);
/// a mismatch throws textkit::error saying what changed. `before_first_save` runs once before
/// the first file is written.
train_result train(model& m, const std::vector<label_tokens>& data, const train_settings& s,
                   const std::filesystem::path& folder, const train_hooks& hooks,
                   const std::function<void()>& before_first_save = {});

/// Losses of `m` per label (the same windows train() reports at its start and end).
loss_table evaluate(model& m, const std::vector<label_tokens>& data, const train_settings& s);

/// AdamW on float buffers, one fused pass per parameter (what torch::optim::AdamW does in several
/// tensor operations): p -= lr * (m_hat / (sqrt(v_hat) + eps) + wd * p). `step` counts from 1.
void adamw_update(float* p, const float* g, float* m, float* v, std::size_t n, double lr,
                  double beta1, double beta2, double eps, double weight_decay, std::int64_t step,
                  float grad_scale);

}  // namespace textkit::gpt2
