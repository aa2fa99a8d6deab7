#include "pretokenizer.h"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

namespace textkit::gpt2 {
namespace {

std::vector<std::string> pieces(std::string_view text) {
  std::vector<std::string> out;
  pretokenize(text, [&](std::string_view piece) { out.emplace_back(piece); });
  return out;
}

using list = std::vector<std::string>;

TEST_CASE("a space joins the word, number or symbols after it") {
  CHECK(pieces("Hello world") == list{"Hello", " world"});
  CHECK(pieces("in 2024, $5!") == list{"in", " 2024", ",", " $", "5", "!"});
  CHECK(pieces("abc123def") == list{"abc", "123", "def"});
  CHECK(pieces(" ...hi") == list{" ...", "hi"});
}

TEST_CASE("contractions are lower-case only and come first") {
  CHECK(pieces("I'm they'll we've you're she'd it's don't") ==
        list{"I", "'m", " they", "'ll", " we", "'ve", " you", "'re", " she", "'d", " it", "'s",
             " don", "'t"});
  CHECK(pieces("DON'T") == list{"DON", "'", "T"});
  CHECK(pieces(" 's") == list{" '", "s"});
  CHECK(pieces("?'s") == list{"?'", "s"});
  CHECK(pieces("''s") == list{"''", "s"});
}

TEST_CASE("white space before a word leaves its last character to the word") {
  CHECK(pieces("a  b") == list{"a", " ", " b"});
  CHECK(pieces("a\n\nb") == list{"a", "\n", "\n", "b"});
  CHECK(pieces("a \n b") == list{"a", " \n", " b"});
  CHECK(pieces("a\tb") == list{"a", "\t", "b"});
}

TEST_CASE("white space at the end of the text is one piece") {
  CHECK(pieces("\n\n") == list{"\n\n"});
  CHECK(pieces("end   ") == list{"end", "   "});
  CHECK(pieces("end \r\n") == list{"end", " \r\n"});
  CHECK(pieces(" ") == list{" "});
}

TEST_CASE("Unicode letters, numbers and white space are classed as \\p{L}, \\p{N} and \\s") {
  CHECK(pieces("日本語の文章です。") == list{"日本語の文章です", "。"});
  CHECK(pieces("x ½Ⅻ٣") == list{"x", " ½Ⅻ٣"});
  // NBSP, ideographic space, NEL and line separator are White_Space.
  CHECK(pieces("a\u00a0b") == list{"a", "\u00a0", "b"});
  CHECK(pieces("a\u3000\u3000b") == list{"a", "\u3000", "\u3000", "b"});
  CHECK(pieces("a\u0085\u2028") == list{"a", "\u0085\u2028"});
  // Emoji are neither letters nor numbers; a joiner or a selector is not a space either.
  CHECK(pieces("hi 👍🏽👨‍👩‍👧!") == list{"hi", " 👍🏽👨‍👩‍👧!"});
}

TEST_CASE("bytes that are not UTF-8 are symbols, each its own character") {
  CHECK(pieces("a\xff\xfe b") == list{"a", "\xff\xfe", " b"});
  CHECK(pieces("\xe6\x97") == list{"\xe6\x97"});                      // a truncated 日
  CHECK(pieces("x\xed\xa0\x80y") == list{"x", "\xed\xa0\x80", "y"});  // an encoded surrogate
}

TEST_CASE("the pieces of any bytes cover them exactly, in order") {
  std::mt19937 random(5);
  const std::vector<std::string> parts = {
      "a", "Z",  " ", "  ",     "\n",     "\t", "'",    "'s",       "'ll", "1",
      "½", "日", "😀", "\u00a0", "\u3000", "!",  "\xff", "\xe6\x97", "é",   "\r\n"};
  for (int round = 0; round < 500; ++round) {
    std::string text;
    const int n = static_cast<int>(random() % 40);
    for (int i = 0; i < n; ++i) text += parts[random() % parts.size()];
    std::string joined;
    for (const std::string& piece : pieces(text)) {
      REQUIRE_FALSE(piece.empty());
      joined += piece;
    }
    REQUIRE(joined == text);
  }
}

}  // namespace
}  // namespace textkit::gpt2
