// Numbers and counters: the sound changes MeCab misses.
#include <catch2/catch.hpp>

#include "numbers.h"
#include "text.h"

using namespace textkit::furigana;

namespace {

// "number|counter" or the whole reading, in UTF-8, for comparing.
std::string read(std::u32string_view number, std::u32string_view counter,
                 bool after_month = false) {
  const auto r = read_number(number, counter, after_month);
  if (!r) return "(none)";
  if (!r->whole.empty()) return to_utf8(r->whole);
  return to_utf8(r->number) + "|" + to_utf8(r->counter);
}

}  // namespace

TEST_CASE("numbers read with the standard sound changes", "[numbers]") {
  CHECK(read(U"三百", U"") == "さんびゃく|");
  CHECK(read(U"六百", U"") == "ろっぴゃく|");
  CHECK(read(U"八千", U"") == "はっせん|");
  CHECK(read(U"三千", U"") == "さんぜん|");
  CHECK(read(U"百二十三", U"") == "ひゃくにじゅうさん|");
  CHECK(read(U"8000", U"") == "はっせん|");
  CHECK(read(U"１２", U"") == "じゅうに|");
  CHECK(read(U"一万", U"") == "いちまん|");
  CHECK(read(U"二〇二六", U"") == "にせんにじゅうろく|");
}

TEST_CASE("counters change the number and themselves", "[numbers]") {
  CHECK(read(U"3", U"本") == "さん|ぼん");
  CHECK(read(U"6", U"本") == "ろっ|ぽん");
  CHECK(read(U"一", U"本") == "いっ|ぽん");
  CHECK(read(U"十", U"本") == "じゅっ|ぽん");
  CHECK(read(U"3", U"月") == "さん|がつ");
  CHECK(read(U"4", U"月") == "し|がつ");
  CHECK(read(U"9", U"時") == "く|じ");
  CHECK(read(U"3", U"分") == "さん|ぷん");
  CHECK(read(U"8", U"冊") == "はっ|さつ");
  CHECK(read(U"3", U"階") == "さん|がい");
  CHECK(read(U"一", U"ヶ月") == "いっ|かげつ");
  CHECK(read(U"4", U"人") == "よ|にん");
}

TEST_CASE("number and counter words that do not split", "[numbers]") {
  CHECK(read(U"一", U"人") == "ひとり");
  CHECK(read(U"二", U"人") == "ふたり");
  CHECK(read(U"二十", U"日") == "はつか");
  CHECK(read(U"3", U"日") == "みっか");
  CHECK(read(U"1", U"日", true) == "ついたち");
  CHECK(read(U"1", U"日", false) == "いち|にち");
  CHECK(read(U"二十", U"歳") == "はたち");
}

TEST_CASE("approximate numbers: two numerals one above the other", "[numbers]") {
  const auto approximate = [](std::u32string_view number, std::u32string_view counter) {
    const auto r = read_approximate(number, counter);
    if (!r) return std::string("(none)");
    return to_utf8(r->first) + "|" + to_utf8(r->second) + "|" + to_utf8(r->counter);
  };
  CHECK(approximate(U"一二", U"本") == "いち|に|ほん");
  CHECK(approximate(U"二三", U"日") == "に|さん|にち");
  CHECK(approximate(U"四五", U"人") == "し|ご|にん");
  CHECK(approximate(U"五六", U"本") == "ご|ろっ|ぽん");
  CHECK(approximate(U"八九", U"") == "はっ|く|");
  // Numbers, not pairs.
  CHECK(approximate(U"十二", U"本") == "(none)");
  CHECK(approximate(U"二一", U"") == "(none)");
  CHECK(approximate(U"12", U"本") == "(none)");
  CHECK(approximate(U"一二三", U"") == "(none)");
}

TEST_CASE("歩 counts steps with the h-row sound changes", "[numbers]") {
  CHECK(read(U"一", U"歩") == "いっ|ぽ");
  CHECK(read(U"三", U"歩") == "さん|ぽ");
  CHECK(read(U"六", U"歩") == "ろっ|ぽ");
  CHECK(read(U"二", U"歩") == "に|ほ");
  CHECK(read(U"一万", U"歩") == "いちまん|ぽ");
}
