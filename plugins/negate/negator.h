// negate - the rules: a sentence in, its approximate logical negation out, with the names of the
// rules that applied. One negator per worker thread (it owns a link-grammar parser and an ICU
// break iterator); the lexicon is shared.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis.h"
#include "lexicon.h"
#include "tokens.h"

namespace textkit::negate {

enum class logic_mode {
  logic,  ///< quantifiers, frequency, comparatives, De Morgan, every main clause
  verb,   ///< one verb per sentence, as in main-verb negation (the Python package negate)
};
enum class scope_mode { sentence, story };
enum class quote_mode { keep, negate };
/// What one negation covers: every sentence, or one sentence per record (a record holding one
/// statement, as the pairs of main-verb negation datasets do).
enum class per_mode { sentence, record };

struct negate_settings {
  bool contractions = false;
  quote_mode quotes = quote_mode::keep;
  scope_mode scope = scope_mode::sentence;
  logic_mode mode = logic_mode::logic;
  per_mode per = per_mode::sentence;
  bool antonyms = true;
};

struct sentence_result {
  std::string original;
  std::string text;
  std::vector<std::string> rules;
  /// "link-grammar", "lexicon", "story", "kept" (per: record, after the record's negation), or
  /// "" when nothing could be analysed
  std::string analysed_by;
  bool unanalysable = false;
};

struct text_result {
  std::string text;
  std::vector<sentence_result> sentences;
};

class negator {
 public:
  negator(std::shared_ptr<const lexicon> lex, negate_settings settings,
          parser_settings parsing = {});

  [[nodiscard]] sentence_result negate_sentence(std::string_view sentence);
  [[nodiscard]] text_result negate_text(std::string_view text);

 private:
  sentence_result negate_sentence_at(std::string_view sentence, int depth);
  text_result negate_text_at(std::string_view text, int depth);
  std::optional<std::pair<clause, clause_analysis>> complement_of(const tokens& toks,
                                                                  const clause& c,
                                                                  const clause_analysis& a);
  std::shared_ptr<const lexicon> lex_;
  negate_settings settings_;
  clause_parser parser_;
  sentence_splitter splitter_;
};

}  // namespace textkit::negate
