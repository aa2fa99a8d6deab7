// Dedup keys, MinHash and LSH: the banding, the estimate against true Jaccard similarity, and the
// index on planted near-duplicates above and below the threshold.
#include "textkit_common/near_dup.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace tk = textkit::common;

namespace {

std::vector<std::string> random_words(std::mt19937_64& rng, std::size_t n) {
  std::vector<std::string> words;
  std::uniform_int_distribution<int> letter('a', 'z');
  std::uniform_int_distribution<int> length(3, 9);
  for (std::size_t i = 0; i < n; ++i) {
    std::string w;
    for (int k = length(rng); k > 0; --k) w.push_back(static_cast<char>(letter(rng)));
    words.push_back(w);
  }
  return words;
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

/// The true Jaccard similarity of the two texts' sets of k-word shingles.
double jaccard(const std::string& a, const std::string& b, int k) {
  auto shingles = [k](const std::string& text) {
    std::set<std::string> out;
    const auto tokens = tk::shingle_tokens(text);
    for (std::size_t i = 0; i + k <= tokens.size(); ++i) {
      std::string s;
      for (int j = 0; j < k; ++j) s += std::string(tokens[i + j]) + " ";
      out.insert(s);
    }
    return out;
  };
  const auto sa = shingles(a);
  const auto sb = shingles(b);
  std::size_t common = 0;
  for (const auto& s : sa) common += sb.count(s);
  return static_cast<double>(common) / static_cast<double>(sa.size() + sb.size() - common);
}

/// A copy of `words` with every `every`-th word replaced: fewer edits, higher similarity.
std::vector<std::string> edited(std::vector<std::string> words, std::size_t every,
                                std::mt19937_64& rng) {
  auto fresh = random_words(rng, words.size() / every + 1);
  for (std::size_t i = every / 2, f = 0; i < words.size(); i += every) words[i] = fresh[f++];
  return words;
}

}  // namespace

TEST_CASE("the LSH banding makes pairs at the threshold candidates, pairs far below rarely") {
  for (double threshold : {0.5, 0.7, 0.8, 0.9}) {
    const auto bands = tk::optimal_bands(threshold, 128);
    INFO("threshold " << threshold << ": " << bands.bands << " bands x " << bands.rows);
    CHECK(bands.bands * bands.rows <= 128);
    auto candidate = [&](double s) {
      return 1.0 - std::pow(1.0 - std::pow(s, bands.rows), bands.bands);
    };
    CHECK(candidate(threshold) >= 0.9);
    CHECK(candidate(threshold - 0.3) <= 0.25);
  }
  const auto at_08 = tk::optimal_bands(0.8, 128);
  CHECK(at_08.bands == 16);
  CHECK(at_08.rows == 8);
}

TEST_CASE("the MinHash estimate tracks the true Jaccard similarity") {
  std::mt19937_64 rng(7);
  const tk::minhasher hasher({.permutations = 256, .shingle = 3, .threshold = 0.8, .seed = 1});
  for (std::size_t every : {4, 10, 30, 100}) {
    const auto words = random_words(rng, 400);
    const std::string a = join(words);
    const std::string b = join(edited(words, every, rng));
    const double truth = jaccard(a, b, 3);
    const double estimate = tk::estimated_similarity(hasher.sign(a), hasher.sign(b));
    INFO("every " << every << ": true " << truth << ", estimated " << estimate);
    CHECK(std::abs(truth - estimate) < 0.1);
  }
  const auto same = hasher.sign("the same text, twice");
  CHECK(tk::estimated_similarity(same, hasher.sign("the same text, twice")) == 1.0);
}

TEST_CASE("near-duplicates above the threshold are found, those below are not") {
  std::mt19937_64 rng(42);
  const tk::minhash_params params{.permutations = 128, .shingle = 5, .threshold = 0.8, .seed = 1};
  const tk::minhasher hasher(params);
  tk::near_index index(params);
  std::vector<std::vector<std::string>> originals;
  for (int i = 0; i < 300; ++i) {
    originals.push_back(random_words(rng, 150));
    double similarity = 0;
    REQUIRE_FALSE(index.seen_or_add(hasher.sign(join(originals.back())), 0, similarity));
  }
  int high_found = 0;
  int low_found = 0;
  int high = 0;
  int low = 0;
  for (const auto& words : originals) {
    // One word in 60 changed: about 0.92 Jaccard on 5-word shingles; one in 8: about 0.45.
    const std::string close = join(edited(words, 60, rng));
    const std::string far = join(edited(words, 8, rng));
    double similarity = 0;
    if (jaccard(join(words), close, 5) >= 0.85) {
      ++high;
      high_found += index.seen_or_add(hasher.sign(close), 0, similarity) ? 1 : 0;
    }
    if (jaccard(join(words), far, 5) <= 0.6) {
      ++low;
      low_found += index.seen_or_add(hasher.sign(far), 0, similarity) ? 1 : 0;
    }
  }
  INFO("high " << high_found << "/" << high << ", low " << low_found << "/" << low);
  REQUIRE(high > 250);
  REQUIRE(low > 250);
  CHECK(high_found >= high * 95 / 100);
  CHECK(low_found <= low / 100);
}

TEST_CASE("near dedup keeps scopes (labels) apart") {
  const tk::minhash_params params;
  const tk::minhasher hasher(params);
  tk::near_index index(params);
  const auto sig = hasher.sign("a sentence long enough to have a few shingles in it");
  double similarity = 0;
  CHECK_FALSE(index.seen_or_add(sig, 1, similarity));
  CHECK_FALSE(index.seen_or_add(sig, 2, similarity));
  CHECK(index.seen_or_add(sig, 1, similarity));
  CHECK(similarity == 1.0);
}

TEST_CASE("short texts: fewer tokens than a shingle make one shingle") {
  const tk::minhasher hasher({});
  CHECK(tk::estimated_similarity(hasher.sign("good morning"), hasher.sign("good morning")) == 1.0);
  CHECK(tk::estimated_similarity(hasher.sign("good morning"), hasher.sign("good night")) < 0.1);
}

TEST_CASE("best_match names the kept document a signature is closest to") {
  std::mt19937_64 rng(3);
  const tk::minhash_params params;
  const tk::minhasher hasher(params);
  tk::near_index index(params);
  std::vector<std::vector<std::string>> kept;
  for (int i = 0; i < 20; ++i) {
    kept.push_back(random_words(rng, 100));
    CHECK(index.add(hasher.sign(join(kept.back())), 0) == static_cast<std::uint64_t>(i));
  }
  CHECK(index.size() == 20);
  const auto match = index.best_match(hasher.sign(join(edited(kept[13], 50, rng))), 0);
  CHECK(match.id == 13);
  CHECK(match.similarity >= 0.8);
  CHECK(index.best_match(hasher.sign(join(random_words(rng, 100))), 0).similarity < 0.2);
  CHECK(index.best_match(hasher.sign(join(kept[13])), 7).similarity == 0.0);  // another scope
  CHECK(index.memory_bytes() >= 20 * 128 * 2);
}

TEST_CASE("signatures of token hashes match those of dedup keys") {
  const tk::minhasher hasher({});
  const std::string key = tk::dedup_key("One two, three four five six seven!");
  std::vector<std::uint64_t> hashes;
  for (auto token : tk::shingle_tokens(key)) hashes.push_back(tk::hash_bytes(token, 1));
  CHECK(hasher.sign_hashes(hashes) == hasher.sign(key));
  const auto empty = hasher.sign_hashes({});
  CHECK(empty.size() == 128);
  CHECK(empty[0] == 0xFFFFFFFFU);
}

TEST_CASE("dedup keys ignore case, punctuation and spacing") {
  CHECK(tk::dedup_key("Hello,   World!") == "hello world");
  CHECK(tk::dedup_key("hello world") == "hello world");
  CHECK(tk::dedup_key("ÉCOLE Straße") == "école straße");  // simple case folding
  CHECK(tk::dedup_key("e\u0301") == "e\u0301");            // combining marks stay in the word
  CHECK(tk::dedup_key("🙂🙂") == "🙂🙂");          // nothing left: the text itself
  const auto tokens = tk::shingle_tokens("abc 東京 def");
  REQUIRE(tokens.size() == 4);
  CHECK(tokens[1] == "東");
  CHECK(tokens[2] == "京");
  CHECK(tk::shingle_tokens("one two  three").size() == 3);
}

TEST_CASE("hash_bytes is stable") {
  CHECK(tk::hash_bytes("abc") == tk::hash_bytes("abc"));
  CHECK(tk::hash_bytes("abc") != tk::hash_bytes("abd"));
  CHECK(tk::hash_bytes("abc", 1) != tk::hash_bytes("abc", 2));
  CHECK(tk::hash_bytes("") == tk::hash_bytes(""));
  CHECK(tk::hash_combine(tk::hash_combine(0, 1), 2) != tk::hash_combine(tk::hash_combine(0, 2), 1));
}
