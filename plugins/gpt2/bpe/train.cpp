// Byte-level BPE training, as Hugging Face's BpeTrainer does it: count the pieces of the corpus,
// start from the 256 bytes, and repeatedly merge the most frequent adjacent pair (ties: smaller
// ids first), keeping pair counts up to date incrementally.
#include <algorithm>
#include <queue>
#include <unordered_map>

#include "bpe.h"
#include "pretokenizer.h"
#include "tables.h"
#include "textkit/error.h"

namespace textkit::gpt2 {
namespace {

struct string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return hash_bytes(s); }
};

using pair_key = std::uint64_t;

pair_key key_of(std::int32_t left, std::int32_t right) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(left)) << 32) |
         static_cast<std::uint32_t>(right);
}
std::int32_t left_of(pair_key k) { return static_cast<std::int32_t>(k >> 32); }
std::int32_t right_of(pair_key k) { return static_cast<std::int32_t>(k & 0xFFFFFFFFU); }

struct word {
  std::vector<std::int32_t> symbols;
  std::int64_t count = 0;
};

}  // namespace

struct bpe_trainer::counts {
  std::unordered_map<std::string, std::int64_t, string_hash, std::equal_to<>> pieces;
};

bpe_trainer::bpe_trainer() : counts_(std::make_unique<counts>()) {}
bpe_trainer::~bpe_trainer() = default;

void bpe_trainer::add(std::string_view text) {
  auto count_pieces = [this](std::string_view segment) {
    pretokenize(segment, [this](std::string_view piece) {
      auto found = counts_->pieces.find(piece);
      if (found == counts_->pieces.end()) {
        counts_->pieces.emplace(std::string(piece), 1);
      } else {
        ++found->second;
      }
    });
  };
  while (true) {
    const std::size_t special = text.find(end_of_text);
    if (special == std::string_view::npos) break;
    count_pieces(text.substr(0, special));
    text.remove_prefix(special + end_of_text.size());
  }
  count_pieces(text);
}

std::size_t bpe_trainer::distinct_pieces() const { return counts_->pieces.size(); }

bpe_tokenizer bpe_trainer::train(const train_options& options) const {
  if (options.vocab_size < 257) {
    throw error("vocab_size " + std::to_string(options.vocab_size) +
                " is too small: a byte-level BPE has 256 byte tokens and <|endoftext|>");
  }
  const byte_unicode_map& map = byte_unicode();
  std::vector<std::string> token_bytes;
  std::array<std::int32_t, 256> byte_id{};
  for (int i = 0; i < 256; ++i) {
    byte_id[map.order[i]] = i;
    token_bytes.emplace_back(1, static_cast<char>(map.order[i]));
  }
  std::unordered_map<std::string, std::int32_t, string_hash, std::equal_to<>> id_of;
  for (std::int32_t i = 0; i < 256; ++i) id_of.emplace(token_bytes[i], i);

  // Words in a stable order, whatever the hash map's.
  std::vector<const std::pair<const std::string, std::int64_t>*> sorted;
  sorted.reserve(counts_->pieces.size());
  for (const auto& entry : counts_->pieces) sorted.push_back(&entry);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
  std::vector<word> words(sorted.size());
  std::unordered_map<pair_key, std::int64_t> pair_counts;
  std::unordered_map<pair_key, std::vector<std::uint32_t>> where;
  for (std::size_t w = 0; w < sorted.size(); ++w) {
    words[w].count = sorted[w]->second;
    for (const char b : sorted[w]->first) {
      words[w].symbols.push_back(byte_id[static_cast<unsigned char>(b)]);
    }
    const auto& s = words[w].symbols;
    for (std::size_t i = 0; i + 1 < s.size(); ++i) {
      const pair_key k = key_of(s[i], s[i + 1]);
      pair_counts[k] += words[w].count;
      auto& list = where[k];
      if (list.empty() || list.back() != w) list.push_back(static_cast<std::uint32_t>(w));
    }
  }

  struct entry {
    std::int64_t count;
    pair_key key;
    bool operator<(const entry& o) const {  // the top is the most frequent, then smaller ids
      return count != o.count ? count < o.count : key > o.key;
    }
  };
  std::priority_queue<entry> heap;
  for (const auto& [k, c] : pair_counts) heap.push({c, k});

  std::vector<std::pair<std::int32_t, std::int32_t>> merges;
  const auto wanted = static_cast<std::size_t>(options.vocab_size - 1);  // <|endoftext|> is last
  std::vector<std::uint32_t> seen(words.size(), 0);
  std::uint32_t stamp = 0;
  std::unordered_map<pair_key, std::int64_t> delta;
  std::vector<std::int32_t> merged_symbols;
  while (token_bytes.size() < wanted && !heap.empty()) {
    const entry top = heap.top();
    heap.pop();
    const auto current = pair_counts.find(top.key);
    if (current == pair_counts.end() || current->second != top.count) continue;  // stale
    if (top.count < options.min_frequency) break;
    const std::int32_t a = left_of(top.key);
    const std::int32_t b = right_of(top.key);
    std::string joined = token_bytes[a] + token_bytes[b];
    std::int32_t made = 0;
    if (const auto existing = id_of.find(joined); existing != id_of.end()) {
      made = existing->second;
    } else {
      made = static_cast<std::int32_t>(token_bytes.size());
      id_of.emplace(joined, made);
      token_bytes.push_back(std::move(joined));
    }
    merges.emplace_back(a, b);

    ++stamp;
    delta.clear();
    std::vector<std::uint32_t> affected = std::move(where[top.key]);
    where.erase(top.key);
    for (const std::uint32_t w : affected) {
      if (seen[w] == stamp) continue;
      seen[w] = stamp;
      word& wd = words[w];
      std::vector<std::int32_t>& s = wd.symbols;
      merged_symbols.clear();
      bool changed = false;
      for (std::size_t i = 0; i < s.size(); ++i) {
        if (i + 1 < s.size() && s[i] == a && s[i + 1] == b) {
          merged_symbols.push_back(made);
          ++i;
          changed = true;
        } else {
          merged_symbols.push_back(s[i]);
        }
      }
      if (!changed) continue;  // a stale entry: the pair went away in an earlier merge
      for (std::size_t i = 0; i + 1 < s.size(); ++i) delta[key_of(s[i], s[i + 1])] -= wd.count;
      for (std::size_t i = 0; i + 1 < merged_symbols.size(); ++i) {
        const pair_key k = key_of(merged_symbols[i], merged_symbols[i + 1]);
        delta[k] += wd.count;
        if (merged_symbols[i] == made || merged_symbols[i + 1] == made) {
          auto& list = where[k];
          if (list.empty() || list.back() != w) list.push_back(w);
        }
      }
      s.swap(merged_symbols);
    }
    for (const auto& [k, d] : delta) {
      if (d == 0) continue;
      std::int64_t& c = pair_counts[k];
      c += d;
      if (c <= 0) {
        pair_counts.erase(k);
      } else {
        heap.push({c, k});
      }
    }
    if (options.progress && !options.progress(token_bytes.size() - 256, wanted - 256)) {
      throw error("BPE training stopped after " + std::to_string(merges.size()) + " merges");
    }
  }
  const auto eot = static_cast<std::int32_t>(token_bytes.size());
  token_bytes.emplace_back(end_of_text);
  return bpe_tokenizer(build_tables(token_bytes, std::move(merges), eot, "BPE training"));
}

bpe_tokenizer bpe_tokenizer::train(std::span<const std::string_view> texts,
                                   const train_options& options) {
  bpe_trainer trainer;
  for (const std::string_view text : texts) trainer.add(text);
  return trainer.train(options);
}

}  // namespace textkit::gpt2
