#include "negator.h"

#include <algorithm>
#include <array>
#include <optional>

namespace textkit::negate {
namespace {

bool one_of(std::string_view w, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

bool is_word(const token& t) { return t.kind == token_kind::word && !t.text.empty(); }
bool is_not(const token& t) {
  const std::string w = normal_clitic(t.text);
  return w == "not" || w == "n't";
}

/// Adverbs that a negation placed before the verb takes into its scope ("did not always go",
/// "did not completely ignore"); other adverbs stay before it ("really did not like").
bool scoped_adverb(const token& t) {
  return one_of(t.lower(),
                {"always", "usually", "often", "frequently", "completely", "fully", "immediately",
                 "instantly", "suddenly", "entirely", "necessarily", "mostly", "ever", "generally",
                 "quite", "totally", "wholly", "altogether"});
}

/// Adverbs that say how sure the speaker is of the whole statement: after an auxiliary they
/// stay before the negation ("will certainly not go"; "will not certainly go" doubts instead).
bool epistemic_adverb(std::string_view w) {
  return one_of(w, {"certainly", "surely", "probably", "possibly", "apparently", "evidently",
                    "obviously", "clearly", "presumably", "definitely", "undoubtedly", "actually"});
}

/// A word that opens a clause of its own (an aside between commas holds none).
bool opens_clause_word(const token& t) {
  return one_of(t.lower(), {"that", "which", "who", "whom", "whose", "where", "when", "while", "if",
                            "because", "although", "though", "since", "until", "unless", "whether",
                            "what", "how", "why"});
}

bool frequency_adverb(const token& t) {
  return one_of(t.lower(), {"always", "usually", "often", "generally", "mostly"});
}

/// Whether a clause opens with a subordinator that is a preposition too ("before the late
/// 1980s", "after the storm"), so that it may open a phrase rather than a clause.
bool opens_with_preposition(const tokens& toks, const clause& c) {
  const auto first = std::find_if(c.at.begin(), c.at.end(),
                                  [&](std::size_t k) { return toks[k].kind == token_kind::word; });
  return first != c.at.end() &&
         one_of(toks[*first].lower(), {"before", "after", "since", "until", "till"});
}

/// "It was like hitting the jackpot": the -ing form after a form of "be" and "like", where the
/// clause says what a thing was like, or npos. Main-verb negation datasets negate that action
/// ("It was like not hitting the jackpot"), not the comparison.
std::size_t likened_action(const tokens& toks, const clause& c, const clause_analysis& a,
                           const lexicon& lex) {
  if (a.shape != clause_shape::statement) return npos;
  const auxiliary* aux = find_auxiliary(normal_clitic(toks[a.finite].lower()));
  if (aux == nullptr || !aux->is_be) return npos;
  const auto verb = std::find(c.at.begin(), c.at.end(), a.finite);
  auto k = verb == c.at.end() ? verb : verb + 1;
  while (k != c.at.end() && toks[*k].kind != token_kind::word) ++k;
  if (k == c.at.end() || !toks[*k].is("like")) return npos;
  ++k;
  if (k == c.at.end() || lex.form_of(toks[*k].lower()) != verb_form::ing) return npos;
  return *k;
}

/// Keeps a replacement's capital when it replaces a capitalised word.
std::string like_case(std::string_view original, std::string_view replacement) {
  if (!original.empty() && original[0] >= 'A' && original[0] <= 'Z')
    return upper_first(replacement);
  return std::string(replacement);
}

/// Edits to one sentence's tokens. Positions are indices at the time of the call; callers edit
/// from right to left so that earlier positions stay valid.
class editor {
 public:
  explicit editor(tokens& toks) : toks_(toks) {}

  void replace(std::size_t at, std::string_view text) {
    toks_[at].text = like_case(toks_[at].text, text);
  }
  /// A new word after `at`: joined ("n't", "not" of "cannot") or after a space.
  void insert_after(std::size_t at, std::string_view text, bool joined = false) {
    token t{std::string(text), joined ? "" : " ", token_kind::word};
    toks_.insert(toks_.begin() + static_cast<std::ptrdiff_t>(at + 1), std::move(t));
  }
  /// A new word before `at`, taking its place in the spacing.
  void insert_before(std::size_t at, std::string_view text) {
    token t{std::string(text), toks_[at].space, token_kind::word};
    toks_[at].space = " ";
    toks_.insert(toks_.begin() + static_cast<std::ptrdiff_t>(at), std::move(t));
  }
  void erase(std::size_t at) {
    if (at == 0 && at + 1 < toks_.size()) toks_[1].space = toks_[0].space;
    if (toks_[at].first && at + 1 < toks_.size()) toks_[at + 1].first = false;
    toks_.erase(toks_.begin() + static_cast<std::ptrdiff_t>(at));
  }

 private:
  tokens& toks_;
};

/// The clause's word positions after `from`, in order.
std::vector<std::size_t> words_after(const tokens& toks, const std::vector<std::size_t>& at,
                                     std::size_t from) {
  std::vector<std::size_t> out;
  for (std::size_t i : at) {
    if (i > from && is_word(toks[i])) out.push_back(i);
  }
  return out;
}

std::vector<std::size_t> words_before(const tokens& toks, const std::vector<std::size_t>& at,
                                      std::size_t until) {
  std::vector<std::size_t> out;
  for (std::size_t i : at) {
    if (i < until && is_word(toks[i])) out.push_back(i);
  }
  return out;
}

/// The clause's first word that is not a conjunction.
std::optional<std::size_t> clause_head(const tokens& toks, const std::vector<std::size_t>& at) {
  for (std::size_t i : at) {
    if (!is_word(toks[i])) continue;
    if (one_of(toks[i].lower(), {"and", "but", "or", "so", "yet", "then"})) continue;
    return i;
  }
  return std::nullopt;
}

/// Where a clause's own words end: before its trailing punctuation (the place for "at least
/// once").
std::size_t clause_last_word(const tokens& toks, const std::vector<std::size_t>& at) {
  std::size_t last = at.front();
  for (std::size_t i : at) {
    if (toks[i].kind != token_kind::punct) last = i;
  }
  return last;
}

class clause_negator {
 public:
  clause_negator(tokens& toks, const clause& c, const clause_analysis& a, const lexicon& lex,
                 const negate_settings& settings, bool story_opening)
      : toks_(toks),
        at_(c.at),
        a_(a),
        lex_(lex),
        settings_(settings),
        edit_(toks),
        story_opening_(story_opening) {}

  /// Negates the clause with one operator; false when it found nothing it can negate.
  bool run() {
    if (remove_negation()) return true;
    if (settings_.mode == logic_mode::logic && flip_quantifier()) return true;
    return negate_verb();
  }

  std::vector<std::string> rules;

 private:
  [[nodiscard]] bool logic() const { return settings_.mode == logic_mode::logic; }
  [[nodiscard]] std::string lower(std::size_t i) const { return toks_[i].lower(); }

  /// The negation that already belongs to the finite verb: "n't"/"not"/"no" after it (past an
  /// inverted pronoun subject and adverbs), or "never" around it.
  struct found_negation {
    std::size_t not_at = npos;
    std::size_t never_at = npos;
  };
  found_negation find_negation() const {
    found_negation found;
    const std::size_t f = a_.finite;
    const std::vector<std::size_t> after = words_after(toks_, at_, f);
    const bool aux = find_auxiliary(normal_clitic(lower(f))) != nullptr;
    int pronouns = 0;
    for (std::size_t k = 0; k < after.size() && k < 5; ++k) {
      const token& t = toks_[after[k]];
      const std::string w = normal_clitic(t.text);
      if (w == "n't" || w == "not" ||
          (aux && k == 0 && w == "no" && after.size() > 1 &&
           lex_.form_of(lower(after[1])) == verb_form::base)) {
        found.not_at = after[k];
        return found;
      }
      if (w == "never") {
        found.never_at = after[k];
        return found;
      }
      if (is_adverb(t)) continue;
      if (aux && pronouns == 0 &&
          one_of(w, {"i", "you", "he", "she", "it", "we", "they", "there"})) {
        ++pronouns;
        continue;
      }
      break;
    }
    const std::vector<std::size_t> before = words_before(toks_, at_, f);
    for (auto it = before.rbegin(); it != before.rend(); ++it) {
      if (lower(*it) == "never") {
        found.never_at = *it;
        break;
      }
      if (!is_adverb(toks_[*it])) break;
    }
    return found;
  }

  bool remove_negation() {
    const std::size_t f = a_.finite;
    const found_negation neg = find_negation();
    if (neg.not_at != npos) {
      un_negate_auxiliary(f, neg.not_at);
      return true;
    }
    if (neg.never_at != npos) {
      const bool deontic = neg.never_at > f && one_of(lower(f), {"should", "must", "ought"});
      if (logic() && deontic) {
        if (lower(f) == "ought" && neg.never_at + 1 < toks_.size() &&
            toks_[neg.never_at + 1].is("to"))
          edit_.erase(neg.never_at + 1);
        edit_.erase(neg.never_at);
        edit_.replace(f, "may");
        rules.emplace_back("should never -> may");
      } else if (logic()) {
        edit_.insert_after(clause_last_word(toks_, at_), "at least once");
        edit_.erase(neg.never_at);
        rules.emplace_back("never -> at least once");
      } else {
        edit_.erase(neg.never_at);
        rules.emplace_back("never removed");
      }
      return true;
    }
    return un_negate_quantifier();
  }

  /// "did not go" -> "went", "is not" -> "is", "cannot" -> "can", "Don't you know" -> "Do you
  /// know".
  void un_negate_auxiliary(std::size_t f, std::size_t not_at) {
    const auxiliary* aux = find_auxiliary(normal_clitic(lower(f)));
    const std::vector<std::size_t> after = words_after(toks_, at_, not_at);
    std::size_t verb = npos;
    for (std::size_t i : after) {
      if (is_adverb(toks_[i])) continue;
      if (lex_.form_of(lower(i)) == verb_form::base) verb = i;
      break;
    }
    const bool do_support =
        aux && aux->is_do && verb != npos &&
        (a_.shape == clause_shape::statement || a_.shape == clause_shape::imperative) &&
        (not_at == f + 1);
    if (!do_support) {
      // "You oughtn't do it" -> "You ought to do it".
      if (lower(f) == "ought" && verb != npos && !toks_[not_at + 1].is("to"))
        edit_.insert_after(not_at, "to");
      edit_.erase(not_at);
      rules.emplace_back("double negation: " + normal_clitic(toks_[f].text) + " not -> " +
                         normal_clitic(toks_[f].text));
      return;
    }
    const std::string base = lex_.verb_base(lower(verb));
    const std::string did = lower(f);
    std::string form = base;
    if (a_.shape != clause_shape::imperative) {
      if (did == "did") form = lex_.past_of(base);
      if (did == "does") form = lexicon::third_person_of(base);
    }
    rules.emplace_back("double negation: " + did + " not " + base + " -> " + form);
    edit_.replace(verb, form);
    edit_.erase(not_at);
    edit_.erase(f);
  }

  /// "Nobody came" -> "Somebody came", "He saw nothing" -> "He saw something". In verb mode a
  /// negative subject ("Nobody complains") is left to the verb, as main-verb negation does:
  /// "Nobody does not complain".
  bool un_negate_quantifier() {
    const auto head = clause_head(toks_, at_);
    std::vector<std::size_t> candidates;
    if (head && *head < a_.finite && logic()) candidates.push_back(*head);
    for (std::size_t i : words_after(toks_, at_, a_.finite)) candidates.push_back(i);
    for (std::size_t i : candidates) {
      const std::string w = lower(i);
      std::string_view to;
      if (w == "nobody")
        to = "somebody";
      else if (w == "nothing")
        to = "something";
      else if (w == "none")
        to = "some";
      else if (w == "nowhere")
        to = "somewhere";
      else if (w == "no" && i + 1 < toks_.size() && is_word(toks_[i + 1]) &&
               !one_of(toks_[i + 1].lower(), {"longer", "more", "less", "doubt", "matter"})) {
        if (toks_[i + 1].is("one")) {
          edit_.erase(i + 1);
          to = "someone";
        } else {
          to = "some";
        }
      }
      if (to.empty()) continue;
      rules.emplace_back("double negation: " + w + " -> " + std::string(to));
      edit_.replace(i, to);
      return true;
    }
    return false;
  }

  /// Universal and existential subjects: "All wolves lie" -> "Not all wolves lie", "Some
  /// wolves lie" -> "No wolves lie"; comparatives: "more than" -> "at most".
  bool flip_quantifier() {
    const auto head = clause_head(toks_, at_);
    if (head && *head < a_.finite && a_.shape == clause_shape::statement) {
      const std::string w = lower(*head);
      if (one_of(w, {"all", "every", "everybody", "everyone", "everything"})) {
        edit_.insert_before(*head, "not");
        rules.emplace_back("quantifier: " + w + " -> not " + w);
        return true;
      }
      std::string_view to;
      if (w == "some") to = *head + 1 < toks_.size() && toks_[*head + 1].is("of") ? "none" : "no";
      if (w == "somebody") to = "nobody";
      if (w == "someone") to = "no one";
      if (w == "something") to = "nothing";
      if (!to.empty()) {
        edit_.replace(*head, to);
        rules.emplace_back("quantifier: " + w + " -> " + std::string(to));
        return true;
      }
    }
    const std::vector<std::size_t> after = words_after(toks_, at_, a_.finite);
    for (std::size_t k = 0; k + 1 < after.size(); ++k) {
      const std::string w = lower(after[k]);
      const std::string next = lower(after[k + 1]);
      if (after[k + 1] != after[k] + 1) continue;
      std::string_view first;
      std::string_view second;
      if (next == "than" && w == "more")
        first = "at", second = "most";
      else if (next == "than" && (w == "less" || w == "fewer"))
        first = "at", second = "least";
      else if (w == "at" && next == "least")
        first = "less", second = "than";
      else if (w == "at" && next == "most")
        first = "more", second = "than";
      if (first.empty()) continue;
      if (k > 0 && one_of(lower(after[k - 1]), {"no", "not", "much", "even"})) return false;
      edit_.replace(after[k + 1], second);
      edit_.replace(after[k], first);
      rules.emplace_back("comparative: " + w + " " + next + " -> " + std::string(first) + " " +
                         std::string(second));
      return true;
    }
    return false;
  }

  /// The first word after `from` in the clause that is not an adverb.
  std::size_t next_non_adverb(std::size_t from) const {
    for (std::size_t i : words_after(toks_, at_, from)) {
      if (!is_adverb(toks_[i])) return i;
    }
    return npos;
  }

  /// Whether a have/has/had, do/does/did, need or dare at `f` is an auxiliary here.
  bool acts_as_auxiliary(std::size_t f, const auxiliary& aux) const {
    const std::string w = normal_clitic(lower(f));
    if (w.starts_with("'")) return true;
    const std::size_t next = next_non_adverb(f);
    const std::string n = next == npos ? "" : lower(next);
    const verb_form form = next == npos ? verb_form::unknown : lex_.form_of(n);
    if (aux.is_have) {
      if (n == "been" || n == "got") return true;
      return form == verb_form::participle || form == verb_form::past_or_participle;
    }
    if (aux.is_do) {
      if (next == npos) return true;  // "I do."
      return form == verb_form::base && !one_of(n, {"that", "this", "it", "so", "the"});
    }
    if (w == "need" || w == "dare") return form == verb_form::base && n != "to";
    return true;
  }

  /// "'s" as "has" or "is"; "'d" as "had" or "would".
  std::string expand_clitic(std::size_t f) const {
    const std::string w = normal_clitic(lower(f));
    const std::size_t next = next_non_adverb(f);
    const std::string n = next == npos ? "" : lower(next);
    const verb_form form = next == npos ? verb_form::unknown : lex_.form_of(n);
    const bool participle = form == verb_form::participle ||
                            (form == verb_form::past_or_participle && n != "determined");
    if (w == "'s") {
      if (a_.perfect || n == "been" || n == "got") return "has";
      const std::size_t after = next == npos ? npos : next_non_adverb(next);
      const bool object =
          after != npos && one_of(lower(after), {"it", "that", "this", "the", "a", "an", "them",
                                                 "him", "her", "me", "us", "you", "his", "my"});
      return participle && object ? "has" : "is";
    }
    if (w == "'d") return a_.perfect || participle || n == "been" ? "had" : "would";
    if (w == "'m") return "am";
    if (w == "'re") return "are";
    if (w == "'ve") return "have";
    if (w == "'ll") return "will";
    return w;
  }

  /// '"Go," said her mother': a verb right after a quotation, its subject after it.
  /// Also '"Go," she said': the clause opens with the quotation.
  bool after_quotation(std::size_t f) const {
    for (std::size_t i = f; i-- > 0;) {
      if (toks_[i].kind == token_kind::quote) return true;
      if (toks_[i].kind != token_kind::punct) break;
    }
    const auto first = std::find_if(
        at_.begin(), at_.end(), [&](std::size_t i) { return toks_[i].kind != token_kind::punct; });
    return first != at_.end() && toks_[*first].kind == token_kind::quote && *first < f &&
           f - *first <= 5;
  }

  /// Whether a participle follows the word at `f`, past adverbs ("having slashed", "being
  /// told"): then `f` is an auxiliary.
  bool participle_after(std::size_t f) const {
    const std::size_t next = next_non_adverb(f);
    if (next == npos) return false;
    const verb_form form = lex_.form_of(lower(next));
    return form == verb_form::participle || form == verb_form::past_or_participle ||
           lower(next) == "been";
  }

  bool negate_verb() {
    const std::size_t f = a_.finite;
    const std::string w = normal_clitic(lower(f));
    if (after_quotation(f) && find_auxiliary(w) == nullptr && is_speech_verb(w)) {
      edit_.insert_before(f, "never");
      rules.emplace_back("speech: " + w + " -> never " + w);
      return true;
    }
    switch (a_.shape) {
      case clause_shape::nonfinite:
        // "not negating" -> "negating", "to not negate" -> "to negate".
        if (f > 0 && toks_[f - 1].is("not")) {
          edit_.erase(f - 1);
          rules.emplace_back("double negation: not " + w + " -> " + w);
          return true;
        }
        adjust_after_verb(f, "");
        if (one_of(w, {"having", "being"}) && participle_after(f)) {
          edit_.insert_after(f, "not");  // "having not slashed"
        } else {
          edit_.insert_before(f, "not");
        }
        rules.emplace_back("non-finite: not " + w);
        return true;
      case clause_shape::quotative:
        edit_.insert_before(f, "never");
        rules.emplace_back("speech: " + w + " -> never " + w);
        return true;
      case clause_shape::imperative:
        edit_.insert_before(f, settings_.contractions ? "don't" : "do not");
        rules.emplace_back("imperative: do not " + w);
        return true;
      default:
        break;
    }
    const auxiliary* aux = find_auxiliary(w);
    const bool used_to = w == "used" && f + 1 < toks_.size() && toks_[f + 1].is("to");
    // "Little did I know": an auxiliary, a pronoun subject, then the verb.
    const std::size_t after_aux = aux ? next_non_adverb(f) : npos;
    const std::size_t after_subject = after_aux == npos ? npos : next_non_adverb(after_aux);
    const bool inverted_statement =
        after_subject != npos && f + 1 == after_aux &&
        one_of(lower(after_aux), {"i", "you", "he", "she", "it", "we", "they"}) &&
        lex_.form_of(lower(after_subject)) == verb_form::base;
    if (inverted_statement) {
      clause_analysis question = a_;
      question.shape = clause_shape::question;
      question.subject = after_aux;
      const clause same{at_, true};  // named: clause_negator keeps a reference to its tokens
      clause_negator inner(toks_, same, question, lex_, settings_, false);
      inner.negate_auxiliary(f, *aux);
      rules = inner.rules;
      return true;
    }
    const bool inverted = a_.shape == clause_shape::question;
    if (aux && (inverted || acts_as_auxiliary(f, *aux)) && !used_to) {
      if (logic() && aux->is_be && de_morgan_adjectives(f)) return true;
      if (!logic() && !inverted && always_in_perfect(f, *aux)) {
        // "I've always had a wish" -> "I've never had a wish": main-verb negation datasets
        // write the perfect with "always" this way (twice out of twice in the development
        // half), where the verb alone would read "have not always had".
        edit_.replace(f + 1, "never");
        rules.emplace_back("verb mode: " + w + " always -> " + w + " never");
        return true;
      }
      adjust_after_verb(f, "");
      negate_auxiliary(f, *aux);
      return true;
    }
    return do_support(f, used_to ? "use" : "");
  }

  /// "has always been", "'ve always wanted": a perfect with "always" between.
  bool always_in_perfect(std::size_t f, const auxiliary& aux) const {
    const std::string w = normal_clitic(lower(f));
    if (!aux.is_have && w != "'s" && w != "'d") return false;
    if (f + 2 >= toks_.size() || !toks_[f + 1].is("always") || !is_word(toks_[f + 2])) return false;
    const verb_form form = lex_.form_of(lower(f + 2));
    return form == verb_form::participle || form == verb_form::past_or_participle;
  }

  void negate_auxiliary(std::size_t f, const auxiliary& aux) {
    const std::string w = normal_clitic(lower(f));
    if (a_.shape == clause_shape::question) {
      if (settings_.contractions && !aux.contracted.empty() && !w.starts_with("'")) {
        edit_.insert_after(f, "n't", true);
      } else {
        // "Are the children not going?": before the verb that follows the subject.
        std::size_t place = npos;
        const std::size_t from = a_.subject != npos && a_.subject > f ? a_.subject : f + 1;
        for (std::size_t i : words_after(toks_, at_, from)) {
          const verb_form form = lex_.form_of(lower(i));
          if (form != verb_form::unknown && form != verb_form::third_person &&
              !is_adverb(toks_[i])) {
            place = i;
            break;
          }
          if (!is_adverb(toks_[i]) && form == verb_form::unknown) break;
        }
        if (place != npos) {
          edit_.insert_before(place, "not");
        } else {
          edit_.insert_after(from <= f + 1 ? f + 1 : from, "not");
        }
      }
      rules.emplace_back("question: " + w + " ... not");
      return;
    }
    if (w.starts_with("'")) {
      const std::string full = expand_clitic(f);
      if (w == "'m") {
        if (!settings_.contractions) {
          toks_[f].text = "am";
          toks_[f].space = " ";
        }
        edit_.insert_after(f, "not");
      } else if (settings_.contractions) {
        const auxiliary* expanded = find_auxiliary(full);
        toks_[f].text = std::string(expanded && !expanded->contracted.empty()
                                        ? expanded->contracted
                                        : std::string_view(full + " not"));
        toks_[f].space = " ";
      } else {
        toks_[f].text = full;
        toks_[f].space = " ";
        edit_.insert_after(f, "not");
      }
      rules.emplace_back("auxiliary: " + w + " -> " + full + " not");
      return;
    }
    // "would've" -> "would not have": the clitic cannot follow the negation.
    if (f + 1 < toks_.size() && toks_[f + 1].space.empty() && toks_[f + 1].is("'ve")) {
      toks_[f + 1].text = "have";
      toks_[f + 1].space = " ";
    }
    if (f + 1 < toks_.size() && std::find(at_.begin(), at_.end(), f + 1) != at_.end() &&
        epistemic_adverb(toks_[f + 1].lower())) {
      // "will certainly go" -> "will certainly not go", contracted or not: the adverb is
      // outside the negation's scope.
      edit_.insert_after(f + 1, "not");
      rules.emplace_back("auxiliary: " + w + " " + toks_[f + 1].lower() + " not");
      return;
    }
    if (settings_.contractions && !aux.contracted.empty()) {
      edit_.insert_after(f, "n't", true);
    } else if (w == "can") {
      edit_.insert_after(f, "not", true);
    } else {
      edit_.insert_after(f, "not");
    }
    rules.emplace_back("auxiliary: " + w + " -> " + std::string(aux.uncontracted));
  }

  /// "went" -> "did not go", "likes" -> "does not like"; "there lived" -> "there never lived".
  bool do_support(std::size_t f, std::string base) {
    const std::string w = lower(f);
    if (base.empty()) base = lex_.verb_base(w);
    if (base.empty()) return false;
    const verb_form form = lex_.form_of(w);
    const bool existential = a_.subject != npos && toks_[a_.subject].is("there") && a_.subject < f;
    if ((existential &&
         (a_.past || form == verb_form::past || form == verb_form::past_or_participle)) ||
        story_opening_) {
      adjust_after_verb(f, "");
      edit_.insert_before(f, "never");
      rules.emplace_back("existence: there " + w + " -> there never " + w);
      return true;
    }
    std::string_view auxiliary = "do";
    if (w != base && w == lexicon::third_person_of(base)) {
      auxiliary = "does";
    } else if (a_.past || form == verb_form::past || form == verb_form::past_or_participle) {
      auxiliary = "did";
    } else if (a_.subject != npos && a_.subject < f &&
               one_of(lower(a_.subject), {"he", "she", "it"})) {
      auxiliary = "does";  // "He call Francisco" -> "He does not call Francisco"
    }
    const bool either = adjust_after_verb(f, auxiliary);
    std::size_t place = f;
    for (const std::vector<std::size_t> before = words_before(toks_, at_, f);
         const std::size_t i : std::vector<std::size_t>(before.rbegin(), before.rend())) {
      if (i + 1 != place || !scoped_adverb(toks_[i])) break;
      // Main-verb negation leaves a frequency adverb before the negation ("I always do not go
      // there"), as the Python package negate and Hossain's annotators do.
      if (!logic() && frequency_adverb(toks_[i])) break;
      place = i;
    }
    edit_.replace(f, base);
    if (toks_[f].first) toks_[f].text = lower_first(toks_[f].text);
    if (settings_.contractions) {
      edit_.insert_before(place, std::string(auxiliary));
      edit_.insert_after(place, "n't", true);
    } else {
      edit_.insert_before(place, std::string(auxiliary) + " not");
    }
    if (either) edit_.insert_before(place, "either");
    rules.emplace_back("do-support: " + w + " -> " + std::string(auxiliary) + " not " + base);
    return true;
  }

  /// Inside the negated predicate: "some" becomes "any" and, by De Morgan, "and" between two
  /// verbs becomes "or" (after do-support the second verb takes the base form too).
  /// `do_aux` ("did", "does", "do") is set after do-support; returns true when it split a
  /// coordination into "either did not A or did not B".
  bool adjust_after_verb(std::size_t f, std::string_view do_aux) {
    const bool base_forms = !do_aux.empty();
    bool either = false;
    const std::vector<std::size_t> after = words_after(toks_, at_, f);
    // Right to left, so that the positions stay valid.
    for (auto it = after.rbegin(); it != after.rend(); ++it) {
      const std::size_t i = *it;
      const std::string w = lower(i);
      // Verb mode negates one verb: "prohibits or restricts the use" (verbs sharing their
      // object) becomes "does not prohibit or restrict the use", but a second predicate with
      // its own complement ("joined them and headed south") is left as it is.
      if ((w == "and" || w == "or") && !logic() && next_non_adverb(f) != i) continue;
      if ((w == "and" || w == "or") && i + 1 < toks_.size() && is_word(toks_[i + 1])) {
        const std::string next = toks_[i + 1].lower();
        const verb_form form = lex_.form_of(next);
        const verb_form main_form = lex_.form_of(lower(f));
        const bool same_kind =
            base_forms && !find_auxiliary(next) && form != verb_form::unknown &&
            form != verb_form::ing && form != verb_form::base && main_form != verb_form::base &&
            (form == main_form ||
             (form != verb_form::third_person && main_form != verb_form::third_person)) &&
            // "types and ranges": a plural noun, not a verb
            (form != verb_form::third_person || !lex_.is_noun_lemma(lex_.verb_base(next)));
        if (same_kind) {
          edit_.replace(i + 1, lex_.verb_base(next));
          if (!logic() && w == "and" && lex_.needs_object(lex_.verb_base(lower(f)))) {
            // "prohibits and restricts the use": two verbs sharing one object, denied together
            // ("does not prohibit or restrict the use"), as the Python package negate writes.
            edit_.replace(i, "or");
            rules.emplace_back("verb mode: shared object, A and B -> not A or B");
          }
          if (logic() && w == "and" && !either) {
            // not (A and B) = not A or not B; "did not A or B" would say neither.
            edit_.replace(i, "or");
            if (settings_.contractions) {
              edit_.insert_before(i + 1, std::string(do_aux));
              edit_.insert_after(i + 1, "n't", true);
            } else {
              edit_.insert_before(i + 1, std::string(do_aux) + " not");
            }
            either = true;
            rules.emplace_back("De Morgan: A and B -> either not A or not B");
          }
        }
        continue;
      }
      if (!logic()) continue;
      std::string_view to;
      if (w == "some")
        to = "any";
      else if (w == "somebody")
        to = "anybody";
      else if (w == "someone")
        to = "anyone";
      else if (w == "something")
        to = "anything";
      else if (w == "somewhere")
        to = "anywhere";
      if (to.empty()) continue;
      edit_.replace(i, to);
      rules.emplace_back("polarity: " + w + " -> " + std::string(to));
    }
    return either;
  }

  /// "was little and kind" -> "was either big or not kind" (De Morgan, with WordNet antonyms).
  bool de_morgan_adjectives(std::size_t f) {
    const std::size_t a1 = next_non_adverb(f);
    if (a1 == npos || a1 + 2 >= toks_.size() || !toks_[a1 + 1].is("and") || !is_word(toks_[a1 + 2]))
      return false;
    const std::size_t a2 = a1 + 2;
    if (std::find(at_.begin(), at_.end(), a2) == at_.end()) return false;
    const std::string ant1 = settings_.antonyms ? lex_.antonym_of(lower(a1)) : "";
    const std::string ant2 = settings_.antonyms ? lex_.antonym_of(lower(a2)) : "";
    // Only when WordNet knows one of them as an adjective: then both are read as adjectives.
    if (lex_.antonym_of(lower(a1)).empty() && lex_.antonym_of(lower(a2)).empty()) return false;
    if (lex_.form_of(lower(a1)) != verb_form::unknown && lex_.antonym_of(lower(a1)).empty())
      return false;
    if (ant2.empty()) {
      edit_.insert_before(a2, "not");
    } else {
      edit_.replace(a2, ant2);
    }
    edit_.replace(a1 + 1, "or");
    if (ant1.empty()) {
      edit_.insert_before(a1, "not");
    } else {
      edit_.replace(a1, ant1);
    }
    std::size_t first = a1;
    while (first > f + 1 && is_adverb(toks_[first - 1])) --first;
    edit_.insert_before(first, "either");
    rules.emplace_back("De Morgan: A and B -> either not-A or not-B");
    if (!ant1.empty() || !ant2.empty()) rules.emplace_back("antonym (WordNet)");
    return true;
  }

  tokens& toks_;
  const std::vector<std::size_t>& at_;
  const clause_analysis& a_;
  const lexicon& lex_;
  const negate_settings& settings_;
  editor edit_;
  bool story_opening_;
};

/// The sentence's words as a Title Case line without final punctuation ("The Fox and the Crow").
bool looks_like_title(const tokens& toks) {
  int words = 0;
  for (const token& t : toks) {
    if (t.kind == token_kind::punct && !t.text.empty() &&
        one_of(t.text, {".", "!", "?", "...", ";", ","}))
      return false;
    if (!is_word(t)) continue;
    ++words;
    const bool small = one_of(t.lower(), {"the", "a", "an", "and", "or", "of", "in", "on", "to",
                                          "with", "at", "for", "who", "by"});
    if (!small && !(t.text[0] >= 'A' && t.text[0] <= 'Z')) return false;
  }
  return words > 0 && words <= 12;
}

void mark_first(tokens& toks) {
  for (token& t : toks) {
    if (is_word(t) || t.kind == token_kind::quote) {
      t.first = t.kind == token_kind::word;
      return;
    }
  }
}

/// Moves the capital to the new first word when a rule put a word before the old one.
void fix_capital(tokens& toks, const lexicon& lex) {
  for (std::size_t i = 0; i < toks.size(); ++i) {
    token& t = toks[i];
    if (t.kind == token_kind::quote) return;
    if (!is_word(t)) continue;
    if (t.first) return;
    t.text = upper_first(t.text);
    for (std::size_t j = i + 1; j < toks.size(); ++j) {
      if (!toks[j].first) continue;
      const std::string lower = to_lower(toks[j].text);
      const bool common =
          !lex.verb_base(lower).empty() || lex.is_noun_lemma(lower) ||
          one_of(lower, {"all", "every", "everybody", "everyone", "everything", "some", "the", "a",
                         "there", "you", "he", "she", "it", "we", "they", "this", "that"});
      if (common) toks[j].text = lower_first(toks[j].text);
      toks[j].first = false;
      break;
    }
    return;
  }
}

}  // namespace

negator::negator(std::shared_ptr<const lexicon> lex, negate_settings settings,
                 parser_settings parsing)
    : lex_(std::move(lex)), settings_(settings), parser_(lex_, parsing) {}

sentence_result negator::negate_sentence(std::string_view sentence) {
  return negate_sentence_at(sentence, 0);
}

text_result negator::negate_text(std::string_view text) { return negate_text_at(text, 0); }

text_result negator::negate_text_at(std::string_view text, int depth) {
  text_result out;
  for (const auto& [begin, end] : splitter_.split(text)) {
    std::string_view piece = text.substr(begin, end - begin);
    std::size_t core_end = piece.size();
    while (core_end > 0 && (piece[core_end - 1] == ' ' || piece[core_end - 1] == '\n' ||
                            piece[core_end - 1] == '\t' || piece[core_end - 1] == '\r'))
      --core_end;
    std::size_t core_begin = 0;
    while (core_begin < core_end && (piece[core_begin] == ' ' || piece[core_begin] == '\n' ||
                                     piece[core_begin] == '\t' || piece[core_begin] == '\r'))
      ++core_begin;
    out.text += piece.substr(0, core_begin);
    // per: record: one negation per record, in its first sentence that can be negated; the
    // sentences after it are kept ("X is founded. In 1877 its name was changed." negates X).
    const bool negated_before =
        settings_.per == per_mode::record && depth == 0 &&
        std::any_of(out.sentences.begin(), out.sentences.end(),
                    [](const sentence_result& r) { return r.text != r.original; });
    if (core_end > core_begin && negated_before) {
      sentence_result kept;
      kept.original = std::string(piece.substr(core_begin, core_end - core_begin));
      kept.text = kept.original;
      kept.analysed_by = "kept";
      out.text += kept.text;
      out.sentences.push_back(std::move(kept));
    } else if (core_end > core_begin) {
      sentence_result r =
          negate_sentence_at(piece.substr(core_begin, core_end - core_begin), depth);
      out.text += r.text;
      out.sentences.push_back(std::move(r));
    }
    out.text += piece.substr(std::max(core_begin, core_end));
  }
  return out;
}

std::optional<std::pair<clause, clause_analysis>> negator::complement_of(const tokens& toks,
                                                                         const clause& c,
                                                                         const clause_analysis& a) {
  // Main-verb negation datasets negate what is said or believed ("She thinks they do not need
  // more research"): the complement clause, when the report verb is affirmative.
  if (a.shape != clause_shape::statement) return std::nullopt;
  const std::string base = lex_->verb_base(toks[a.finite].lower());
  // Verbs of thinking, believing and saying. Not the verbs that present evidence (show,
  // suggest, indicate, report, note): with those the annotators of Hossain's pairs negated the
  // verb ("The study does not show that ..."), 5 times out of 5 in the development half.
  if (!one_of(base, {"think", "believe",  "suppose",  "expect", "feel",    "hope",
                     "find",  "estimate", "conclude", "say",    "claim",   "know",
                     "warn",  "announce", "realize",  "argue",  "predict", "insist",
                     "agree", "assume",   "surmise",  "reckon", "imagine", "guess"}))
    return std::nullopt;
  const auto verb = std::find(c.at.begin(), c.at.end(), a.finite);
  if (verb == c.at.end() || verb + 1 == c.at.end()) return std::nullopt;
  for (auto k = c.at.begin(); k != verb; ++k) {
    if (is_not(toks[*k]) || toks[*k].is("never")) return std::nullopt;
  }
  // ", therefore, that" and "that, under some circumstances,": a short aside between commas
  // before or after "that" is skipped.
  const auto past_aside = [&](auto at) {
    if (at == c.at.end() || !toks[*at].is(",")) return at;
    for (auto k = at + 1; k != c.at.end() && k - at <= 6; ++k) {
      if (toks[*k].is(",")) return k + 1;
      if (toks[*k].kind != token_kind::word || opens_clause_word(toks[*k])) return at;
    }
    return at;
  };
  auto from = past_aside(verb + 1);
  if (from != c.at.end() && toks[*from].is("that")) from = past_aside(from + 1);
  if (from == c.at.end() || toks[*from].kind != token_kind::word) return std::nullopt;
  // "said during a funeral held for ...": a prepositional phrase, not a clause.
  if (one_of(toks[*from].lower(), {"during", "in", "on", "at", "after", "before", "for", "with",
                                   "by", "from", "to", "of", "about", "over", "under", "since"}))
    return std::nullopt;
  clause inner{std::vector<std::size_t>(from, c.at.end()), true};
  // A complement that is negative already leaves the sentence affirmative: the report verb is
  // what gets negated ("agreed that Iran should not have" -> "did not agree that ...").
  if (std::any_of(inner.at.begin(), inner.at.end(),
                  [&](std::size_t k) { return is_not(toks[k]) || toks[k].is("never"); }))
    return std::nullopt;
  clause_analysis found = parser_.analyse(toks, inner.at);
  if (!found.ok || found.shape != clause_shape::statement || found.subject == npos)
    return std::nullopt;
  // The complement's verb belongs to a clause that starts right after the report verb: not to
  // one that a subordinator opens further on ("realized a lot of things as we traveled").
  for (std::size_t k : inner.at) {
    if (k >= found.finite) break;
    if (k > inner.at.front() &&
        one_of(toks[k].lower(),
               {"as",      "when",  "while",  "because", "if",     "who",   "which",
                "that",    "where", "before", "after",   "since",  "until", "although",
                "whether", "what",  "how",    "why",     "unless", "once"}))
      return std::nullopt;
  }
  return std::make_pair(std::move(inner), std::move(found));
}

sentence_result negator::negate_sentence_at(std::string_view sentence, int depth) {
  sentence_result result;
  result.original = std::string(sentence);
  result.text = result.original;
  tokens toks = tokenize(sentence);
  mark_first(toks);
  if (std::none_of(toks.begin(), toks.end(), is_word)) return result;

  if (settings_.scope == scope_mode::story && depth == 0) {
    const auto first = std::find_if(toks.begin(), toks.end(), is_word);
    if (looks_like_title(toks)) {
      if (first->is("by")) {
        first->text = "by";
        token not_token{"Not", first->space, token_kind::word};
        first->space = " ";
        toks.insert(first, not_token);
        result.rules.emplace_back("story: byline -> Not by");
      } else {
        first->text = lower_first(first->text);
        token not_token{"Not", first->space, token_kind::word};
        first->space = " ";
        toks.insert(first, not_token);
        result.rules.emplace_back("story: title -> Not ...");
      }
      result.text = render(toks);
      result.analysed_by = "story";
      return result;
    }
  }
  bool story_opening = false;
  if (settings_.scope == scope_mode::story && depth == 0 && toks.size() > 4 && toks[0].is("once") &&
      toks[1].is("upon") && toks[2].is("a") && toks[3].is("time")) {
    toks[0].text = "In";
    toks[1].text = "all";
    toks[2].text = "of";
    story_opening = true;
    result.rules.emplace_back("story: once upon a time -> in all of time");
  }

  const std::vector<clause> clauses = split_clauses(toks);
  struct planned {
    const clause* c;
    clause_analysis a;
  };
  std::vector<planned> mains;
  // "Before the late 1980's some nations gave land to companies slashing, burning, and ...": a
  // leading subordinator may open a phrase, not a clause, and the comma after it close an item
  // of a list. When what follows that comma has no finite verb, the two are read as one clause.
  std::optional<clause> rejoined;
  std::optional<clause> reporting;
  for (const clause& c : clauses) {
    if (!c.main) continue;
    clause_analysis a = parser_.analyse(toks, c.at);
    if (&c == &clauses[1] && !clauses[0].main && (!a.ok || a.shape == clause_shape::nonfinite) &&
        opens_with_preposition(toks, clauses[0])) {
      clause whole{clauses[0].at, true};
      whole.at.insert(whole.at.end(), c.at.begin(), c.at.end());
      clause_analysis joined = parser_.analyse(toks, whole.at);
      if (joined.ok && joined.shape != clause_shape::nonfinite) {
        rejoined = std::move(whole);
        mains.push_back({&*rejoined, std::move(joined)});
        continue;
      }
    }
    if (a.ok) mains.push_back({&c, std::move(a)});
  }
  if (mains.empty()) {
    // The speech before a reporting tail could not be analysed (an interjection, speech whose
    // opening quotation mark is in another record): the reporting clause is the assertion.
    // Its words after its last comma or quotation mark ("Daniel said meekly").
    for (const clause& c : clauses) {
      if (!c.reporting) continue;
      clause tail{{}, true};
      for (const std::size_t k : c.at) {
        const bool mark = toks[k].kind == token_kind::punct && toks[k].text != "." &&
                          toks[k].text != "!" && toks[k].text != "?" && !toks[k].text.empty();
        if (mark) {
          tail.at.clear();
          continue;
        }
        tail.at.push_back(k);
      }
      clause_analysis a = parser_.analyse(toks, tail.at);
      if (!a.ok || a.shape != clause_shape::statement) continue;
      reporting = std::move(tail);
      mains.push_back({&*reporting, std::move(a)});
      break;
    }
  }
  if (mains.empty()) {
    result.unanalysable = true;
    if (story_opening) result.rules.clear();
    return result;
  }
  if (settings_.mode == logic_mode::verb && mains.size() > 1) {
    // One verb per sentence: the first clause that is already negative, else the first.
    std::size_t pick = 0;
    for (std::size_t i = 0; i < mains.size(); ++i) {
      const clause& c = *mains[i].c;
      const bool negative = std::any_of(c.at.begin(), c.at.end(), [&](std::size_t k) {
        return is_not(toks[k]) || toks[k].is("never");
      });
      if (negative) {
        pick = i;
        break;
      }
    }
    mains = {mains[pick]};
  }
  std::vector<clause> complements;  // kept alive for the clause_negators below
  complements.reserve(mains.size());
  if (settings_.mode == logic_mode::verb) {
    for (planned& p : mains) {
      if (auto inner = complement_of(toks, *p.c, p.a)) {
        complements.push_back(std::move(inner->first));
        p = {&complements.back(), std::move(inner->second)};
        result.rules.emplace_back("verb mode: the complement of a verb of saying or believing");
      }
      if (const std::size_t action = likened_action(toks, *p.c, p.a, *lex_); action != npos) {
        p.a.shape = clause_shape::nonfinite;
        p.a.finite = action;
        result.rules.emplace_back("verb mode: the action after be like");
      }
    }
  }
  result.analysed_by = mains.front().a.by;
  // Right to left, so that the earlier clauses' positions stay valid.
  bool any = false;
  for (auto it = mains.rbegin(); it != mains.rend(); ++it) {
    clause_negator n(toks, *it->c, it->a, *lex_, settings_,
                     story_opening && it == mains.rend() - 1);
    if (!n.run()) continue;
    any = true;
    // Clauses run right to left: their rules go in front, so the list reads in text order.
    result.rules.insert(result.rules.begin(), n.rules.begin(), n.rules.end());
    // De Morgan between clauses: "A, and B" -> "not A, or not B".
    if (settings_.mode == logic_mode::logic && it != mains.rend() - 1) {
      const auto head = std::find_if(it->c->at.begin(), it->c->at.end(),
                                     [&](std::size_t k) { return is_word(toks[k]); });
      if (head != it->c->at.end() && (toks[*head].is("and") || toks[*head].is("but"))) {
        const std::string joined = toks[*head].lower();
        toks[*head].text = like_case(toks[*head].text, "or");
        result.rules.insert(result.rules.begin() + static_cast<std::ptrdiff_t>(n.rules.size()),
                            "De Morgan: clause " + joined + " -> or");
      }
    }
  }
  if (!any) {
    result.unanalysable = true;
    result.rules.clear();
    return result;
  }
  if (settings_.quotes == quote_mode::negate && depth == 0) {
    for (token& t : toks) {
      if (t.kind != token_kind::quote) continue;
      const std::size_t open = t.text[0] == '"' ? 1 : 3;
      const std::size_t close = t.text.back() == '"' ? 1 : 3;
      if (t.text.size() <= open + close) continue;
      const std::string inner = t.text.substr(open, t.text.size() - open - close);
      const text_result negated = negate_text_at(inner, depth + 1);
      if (negated.text == inner) continue;
      t.text = t.text.substr(0, open) + negated.text + t.text.substr(t.text.size() - close);
      result.rules.emplace_back("quote negated");
    }
  }
  fix_capital(toks, *lex_);
  result.text = render(toks);
  return result;
}

}  // namespace textkit::negate
