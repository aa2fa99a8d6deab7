// Incremental GPT-2 inference on the model's float buffers: a key/value cache per sequence, so a
// new token costs one position, and batches whose sequences have different lengths. Kernels are
// written for the shape of generation (few rows, weights streamed once per step), where BLAS's
// GEMV reaches a fraction of the memory bandwidth; see docs/plugins/gpt2.generate.md.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "model.h"

namespace textkit::gpt2 {

class work_team;

class decoder {
 public:
  /// Room for `batch` sequences of up to `max_length` tokens each (at most n_positions).
  decoder(const model& m, int batch, int max_length, int threads);
  ~decoder();
  decoder(const decoder&) = delete;
  decoder& operator=(const decoder&) = delete;

  /// Appends tokens[s] to sequence s (sequences given no tokens stay as they are) and computes,
  /// for each sequence that got tokens, the logits after its last one (see logits()).
  void feed(const std::vector<std::span<const std::int32_t>>& tokens);

  /// Logits over the vocabulary after sequence s's last token.
  [[nodiscard]] std::span<const float> logits(int s) const;
  /// Tokens held in sequence s's cache.
  [[nodiscard]] int length(int s) const { return lengths_[static_cast<std::size_t>(s)]; }
  [[nodiscard]] int max_length() const { return max_length_; }
  [[nodiscard]] int batch() const { return batch_; }
  /// Empties sequence s, to start a new text in its place.
  void reset(int s) { lengths_[static_cast<std::size_t>(s)] = 0; }

 private:
  const model& m_;
  int batch_;
  int max_length_;
  int threads_;
  std::vector<int> lengths_;
  std::vector<std::vector<float>> keys_,
      values_;                       ///< per layer: [batch][head][max_length][head_dim]
  std::vector<float> logits_;        ///< [batch][vocab]
  std::unique_ptr<work_team> team_;  ///< threads - 1 workers, started once
  // Scratch for one feed(): residual stream, normed input, q/k/v, attention output, MLP hidden,
  // a linear layer's output before it joins the residual stream, and the final rows' logits.
  std::vector<float> x_, h_, qkv_, att_, mlp_, y_, out_;
};

/// y[r][o] = b[o] + sum_i x[r][i] * w[o][i] for r < rows: the Linear layer on row-major buffers,
/// parallel over output rows (on threads started for the call). Exposed for tests and benchmarks.
void linear(const float* x, int rows, int in, const float* w, const float* b, int out, float* y,
            int threads);

}  // namespace textkit::gpt2
