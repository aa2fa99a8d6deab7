#include "textkit_common/mojibake.h"

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

using textkit::common::latin1_to_utf8;
using textkit::common::repair_latin1_mojibake;
using textkit::common::repair_mojibake_sequences;

TEST_CASE("Facebook's escapes are repaired", "[mojibake]") {
  // What a JSON parser makes of "Fran\u00c3\u00a7ais" and "\u00f0\u009f\u0098\u0082".
  CHECK(repair_latin1_mojibake("Fran\xC3\x83\xC2\xA7"
                               "ais") == "Français");
  CHECK(repair_latin1_mojibake("\xC3\xB0\xC2\x9F\xC2\x98\xC2\x82") == "😂");
  CHECK(repair_latin1_mojibake("don\xC3\xA2\xC2\x80\xC2\x99t") == "don’t");
}

TEST_CASE("correct text is left alone", "[mojibake]") {
  CHECK_FALSE(repair_latin1_mojibake("plain ascii"));
  CHECK_FALSE(repair_latin1_mojibake("Ã"));          // a real capital A tilde
  CHECK_FALSE(repair_latin1_mojibake("São Paulo"));  // ã then space: not UTF-8 once bytes
  CHECK_FALSE(repair_latin1_mojibake("Ça va? Très bien"));
  CHECK_FALSE(repair_latin1_mojibake("日本語"));      // above U+00FF: never this damage
  CHECK_FALSE(repair_latin1_mojibake("Français 😂"));  // already right
  CHECK_FALSE(repair_latin1_mojibake(""));
}

TEST_CASE("sequence repair for mixed text", "[mojibake]") {
  CHECK(repair_mojibake_sequences("caf\xC3\x83\xC2\xA9 😀") == "café 😀");
  CHECK(repair_mojibake_sequences("Ã alone") == "Ã alone");
  CHECK(repair_mojibake_sequences("ok") == "ok");
}

TEST_CASE("latin1_to_utf8", "[mojibake]") {
  CHECK(latin1_to_utf8("caf\xE9") == "café");
  CHECK(latin1_to_utf8("") == "");
}

TEST_CASE("the in-place repair equals the copying one", "[mojibake]") {
  // Random texts of ASCII runs (long enough for the eight-byte steps), Latin-1-range code points,
  // damaged sequences and code points past U+00FF; an in-place repair that gives up half-way must
  // give the text back unchanged.
  static const std::vector<std::string> pieces = {"abcdefghij ",
                                                  "x",
                                                  "\xC3\x83\xC2\xA9",
                                                  "\xC3\xB0\xC2\x9F\xC2\x98\xC2\x82",
                                                  "\xC3\x83",
                                                  "\xC3\xA9",
                                                  "\xC2\xA0",
                                                  "€",
                                                  "日本",
                                                  "\xC3\xA2\xC2\x80\xC2\x99",
                                                  "0123456789abcdef"};
  std::mt19937 random(7);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 10);
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int count = length(random);
    for (int i = 0; i < count; ++i) text += pieces[pick(random)];
    const auto expected = repair_latin1_mojibake(text);
    std::string in_place = text;
    INFO(text);
    CHECK(textkit::common::repair_latin1_mojibake_in_place(in_place) == expected.has_value());
    CHECK(in_place == expected.value_or(text));
  }
}

TEST_CASE("the in-place repair equals the copying one at every alignment", "[mojibake]") {
  // Sixteen bytes at a time on x86-64: a pair may straddle a block at any offset, and a text
  // that turns out not to be the damage must come back unchanged.
  const std::vector<std::string> bodies = {
      "0123456789abcdef0123456789abcdef\xC3\x83\xC2\xA9\xC2\xA0 tail of text here.",  // not it
      "0123456789abcdef0123456789abcdef\xC3\x83\xC2\xA9 d\xC3\x83\xC2\xA9j\xC3\x83\xC2\xA0 vu, "
      "\xC3\xB0\xC2\x9F\xC2\x98\xC2\x82 and more text after it",  // it
      "\xC3\x83\xC2\xA9\xC3\x83\xC2\xA9\xC3\x83\xC2\xA9\xC3\x83\xC2\xA9\xC3\x83\xC2\xA9\xC3\x83"
      "\xC2\xA9\xC3\x83\xC2\xA9\xC3\x83\xC2\xA9\xC3\x83\xC2\xA9",            // all pairs
      "0123456789abcdef0123456789abcdef \xE2\x82\xAC and \xC3\x83\xC2\xA9",  // past U+00FF
  };
  for (const std::string& body : bodies) {
    for (std::size_t shift = 0; shift < 40; ++shift) {
      const std::string text = std::string(shift, 'x') + body + std::string(shift % 7, 'y');
      const auto expected = repair_latin1_mojibake(text);
      std::string in_place = text;
      INFO(shift << " " << text);
      CHECK(textkit::common::repair_latin1_mojibake_in_place(in_place) == expected.has_value());
      CHECK(in_place == expected.value_or(text));
    }
  }
}
