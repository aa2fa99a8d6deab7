// encode() is const and safe from several threads at once (gpt2.tokenize is a thread-safe step);
// each thread keeps its own cache of merged pieces, which must never leak between tokenizers.
#include <catch2/catch.hpp>

#include <thread>

#include "bpe.h"
#include "test_helpers.h"

namespace textkit::gpt2 {
namespace {

using testing::gpt2;
using ids = std::vector<std::int32_t>;

std::vector<std::string> texts() {
  std::vector<std::string> out;
  for (int i = 0; i < 200; ++i) {
    out.push_back("Record " + std::to_string(i) + ": tokenizers, unusualwords" +
                  std::to_string(i % 7) + " and 日本語の文" + std::string(i % 5, ' ') + "\n");
  }
  return out;
}

TEST_CASE("a word outside the vocabulary encodes the same when it comes back (cached)") {
  CHECK(gpt2().encode("tokenizers tokenizers tokenizers") ==
        ids{30001, 11341, 11241, 11341, 11241, 11341});
}

TEST_CASE("four threads encoding at once get what one thread gets") {
  const std::vector<std::string> all = texts();
  std::vector<ids> expected;
  for (const std::string& text : all) expected.push_back(gpt2().encode(text));
  std::vector<std::vector<ids>> got(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 5; ++round) {
        // Each thread walks the texts from a different start, so caches fill differently.
        for (std::size_t i = 0; i < all.size(); ++i) {
          const std::size_t k = (i + static_cast<std::size_t>(t) * 50) % all.size();
          if (round == 4)
            got[t].push_back(gpt2().encode(all[k]));
          else
            (void)gpt2().encode(all[k]);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) {
    REQUIRE(got[t].size() == all.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
      CHECK(got[t][i] == expected[(i + static_cast<std::size_t>(t) * 50) % all.size()]);
    }
  }
}

TEST_CASE("two tokenizers used in turn on one thread do not share cached pieces") {
  const std::vector<std::string> all = texts();
  std::vector<std::string_view> views(all.begin(), all.end());
  train_options options;
  options.vocab_size = 320;
  const bpe_tokenizer small = bpe_tokenizer::train(views, options);
  const std::string text = "tokenizers unusualwords3 tokenizers";
  const ids from_gpt2 = gpt2().encode(text);
  const ids from_small = small.encode(text);
  CHECK(from_gpt2 != from_small);
  for (int i = 0; i < 3; ++i) {
    CHECK(gpt2().encode(text) == from_gpt2);
    CHECK(small.encode(text) == from_small);
  }
  CHECK(small.decode(from_small) == text);
}

}  // namespace
}  // namespace textkit::gpt2
