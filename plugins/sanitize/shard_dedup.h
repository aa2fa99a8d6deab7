// sanitize - dedup across shards. A sharded run (`textkit run --shard I/N`) dedups within its
// shard and, with `signatures`, writes the signature of each record it keeps. The second pass
// (`signatures_from`) reads every shard's file in shard order, replays the same decisions over
// them as if one run had seen all shards one after another, and then drops, from the shards'
// outputs flowing in, the records that turned out to duplicate one in an earlier shard. It reads
// signatures, not text: no record is hashed again.
//
// A signature file: the line "textkit-sanitize-signatures 1", a JSON line with the dedup settings,
// then one fixed-size entry per kept record: its key (record_key), its dedup scope, its exact
// hash and, for near dedup, its MinHash signature (little-endian 64- and 32-bit words).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "dedup.h"
#include "sanitizer.h"
#include "textkit/io.h"
#include "textkit/record.h"

namespace textkit::sanitize {

/// Names a record in both passes: FNV-1a of meta.id when it has one, else of its text. Computed
/// on the text a sanitize step emits (pass 1) and on the text that flows into the second pass, so
/// the shards' outputs must reach it unchanged.
std::uint64_t record_key(const record& r);

/// The dedup settings a signature file was made with; the second pass uses them.
struct signature_settings {
  dedup_mode mode = dedup_mode::exact;
  bool by_label = false;
  minhash_params minhash;
};

/// Writes a shard's signatures to a temporary file that commit() puts in place.
class signature_writer {
 public:
  signature_writer(const std::string& path, const signature_settings& settings);
  /// One kept record; `near` is ignored for exact dedup.
  void add(std::uint64_t key, std::uint64_t scope, std::uint64_t exact, const signature& near);
  void commit();

 private:
  atomic_output out_;
  signature_settings settings_;
  std::string entry_;
};

/// The second pass's decisions, made from the shards' signature files.
class cross_shard_decisions {
 public:
  enum class outcome { keep, drop_exact, drop_near, unknown };

  /// Reads `files` (ordered by the shard number in ".shard-I-of-N" when every name has one; then
  /// all N shards must be there) and replays the dedup decisions. Throws textkit::error naming the
  /// file and byte offset of anything wrong: not a signature file, truncated, other settings.
  explicit cross_shard_decisions(std::vector<std::string> files);

  /// What to do with the next record flowing in with this key.
  outcome take(std::uint64_t key);

  [[nodiscard]] std::size_t files() const { return files_; }
  [[nodiscard]] std::uint64_t entries() const { return entries_; }
  /// Entries no record flowing in has claimed yet (after the last record: records missing from
  /// the shards' outputs, or changed after pass 1).
  [[nodiscard]] std::uint64_t unclaimed() const;

 private:
  struct counts {
    std::uint32_t keep = 0;
    std::uint32_t drop_exact = 0;
    std::uint32_t drop_near = 0;
  };
  void replay(const std::string& file, exact_index& exact, std::unique_ptr<near_index>& near);

  signature_settings settings_;
  std::unordered_map<std::uint64_t, counts> by_key_;
  std::size_t files_ = 0;
  std::uint64_t entries_ = 0;
};

/// Orders signature files by their shard number and checks that all shards are there; names
/// without ".shard-I-of-N" keep the given order. Throws textkit::error on a missing or repeated
/// shard, or a mix of shard counts.
std::vector<std::string> in_shard_order(std::vector<std::string> files);

}  // namespace textkit::sanitize
