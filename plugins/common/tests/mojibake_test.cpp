#include "textkit_common/mojibake.h"

#include <catch2/catch.hpp>

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
