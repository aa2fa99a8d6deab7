#include "textkit_common/unicode.h"

#include <unicode/errorcode.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

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

TEST_CASE("is_valid_utf8 on long text (simdjson's check) answers as on short text", "[unicode]") {
  // Past 64 bytes the check is simdjson's: the same answers for every kind of fault, anywhere.
  const std::vector<std::string> faults = {"\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                                           "\xFF", "\x80",     "\xE2\x82",     "\xF0\x9F\x98"};
  const std::string good = "héllo wörld 😀 — “quoted” ";
  for (const std::string& fault : faults) {
    CHECK_FALSE(is_valid_utf8(fault));
    for (std::size_t length : {63, 64, 65, 200}) {
      std::string text;
      while (text.size() < length) text += good;
      CHECK(is_valid_utf8(text));
      for (std::size_t at : {std::size_t{0}, std::size_t{17}, text.size() - 1, text.size()}) {
        std::string bad = text;
        // At a character boundary: the fault is the only one.
        while (at < bad.size() && (static_cast<unsigned char>(bad[at]) & 0xC0) == 0x80) ++at;
        bad.insert(at, fault);
        INFO(length << " " << at);
        CHECK_FALSE(is_valid_utf8(bad));
      }
    }
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

TEST_CASE("to_nfc answers as ICU for every character to U+1FFFF, alone and around others",
          "[unicode]") {
  // Text past U+0300 made only of characters NFC never touches is taken as NFC without ICU: that
  // must never differ from ICU's own normalization, whatever precedes or follows.
  icu::ErrorCode status;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  REQUIRE(status.isSuccess());
  const auto icu_nfc = [&](const std::string& text) {
    std::string out;
    nfc->normalize(icu::UnicodeString::fromUTF8(text), status).toUTF8String(out);
    return out;
  };
  std::size_t mismatches = 0;
  for (char32_t c = 0x300; c < 0x20000; ++c) {  // the BMP and plane 1, which a table covers
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    std::string one;
    append_utf8(one, c);
    for (const std::string& text :
         {one, "e" + one, one + "\xCC\x81", "A " + one + " 😀", one + "\xE1\x85\xA1"}) {
      if (to_nfc(text) != icu_nfc(text)) ++mismatches;
    }
  }
  CHECK(mismatches == 0);
  // And for the planes past it, a sample: CJK extensions, compatibility ideographs.
  for (char32_t c : {0x20000U, 0x2A700U, 0x2F800U, 0x2FA1DU, 0xE0001U, 0x10FFFDU}) {
    std::string one;
    append_utf8(one, c);
    for (const std::string& text : {one, "e" + one, one + "\xCC\x81"}) {
      INFO(static_cast<std::uint32_t>(c));
      CHECK(to_nfc(text) == icu_nfc(text));
    }
  }
  CHECK(to_nfc("\xE2\x84\xA6") == "\xCE\xA9");                  // OHM SIGN -> GREEK CAPITAL OMEGA
  CHECK(to_nfc("\xEA\xB0\x80\xE1\x86\xA8") == "\xEA\xB0\x81");  // GA + jongseong KIYEOK -> GAG
}

TEST_CASE("to_nfc finds what needs it at every place of long text", "[unicode]") {
  // The scan for bytes from 0xCC goes sixteen, then eight bytes at a time: each such character
  // at every offset, before short and long tails, and next to 0xCB (U+02C0-U+02FF, below U+0300).
  icu::ErrorCode status;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  REQUIRE(status.isSuccess());
  for (const std::string piece :
       {"e\xCC\x81", "\xE2\x84\xA6", "\xF0\x9F\x98\x82", "\xCB\x86", "\xCB\x86\xCC\x81"}) {
    for (std::size_t before = 0; before < 40; ++before) {
      for (const std::size_t after : {0, 1, 7, 8, 15, 16, 17, 33}) {
        const std::string text = std::string(before, 'a') + piece + std::string(after, 'b');
        std::string expected;
        nfc->normalize(icu::UnicodeString::fromUTF8(text), status).toUTF8String(expected);
        INFO(before << " " << after);
        CHECK(to_nfc(text) == expected);
      }
    }
  }
}

TEST_CASE("bytes_from marks exactly the bytes from its bound, at every place of a word",
          "[unicode]") {
  for (unsigned least : {0x80U, 0xC4U, 0xCCU, 0xFFU}) {
    for (unsigned byte = 0; byte < 256; ++byte) {
      for (unsigned place = 0; place < 8; ++place) {
        // The other bytes just below the bound, where a carry would show.
        std::uint64_t word = 0;
        for (unsigned other = 0; other < 8; ++other) {
          const unsigned value = other == place ? byte : least - 1;
          word |= static_cast<std::uint64_t>(value) << (8 * other);
        }
        const std::uint64_t expected = byte >= least ? std::uint64_t{0x80} << (8 * place) : 0;
        INFO(least << " " << byte << " " << place);
        CHECK(bytes_from(word, least) == expected);
      }
    }
  }
}

TEST_CASE("append_utf8", "[unicode]") {
  std::string out;
  append_utf8(out, U'é');
  append_utf8(out, 0x1F600);
  append_utf8(out, 0xD800);
  CHECK(out == "é😀\xEF\xBF\xBD");
}
