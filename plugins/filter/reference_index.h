// filter.novelty - the reference corpus as an index (its word n-grams, and MinHash signatures of
// its documents), and the check of a text against it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ngram_set.h"
#include "textkit_common/near_dup.h"
#include "words.h"

namespace textkit::novelty {

struct novelty_params {
  int n = 8;                       ///< words per n-gram
  bool near = true;                ///< also look for near-duplicates of whole documents
  common::minhash_params minhash;  ///< near-duplicates: threshold, shingle, permutations
  bool keep_docs = false;          ///< remember which document each n-gram came from (mark mode)
};

/// What check() found about a text.
struct finding {
  std::size_t words = 0;        ///< words in the text
  std::size_t longest_run = 0;  ///< longest run of words covered by consecutive reference n-grams
  std::size_t run_begin = 0;    ///< its byte range in the text
  std::size_t run_end = 0;
  std::optional<std::uint32_t> run_doc;  ///< the document of its first n-gram (keep_docs)
  std::size_t copied_words = 0;          ///< words inside at least one reference n-gram
  double near_similarity = 0.0;  ///< best estimated Jaccard similarity with a reference document
  std::optional<std::uint32_t> near_doc;
  bool near_copy = false;  ///< near_similarity at or above the threshold

  [[nodiscard]] bool copied_run() const { return longest_run > 0; }
  [[nodiscard]] bool copied() const { return copied_run() || near_copy; }
  [[nodiscard]] double overlap() const {
    return words == 0 ? 0.0 : static_cast<double>(copied_words) / static_cast<double>(words);
  }
};

/// A reference document made ready for the index (its n-gram hashes and MinHash signature) by
/// reference_index::prepare, which may run on several threads at once.
struct prepared_document {
  bool has_words = false;
  std::vector<std::uint64_t> ngrams;
  common::signature signature;  ///< empty when near is off or the document is too short
};

class reference_index {
 public:
  explicit reference_index(const novelty_params& params);

  /// Computes what add_prepared() needs; const, so threads (each with its own splitter and
  /// scratch word list) may prepare documents while no one adds.
  void prepare(std::string_view text, word_splitter& splitter, word_list& words,
               prepared_document& out) const;
  /// Adds a prepared document, as add() does.
  bool add_prepared(const prepared_document& document, std::string_view file, std::uint64_t line);

  /// Adds a reference document found at file:line (kept only with keep_docs, to name it later).
  /// A document without words adds nothing; returns whether it had any.
  bool add(std::string_view text, std::string_view file, std::uint64_t line);
  /// Compares a text with everything added so far.
  finding check(std::string_view text);

  /// "file:line" of a document (keep_docs).
  [[nodiscard]] std::string describe(std::uint32_t doc) const;

  [[nodiscard]] std::uint64_t documents() const { return documents_; }
  [[nodiscard]] std::uint64_t ngrams_added() const { return ngrams_added_; }
  [[nodiscard]] std::size_t distinct_ngrams() const { return ngrams_.size(); }
  /// Bytes held by the n-gram set, the near-duplicate index and the document table.
  [[nodiscard]] std::size_t memory_bytes() const;
  [[nodiscard]] const novelty_params& params() const { return params_; }

 private:
  struct doc_place {
    std::uint32_t file = 0;  // index into files_
    std::uint32_t line = 0;
  };
  std::uint32_t file_id(std::string_view file);
  /// The hashes of the n-grams of words_, in ngram_hashes_.
  void hash_ngrams();

  novelty_params params_;
  word_splitter splitter_;
  word_list words_;
  std::vector<std::uint64_t> ngram_hashes_;  // check()'s
  prepared_document prepared_;               // add()'s
  ngram_set ngrams_;
  std::optional<common::minhasher> hasher_;
  std::optional<common::near_index> near_;
  std::vector<std::uint32_t> near_docs_;  // near index id -> document (keep_docs)
  std::vector<doc_place> docs_;           // keep_docs
  std::vector<std::string> files_;
  std::unordered_map<std::string, std::uint32_t> file_ids_;
  std::uint64_t documents_ = 0;
  std::uint64_t ngrams_added_ = 0;
};

}  // namespace textkit::novelty
