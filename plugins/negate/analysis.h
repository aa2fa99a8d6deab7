// negate - finding a clause's finite verb, subject and shape: link-grammar first (each linkage
// checked before it is trusted), a lexicon-based reading when no linkage passes.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lexicon.h"
#include "tokens.h"

namespace textkit::negate {

inline constexpr std::size_t npos = static_cast<std::size_t>(-1);

enum class clause_shape { statement, question, imperative, quotative, nonfinite };

/// Where the rules act in one clause. Indices are into the sentence's tokens.
struct clause_analysis {
  bool ok = false;
  std::size_t finite = npos;   ///< the finite auxiliary or verb (nonfinite: the participle)
  std::size_t subject = npos;  ///< the subject's head, when known
  clause_shape shape = clause_shape::statement;
  bool past = false;     ///< the parser tagged the finite verb as past (.v-d)
  bool perfect = false;  ///< "'s"/"'d" read as has/had (link-grammar's PP link)
  std::string by;        ///< "link-grammar" or "lexicon"
};

struct parser_settings {
  int linkage_limit = 100;
  int timeout_seconds = 1;
  int linkages_checked = 3;
};

/// One link-grammar English dictionary and its parse options. Not thread-safe: one per worker
/// (link-grammar's own dictionary may be shared, but its Parse_Options carry per-parse state).
class clause_parser {
 public:
  clause_parser(std::shared_ptr<const lexicon> lex, parser_settings settings);
  ~clause_parser();
  clause_parser(const clause_parser&) = delete;
  clause_parser& operator=(const clause_parser&) = delete;

  /// Analyses the clause made of `at` (indices into `toks`).
  [[nodiscard]] clause_analysis analyse(const tokens& toks, const std::vector<std::size_t>& at);

  /// The lexicon-based reading alone (also what analyse() falls back on).
  [[nodiscard]] clause_analysis analyse_by_lexicon(const tokens& toks,
                                                   const std::vector<std::size_t>& at) const;

  [[nodiscard]] const lexicon& words() const { return *lex_; }

 private:
  clause_analysis analyse_by_parser(const tokens& toks, const std::vector<std::size_t>& at);
  /// Whether an imperative reading of `verb` (the clause's first word) is a declarative
  /// clause misread: the word is mostly a noun or adjective and a finite verb follows.
  [[nodiscard]] bool looks_declarative(const tokens& toks, const std::vector<std::size_t>& at,
                                       std::size_t verb) const;
  /// Whether a finite verb follows words[k] in its clause: an auxiliary, or a verb right after
  /// a comma ("Andreotti, accused of ..., begins"); not one behind "that", "which", ...
  [[nodiscard]] bool finite_follows(const tokens& toks, const std::vector<std::size_t>& words,
                                    std::size_t k) const;
  /// Whether a finite auxiliary (be, have, a modal) follows `verb` right after a comma in its
  /// clause, with no word between that opens a clause of its own ("that", "which").
  [[nodiscard]] bool auxiliary_after_comma(const tokens& toks, const std::vector<std::size_t>& at,
                                           std::size_t verb) const;
  /// Whether, between the subject and the finite verb of a linkage, a past form is followed by
  /// "that" and a word that opens a clause (a name, a pronoun, a determiner): the verb found is
  /// then the complement's, and the past form the main verb the parse missed.
  [[nodiscard]] bool complement_between(const tokens& toks, const std::vector<std::size_t>& at,
                                        std::size_t subject, std::size_t finite) const;
  /// Whether the finite verb at `finite` is a present form SemCor knows mostly as a noun.
  [[nodiscard]] bool nominal_reading(const tokens& toks, std::size_t finite) const;
  /// When the clause's verb is a past or participle form of a verb that needs an object, with
  /// none after it (the clause ends, or the agent's "by" follows), so that it is a participle:
  /// the word before it, past adverbs ("miller" in "Village miller murdered.", "felt" in "She
  /// felt utterly betrayed."); else npos.
  [[nodiscard]] std::size_t objectless_participle(const tokens& toks,
                                                  const std::vector<std::size_t>& at,
                                                  const clause_analysis& a) const;
  void attract_to_auxiliary(const tokens& toks, const std::vector<std::size_t>& at,
                            clause_analysis& a) const;
  struct impl;
  std::unique_ptr<impl> impl_;
  std::shared_ptr<const lexicon> lex_;
  parser_settings settings_;
};

/// Verbs that report speech ("said", "asked"): with a quotation they take "never".
bool is_speech_verb(std::string_view lower_word);

/// Words the rules treat as adverbs between an auxiliary and its verb.
bool is_adverb(const token& t);

}  // namespace textkit::negate
