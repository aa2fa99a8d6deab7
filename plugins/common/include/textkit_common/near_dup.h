// textkit_common - near-duplicate detection shared by sanitize (near dedup) and filter.novelty
// (near copies of a reference document): MinHash over token shingles, banded LSH, and each LSH
// candidate checked against the kept document's signature.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace textkit::common {

// ---- Dedup keys and hashing --------------------------------------------------------------------

/// The text as dedup compares it: case-folded, every run of characters that are not letters,
/// digits or marks turned into one space, trimmed. Falls back to the text itself when that leaves
/// nothing (a record of only emoji or punctuation).
std::string dedup_key(std::string_view text);

/// Tokens of a dedup key for shingling: the words between spaces, except that each character of
/// a script written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar) is a token of its own.
std::vector<std::string_view> shingle_tokens(std::string_view key);

/// 64-bit hash of bytes (stable across runs and machines).
std::uint64_t hash_bytes(std::string_view bytes, std::uint64_t seed = 0) noexcept;

/// Mixes `value` into the running hash `h` (order matters: a sequence hash).
std::uint64_t hash_combine(std::uint64_t h, std::uint64_t value) noexcept;

// ---- MinHash -----------------------------------------------------------------------------------

struct minhash_params {
  int permutations = 128;  ///< hash functions per signature
  int shingle = 5;         ///< tokens per shingle
  double threshold = 0.8;  ///< estimated Jaccard similarity at or above which a record is a dup
  std::uint64_t seed = 1;
};

/// The LSH banding (bands x rows <= permutations) that minimises 0.05 x the false-positive area
/// plus 0.95 x the false-negative area under the S-curve 1 - (1 - s^rows)^bands around
/// `threshold` (datasketch's method, with its weights tilted to recall): every LSH candidate is
/// checked against the kept record's signature, so a false candidate costs one comparison while
/// a missed one is a duplicate let through. At 0.8 and 128 permutations: 16 bands of 8 rows,
/// which makes a pair at similarity 0.8 a candidate with probability 0.95, at 0.85 0.994.
struct lsh_bands {
  int bands = 0;
  int rows = 0;
};
lsh_bands optimal_bands(double threshold, int permutations);

/// A MinHash signature: for each permutation, the smallest 32-bit hash of any shingle.
using signature = std::vector<std::uint32_t>;

class minhasher {
 public:
  explicit minhasher(const minhash_params& params);
  /// The signature of a dedup key (see dedup_key()); a key with fewer tokens than a shingle has
  /// one shingle, all of its tokens.
  [[nodiscard]] signature sign(std::string_view key) const;
  /// The signature of a document given as the hashes of its tokens, in order (a caller with its
  /// own tokenizer: filter.novelty's ICU words). Fewer tokens than a shingle make one shingle;
  /// no tokens at all make a signature of all 0xFFFFFFFF.
  [[nodiscard]] signature sign_hashes(std::span<const std::uint64_t> token_hashes) const;
  [[nodiscard]] const minhash_params& params() const { return params_; }

 private:
  minhash_params params_;
  std::vector<std::uint64_t> multipliers_;
  std::vector<std::uint64_t> offsets_;
};

/// The share of equal positions of two signatures: an estimate of the Jaccard similarity.
double estimated_similarity(const signature& a, const signature& b);

/// The best LSH candidate for a signature: the id of a kept document (0, 1, 2... in the order
/// they were added) and its estimated similarity; similarity 0 when there was no candidate.
struct near_match {
  double similarity = 0.0;
  std::uint64_t id = 0;
};

/// The near-duplicate index of the documents kept so far. Memory per kept document: 2 bytes per
/// permutation (signatures are kept as their low 16 bits, which changes the estimate by at most
/// 1/65536 per position) plus 16 bytes per band.
class near_index {
 public:
  explicit near_index(const minhash_params& params);

  /// Whether a record with this signature (in the dedup scope `scope`, 0 for one global scope) is
  /// a near-duplicate of a kept one; if not, it is added. `similarity` gets the best estimate.
  bool seen_or_add(const signature& sig, std::uint64_t scope, double& similarity);

  /// The kept document in `scope` most similar to `sig` among its LSH candidates.
  [[nodiscard]] near_match best_match(const signature& sig, std::uint64_t scope) const;
  /// Keeps a document; returns its id.
  std::uint64_t add(const signature& sig, std::uint64_t scope);

  [[nodiscard]] lsh_bands bands() const { return bands_; }
  [[nodiscard]] std::size_t size() const { return count_; }
  /// Bytes held by the index (signatures and LSH table).
  [[nodiscard]] std::size_t memory_bytes() const;

 private:
  void band_keys(const signature& sig, std::uint64_t scope, std::uint64_t* keys) const;
  void insert_slot(std::uint64_t entry);
  void grow();

  minhash_params params_;
  lsh_bands bands_;
  std::vector<std::uint16_t> signatures_;  // kept records' signatures, one after another
  std::vector<std::uint64_t> slots_;       // open addressing: (band key high 32 bits << 32) | id+1
  std::size_t used_ = 0;
  std::size_t count_ = 0;
};

}  // namespace textkit::common
