// filter.novelty - the words of a text as the novelty filter compares them, and their n-grams.
//
// Words are found by ICU's word break rules (UAX #29, with dictionaries for Japanese, Chinese,
// Thai...) in the text as it is; a segment counts as a word when it holds a letter, digit, kana or
// ideograph, so punctuation and spaces are left out. Each word is then put in NFKC and case-folded
// (NFKC_Casefold: "Ｔｈｅ", "THE" and "the" are one word) and hashed to 64 bits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace textkit::novelty {

/// The words of one text: a 64-bit hash of each folded word and its place in the text.
struct word_list {
  std::vector<std::uint64_t> hashes;
  std::vector<std::uint32_t> begins;  ///< byte offset of each word in the text
  std::vector<std::uint32_t> ends;    ///< byte offset just past it

  void clear() {
    hashes.clear();
    begins.clear();
    ends.clear();
  }
  [[nodiscard]] std::size_t size() const { return hashes.size(); }
};

/// Splits texts into words. Holds ICU break iterator state: one per thread.
class word_splitter {
 public:
  word_splitter();
  ~word_splitter();
  word_splitter(const word_splitter&) = delete;
  word_splitter& operator=(const word_splitter&) = delete;

  /// The words of `text` (valid UTF-8), replacing what `out` held.
  void split(std::string_view text, word_list& out);

  /// The folded form of one word as it is hashed (for tests and messages).
  [[nodiscard]] std::string fold(std::string_view word);

 private:
  void fold_into(std::string_view word, std::string& out);

  struct icu_state;
  std::unique_ptr<icu_state> icu_;
  std::string folded_;  // reused: one allocation for the whole run
};

/// The hash of the n-gram made of `words` (n consecutive word hashes), never 0.
std::uint64_t ngram_hash(std::span<const std::uint64_t> words) noexcept;

}  // namespace textkit::novelty
