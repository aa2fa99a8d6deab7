// Tokens, clauses and sentences: what the rules see.
#include "tokens.h"

#include <catch2/catch.hpp>

namespace textkit::negate {
namespace {

std::vector<std::string> texts(const tokens& toks) {
  std::vector<std::string> out;
  for (const token& t : toks) out.push_back(t.text);
  return out;
}

std::vector<std::string> sentences(std::string_view text) {
  sentence_splitter splitter;
  std::vector<std::string> out;
  for (const auto& [begin, end] : splitter.split(text))
    out.emplace_back(text.substr(begin, end - begin));
  return out;
}

TEST_CASE("clitics are tokens of their own and render back as written", "[tokens]") {
  for (const std::string s : {"I can't go.", "She won't go.", "We cannot go.", "She's gone.",
                              "I'd rather not.", "They shan't.", "It\xE2\x80\x99s late."}) {
    CHECK(render(tokenize(s)) == s);
  }
  CHECK(texts(tokenize("I can't go.")) == std::vector<std::string>{"I", "can", "n't", "go", "."});
  CHECK(texts(tokenize("Won't it?")) == std::vector<std::string>{"Will", "n't", "it", "?"});
}

TEST_CASE("a quotation is one token", "[tokens]") {
  const tokens toks = tokenize("\"Go, my dear,\" said her mother.");
  REQUIRE(toks.size() == 5);
  CHECK(toks[0].kind == token_kind::quote);
  CHECK(toks[0].text == "\"Go, my dear,\"");
  CHECK(tokenize("\xE2\x80\x9CRun!\xE2\x80\x9D he cried.")[0].kind == token_kind::quote);
}

TEST_CASE("abbreviations keep their full stop", "[tokens]") {
  CHECK(texts(tokenize("Mrs. Vandemeyer read.")) ==
        std::vector<std::string>{"Mrs.", "Vandemeyer", "read", "."});
  CHECK(texts(tokenize("Gen. Hale met J. Smith in Aug. last year.")) ==
        std::vector<std::string>{"Gen.", "Hale", "met", "J.", "Smith", "in", "Aug.", "last", "year",
                                 "."});
}

TEST_CASE("no sentence ends at a title or an initial before a name", "[tokens]") {
  CHECK(sentences("Mr. Brook sold the mill to Mrs. Hale. She paid.").size() == 2);
  CHECK(sentences("The judge said J. Smith sold the horses. Gen. Hale and St. Clair agreed.") ==
        std::vector<std::string>{"The judge said J. Smith sold the horses. ",
                                 "Gen. Hale and St. Clair agreed."});
  // An acronym may end a sentence.
  CHECK(sentences("He sailed to the U.S. Then he wrote home.").size() == 2);
  CHECK(sentences("The heron flew over the U.K. The geese stayed.").size() == 2);
}

TEST_CASE("no sentence ends at dotted initials before a name or a noun", "[tokens]") {
  CHECK(sentences("The hare won at the U.S. Track Invitational.").size() == 1);
  CHECK(sentences("The flute of T.R. Mahalingam had eight holes.").size() == 1);
  CHECK(sentences("Ada Quill is the U.S. Secretary of Lanterns. She lives by the pond.") ==
        std::vector<std::string>{"Ada Quill is the U.S. Secretary of Lanterns. ",
                                 "She lives by the pond."});
}

TEST_CASE("sentences never break inside a quotation", "[tokens]") {
  const auto s = sentences("She said, \"Stop. Wait here.\" Then she left. The end.");
  REQUIRE(s.size() == 3);
  CHECK(s[0] == "She said, \"Stop. Wait here.\" ");
  CHECK(s[1] == "Then she left. ");
  CHECK(sentences("\"Who is there?\" asked the wolf. Nobody answered.").size() == 2);
}

TEST_CASE("clauses split before parsing", "[tokens]") {
  SECTION(", and with a new subject starts a main clause") {
    const tokens toks = tokenize("The wolf knocked, and the grandmother opened the door.");
    const auto clauses = split_clauses(toks);
    REQUIRE(clauses.size() == 2);
    CHECK(clauses[0].main);
    CHECK(clauses[1].main);
    CHECK(toks[clauses[1].at.front()].text == "and");
  }
  SECTION("a relative clause between commas is subordinate and skipped by the main one") {
    const tokens toks = tokenize("The girl, who was pretty, went to the wood.");
    const auto clauses = split_clauses(toks);
    REQUIRE(clauses.size() == 2);
    CHECK_FALSE(clauses[1].main);
    CHECK(toks[clauses[1].at.front()].text == "who");
    CHECK(clauses[0].at.size() == 8);  // The girl ,
  }
  SECTION("a leading adverbial clause is subordinate") {
    const auto clauses = split_clauses(tokenize("When the sun set, the fox left."));
    REQUIRE(clauses.size() == 2);
    CHECK_FALSE(clauses[0].main);
    CHECK(clauses[1].main);
  }
  SECTION("one without its comma is the sentence itself") {
    const auto clauses = split_clauses(tokenize("But if they catch me"));
    REQUIRE(clauses.size() == 1);
    CHECK(clauses[0].main);
  }
  SECTION("as much as before a number is an amount, not a subordinate clause") {
    const tokens toks =
        tokenize("As much as 20 mm of rain have fallen on the hills, on the coast of the lake.");
    const auto clauses = split_clauses(toks);
    REQUIRE(clauses.size() == 1);
    CHECK(clauses[0].main);
    const auto as_long = split_clauses(tokenize("As long as the lamp burns, the moths dance."));
    REQUIRE(as_long.size() == 2);
    CHECK_FALSE(as_long[0].main);
  }
}

}  // namespace
}  // namespace textkit::negate
