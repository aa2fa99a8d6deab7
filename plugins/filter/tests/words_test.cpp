// The words filter.novelty compares: ICU word break, NFKC and case folding, punctuation left out,
// and the n-gram hashes built on them.
#include "words.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace nv = textkit::novelty;

namespace {

/// The words of `text` as the text holds them (from their byte offsets).
std::vector<std::string> words_of(std::string_view text) {
  nv::word_splitter splitter;
  nv::word_list words;
  splitter.split(text, words);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    out.emplace_back(text.substr(words.begins[i], words.ends[i] - words.begins[i]));
  }
  return out;
}

std::vector<std::uint64_t> hashes_of(std::string_view text) {
  nv::word_splitter splitter;
  nv::word_list words;
  splitter.split(text, words);
  return words.hashes;
}

}  // namespace

TEST_CASE("words leave out spaces and punctuation, and keep contractions and numbers whole") {
  CHECK(words_of("Hello, world! -- it's 3.14 (roughly).") ==
        std::vector<std::string>{"Hello", "world", "it's", "3.14", "roughly"});
  CHECK(words_of("  ...  !!! 🙂 ").empty());
  CHECK(words_of("").empty());
}

TEST_CASE("words are compared case-folded and in NFKC") {
  CHECK(hashes_of("The CAT sat") == hashes_of("the cat SAT"));
  CHECK(hashes_of("Ｔｈｅ ｃａｔ") == hashes_of("the cat"));  // full-width forms
  CHECK(hashes_of("STRASSE") == hashes_of("Straße"));         // full case folding
  CHECK(hashes_of("café") == hashes_of("cafe\u0301"));        // composed or not
  CHECK(hashes_of("ﬁne") == hashes_of("fine"));               // the ligature
  CHECK(hashes_of("the cat") != hashes_of("the cap"));
  nv::word_splitter splitter;
  CHECK(splitter.fold("ÉCOLE") == "école");
}

TEST_CASE("Japanese is split into words by ICU's dictionary") {
  const auto words = words_of("東京へ行きました。");
  REQUIRE(words.size() >= 3);
  CHECK(words.front() == "東京");
  std::string joined;
  for (const auto& w : words) joined += w;
  CHECK(joined == "東京へ行きました");  // the full stop is not a word
}

TEST_CASE("word offsets point into the text") {
  nv::word_splitter splitter;
  nv::word_list words;
  const std::string text = "« Voilà », dit-il.";
  splitter.split(text, words);
  REQUIRE(words.size() == 3);
  CHECK(text.substr(words.begins[0], words.ends[0] - words.begins[0]) == "Voilà");
  CHECK(text.substr(words.begins[1], words.ends[1] - words.begins[1]) == "dit");
  CHECK(text.substr(words.begins[2], words.ends[2] - words.begins[2]) == "il");
}

TEST_CASE("n-gram hashes depend on the words and their order") {
  const auto h = hashes_of("one two three four");
  const std::span<const std::uint64_t> all(h);
  CHECK(nv::ngram_hash(all.subspan(0, 2)) == nv::ngram_hash(hashes_of("ONE two")));
  CHECK(nv::ngram_hash(all.subspan(0, 2)) != nv::ngram_hash(all.subspan(1, 2)));
  const auto swapped = hashes_of("two one");
  CHECK(nv::ngram_hash(all.subspan(0, 2)) != nv::ngram_hash(swapped));
  CHECK(nv::ngram_hash(all.subspan(0, 1)) != nv::ngram_hash(all.subspan(0, 2)));
}
