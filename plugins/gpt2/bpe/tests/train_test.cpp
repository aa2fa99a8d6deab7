// Training a byte-level BPE: the merges chosen, the stopping rules, and saving and reloading.
#include <catch2/catch.hpp>

#include "bpe.h"
#include "test_helpers.h"
#include "textkit/error.h"

namespace textkit::gpt2 {
namespace {

using testing::read_all;
using testing::scratch_dir;

std::vector<std::string> corpus() {
  std::vector<std::string> texts;
  const std::vector<std::string> sentences = {
      "The quick brown fox jumps over the lazy dog.",
      "A tokenizer splits text into pieces, then merges bytes by rank.",
      "Byte-level BPE never meets an unknown character: 日本語 and emoji 🎉 are bytes too.",
      "int main() { return 0; }\n",
      "Trailing spaces   \nand\ttabs\r\n",
  };
  for (int i = 0; i < 40; ++i)
    texts.push_back(sentences[i % sentences.size()] + " #" + std::to_string(i));
  return texts;
}

bpe_tokenizer train_on(const std::vector<std::string>& texts, std::int32_t vocab_size,
                       std::int64_t min_frequency = 2) {
  std::vector<std::string_view> views(texts.begin(), texts.end());
  train_options options;
  options.vocab_size = vocab_size;
  options.min_frequency = min_frequency;
  return bpe_tokenizer::train(views, options);
}

TEST_CASE("the most frequent pair merges first, until pairs are rarer than min_frequency") {
  // Pieces: "ab", " ab" twice, " cd". Pairs: a b (3), Ġ a (2), Ġ c (1), c d (1).
  const bpe_tokenizer trained = train_on({"ab ab ab cd"}, 1000);
  REQUIRE(trained.merge_count() == 2);
  CHECK(trained.vocab_size() == 259);
  CHECK(trained.token_bytes(256) == "ab");
  CHECK(trained.token_bytes(257) == " ab");
  CHECK(trained.eot_id() == 258);
  CHECK(trained.token_bytes(258) == "<|endoftext|>");
  CHECK(trained.encode("ab ab cd") == std::vector<std::int32_t>{256, 257, 220, 66, 67});
}

TEST_CASE("training stops at vocab_size, <|endoftext|> last") {
  const bpe_tokenizer trained = train_on(corpus(), 300);
  CHECK(trained.vocab_size() == 300);
  CHECK(trained.eot_id() == 299);
  CHECK(trained.merge_count() >= 43);  // more when two merges make the same token
  // The first 256 ids are the bytes in GPT-2's order.
  CHECK(trained.token_bytes(0) == "!");
  CHECK(trained.token_bytes(188) == std::string(1, '\0'));
  CHECK(trained.token_bytes(220) == " ");
  CHECK(trained.encode("<|endoftext|>") == std::vector<std::int32_t>{299});
}

TEST_CASE("a trained tokenizer round-trips and reloads with the same encoding") {
  const std::vector<std::string> texts = corpus();
  const bpe_tokenizer trained = train_on(texts, 400);
  scratch_dir dir("trained");
  trained.save(dir.path());
  CHECK(read_all(dir.path() / "merges.txt").starts_with("#version: 0.2\n"));
  const bpe_tokenizer reloaded = bpe_tokenizer::load(dir.path());
  CHECK(reloaded.vocab_size() == trained.vocab_size());
  for (const std::string& text : {texts[0], texts[2], texts[4],
                                  std::string("unseen words, 中文, \xff bytes<|endoftext|>x")}) {
    const std::vector<std::int32_t> ids = trained.encode(text);
    CHECK(reloaded.encode(text) == ids);
    CHECK(trained.decode(ids) == text);
    CHECK(ids.size() < text.size());
  }
  // Training is deterministic: the same corpus gives the same files.
  scratch_dir again("trained_again");
  train_on(texts, 400).save(again.path());
  CHECK(read_all(again.path() / "merges.txt") == read_all(dir.path() / "merges.txt"));
  CHECK(read_all(again.path() / "vocab.json") == read_all(dir.path() / "vocab.json"));
}

TEST_CASE("the streaming trainer counts pieces, not texts, and <|endoftext|> is not text") {
  bpe_trainer trainer;
  trainer.add("ab ab");
  trainer.add("ab<|endoftext|>ab");
  CHECK(trainer.distinct_pieces() == 2);  // "ab" and " ab"
  train_options options;
  options.vocab_size = 300;
  const bpe_tokenizer trained = trainer.train(options);
  // Pieces "ab" 3 times, " ab" once: a b (4) merges, Ġ ab (1) is below min_frequency (2).
  CHECK(trained.merge_count() == 1);
}

TEST_CASE("a vocabulary smaller than the bytes is refused; progress can stop training") {
  CHECK_THROWS_WITH(train_on(corpus(), 256),
                    "vocab_size 256 is too small: a byte-level BPE has 256 byte tokens and "
                    "<|endoftext|>");
  std::vector<std::string> texts = corpus();
  std::vector<std::string_view> views(texts.begin(), texts.end());
  train_options options;
  options.vocab_size = 400;
  options.progress = [](std::size_t done, std::size_t /*total*/) { return done < 5; };
  CHECK_THROWS_WITH(bpe_tokenizer::train(views, options), "BPE training stopped after 5 merges");
}

}  // namespace
}  // namespace textkit::gpt2
