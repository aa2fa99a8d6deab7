// gpt2_logits MODEL ID... : the logits after each of the given token ids, computed the way
// generation computes them (the cached decoder, one token at a time), written to stdout as float32
// [count][vocab]. For plugins/gpt2/eval/compare_nanogpt.py, which compares them with an
// independent implementation on the same weights.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <vector>

#include "decode.h"
#include "model.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s MODEL ID...\n", argv[0]);
    return 2;
  }
  try {
    const auto m = textkit::gpt2::load_model(argv[1]);
    std::vector<std::int32_t> ids;
    for (int i = 2; i < argc; ++i) ids.push_back(static_cast<std::int32_t>(std::atoi(argv[i])));
    textkit::gpt2::decoder d(m, 1, static_cast<int>(ids.size()), 1);
    for (std::size_t t = 0; t < ids.size(); ++t) {
      d.feed({std::span(ids).subspan(t, 1)});
      const auto logits = d.logits(0);
      std::fwrite(logits.data(), sizeof(float), logits.size(), stdout);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gpt2_logits: %s\n", e.what());
    return 1;
  }
  return 0;
}
