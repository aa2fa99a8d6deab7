// WordNet-backed morphology and antonyms, and the auxiliary table.
#include "lexicon.h"

#include <catch2/catch.hpp>

namespace textkit::negate {
namespace {

const lexicon& words() {
  static const std::shared_ptr<const lexicon> lex = lexicon::load("/usr/share/wordnet");
  return *lex;
}

TEST_CASE("irregular and regular verb forms map to their lemma", "[lexicon]") {
  CHECK(words().verb_base("went") == "go");
  CHECK(words().verb_base("fell") == "fall");
  CHECK(words().verb_base("lay") == "lie");
  CHECK(words().verb_base("sank") == "sink");
  CHECK(words().verb_base("stopped") == "stop");
  CHECK(words().verb_base("tries") == "try");
  CHECK(words().verb_base("watches") == "watch");
  CHECK(words().verb_base("loved") == "love");
  CHECK(words().verb_base("put") == "put");
  CHECK(words().verb_base("lantern").empty());
}

TEST_CASE("WordNet's sentence frames tell verbs that need an object", "[lexicon]") {
  CHECK(words().needs_object("murder"));
  CHECK(words().needs_object("discover"));
  CHECK_FALSE(words().needs_object("stop"));
  CHECK_FALSE(words().needs_object("sink"));
  CHECK_FALSE(words().needs_object("lantern"));
}

TEST_CASE("un-negation writes the past and the third person", "[lexicon]") {
  CHECK(words().past_of("go") == "went");
  CHECK(words().past_of("lie") == "lay");
  CHECK(words().past_of("stop") == "stopped");
  CHECK(words().past_of("carry") == "carried");
  CHECK(words().past_of("love") == "loved");
  CHECK(words().past_of("learn") == "learned");
  CHECK(lexicon::third_person_of("watch") == "watches");
  CHECK(lexicon::third_person_of("fly") == "flies");
  CHECK(lexicon::third_person_of("have") == "has");
}

TEST_CASE("forms are classified for do-support", "[lexicon]") {
  CHECK(words().form_of("went") == verb_form::past);
  CHECK(words().form_of("gone") == verb_form::participle);
  CHECK(words().form_of("walked") == verb_form::past_or_participle);
  CHECK(words().form_of("walks") == verb_form::third_person);
  CHECK(words().form_of("walking") == verb_form::ing);
  CHECK(words().form_of("walk") == verb_form::base);
  // A second participle beside the table's one is no past tense.
  CHECK(words().form_of("born") == verb_form::participle);
  CHECK(words().form_of("borne") == verb_form::participle);
  CHECK(words().form_of("bore") == verb_form::past);
  CHECK(words().verb_base("born") == "bear");
}

TEST_CASE("WordNet gives direct adjective antonyms", "[lexicon]") {
  CHECK(words().antonym_of("kind") == "unkind");
  CHECK(words().antonym_of("bright") == "dull");
  CHECK(words().antonym_of("lantern").empty());
}

TEST_CASE("SemCor's counts tell words used mostly as nouns from verbs", "[lexicon]") {
  CHECK(words().usage_of("take").verb > words().usage_of("take").noun);
  CHECK(words().mostly_nominal("people"));
  CHECK(words().mostly_nominal("services"));  // plural of a noun more than a verb form
  CHECK(words().mostly_nominal("level"));
  CHECK(words().mostly_nominal("up"));
  CHECK_FALSE(words().mostly_nominal("takes"));
  CHECK_FALSE(words().mostly_nominal("rise"));
  CHECK_FALSE(words().mostly_nominal("lanternwick"));  // no evidence either way
}

TEST_CASE("auxiliaries know their negative forms", "[lexicon]") {
  REQUIRE(find_auxiliary("can") != nullptr);
  CHECK(find_auxiliary("can")->uncontracted == "cannot");
  CHECK(find_auxiliary("will")->contracted == "won't");
  CHECK(find_auxiliary("'s")->is_be);
  CHECK(find_auxiliary("did")->is_do);
  CHECK(find_auxiliary("may")->contracted.empty());
  CHECK(find_auxiliary("lantern") == nullptr);
}

TEST_CASE("a missing WordNet says which package to install", "[lexicon]") {
  CHECK_THROWS_WITH(lexicon::load("/nonexistent"), Catch::Contains("wordnet-base"));
}

}  // namespace
}  // namespace textkit::negate
