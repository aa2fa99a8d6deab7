#include "dedup.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "text_rules.h"

namespace textkit::sanitize {
namespace {

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

std::uint64_t combine(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
  return h * 0xFF51AFD7ED558CCDULL;
}

}  // namespace

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
  const std::size_t k = static_cast<std::size_t>(params_.shingle);
  const std::size_t shingles = token_hashes.size() < k ? 1 : token_hashes.size() - k + 1;
  const std::size_t width = std::min(k, token_hashes.size());
  const std::size_t n = multipliers_.size();
  signature sig(n, std::numeric_limits<std::uint32_t>::max());
  const std::uint64_t* a = multipliers_.data();
  const std::uint64_t* b = offsets_.data();
  std::uint32_t* out = sig.data();
  for (std::size_t s = 0; s < shingles; ++s) {
    std::uint64_t h = 0;
    for (std::size_t t = 0; t < width; ++t) h = combine(h, token_hashes[s + t]);
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

bool near_index::seen_or_add(const signature& sig, std::uint64_t scope, double& similarity) {
  similarity = 0.0;
  const std::size_t n = sig.size();
  const std::size_t mask = slots_.size() - 1;
  std::uint64_t keys[512];
  const int bands = std::min(bands_.bands, 512);
  candidates_.clear();
  for (int band = 0; band < bands; ++band) {
    std::uint64_t h = combine(scope, static_cast<std::uint64_t>(band) + 1);
    for (int r = 0; r < bands_.rows; ++r) h = combine(h, sig[band * bands_.rows + r]);
    std::uint64_t key32 = h >> 32;
    if (key32 == 0) key32 = 1;
    keys[band] = key32;
    std::size_t at = (key32 * 0x9E3779B97F4A7C15ULL >> 20) & mask;
    for (; slots_[at] != 0; at = (at + 1) & mask) {
      if ((slots_[at] >> 32) == key32) candidates_.push_back((slots_[at] & 0xFFFFFFFFULL) - 1);
    }
  }
  std::sort(candidates_.begin(), candidates_.end());
  candidates_.erase(std::unique(candidates_.begin(), candidates_.end()), candidates_.end());
  for (const std::uint64_t id : candidates_) {
    const std::uint16_t* kept = signatures_.data() + id * n;
    std::size_t equal = 0;
    for (std::size_t i = 0; i < n; ++i) equal += kept[i] == static_cast<std::uint16_t>(sig[i]);
    const double estimate = static_cast<double>(equal) / static_cast<double>(n);
    similarity = std::max(similarity, estimate);
  }
  if (similarity >= params_.threshold) return true;
  const std::uint64_t id = count_++;
  for (std::size_t i = 0; i < n; ++i) signatures_.push_back(static_cast<std::uint16_t>(sig[i]));
  for (int band = 0; band < bands; ++band) {
    if ((used_ + 1) * 2 > slots_.size()) grow();
    insert_slot((keys[band] << 32) | (id + 1));
  }
  return false;
}

}  // namespace textkit::sanitize
