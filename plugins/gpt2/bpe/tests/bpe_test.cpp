// Encoding with GPT-2's real vocabulary. The expected ids are tiktoken's ("gpt2" encoding, npm
// tiktoken 1.0), which OpenAI's encoder and Hugging Face's GPT2Tokenizer agree with.
#include "bpe.h"

#include <catch2/catch.hpp>

#include "test_helpers.h"
#include "textkit/error.h"

namespace textkit::gpt2 {
namespace {

using testing::gpt2;
using ids = std::vector<std::int32_t>;

TEST_CASE("known ids: words, paragraphs, contractions") {
  CHECK(gpt2().encode("Hello world") == ids{15496, 995});
  CHECK(gpt2().encode("\n\n") == ids{628});
  CHECK(gpt2().encode("Hello\n\nWorld") == ids{15496, 198, 198, 10603});
  CHECK(gpt2().encode("I'm sure they'll say we've done what you'd've") ==
        ids{40, 1101, 1654, 484, 1183, 910, 356, 1053, 1760, 644, 345, 1549, 1053});
  CHECK(gpt2().encode("DON'T 'S") == ids{41173, 6, 51, 705, 50});
  CHECK(gpt2().encode("The year 2024 costs $1,000.50!") ==
        ids{464, 614, 48609, 3484, 720, 16, 11, 830, 13, 1120, 0});
}

TEST_CASE("known ids: emoji, Japanese, other scripts") {
  CHECK(gpt2().encode("😀👍🏽 👨‍👩‍👧 🇯🇵") ==
        ids{47249, 222, 41840, 235,   8582, 237,   121, 50169, 101,  447, 235, 41840,
            102,   447, 235,   41840, 100,  12520, 229, 107,   8582, 229, 113});
  CHECK(gpt2().encode("日本語の文章です。") ==
        ids{33768, 98, 17312, 105, 45739, 252, 5641, 23877, 229, 44165, 254, 30640, 33623, 16764});
  CHECK(gpt2().encode("½ Ⅻ ٣٤") == ids{23141, 2343, 227, 104, 18923, 96, 149, 97});
  CHECK(gpt2().encode("\u00a0\u3000x") == ids{1849, 5099, 222, 87});
}

TEST_CASE("known ids: trailing and odd white space") {
  CHECK(gpt2().encode("hello   ") == ids{31373, 220, 220, 220});
  CHECK(gpt2().encode("hello \n") == ids{31373, 220, 198});
  CHECK(gpt2().encode("line\t\tend  \r\n") == ids{1370, 197, 197, 437, 220, 220, 201, 198});
  CHECK(gpt2().encode("").empty());
}

TEST_CASE("long pieces merge as short ones do") {
  // 100 spaces and an x: one piece of 99 spaces (GPT-2 has no token for two), then " x".
  ids spaces(99, 220);
  spaces.push_back(2124);
  CHECK(gpt2().encode(std::string(100, ' ') + "x") == spaces);
  CHECK(gpt2().encode(std::string(200, 'x')) == ids(25, 24223));  // "xxxxxxxx" 25 times
  // A piece of a megabyte costs n log n: this must finish at once.
  const std::string long_word(1 << 20, 'a');
  CHECK(gpt2().decode(gpt2().encode(long_word)) == long_word);
}

TEST_CASE("<|endoftext|> in the text is the special token") {
  CHECK(gpt2().eot_id() == 50256);
  CHECK(gpt2().encode("<|endoftext|>") == ids{50256});
  CHECK(gpt2().encode("a<|endoftext|>b") == ids{64, 50256, 65});
  CHECK(gpt2().encode("<|endoftext|><|endoftext|>") == ids{50256, 50256});
  // Unless asked for ordinary text (as tiktoken's encode_ordinary).
  ids ordinary;
  gpt2().encode_ordinary("a<|endoftext|>", ordinary);
  CHECK(ordinary == ids{64, 27, 91, 437, 1659, 5239, 91, 29});
  // Broken up, it is ordinary text.
  CHECK(gpt2().encode("<|endoftext|").size() > 1);
  CHECK(gpt2().decode(ids{50256}) == "<|endoftext|>");
}

TEST_CASE("decode(encode(x)) == x") {
  const std::vector<std::string> texts = {
      "Plain English prose, with punctuation; quotes \"like this\" and 'this'.",
      "int main(int argc, char** argv) {\n\treturn argc > 1 ? 0 : 1;\n}\n",
      "  leading and trailing  \r\n\r\n",
      "日本語、中文, 한국어, Ελληνικά, русский, עברית, العربية",
      "emoji 🧑🏿‍🚀🏳️‍🌈 and flags 🇫🇷🇩🇪",
      "e\u0301 combining, \u200b zero width, \ufeff BOM",
      "not UTF-8: \xff\xfe\x80 and a cut \xe6\x97",
      "<|endoftext|>between<|endoftext|>",
  };
  for (const std::string& text : texts) {
    const ids encoded = gpt2().encode(text);
    CHECK(gpt2().decode(encoded) == text);
    CHECK(gpt2().count(text) == encoded.size());
  }
}

TEST_CASE("encode appends to what is there") {
  ids out = {7};
  gpt2().encode("Hello world", out);
  CHECK(out == ids{7, 15496, 995});
}

TEST_CASE("token_bytes gives each token's raw bytes") {
  CHECK(gpt2().token_bytes(15496) == "Hello");
  CHECK(gpt2().token_bytes(995) == " world");
  CHECK(gpt2().token_bytes(628) == "\n\n");
  CHECK(gpt2().token_bytes(50256) == "<|endoftext|>");
  CHECK(gpt2().token_bytes(-1).empty());
  CHECK(gpt2().token_bytes(50257).empty());
  CHECK(gpt2().vocab_size() == 50257);
  CHECK(gpt2().merge_count() == 50000);
}

TEST_CASE("a token cut in the middle of a character decodes to incomplete UTF-8") {
  const ids encoded = gpt2().encode("日");  // 33768 98: the character's bytes split in two
  REQUIRE(encoded.size() == 2);
  CHECK(gpt2().decode(std::span(encoded).first(1)) == "\xe6\x97");
}

TEST_CASE("decoding an id outside the vocabulary is an error") {
  CHECK_THROWS_WITH(gpt2().decode(ids{15496, 50257}),
                    "decode: token id 50257 is not in the vocabulary (0 to 50256)");
  CHECK_THROWS_AS(gpt2().decode(ids{-3}), textkit::error);
}

}  // namespace
}  // namespace textkit::gpt2
