#include "sampling.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "decode.h"
#include "textkit/error.h"
#include "textkit/io.h"

namespace textkit::gpt2 {

std::uint64_t mix_seed(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string as_valid_utf8(std::string text) {
  for (std::size_t at = find_invalid_utf8(text); at != std::string::npos;
       at = find_invalid_utf8(text)) {
    // A truncated sequence at the very end: up to 3 lead/continuation bytes of one character.
    const auto lead = static_cast<unsigned char>(text[at]);
    const std::size_t needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
    if (needed && text.size() - at < needed) {
      bool continuation = true;
      for (std::size_t i = at + 1; i < text.size(); ++i) {
        continuation = continuation && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80;
      }
      if (continuation) {
        text.resize(at);
        continue;
      }
    }
    text.replace(at, 1, "\xEF\xBF\xBD");
  }
  return text;
}

std::int32_t pick_token(std::span<float> logits, const std::vector<std::int32_t>& context,
                        const sampling& s, std::mt19937_64& rng) {
  if (s.repetition_penalty != 1.0) {
    // CTRL's penalty (Keskar et al. 2019), as transformers applies it: once per distinct token.
    std::vector<std::int32_t> seen(context);
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    const auto p = static_cast<float>(s.repetition_penalty);
    for (auto id : seen) {
      if (id < 0 || static_cast<std::size_t>(id) >= logits.size()) continue;
      auto& v = logits[static_cast<std::size_t>(id)];
      v = v > 0 ? v / p : v * p;
    }
  }
  const auto n = static_cast<std::int32_t>(logits.size());
  if (s.temperature <= 0) {
    return static_cast<std::int32_t>(std::max_element(logits.begin(), logits.end()) -
                                     logits.begin());
  }
  std::vector<std::int32_t> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  auto higher = [&](std::int32_t a, std::int32_t b) {
    return logits[static_cast<std::size_t>(a)] > logits[static_cast<std::size_t>(b)] ||
           (logits[static_cast<std::size_t>(a)] == logits[static_cast<std::size_t>(b)] && a < b);
  };
  std::size_t keep = order.size();
  if (s.top_k > 0 && static_cast<std::size_t>(s.top_k) < order.size()) {
    keep = static_cast<std::size_t>(s.top_k);
    std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep) - 1,
                     order.end(), higher);
  }
  order.resize(keep);
  std::sort(order.begin(), order.end(), higher);
  const double best = logits[static_cast<std::size_t>(order[0])];
  std::vector<double> weights(keep);
  double total = 0;
  for (std::size_t i = 0; i < keep; ++i) {
    weights[i] = std::exp((logits[static_cast<std::size_t>(order[i])] - best) / s.temperature);
    total += weights[i];
  }
  if (s.top_p < 1.0) {
    // The smallest set of most likely tokens whose probability reaches top_p.
    double cumulative = 0;
    std::size_t cut = 0;
    while (cut < keep) {
      cumulative += weights[cut] / total;
      ++cut;
      if (cumulative >= s.top_p) break;
    }
    weights.resize(cut);
    order.resize(cut);
  }
  std::discrete_distribution<std::size_t> choose(weights.begin(), weights.end());
  return order[choose(rng)];
}

std::vector<std::vector<std::int32_t>> sample_tokens(const model& m, const sample_request& r) {
  if (r.count < 1 || r.max_tokens < 1) return {};
  if (r.prompt.empty()) throw error("a sample needs a prompt of at least one token");
  if (r.max_tokens >= m.cfg.n_positions) {
    throw error("samples of " + std::to_string(r.max_tokens) + " tokens leave no room for a " +
                "prompt in the model's " + std::to_string(m.cfg.n_positions) + " positions");
  }
  const auto room = static_cast<std::size_t>(m.cfg.n_positions - r.max_tokens);
  const auto prompt_size = std::min(room, r.prompt.size());
  const std::span<const std::int32_t> prompt(r.prompt.data() + r.prompt.size() - prompt_size,
                                             prompt_size);
  const auto vocab = static_cast<std::size_t>(
      r.vocab_size > 0 ? std::min(r.vocab_size, m.cfg.vocab_size) : m.cfg.vocab_size);

  decoder d(m, r.count, static_cast<int>(prompt_size) + r.max_tokens, r.threads);
  const auto n = static_cast<std::size_t>(r.count);
  std::vector<std::vector<std::int32_t>> out(n);
  std::vector<std::vector<std::int32_t>> context(
      n, std::vector<std::int32_t>(prompt.begin(), prompt.end()));
  std::vector<std::mt19937_64> rngs;
  for (std::size_t i = 0; i < n; ++i) rngs.emplace_back(mix_seed(r.seed ^ mix_seed(i)));
  std::vector<bool> done(n, false);
  std::vector<std::int32_t> next(n);
  std::vector<std::span<const std::int32_t>> feed(n, prompt);
  std::vector<float> scratch;
  for (int t = 0; t < r.max_tokens; ++t) {
    d.feed(feed);
    bool any = false;
    for (std::size_t i = 0; i < n; ++i) {
      feed[i] = {};
      if (done[i]) continue;
      const auto logits = d.logits(static_cast<int>(i));
      scratch.assign(logits.begin(), logits.begin() + static_cast<std::ptrdiff_t>(vocab));
      next[i] = pick_token(scratch, context[i], r.sample, rngs[i]);
      if (next[i] == r.stop_token) {
        done[i] = true;
        continue;
      }
      out[i].push_back(next[i]);
      context[i].push_back(next[i]);
      feed[i] = std::span(&next[i], 1);
      any = true;
    }
    if (!any) break;
  }
  return out;
}

}  // namespace textkit::gpt2
