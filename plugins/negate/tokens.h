// negate - sentences, tokens and clauses. Tokens keep the whitespace before them, so a sentence
// renders back byte for byte when no rule touched it; clitics ("n't", "'s") are tokens of their
// own, joined to the word before, the way link-grammar splits them too.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace textkit::negate {

enum class token_kind { word, punct, quote };

struct token {
  std::string text;   ///< as written; "can't" is "can" + "n't" (rendered back as "can't")
  std::string space;  ///< what precedes it; empty for a clitic joined to the word before
  token_kind kind = token_kind::word;
  bool first = false;  ///< the sentence's first word as written (for moving the capital)
  [[nodiscard]] std::string lower() const;
  [[nodiscard]] bool is(std::string_view lower_word) const;
};

using tokens = std::vector<token>;

/// Splits one sentence into tokens. A quotation ("...", “...”) becomes one token of kind quote,
/// so no rule reaches inside it.
tokens tokenize(std::string_view sentence);
/// The inverse of tokenize(): "will" + "n't" comes back as "won't", "can" + "not" as "cannot".
std::string render(const tokens& toks);
/// The lower-case normal form of a clitic with a typographic apostrophe ("n’t" -> "n't").
std::string normal_clitic(std::string_view text);

/// The tokens of one clause, in order (a main clause interrupted by ", who ...," skips the
/// relative clause). Main clauses carry the sentence's assertions and are negated; subordinate
/// ones (relative, adverbial) are left as they are.
struct clause {
  std::vector<std::size_t> at;  ///< indices into the sentence's tokens
  bool main = true;
  /// A short reporting clause ending the sentence (", Tuppence stated."): negated only when the
  /// sentence has no main clause that can be analysed ("Uh, hi guys,' Daniel said meekly.").
  bool reporting = false;
};

/// Splits before ";", ":", ", and/but/or/so/yet <subject>", "and <pronoun>", relative clauses
/// (", who ...") and adverbial ones (a leading "When ..., " or a trailing "because ...").
std::vector<clause> split_clauses(const tokens& toks);

/// Sentence boundaries in a text with ICU's rules, never inside a quotation: [begin, end) byte
/// ranges that cover the whole text (trailing whitespace stays with its sentence). Not
/// thread-safe: one per worker.
class sentence_splitter {
 public:
  sentence_splitter();
  ~sentence_splitter();
  sentence_splitter(const sentence_splitter&) = delete;
  sentence_splitter& operator=(const sentence_splitter&) = delete;
  [[nodiscard]] std::vector<std::pair<std::size_t, std::size_t>> split(std::string_view text);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace textkit::negate
