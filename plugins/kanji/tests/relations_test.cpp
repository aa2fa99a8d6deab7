// Look-alikes, meaning neighbours and the learning order.
#include <catch2/catch.hpp>

#include <algorithm>

#include "dictionaries.h"
#include "kanji_data.h"
#include "relations.h"

using namespace textkit::kanji;

namespace {

const kanji_database& database() {
  static const auto loaded = kanji_database::load(std::string(textkit::furigana::default_kanjidic),
                                                  std::string(default_radkfile));
  return *loaded;
}

std::size_t at(char32_t kanji) {
  const std::size_t index = database().find(kanji);
  REQUIRE(index != kanji_database::npos);
  return index;
}

const relation_index& joyo_relations() {
  static const relation_index index(database(), database().joyo());
  return index;
}

std::vector<std::string> texts(const std::vector<scored_kanji>& found) {
  std::vector<std::string> out;
  for (const scored_kanji& s : found) out.push_back(database()[s.index].text);
  return out;
}

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::size_t position(const std::vector<std::size_t>& order, char32_t kanji) {
  return static_cast<std::size_t>(std::find(order.begin(), order.end(), at(kanji)) - order.begin());
}

}  // namespace

TEST_CASE("末 and 未 look alike; 末 and 語 do not") {
  const double alike = visual_similarity(database(), at(U'末'), at(U'未'));
  const double unlike = visual_similarity(database(), at(U'末'), at(U'語'));
  CHECK(alike > 0.7);
  CHECK(unlike < 0.3);
  CHECK(has(texts(joyo_relations().looks_like(at(U'末'), 6, 0.55)), "未"));
  CHECK(has(texts(joyo_relations().looks_like(at(U'未'), 6, 0.55)), "末"));
}

TEST_CASE("known look-alike pairs are found among the jōyō kanji") {
  CHECK(has(texts(joyo_relations().looks_like(at(U'績'), 6, 0.55)), "積"));
  const auto sei = texts(joyo_relations().looks_like(at(U'晴'), 6, 0.55));
  CHECK(has(sei, "情"));
  CHECK(has(sei, "清"));
  CHECK(has(sei, "精"));
}

TEST_CASE("SKIP and four-corner codes catch pairs RADKFILE keeps atomic: 土 and 士") {
  CHECK(has(texts(joyo_relations().looks_like(at(U'土'), 6, 0.55)), "士"));
  CHECK(has(texts(joyo_relations().looks_like(at(U'己'), 6, 0.55)), "已") ==
        database()[at(U'已')].joyo());
}

TEST_CASE("a kanji is never its own look-alike or meaning neighbour") {
  CHECK_FALSE(has(texts(joyo_relations().looks_like(at(U'語'), 10, 0.0)), "語"));
  CHECK_FALSE(has(texts(joyo_relations().means_like(at(U'語'), 10, 0.0)), "語"));
}

TEST_CASE("kanji of related meaning share meaning words, stop words aside") {
  const auto go = texts(joyo_relations().means_like(at(U'語'), 5, 0.3));
  CHECK(has(go, "詞"));  // part of speech, words
  const auto words = meaning_words(database()[at(U'語')]);
  CHECK(has(words, "word"));
  CHECK_FALSE(has(words, "of"));
}

TEST_CASE("learning order: a kanji comes after its components that are in the set") {
  // 語 has a better newspaper rank than 言 and 口 only when weighed so; whatever the scores, 口
  // and 言 must come first.
  const std::vector<std::size_t> set = {at(U'語'), at(U'言'), at(U'口'), at(U'木'), at(U'休')};
  const std::vector<double> scores = {1.0, 0.1, 0.2, 0.9, 0.95};  // 語 and 休 "want" to go first
  const std::vector<std::size_t> order = learning_order(database(), set, scores);
  REQUIRE(order.size() == set.size());
  CHECK(position(order, U'言') < position(order, U'語'));
  CHECK(position(order, U'口') < position(order, U'語'));
  CHECK(position(order, U'口') < position(order, U'言'));  // 言 is drawn with 口 too
  CHECK(position(order, U'木') < position(order, U'休'));
  // 語 is wanted first, so its components go first, as early as it can: 口, 言, 語, then 木 休.
  CHECK(order == std::vector<std::size_t>{at(U'口'), at(U'言'), at(U'語'), at(U'木'), at(U'休')});
}

TEST_CASE("learning order: without components in the set, the best score goes first") {
  const std::vector<std::size_t> set = {at(U'末'), at(U'犬'), at(U'海')};
  const std::vector<double> scores = {0.2, 0.9, 0.5};
  const std::vector<std::size_t> order = learning_order(database(), set, scores);
  CHECK(order == std::vector<std::size_t>{at(U'犬'), at(U'海'), at(U'末')});
}

TEST_CASE("learning score: the weights choose what counts") {
  const kanji_facts& common = database()[at(U'日')];  // grade 1, rank 1
  const kanji_facts& rare = database()[at(U'鬱')];    // grade 8, unranked
  const order_weights even;
  CHECK(learning_score(common, 0, 10, even) > learning_score(rare, 0, 10, even));
  order_weights corpus_only{0, 0, 0, 1};
  CHECK(learning_score(rare, 10, 10, corpus_only) == Approx(1.0));
  CHECK(learning_score(common, 0, 10, corpus_only) == Approx(0.0));
}
