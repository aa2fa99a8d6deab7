#include "model.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <random>

#include "safetensors.h"
#include "textkit/error.h"
#include "textkit/io.h"

namespace textkit::gpt2 {
namespace {

using json = nlohmann::json;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& message) {
  throw error(origin{path.string(), 0, 0}, message);
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

std::int64_t elements(const std::vector<std::int64_t>& shape) {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

int read_int(const json& j, const std::filesystem::path& path, const char* key, int fallback,
             const char* alias = nullptr) {
  const json* value = nullptr;
  if (j.contains(key)) {
    value = &j[key];
  } else if (alias && j.contains(alias)) {
    value = &j[alias];
    key = alias;
  }
  if (!value) return fallback;
  if (!value->is_number_integer() || value->get<std::int64_t>() <= 0 ||
      value->get<std::int64_t>() > 10'000'000) {
    fail(path, std::string("\"") + key + "\" must be a positive integer, got " + value->dump());
  }
  return value->get<int>();
}

float bf16_to_float(std::uint16_t bits) { return std::bit_cast<float>(std::uint32_t(bits) << 16); }

float f16_to_float(std::uint16_t h) {
  const std::uint32_t sign = (h & 0x8000u) << 16;
  std::uint32_t exponent = (h >> 10) & 0x1f;
  std::uint32_t mantissa = h & 0x3ff;
  if (exponent == 0x1f) return std::bit_cast<float>(sign | 0x7f800000u | (mantissa << 13));
  if (exponent == 0) {
    if (mantissa == 0) return std::bit_cast<float>(sign);
    // Subnormal: value = mantissa * 2^-24.
    const float value = std::ldexp(static_cast<float>(mantissa), -24);
    return sign ? -value : value;
  }
  return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

// Copies a tensor of any float dtype into `out` as float32, transposing a 2-D [rows, cols] tensor
// when asked.
void load_floats(const safetensors_file& file, const tensor_info& t, std::vector<float>& out,
                 bool transpose) {
  const auto n = static_cast<std::size_t>(t.elements());
  std::vector<float> values(n);
  if (t.dtype == "F32") {
    file.read(t, std::as_writable_bytes(std::span(values)));
  } else if (t.dtype == "F16" || t.dtype == "BF16") {
    std::vector<std::uint16_t> half(n);
    file.read(t, std::as_writable_bytes(std::span(half)));
    for (std::size_t i = 0; i < n; ++i) {
      values[i] = t.dtype == "F16" ? f16_to_float(half[i]) : bf16_to_float(half[i]);
    }
  } else {
    fail(file.path(), "tensor \"" + t.name + "\" is " + t.dtype + "; expected F32, F16 or BF16");
  }
  if (!transpose) {
    out = std::move(values);
    return;
  }
  const auto rows = static_cast<std::size_t>(t.shape[0]);
  const auto cols = static_cast<std::size_t>(t.shape[1]);
  out.assign(n, 0.0f);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) out[c * rows + r] = values[r * cols + c];
  }
}

model load_safetensors_folder(const std::filesystem::path& folder) {
  const auto config_path = folder / "config.json";
  const auto weights_path = folder / "model.safetensors";
  if (!std::filesystem::exists(config_path)) {
    fail(folder,
         "not a model folder: no config.json (a Hugging Face GPT-2 folder has config.json, "
         "model.safetensors, vocab.json and merges.txt)");
  }
  model m;
  m.cfg = config::read(config_path);
  if (!std::filesystem::exists(weights_path)) {
    const bool has_bin = std::filesystem::exists(folder / "pytorch_model.bin");
    fail(weights_path, has_bin ? "no such file; this folder has only pytorch_model.bin (a pickle): "
                                 "convert it to safetensors with transformers' save_pretrained("
                                 "safe_serialization=True)"
                               : "no such file");
  }
  auto file = safetensors_file::open(weights_path);
  m.layers.resize(static_cast<std::size_t>(m.cfg.n_layer));
  std::vector<std::string> missing;
  for (auto& ref : m.tensors()) {
    const tensor_info* t = file.find(ref.name);
    if (!t) t = file.find("transformer." + ref.name);
    if (!t) {
      missing.push_back(ref.name);
      continue;
    }
    if (t->shape != ref.hf_shape) {
      fail(weights_path, "tensor \"" + t->name + "\" has shape " + shape_text(t->shape) +
                             ", but config.json (n_layer " + std::to_string(m.cfg.n_layer) +
                             ", n_embd " + std::to_string(m.cfg.n_embd) + ", vocab_size " +
                             std::to_string(m.cfg.vocab_size) + ", n_positions " +
                             std::to_string(m.cfg.n_positions) + ") needs " +
                             shape_text(ref.hf_shape));
    }
    load_floats(file, *t, *ref.data, ref.conv1d);
  }
  if (!missing.empty()) {
    std::string list;
    for (std::size_t i = 0; i < missing.size() && i < 5; ++i) list += (i ? ", " : "") + missing[i];
    if (missing.size() > 5) list += ", ... (" + std::to_string(missing.size()) + " in all)";
    fail(weights_path, "missing tensors for the config.json's " + std::to_string(m.cfg.n_layer) +
                           " layers: " + list);
  }
  for (const auto& t : file.tensors()) {
    auto name = std::string_view(t.name);
    if (name.starts_with("transformer.")) name.remove_prefix(12);
    // A tensor of a layer beyond n_layer means config.json and the weights disagree.
    if (name.starts_with("h.")) {
      const auto layer = std::atoi(std::string(name.substr(2)).c_str());
      if (layer >= m.cfg.n_layer) {
        fail(weights_path, "tensor \"" + t.name + "\" belongs to layer " + std::to_string(layer) +
                               ", but config.json says n_layer " + std::to_string(m.cfg.n_layer));
      }
    }
  }
  return m;
}

// llm.c's checkpoint (train_gpt2.c, gpt2_build_from_checkpoint): 256 int32 header, then the
// parameters in a fixed order, weights as [out, in], vocabulary rows padded to padded_vocab.
model load_llmc(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot open the file");
  std::int32_t header[256];
  if (!in.read(reinterpret_cast<char*>(header), sizeof header)) {
    fail(path, "truncated: shorter than llm.c's 1024-byte header");
  }
  if (header[0] != 20240326) {
    fail(path, "not an llm.c GPT-2 checkpoint (magic " + std::to_string(header[0]) +
                   ", expected 20240326)");
  }
  if (header[1] != 3) {
    fail(path, "llm.c checkpoint version " + std::to_string(header[1]) +
                   "; only version 3 (float32) is supported");
  }
  model m;
  auto& cfg = m.cfg;
  cfg.n_positions = header[2];
  cfg.vocab_size = header[3];
  cfg.n_layer = header[4];
  cfg.n_head = header[5];
  cfg.n_embd = header[6];
  const std::int64_t padded_vocab = header[7];
  cfg.check(path.string() + ": header");
  if (padded_vocab < cfg.vocab_size)
    fail(path, "header: padded vocabulary smaller than vocabulary");
  const std::int64_t C = cfg.n_embd, L = cfg.n_layer;
  auto read_floats = [&](std::int64_t count, const char* what) {
    std::vector<float> values(static_cast<std::size_t>(count));
    if (!in.read(reinterpret_cast<char*>(values.data()), count * 4)) {
      fail(path, std::string("truncated in ") + what);
    }
    return values;
  };
  m.wte = read_floats(padded_vocab * C, "wte");
  m.wte.resize(static_cast<std::size_t>(cfg.vocab_size * C));
  m.wpe = read_floats(cfg.n_positions * C, "wpe");
  m.layers.resize(static_cast<std::size_t>(L));
  // Each group holds the tensor of every layer in turn.
  auto per_layer = [&](std::vector<float> layer_weights::*member, std::int64_t size,
                       const char* what) {
    auto all = read_floats(L * size, what);
    for (std::int64_t l = 0; l < L; ++l) {
      (m.layers[l].*member).assign(all.begin() + l * size, all.begin() + (l + 1) * size);
    }
  };
  per_layer(&layer_weights::ln1_w, C, "ln1w");
  per_layer(&layer_weights::ln1_b, C, "ln1b");
  per_layer(&layer_weights::qkv_w, 3 * C * C, "qkvw");
  per_layer(&layer_weights::qkv_b, 3 * C, "qkvb");
  per_layer(&layer_weights::proj_w, C * C, "attprojw");
  per_layer(&layer_weights::proj_b, C, "attprojb");
  per_layer(&layer_weights::ln2_w, C, "ln2w");
  per_layer(&layer_weights::ln2_b, C, "ln2b");
  per_layer(&layer_weights::fc_w, 4 * C * C, "fcw");
  per_layer(&layer_weights::fc_b, 4 * C, "fcb");
  per_layer(&layer_weights::fcproj_w, 4 * C * C, "fcprojw");
  per_layer(&layer_weights::fcproj_b, C, "fcprojb");
  m.lnf_w = read_floats(C, "lnfw");
  m.lnf_b = read_floats(C, "lnfb");
  if (in.peek() != std::char_traits<char>::eof()) {
    fail(path, "longer than its header says (" + std::to_string(L) + " layers, n_embd " +
                   std::to_string(C) + ")");
  }
  return m;
}

}  // namespace

config config::read(const std::filesystem::path& path) {
  json j;
  try {
    j = json::parse(textkit::read_file(path.string()));
  } catch (const json::parse_error& e) {
    fail(path, std::string("not valid JSON: ") + e.what());
  }
  if (!j.is_object()) fail(path, "expected a JSON object");
  if (j.contains("model_type") && j["model_type"] != "gpt2") {
    fail(path,
         "model_type is " + j["model_type"].dump() + "; textkit runs GPT-2 models (\"gpt2\")");
  }
  config cfg;
  cfg.original = j;
  cfg.n_layer = read_int(j, path, "n_layer", cfg.n_layer);
  cfg.n_head = read_int(j, path, "n_head", cfg.n_head);
  cfg.n_embd = read_int(j, path, "n_embd", cfg.n_embd);
  cfg.n_positions = read_int(j, path, "n_positions", cfg.n_positions, "n_ctx");
  cfg.vocab_size = read_int(j, path, "vocab_size", cfg.vocab_size);
  if (j.contains("layer_norm_epsilon")) {
    if (!j["layer_norm_epsilon"].is_number()) fail(path, "\"layer_norm_epsilon\" must be a number");
    cfg.layer_norm_epsilon = j["layer_norm_epsilon"].get<float>();
  }
  if (j.contains("activation_function") && j["activation_function"] != "gelu_new") {
    fail(path, "activation_function " + j["activation_function"].dump() +
                   " is not supported (GPT-2 uses \"gelu_new\")");
  }
  cfg.check(path.string());
  return cfg;
}

void config::check(const std::string& where) const {
  auto problem = [&](const std::string& message) { throw error(where + ": " + message); };
  if (n_layer <= 0 || n_head <= 0 || n_embd <= 0 || n_positions <= 0 || vocab_size <= 0) {
    problem("n_layer, n_head, n_embd, n_positions and vocab_size must be positive");
  }
  if (n_embd % n_head != 0) {
    problem("n_embd " + std::to_string(n_embd) + " is not a multiple of n_head " +
            std::to_string(n_head));
  }
}

json config::to_json() const {
  json j = original.is_object() ? original : json::object();
  j["model_type"] = "gpt2";
  if (!j.contains("architectures")) j["architectures"] = {"GPT2LMHeadModel"};
  j["n_layer"] = n_layer;
  j["n_head"] = n_head;
  j["n_embd"] = n_embd;
  j["n_positions"] = n_positions;
  j["n_ctx"] = n_positions;
  j["vocab_size"] = vocab_size;
  j["layer_norm_epsilon"] = layer_norm_epsilon;
  j["activation_function"] = "gelu_new";
  if (!j.contains("bos_token_id")) j["bos_token_id"] = vocab_size - 1;
  if (!j.contains("eos_token_id")) j["eos_token_id"] = vocab_size - 1;
  if (!j.contains("initializer_range")) j["initializer_range"] = 0.02;
  for (const char* dropout : {"attn_pdrop", "embd_pdrop", "resid_pdrop"}) {
    if (!j.contains(dropout)) j[dropout] = 0.1;
  }
  return j;
}

std::int64_t config::parameter_count() const {
  const std::int64_t C = n_embd;
  return std::int64_t(vocab_size) * C + std::int64_t(n_positions) * C + 2 * C +
         std::int64_t(n_layer) * (12 * C * C + 13 * C);
}

std::vector<model::tensor_ref> model::tensors() {
  const std::int64_t C = cfg.n_embd;
  std::vector<tensor_ref> refs;
  refs.push_back({"wte.weight", &wte, {cfg.vocab_size, C}, false});
  refs.push_back({"wpe.weight", &wpe, {cfg.n_positions, C}, false});
  for (std::size_t l = 0; l < layers.size(); ++l) {
    auto& w = layers[l];
    const auto p = "h." + std::to_string(l) + ".";
    refs.push_back({p + "ln_1.weight", &w.ln1_w, {C}, false});
    refs.push_back({p + "ln_1.bias", &w.ln1_b, {C}, false});
    refs.push_back({p + "attn.c_attn.weight", &w.qkv_w, {C, 3 * C}, true});
    refs.push_back({p + "attn.c_attn.bias", &w.qkv_b, {3 * C}, false});
    refs.push_back({p + "attn.c_proj.weight", &w.proj_w, {C, C}, true});
    refs.push_back({p + "attn.c_proj.bias", &w.proj_b, {C}, false});
    refs.push_back({p + "ln_2.weight", &w.ln2_w, {C}, false});
    refs.push_back({p + "ln_2.bias", &w.ln2_b, {C}, false});
    refs.push_back({p + "mlp.c_fc.weight", &w.fc_w, {C, 4 * C}, true});
    refs.push_back({p + "mlp.c_fc.bias", &w.fc_b, {4 * C}, false});
    refs.push_back({p + "mlp.c_proj.weight", &w.fcproj_w, {4 * C, C}, true});
    refs.push_back({p + "mlp.c_proj.bias", &w.fcproj_b, {C}, false});
  }
  refs.push_back({"ln_f.weight", &lnf_w, {C}, false});
  refs.push_back({"ln_f.bias", &lnf_b, {C}, false});
  return refs;
}

model model::random(const config& cfg, std::uint64_t seed) {
  cfg.check("init");
  model m;
  m.cfg = cfg;
  m.layers.resize(static_cast<std::size_t>(cfg.n_layer));
  std::mt19937_64 rng(seed);
  const float residual_std = 0.02f / std::sqrt(2.0f * static_cast<float>(cfg.n_layer));
  for (auto& ref : m.tensors()) {
    ref.data->resize(static_cast<std::size_t>(elements(ref.hf_shape)));
    const bool is_norm = ref.name.find("ln_") != std::string::npos;
    const bool is_bias = ref.name.ends_with(".bias");
    if (is_norm && !is_bias) {
      std::fill(ref.data->begin(), ref.data->end(), 1.0f);
    } else if (is_bias) {
      std::fill(ref.data->begin(), ref.data->end(), 0.0f);
    } else {
      const bool residual = ref.name.ends_with("c_proj.weight");
      std::normal_distribution<float> normal(0.0f, residual ? residual_std : 0.02f);
      for (auto& v : *ref.data) v = normal(rng);
    }
  }
  return m;
}

model load_model(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) {
    if (path.extension() == ".bin") return load_llmc(path);
    if (path.extension() == ".safetensors") return load_safetensors_folder(path.parent_path());
    fail(path, "expected a model folder, a .safetensors file or an llm.c .bin checkpoint");
  }
  if (!std::filesystem::is_directory(path, ec)) fail(path, "no such model folder");
  if (!std::filesystem::exists(path / "model.safetensors") &&
      !std::filesystem::exists(path / "config.json")) {
    for (const auto& entry : std::filesystem::directory_iterator(path)) {
      if (entry.path().extension() == ".bin" && entry.path().filename() != "pytorch_model.bin") {
        return load_llmc(entry.path());
      }
    }
  }
  return load_safetensors_folder(path);
}

void save_model(const model& source, const std::filesystem::path& folder) {
  auto& m = const_cast<model&>(source);  // tensors() hands out pointers; nothing is changed
  std::vector<std::vector<float>> transposed;
  std::vector<tensor_to_write> out;
  auto refs = m.tensors();
  transposed.reserve(refs.size());
  for (const auto& ref : refs) {
    const std::vector<float>* data = ref.data;
    if (ref.conv1d) {
      // Stored [out, in]; Conv1D wants [in, out] = hf_shape.
      const auto rows = static_cast<std::size_t>(ref.hf_shape[0]);  // in
      const auto cols = static_cast<std::size_t>(ref.hf_shape[1]);  // out
      auto& t = transposed.emplace_back(rows * cols);
      for (std::size_t o = 0; o < cols; ++o) {
        for (std::size_t i = 0; i < rows; ++i) t[i * cols + o] = (*ref.data)[o * rows + i];
      }
      data = &t;
    }
    out.push_back({ref.name, "F32", ref.hf_shape, std::as_bytes(std::span(*data))});
  }
  std::filesystem::create_directories(folder);
  // config.json first: the weights are what make the folder a model, so a process killed between
  // the two files never leaves weights without their config.
  atomic_output config_out((folder / "config.json").string());
  config_out.write(source.cfg.to_json().dump(2) + "\n");
  config_out.commit();
  write_safetensors(folder / "model.safetensors", out, {{"format", "pt"}});
}

}  // namespace textkit::gpt2
