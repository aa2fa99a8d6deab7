// Reading and writing the vocabulary files: both layouts, saving, and every error message.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "bpe.h"
#include "test_helpers.h"
#include "textkit/error.h"

namespace textkit::gpt2 {
namespace {

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using testing::gpt2;
using testing::read_all;
using testing::scratch_dir;

// A small byte-level vocabulary: the 256 bytes in GPT-2's order, then "Ġt", "he", "Ġthe" and
// <|endoftext|>, written as vocab.json + merges.txt.
std::string small_vocab_json(const std::string& extra_entries = "") {
  const bpe_tokenizer& full = gpt2();
  nlohmann::json encoder = nlohmann::json::parse(read_all(testing::vocab_dir() / "encoder.json"));
  std::string out = "{";
  for (const auto& [token, id] : encoder.items()) {
    if (id.get<int>() < 256) out += nlohmann::json(token).dump() + ": " + id.dump() + ",\n";
  }
  (void)full;
  out += "\"\\u0120t\": 256,\n\"he\": 257,\n\"\\u0120the\": 258,\n\"<|endoftext|>\": 259";
  out += extra_entries;
  out += "}\n";
  return out;
}
const std::string small_merges = "#version: 0.2\nĠ t\nh e\nĠt he\n";

void check_load_error(const scratch_dir& dir, const std::string& message) {
  CHECK_THROWS_WITH(bpe_tokenizer::load(dir.path()), Equals(message));
}

TEST_CASE(
    "both layouts load: Hugging Face vocab.json + merges.txt, OpenAI encoder.json + vocab.bpe") {
  scratch_dir dir("layouts");
  dir.write("vocab.json", small_vocab_json());
  dir.write("merges.txt", small_merges);
  const bpe_tokenizer hf = bpe_tokenizer::load(dir.path());
  CHECK(hf.encode(" the") == std::vector<std::int32_t>{258});
  CHECK(hf.encode(" then") == std::vector<std::int32_t>{258, 77});
  CHECK(hf.eot_id() == 259);

  scratch_dir openai("openai");
  openai.write("encoder.json", small_vocab_json());
  openai.write("vocab.bpe", small_merges);
  CHECK(bpe_tokenizer::load(openai.path()).encode(" then") == hf.encode(" then"));
  CHECK(bpe_tokenizer::load(openai.path() / "encoder.json", openai.path() / "vocab.bpe")
            .encode(" the") == std::vector<std::int32_t>{258});
}

TEST_CASE("save writes GPT-2's files in the Hugging Face layout, and they load back the same") {
  scratch_dir dir("save");
  gpt2().save(dir.path() / "model");
  // merges.txt is OpenAI's vocab.bpe byte for byte; vocab.json holds the same tokens and ids.
  CHECK(read_all(dir.path() / "model" / "merges.txt") ==
        read_all(testing::vocab_dir() / "vocab.bpe"));
  CHECK(nlohmann::json::parse(read_all(dir.path() / "model" / "vocab.json")) ==
        nlohmann::json::parse(read_all(testing::vocab_dir() / "encoder.json")));
  const bpe_tokenizer reloaded = bpe_tokenizer::load(dir.path() / "model");
  const std::string text = "Saved and loaded: 日本語, emoji 🎉, <|endoftext|> and  spaces  ";
  CHECK(reloaded.encode(text) == gpt2().encode(text));
  CHECK(reloaded.vocab_size() == 50257);
}

TEST_CASE("a missing folder or file is named") {
  scratch_dir dir("missing");
  const std::string folder = dir.path().string();
  CHECK_THROWS_WITH(bpe_tokenizer::load(dir.path() / "nothing"),
                    Contains("nothing: not a folder; expected one holding vocab.json"));
  check_load_error(dir, folder +
                            ": no tokenizer here: expected vocab.json and merges.txt (Hugging "
                            "Face) or encoder.json and vocab.bpe (OpenAI)");
  dir.write("vocab.json", small_vocab_json());
  CHECK_THROWS_WITH(bpe_tokenizer::load(dir.path()), Contains(folder + "/merges.txt"));
}

TEST_CASE("bad JSON is reported with its line and column") {
  scratch_dir dir("bad_json");
  dir.write("vocab.json", "{\"a\": 0,\n  \"b\" 1}");
  dir.write("merges.txt", "");
  CHECK_THROWS_WITH(bpe_tokenizer::load(dir.path()),
                    Contains(dir.path().string() + "/vocab.json:2:7: invalid JSON: syntax error") &&
                        Contains("expected ':'"));
}

TEST_CASE("a vocabulary that is not one is refused, naming the token") {
  scratch_dir dir("bad_vocab");
  const std::string vocab = dir.path().string() + "/vocab.json";
  dir.write("merges.txt", small_merges);
  dir.write("vocab.json", "[1, 2]");
  check_load_error(
      dir, vocab + ":1:1: expected a JSON object of tokens and their ids ({\"!\": 0, ...})");
  dir.write("vocab.json", small_vocab_json(",\n\"x y\": \"7\""));
  check_load_error(dir, vocab + ": token \"x y\": expected an id from 0 to 16777215, got \"7\"");
  dir.write("vocab.json", small_vocab_json(",\n\"xy\": 5"));
  check_load_error(dir, vocab + ": tokens \"&\" and \"xy\" have the same id 5");
  dir.write("vocab.json", small_vocab_json(",\n\"a b\": 300"));
  check_load_error(dir, vocab +
                            ": token \"a b\" has the character U+0020, which GPT-2's "
                            "byte-to-unicode map does not use; is this a byte-level BPE "
                            "vocabulary?");
  dir.write("vocab.json", "{\"a\": 0, \"b\": 1}");
  dir.write("merges.txt", "");
  check_load_error(dir, vocab +
                            ": the byte 0x00 (token \"Ā\") is not in the vocabulary; a byte-level "
                            "BPE vocabulary has all 256 bytes");
}

TEST_CASE("a malformed merges line is reported with its line") {
  scratch_dir dir("bad_merges");
  const std::string merges = dir.path().string() + "/merges.txt";
  dir.write("vocab.json", small_vocab_json());
  dir.write("merges.txt", "#version: 0.2\nĠ t\nh  e\n");
  check_load_error(dir, merges + ":3:1: expected two tokens separated by one space, got \"h  e\"");
  dir.write("merges.txt", "#version: 0.2\nĠ t\nhe\n");
  check_load_error(dir, merges + ":3:1: expected two tokens separated by one space, got \"he\"");
  dir.write("merges.txt", "Ġ t\nh e\nĠt he\nĠ t e\n");
  check_load_error(dir, merges + ":4:1: expected two tokens separated by one space, got \"Ġ t e\"");
}

TEST_CASE("a merge of tokens that are not in the vocabulary is reported with its place") {
  scratch_dir dir("merge_tokens");
  const std::string merges = dir.path().string() + "/merges.txt";
  dir.write("vocab.json", small_vocab_json());
  dir.write("merges.txt", "#version: 0.2\nĠ t\nhello e\n");
  check_load_error(dir, merges + ":3:1: \"hello\" is not in the vocabulary (vocab.json)");
  dir.write("merges.txt", "#version: 0.2\nĠ t\nh ello\n");
  check_load_error(dir, merges + ":3:3: \"ello\" is not in the vocabulary (vocab.json)");
  dir.write("merges.txt", "#version: 0.2\nĠ t\nt h\n");
  check_load_error(dir, merges +
                            ":3:1: the merge of \"t\" and \"h\", \"th\", is not in the vocabulary "
                            "(vocab.json)");
}

TEST_CASE("windows line ends and a missing last newline are fine in merges") {
  scratch_dir dir("crlf");
  dir.write("vocab.json", small_vocab_json());
  dir.write("merges.txt", "#version: 0.2\r\nĠ t\r\nh e\r\nĠt he");
  CHECK(bpe_tokenizer::load(dir.path()).encode(" the") == std::vector<std::int32_t>{258});
}

}  // namespace
}  // namespace textkit::gpt2
