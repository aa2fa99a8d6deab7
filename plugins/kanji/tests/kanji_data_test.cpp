// KANJIDIC2 and RADKFILE as loaded: known facts about well-known kanji.
#include <catch2/catch.hpp>

#include <algorithm>

#include "dictionaries.h"
#include "kanji_data.h"

using namespace textkit::kanji;

namespace {

const kanji_database& database() {
  static const auto loaded = kanji_database::load(std::string(textkit::furigana::default_kanjidic),
                                                  std::string(default_radkfile));
  return *loaded;
}

const kanji_facts& facts(char32_t kanji) {
  const std::size_t index = database().find(kanji);
  REQUIRE(index != kanji_database::npos);
  return database()[index];
}

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

TEST_CASE("the jōyō kanji are KANJIDIC2's grades 1 to 8: 2,136 of them") {
  CHECK(database().joyo().size() == 2136);
}

TEST_CASE("語 is drawn from 言 and 口, and not from itself") {
  const kanji_facts& go = facts(U'語');
  CHECK(has(go.components, "言"));
  CHECK(has(go.components, "口"));
  CHECK_FALSE(has(go.components, "語"));
}

TEST_CASE("RADKFILE's stand-ins are shown as the part they stand for") {
  // 休 is listed under 化, which stands for the person radical 亻.
  const kanji_facts& rest = facts(U'休');
  CHECK(has(rest.components, "亻"));
  CHECK_FALSE(has(rest.components, "化"));
  CHECK(has(facts(U'海').components, "氵"));
  CHECK(radkfile_element_shape("汁") == "氵");
  CHECK(radkfile_element_shape("木") == "木");
}

TEST_CASE("grade, strokes, JLPT, frequency and radical of known kanji") {
  const kanji_facts& go = facts(U'語');
  CHECK(go.grade == 2);
  CHECK(go.strokes == 14);
  CHECK(go.jlpt == 4);
  CHECK(go.frequency_rank == 301);
  CHECK(go.radical == 149);
  CHECK(radical_character(go.radical) == "言");
  CHECK(facts(U'一').strokes == 1);
  CHECK(facts(U'一').grade == 1);
  CHECK(facts(U'鬱').strokes == 29);
  CHECK(facts(U'鬱').grade == 8);
  CHECK(facts(U'末').grade == 4);
  CHECK(facts(U'未').grade == 4);
}

TEST_CASE("readings come split into on (katakana) and kun (hiragana, okurigana after a dot)") {
  const kanji_facts& go = facts(U'語');
  CHECK(go.on == std::vector<std::string>{"ゴ"});
  CHECK(has(go.kun, "かた.る"));
  CHECK(has(go.meanings, "word"));
  CHECK(has(go.meanings, "language"));
  CHECK_FALSE(has(go.meanings, "langage"));  // French meanings are left out
}

TEST_CASE("a missing RADKFILE names the Debian package") {
  CHECK_THROWS_WITH(kanji_database::load(std::string(textkit::furigana::default_kanjidic),
                                         "/nonexistent/radkfile"),
                    Catch::Contains("install the Debian package xjdic"));
}
