// sanitize - duplicate detection: exact (a 64-bit hash of the dedup key) and near (MinHash over
// word shingles, banded LSH, each candidate checked against the kept record's signature: the
// shared code of textkit_common/near_dup.h, which filter.novelty uses too).
//
// Signatures are computed on worker threads (pure functions); the decisions (`seen_*`) are made
// on one thread in input order, so the first of a group of duplicates is always the one kept,
// whatever the number of threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_set>

#include "textkit_common/near_dup.h"

namespace textkit::sanitize {

using common::estimated_similarity;
using common::lsh_bands;
using common::minhash_params;
using common::minhasher;
using common::near_index;
using common::optimal_bands;
using common::signature;

/// An exact hash within its dedup scope (0: one scope for all records).
inline std::uint64_t scoped_hash(std::uint64_t exact_hash, std::uint64_t scope) {
  return exact_hash ^ (scope * 0x9E3779B97F4A7C15ULL);
}

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
