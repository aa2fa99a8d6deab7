#include "textkit_common/unicode.h"

#include <catch2/catch.hpp>

using namespace textkit::common;

TEST_CASE("is_valid_utf8", "[unicode]") {
  CHECK(is_valid_utf8("héllo 😀"));
  CHECK_FALSE(is_valid_utf8("\xC3"));
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xFF"));
  // The eight-ASCII-bytes step must not skip a bad byte at any place of a long text.
  const std::string ascii(40, 'a');
  for (std::size_t at = 0; at < ascii.size(); ++at) {
    std::string text = ascii;
    text[at] = '\xFF';
    CHECK_FALSE(is_valid_utf8(text));
    text[at] = 'b';
    CHECK(is_valid_utf8(text));
    CHECK_FALSE(is_valid_utf8(text + "\xC3"));
  }
}

TEST_CASE("to_nfc composes", "[unicode]") {
  CHECK(to_nfc("e\xCC\x81") == "é");
  CHECK(to_nfc("ascii") == "ascii");
  CHECK(to_nfc("déjà") == "déjà");
}

TEST_CASE("append_utf8", "[unicode]") {
  std::string out;
  append_utf8(out, U'é');
  append_utf8(out, 0x1F600);
  append_utf8(out, 0xD800);
  CHECK(out == "é😀\xEF\xBF\xBD");
}
