#include "torch_model.h"

#include <cmath>

namespace textkit::gpt2 {
namespace {

torch::Tensor view(std::vector<float>& data, std::vector<std::int64_t> shape, bool requires_grad) {
  auto t = torch::from_blob(data.data(), shape, torch::TensorOptions().dtype(torch::kFloat32));
  if (requires_grad) t.requires_grad_(true);
  return t;
}

}  // namespace

torch_weights::torch_weights(model& m, bool requires_grad) : cfg(m.cfg) {
  const std::int64_t C = cfg.n_embd;
  auto v = [&](std::vector<float>& data, std::vector<std::int64_t> shape) {
    auto t = view(data, std::move(shape), requires_grad);
    parameters.push_back(t);
    return t;
  };
  wte = v(m.wte, {cfg.vocab_size, C});
  wpe = v(m.wpe, {cfg.n_positions, C});
  for (auto& l : m.layers) {
    layer t;
    t.ln1_w = v(l.ln1_w, {C});
    t.ln1_b = v(l.ln1_b, {C});
    t.qkv_w = v(l.qkv_w, {3 * C, C});
    t.qkv_b = v(l.qkv_b, {3 * C});
    t.proj_w = v(l.proj_w, {C, C});
    t.proj_b = v(l.proj_b, {C});
    t.ln2_w = v(l.ln2_w, {C});
    t.ln2_b = v(l.ln2_b, {C});
    t.fc_w = v(l.fc_w, {4 * C, C});
    t.fc_b = v(l.fc_b, {4 * C});
    t.fcproj_w = v(l.fcproj_w, {C, 4 * C});
    t.fcproj_b = v(l.fcproj_b, {C});
    layers.push_back(std::move(t));
  }
  lnf_w = v(m.lnf_w, {C});
  lnf_b = v(m.lnf_b, {C});
}

torch::Tensor forward(const torch_weights& w, const torch::Tensor& ids) {
  namespace F = torch::nn::functional;
  const auto& cfg = w.cfg;
  const std::int64_t B = ids.size(0), T = ids.size(1), C = cfg.n_embd, H = cfg.n_head;
  const double eps = cfg.layer_norm_epsilon;
  auto positions = torch::arange(T, torch::kLong);
  auto x =
      w.wte.index_select(0, ids.reshape({-1})).view({B, T, C}) + w.wpe.index_select(0, positions);
  auto mask = torch::ones({T, T}, torch::kBool).tril();
  for (const auto& l : w.layers) {
    auto h = torch::layer_norm(x, {C}, l.ln1_w, l.ln1_b, eps);
    auto qkv = torch::linear(h, l.qkv_w, l.qkv_b).split(C, 2);
    auto heads = [&](const torch::Tensor& t) { return t.view({B, T, H, C / H}).transpose(1, 2); };
    auto q = heads(qkv[0]), k = heads(qkv[1]), v = heads(qkv[2]);
    auto scores = torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(static_cast<double>(C / H));
    scores = scores.masked_fill(mask.logical_not(), -INFINITY);
    auto y =
        torch::matmul(torch::softmax(scores, -1), v).transpose(1, 2).contiguous().view({B, T, C});
    x = x + torch::linear(y, l.proj_w, l.proj_b);
    h = torch::layer_norm(x, {C}, l.ln2_w, l.ln2_b, eps);
    h = torch::gelu(torch::linear(h, l.fc_w, l.fc_b), "tanh");
    x = x + torch::linear(h, l.fcproj_w, l.fcproj_b);
  }
  x = torch::layer_norm(x, {C}, w.lnf_w, w.lnf_b, eps);
  return torch::linear(x, w.wte);
}

}  // namespace textkit::gpt2
