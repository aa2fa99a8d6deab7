#include "textkit_common/unicode.h"

#include <unicode/errorcode.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
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

TEST_CASE("to_nfc leaves text below U+0300 to itself: ICU agrees it is always NFC", "[unicode]") {
  icu::ErrorCode status;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  REQUIRE(status.isSuccess());
  for (UChar32 c = 0; c < 0x300; ++c) {
    INFO(c);
    // NFC alone, and never composed with or reordered after what precedes it.
    CHECK(nfc->isNormalized(icu::UnicodeString(c), status));
    CHECK(nfc->hasBoundaryBefore(c));
  }
  // The first character past the fast path does combine.
  CHECK_FALSE(nfc->hasBoundaryBefore(0x300));
  CHECK(to_nfc("A\xCC\x80") == "\xC3\x80");  // A + U+0300 -> À
}

TEST_CASE("append_utf8", "[unicode]") {
  std::string out;
  append_utf8(out, U'é');
  append_utf8(out, 0x1F600);
  append_utf8(out, 0xD800);
  CHECK(out == "é😀\xEF\xBF\xBD");
}
