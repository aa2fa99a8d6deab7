// The parts of training that need no libtorch: the train/validation split of a label's documents
// and the fused AdamW update.
#include <cmath>
#include <cstddef>

#include "trainer.h"

namespace textkit::gpt2 {

std::int64_t train_settings::total_steps() const {
  std::int64_t total = 0;
  for (const auto& p : phases) total += p.steps;
  return total;
}

label_tokens split_label(std::string label, const std::vector<std::vector<std::int32_t>>& docs,
                         std::int32_t separator, double fraction) {
  label_tokens out;
  out.label = std::move(label);
  auto append = [separator](std::vector<std::int32_t>& stream, const std::vector<std::int32_t>& d) {
    if (!stream.empty()) stream.push_back(separator);
    stream.insert(stream.end(), d.begin(), d.end());
  };
  if (fraction <= 0 || docs.empty()) {
    for (const auto& d : docs) append(out.train, d);
    return out;
  }
  if (docs.size() == 1) {
    const auto& d = docs.front();
    const auto held = static_cast<std::size_t>(std::ceil(static_cast<double>(d.size()) * fraction));
    const auto cut = d.size() - std::min(held, d.size());
    out.train.assign(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(cut));
    out.validation.assign(d.begin() + static_cast<std::ptrdiff_t>(cut), d.end());
    return out;
  }
  // Whole documents are held out, so that validation text was never seen in any window.
  auto held = static_cast<std::size_t>(std::round(static_cast<double>(docs.size()) * fraction));
  held = std::max<std::size_t>(1, std::min(held, docs.size() - 1));
  const std::size_t cut = docs.size() - held;
  for (std::size_t i = 0; i < docs.size(); ++i)
    append(i < cut ? out.train : out.validation, docs[i]);
  return out;
}

void adamw_update(float* p, const float* g, float* m, float* v, std::size_t n, double lr,
                  double beta1, double beta2, double eps, double weight_decay, std::int64_t step,
                  float grad_scale) {
  // As torch::optim::AdamW: decay first, then the Adam step with bias-corrected moments.
  const auto t = static_cast<double>(step);
  const auto b1 = static_cast<float>(beta1), b2 = static_cast<float>(beta2);
  const auto decay = static_cast<float>(1.0 - lr * weight_decay);
  const auto step_size = static_cast<float>(lr / (1.0 - std::pow(beta1, t)));
  const auto correction2 = static_cast<float>(std::sqrt(1.0 - std::pow(beta2, t)));
  const auto epsilon = static_cast<float>(eps);
  const auto count = static_cast<std::ptrdiff_t>(n);
#pragma omp parallel for schedule(static) if (count > 32768)
  for (std::ptrdiff_t i = 0; i < count; ++i) {
    const float grad = g[i] * grad_scale;
    m[i] = b1 * m[i] + (1 - b1) * grad;
    v[i] = b2 * v[i] + (1 - b2) * grad * grad;
    p[i] = p[i] * decay - step_size * m[i] / (std::sqrt(v[i]) / correction2 + epsilon);
  }
}

}  // namespace textkit::gpt2
