// Fuzzes model loading: the input is model.safetensors in a folder whose config.json describes a
// tiny GPT-2 (so a well-formed input loads fully); every outcome but a textkit::error is a finding.
#include <unistd.h>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "model.h"
#include "textkit/error.h"

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fs::path dir = [] {
    std::string pattern = (fs::temp_directory_path() / "textkit-fuzz-model-XXXXXX").string();
    if (!mkdtemp(pattern.data())) std::abort();
    std::ofstream(fs::path(pattern) / "config.json")
        << R"({"model_type": "gpt2", "n_layer": 1, "n_head": 2, "n_embd": 4, "n_positions": 8, "vocab_size": 16})";
    return fs::path(pattern);
  }();
  {
    std::ofstream out(dir / "model.safetensors", std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    const auto m = textkit::gpt2::load_model(dir);
    if (m.wte.size() != 16u * 4u) std::abort();  // loaded, so it must have the config's shape
  } catch (const textkit::error&) {
  }
  return 0;
}
