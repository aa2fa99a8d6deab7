// The cached decoder against libtorch's full forward pass: the same logits (max |Δ| ≤ 1e-4)
// whether a text is fed at once, token by token, or batched with texts of other lengths.
#include <catch2/catch.hpp>
#include <random>

#include "decode.h"
#include "torch_model.h"

using namespace textkit::gpt2;

namespace {

config test_config(int n_embd, int n_layer, int vocab) {
  config cfg;
  cfg.n_layer = n_layer;
  cfg.n_head = 4;
  cfg.n_embd = n_embd;
  cfg.n_positions = 64;
  cfg.vocab_size = vocab;
  return cfg;
}

std::vector<std::int32_t> random_tokens(int n, int vocab, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> pick(0, vocab - 1);
  std::vector<std::int32_t> ids(static_cast<std::size_t>(n));
  for (auto& id : ids) id = pick(rng);
  return ids;
}

// Logits of the full forward pass at every position of one text: [T][vocab].
torch::Tensor reference(model& m, const std::vector<std::int32_t>& ids) {
  torch::NoGradGuard no_grad;
  torch_weights w(m);
  auto t = torch::tensor(std::vector<std::int64_t>(ids.begin(), ids.end())).unsqueeze(0);
  return forward(w, t)[0];
}

float max_difference(std::span<const float> a, const torch::Tensor& b) {
  auto expected = b.contiguous();
  const float* e = expected.data_ptr<float>();
  float worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - e[i]));
  return worst;
}

}  // namespace

TEST_CASE("cached decoding gives the logits of full recomputation at every position") {
  auto [n_embd, threads] = GENERATE(std::pair{32, 1}, std::pair{128, 2}, std::pair{36, 3});
  auto m = model::random(test_config(n_embd, 3, 257), 42);
  auto ids = random_tokens(40, 257, 1);
  auto expected = reference(m, ids);

  decoder d(m, 1, 64, threads);
  // A prompt of 24 tokens at once, then one token at a time.
  d.feed({std::span(ids).first(24)});
  CHECK(max_difference(d.logits(0), expected[23]) <= 1e-4f);
  for (int t = 24; t < 40; ++t) {
    d.feed({std::span(ids).subspan(static_cast<std::size_t>(t), 1)});
    INFO("position " << t);
    CHECK(max_difference(d.logits(0), expected[t]) <= 1e-4f);
  }
  CHECK(d.length(0) == 40);
}

TEST_CASE("a batch of prompts of different lengths decodes as each would alone") {
  auto m = model::random(test_config(64, 2, 300), 3);
  std::vector<std::vector<std::int32_t>> texts = {
      random_tokens(5, 300, 1), random_tokens(17, 300, 2), random_tokens(1, 300, 3)};
  decoder d(m, 3, 64, 2);
  d.feed({texts[0], texts[1], texts[2]});
  for (int s = 0; s < 3; ++s) {
    auto expected = reference(m, texts[static_cast<std::size_t>(s)]);
    CHECK(max_difference(d.logits(s), expected[-1]) <= 1e-4f);
  }
  // Then one more token each, and only two of them the step after.
  std::vector<std::int32_t> next = {7, 8, 9};
  d.feed({std::span(next).subspan(0, 1), std::span(next).subspan(1, 1),
          std::span(next).subspan(2, 1)});
  d.feed({std::span(next).subspan(2, 1), {}, std::span(next).subspan(0, 1)});
  texts[0].push_back(7);
  texts[0].push_back(9);
  texts[1].push_back(8);
  texts[2].push_back(9);
  texts[2].push_back(7);
  for (int s = 0; s < 3; ++s) {
    auto expected = reference(m, texts[static_cast<std::size_t>(s)]);
    INFO("sequence " << s);
    CHECK(d.length(s) == static_cast<int>(texts[static_cast<std::size_t>(s)].size()));
    CHECK(max_difference(d.logits(s), expected[-1]) <= 1e-4f);
  }
}

TEST_CASE("a reset sequence starts over") {
  auto m = model::random(test_config(32, 1, 50), 4);
  auto ids = random_tokens(6, 50, 5);
  decoder d(m, 1, 16, 1);
  d.feed({random_tokens(9, 50, 6)});
  d.reset(0);
  d.feed({ids});
  CHECK(max_difference(d.logits(0), reference(m, ids)[-1]) <= 1e-4f);
}

TEST_CASE("the decoder refuses what does not fit") {
  auto m = model::random(test_config(32, 1, 50), 4);
  CHECK_THROWS_WITH(decoder(m, 1, 65, 1), Catch::Contains("does not fit the model's 64 positions"));
  decoder d(m, 1, 8, 1);
  auto ids = random_tokens(9, 50, 1);
  CHECK_THROWS_WITH(d.feed({ids}), Catch::Contains("would grow past 8 tokens"));
  std::vector<std::int32_t> bad = {50};
  CHECK_THROWS_WITH(d.feed({bad}),
                    Catch::Contains("token id 50 is outside the model's vocabulary of 50"));
}
