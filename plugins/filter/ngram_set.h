// filter.novelty - the set of the reference's n-gram hashes: open addressing with linear probing,
// 64-bit keys in flat arrays, split into 256 shards by the top 8 bits of the hash.
//
// Memory: 8 bytes per slot (12 when the set also keeps the reference document of each n-gram).
// A shard grows by half when it is 3/4 full, so it is between 1/2 and 3/4 full: 10.7 to 16 bytes
// per distinct n-gram (16 to 24 with documents). Shards grow one at a time, so a growth needs only
// one shard's old and new arrays at once (1/256 of the set) rather than doubling the peak.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace textkit::novelty {

class ngram_set {
 public:
  /// `with_docs`: keep, for each n-gram, the document that first had it (32-bit id).
  explicit ngram_set(bool with_docs);

  /// Adds an n-gram hash (of `doc`); false when it was there already (its document stays the
  /// first one's).
  bool insert(std::uint64_t hash, std::uint32_t doc = 0);
  /// Whether the hash is in the set; `doc` gets its document when the set keeps them.
  bool find(std::uint64_t hash, std::uint32_t& doc) const;
  [[nodiscard]] bool contains(std::uint64_t hash) const {
    std::uint32_t doc = 0;
    return find(hash, doc);
  }

  /// Starts loading the memory that insert() or find() of this hash will read: called a few
  /// n-grams ahead, it hides most of the cache misses of a set larger than the caches.
  void prefetch(std::uint64_t hash) const;

  /// Distinct n-grams held.
  [[nodiscard]] std::size_t size() const { return size_; }
  /// Bytes of the slot arrays.
  [[nodiscard]] std::size_t memory_bytes() const;
  [[nodiscard]] bool with_docs() const { return with_docs_; }

 private:
  struct shard {
    std::vector<std::uint64_t> keys;  // 0: empty
    std::vector<std::uint32_t> docs;  // parallel to keys, when with_docs_
    std::size_t used = 0;
  };
  void grow(shard& s);

  std::vector<shard> shards_;
  bool with_docs_;
  std::size_t size_ = 0;
};

}  // namespace textkit::novelty
