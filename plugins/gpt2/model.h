// GPT-2's weights and configuration, and model folders: Hugging Face's layout (config.json,
// model.safetensors) read and written, llm.c's gpt2_124M.bin read. No libtorch here: generation
// (decode.h) runs on these buffers directly, and training wraps them as tensors (torch_model.h).
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace textkit::gpt2 {

struct config {
  int n_layer = 12;
  int n_head = 12;
  int n_embd = 768;
  int n_positions = 1024;
  int vocab_size = 50257;
  float layer_norm_epsilon = 1e-5f;
  /// Everything else config.json held, written back unchanged when the model is saved.
  nlohmann::json original = nlohmann::json::object();

  /// Reads and checks config.json; errors name the file and the key.
  static config read(const std::filesystem::path& path);
  [[nodiscard]] nlohmann::json to_json() const;
  /// Throws textkit::error when the numbers cannot make a model (n_embd not a multiple of
  /// n_head...).
  void check(const std::string& where) const;
  [[nodiscard]] std::int64_t parameter_count() const;
};

/// Linear weights are stored as [out, in], rows contiguous (PyTorch's nn.Linear layout); Hugging
/// Face's Conv1D stores [in, out] and is transposed on load and save.
struct layer_weights {
  std::vector<float> ln1_w, ln1_b;
  std::vector<float> qkv_w, qkv_b;    ///< [3C, C], [3C]
  std::vector<float> proj_w, proj_b;  ///< [C, C], [C]
  std::vector<float> ln2_w, ln2_b;
  std::vector<float> fc_w, fc_b;          ///< [4C, C], [4C]
  std::vector<float> fcproj_w, fcproj_b;  ///< [C, 4C], [C]
};

struct model {
  config cfg;
  std::vector<float> wte;  ///< [vocab, C], also the output projection (tied)
  std::vector<float> wpe;  ///< [n_positions, C]
  std::vector<layer_weights> layers;
  std::vector<float> lnf_w, lnf_b;

  /// Every weight buffer with its Hugging Face name (no "transformer." prefix), its shape as
  /// stored there, and whether it is a transposed Conv1D weight. One table drives load, save,
  /// and training's parameter list.
  struct tensor_ref {
    std::string name;
    std::vector<float>* data;
    std::vector<std::int64_t> hf_shape;
    bool conv1d;
  };
  std::vector<tensor_ref> tensors();

  /// A model with GPT-2's initialisation (normal 0.02, residual projections scaled by
  /// 1/sqrt(2 n_layer), LayerNorm 1/0), reproducible from `seed`.
  static model random(const config& cfg, std::uint64_t seed);
};

/// Loads a model folder: config.json + model.safetensors (F32, F16 or BF16; with or without the
/// "transformer." prefix), or an llm.c checkpoint (a .bin file, or a folder holding one). Errors
/// name the file and what is wrong: missing files, a truncated or corrupt file, a tensor whose
/// shape does not match config.json.
model load_model(const std::filesystem::path& path);

/// Writes config.json and model.safetensors (F32, metadata format "pt", Conv1D layout) so that
/// Hugging Face transformers loads the folder; each file atomically.
void save_model(const model& m, const std::filesystem::path& folder);

}  // namespace textkit::gpt2
