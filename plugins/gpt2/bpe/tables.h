// gpt2 - the tables behind bpe_tokenizer (private to plugins/gpt2/bpe): token bytes, the merge
// ranks, and the index of tokens that a whole piece can be looked up as.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bpe.h"

namespace textkit::gpt2 {

/// GPT-2's reversible map from bytes to printable code points (OpenAI's bytes_to_unicode()):
/// vocabulary files spell each token's bytes with these characters ("Ġ" is the space).
struct byte_unicode_map {
  std::array<char32_t, 256> code_point{};  ///< byte -> code point
  std::array<std::uint8_t, 256>
      order{};  ///< bytes in OpenAI's order: the ids of a fresh vocabulary
};
const byte_unicode_map& byte_unicode();

/// The vocabulary-file spelling of `bytes`.
std::string spell(std::string_view bytes);

inline std::uint64_t hash_bytes(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size();
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ (n * 0xC2B2AE3D27D4EB4FULL);
  while (n >= 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
    h ^= h >> 32;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
  }
  h ^= h >> 29;
  return h;
}

/// What merging a pair gives: its rank (lower merges first) and the resulting token.
struct merge_result {
  std::uint32_t rank = std::numeric_limits<std::uint32_t>::max();
  std::int32_t merged = -1;
  [[nodiscard]] bool exists() const noexcept { return merged >= 0; }
};

struct bpe_tokenizer::tables {
  std::string blob;                    // every token's bytes, in id order
  std::vector<std::uint32_t> offsets;  // token i is blob[offsets[i], offsets[i + 1])
  std::array<std::int32_t, 256> byte_token{};
  std::vector<std::pair<std::int32_t, std::int32_t>> merges;  // by rank
  std::int32_t eot = -1;
  std::uint64_t instance = 0;  // tells per-thread caches apart

  // Pairs (left id, right id) -> merge_result: open addressing, linear probing.
  struct pair_slot {
    std::uint64_t key = std::numeric_limits<std::uint64_t>::max();
    merge_result value;
  };
  std::vector<pair_slot> pairs;
  std::uint64_t pair_mask = 0;

  // Tokens that BPE turns their own bytes into, by bytes: a piece found here is that one token
  // without merging. -1 marks an empty slot.
  std::vector<std::int32_t> pieces;
  std::vector<std::uint32_t> piece_hashes;
  std::uint64_t piece_mask = 0;

  [[nodiscard]] std::int32_t size() const noexcept {
    return static_cast<std::int32_t>(offsets.size()) - 1;
  }
  [[nodiscard]] std::string_view bytes_of(std::int32_t id) const noexcept {
    return std::string_view(blob).substr(offsets[id], offsets[id + 1] - offsets[id]);
  }

  [[nodiscard]] merge_result find_pair(std::int32_t left, std::int32_t right) const noexcept {
    const std::uint64_t key = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(left)) << 32) |
                              static_cast<std::uint32_t>(right);
    std::uint64_t i = ((key * 0x9E3779B97F4A7C15ULL) >> 20) & pair_mask;
    while (true) {
      const pair_slot& slot = pairs[i];
      if (slot.key == key) return slot.value;
      if (slot.value.merged < 0) return {};
      i = (i + 1) & pair_mask;
    }
  }

  /// `h` is hash_bytes(bytes).
  [[nodiscard]] std::int32_t find_piece(std::string_view bytes, std::uint64_t h) const noexcept {
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    std::uint64_t i = h & piece_mask;
    while (true) {
      const std::int32_t id = pieces[i];
      if (id < 0) return -1;
      if (piece_hashes[i] == tag && bytes_of(id) == bytes) return id;
      i = (i + 1) & piece_mask;
    }
  }
};

/// Builds the tables from each token's bytes (indexed by id; empty for an unused id) and the
/// merges in rank order (each one's concatenation must be a token). `eot` is -1 or the special
/// token's id. `source` names the files, for the one message this can throw (a byte missing).
std::shared_ptr<const bpe_tokenizer::tables> build_tables(
    const std::vector<std::string>& token_bytes,
    std::vector<std::pair<std::int32_t, std::int32_t>> merges, std::int32_t eot,
    const std::string& source);

}  // namespace textkit::gpt2
