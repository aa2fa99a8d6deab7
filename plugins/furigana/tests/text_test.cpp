// Kana conversions and Hepburn romanization.
#include <catch2/catch.hpp>

#include "text.h"

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

TEST_CASE("romaji is modified Hepburn", "[text]") {
  CHECK(to_romaji(U"しんぶん") == "shinbun");
  CHECK(to_romaji(U"ちゃっと") == "chatto");
  CHECK(to_romaji(U"まっちゃ") == "matcha");
  CHECK(to_romaji(U"トーキョー") == "tōkyō");
  CHECK(to_romaji(U"きんえん") == "kin'en");
  CHECK(to_romaji(U"ふじさん") == "fujisan");
  CHECK(to_romaji(U"つづく") == "tsuzuku");
}
