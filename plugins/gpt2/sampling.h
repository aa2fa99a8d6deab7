// Choosing tokens from a GPT-2 model's logits (temperature, top-k, top-p, repetition penalty), and
// whole samples from a model on the cached decoder: what gpt2.generate does for its records and
// gpt2.train for the samples it shows while it trains. No libtorch here.
#pragma once
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "model.h"

namespace textkit::gpt2 {

struct sampling {
  double temperature = 0.8;  ///< 0: always the most likely token
  int top_k = 40;            ///< 0: no limit
  double top_p = 1.0;        ///< 1: no limit
  double repetition_penalty = 1.0;
};

/// splitmix64: spreads a seed (or a seed combined with an index) over all 64 bits.
std::uint64_t mix_seed(std::uint64_t x);

/// Bytes a byte-level BPE produced, as valid UTF-8: an incomplete character at the end is dropped,
/// any other invalid byte becomes U+FFFD.
std::string as_valid_utf8(std::string text);

/// Picks the next token from `logits` (modified in place) after the tokens of `context`.
std::int32_t pick_token(std::span<float> logits, const std::vector<std::int32_t>& context,
                        const sampling& s, std::mt19937_64& rng);

/// What sample_tokens() makes.
struct sample_request {
  std::vector<std::int32_t> prompt;  ///< at least one token (e.g. <|endoftext|>)
  int count = 1;                     ///< samples, generated as one batch
  int max_tokens = 64;               ///< new tokens per sample, at most
  std::int32_t stop_token = -1;      ///< a sample ends before this token; -1: none
  int vocab_size = 0;                ///< only ids below this are picked; 0: the model's
  sampling sample;
  std::uint64_t seed = 0;  ///< sample i draws from mix_seed(seed ^ mix_seed(i))
  int threads = 1;
};

/// `count` continuations of the prompt from the model's weights as they are now (the decoder reads
/// the model's buffers, so during training these are the weights being trained): the new tokens
/// of each, without the prompt and the stop token. The prompt is cut to its last tokens when it
/// leaves fewer than max_tokens positions.
std::vector<std::vector<std::int32_t>> sample_tokens(const model& m, const sample_request& r);

}  // namespace textkit::gpt2
