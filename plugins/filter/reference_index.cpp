#include "reference_index.h"

#include <algorithm>
#include <limits>
#include <span>

namespace textkit::novelty {
namespace {

constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
// How many n-grams ahead the set's memory is prefetched.
constexpr std::size_t prefetch_distance = 8;

std::uint32_t clamp32(std::uint64_t value) {
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(value, 0xFFFFFFFFULL));
}

}  // namespace

reference_index::reference_index(const novelty_params& params)
    : params_(params), ngrams_(params.keep_docs) {
  if (params_.near) {
    hasher_.emplace(params_.minhash);
    near_.emplace(params_.minhash);
  }
}

std::uint32_t reference_index::file_id(std::string_view file) {
  const auto [it, added] =
      file_ids_.try_emplace(std::string(file), static_cast<std::uint32_t>(files_.size()));
  if (added) files_.emplace_back(file);
  return it->second;
}

void reference_index::hash_ngrams() {
  ngram_hashes_.clear();
  const std::size_t n = static_cast<std::size_t>(params_.n);
  const std::span<const std::uint64_t> hashes(words_.hashes);
  for (std::size_t i = 0; i + n <= hashes.size(); ++i) {
    ngram_hashes_.push_back(ngram_hash(hashes.subspan(i, n)));
  }
  for (std::size_t i = 0; i < prefetch_distance && i < ngram_hashes_.size(); ++i) {
    ngrams_.prefetch(ngram_hashes_[i]);
  }
}

void reference_index::prepare(std::string_view text, word_splitter& splitter, word_list& words,
                              prepared_document& out) const {
  splitter.split(text, words);
  out.has_words = words.size() != 0;
  out.ngrams.clear();
  out.signature.clear();
  const std::size_t n = static_cast<std::size_t>(params_.n);
  const std::span<const std::uint64_t> hashes(words.hashes);
  for (std::size_t i = 0; i + n <= hashes.size(); ++i) {
    out.ngrams.push_back(ngram_hash(hashes.subspan(i, n)));
  }
  if (hasher_ && hashes.size() >= static_cast<std::size_t>(params_.minhash.shingle)) {
    out.signature = hasher_->sign_hashes(hashes);
  }
}

bool reference_index::add(std::string_view text, std::string_view file, std::uint64_t line) {
  prepare(text, splitter_, words_, prepared_);
  return add_prepared(prepared_, file, line);
}

bool reference_index::add_prepared(const prepared_document& document, std::string_view file,
                                   std::uint64_t line) {
  if (!document.has_words) return false;
  const std::uint32_t doc = clamp32(documents_);
  ++documents_;
  if (params_.keep_docs) docs_.push_back({file_id(file), clamp32(line)});
  const std::size_t count = document.ngrams.size();
  for (std::size_t i = 0; i < std::min(prefetch_distance, count); ++i) {
    ngrams_.prefetch(document.ngrams[i]);
  }
  for (std::size_t i = 0; i < count; ++i) {
    if (i + prefetch_distance < count) ngrams_.prefetch(document.ngrams[i + prefetch_distance]);
    ngrams_.insert(document.ngrams[i], doc);
  }
  ngrams_added_ += count;
  if (near_ && !document.signature.empty()) {
    near_->add(document.signature, 0);
    if (params_.keep_docs) near_docs_.push_back(doc);
  }
  return true;
}

finding reference_index::check(std::string_view text) {
  finding found;
  splitter_.split(text, words_);
  found.words = words_.size();
  const std::size_t n = static_cast<std::size_t>(params_.n);
  const std::span<const std::uint64_t> hashes(words_.hashes);
  std::size_t run_start = none;
  std::uint32_t run_doc = 0;
  std::size_t covered_until = 0;  // words before this one are counted in copied_words already
  if (ngrams_.size() != 0) hash_ngrams();
  const std::size_t count = ngrams_.size() != 0 ? ngram_hashes_.size() : 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (i + prefetch_distance < count) ngrams_.prefetch(ngram_hashes_[i + prefetch_distance]);
    std::uint32_t doc = 0;
    if (!ngrams_.find(ngram_hashes_[i], doc)) {
      run_start = none;
      continue;
    }
    found.copied_words += i + n - std::max(i, covered_until);
    covered_until = i + n;
    if (run_start == none) {
      run_start = i;
      run_doc = doc;
    }
    const std::size_t run = i + n - run_start;
    if (run <= found.longest_run) continue;
    found.longest_run = run;
    found.run_begin = words_.begins[run_start];
    found.run_end = words_.ends[i + n - 1];
    if (params_.keep_docs) found.run_doc = run_doc;
  }
  if (near_ && near_->size() != 0 &&
      hashes.size() >= static_cast<std::size_t>(params_.minhash.shingle)) {
    const common::near_match match = near_->best_match(hasher_->sign_hashes(hashes), 0);
    found.near_similarity = match.similarity;
    if (match.similarity > 0.0 && params_.keep_docs) found.near_doc = near_docs_[match.id];
    found.near_copy = match.similarity >= params_.minhash.threshold;
  }
  return found;
}

std::string reference_index::describe(std::uint32_t doc) const {
  if (doc >= docs_.size()) return {};
  const doc_place& place = docs_[doc];
  std::string out = files_[place.file];
  if (place.line != 0) out += ":" + std::to_string(place.line);
  return out;
}

std::size_t reference_index::memory_bytes() const {
  std::size_t bytes = ngrams_.memory_bytes() + docs_.capacity() * sizeof(doc_place) +
                      near_docs_.capacity() * sizeof(std::uint32_t);
  if (near_) bytes += near_->memory_bytes();
  for (const std::string& file : files_) bytes += file.capacity() + 64;  // string and map node
  return bytes;
}

}  // namespace textkit::novelty
