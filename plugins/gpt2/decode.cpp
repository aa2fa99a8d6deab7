#include "decode.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "textkit/error.h"

namespace textkit::gpt2 {
namespace {

// Output rows handled together: each load of x feeds four weight rows.
constexpr int row_block = 4;

// One thread's share of linear(): output rows [o_begin, o_end). Compiled for AVX-512, AVX2 and
// plain x86-64; the loader picks the best the CPU has.
__attribute__((target_clones("avx512f", "avx2,fma", "default"))) void linear_rows(
    const float* x, int rows, int in, const float* w, const float* b, int out, float* y,
    int o_begin, int o_end) {
  int o = o_begin;
  for (; o + row_block <= o_end; o += row_block) {
    const float* w0 = w + static_cast<std::size_t>(o) * in;
    const float* w1 = w0 + in;
    const float* w2 = w1 + in;
    const float* w3 = w2 + in;
    for (int r = 0; r < rows; ++r) {
      const float* xr = x + static_cast<std::size_t>(r) * in;
      float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
#pragma omp simd reduction(+ : a0, a1, a2, a3)
      for (int i = 0; i < in; ++i) {
        a0 += w0[i] * xr[i];
        a1 += w1[i] * xr[i];
        a2 += w2[i] * xr[i];
        a3 += w3[i] * xr[i];
      }
      float* yr = y + static_cast<std::size_t>(r) * out;
      yr[o] = a0 + (b ? b[o] : 0.0f);
      yr[o + 1] = a1 + (b ? b[o + 1] : 0.0f);
      yr[o + 2] = a2 + (b ? b[o + 2] : 0.0f);
      yr[o + 3] = a3 + (b ? b[o + 3] : 0.0f);
    }
  }
  for (; o < o_end; ++o) {
    const float* wo = w + static_cast<std::size_t>(o) * in;
    for (int r = 0; r < rows; ++r) {
      const float* xr = x + static_cast<std::size_t>(r) * in;
      float a = 0;
#pragma omp simd reduction(+ : a)
      for (int i = 0; i < in; ++i) a += wo[i] * xr[i];
      y[static_cast<std::size_t>(r) * out + o] = a + (b ? b[o] : 0.0f);
    }
  }
}

void layer_norm(const float* x, int rows, int width, const float* gain, const float* bias,
                float epsilon, float* y) {
  for (int r = 0; r < rows; ++r) {
    const float* xr = x + static_cast<std::size_t>(r) * width;
    float* yr = y + static_cast<std::size_t>(r) * width;
    float mean = 0;
    for (int i = 0; i < width; ++i) mean += xr[i];
    mean /= static_cast<float>(width);
    float variance = 0;
    for (int i = 0; i < width; ++i) variance += (xr[i] - mean) * (xr[i] - mean);
    variance /= static_cast<float>(width);
    const float scale = 1.0f / std::sqrt(variance + epsilon);
    for (int i = 0; i < width; ++i) yr[i] = (xr[i] - mean) * scale * gain[i] + bias[i];
  }
}

// GPT-2's "gelu_new": the tanh approximation.
void gelu(float* x, std::size_t n) {
  constexpr float k = 0.7978845608028654f;  // sqrt(2 / pi)
  for (std::size_t i = 0; i < n; ++i) {
    const float v = x[i];
    x[i] = 0.5f * v * (1.0f + std::tanh(k * (v + 0.044715f * v * v * v)));
  }
}

}  // namespace

void linear(const float* x, int rows, int in, const float* w, const float* b, int out, float* y,
            int threads) {
  const int blocks = (out + row_block - 1) / row_block;
  const int team = std::max(1, std::min(threads, blocks));
#pragma omp parallel num_threads(team)
  {
    const int t = omp_get_thread_num();
    const int n = omp_get_num_threads();
    const int first = blocks * t / n;
    const int last = blocks * (t + 1) / n;
    linear_rows(x, rows, in, w, b, out, y, first * row_block, std::min(out, last * row_block));
  }
}

decoder::decoder(const model& m, int batch, int max_length, int threads)
    : m_(m),
      batch_(batch),
      max_length_(max_length),
      threads_(std::max(1, threads)),
      lengths_(static_cast<std::size_t>(batch), 0) {
  if (batch <= 0) throw error("batch size must be positive");
  if (max_length <= 0 || max_length > m.cfg.n_positions) {
    throw error("a sequence of " + std::to_string(max_length) +
                " tokens does not fit the model's " + std::to_string(m.cfg.n_positions) +
                " positions");
  }
  const auto cache_size = static_cast<std::size_t>(batch) * max_length * m.cfg.n_embd;
  keys_.assign(static_cast<std::size_t>(m.cfg.n_layer), std::vector<float>(cache_size));
  values_.assign(static_cast<std::size_t>(m.cfg.n_layer), std::vector<float>(cache_size));
  logits_.assign(static_cast<std::size_t>(batch) * m.cfg.vocab_size, 0.0f);
}

std::span<const float> decoder::logits(int s) const {
  const auto vocab = static_cast<std::size_t>(m_.cfg.vocab_size);
  return {logits_.data() + static_cast<std::size_t>(s) * vocab, vocab};
}

void decoder::feed(const std::vector<std::span<const std::int32_t>>& tokens) {
  const auto& cfg = m_.cfg;
  const int C = cfg.n_embd;
  const int heads = cfg.n_head;
  const int head_dim = C / heads;
  if (static_cast<int>(tokens.size()) > batch_) throw error("more sequences than the batch holds");

  // One row per new token: which sequence, which position.
  struct row_place {
    int sequence;
    int position;
  };
  std::vector<row_place> places;
  std::vector<int> last_row;  // per fed sequence, its last row
  std::vector<int> fed;
  for (int s = 0; s < static_cast<int>(tokens.size()); ++s) {
    const auto& new_tokens = tokens[static_cast<std::size_t>(s)];
    if (new_tokens.empty()) continue;
    const int start = lengths_[static_cast<std::size_t>(s)];
    if (start + static_cast<int>(new_tokens.size()) > max_length_) {
      throw error("sequence " + std::to_string(s) + " would grow past " +
                  std::to_string(max_length_) + " tokens");
    }
    for (std::size_t j = 0; j < new_tokens.size(); ++j) {
      const auto id = new_tokens[j];
      if (id < 0 || id >= cfg.vocab_size) {
        throw error("token id " + std::to_string(id) + " is outside the model's vocabulary of " +
                    std::to_string(cfg.vocab_size));
      }
      places.push_back({s, start + static_cast<int>(j)});
    }
    fed.push_back(s);
    last_row.push_back(static_cast<int>(places.size()) - 1);
  }
  const int rows = static_cast<int>(places.size());
  if (rows == 0) return;

  x_.resize(static_cast<std::size_t>(rows) * C);
  h_.resize(x_.size());
  att_.resize(x_.size());
  qkv_.resize(static_cast<std::size_t>(rows) * 3 * C);
  mlp_.resize(static_cast<std::size_t>(rows) * 4 * C);
  {
    std::size_t r = 0;
    for (int s : fed) {
      for (auto id : tokens[static_cast<std::size_t>(s)]) {
        const float* te = m_.wte.data() + static_cast<std::size_t>(id) * C;
        const float* pe = m_.wpe.data() + static_cast<std::size_t>(places[r].position) * C;
        float* xr = x_.data() + r * C;
        for (int i = 0; i < C; ++i) xr[i] = te[i] + pe[i];
        ++r;
      }
    }
  }

  const float scale = 1.0f / std::sqrt(static_cast<float>(head_dim));
  auto cache_index = [&](int s, int h, int pos) {
    return ((static_cast<std::size_t>(s) * heads + h) * max_length_ + pos) * head_dim;
  };
  for (int l = 0; l < cfg.n_layer; ++l) {
    const auto& w = m_.layers[static_cast<std::size_t>(l)];
    auto& keys = keys_[static_cast<std::size_t>(l)];
    auto& values = values_[static_cast<std::size_t>(l)];
    layer_norm(x_.data(), rows, C, w.ln1_w.data(), w.ln1_b.data(), cfg.layer_norm_epsilon,
               h_.data());
    linear(h_.data(), rows, C, w.qkv_w.data(), w.qkv_b.data(), 3 * C, qkv_.data(), threads_);
    for (int r = 0; r < rows; ++r) {
      const float* q = qkv_.data() + static_cast<std::size_t>(r) * 3 * C;
      for (int h = 0; h < heads; ++h) {
        const auto at = cache_index(places[r].sequence, h, places[r].position);
        std::copy_n(q + C + h * head_dim, head_dim, keys.data() + at);
        std::copy_n(q + 2 * C + h * head_dim, head_dim, values.data() + at);
      }
    }
    // Causal attention of each new row over its sequence's cache up to its own position.
#pragma omp parallel num_threads(threads_)
    {
      std::vector<float> scores(static_cast<std::size_t>(max_length_));
#pragma omp for schedule(dynamic, 4)
      for (int task = 0; task < rows * heads; ++task) {
        const int r = task / heads;
        const int h = task % heads;
        const auto [s, position] = places[static_cast<std::size_t>(r)];
        const float* q = qkv_.data() + static_cast<std::size_t>(r) * 3 * C + h * head_dim;
        float best = -INFINITY;
        for (int t = 0; t <= position; ++t) {
          const float* k = keys.data() + cache_index(s, h, t);
          float dot = 0;
          for (int i = 0; i < head_dim; ++i) dot += q[i] * k[i];
          scores[t] = dot * scale;
          best = std::max(best, scores[t]);
        }
        float total = 0;
        for (int t = 0; t <= position; ++t) {
          scores[t] = std::exp(scores[t] - best);
          total += scores[t];
        }
        float* out = att_.data() + static_cast<std::size_t>(r) * C + h * head_dim;
        std::fill_n(out, head_dim, 0.0f);
        for (int t = 0; t <= position; ++t) {
          const float weight = scores[t] / total;
          const float* v = values.data() + cache_index(s, h, t);
          for (int i = 0; i < head_dim; ++i) out[i] += weight * v[i];
        }
      }
    }
    linear(att_.data(), rows, C, w.proj_w.data(), w.proj_b.data(), C, h_.data(), threads_);
    for (std::size_t i = 0; i < x_.size(); ++i) x_[i] += h_[i];
    layer_norm(x_.data(), rows, C, w.ln2_w.data(), w.ln2_b.data(), cfg.layer_norm_epsilon,
               h_.data());
    linear(h_.data(), rows, C, w.fc_w.data(), w.fc_b.data(), 4 * C, mlp_.data(), threads_);
    gelu(mlp_.data(), mlp_.size());
    linear(mlp_.data(), rows, 4 * C, w.fcproj_w.data(), w.fcproj_b.data(), C, h_.data(), threads_);
    for (std::size_t i = 0; i < x_.size(); ++i) x_[i] += h_[i];
  }

  // Logits only for each fed sequence's last token.
  const int n_fed = static_cast<int>(fed.size());
  std::vector<float> last(static_cast<std::size_t>(n_fed) * C);
  for (int i = 0; i < n_fed; ++i) {
    layer_norm(x_.data() + static_cast<std::size_t>(last_row[i]) * C, 1, C, m_.lnf_w.data(),
               m_.lnf_b.data(), cfg.layer_norm_epsilon,
               last.data() + static_cast<std::size_t>(i) * C);
  }
  std::vector<float> out(static_cast<std::size_t>(n_fed) * cfg.vocab_size);
  linear(last.data(), n_fed, C, m_.wte.data(), nullptr, cfg.vocab_size, out.data(), threads_);
  for (int i = 0; i < n_fed; ++i) {
    std::copy_n(out.data() + static_cast<std::size_t>(i) * cfg.vocab_size, cfg.vocab_size,
                logits_.data() + static_cast<std::size_t>(fed[i]) * cfg.vocab_size);
  }
  for (int s : fed) lengths_[static_cast<std::size_t>(s)] += static_cast<int>(tokens[s].size());
}

}  // namespace textkit::gpt2
