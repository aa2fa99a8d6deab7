// sanitize - duplicate detection: exact (a 64-bit hash of the dedup key) and near (MinHash over
// word shingles, banded LSH, each candidate checked against the kept record's signature).
//
// Signatures are computed on worker threads (pure functions); the decisions (`seen_*`) are made
// on one thread in input order, so the first of a group of duplicates is always the one kept,
// whatever the number of threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace textkit::sanitize {

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
  [[nodiscard]] const minhash_params& params() const { return params_; }

 private:
  minhash_params params_;
  std::vector<std::uint64_t> multipliers_;
  std::vector<std::uint64_t> offsets_;
};

/// The share of equal positions of two signatures: an estimate of the Jaccard similarity.
double estimated_similarity(const signature& a, const signature& b);

/// The near-duplicate index of the records kept so far. Memory per kept record: 2 bytes per
/// permutation (signatures are kept as their low 16 bits, which changes the estimate by at most
/// 1/65536 per position) plus 16 bytes per band.
class near_index {
 public:
  near_index(const minhash_params& params);

  /// Whether a record with this signature (in the dedup scope `scope`, 0 for one global scope) is
  /// a near-duplicate of a kept one; if not, it is added. `similarity` gets the best estimate.
  bool seen_or_add(const signature& sig, std::uint64_t scope, double& similarity);

  [[nodiscard]] lsh_bands bands() const { return bands_; }
  [[nodiscard]] std::size_t size() const { return count_; }

 private:
  void insert_slot(std::uint64_t entry);
  void grow();

  minhash_params params_;
  lsh_bands bands_;
  std::vector<std::uint16_t> signatures_;  // kept records' signatures, one after another
  std::vector<std::uint64_t> slots_;       // open addressing: (band key high 32 bits << 32) | id+1
  std::size_t used_ = 0;
  std::size_t count_ = 0;
  std::vector<std::uint64_t> candidates_;
};

/// Exact duplicates: 64-bit hashes of the dedup keys seen so far.
class exact_index {
 public:
  /// Whether the hash was seen; if not, it is remembered.
  bool seen_or_add(std::uint64_t hash) { return !seen_.insert(hash).second; }
  [[nodiscard]] std::size_t size() const { return seen_.size(); }

 private:
  std::unordered_set<std::uint64_t> seen_;
};

}  // namespace textkit::sanitize
