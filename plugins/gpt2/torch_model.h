// GPT-2 as libtorch operations on the model's own buffers (no copy): the full forward pass that
// training differentiates, and the independent reference the cached decoder is tested against.
// Only code that trains or checks includes this header (each such file compiles for ~30 s).
#pragma once
#include <torch/torch.h>

#include <vector>

#include "model.h"

namespace textkit::gpt2 {

/// Views of every weight buffer as tensors, in model::tensors() order; with requires_grad they are
/// leaf parameters an optimizer updates in place.
struct torch_weights {
  explicit torch_weights(model& m, bool requires_grad = false);

  torch::Tensor wte, wpe, lnf_w, lnf_b;
  struct layer {
    torch::Tensor ln1_w, ln1_b, qkv_w, qkv_b, proj_w, proj_b, ln2_w, ln2_b, fc_w, fc_b, fcproj_w,
        fcproj_b;
  };
  std::vector<layer> layers;
  std::vector<torch::Tensor> parameters;
  config cfg;
};

/// Logits [B, T, vocab] for token ids [B, T] (int64), every position recomputed.
torch::Tensor forward(const torch_weights& w, const torch::Tensor& ids);

}  // namespace textkit::gpt2
