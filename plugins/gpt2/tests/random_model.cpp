// gpt2_random_model FOLDER [n_layer n_head n_embd n_positions vocab_size [seed]]
// Writes a model folder with GPT-2's initialisation and the given shape (default: the 124M
// configuration): the fixture of the pipeline tests and the weights of the speed benchmarks, where
// random weights cost exactly what trained ones do.
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "model.h"

int main(int argc, char** argv) {
  if (argc != 2 && argc != 7 && argc != 8) {
    std::fprintf(stderr, "usage: %s FOLDER [n_layer n_head n_embd n_positions vocab_size [seed]]\n",
                 argv[0]);
    return 2;
  }
  textkit::gpt2::config cfg;
  std::uint64_t seed = 1;
  if (argc >= 7) {
    cfg.n_layer = std::atoi(argv[2]);
    cfg.n_head = std::atoi(argv[3]);
    cfg.n_embd = std::atoi(argv[4]);
    cfg.n_positions = std::atoi(argv[5]);
    cfg.vocab_size = std::atoi(argv[6]);
  }
  if (argc == 8) seed = std::strtoull(argv[7], nullptr, 10);
  try {
    textkit::gpt2::save_model(textkit::gpt2::model::random(cfg, seed), argv[1]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gpt2_random_model: %s\n", e.what());
    return 1;
  }
  return 0;
}
