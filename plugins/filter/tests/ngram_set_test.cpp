// The n-gram set: membership over many random hashes, the documents it keeps, and its memory per
// n-gram (what docs/plugins/filter.novelty.md promises).
#include "ngram_set.h"

#include <catch2/catch.hpp>

#include <random>
#include <unordered_set>

namespace nv = textkit::novelty;

TEST_CASE("every inserted hash is found and others are not") {
  std::mt19937_64 rng(11);
  nv::ngram_set set(false);
  std::unordered_set<std::uint64_t> truth;
  for (int i = 0; i < 300000; ++i) {
    const std::uint64_t h = rng();
    CHECK(set.insert(h) == truth.insert(h).second);
  }
  CHECK(set.size() == truth.size());
  std::size_t missing = 0;
  for (const std::uint64_t h : truth) missing += set.contains(h) ? 0 : 1;
  CHECK(missing == 0);
  std::size_t false_hits = 0;
  for (int i = 0; i < 300000; ++i) {
    const std::uint64_t h = rng();
    if (truth.count(h) == 0 && set.contains(h)) ++false_hits;
  }
  CHECK(false_hits == 0);
}

TEST_CASE("inserting again changes nothing; the first document is kept") {
  nv::ngram_set set(true);
  CHECK(set.insert(42, 7));
  CHECK_FALSE(set.insert(42, 9));
  CHECK(set.size() == 1);
  std::uint32_t doc = 0;
  REQUIRE(set.find(42, doc));
  CHECK(doc == 7);
  CHECK(set.insert(0, 3));  // 0 marks an empty slot inside, yet is a valid hash
  REQUIRE(set.find(0, doc));
  CHECK(doc == 3);
  CHECK_FALSE(set.contains(43));
}

TEST_CASE("memory per n-gram stays within 8 bytes per slot at a load of 1/2 to 3/4") {
  std::mt19937_64 rng(5);
  for (const bool docs : {false, true}) {
    nv::ngram_set set(docs);
    const std::size_t n = 2000000;
    for (std::size_t i = 0; i < n; ++i) set.insert(rng(), static_cast<std::uint32_t>(i));
    const double per = static_cast<double>(set.memory_bytes()) / static_cast<double>(n);
    const double slot = docs ? 12.0 : 8.0;
    INFO("with docs " << docs << ": " << per << " bytes per n-gram");
    CHECK(per >= slot / 0.75 - 0.1);
    CHECK(per <= slot / 0.5 + 0.5);
  }
}
