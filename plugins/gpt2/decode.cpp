#include "decode.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "textkit/error.h"

namespace textkit::gpt2 {

// Threads for the decoder's steps. A step is cut into chunks that the caller and the workers
// claim from one atomic counter, and the caller waits only for chunks already claimed: nobody
// waits for a thread that has not started. On a busy machine (more runnable threads than cores) a
// descheduled worker then costs nothing, where an OpenMP barrier would stall every step until it
// runs again; on a quiet one, workers spin briefly between steps and pick a step up within
// nanoseconds. Idle workers sleep on the counter (futex) and are woken by the next step.
class work_team {
 public:
  explicit work_team(int threads) {
    for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { work(); });
  }
  ~work_team() {
    stopping_.store(true);
    next_.fetch_add(generation_one);  // a new value wakes the sleepers
    next_.notify_all();
    for (auto& t : workers_) t.join();
  }
  work_team(const work_team&) = delete;
  work_team& operator=(const work_team&) = delete;

  [[nodiscard]] int size() const { return static_cast<int>(workers_.size()) + 1; }

  /// Calls body(c) for every c in [0, chunks), spread over the team; returns when all are done.
  template <class Body>
  void run(int chunks, const Body& body) {
    if (chunks <= 0) return;
    if (workers_.empty() || chunks == 1) {
      for (int c = 0; c < chunks; ++c) body(c);
      return;
    }
    call_.store(
        +[](const void* context, int c) { (*static_cast<const Body*>(context))(c); },
        std::memory_order_relaxed);
    context_.store(&body, std::memory_order_relaxed);
    chunks_.store(chunks, std::memory_order_relaxed);
    done_.store(0, std::memory_order_relaxed);
    // The previous step is complete, so no one claims from the old value any more.
    const auto generation = (next_.load(std::memory_order_relaxed) | index_mask) + 1;
    next_.store(generation, std::memory_order_seq_cst);
    if (sleepers_.load(std::memory_order_seq_cst) > 0) next_.notify_all();
    while (claim_and_run()) {
    }
    // Only chunks other threads have claimed remain: they are running.
    for (int spins = 0; done_.load(std::memory_order_acquire) != chunks; ++spins) {
      if (spins < 4096) {
        pause();
      } else {
        std::this_thread::yield();  // the holder was descheduled: let it run
      }
    }
  }

 private:
  using call_type = void (*)(const void*, int);
  static constexpr std::uint64_t index_mask = (std::uint64_t{1} << 32) - 1;
  static constexpr std::uint64_t generation_one = std::uint64_t{1} << 32;

  static void pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }

  // Claims the next chunk of the current step and runs it; false when none is left.
  bool claim_and_run() {
    auto seen = next_.load(std::memory_order_acquire);
    while (true) {
      const auto index = static_cast<int>(seen & index_mask);
      // Read before claiming: while chunk `index` is unclaimed the step cannot end, so these
      // belong to the step `seen` names whenever the claim below succeeds.
      const int chunks = chunks_.load(std::memory_order_relaxed);
      const auto call = call_.load(std::memory_order_relaxed);
      const void* context = context_.load(std::memory_order_relaxed);
      if (index >= chunks) return false;
      if (next_.compare_exchange_weak(seen, seen + 1, std::memory_order_acq_rel)) {
        call(context, index);
        done_.fetch_add(1, std::memory_order_release);
        return true;
      }
    }
  }

  void work() {
    while (!stopping_.load(std::memory_order_relaxed)) {
      if (claim_and_run()) continue;
      const auto seen = next_.load(std::memory_order_seq_cst);
      if (claim_and_run()) continue;
      // Spin a little (the next step usually follows within microseconds), then sleep.
      bool changed = false;
      for (int spins = 0; spins < 20000 && !changed; ++spins) {
        pause();
        changed = next_.load(std::memory_order_relaxed) != seen;
      }
      if (changed) continue;
      sleepers_.fetch_add(1, std::memory_order_seq_cst);
      next_.wait(seen, std::memory_order_seq_cst);
      sleepers_.fetch_sub(1, std::memory_order_seq_cst);
    }
  }

  std::vector<std::thread> workers_;
  std::atomic<std::uint64_t> next_{0};  ///< step generation << 32 | next unclaimed chunk
  std::atomic<int> chunks_{0};
  std::atomic<int> done_{0};
  std::atomic<call_type> call_{nullptr};
  std::atomic<const void*> context_{nullptr};
  std::atomic<int> sleepers_{0};
  std::atomic<bool> stopping_{false};
};

namespace {

// Output rows handled together: each load of x feeds four weight rows.
constexpr int row_block = 4;

// y[r][o] for o in [o_begin, o_end): one chunk of linear(). Four weight rows at a time; with four
// or more input rows, four of those too, so each loaded vector feeds four products (16 sums in
// registers). Compiled for AVX-512, AVX2 and plain x86-64; the loader picks the best the CPU has.
__attribute__((target_clones("avx512f", "avx2,fma", "default"))) void linear_rows(
    const float* x, int rows, int in, const float* w, const float* b, int out, float* y,
    int o_begin, int o_end) {
  int o = o_begin;
  for (; o + row_block <= o_end; o += row_block) {
    const float* w0 = w + static_cast<std::size_t>(o) * in;
    const float* w1 = w0 + in;
    const float* w2 = w1 + in;
    const float* w3 = w2 + in;
    const float b0 = b ? b[o] : 0.0f, b1 = b ? b[o + 1] : 0.0f;
    const float b2 = b ? b[o + 2] : 0.0f, b3 = b ? b[o + 3] : 0.0f;
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
      const float* x0 = x + static_cast<std::size_t>(r) * in;
      const float* x1 = x0 + in;
      const float* x2 = x1 + in;
      const float* x3 = x2 + in;
      float a00 = 0, a01 = 0, a02 = 0, a03 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0;
      float a20 = 0, a21 = 0, a22 = 0, a23 = 0, a30 = 0, a31 = 0, a32 = 0, a33 = 0;
#pragma omp simd reduction(+ : a00, a01, a02, a03, a10, a11, a12, a13, a20, a21, a22, a23, a30, \
                               a31, a32, a33)
      for (int i = 0; i < in; ++i) {
        a00 += w0[i] * x0[i];
        a01 += w1[i] * x0[i];
        a02 += w2[i] * x0[i];
        a03 += w3[i] * x0[i];
        a10 += w0[i] * x1[i];
        a11 += w1[i] * x1[i];
        a12 += w2[i] * x1[i];
        a13 += w3[i] * x1[i];
        a20 += w0[i] * x2[i];
        a21 += w1[i] * x2[i];
        a22 += w2[i] * x2[i];
        a23 += w3[i] * x2[i];
        a30 += w0[i] * x3[i];
        a31 += w1[i] * x3[i];
        a32 += w2[i] * x3[i];
        a33 += w3[i] * x3[i];
      }
      float* y0 = y + static_cast<std::size_t>(r) * out + o;
      float* y1 = y0 + out;
      float* y2 = y1 + out;
      float* y3 = y2 + out;
      y0[0] = a00 + b0, y0[1] = a01 + b1, y0[2] = a02 + b2, y0[3] = a03 + b3;
      y1[0] = a10 + b0, y1[1] = a11 + b1, y1[2] = a12 + b2, y1[3] = a13 + b3;
      y2[0] = a20 + b0, y2[1] = a21 + b1, y2[2] = a22 + b2, y2[3] = a23 + b3;
      y3[0] = a30 + b0, y3[1] = a31 + b1, y3[2] = a32 + b2, y3[3] = a33 + b3;
    }
    for (; r < rows; ++r) {
      const float* xr = x + static_cast<std::size_t>(r) * in;
      float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
#pragma omp simd reduction(+ : a0, a1, a2, a3)
      for (int i = 0; i < in; ++i) {
        a0 += w0[i] * xr[i];
        a1 += w1[i] * xr[i];
        a2 += w2[i] * xr[i];
        a3 += w3[i] * xr[i];
      }
      float* yr = y + static_cast<std::size_t>(r) * out + o;
      yr[0] = a0 + b0, yr[1] = a1 + b1, yr[2] = a2 + b2, yr[3] = a3 + b3;
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

// Output rows per chunk: about 128 KiB of weights (a few microseconds of streaming), so a step
// has enough chunks to balance threads that run at different speeds.
int chunk_rows(int in) {
  const int rows = (128 * 1024 / 4 / std::max(1, in)) / row_block * row_block;
  return std::max(row_block, rows);
}

// The Linear layer over the team, calling then(o_begin, o_end) on each chunk of outputs right
// after computing it (while it is in cache).
template <class Then>
void team_linear(work_team& team, const float* x, int rows, int in, const float* w, const float* b,
                 int out, float* y, const Then& then) {
  const int step = chunk_rows(in);
  const int chunks = (out + step - 1) / step;
  team.run(chunks, [&](int c) {
    const int begin = c * step;
    const int end = std::min(out, begin + step);
    linear_rows(x, rows, in, w, b, out, y, begin, end);
    then(begin, end);
  });
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

// e^v for v in [-87, 87] (callers clamp), to about 2 ulp, in straight-line code that vectorizes:
// v = n ln 2 + r with |r| <= ln(2)/2, e^r by its Taylor polynomial to r^7, 2^n by the exponent
// bits.
inline float exp_inline(float v) {
  const float n = std::nearbyint(v * 1.44269504088896341f);
  const float r = (v - n * 0.693145751953125f) - n * 1.42860682030941723e-6f;
  float p = 1.0f / 5040;
  p = p * r + 1.0f / 720;
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const auto scale = std::bit_cast<float>((static_cast<std::int32_t>(n) + 127) << 23);
  return p * scale;
}

// GPT-2's "gelu_new", the tanh approximation, with tanh(u) = 1 - 2 / (e^2u + 1) (|u| clamped at
// 9, where tanh is 1 to float precision); absolute error about 1e-7 against std::tanh.
__attribute__((target_clones("avx512f", "avx2,fma", "default"))) void gelu(float* x,
                                                                           std::size_t n) {
  constexpr float k = 0.7978845608028654f;  // sqrt(2 / pi)
#pragma omp simd
  for (std::size_t i = 0; i < n; ++i) {
    const float v = x[i];
    const float u = std::min(9.0f, std::max(-9.0f, k * (v + 0.044715f * v * v * v)));
    const float t = 1.0f - 2.0f / (exp_inline(2.0f * u) + 1.0f);
    x[i] = 0.5f * v * (1.0f + t);
  }
}

}  // namespace

void linear(const float* x, int rows, int in, const float* w, const float* b, int out, float* y,
            int threads) {
  work_team team(std::max(1, threads));
  team_linear(team, x, rows, in, w, b, out, y, [](int, int) {});
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
  team_ = std::make_unique<work_team>(threads_);
}

decoder::~decoder() = default;

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
  y_.resize(x_.size());
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

  auto& team = *team_;
  const float scale = 1.0f / std::sqrt(static_cast<float>(head_dim));
  auto cache_index = [&](int s, int h, int pos) {
    return ((static_cast<std::size_t>(s) * heads + h) * max_length_ + pos) * head_dim;
  };
  // Adds a linear layer's output chunk (in y_) to the residual stream.
  auto add_to_stream = [&](int begin, int end) {
    for (int r = 0; r < rows; ++r) {
      float* xr = x_.data() + static_cast<std::size_t>(r) * C;
      const float* yr = y_.data() + static_cast<std::size_t>(r) * C;
      for (int o = begin; o < end; ++o) xr[o] += yr[o];
    }
  };
  for (int l = 0; l < cfg.n_layer; ++l) {
    const auto& w = m_.layers[static_cast<std::size_t>(l)];
    auto& keys = keys_[static_cast<std::size_t>(l)];
    auto& values = values_[static_cast<std::size_t>(l)];
    layer_norm(x_.data(), rows, C, w.ln1_w.data(), w.ln1_b.data(), cfg.layer_norm_epsilon,
               h_.data());
    // q, k, v; each chunk's keys and values go to the cache as soon as they are computed.
    team_linear(team, h_.data(), rows, C, w.qkv_w.data(), w.qkv_b.data(), 3 * C, qkv_.data(),
                [&](int begin, int end) {
                  for (int r = 0; r < rows; ++r) {
                    const auto [s, position] = places[static_cast<std::size_t>(r)];
                    const float* q = qkv_.data() + static_cast<std::size_t>(r) * 3 * C;
                    for (int o = std::max(begin, C); o < end; ++o) {
                      const int part = o < 2 * C ? o - C : o - 2 * C;
                      auto& cache = o < 2 * C ? keys : values;
                      cache[cache_index(s, part / head_dim, position) + part % head_dim] = q[o];
                    }
                  }
                });
    // Causal attention of each new row over its sequence's cache up to its own position.
    team.run(rows * heads, [&](int task) {
      const int r = task / heads;
      const int h = task % heads;
      const auto [s, position] = places[static_cast<std::size_t>(r)];
      thread_local std::vector<float> weights;
      weights.resize(static_cast<std::size_t>(position) + 1);
      const float* q = qkv_.data() + static_cast<std::size_t>(r) * 3 * C + h * head_dim;
      float best = -INFINITY;
      for (int t = 0; t <= position; ++t) {
        const float* k = keys.data() + cache_index(s, h, t);
        float dot = 0;
        for (int i = 0; i < head_dim; ++i) dot += q[i] * k[i];
        weights[t] = dot * scale;
        best = std::max(best, weights[t]);
      }
      float total = 0;
      for (int t = 0; t <= position; ++t) {
        weights[t] = std::exp(weights[t] - best);
        total += weights[t];
      }
      float* out = att_.data() + static_cast<std::size_t>(r) * C + h * head_dim;
      std::fill_n(out, head_dim, 0.0f);
      for (int t = 0; t <= position; ++t) {
        const float weight = weights[t] / total;
        const float* v = values.data() + cache_index(s, h, t);
        for (int i = 0; i < head_dim; ++i) out[i] += weight * v[i];
      }
    });
    team_linear(team, att_.data(), rows, C, w.proj_w.data(), w.proj_b.data(), C, y_.data(),
                add_to_stream);
    layer_norm(x_.data(), rows, C, w.ln2_w.data(), w.ln2_b.data(), cfg.layer_norm_epsilon,
               h_.data());
    team_linear(team, h_.data(), rows, C, w.fc_w.data(), w.fc_b.data(), 4 * C, mlp_.data(),
                [&](int begin, int end) {
                  for (int r = 0; r < rows; ++r) {
                    gelu(mlp_.data() + static_cast<std::size_t>(r) * 4 * C + begin,
                         static_cast<std::size_t>(end - begin));
                  }
                });
    team_linear(team, mlp_.data(), rows, 4 * C, w.fcproj_w.data(), w.fcproj_b.data(), C, y_.data(),
                add_to_stream);
  }

  // Logits only for each fed sequence's last token, written straight into logits_.
  const int n_fed = static_cast<int>(fed.size());
  for (int i = 0; i < n_fed; ++i) {
    layer_norm(x_.data() + static_cast<std::size_t>(last_row[i]) * C, 1, C, m_.lnf_w.data(),
               m_.lnf_b.data(), cfg.layer_norm_epsilon,
               h_.data() + static_cast<std::size_t>(i) * C);
  }
  const int vocab = cfg.vocab_size;
  out_.resize(static_cast<std::size_t>(n_fed) * vocab);
  team_linear(team, h_.data(), n_fed, C, m_.wte.data(), nullptr, vocab, out_.data(),
              [&](int begin, int end) {
                for (int i = 0; i < n_fed; ++i) {
                  std::copy(out_.data() + static_cast<std::size_t>(i) * vocab + begin,
                            out_.data() + static_cast<std::size_t>(i) * vocab + end,
                            logits_.data() + static_cast<std::size_t>(fed[i]) * vocab + begin);
                }
              });
  for (int s : fed) lengths_[static_cast<std::size_t>(s)] += static_cast<int>(tokens[s].size());
}

}  // namespace textkit::gpt2
