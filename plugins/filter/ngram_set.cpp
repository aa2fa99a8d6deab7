#include "ngram_set.h"

#include <utility>

namespace textkit::novelty {
namespace {

constexpr int shard_bits = 8;
constexpr std::size_t initial_slots = 64;

__extension__ using uint128 = unsigned __int128;

/// The slot a key starts probing at: the bits below the shard's, scaled to the capacity (which
/// need not be a power of two).
std::size_t home(std::uint64_t key, std::size_t capacity) {
  return static_cast<std::size_t>((static_cast<uint128>(key << shard_bits) * capacity) >> 64);
}

std::uint64_t stored(std::uint64_t hash) { return hash == 0 ? 1 : hash; }

}  // namespace

ngram_set::ngram_set(bool with_docs)
    : shards_(std::size_t{1} << shard_bits), with_docs_(with_docs) {
  for (shard& s : shards_) {
    s.keys.assign(initial_slots, 0);
    if (with_docs_) s.docs.assign(initial_slots, 0);
  }
}

bool ngram_set::insert(std::uint64_t hash, std::uint32_t doc) {
  const std::uint64_t key = stored(hash);
  shard& s = shards_[key >> (64 - shard_bits)];
  if ((s.used + 1) * 4 > s.keys.size() * 3) grow(s);
  const std::size_t capacity = s.keys.size();
  std::size_t at = home(key, capacity);
  while (s.keys[at] != 0) {
    if (s.keys[at] == key) return false;
    if (++at == capacity) at = 0;
  }
  s.keys[at] = key;
  if (with_docs_) s.docs[at] = doc;
  ++s.used;
  ++size_;
  return true;
}

bool ngram_set::find(std::uint64_t hash, std::uint32_t& doc) const {
  const std::uint64_t key = stored(hash);
  const shard& s = shards_[key >> (64 - shard_bits)];
  const std::size_t capacity = s.keys.size();
  for (std::size_t at = home(key, capacity); s.keys[at] != 0;) {
    if (s.keys[at] == key) {
      if (with_docs_) doc = s.docs[at];
      return true;
    }
    if (++at == capacity) at = 0;
  }
  return false;
}

void ngram_set::prefetch(std::uint64_t hash) const {
  const std::uint64_t key = stored(hash);
  const shard& s = shards_[key >> (64 - shard_bits)];
  __builtin_prefetch(s.keys.data() + home(key, s.keys.size()));
}

void ngram_set::grow(shard& s) {
  const std::size_t capacity = s.keys.size() + s.keys.size() / 2;
  std::vector<std::uint64_t> keys(capacity, 0);
  std::vector<std::uint32_t> docs(with_docs_ ? capacity : 0, 0);
  for (std::size_t i = 0; i < s.keys.size(); ++i) {
    const std::uint64_t key = s.keys[i];
    if (key == 0) continue;
    std::size_t at = home(key, capacity);
    while (keys[at] != 0) {
      if (++at == capacity) at = 0;
    }
    keys[at] = key;
    if (with_docs_) docs[at] = s.docs[i];
  }
  s.keys = std::move(keys);
  s.docs = std::move(docs);
}

std::size_t ngram_set::memory_bytes() const {
  std::size_t bytes = shards_.capacity() * sizeof(shard);
  for (const shard& s : shards_) {
    bytes += s.keys.capacity() * sizeof(std::uint64_t) + s.docs.capacity() * sizeof(std::uint32_t);
  }
  return bytes;
}

}  // namespace textkit::novelty
