// The reference index: a run of n words is found whatever the case and punctuation, a run of n-1
// is not; the longest run, its place and its document; overlap; near-duplicates of short
// documents; Japanese.
#include "reference_index.h"

#include <catch2/catch.hpp>

#include <string>

namespace nv = textkit::novelty;

namespace {

nv::novelty_params params(int n, bool keep_docs = true) {
  nv::novelty_params p;
  p.n = n;
  p.keep_docs = keep_docs;
  return p;
}

const char* const fox = "The quick brown fox jumps over the lazy dog near the river bank.";

}  // namespace

TEST_CASE("a run of n reference words is a copy, a run of n-1 is not") {
  nv::reference_index index(params(8));
  REQUIRE(index.add(fox, "ref.txt", 3));
  CHECK(index.documents() == 1);
  CHECK(index.distinct_ngrams() == 13 - 8 + 1);

  const auto eight = index.check("Yesterday THE QUICK brown fox, jumps over the lazy... cat!");
  CHECK(eight.copied_run());
  CHECK(eight.longest_run == 8);
  CHECK(eight.copied());

  const auto seven = index.check("Yesterday the quick brown fox jumps over the cat.");
  CHECK_FALSE(seven.copied_run());
  CHECK(seven.longest_run == 0);
  CHECK(seven.copied_words == 0);
}

TEST_CASE("the longest run, where it is, which document, and the overlap") {
  nv::reference_index index(params(4));
  index.add("alpha beta gamma delta epsilon", "a.txt", 1);
  index.add(fox, "b.txt", 10);
  const std::string text =
      "So: the quick brown fox jumps over the lazy dog, then alpha beta gamma delta. End.";
  const auto found = index.check(text);
  CHECK(found.longest_run == 9);  // the ... dog
  CHECK(text.substr(found.run_begin, found.run_end - found.run_begin) ==
        "the quick brown fox jumps over the lazy dog");
  REQUIRE(found.run_doc);
  CHECK(index.describe(*found.run_doc) == "b.txt:10");
  CHECK(found.words == 16);
  CHECK(found.copied_words == 13);
  CHECK(found.overlap() == Approx(13.0 / 16.0));
}

TEST_CASE("a near-duplicate of a document shorter than n words is a copy") {
  auto p = params(8);
  p.minhash.shingle = 2;
  nv::reference_index index(p);
  index.add("Good morning my dear friends.", "short.txt", 4);
  index.add(fox, "fox.txt", 1);
  const auto same = index.check("good morning, my dear friends!");
  CHECK_FALSE(same.copied_run());
  CHECK(same.near_copy);
  CHECK(same.near_similarity == 1.0);
  REQUIRE(same.near_doc);
  CHECK(index.describe(*same.near_doc) == "short.txt:4");
  const auto other = index.check("Good evening to all my old enemies.");
  CHECK_FALSE(other.copied());

  p.near = false;
  nv::reference_index without(p);
  without.add("Good morning my dear friends.", "short.txt", 4);
  CHECK_FALSE(without.check("good morning, my dear friends!").copied());
}

TEST_CASE("Japanese copies are found through its words") {
  nv::reference_index index(params(5, false));
  index.add("吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。", "neko.txt", 1);
  CHECK(index.check("実は、吾輩は猫である。名前はまだ無いのだ。").copied_run());
  CHECK_FALSE(index.check("吾輩は犬である。名前はもうある。").copied_run());
}

TEST_CASE("documents without words add nothing; an empty index finds nothing") {
  nv::reference_index index(params(2));
  CHECK_FALSE(index.add("... !!! ...", "p.txt", 1));
  CHECK(index.documents() == 0);
  CHECK_FALSE(index.check("anything at all").copied());
}
