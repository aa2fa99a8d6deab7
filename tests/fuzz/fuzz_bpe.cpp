// Fuzzes GPT-2's tokenizer with its real vocabulary: for any bytes, encoding must not crash, every
// id must be in the vocabulary, and decoding must give back exactly the input.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "bpe.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto tokenizer = textkit::gpt2::bpe_tokenizer::load(FUZZ_GPT2_VOCAB_DIR);
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto ids = tokenizer.encode(text);
  for (auto id : ids) {
    if (id < 0 || id >= tokenizer.vocab_size()) std::abort();
  }
  if (tokenizer.count(text) != ids.size()) std::abort();
  if (tokenizer.decode(ids) != text) std::abort();
  return 0;
}
