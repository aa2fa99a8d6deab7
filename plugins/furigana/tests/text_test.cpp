// Kana conversions and Hepburn romanization.
#include <catch2/catch.hpp>

#include <unicode/uscript.h>

#include <cstdint>
#include <random>
#include <string>

#include "text.h"
#include "textkit/io.h"
#include "textkit_common/unicode.h"

using namespace textkit::furigana;

TEST_CASE("katakana and hiragana convert both ways", "[text]") {
  CHECK(to_hiragana(std::string_view("カタカナとヴ")) == "かたかなとゔ");
  CHECK(to_katakana(std::string_view("ひらがなabc")) == "ヒラガナabc");
}

TEST_CASE("kanji include 々 and ヶ but not kana or latin", "[text]") {
  CHECK(is_kanji(U'漢'));
  CHECK(is_kanji(U'々'));
  CHECK(is_kanji(U'ヶ'));
  CHECK_FALSE(is_kanji(U'か'));
  CHECK_FALSE(is_kanji(U'A'));
}

TEST_CASE("is_kanji's ranges answered without ICU agree with ICU's Han script", "[text]") {
  for (char32_t c = 0x2E80; c < 0x30000; ++c) {
    UErrorCode status = U_ZERO_ERROR;
    const bool han = uscript_getScript(static_cast<UChar32>(c), &status) == USCRIPT_HAN;
    const bool special = c == U'々' || c == U'〆' || c == U'ヶ' || c == U'ヵ';
    if (han != is_kanji(c) && !special)
      FAIL("is_kanji disagrees with ICU at " << std::hex << static_cast<std::uint32_t>(c));
  }
}

TEST_CASE("common::is_valid_utf8 (furigana's first check) agrees with textkit::find_invalid_utf8",
          "[text]") {
  using textkit::common::is_valid_utf8;
  CHECK(is_valid_utf8("漢字とかな abc 🍣"));
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xE6\xBC"));          // cut short
  // Random bytes, biased towards the lead and continuation bytes of real text.
  std::mt19937 random(8);
  const unsigned char pool[] = {'a',  0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2,
                                0xDF, 0xE0, 0xE6, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
  for (int run = 0; run < 20000; ++run) {
    std::string bytes;
    const int length = static_cast<int>(random() % 8);
    for (int k = 0; k < length; ++k) bytes += static_cast<char>(pool[random() % sizeof(pool)]);
    if (is_valid_utf8(bytes) != (textkit::find_invalid_utf8(bytes) == std::string::npos)) {
      FAIL("disagree on a string of " << bytes.size() << " bytes");
    }
  }
}

TEST_CASE("romaji is modified Hepburn", "[text]") {
  CHECK(to_romaji(U"しんぶん") == "shinbun");
  CHECK(to_romaji(U"ちゃっと") == "chatto");
  CHECK(to_romaji(U"まっちゃ") == "matcha");
  CHECK(to_romaji(U"トーキョー") == "tōkyō");
  CHECK(to_romaji(U"きんえん") == "kin'en");
  CHECK(to_romaji(U"ふじさん") == "fujisan");
  CHECK(to_romaji(U"つづく") == "tsuzuku");
}
