#include "tokens.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "lexicon.h"
#include "textkit/error.h"

namespace textkit::negate {
namespace {

constexpr std::string_view kOpenDouble = "\xE2\x80\x9C";   // “
constexpr std::string_view kCloseDouble = "\xE2\x80\x9D";  // ”
constexpr std::string_view kOpenSingle = "\xE2\x80\x98";   // ‘
constexpr std::string_view kCloseSingle = "\xE2\x80\x99";  // ’

constexpr std::array<std::string_view, 32> kAbbreviations = {
    "mr",  "mrs", "ms",  "dr",  "st",  "mt",  "jr",  "sr",   "vs",  "etc", "prof",
    "no",  "gen", "sen", "rep", "gov", "lt",  "col", "capt", "sgt", "rev", "hon",
    "jan", "feb", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov"};

// Titles before a name, beyond the abbreviations of ICU's "ss=standard" list.
constexpr std::array<std::string_view, 14> kTitles = {
    "st", "mt", "gen", "sen", "rep", "gov", "lt", "col", "capt", "sgt", "rev", "hon", "dr", "prof"};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/// Length of the UTF-8 sequence starting with `lead`.
std::size_t utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

/// Non-ASCII characters that are punctuation rather than letters: quotes, dashes, ellipsis.
bool is_unicode_punct(std::string_view s, std::size_t at) {
  if (at + 3 > s.size() || static_cast<unsigned char>(s[at]) != 0xE2 ||
      static_cast<unsigned char>(s[at + 1]) != 0x80)
    return false;
  const auto third = static_cast<unsigned char>(s[at + 2]);
  return (third >= 0x90 && third <= 0x9F) || third == 0xA6;
}

bool starts_with_at(std::string_view s, std::size_t at, std::string_view what) {
  return s.substr(at).starts_with(what);
}

bool apostrophe_at(std::string_view s, std::size_t at, std::size_t& width) {
  if (at < s.size() && s[at] == '\'') {
    width = 1;
    return true;
  }
  if (starts_with_at(s, at, kCloseSingle)) {
    width = 3;
    return true;
  }
  return false;
}

bool word_char_at(std::string_view s, std::size_t at) {
  const auto c = static_cast<unsigned char>(s[at]);
  if (c < 0x80) return is_ascii_alnum(static_cast<char>(c));
  return !is_unicode_punct(s, at) && c != 0xC2;  // 0xC2: no-break space, «, », ...
}

/// The end of a quotation opening at `at`, or npos.
std::size_t quote_end(std::string_view s, std::size_t at) {
  if (s[at] == '"') {
    const std::size_t close = s.find('"', at + 1);
    return close == std::string_view::npos ? close : close + 1;
  }
  if (starts_with_at(s, at, kOpenDouble)) {
    const std::size_t close = s.find(kCloseDouble, at + 3);
    return close == std::string_view::npos ? close : close + 3;
  }
  if (starts_with_at(s, at, kOpenSingle)) {
    // A closing ’ that is not an apostrophe inside a word.
    for (std::size_t close = s.find(kCloseSingle, at + 3); close != std::string_view::npos;
         close = s.find(kCloseSingle, close + 3)) {
      const std::size_t after = close + 3;
      if (after >= s.size() || !word_char_at(s, after)) return after;
    }
  }
  return std::string_view::npos;
}

void push_word(tokens& out, std::string word, std::string space) {
  // Clitics, the way link-grammar splits them: do|n't, she|'s, I|'m.
  const std::string lower = to_lower(word);
  std::size_t width = 0;
  const auto push = [&](std::string base, std::string clitic) {
    out.push_back({std::move(base), std::move(space), token_kind::word});
    out.push_back({std::move(clitic), "", token_kind::word});
  };
  if (lower == "cannot") {
    push(word.substr(0, 3), word.substr(3));
    return;
  }
  for (std::string_view n_t : {"n't", "n\xE2\x80\x99t"}) {
    if (lower.size() > n_t.size() + 1 && lower.ends_with(n_t) && lower != "ain't" &&
        lower != "ain\xE2\x80\x99t") {
      std::string base = word.substr(0, word.size() - n_t.size());
      const std::string base_lower = to_lower(base);
      const bool capital = base[0] >= 'A' && base[0] <= 'Z';
      if (base_lower == "ca") base = capital ? "Can" : "can";
      if (base_lower == "wo") base = capital ? "Will" : "will";
      if (base_lower == "sha") base = capital ? "Shall" : "shall";
      push(base, word.substr(word.size() - n_t.size()));
      return;
    }
  }
  for (std::string_view clitic : {"s", "m", "re", "ve", "d", "ll"}) {
    for (std::size_t at = 1; at + clitic.size() < word.size(); ++at) {
      if (!apostrophe_at(word, at, width) || at + width + clitic.size() != word.size()) continue;
      if (lower.substr(at + width) != clitic) continue;
      push(word.substr(0, at), word.substr(at));
      return;
    }
  }
  out.push_back({std::move(word), std::move(space), token_kind::word});
}

}  // namespace

std::string token::lower() const { return to_lower(text); }

bool token::is(std::string_view lower_word) const {
  if (text.size() != lower_word.size()) return normal_clitic(text) == lower_word;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower_word[i]) return false;
  }
  return true;
}

std::string normal_clitic(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (starts_with_at(text, i, kCloseSingle)) {
      out += '\'';
      i += 3;
      continue;
    }
    char c = text[i++];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out += c;
  }
  return out;
}

tokens tokenize(std::string_view s) {
  tokens out;
  std::size_t pos = 0;
  const std::size_t n = s.size();
  while (pos < n) {
    const std::size_t ws = pos;
    while (pos < n && is_space(s[pos])) ++pos;
    std::string space(s.substr(ws, pos - ws));
    if (pos >= n) {
      if (!out.empty()) out.push_back({"", std::move(space), token_kind::punct});
      break;
    }
    const std::size_t start = pos;
    const bool opening =
        s[pos] == '"' || starts_with_at(s, pos, kOpenDouble) ||
        (starts_with_at(s, pos, kOpenSingle) && (start == 0 || is_space(s[start - 1])));
    if (opening) {
      if (const std::size_t end = quote_end(s, pos); end != std::string_view::npos) {
        out.push_back(
            {std::string(s.substr(start, end - start)), std::move(space), token_kind::quote});
        pos = end;
        continue;
      }
    }
    if (word_char_at(s, pos)) {
      while (pos < n) {
        std::size_t width = 0;
        if (word_char_at(s, pos)) {
          pos += utf8_length(static_cast<unsigned char>(s[pos]));
        } else if ((s[pos] == '-' || apostrophe_at(s, pos, width)) &&
                   pos + (width ? width : 1) < n && word_char_at(s, pos + (width ? width : 1))) {
          pos += width ? width : 1;
        } else if ((s[pos] == '.' || s[pos] == ',') && pos + 1 < n &&
                   std::isdigit(static_cast<unsigned char>(s[pos + 1])) &&
                   std::isdigit(static_cast<unsigned char>(s[pos - 1]))) {
          ++pos;  // 924,000 and 1.5
        } else {
          break;
        }
      }
      std::string word(s.substr(start, pos - start));
      // Abbreviations keep their full stop, so "Mrs." does not end a clause; so does an initial
      // before a name ("John W. Hinckley").
      const bool initial = word.size() == 1 && word[0] >= 'A' && word[0] <= 'Z' && pos + 2 < n &&
                           s[pos + 1] == ' ' && s[pos + 2] >= 'A' && s[pos + 2] <= 'Z';
      if (pos < n && s[pos] == '.' &&
          (initial || std::find(kAbbreviations.begin(), kAbbreviations.end(), to_lower(word)) !=
                          kAbbreviations.end()) &&
          (to_lower(word) != "no" || (pos + 1 < n && s[pos + 1] == ' ' && pos + 2 < n &&
                                      std::isdigit(static_cast<unsigned char>(s[pos + 2]))))) {
        word += '.';
        ++pos;
      }
      push_word(out, std::move(word), std::move(space));
      continue;
    }
    std::size_t len = utf8_length(static_cast<unsigned char>(s[pos]));
    if (s[pos] == '.' || s[pos] == '-' || s[pos] == '!' || s[pos] == '?') {
      while (pos + len < n && s[pos + len] == s[pos]) ++len;  // "...", "--", "?!"
    }
    len = std::min(len, n - pos);
    out.push_back({std::string(s.substr(pos, len)), std::move(space), token_kind::punct});
    pos += len;
  }
  return out;
}

std::string render(const tokens& toks) {
  std::string out;
  for (std::size_t i = 0; i < toks.size(); ++i) {
    const token& t = toks[i];
    out += t.space;
    const bool negated_next = i + 1 < toks.size() && toks[i + 1].space.empty() &&
                              normal_clitic(toks[i + 1].text) == "n't";
    if (negated_next && (t.is("can") || t.is("will") || t.is("shall"))) {
      const bool capital = t.text[0] >= 'A' && t.text[0] <= 'Z';
      const std::string_view stem = t.is("can") ? "ca" : t.is("will") ? "wo" : "sha";
      out += capital ? upper_first(stem) : std::string(stem);
      continue;
    }
    out += t.text;
  }
  return out;
}

namespace {

bool one_of(const token& t, std::initializer_list<std::string_view> words) {
  return std::any_of(words.begin(), words.end(), [&](std::string_view w) { return t.is(w); });
}

bool is_subordinator(const token& t) {
  return one_of(t, {"because", "although", "though", "while", "when", "whenever", "if", "unless",
                    "until", "till", "before", "after", "since", "whereas", "as"});
}

bool is_number_word(const token& t) {
  const std::string_view w = t.text;
  const bool digits = !w.empty() && (w[0] == '$' || std::isdigit(static_cast<unsigned char>(w[0])));
  return digits || one_of(t, {"two", "three", "four", "five", "six", "seven", "eight", "nine",
                              "ten", "twenty", "fifty", "a", "hundreds", "thousands"});
}

bool is_relative(const token& t) {
  return one_of(t, {"who", "whom", "whose", "which", "where", "when"});
}

bool is_coordinator(const token& t) { return one_of(t, {"and", "but", "or", "so", "yet", "then"}); }

bool is_personal_subject(const token& t) {
  return one_of(t, {"i", "you", "he", "she", "it", "we", "they", "there"});
}

bool starts_subject(const tokens& toks, std::size_t i) {
  if (i >= toks.size() || toks[i].kind != token_kind::word) return false;
  const token& t = toks[i];
  if (is_personal_subject(t)) return true;
  if (one_of(t, {"this",    "that",      "these",      "those", "the",  "a",   "an",     "his",
                 "her",     "its",       "their",      "my",    "your", "our", "nobody", "somebody",
                 "someone", "everyone",  "everybody",  "no",    "some", "all", "every",  "each",
                 "nothing", "something", "everything", "none",  "many", "few"}))
    return true;
  return t.text[0] >= 'A' && t.text[0] <= 'Z';  // a name
}

/// "... dropped and this contributed to ...": "this" before a past form (no noun it could
/// determine) is a new clause's subject.
bool demonstrative_subject(const tokens& toks, std::size_t i) {
  if (i + 1 >= toks.size() || !toks[i].is("this") || toks[i + 1].kind != token_kind::word)
    return false;
  const std::string next = toks[i + 1].lower();
  return next.size() > 4 && next.ends_with("ed");
}

/// ", Tuppence stated." / ", said his teacher.": a short reporting clause to the end.
bool reporting_tail(const tokens& toks, std::size_t i) {
  int words = 0;
  bool speech = false;
  for (std::size_t k = i; k < toks.size(); ++k) {
    if (toks[k].kind == token_kind::quote) return false;
    if (toks[k].kind != token_kind::word) continue;
    ++words;
    speech = speech || one_of(toks[k], {"said", "says", "stated", "asked", "replied", "added",
                                        "explained", "answered", "cried", "whispered", "shouted",
                                        "bellowed", "hissed", "wrote"});
  }
  return speech && words <= 5;
}

/// ", I exclaimed," / ", he said,": a reporting clause of at most three words set off by commas
/// in the middle of a sentence, its speech verb last.
bool reporting_aside(const tokens& toks, std::size_t i) {
  for (std::size_t k = i; k < toks.size() && k < i + 3; ++k) {
    if (toks[k].kind != token_kind::word) return false;
    if (k > i && k + 1 < toks.size() && toks[k + 1].kind == token_kind::punct &&
        toks[k + 1].text == ",")
      return one_of(toks[k], {"said", "says", "stated", "asked", "replied", "added", "explained",
                              "answered", "cried", "whispered", "shouted", "exclaimed", "bellowed",
                              "hissed", "wrote", "admitted", "insisted"});
  }
  return false;
}

/// A finite auxiliary or modal written out ("might", "are"; not "'s", which may be a possessive).
bool written_auxiliary(const token& t) {
  return t.kind == token_kind::word && !t.text.empty() && t.text[0] != '\'' &&
         find_auxiliary(t.lower()) != nullptr;
}

/// "... and things might go": one or two words, then a finite auxiliary (a new clause's subject
/// and verb), none of them a conjunction, a negation or an auxiliary.
bool subject_and_auxiliary(const tokens& toks, std::size_t i) {
  for (std::size_t k = i; k < toks.size() && k < i + 3; ++k) {
    if (toks[k].kind != token_kind::word) return false;
    if (written_auxiliary(toks[k])) return k > i;
    if (is_coordinator(toks[k]) || one_of(toks[k], {"not", "never", "to"})) return false;
  }
  return false;
}

}  // namespace

std::vector<clause> split_clauses(const tokens& toks) {
  std::vector<clause> out;
  clause current;
  std::optional<clause> sub;
  const auto flush = [&] {
    if (!current.at.empty()) out.push_back(std::move(current));
    current = clause{};
  };
  const auto is_punct = [&](std::size_t i, std::string_view p) {
    return toks[i].kind == token_kind::punct && toks[i].text == p;
  };
  for (std::size_t i = 0; i < toks.size(); ++i) {
    const token& t = toks[i];
    if (sub) {
      sub->at.push_back(i);
      if (is_punct(i, ",") || is_punct(i, ";") || is_punct(i, ":")) {
        out.push_back(std::move(*sub));
        sub.reset();
        if (!is_punct(i, ",")) flush();
      }
      continue;
    }
    const bool clause_start =
        std::none_of(current.at.begin(), current.at.end(), [&](std::size_t k) {
          return toks[k].kind != token_kind::punct && !is_coordinator(toks[k]);
        });
    const bool after_comma = i > 0 && is_punct(i - 1, ",");
    // A subordinator opens a clause only when words follow ("been here before?" is an adverb).
    const bool words_follow = i + 1 < toks.size() && toks[i + 1].kind != token_kind::punct;
    // "As much as 200 mm of rain", "as many as 30 boats": an amount, not a subordinate clause.
    const bool amount = t.is("as") && i + 3 < toks.size() &&
                        one_of(toks[i + 1], {"much", "many", "few", "little"}) &&
                        toks[i + 2].is("as") && is_number_word(toks[i + 3]);
    if (t.kind == token_kind::word && is_subordinator(t) && words_follow && !amount &&
        (clause_start || (!t.is("as") && i > 0))) {
      if (t.is("as") && !clause_start) {
        current.at.push_back(i);
        continue;
      }
      // "But if ...": the conjunction goes with the subordinate clause.
      sub = clause{clause_start ? current.at : std::vector<std::size_t>{}, false};
      sub->at.push_back(i);
      if (clause_start) current = clause{};
      continue;
    }
    const bool leading_infinitive =
        i == 0 && t.is("to") && std::any_of(toks.begin(), toks.end(), [](const token& k) {
          return k.kind == token_kind::punct && k.text == ",";
        });
    if (leading_infinitive) {
      sub = clause{{i}, false};
      continue;
    }
    if (after_comma && reporting_aside(toks, i)) {
      sub = clause{{i}, false};
      continue;
    }
    if (after_comma && reporting_tail(toks, i) &&
        std::any_of(current.at.begin(), current.at.end(),
                    [&](std::size_t k) { return toks[k].kind == token_kind::word; })) {
      sub = clause{{i}, false, true};
      continue;
    }
    // ", some of which were large,": a relative clause opened by a quantifier and "of".
    const bool quantified_relative =
        i + 2 < toks.size() &&
        one_of(t, {"some", "many", "most", "all", "none", "one", "each", "both", "few", "several",
                   "half", "neither"}) &&
        toks[i + 1].is("of") && one_of(toks[i + 2], {"which", "whom", "whose"});
    if (after_comma && t.kind == token_kind::word && (is_relative(t) || quantified_relative)) {
      sub = clause{{i}, false};
      continue;
    }
    // "They are thinking too much and things might go right": after a clause with a finite
    // auxiliary of its own, a subject and an auxiliary open a new one.
    const bool new_subject_and_auxiliary =
        std::any_of(current.at.begin(), current.at.end(),
                    [&](std::size_t k) { return written_auxiliary(toks[k]); }) &&
        subject_and_auxiliary(toks, i + 1);
    if (t.kind == token_kind::word && is_coordinator(t) && !clause_start &&
        ((after_comma && starts_subject(toks, i + 1)) || new_subject_and_auxiliary ||
         (i + 1 < toks.size() && is_personal_subject(toks[i + 1]) && !toks[i + 1].is("it") &&
          !toks[i + 1].is("you")) ||
         demonstrative_subject(toks, i + 1))) {
      flush();
      current.at.push_back(i);
      continue;
    }
    current.at.push_back(i);
    if (is_punct(i, ";") || is_punct(i, ":")) flush();
  }
  if (sub) {
    // A "subordinate" clause that runs to the end without its comma is the sentence itself
    // ("But if they catch me", "After that date her memory is as good").
    const bool leading = current.at.empty() && out.empty();
    if (leading) sub->main = true;
    out.push_back(std::move(*sub));
  }
  flush();
  std::sort(out.begin(), out.end(),
            [](const clause& a, const clause& b) { return a.at.front() < b.at.front(); });
  // A clause of punctuation only (the final full stop after a trailing subordinate clause)
  // belongs to the clause before it.
  std::vector<clause> merged;
  for (clause& c : out) {
    const bool only_punct = std::all_of(
        c.at.begin(), c.at.end(), [&](std::size_t k) { return toks[k].kind == token_kind::punct; });
    if (only_punct && !merged.empty()) {
      merged.back().at.insert(merged.back().at.end(), c.at.begin(), c.at.end());
      continue;
    }
    merged.push_back(std::move(c));
  }
  return merged;
}

namespace {

/// Whether the text before `end` (a sentence break ICU proposes) ends with an initial ("J.",
/// "P.") or a title ICU's list lacks ("St.", "Gen."): a name goes on after them.
bool ends_with_initial_or_title(std::string_view text, std::size_t end) {
  while (end > 0 && is_space(text[end - 1])) --end;
  if (end < 2 || text[end - 1] != '.') return false;
  std::size_t start = end - 1;
  while (start > 0 && std::isalpha(static_cast<unsigned char>(text[start - 1]))) --start;
  // "U.S." may well end a sentence: only a lone initial counts.
  if (start > 0 && !is_space(text[start - 1])) return false;
  const std::string_view word = text.substr(start, end - 1 - start);
  if (word.size() == 1) return word[0] >= 'A' && word[0] <= 'Z';
  return std::find(kTitles.begin(), kTitles.end(), to_lower(word)) != kTitles.end();
}

/// Whether the text before `end` ends with a dotted initialism of two or more letters ("U.S.",
/// "T.R.") and the word at `next` goes on with a name or a noun ("U.S. Track Invitational",
/// "T.R. Mahalingam"): only a word that usually opens a sentence ("Then", "The", "He") makes
/// the full stop a sentence end.
bool initialism_before_name(std::string_view text, std::size_t end, std::size_t next) {
  while (end > 0 && is_space(text[end - 1])) --end;
  std::size_t start = end;
  std::size_t letters = 0;
  while (start >= 2 && text[start - 1] == '.' &&
         std::isupper(static_cast<unsigned char>(text[start - 2]))) {
    start -= 2;
    ++letters;
  }
  if (letters < 2 || (start > 0 && !is_space(text[start - 1]) && text[start - 1] != '('))
    return false;
  std::size_t word_end = next;
  while (word_end < text.size() && std::isalpha(static_cast<unsigned char>(text[word_end])))
    ++word_end;
  if (word_end == next || !std::isupper(static_cast<unsigned char>(text[next]))) return false;
  static constexpr std::array<std::string_view, 76> kOpeners = {
      "the",     "a",     "an",      "this",     "that",   "these",   "those",     "he",
      "she",     "it",    "they",    "we",       "i",      "you",     "there",     "then",
      "but",     "and",   "or",      "so",       "yet",    "in",      "on",        "at",
      "by",      "for",   "from",    "with",     "after",  "before",  "when",      "while",
      "if",      "as",    "since",   "although", "though", "however", "later",     "today",
      "his",     "her",   "its",     "their",    "our",    "my",      "your",      "some",
      "many",    "most",  "all",     "no",       "one",    "what",    "who",       "why",
      "how",     "where", "now",     "still",    "also",   "even",    "such",      "both",
      "each",    "every", "another", "only",     "not",    "never",   "meanwhile", "yesterday",
      "instead", "thus",  "here",    "other"};
  const std::string word = to_lower(text.substr(next, word_end - next));
  return std::find(kOpeners.begin(), kOpeners.end(), word) == kOpeners.end();
}

}  // namespace

struct sentence_splitter::impl {
  std::unique_ptr<icu::BreakIterator> iterator;
};

sentence_splitter::sentence_splitter() : impl_(std::make_unique<impl>()) {
  UErrorCode status = U_ZERO_ERROR;
  // "ss=standard": ICU's list of English abbreviations after which a full stop ends no
  // sentence ("Mr. Abbas", "Mrs. Bush").
  impl_->iterator.reset(
      icu::BreakIterator::createSentenceInstance(icu::Locale("en@ss=standard"), status));
  if (U_FAILURE(status) || !impl_->iterator)
    throw error(std::string("ICU sentence break iterator: ") + u_errorName(status));
}

sentence_splitter::~sentence_splitter() = default;

std::vector<std::pair<std::size_t, std::size_t>> sentence_splitter::split(std::string_view text) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  if (text.empty()) return out;
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  impl_->iterator->setText(u);
  // UTF-16 offsets to UTF-8 byte offsets, walking both strings once.
  std::vector<std::size_t> breaks;
  std::size_t byte = 0;
  int32_t unit = 0;
  for (int32_t b = impl_->iterator->next(); b != icu::BreakIterator::DONE;
       b = impl_->iterator->next()) {
    while (unit < b && byte < text.size()) {
      const std::size_t len = utf8_length(static_cast<unsigned char>(text[byte]));
      byte += len;
      unit += len == 4 ? 2 : 1;
    }
    breaks.push_back(std::min(byte, text.size()));
  }
  // Never break inside a quotation: a break is kept only where no quote is open.
  std::size_t start = 0;
  std::size_t next_break = 0;
  bool open = false;
  std::size_t pos = 0;
  const auto emit = [&](std::size_t end) {
    if (end > start) out.emplace_back(start, end);
    start = end;
  };
  while (pos < text.size()) {
    while (next_break < breaks.size() && breaks[next_break] <= pos) {
      // A sentence never starts in lower case: '"What?" asked the man.' is one sentence.
      std::size_t next = breaks[next_break];
      while (next < text.size() && (text[next] == ' ' || text[next] == '\t')) ++next;
      const bool lower_next = next < text.size() && text[next] >= 'a' && text[next] <= 'z';
      if (!open && !lower_next && !ends_with_initial_or_title(text, breaks[next_break]) &&
          !initialism_before_name(text, breaks[next_break], next))
        emit(breaks[next_break]);
      ++next_break;
    }
    if (text[pos] == '"') {
      open = !open;
    } else if (starts_with_at(text, pos, kOpenDouble)) {
      open = true;
    } else if (starts_with_at(text, pos, kCloseDouble)) {
      open = false;
    } else if (text[pos] == '\n' && pos + 1 < text.size() && text[pos + 1] == '\n') {
      open = false;  // a quotation never runs across paragraphs
    }
    pos += utf8_length(static_cast<unsigned char>(text[pos]));
  }
  emit(text.size());
  return out;
}

}  // namespace textkit::negate
