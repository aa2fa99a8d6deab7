// The ranks of a data-parallel training: a c10d TCPStore rendezvous (rank 0 serves it) and a Gloo
// process group, with the few collectives training needs. Every failure, a rank that died or a
// timeout, becomes a textkit::error that names this rank, the master's address and the timeout.
// Private to the training (trainer.cpp); distributed.cpp is the one file with the c10d headers.
#pragma once
#include <torch/torch.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "trainer.h"

namespace textkit::gpt2 {

class process_group {
 public:
  /// Joins the rendezvous at s.master_addr:s.master_port; throws when the other ranks do not all
  /// come within s.timeout_s.
  explicit process_group(const distributed_settings& s);
  ~process_group();
  process_group(const process_group&) = delete;
  process_group& operator=(const process_group&) = delete;

  [[nodiscard]] int rank() const { return settings_.rank; }
  [[nodiscard]] int size() const { return settings_.world_size; }

  /// Replaces each tensor by its mean over the ranks, as DDP does: the tensors are flattened into
  /// buckets of about 25 MB, each bucket all-reduced (all in flight at once), divided by the
  /// number of ranks and copied back.
  void average(const std::vector<torch::Tensor>& tensors, std::string_view what);
  /// Gives every rank rank 0's values of the tensors (in buckets, as average).
  void broadcast(const std::vector<torch::Tensor>& tensors, std::string_view what);
  /// Element-wise sum (or maximum) over the ranks, in place; for small tensors.
  void sum(torch::Tensor& t, std::string_view what);
  void max(torch::Tensor& t, std::string_view what);
  /// Every rank's `value` under `key` (a key used once), in rank order, through the store.
  std::vector<std::string> gather(std::string_view key, const std::string& value,
                                  std::string_view what);

 private:
  enum class op { mean, broadcast };
  void run_buckets(const std::vector<torch::Tensor>& tensors, op kind, std::string_view what);
  [[noreturn]] void fail(std::string_view what, std::string_view why) const;

  distributed_settings settings_;
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace textkit::gpt2
