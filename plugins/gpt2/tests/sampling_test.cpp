// Token choice and whole samples on the cached decoder: greedy is the arg max, top-k and top-p
// keep only the likeliest tokens, a seed gives the same samples again, a stop token ends a sample.
#include <catch2/catch.hpp>
#include <set>

#include "decode.h"
#include "sampling.h"

using namespace textkit::gpt2;

namespace {

model small_model(std::uint64_t seed) {
  config cfg;
  cfg.n_layer = 2;
  cfg.n_head = 2;
  cfg.n_embd = 16;
  cfg.n_positions = 48;
  cfg.vocab_size = 30;
  return model::random(cfg, seed);
}

// The tokens greedy decoding gives after `prompt`, one feed at a time.
std::vector<std::int32_t> greedy(const model& m, std::vector<std::int32_t> prompt, int n) {
  decoder d(m, 1, static_cast<int>(prompt.size()) + n, 1);
  std::vector<std::int32_t> out;
  std::vector<std::int32_t> next = prompt;
  for (int i = 0; i < n; ++i) {
    d.feed({next});
    const auto logits = d.logits(0);
    const auto id =
        static_cast<std::int32_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());
    out.push_back(id);
    next.assign(1, id);
  }
  return out;
}

}  // namespace

TEST_CASE("pick_token: greedy, top-k, top-p and the repetition penalty", "[sampling]") {
  std::mt19937_64 rng(1);
  std::vector<float> logits{0.5f, 3.0f, 2.9f, -1.0f};
  auto pick = [&](sampling s, std::vector<std::int32_t> context = {}) {
    auto copy = logits;
    return pick_token(copy, context, s, rng);
  };
  CHECK(pick({0.0, 0, 1.0, 1.0}) == 1);
  for (int i = 0; i < 50; ++i) CHECK(pick({5.0, 1, 1.0, 1.0}) == 1);  // top-k 1
  std::set<std::int32_t> seen;
  for (int i = 0; i < 200; ++i) seen.insert(pick({1.0, 2, 1.0, 1.0}));
  CHECK(seen == std::set<std::int32_t>{1, 2});  // top-k 2, both drawn
  seen.clear();
  for (int i = 0; i < 200; ++i) seen.insert(pick({1.0, 0, 0.4, 1.0}));
  CHECK(seen == std::set<std::int32_t>{1});  // token 1 alone holds over 40%
  // A penalty of 2 halves token 1's score (3.0 -> 1.5): greedy takes token 2.
  CHECK(pick({0.0, 0, 1.0, 2.0}, {1, 1}) == 2);
}

TEST_CASE("as_valid_utf8 drops a cut character at the end, replaces other bad bytes",
          "[sampling]") {
  CHECK(as_valid_utf8("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(as_valid_utf8("caf\xC3") == "caf");
  CHECK(as_valid_utf8("a\xFF"
                      "b") ==
        "a\xEF\xBF\xBD"
        "b");
}

TEST_CASE("sample_tokens: reproducible, greedy as the decoder's arg max, ends at the stop token",
          "[sampling]") {
  const auto m = small_model(5);
  sample_request r;
  r.prompt = {3, 4};
  r.count = 3;
  r.max_tokens = 12;
  r.sample.temperature = 1.0;
  r.sample.top_k = 0;
  r.seed = 9;
  const auto first = sample_tokens(m, r);
  REQUIRE(first.size() == 3);
  for (const auto& s : first) CHECK(s.size() == 12);
  CHECK(sample_tokens(m, r) == first);
  CHECK(first[0] != first[1]);  // each sample draws from its own generator
  r.seed = 10;
  CHECK(sample_tokens(m, r) != first);

  r.sample.temperature = 0;
  r.count = 1;
  const auto expected = greedy(m, r.prompt, 12);
  CHECK(sample_tokens(m, r).at(0) == expected);
  // A stop token: the sample ends before its first occurrence.
  r.stop_token = expected[5];
  const auto cut = std::find(expected.begin(), expected.end(), r.stop_token) - expected.begin();
  CHECK(sample_tokens(m, r).at(0) ==
        std::vector<std::int32_t>(expected.begin(), expected.begin() + cut));
  // Only ids below vocab_size are drawn.
  r.stop_token = -1;
  r.vocab_size = 5;
  r.sample.temperature = 1.0;
  const auto limited = sample_tokens(m, r);
  for (auto id : limited.at(0)) CHECK(id < 5);
}

TEST_CASE("sample_tokens reads the model's weights at the time of the call", "[sampling]") {
  auto m = small_model(5);
  sample_request r;
  r.prompt = {1};
  r.max_tokens = 10;
  r.sample.temperature = 0;
  const auto before = sample_tokens(m, r).at(0);
  m = small_model(6);  // other weights in the same model object
  CHECK(sample_tokens(m, r).at(0) == greedy(small_model(6), {1}, 10));
  CHECK(sample_tokens(m, r).at(0) != before);
}
