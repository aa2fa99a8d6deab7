// Model folders: what textkit writes loads back unchanged, safetensors files round-trip byte for
// byte, llm.c checkpoints load, and every kind of bad file gets an error naming it.
#include <catch2/catch.hpp>
#include <fstream>

#include "model.h"
#include "safetensors.h"
#include "textkit/error.h"

namespace fs = std::filesystem;
using namespace textkit::gpt2;

namespace {

fs::path work_dir(const std::string& name) {
  auto dir = fs::path(GPT2_TEST_WORK_DIR) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

config small_config() {
  config cfg;
  cfg.n_layer = 2;
  cfg.n_head = 4;
  cfg.n_embd = 32;
  cfg.n_positions = 40;
  cfg.vocab_size = 101;
  return cfg;
}

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_bytes(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const textkit::error& e) {
    return e.what();
  }
  return "(no error)";
}

void require_same_weights(model& a, model& b) {
  auto ta = a.tensors();
  auto tb = b.tensors();
  REQUIRE(ta.size() == tb.size());
  for (std::size_t i = 0; i < ta.size(); ++i) {
    INFO(ta[i].name);
    REQUIRE(*ta[i].data == *tb[i].data);
  }
}

}  // namespace

TEST_CASE("a saved model folder loads back with the same weights and config") {
  auto dir = work_dir("saved");
  auto m = model::random(small_config(), 7);
  save_model(m, dir);
  REQUIRE(fs::exists(dir / "config.json"));
  auto loaded = load_model(dir);
  CHECK(loaded.cfg.n_layer == 2);
  CHECK(loaded.cfg.n_embd == 32);
  CHECK(loaded.cfg.vocab_size == 101);
  require_same_weights(m, loaded);
}

TEST_CASE("the saved safetensors file is in Hugging Face's GPT-2 layout") {
  auto dir = work_dir("layout");
  auto m = model::random(small_config(), 1);
  save_model(m, dir);
  auto file = safetensors_file::open(dir / "model.safetensors");
  CHECK(file.metadata().at("format") == "pt");
  const auto* qkv = file.find("h.1.attn.c_attn.weight");
  REQUIRE(qkv);
  // Conv1D: [in, out].
  CHECK(qkv->shape == std::vector<std::int64_t>{32, 96});
  CHECK(file.find("wte.weight")->shape == std::vector<std::int64_t>{101, 32});
  // Element [i][o] of the file is weight row o, column i of the model.
  auto bytes = file.read(*qkv);
  std::vector<float> values(bytes.size() / 4);
  std::memcpy(values.data(), bytes.data(), bytes.size());
  CHECK(values[3 * 96 + 5] == m.layers[1].qkv_w[5 * 32 + 3]);
}

TEST_CASE("safetensors: writing what was read gives identical bytes") {
  auto dir = work_dir("roundtrip");
  save_model(model::random(small_config(), 3), dir);
  auto first = safetensors_file::open(dir / "model.safetensors");
  std::vector<std::vector<std::byte>> data;
  std::vector<tensor_to_write> out;
  for (const auto& t : first.tensors()) data.push_back(first.read(t));
  for (std::size_t i = 0; i < data.size(); ++i) {
    const auto& t = first.tensors()[i];
    out.push_back({t.name, t.dtype, t.shape, data[i]});
  }
  write_safetensors(dir / "again.safetensors", out, first.metadata());
  CHECK(file_bytes(dir / "again.safetensors") == file_bytes(dir / "model.safetensors"));
  // The header is padded to 8 bytes, so tensor data is aligned.
  CHECK(first.tensors().front().offset % 8 == 0);
}

TEST_CASE("half-precision weights are widened to float") {
  auto dir = work_dir("half");
  auto m = model::random(small_config(), 5);
  save_model(m, dir);
  auto file = safetensors_file::open(dir / "model.safetensors");
  std::vector<std::vector<std::byte>> data;
  std::vector<tensor_to_write> out;
  for (const auto& t : file.tensors()) {
    auto bytes = file.read(t);
    std::vector<std::byte> half(bytes.size() / 2);
    for (std::size_t i = 0; i < bytes.size() / 4; ++i) {
      // BF16 is the upper half of the float32 bits: truncating keeps it exact to read back.
      half[2 * i] = bytes[4 * i + 2];
      half[2 * i + 1] = bytes[4 * i + 3];
    }
    data.push_back(std::move(half));
  }
  for (std::size_t i = 0; i < data.size(); ++i) {
    const auto& t = file.tensors()[i];
    out.push_back({t.name, "BF16", t.shape, data[i]});
  }
  write_safetensors(dir / "model.safetensors", out, {{"format", "pt"}});
  auto loaded = load_model(dir);
  const float original = m.layers[0].fc_w[17];
  const float widened = loaded.layers[0].fc_w[17];
  CHECK(widened == Approx(original).epsilon(1.0 / 128));
}

TEST_CASE("the \"transformer.\" prefix of newer saves is accepted") {
  auto dir = work_dir("prefix");
  auto m = model::random(small_config(), 9);
  save_model(m, dir);
  auto file = safetensors_file::open(dir / "model.safetensors");
  std::vector<std::vector<std::byte>> data;
  std::vector<tensor_to_write> out;
  for (const auto& t : file.tensors()) data.push_back(file.read(t));
  for (std::size_t i = 0; i < data.size(); ++i) {
    const auto& t = file.tensors()[i];
    out.push_back({"transformer." + t.name, t.dtype, t.shape, data[i]});
  }
  write_safetensors(dir / "model.safetensors", out, {{"format", "pt"}});
  auto loaded = load_model(dir);
  require_same_weights(m, loaded);
}

TEST_CASE("an llm.c checkpoint loads with its padded vocabulary cut off") {
  auto dir = work_dir("llmc");
  auto cfg = small_config();
  auto m = model::random(cfg, 11);
  const int padded = 128;
  std::int32_t header[256] = {20240326,    3,          cfg.n_positions, cfg.vocab_size,
                              cfg.n_layer, cfg.n_head, cfg.n_embd,      padded};
  std::ofstream out(dir / "gpt2_small.bin", std::ios::binary);
  out.write(reinterpret_cast<const char*>(header), sizeof header);
  auto put = [&](const std::vector<float>& v) {
    out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * 4));
  };
  auto wte = m.wte;
  wte.resize(static_cast<std::size_t>(padded) * cfg.n_embd, 99.0f);
  put(wte);
  put(m.wpe);
  for (auto member : {&layer_weights::ln1_w, &layer_weights::ln1_b, &layer_weights::qkv_w,
                      &layer_weights::qkv_b, &layer_weights::proj_w, &layer_weights::proj_b,
                      &layer_weights::ln2_w, &layer_weights::ln2_b, &layer_weights::fc_w,
                      &layer_weights::fc_b, &layer_weights::fcproj_w, &layer_weights::fcproj_b}) {
    for (auto& l : m.layers) put(l.*member);
  }
  put(m.lnf_w);
  put(m.lnf_b);
  out.close();
  auto loaded = load_model(dir);
  require_same_weights(m, loaded);
  auto loaded_file = load_model(dir / "gpt2_small.bin");
  CHECK(loaded_file.cfg.vocab_size == cfg.vocab_size);

  auto bytes = file_bytes(dir / "gpt2_small.bin");
  write_bytes(dir / "gpt2_small.bin", bytes.substr(0, bytes.size() - 100));
  CHECK_THAT(error_of([&] { load_model(dir / "gpt2_small.bin"); }),
             Catch::Contains("gpt2_small.bin: truncated in lnfb"));
}

TEST_CASE("bad model folders get errors naming the file and the problem") {
  auto dir = work_dir("bad");
  save_model(model::random(small_config(), 2), dir);
  const auto weights = dir / "model.safetensors";
  const auto bytes = file_bytes(weights);

  SECTION("truncated") {
    write_bytes(weights, bytes.substr(0, bytes.size() - 1000));
    CHECK_THAT(error_of([&] { load_model(dir); }),
               Catch::Contains("model.safetensors: tensor \"") &&
                   Catch::Contains("lie outside the") && Catch::Contains("truncated file?"));
  }
  SECTION("cut inside the header") {
    write_bytes(weights, bytes.substr(0, 100));
    CHECK_THAT(error_of([&] { load_model(dir); }),
               Catch::Contains("model.safetensors: the header length says"));
  }
  SECTION("corrupt header") {
    auto corrupt = bytes;
    corrupt[8] = 'x';
    write_bytes(weights, corrupt);
    CHECK_THAT(
        error_of([&] { load_model(dir); }),
        Catch::Contains("model.safetensors: the JSON header") && Catch::Contains("does not parse"));
  }
  SECTION("not a safetensors file at all") {
    write_bytes(weights, "hello");
    CHECK_THAT(error_of([&] { load_model(dir); }), Catch::Contains("model.safetensors: truncated"));
  }
  SECTION("config that does not match the weights") {
    write_bytes(dir / "config.json", R"({"model_type": "gpt2", "n_layer": 2, "n_head": 4,
      "n_embd": 64, "n_positions": 40, "vocab_size": 101})");
    CHECK_THAT(error_of([&] { load_model(dir); }),
               Catch::Contains("model.safetensors: tensor \"wte.weight\" has shape [101, 32], but "
                               "config.json (n_layer 2, n_embd 64"));
  }
  SECTION("config with more layers than the weights") {
    write_bytes(dir / "config.json", R"({"n_layer": 3, "n_head": 4, "n_embd": 32,
      "n_positions": 40, "vocab_size": 101})");
    CHECK_THAT(error_of([&] { load_model(dir); }),
               Catch::Contains("missing tensors for the config.json's 3 layers: h.2.ln_1.weight"));
  }
  SECTION("config with fewer layers than the weights") {
    write_bytes(dir / "config.json", R"({"n_layer": 1, "n_head": 4, "n_embd": 32,
      "n_positions": 40, "vocab_size": 101})");
    CHECK_THAT(error_of([&] { load_model(dir); }),
               Catch::Contains("belongs to layer 1, but config.json says n_layer 1"));
  }
  SECTION("config that is not JSON") {
    write_bytes(dir / "config.json", "{\"n_layer\": 2,,}");
    CHECK_THAT(error_of([&] { load_model(dir); }), Catch::Contains("config.json: not valid JSON"));
  }
  SECTION("config with a bad value") {
    write_bytes(dir / "config.json", R"({"n_layer": "twelve"})");
    CHECK_THAT(
        error_of([&] { load_model(dir); }),
        Catch::Contains("config.json: \"n_layer\" must be a positive integer, got \"twelve\""));
  }
  SECTION("missing weights file") {
    fs::remove(weights);
    write_bytes(dir / "pytorch_model.bin", "pickle");
    CHECK_THAT(
        error_of([&] { load_model(dir); }),
        Catch::Contains("model.safetensors: no such file; this folder has only pytorch_model.bin"));
  }
  SECTION("no folder") {
    CHECK_THAT(error_of([&] { load_model(dir / "nowhere"); }),
               Catch::Contains("nowhere: no such model folder"));
  }
}
