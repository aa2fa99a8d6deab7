#include "textkit_common/near_dup.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>

#include "textkit_common/unicode.h"

namespace textkit::common {
namespace {

bool is_ascii_alnum(unsigned char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

double integrate(double from, double to, auto&& f) {
  constexpr int steps = 200;
  const double width = (to - from) / steps;
  double sum = 0.5 * (f(from) + f(to));
  for (int i = 1; i < steps; ++i) sum += f(from + i * width);
  return sum * width;
}

std::uint64_t splitmix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace

std::uint64_t hash_combine(std::uint64_t h, std::uint64_t value) noexcept {
  h ^= value + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
  return h * 0xFF51AFD7ED558CCDULL;
}

lsh_bands optimal_bands(double threshold, int permutations) {
  lsh_bands best{1, permutations};
  double best_error = std::numeric_limits<double>::max();
  for (int bands = 1; bands <= permutations; ++bands) {
    for (int rows = 1; rows * bands <= permutations; ++rows) {
      auto candidate = [&](double s) { return 1.0 - std::pow(1.0 - std::pow(s, rows), bands); };
      const double false_positive = integrate(0.0, threshold, candidate);
      const double false_negative =
          integrate(threshold, 1.0, [&](double s) { return 1.0 - candidate(s); });
      const double error = 0.05 * false_positive + 0.95 * false_negative;
      if (error < best_error) {
        best_error = error;
        best = {bands, rows};
      }
    }
  }
  return best;
}

minhasher::minhasher(const minhash_params& params) : params_(params) {
  std::uint64_t state = params.seed;
  for (int i = 0; i < params.permutations; ++i) {
    multipliers_.push_back(splitmix(state) | 1);  // odd: a bijection of the 64-bit hashes
    offsets_.push_back(splitmix(state));
  }
}

signature minhasher::sign(std::string_view key) const {
  const auto tokens = shingle_tokens(key);
  std::vector<std::uint64_t> token_hashes;
  token_hashes.reserve(tokens.size());
  for (auto token : tokens) token_hashes.push_back(hash_bytes(token, params_.seed));
  if (token_hashes.empty()) token_hashes.push_back(hash_bytes(key, params_.seed));
  return sign_hashes(token_hashes);
}

signature minhasher::sign_hashes(std::span<const std::uint64_t> token_hashes) const {
  const std::size_t n = multipliers_.size();
  signature sig(n, std::numeric_limits<std::uint32_t>::max());
  if (token_hashes.empty()) return sig;
  const std::size_t k = static_cast<std::size_t>(params_.shingle);
  const std::size_t shingles = token_hashes.size() < k ? 1 : token_hashes.size() - k + 1;
  const std::size_t width = std::min(k, token_hashes.size());
  const std::uint64_t* a = multipliers_.data();
  const std::uint64_t* b = offsets_.data();
  std::uint32_t* out = sig.data();
  for (std::size_t s = 0; s < shingles; ++s) {
    std::uint64_t h = 0;
    for (std::size_t t = 0; t < width; ++t) h = hash_combine(h, token_hashes[s + t]);
    // Multiply-shift hashing: the high 32 bits of a*h+b, one cheap permutation each.
    for (std::size_t p = 0; p < n; ++p) {
      const auto v = static_cast<std::uint32_t>((a[p] * h + b[p]) >> 32);
      out[p] = std::min(out[p], v);
    }
  }
  return sig;
}

double estimated_similarity(const signature& a, const signature& b) {
  if (a.empty() || a.size() != b.size()) return 0.0;
  std::size_t equal = 0;
  for (std::size_t i = 0; i < a.size(); ++i) equal += a[i] == b[i] ? 1 : 0;
  return static_cast<double>(equal) / static_cast<double>(a.size());
}

near_index::near_index(const minhash_params& params)
    : params_(params),
      bands_(optimal_bands(params.threshold, params.permutations)),
      slots_(1 << 16, 0) {}

void near_index::insert_slot(std::uint64_t entry) {
  const std::size_t mask = slots_.size() - 1;
  std::size_t at = ((entry >> 32) * 0x9E3779B97F4A7C15ULL >> 20) & mask;
  while (slots_[at] != 0) at = (at + 1) & mask;
  slots_[at] = entry;
  ++used_;
}

void near_index::grow() {
  std::vector<std::uint64_t> old(slots_.size() * 2, 0);
  old.swap(slots_);
  used_ = 0;
  for (std::uint64_t entry : old) {
    if (entry != 0) insert_slot(entry);
  }
}

// At most this many bands: keys of one signature live on the stack.
constexpr int max_bands = 512;

void near_index::band_keys(const signature& sig, std::uint64_t scope, std::uint64_t* keys) const {
  const int bands = std::min(bands_.bands, max_bands);
  for (int band = 0; band < bands; ++band) {
    std::uint64_t h = hash_combine(scope, static_cast<std::uint64_t>(band) + 1);
    for (int r = 0; r < bands_.rows; ++r) h = hash_combine(h, sig[band * bands_.rows + r]);
    std::uint64_t key32 = h >> 32;
    if (key32 == 0) key32 = 1;
    keys[band] = key32;
  }
}

near_match near_index::best_match(const signature& sig, std::uint64_t scope) const {
  near_match best;
  if (count_ == 0) return best;
  const std::size_t n = sig.size();
  const std::size_t mask = slots_.size() - 1;
  std::uint64_t keys[max_bands];
  band_keys(sig, scope, keys);
  const int bands = std::min(bands_.bands, max_bands);
  std::vector<std::uint64_t> candidates;
  for (int band = 0; band < bands; ++band) {
    const std::uint64_t key32 = keys[band];
    std::size_t at = (key32 * 0x9E3779B97F4A7C15ULL >> 20) & mask;
    for (; slots_[at] != 0; at = (at + 1) & mask) {
      if ((slots_[at] >> 32) == key32) candidates.push_back((slots_[at] & 0xFFFFFFFFULL) - 1);
    }
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  for (const std::uint64_t id : candidates) {
    const std::uint16_t* kept = signatures_.data() + id * n;
    std::size_t equal = 0;
    for (std::size_t i = 0; i < n; ++i) equal += kept[i] == static_cast<std::uint16_t>(sig[i]);
    const double estimate = static_cast<double>(equal) / static_cast<double>(n);
    if (estimate > best.similarity) best = {estimate, id};
  }
  return best;
}

std::uint64_t near_index::add(const signature& sig, std::uint64_t scope) {
  std::uint64_t keys[max_bands];
  band_keys(sig, scope, keys);
  const int bands = std::min(bands_.bands, max_bands);
  const std::uint64_t id = count_++;
  for (const std::uint32_t value : sig) signatures_.push_back(static_cast<std::uint16_t>(value));
  for (int band = 0; band < bands; ++band) {
    if ((used_ + 1) * 2 > slots_.size()) grow();
    insert_slot((keys[band] << 32) | (id + 1));
  }
  return id;
}

bool near_index::seen_or_add(const signature& sig, std::uint64_t scope, double& similarity) {
  similarity = best_match(sig, scope).similarity;
  if (similarity >= params_.threshold) return true;
  add(sig, scope);
  return false;
}

std::size_t near_index::memory_bytes() const {
  return signatures_.capacity() * sizeof(std::uint16_t) + slots_.capacity() * sizeof(std::uint64_t);
}

// ---- Dedup keys ---------------------------------------------------------------------------------

std::string dedup_key(std::string_view text) {
  std::string key;
  key.reserve(text.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    char32_t c = byte;
    if (byte < 0x80) {
      ++i;
      if (is_ascii_alnum(byte)) {
        if (pending_space && !key.empty()) key.push_back(' ');
        pending_space = false;
        key.push_back(static_cast<char>(std::tolower(byte)));
      } else {
        pending_space = true;
      }
      continue;
    }
    c = next_code_point(text, i);
    const auto u = static_cast<UChar32>(c);
    if (!u_isalnum(u) && (U_GET_GC_MASK(u) & U_GC_M_MASK) == 0) {
      pending_space = true;
      continue;
    }
    if (pending_space && !key.empty()) key.push_back(' ');
    pending_space = false;
    append_utf8(key, static_cast<char32_t>(u_foldCase(u, U_FOLD_CASE_DEFAULT)));
  }
  if (key.empty()) key.assign(text);
  return key;
}

namespace {

bool written_without_spaces(char32_t c) {
  if (c < 0x0E00) return false;
  UErrorCode status = U_ZERO_ERROR;
  switch (uscript_getScript(static_cast<UChar32>(c), &status)) {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_THAI:
    case USCRIPT_LAO:
    case USCRIPT_KHMER:
    case USCRIPT_MYANMAR:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::vector<std::string_view> shingle_tokens(std::string_view key) {
  std::vector<std::string_view> tokens;
  std::size_t start = 0;
  auto flush = [&](std::size_t end) {
    if (end > start) tokens.push_back(key.substr(start, end - start));
  };
  for (std::size_t i = 0; i < key.size();) {
    const auto byte = static_cast<unsigned char>(key[i]);
    if (byte == ' ') {
      flush(i);
      start = ++i;
      continue;
    }
    if (byte < 0x80) {
      ++i;
      continue;
    }
    const std::size_t at = i;
    const char32_t c = next_code_point(key, i);
    if (!written_without_spaces(c)) continue;
    flush(at);
    tokens.push_back(key.substr(at, i - at));
    start = i;
  }
  flush(key.size());
  return tokens;
}

std::uint64_t hash_bytes(std::string_view bytes, std::uint64_t seed) noexcept {
  constexpr std::uint64_t k1 = 0x9E3779B97F4A7C15ULL;
  constexpr std::uint64_t k2 = 0xC2B2AE3D27D4EB4FULL;
  auto mix = [](std::uint64_t x) {
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDULL;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ULL;
    x ^= x >> 33;
    return x;
  };
  std::uint64_t h = seed ^ (bytes.size() * k1);
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t chunk = 0;
    std::memcpy(&chunk, bytes.data() + i, 8);
    h ^= chunk * k2;
    h = ((h << 31) | (h >> 33)) * k1;
  }
  std::uint64_t tail = 0;
  if (i < bytes.size()) std::memcpy(&tail, bytes.data() + i, bytes.size() - i);
  h ^= tail * k2;
  return mix(h);
}

}  // namespace textkit::common
