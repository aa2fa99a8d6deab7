#include "bpe.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <fstream>
#include <queue>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "pretokenizer.h"
#include "tables.h"
#include "textkit/error.h"
#include "textkit/io.h"

namespace textkit::gpt2 {

const byte_unicode_map& byte_unicode() {
  static const byte_unicode_map map = [] {
    byte_unicode_map m;
    std::array<bool, 256> printable{};
    int n = 0;
    for (int b = 0; b < 256; ++b) {
      printable[b] = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      if (printable[b]) {
        m.code_point[b] = static_cast<char32_t>(b);
        m.order[n++] = static_cast<std::uint8_t>(b);
      }
    }
    char32_t next = 256;
    for (int b = 0; b < 256; ++b) {
      if (printable[b]) continue;
      m.code_point[b] = next++;
      m.order[n++] = static_cast<std::uint8_t>(b);
    }
    return m;
  }();
  return map;
}

namespace {

void append_utf8(char32_t c, std::string& out) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

}  // namespace

std::string spell(std::string_view bytes) {
  const byte_unicode_map& map = byte_unicode();
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char b : bytes) append_utf8(map.code_point[static_cast<unsigned char>(b)], out);
  return out;
}

namespace {

constexpr std::uint32_t no_rank = std::numeric_limits<std::uint32_t>::max();

// Pieces up to this many bytes merge in place (tiktoken's way: a scan for the lowest rank per
// merge); longer ones (a run of spaces, a long word in base64) through a heap, so that a piece of a
// megabyte costs n log n, not n².
constexpr std::size_t small_piece = 96;

void merge_small(const bpe_tokenizer::tables& t, std::string_view piece,
                 std::vector<std::int32_t>& out) {
  std::array<std::int32_t, small_piece> ids;
  std::array<merge_result, small_piece> next;  // next[i]: merging ids[i] and ids[i + 1]
  std::size_t n = piece.size();
  for (std::size_t i = 0; i < n; ++i) ids[i] = t.byte_token[static_cast<unsigned char>(piece[i])];
  for (std::size_t i = 0; i + 1 < n; ++i) next[i] = t.find_pair(ids[i], ids[i + 1]);
  while (n > 1) {
    std::size_t best = 0;
    std::uint32_t best_rank = no_rank;
    for (std::size_t i = 0; i + 1 < n; ++i) {
      if (next[i].rank < best_rank) {
        best_rank = next[i].rank;
        best = i;
      }
    }
    if (best_rank == no_rank) break;
    ids[best] = next[best].merged;
    for (std::size_t i = best + 1; i + 1 < n; ++i) {
      ids[i] = ids[i + 1];
      next[i] = next[i + 1];
    }
    --n;
    if (best + 1 < n) next[best] = t.find_pair(ids[best], ids[best + 1]);
    if (best > 0) next[best - 1] = t.find_pair(ids[best - 1], ids[best]);
  }
  out.insert(out.end(), ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(n));
}

void merge_large(const bpe_tokenizer::tables& t, std::string_view piece,
                 std::vector<std::int32_t>& out) {
  const std::size_t n = piece.size();
  struct node {
    std::int32_t id;
    std::uint32_t prev;  // n: none
    std::uint32_t next;
  };
  std::vector<node> nodes(n);
  const auto none = static_cast<std::uint32_t>(n);
  for (std::size_t i = 0; i < n; ++i) {
    nodes[i] = {t.byte_token[static_cast<unsigned char>(piece[i])],
                i == 0 ? none : static_cast<std::uint32_t>(i - 1),
                static_cast<std::uint32_t>(i + 1)};
  }
  nodes[n - 1].next = none;
  struct candidate {
    std::uint32_t rank;
    std::uint32_t left;  // node index; lower ranks first, then leftmost
    std::int32_t left_id;
    std::int32_t right_id;
    bool operator>(const candidate& o) const {
      return rank != o.rank ? rank > o.rank : left > o.left;
    }
  };
  std::priority_queue<candidate, std::vector<candidate>, std::greater<>> heap;
  auto consider = [&](std::uint32_t left) {
    if (left == none || nodes[left].next == none) return;
    const std::int32_t a = nodes[left].id;
    const std::int32_t b = nodes[nodes[left].next].id;
    const merge_result m = t.find_pair(a, b);
    if (m.exists()) heap.push({m.rank, left, a, b});
  };
  for (std::uint32_t i = 0; i + 1 < n; ++i) consider(i);
  while (!heap.empty()) {
    const candidate c = heap.top();
    heap.pop();
    node& left = nodes[c.left];
    // Stale: the left node was merged away or changed, or its neighbour did.
    if (left.id != c.left_id || left.next == none || nodes[left.next].id != c.right_id) continue;
    const std::uint32_t right = left.next;
    left.id = t.find_pair(c.left_id, c.right_id).merged;
    left.next = nodes[right].next;
    if (left.next != none) nodes[left.next].prev = c.left;
    nodes[right].id = -1;
    consider(left.prev);
    consider(c.left);
  }
  for (std::uint32_t i = 0; i != none; i = nodes[i].next) out.push_back(nodes[i].id);
}

// The ids of the pieces that needed merging, per thread: words outside the vocabulary come back
// (names, inflections, code identifiers), and merging costs more than a lookup. Direct-mapped, a
// slot per hash; a piece or a result too long for a slot is not kept.
class piece_cache {
 public:
  static constexpr std::size_t slots = 16384;
  static constexpr std::size_t max_bytes = 48;
  static constexpr std::size_t max_ids = 20;

  /// This thread's cache, emptied when it last served other tables.
  static piece_cache& for_tables(const bpe_tokenizer::tables& t) {
    thread_local piece_cache cache;
    if (cache.instance_ != t.instance) {
      cache.entries_.assign(slots, entry{});
      cache.instance_ = t.instance;
    }
    return cache;
  }

  bool find(std::string_view piece, std::uint64_t h, std::vector<std::int32_t>& out) const {
    const entry& e = entries_[h & (slots - 1)];
    if (e.hash != h || e.length != piece.size() ||
        std::memcmp(e.bytes, piece.data(), piece.size()) != 0) {
      return false;
    }
    out.insert(out.end(), e.ids, e.ids + e.count);
    return true;
  }

  void keep(std::string_view piece, std::uint64_t h, std::span<const std::int32_t> ids) {
    if (piece.size() > max_bytes || ids.size() > max_ids) return;
    entry& e = entries_[h & (slots - 1)];
    e.hash = h;
    e.length = static_cast<std::uint8_t>(piece.size());
    std::memcpy(e.bytes, piece.data(), piece.size());
    e.count = static_cast<std::uint8_t>(ids.size());
    std::copy(ids.begin(), ids.end(), e.ids);
  }

 private:
  struct entry {
    std::uint64_t hash = 0;
    std::uint8_t length = 0xFF;  // no piece is this long: an empty slot matches nothing
    std::uint8_t count = 0;
    char bytes[max_bytes] = {};
    std::int32_t ids[max_ids] = {};
  };
  std::uint64_t instance_ = 0;
  std::vector<entry> entries_;
};

void encode_piece(const bpe_tokenizer::tables& t, piece_cache& cache, std::string_view piece,
                  std::vector<std::int32_t>& out) {
  if (piece.size() == 1) {
    out.push_back(t.byte_token[static_cast<unsigned char>(piece[0])]);
    return;
  }
  const std::uint64_t h = hash_bytes(piece);
  if (const std::int32_t id = t.find_piece(piece, h); id >= 0) {
    out.push_back(id);
    return;
  }
  if (cache.find(piece, h, out)) return;
  const std::size_t start = out.size();
  if (piece.size() <= small_piece) {
    merge_small(t, piece, out);
  } else {
    merge_large(t, piece, out);
  }
  cache.keep(piece, h, std::span(out).subspan(start));
}

void encode_text(const bpe_tokenizer::tables& t, std::string_view text,
                 std::vector<std::int32_t>& out) {
  piece_cache& cache = piece_cache::for_tables(t);
  pretokenize(text, [&](std::string_view piece) { encode_piece(t, cache, piece, out); });
}

std::uint64_t next_instance() {
  static std::atomic<std::uint64_t> counter{0};
  return ++counter;
}

}  // namespace

std::shared_ptr<const bpe_tokenizer::tables> build_tables(
    const std::vector<std::string>& token_bytes,
    std::vector<std::pair<std::int32_t, std::int32_t>> merges, std::int32_t eot,
    const std::string& source) {
  auto t = std::make_shared<bpe_tokenizer::tables>();
  t->instance = next_instance();
  t->eot = eot;
  t->offsets.reserve(token_bytes.size() + 1);
  t->offsets.push_back(0);
  for (const std::string& bytes : token_bytes) {
    t->blob += bytes;
    t->offsets.push_back(static_cast<std::uint32_t>(t->blob.size()));
  }
  const auto size = static_cast<std::int32_t>(token_bytes.size());

  std::unordered_map<std::string_view, std::int32_t> by_bytes;
  by_bytes.reserve(token_bytes.size());
  for (std::int32_t id = 0; id < size; ++id) {
    if (id == eot || token_bytes[id].empty()) continue;
    by_bytes.emplace(t->bytes_of(id), id);
  }
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    const auto found = by_bytes.find(std::string_view(&c, 1));
    if (found == by_bytes.end()) {
      throw error(
          origin{source, 0, 0},
          "the byte 0x" + std::string(1, "0123456789abcdef"[b >> 4]) + "0123456789abcdef"[b & 15] +
              " (token \"" + spell(std::string_view(&c, 1)) +
              "\") is not in the vocabulary; a byte-level BPE vocabulary has all 256 bytes");
    }
    t->byte_token[b] = found->second;
  }

  std::uint64_t capacity = 1024;
  while (capacity < merges.size() * 2 + 16) capacity *= 2;
  t->pairs.assign(capacity, {});
  t->pair_mask = capacity - 1;
  for (std::size_t rank = 0; rank < merges.size(); ++rank) {
    const auto [left, right] = merges[rank];
    const std::string joined = std::string(t->bytes_of(left)) + std::string(t->bytes_of(right));
    const auto merged = by_bytes.find(joined);
    if (merged == by_bytes.end()) {
      throw error(origin{source, 0, 0}, "the merge \"" + spell(t->bytes_of(left)) + " " +
                                            spell(t->bytes_of(right)) + "\" makes \"" +
                                            spell(joined) + "\", which is not in the vocabulary");
    }
    const std::uint64_t key = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(left)) << 32) |
                              static_cast<std::uint32_t>(right);
    std::uint64_t i = ((key * 0x9E3779B97F4A7C15ULL) >> 20) & t->pair_mask;
    while (t->pairs[i].value.merged >= 0 && t->pairs[i].key != key) i = (i + 1) & t->pair_mask;
    if (t->pairs[i].value.merged >= 0) continue;  // a repeated merge keeps its first rank
    t->pairs[i].key = key;
    t->pairs[i].value = {static_cast<std::uint32_t>(rank), merged->second};
  }
  t->merges = std::move(merges);

  // A piece that is a whole token is that token, with no merging, only when merging its bytes
  // gives that token: true of every GPT-2 token, not of every vocabulary (a token made by one
  // merge order may be out of reach by the ranks).
  capacity = 1024;
  while (capacity < token_bytes.size() * 2 + 16) capacity *= 2;
  t->pieces.assign(capacity, -1);
  t->piece_hashes.assign(capacity, 0);
  t->piece_mask = capacity - 1;
  std::vector<std::int32_t> merged;
  for (std::int32_t id = 0; id < size; ++id) {
    const std::string_view bytes = t->bytes_of(id);
    if (id == eot || bytes.size() < 2) continue;
    merged.clear();
    if (bytes.size() <= small_piece) {
      merge_small(*t, bytes, merged);
    } else {
      merge_large(*t, bytes, merged);
    }
    if (merged.size() != 1 || merged[0] != id) continue;
    const std::uint64_t h = hash_bytes(bytes);
    std::uint64_t i = h & t->piece_mask;
    while (t->pieces[i] >= 0) i = (i + 1) & t->piece_mask;
    t->pieces[i] = id;
    t->piece_hashes[i] = static_cast<std::uint32_t>(h >> 32);
  }
  return t;
}

namespace {

origin position_in(const std::string& file, std::string_view content, std::size_t byte) {
  byte = std::min(byte, content.size());
  origin where{file, 1, 1};
  for (std::size_t i = 0; i < byte; ++i) {
    if (content[i] == '\n') {
      ++where.line;
      where.column = 1;
    } else {
      ++where.column;
    }
  }
  return where;
}

// nlohmann's parse_error says "[json.exception.parse_error.101] parse error at line 1, column 5:
// syntax error while parsing ..."; the place is given separately, so keep what follows.
std::string json_problem(const nlohmann::json::parse_error& e) {
  const std::string what = e.what();
  const std::size_t column = what.find("column ");
  const std::size_t colon = column == std::string::npos ? column : what.find(": ", column);
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

// Decodes a vocabulary-file spelling back to bytes; false when a character is not in the map.
bool unspell(std::string_view spelled, std::string& bytes, char32_t& bad) {
  // The map uses U+0021 to U+0143: a table, not a hash map (this runs for every character of
  // every token).
  static const std::array<std::int16_t, 0x144> inverse = [] {
    std::array<std::int16_t, 0x144> m{};
    m.fill(-1);
    for (int b = 0; b < 256; ++b) m[byte_unicode().code_point[b]] = static_cast<std::int16_t>(b);
    return m;
  }();
  bytes.clear();
  std::size_t i = 0;
  while (i < spelled.size()) {
    const auto b0 = static_cast<unsigned char>(spelled[i]);
    char32_t c = b0;
    std::size_t len = 1;
    if (b0 >= 0xF0) {
      c = b0 & 0x07;
      len = 4;
    } else if (b0 >= 0xE0) {
      c = b0 & 0x0F;
      len = 3;
    } else if (b0 >= 0xC0) {
      c = b0 & 0x1F;
      len = 2;
    }
    for (std::size_t k = 1; k < len && i + k < spelled.size(); ++k) {
      c = (c << 6) | (static_cast<unsigned char>(spelled[i + k]) & 0x3F);
    }
    i += len;
    if (c >= inverse.size() || inverse[c] < 0) {
      bad = c;
      return false;
    }
    bytes += static_cast<char>(inverse[c]);
  }
  return true;
}

std::string code_point_name(char32_t c) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(c));
  return buffer;
}

struct spelling_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return hash_bytes(s); }
};

struct vocabulary {
  std::vector<std::string> token_bytes;  // by id
  std::unordered_map<std::string, std::int32_t, spelling_hash, std::equal_to<>> by_spelling;
  std::int32_t eot = -1;
};

vocabulary read_vocabulary(const std::string& path) {
  const std::string content = read_file(path);
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(content);
  } catch (const nlohmann::json::parse_error& e) {
    throw error(position_in(path, content, e.byte == 0 ? 0 : e.byte - 1),
                "invalid JSON: " + json_problem(e));
  }
  if (!doc.is_object() || doc.empty()) {
    throw error(origin{path, 1, 1},
                "expected a JSON object of tokens and their ids ({\"!\": 0, ...})");
  }
  vocabulary v;
  v.by_spelling.reserve(doc.size());
  std::vector<const std::string*> owner;
  std::string bytes;
  for (const auto& [spelled, value] : doc.items()) {
    if (!value.is_number_integer() || value.get<std::int64_t>() < 0 ||
        value.get<std::int64_t>() >= 1 << 24) {
      throw error(origin{path, 0, 0}, "token \"" + spelled + "\": expected an id from 0 to " +
                                          std::to_string((1 << 24) - 1) + ", got " + value.dump());
    }
    const auto id = value.get<std::int32_t>();
    char32_t bad = 0;
    if (!unspell(spelled, bytes, bad)) {
      throw error(origin{path, 0, 0},
                  "token \"" + spelled + "\" has the character " + code_point_name(bad) +
                      ", which GPT-2's byte-to-unicode map does not use; is this a byte-level "
                      "BPE vocabulary?");
    }
    if (static_cast<std::size_t>(id) >= v.token_bytes.size()) {
      v.token_bytes.resize(id + 1);
      owner.resize(id + 1, nullptr);
    }
    if (owner[id] != nullptr) {
      throw error(origin{path, 0, 0}, "tokens \"" + *owner[id] + "\" and \"" + spelled +
                                          "\" have the same id " + std::to_string(id));
    }
    const auto [it, added] = v.by_spelling.emplace(spelled, id);
    owner[id] = &it->first;
    v.token_bytes[id] = bytes;
    if (spelled == end_of_text) v.eot = id;
  }
  return v;
}

std::vector<std::pair<std::int32_t, std::int32_t>> read_merges(const std::string& path,
                                                               const vocabulary& v,
                                                               const std::string& vocab_path) {
  const std::string content = read_file(path);
  std::vector<std::pair<std::int32_t, std::int32_t>> merges;
  const std::string vocab_name = std::filesystem::path(vocab_path).filename().string();
  std::size_t start = 0;
  std::uint64_t number = 0;
  std::string joined;
  while (start < content.size()) {
    std::size_t end = content.find('\n', start);
    if (end == std::string::npos) end = content.size();
    std::string_view line(content.data() + start, end - start);
    start = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || (number == 1 && line.starts_with("#version"))) continue;
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos || space == 0 || space + 1 == line.size() ||
        line.find(' ', space + 1) != std::string_view::npos) {
      throw error(origin{path, number, 1},
                  "expected two tokens separated by one space, got \"" + std::string(line) + "\"");
    }
    const std::string_view left = line.substr(0, space);
    const std::string_view right = line.substr(space + 1);
    const auto a = v.by_spelling.find(left);
    if (a == v.by_spelling.end()) {
      throw error(origin{path, number, 1},
                  "\"" + std::string(left) + "\" is not in the vocabulary (" + vocab_name + ")");
    }
    const auto b = v.by_spelling.find(right);
    if (b == v.by_spelling.end()) {
      throw error(origin{path, number, space + 2},
                  "\"" + std::string(right) + "\" is not in the vocabulary (" + vocab_name + ")");
    }
    joined.assign(left).append(right);
    if (!v.by_spelling.contains(std::string_view(joined))) {
      throw error(origin{path, number, 1}, "the merge of \"" + std::string(left) + "\" and \"" +
                                               std::string(right) + "\", \"" + joined +
                                               "\", is not in the vocabulary (" + vocab_name + ")");
    }
    merges.emplace_back(a->second, b->second);
  }
  return merges;
}

}  // namespace

bpe_tokenizer bpe_tokenizer::load(const std::filesystem::path& folder) {
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) {
    throw error(origin{folder.string(), 0, 0},
                "not a folder; expected one holding vocab.json and "
                "merges.txt, or encoder.json and vocab.bpe");
  }
  if (std::filesystem::exists(folder / "vocab.json", ec)) {
    return load(folder / "vocab.json", folder / "merges.txt");
  }
  if (std::filesystem::exists(folder / "encoder.json", ec)) {
    return load(folder / "encoder.json", folder / "vocab.bpe");
  }
  throw error(origin{folder.string(), 0, 0},
              "no tokenizer here: expected vocab.json and merges.txt (Hugging Face) or "
              "encoder.json and vocab.bpe (OpenAI)");
}

bpe_tokenizer bpe_tokenizer::load(const std::filesystem::path& vocab,
                                  const std::filesystem::path& merges) {
  const vocabulary v = read_vocabulary(vocab.string());
  auto ranked = read_merges(merges.string(), v, vocab.string());
  return bpe_tokenizer(build_tables(v.token_bytes, std::move(ranked), v.eot, vocab.string()));
}

void bpe_tokenizer::encode(std::string_view text, std::vector<std::int32_t>& out) const {
  const tables& t = *tables_;
  if (t.eot < 0) return encode_text(t, text, out);
  while (true) {
    const std::size_t special = text.find(end_of_text);
    if (special == std::string_view::npos) break;
    encode_text(t, text.substr(0, special), out);
    out.push_back(t.eot);
    text.remove_prefix(special + end_of_text.size());
  }
  encode_text(t, text, out);
}

void bpe_tokenizer::encode_ordinary(std::string_view text, std::vector<std::int32_t>& out) const {
  encode_text(*tables_, text, out);
}

std::vector<std::int32_t> bpe_tokenizer::encode(std::string_view text) const {
  std::vector<std::int32_t> out;
  out.reserve(text.size() / 3 + 4);
  encode(text, out);
  return out;
}

std::size_t bpe_tokenizer::count(std::string_view text) const {
  thread_local std::vector<std::int32_t> scratch;
  scratch.clear();
  encode(text, scratch);
  const std::size_t n = scratch.size();
  if (scratch.capacity() > (1U << 20)) scratch = {};  // do not keep a huge buffer per thread
  return n;
}

std::string bpe_tokenizer::decode(std::span<const std::int32_t> ids) const {
  const tables& t = *tables_;
  std::string out;
  for (const std::int32_t id : ids) {
    if (id < 0 || id >= t.size()) {
      throw error("decode: token id " + std::to_string(id) + " is not in the vocabulary (0 to " +
                  std::to_string(t.size() - 1) + ")");
    }
    out += t.bytes_of(id);
  }
  return out;
}

std::string_view bpe_tokenizer::token_bytes(std::int32_t id) const {
  const tables& t = *tables_;
  if (id < 0 || id >= t.size()) return {};
  return t.bytes_of(id);
}

std::int32_t bpe_tokenizer::eot_id() const { return tables_->eot; }
std::int32_t bpe_tokenizer::vocab_size() const { return tables_->size(); }
std::size_t bpe_tokenizer::merge_count() const { return tables_->merges.size(); }

void bpe_tokenizer::save(const std::filesystem::path& folder) const {
  atomic_output vocab((folder / "vocab.json").string());
  atomic_output merges((folder / "merges.txt").string());
  save(vocab, merges);
  vocab.commit();
  merges.commit();
}

void bpe_tokenizer::save(atomic_output& vocab, atomic_output& merges) const {
  const tables& t = *tables_;
  std::string out = "{";
  bool first = true;
  for (std::int32_t id = 0; id < t.size(); ++id) {
    const std::string_view bytes = t.bytes_of(id);
    if (bytes.empty()) continue;
    if (!first) out += ", ";
    first = false;
    out += nlohmann::json(id == t.eot ? std::string(bytes) : spell(bytes)).dump();
    out += ": ";
    out += std::to_string(id);
  }
  out += "}\n";
  vocab.write(out);
  out = "#version: 0.2\n";
  for (const auto& [left, right] : t.merges) {
    out += spell(t.bytes_of(left));
    out += ' ';
    out += spell(t.bytes_of(right));
    out += '\n';
  }
  merges.write(out);
}

}  // namespace textkit::gpt2
