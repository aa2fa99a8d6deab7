#include "analysis.h"

#include <link-grammar/link-includes.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "textkit/error.h"

namespace textkit::negate {
namespace {

constexpr std::array<std::string_view, 40> kAdverbs = {
    "not",       "never",   "always",   "also",      "just",        "still",    "even",    "often",
    "sometimes", "usually", "already",  "really",    "only",        "then",     "soon",    "once",
    "twice",     "ever",    "almost",   "quite",     "rather",      "so",       "too",     "very",
    "again",     "perhaps", "probably", "certainly", "immediately", "suddenly", "finally", "indeed",
    "all",       "both",    "now",      "simply",    "actually",    "surely",   "hardly",  "first"};

constexpr std::array<std::string_view, 14> kLyNotAdverbs = {
    "family", "apply", "reply", "supply", "rely", "ally",  "belly",
    "bully",  "jelly", "holy",  "ugly",   "fly",  "italy", "assembly"};

bool one_of(std::string_view w, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

bool is_determiner(std::string_view w) {
  return one_of(
      w, {"the",  "a",    "an",    "this",  "that", "these", "those", "my",      "your",  "his",
          "her",  "its",  "our",   "their", "some", "any",   "no",    "every",   "each",  "all",
          "'s",   "of",   "to",    "in",    "on",   "at",    "by",    "with",    "from",  "for",
          "into", "upon", "about", "very",  "most", "more",  "as",    "two",     "three", "four",
          "five", "six",  "seven", "eight", "nine", "ten",   "many",  "several", "few",   "both"});
}

bool is_number(std::string_view w) {
  return (!w.empty() && std::all_of(w.begin(), w.end(),
                                    [](char c) { return (c >= '0' && c <= '9') || c == ','; })) ||
         one_of(w, {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozen",
                    "hundred", "thousand", "million", "billion"});
}

bool is_pronoun_subject(std::string_view w) {
  return one_of(w, {"i",      "you",     "he",        "she",        "it",      "we",
                    "they",   "there",   "this",      "that",       "who",     "which",
                    "what",   "here",    "everyone",  "everybody",  "someone", "somebody",
                    "nobody", "nothing", "something", "everything", "one",     "none"});
}

/// An adjective that heads its noun phrase after a determiner, standing for people or things
/// named before ("The other hesitated", "the latter agreed", "the poor paid"): the subject, not an
/// attribute of the word after it.
bool nominal_adjective(std::string_view w, std::string_view before) {
  return one_of(before, {"the", "this", "that", "these", "those", "another"}) &&
         one_of(w, {"other", "former", "latter", "rich", "poor", "young", "elderly", "first",
                    "second", "third", "last"});
}

/// A number set off by commas after a name ("Moreau, 72, received"): an age in apposition, not a
/// numeral before its noun.
bool apposed_number(const tokens& toks, std::size_t i) {
  const auto comma = [&](std::size_t k) {
    return k < toks.size() && toks[k].kind == token_kind::punct && toks[k].text == ",";
  };
  return is_number(toks[i].lower()) && i > 0 && comma(i - 1) && comma(i + 1);
}

/// A quantifier that stands for its noun phrase as a subject ("Many attended", "Both agreed",
/// "Neither knew"), with the verb forms that agree with it: a past form always, else a plain
/// present after a plural one and an -s form after a singular one.
bool quantifier_subject_of(std::string_view quantifier, verb_form form) {
  if (form == verb_form::past || form == verb_form::past_or_participle)
    return one_of(quantifier, {"many", "few", "both", "several", "neither", "either", "most",
                               "some", "all", "each"});
  if (form == verb_form::base)
    return one_of(quantifier, {"many", "few", "both", "several", "most", "some", "all"});
  if (form == verb_form::third_person) return one_of(quantifier, {"neither", "either", "each"});
  return false;
}

/// Where the age phrase "aged 20 to 30" that ends at `words[p]` begins, or npos: such a phrase
/// modifies the noun before it ("Women aged 20 to 30 prefer tea"), and "aged" in it is no verb.
std::size_t age_phrase_start(const tokens& toks, const std::vector<std::size_t>& words,
                             std::size_t p) {
  if (!is_number(toks[words[p]].lower())) return npos;
  for (std::size_t q = p; q > 0; --q) {
    const std::string w = toks[words[q - 1]].lower();
    if (w == "aged") return q - 1;
    if (!is_number(w) && !one_of(w, {"to", "and", "or", "between"})) return npos;
  }
  return npos;
}

/// Where the numbers that label the noun before them and end at `words[p]` begin ("Lines 5
/// through 8", "Figures 2 and 3", "Rooms 4-6"), or npos: the noun, not its last number, is the
/// subject the verb after them agrees with ("Lines 5 through 8 show the effect").
std::size_t labelling_numbers_start(const tokens& toks, const std::vector<std::size_t>& words,
                                    std::size_t p) {
  const auto numeral = [&](std::size_t q) {
    const std::string w = toks[words[q]].lower();
    return !w.empty() &&
           std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!numeral(p)) return npos;
  for (std::size_t q = p; q > 0; --q) {
    const std::string w = toks[words[q - 1]].lower();
    if (numeral(q - 1) || one_of(w, {"through", "to", "and", "-", "\xE2\x80\x93"})) continue;
    return numeral(q) ? q : npos;
  }
  return npos;
}

/// The index in `words` of the first word after a relative clause set off by commas that opens at
/// `words[k]` (", which ... ,", ", some of which ... ,"), or npos when it is not one.
std::size_t past_comma_aside(const tokens& toks, const std::vector<std::size_t>& words,
                             std::size_t k) {
  const auto comma_before = [&](std::size_t i) {
    return words[i] > 0 && toks[words[i] - 1].kind == token_kind::punct &&
           toks[words[i] - 1].text == ",";
  };
  if (!one_of(toks[words[k]].lower(), {"which", "who", "whom", "whose"})) return npos;
  // The aside opens at the comma, up to two words before the pronoun ("some of which").
  bool opened = false;
  for (std::size_t back = 0; back <= 2 && back <= k && !opened; ++back)
    opened = comma_before(k - back);
  if (!opened) return npos;
  for (std::size_t i = k + 1; i < words.size(); ++i) {
    if (comma_before(i)) return i;
  }
  return npos;
}

/// Words that open a clause of their own: a verb after one of them is not the main clause's.
bool opens_clause(std::string_view w) {
  return one_of(w, {"that",  "which",  "who",     "whom",     "whose",  "where", "when",
                    "while", "if",     "because", "although", "though", "as",    "since",
                    "until", "till",   "unless",  "whether",  "what",   "how",   "why",
                    "after", "before", "whereas", "once"});
}

/// A finite form no noun shares: an auxiliary or modal written out ("was", "can"; not a clitic),
/// or a past tense.
bool unambiguous_finite(const lexicon& lex, std::string_view w) {
  if (find_auxiliary(w) != nullptr && !w.starts_with("'")) return true;
  const verb_form form = lex.form_of(w);
  return form == verb_form::past || form == verb_form::past_or_participle;
}

/// Drops link-grammar's annotations: "fell.v-d" -> "fell", "Little[!<CAPITALIZED-WORDS>]" ->
/// "Little", "[word]" (a null-linked word) -> "word"; `subscript` gets "v-d".
std::string plain_word(std::string_view lg, std::string& subscript, bool& null_linked) {
  std::string w(lg);
  null_linked = w.size() > 2 && w.front() == '[' && w.back() == ']';
  if (null_linked) w = w.substr(1, w.size() - 2);
  if (const std::size_t bracket = w.find('['); bracket != std::string::npos && bracket > 0) {
    const std::size_t close = w.find(']', bracket);
    w.erase(bracket, close == std::string::npos ? std::string::npos : close - bracket + 1);
  }
  subscript.clear();
  const std::size_t dot = w.rfind('.');
  if (dot != std::string::npos && dot > 0 && dot + 1 < w.size()) {
    const std::string tail = w.substr(dot + 1);
    const bool sub = std::all_of(tail.begin(), tail.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || c == '-' || c == '*' || (c >= '0' && c <= '9');
    });
    if (sub && std::isalpha(static_cast<unsigned char>(w[dot - 1]))) {
      subscript = tail;
      w.resize(dot);
    }
  }
  return w;
}

/// Whether `a` reads the clause as a statement whose finite verb comes before `b`'s. A parse
/// that misses the main verb takes a later one ("The army promises that it can help" with
/// "promises" as a noun, "... in Wednesday's the opening round" with "'s" as "is"): of the
/// linkages that pass, the earliest main verb is the main clause's. An "'s" is no candidate,
/// being a possessive as often ("Karf's words ended").
bool earlier_statement(const tokens& toks, const clause_analysis& a, const clause_analysis& b) {
  return a.finite < b.finite && a.shape == clause_shape::statement &&
         b.shape == clause_shape::statement && normal_clitic(toks[a.finite].text) != "'s";
}

/// Whether the word at `verb` is a past form ending an absolute phrase, "with" and a short
/// noun phrase before it ("stands watching with his arms folded", "prays with her hands
/// clasped"): the participle of that phrase, not the clause's verb.
bool absolute_participle(const tokens& toks, const std::vector<std::size_t>& at, std::size_t verb) {
  const auto pos = std::find(at.begin(), at.end(), verb);
  if (pos == at.end() || !toks[verb].lower().ends_with("ed")) return false;
  // The phrase ends with its participle; a verb with an object is a clause's ("a taxi with
  // flag erect turned the corner").
  if (pos + 1 != at.end() && toks[*(pos + 1)].kind == token_kind::word &&
      !one_of(toks[*(pos + 1)].lower(), {"in", "on", "at", "behind", "over", "across", "before",
                                         "against", "around", "under", "and"}))
    return false;
  int words = 0;
  for (auto it = std::make_reverse_iterator(pos); it != at.rend() && words <= 4; ++it, ++words) {
    const token& t = toks[*it];
    if (t.kind != token_kind::word) return false;
    if (t.is("with")) return words >= 1;
    if (find_auxiliary(t.lower()) != nullptr || opens_clause(t.lower())) return false;
  }
  return false;
}

bool equal_nocase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && to_lower(a) == to_lower(b);
}

void discard_message(lg_errinfo*, void*) {}

/// Whether a quotation is what the speech verb at `verb` reports: right after it ('said, "Go"')
/// or before it, past punctuation and a short subject ('"Go," her mother said'). A quoted word
/// further on ('said it found "extensive" damage') is part of a statement.
bool quotation_next_to(const tokens& toks, const std::vector<std::size_t>& at, std::size_t verb) {
  const auto pos = std::find(at.begin(), at.end(), verb);
  if (pos == at.end()) return false;
  for (auto it = pos + 1; it != at.end(); ++it) {
    if (toks[*it].kind == token_kind::quote) return true;
    if (toks[*it].kind != token_kind::punct) break;
  }
  int words = 0;
  for (auto it = std::make_reverse_iterator(pos); it != at.rend(); ++it) {
    if (toks[*it].kind == token_kind::quote) return true;
    if (toks[*it].kind == token_kind::word && ++words > 3) break;
  }
  return false;
}

struct link {
  std::string label;
  std::size_t left;
  std::size_t right;
};

}  // namespace

bool is_speech_verb(std::string_view w) {
  return one_of(
      w, {"said",     "says",   "say",       "asked",     "asks",     "replied",   "replies",
          "answered", "cried",  "shouted",   "whispered", "added",    "explained", "stated",
          "bellowed", "hissed", "exclaimed", "screamed",  "murmured", "muttered",  "growled"});
}

bool is_adverb(const token& t) {
  const std::string w = t.lower();
  if (std::find(kAdverbs.begin(), kAdverbs.end(), w) != kAdverbs.end()) return true;
  return w.size() > 4 && w.ends_with("ly") &&
         std::find(kLyNotAdverbs.begin(), kLyNotAdverbs.end(), w) == kLyNotAdverbs.end();
}

struct clause_parser::impl {
  Dictionary dict = nullptr;
  Parse_Options opts = nullptr;
  ~impl() {
    if (opts) parse_options_delete(opts);
    if (dict) dictionary_delete(dict);
  }
};

clause_parser::clause_parser(std::shared_ptr<const lexicon> lex, parser_settings settings)
    : impl_(std::make_unique<impl>()), lex_(std::move(lex)), settings_(settings) {
  // link-grammar prints notes (the locale) on stderr; textkit keeps stderr for its own report.
  lg_error_set_handler(discard_message, nullptr);
  impl_->dict = dictionary_create_lang("en");
  if (!impl_->dict) {
    throw error(
        "cannot open link-grammar's English dictionary (install the Debian package "
        "liblink-grammar-dev, which brings link-grammar-dictionaries-en)");
  }
  impl_->opts = parse_options_create();
  parse_options_set_verbosity(impl_->opts, 0);
  parse_options_set_linkage_limit(impl_->opts, settings_.linkage_limit);
  parse_options_set_max_parse_time(impl_->opts, settings_.timeout_seconds);
  parse_options_set_spell_guess(impl_->opts, 0);
  parse_options_set_repeatable_rand(impl_->opts, true);
  parse_options_set_min_null_count(impl_->opts, 0);
  parse_options_set_max_null_count(impl_->opts, 0);
}

clause_parser::~clause_parser() = default;

clause_analysis clause_parser::analyse(const tokens& toks, const std::vector<std::size_t>& at) {
  // link-grammar's error handler is per thread, and a worker's parser may run on any thread.
  thread_local const bool quiet = (lg_error_set_handler(discard_message, nullptr), true);
  (void)quiet;
  clause_analysis parsed = analyse_by_parser(toks, at);
  // A linkage whose verb WordNet does not know as a verb form ("A man in blue jeans smiling":
  // "jeans") cannot be negated: the lexicon reading decides.
  if (parsed.ok && parsed.finite != npos) {
    const std::string w = normal_clitic(toks[parsed.finite].text);
    if (find_auxiliary(w) == nullptr && lex_->verb_base(w).empty()) parsed = {};
  }
  if (!parsed.ok) parsed = analyse_by_lexicon(toks, at);
  if (parsed.ok) attract_to_auxiliary(toks, at, parsed);
  if (!parsed.ok) return parsed;
  if (const std::size_t before = objectless_participle(toks, at, parsed); before != npos) {
    const std::string b = toks[before].lower();
    const verb_form form = lex_->form_of(b);
    const bool pronoun_before =
        before > 0 && is_pronoun_subject(toks[before - 1].lower()) && before - 1 >= at.front();
    const bool finite_verb =
        find_auxiliary(b) == nullptr && !lex_->mostly_nominal(b) &&
        (form == verb_form::past || form == verb_form::past_or_participle ||
         form == verb_form::third_person || (form == verb_form::base && pronoun_before));
    if (finite_verb) {
      // "She felt utterly betrayed": the participle complements the verb before it.
      parsed.finite = before;
      parsed.past = form == verb_form::past || form == verb_form::past_or_participle;
    } else if (!is_pronoun_subject(b) && (form == verb_form::unknown || lex_->mostly_nominal(b)) &&
               !one_of(b, {"me", "him", "her", "us", "them", "and", "or", "to"})) {
      // "Village miller murdered.", "Funds used by households": a headline's passive with its
      // auxiliary left out (not "the party she founded.", a relative clause's past tense).
      parsed.shape = clause_shape::nonfinite;
      parsed.subject = npos;
    }
  }
  return parsed;
}

std::size_t clause_parser::objectless_participle(const tokens& toks,
                                                 const std::vector<std::size_t>& at,
                                                 const clause_analysis& a) const {
  if (a.shape != clause_shape::statement || a.finite == npos) return npos;
  const std::string w = toks[a.finite].lower();
  if (lex_->form_of(w) != verb_form::past_or_participle || find_auxiliary(w) != nullptr ||
      !lex_->needs_object(lex_->verb_base(w)))
    return npos;
  const auto pos = std::find(at.begin(), at.end(), a.finite);
  if (pos == at.begin() || pos == at.end()) return npos;
  // Nothing after it in its clause, or the agent: a verb that needs an object has none here
  // (a comma may open an aside before the complement: "surmised, therefore, that").
  const auto next = pos + 1;
  const bool nothing_after =
      next == at.end() || toks[*next].is("by") ||
      (toks[*next].kind == token_kind::punct && toks[*next].text != "," && toks[*next].text != "-");
  if (!nothing_after) return npos;
  auto before = pos - 1;
  while (before != at.begin() && is_adverb(toks[*before])) --before;
  return toks[*before].kind == token_kind::word ? *before : npos;
}

void clause_parser::attract_to_auxiliary(const tokens& toks, const std::vector<std::size_t>& at,
                                         clause_analysis& a) const {
  // A parse that chose the verb after an auxiliary ("Little did I [not] know", "Have I not been
  // here"): the auxiliary carries the tense and the negation, so it is the finite verb, and a
  // pronoun between them is an inverted subject.
  if (a.shape == clause_shape::quotative || a.shape == clause_shape::nonfinite) return;
  const auto pos = std::find(at.begin(), at.end(), a.finite);
  if (pos == at.end()) return;
  std::size_t pronoun = npos;
  for (auto it = std::make_reverse_iterator(pos); it != at.rend(); ++it) {
    const token& t = toks[*it];
    if (t.kind != token_kind::word) return;
    const std::string w = normal_clitic(t.text);
    if (w == "not" || w == "n't" || w == "never" || (is_adverb(t) && w != "so")) continue;
    if (pronoun == npos && one_of(w, {"i", "you", "he", "she", "it", "we", "they", "there"})) {
      pronoun = *it;
      continue;
    }
    const auxiliary* aux = find_auxiliary(w);
    if (!aux || *it == a.finite) return;
    // "Christie's is one of ...": an "'s" right before an auxiliary is a possessive.
    if (w == "'s" && *it + 1 == a.finite && find_auxiliary(toks[a.finite].lower()) != nullptr)
      return;
    // "in May can swim": no auxiliary follows a preposition.
    if (std::next(it) != at.rend() &&
        one_of(toks[*std::next(it)].lower(), {"in", "on", "of", "since", "until", "till", "by",
                                              "during", "from", "through", "at", "with", "for"}))
      return;
    a.finite = *it;
    if (pronoun != npos) {
      a.shape = clause_shape::question;
      a.subject = pronoun;
    }
    return;
  }
}

clause_analysis clause_parser::analyse_by_parser(const tokens& toks,
                                                 const std::vector<std::size_t>& at) {
  clause_analysis none;
  // The words link-grammar sees, each remembering its token; a quotation stands as "this".
  std::vector<std::size_t> word_token;
  std::string input;
  std::string flat;                     // the words without spaces, for aligning
  std::vector<std::size_t> flat_token;  // token of each character of `flat`
  for (std::size_t k = 0; k < at.size(); ++k) {
    const token& t = toks[at[k]];
    if (t.text.empty()) continue;
    std::string word = t.text;
    if (t.kind == token_kind::quote) {
      word = "this";
    } else if (t.kind == token_kind::punct && t.text == "," &&
               ((k + 1 < at.size() && toks[at[k + 1]].kind == token_kind::quote) ||
                (k > 0 && toks[at[k - 1]].kind == token_kind::quote))) {
      continue;
    }
    const bool clitic =
        t.space.empty() && k > 0 && t.kind == token_kind::word &&
        (t.text[0] == '\'' || normal_clitic(t.text) == "n't" ||
         normal_clitic(t.text).starts_with("\xE2\x80\x99") || normal_clitic(t.text) == "not");
    if (clitic && (normal_clitic(t.text) == "n't" || normal_clitic(t.text) == "not") &&
        !input.empty()) {
      // "can" + "n't": link-grammar knows "can't" and "cannot" as words.
      const std::string prev = toks[at[k - 1]].lower();
      if (prev == "can" || prev == "will" || prev == "shall") {
        const std::string joined = render(tokens{toks[at[k - 1]], t});
        input.resize(input.size() - toks[at[k - 1]].text.size());
        flat.resize(flat.size() - toks[at[k - 1]].text.size());
        flat_token.resize(flat.size());
        word_token.pop_back();
        word = joined.substr(toks[at[k - 1]].space.size());
        input += word;
        flat += word;
        flat_token.insert(flat_token.end(), word.size(), at[k - 1]);
        word_token.push_back(at[k - 1]);
        continue;
      }
    }
    if (!input.empty()) input += ' ';
    // Typographic apostrophes: link-grammar's dictionary spells clitics with '.
    std::string normal;
    for (std::size_t i = 0; i < word.size();) {
      if (word.compare(i, 3, "\xE2\x80\x99") == 0) {
        normal += '\'';
        i += 3;
      } else {
        normal += word[i++];
      }
    }
    input += normal;
    flat += normal;
    flat_token.insert(flat_token.end(), normal.size(), at[k]);
    word_token.push_back(at[k]);
  }
  if (word_token.empty() || word_token.size() > 40) return none;

  Sentence sent = sentence_create(input.c_str(), impl_->dict);
  if (!sent) return none;
  struct sentence_guard {
    Sentence s;
    ~sentence_guard() { sentence_delete(s); }
  } guard{sent};
  const int found = sentence_parse(sent, impl_->opts);
  if (found <= 0) return none;
  const int valid = sentence_num_valid_linkages(sent);
  const int tries = std::min({found, valid > 0 ? valid : found, settings_.linkages_checked});
  clause_analysis first_nominal;  // the first linkage that passed, when its verb looks nominal
  clause_analysis chosen;         // the linkage that passed with the earliest main verb
  for (int li = 0; li < tries; ++li) {
    Linkage linkage = linkage_create(li, sent, impl_->opts);
    if (!linkage) continue;
    struct linkage_guard {
      Linkage l;
      ~linkage_guard() { linkage_delete(l); }
    } lguard{linkage};
    const int words = linkage_get_num_words(linkage);
    // Align link-grammar's words (which it may split further) with our tokens.
    std::vector<std::size_t> token_of(static_cast<std::size_t>(words), npos);
    std::vector<std::string> subscript_of(static_cast<std::size_t>(words));
    std::vector<bool> null_of(static_cast<std::size_t>(words), false);
    std::size_t cursor = 0;
    bool aligned = true;
    for (int w = 1; w < words; ++w) {
      const std::string raw = linkage_get_word(linkage, w);
      if (raw == "RIGHT-WALL") continue;
      std::string sub;
      bool null_linked = false;
      const std::string plain = plain_word(raw, sub, null_linked);
      if (plain.empty() || cursor + plain.size() > flat.size() ||
          !equal_nocase(flat.substr(cursor, plain.size()), plain)) {
        aligned = false;
        break;
      }
      token_of[static_cast<std::size_t>(w)] = flat_token[cursor];
      subscript_of[static_cast<std::size_t>(w)] = sub;
      null_of[static_cast<std::size_t>(w)] = null_linked;
      cursor += plain.size();
    }
    if (!aligned || cursor != flat.size()) continue;

    std::vector<link> links;
    const auto link_count = static_cast<int>(linkage_get_num_links(linkage));
    for (int i = 0; i < link_count; ++i) {
      links.push_back({linkage_get_link_label(linkage, i),
                       static_cast<std::size_t>(linkage_get_link_lword(linkage, i)),
                       static_cast<std::size_t>(linkage_get_link_rword(linkage, i))});
    }
    const auto from = [&](std::size_t word, std::string_view prefix) -> std::size_t {
      for (const link& l : links) {
        if (l.left == word && l.label.starts_with(prefix)) return l.right;
      }
      return npos;
    };
    const auto is_subject_link = [](const std::string& label) {
      return label.size() >= 1 && label[0] == 'S' &&
             (label.size() == 1 || (label[1] != 'I' && label[1] != 'J'));
    };
    clause_analysis a;
    std::size_t finite_word = npos;
    std::size_t subject_word = npos;
    if (const std::size_t q = from(0, "Q"); q != npos) {
      a.shape = clause_shape::question;
      finite_word = q;
      subject_word = from(q, "SI");
    } else if (const std::size_t imp = from(0, "Wi"); imp != npos) {
      a.shape = clause_shape::imperative;
      finite_word = imp;
    } else if (const std::size_t quoted = from(0, "CP"); quoted != npos &&
                                                         quoted < subscript_of.size() &&
                                                         subscript_of[quoted].starts_with("q")) {
      a.shape = clause_shape::quotative;
      finite_word = quoted;
      subject_word = from(quoted, "SI");
    } else {
      for (const link& w : links) {
        if (w.left != 0 ||
            !(w.label.starts_with("Wd") || w.label.starts_with("Wp") || w.label.starts_with("Ws")))
          continue;
        subject_word = w.right;
        for (const link& s : links) {
          if (s.left == subject_word && (is_subject_link(s.label) || s.label.starts_with("PF"))) {
            finite_word = s.right;
            break;
          }
        }
        break;
      }
      if (finite_word == npos) {
        finite_word = from(0, "WV");
        subject_word = npos;
      }
    }
    if (finite_word == npos || finite_word >= token_of.size() || null_of[finite_word]) continue;
    // A finite verb right after "to" is an infinitive the parse took for the main verb; one
    // right after a determiner or an adjective ("the SEC's new rule") is a noun.
    if (const auto pos = std::find(at.begin(), at.end(), token_of[finite_word]);
        pos != at.begin() && pos != at.end()) {
      const std::string prev = toks[*(pos - 1)].lower();
      // No auxiliary follows a preposition either: "in May" is the month.
      if (prev == "to" ||
          one_of(prev, {"in", "on", "of", "since", "until", "till", "by", "during", "from",
                        "through", "at", "with", "for"}) ||
          (!find_auxiliary(toks[token_of[finite_word]].lower()) &&
           ((is_number(prev) && pos - 1 != at.begin() &&
             !one_of(toks[*(pos - 2)].lower(), {"the", "these", "those", "all", "both"})) ||
            one_of(prev, {"the", "a", "an", "'s", "my", "your", "his", "its", "our", "their", "in",
                          "on", "at", "of", "with", "by", "for", "from", "into"}))))
        continue;
    }
    // "women aged 18 to 44": "aged" before a number is an attribute, not the verb.
    if (const std::size_t t = token_of[finite_word];
        toks[t].is("aged") && t + 1 < toks.size() && is_number(toks[t + 1].lower()))
      continue;
    // ", like any other method,": "like" after a comma is a preposition.
    if (const std::size_t t = token_of[finite_word]; toks[t].is("like") && t > 0 &&
                                                     toks[t - 1].kind == token_kind::punct &&
                                                     toks[t - 1].text == ",")
      continue;
    // Agreement: a plain present verb ("surge") after a singular noun subject is a noun; so is
    // one after a hyphenated modifier ("the cross-Channel ferry Herald ... capsized").
    if (const std::size_t subject = subject_word < token_of.size() ? token_of[subject_word] : npos;
        subject != npos && a.shape == clause_shape::statement &&
        !subscript_of[finite_word].ends_with("-d")) {
      const std::string verb = toks[token_of[finite_word]].lower();
      const std::string subj = toks[subject].lower();
      const bool plural_or_pronoun =
          subj.ends_with('s') ||
          one_of(subj, {"i", "you", "we", "they", "people", "men", "women", "children", "police"});
      if (!find_auxiliary(verb) && lex_->form_of(verb) == verb_form::base && !plural_or_pronoun &&
          (!(toks[subject].text[0] >= 'A' && toks[subject].text[0] <= 'Z') ||
           toks[subject].first) &&
          (lex_->is_noun_lemma(subj) || subj.find('-') != std::string::npos))
        continue;
    }
    // "French police recovered ...", "Fake rock art has been hung", "People sitting together":
    // a word used mostly as a noun or adjective, read as an imperative verb, when a finite verb
    // follows in the same clause or an -ing form right after it.
    if (a.shape == clause_shape::imperative && looks_declarative(toks, at, token_of[finite_word]))
      continue;
    // An imperative verb opens its clause, after interjections and adverbs at most ("Oh, listen",
    // "Now go"); "Advanced humbug means ..." is no imperative of "humbug".
    if (a.shape == clause_shape::imperative &&
        std::any_of(at.begin(), std::find(at.begin(), at.end(), token_of[finite_word]),
                    [&](std::size_t i) {
                      return toks[i].kind == token_kind::word && !is_adverb(toks[i]) &&
                             !one_of(toks[i].lower(), {"oh", "please", "and", "but", "or", "so",
                                                       "do", "well", "now", "then", "yes", "no"});
                    }))
      continue;
    // A quotative reading needs a speech verb and a quotation or an inverted subject
    // ("... said her mother"); "companies can say great things" is a statement.
    if (a.shape == clause_shape::quotative) {
      const bool quoted = quotation_next_to(toks, at, token_of[finite_word]);
      if (!is_speech_verb(toks[token_of[finite_word]].lower())) continue;
      if (!quoted && subject_word == npos) {
        a.shape = clause_shape::statement;
      } else if (const auto verb_at = std::find(at.begin(), at.end(), token_of[finite_word]);
                 !quoted && verb_at != at.begin() && verb_at != at.end() &&
                 find_auxiliary(toks[*(verb_at - 1)].lower()) != nullptr) {
        // "In general, companies can say great things": a modal before the verb, no quotation,
        // so no quotative inversion ("..., said her mother").
        continue;
      }
    }
    // "Rodriguez's Mulberry St. apartment": a possessive the parse read as "is"; so is one
    // before an auxiliary ("Harrod's is a shop": the shop's name). After a number it is a
    // plural or a possessive ("the late 1980's", "1912's floods"), never "is" or "has".
    if (normal_clitic(toks[token_of[finite_word]].text) == "'s") {
      const std::size_t at_s = token_of[finite_word];
      if (at_s > 0 && !toks[at_s - 1].text.empty() &&
          std::isdigit(static_cast<unsigned char>(toks[at_s - 1].text.back())))
        continue;
      const std::size_t next = token_of[finite_word] + 1;
      if (next < toks.size() && toks[next].kind == token_kind::word && !toks[next].is("i") &&
          ((toks[next].text[0] >= 'A' && toks[next].text[0] <= 'Z') ||
           find_auxiliary(normal_clitic(toks[next].lower())) != nullptr))
        continue;
    }
    // "with his arms folded": a participle after "with" and a noun phrase is no finite verb.
    if (absolute_participle(toks, at, token_of[finite_word])) continue;
    const std::string& sub = subscript_of[finite_word];
    const std::size_t finite_token = token_of[finite_word];
    const bool verb_tag = sub.starts_with("v") || sub.starts_with("q") || sub.starts_with("w");
    if (!verb_tag && !find_auxiliary(toks[finite_token].lower())) continue;
    // "The total estimated project cost including financing, ..., is about $1 billion": a
    // finite auxiliary right after a comma later in the clause has its subject before the
    // comma, so a verb read before it that SemCor knows mostly as a noun is a noun of that
    // subject (not "The heron landed, was tired, and slept").
    if (a.shape == clause_shape::statement && !find_auxiliary(toks[finite_token].lower()) &&
        lex_->mostly_nominal(toks[finite_token].text) &&
        auxiliary_after_comma(toks, at, finite_token))
      continue;
    if (subject_word != npos && subject_word < token_of.size()) {
      a.subject = token_of[subject_word];
      // "The SEC's new rule", "the greatest storm surge": an adjective is no subject.
      if (const token& subj = toks[a.subject];
          a.shape == clause_shape::statement && lex_->mostly_adjective(subj.lower()) &&
          !is_number(subj.lower()) &&
          !(a.subject > 0 && nominal_adjective(subj.lower(), toks[a.subject - 1].lower())) &&
          !(a.subject + 1 == finite_token && a.subject == at.front() &&
            quantifier_subject_of(subj.lower(), lex_->form_of(toks[finite_token].lower()))) &&
          (subj.first || !(subj.text[0] >= 'A' && subj.text[0] <= 'Z')))
        continue;
      if (a.shape == clause_shape::statement && a.subject > finite_token) continue;
      // "Bush and Putin agreed that Iran should not have": a verb after "that" after a past form
      // (and a name, a pronoun or a determiner opening the clause after it) is that verb's
      // complement's; the parse read the words before as a noun phrase and missed the main verb.
      if (a.shape == clause_shape::statement && a.subject < finite_token &&
          complement_between(toks, at, a.subject, finite_token))
        continue;
      // "Medicare will select ...": a modal read as the noun ("a will") heading the subject.
      if (const std::string subj = toks[a.subject].lower();
          find_auxiliary(subj) != nullptr && !find_auxiliary(subj)->is_be &&
          !find_auxiliary(subj)->is_have && a.subject + 1 < toks.size() &&
          lex_->form_of(toks[a.subject + 1].lower()) == verb_form::base)
        continue;
    }
    a.finite = finite_token;
    a.past = sub.ends_with("-d");
    a.perfect = from(finite_word, "PP") != npos;
    a.ok = true;
    a.by = "link-grammar";
    if (nominal_reading(toks, a.finite)) {
      if (!first_nominal.ok) first_nominal = a;
      continue;
    }
    if (!chosen.ok || earlier_statement(toks, a, chosen)) chosen = a;
  }
  if (chosen.ok) return chosen;
  // Every linkage that passed made its finite verb a present form SemCor knows mostly as a noun
  // ("the department or agency level", "Studly guys work"): the lexicon reading decides when
  // it finds a verb that is not one.
  if (first_nominal.ok) {
    clause_analysis lexical = analyse_by_lexicon(toks, at);
    if (lexical.ok && lexical.shape == clause_shape::statement &&
        !nominal_reading(toks, lexical.finite))
      return lexical;
  }
  return first_nominal;
}

bool clause_parser::complement_between(const tokens& toks, const std::vector<std::size_t>& at,
                                       std::size_t subject, std::size_t finite) const {
  for (std::size_t i = 1; i + 1 < at.size(); ++i) {
    if (at[i] <= subject || at[i] >= finite || !toks[at[i]].is("that")) continue;
    const std::string before = toks[at[i - 1]].lower();
    const token& after = toks[at[i + 1]];
    const verb_form form = lex_->form_of(before);
    const bool clause_opens = is_determiner(after.lower()) || is_pronoun_subject(after.lower()) ||
                              (after.text[0] >= 'A' && after.text[0] <= 'Z');
    if (at[i - 1] > subject && (form == verb_form::past || form == verb_form::past_or_participle) &&
        !lex_->mostly_nominal(before) && clause_opens)
      return true;
  }
  return false;
}

bool clause_parser::auxiliary_after_comma(const tokens& toks, const std::vector<std::size_t>& at,
                                          std::size_t verb) const {
  for (auto it = std::find(at.begin(), at.end(), verb); it != at.end(); ++it) {
    const token& t = toks[*it];
    if (t.kind == token_kind::quote) return false;
    if (t.kind != token_kind::word) continue;
    const std::string w = t.lower();
    if (opens_clause(w)) return false;
    const auxiliary* aux = find_auxiliary(w);
    if (aux == nullptr || aux->is_do || w.starts_with("'") || *it == 0) continue;
    if (toks[*it - 1].kind != token_kind::punct || toks[*it - 1].text != ",") continue;
    // Not a tag ("..., is it?") nor an inverted clause: a subject right after the auxiliary.
    const auto next = it + 1;
    return next != at.end() && toks[*next].kind == token_kind::word &&
           !is_pronoun_subject(toks[*next].lower());
  }
  return false;
}

bool clause_parser::nominal_reading(const tokens& toks, std::size_t finite) const {
  const std::string w = toks[finite].lower();
  if (find_auxiliary(normal_clitic(w)) != nullptr) return false;
  const verb_form form = lex_->form_of(w);
  return (form == verb_form::base || form == verb_form::third_person) && lex_->mostly_nominal(w);
}

bool clause_parser::finite_follows(const tokens& toks, const std::vector<std::size_t>& words,
                                   std::size_t k) const {
  for (std::size_t i = k + 1; i < words.size(); ++i) {
    const std::string w = toks[words[i]].lower();
    if (opens_clause(w)) return false;
    if (find_auxiliary(w) != nullptr && !w.starts_with("'")) return true;
    const verb_form form = lex_->form_of(w);
    const bool after_comma = words[i] > 0 && toks[words[i] - 1].kind == token_kind::punct &&
                             toks[words[i] - 1].text == ",";
    if (after_comma && !lex_->mostly_nominal(w) &&
        (form == verb_form::past || form == verb_form::past_or_participle ||
         form == verb_form::third_person))
      return true;
  }
  return false;
}

bool clause_parser::looks_declarative(const tokens& toks, const std::vector<std::size_t>& at,
                                      std::size_t verb) const {
  if (!lex_->mostly_nominal(toks[verb].lower())) return false;
  bool next = true;
  for (std::size_t i : at) {
    if (i <= verb || toks[i].kind != token_kind::word) continue;
    const std::string w = toks[i].lower();
    if (next && lex_->form_of(w) == verb_form::ing) return true;
    next = false;
    if (opens_clause(w)) return false;
    if (unambiguous_finite(*lex_, w)) return true;
  }
  return false;
}

clause_analysis clause_parser::analyse_by_lexicon(const tokens& toks,
                                                  const std::vector<std::size_t>& at) const {
  clause_analysis a;
  a.by = "lexicon";
  std::vector<std::size_t> words;
  for (std::size_t i : at) {
    if (toks[i].kind == token_kind::word) words.push_back(i);
  }
  // Leading conjunctions and adverbs are not the subject.
  std::size_t first = 0;
  while (first < words.size() &&
         (one_of(toks[words[first]].lower(), {"and", "but", "or", "so", "yet", "then"}) ||
          is_adverb(toks[words[first]])))
    ++first;
  if (first >= words.size()) return a;
  const bool ends_with_question =
      !at.empty() && std::any_of(at.begin(), at.end(), [&](std::size_t i) {
        return toks[i].kind == token_kind::punct && toks[i].text.starts_with("?");
      });
  const std::string head = toks[words[first]].lower();
  if (ends_with_question && find_auxiliary(head) && first + 1 < words.size()) {
    a.ok = true;
    a.shape = clause_shape::question;
    a.finite = words[first];
    a.subject = words[first + 1];
    return a;
  }
  if (one_of(head, {"do", "don't", "go", "come", "take", "make", "let", "give", "be", "tell",
                    "look", "listen", "stop", "wait", "keep", "remember", "try", "leave"}) &&
      (first + 1 >= words.size() || !lex_->verb_base(toks[words[first + 1]].lower()).empty() ||
       !is_pronoun_subject(toks[words[first + 1]].lower()))) {
    a.ok = true;
    a.shape = clause_shape::imperative;
    a.finite = words[first];
    return a;
  }
  // "Read for the take on ...", "Wash with cold water": a sentence opened by a plain form that
  // SemCor knows mostly as a verb, before a preposition or a determiner, with no finite verb
  // after it, is an imperative.
  if (first == 0 && toks[words[0]].first && first + 1 < words.size() &&
      (lex_->form_of(head) == verb_form::base || lex_->verb_base(head) == head) &&
      find_auxiliary(head) == nullptr && !lex_->mostly_nominal(head) &&
      lex_->usage_of(head).verb > 0 && is_determiner(toks[words[1]].lower()) &&
      !finite_follows(toks, words, 0)) {
    a.ok = true;
    a.shape = clause_shape::imperative;
    a.finite = words[0];
    return a;
  }
  // A present form that is also a noun ("graphic data displays", "tax cuts", "fertilizers like
  // compost") is only a weak candidate: a finite verb later in the same clause (before anything
  // that opens a clause of its own) is taken instead.
  std::size_t weak = npos;
  const auto found_at = [&](std::size_t k, bool past) {
    a.ok = true;
    a.finite = words[k];
    // The subject is the word before, past adverbs ("It still have": "It").
    std::size_t subject = k - 1;
    while (subject > first && is_adverb(toks[words[subject]])) --subject;
    a.subject = words[subject];
    a.past = past;
    return a;
  };
  const auto plural_noun = [&](const std::string& w) {
    return w.size() > 3 && w.ends_with('s') && !w.ends_with("ss") &&
           (lex_->is_noun_lemma(w.substr(0, w.size() - 1)) ||
            (w.ends_with("ies") && lex_->is_noun_lemma(w.substr(0, w.size() - 3) + "y")) ||
            (w.ends_with("es") && lex_->is_noun_lemma(w.substr(0, w.size() - 2))));
  };
  for (std::size_t k = first + 1; k < words.size(); ++k) {
    const token& t = toks[words[k]];
    const std::string w = t.lower();
    if (is_adverb(t)) continue;
    if (weak != npos && opens_clause(w)) {
      // ", some of which may be unknown, may be": a relative clause between commas is an aside;
      // the finite verb may come after it.
      const std::size_t after = past_comma_aside(toks, words, k);
      if (after == npos) break;
      k = after - 1;
      continue;
    }
    // ", like any other method,": "like" after a comma is a preposition.
    if (w == "like" && words[k] > 0 && toks[words[k] - 1].kind == token_kind::punct &&
        toks[words[k] - 1].text == ",")
      continue;
    // The word before, past adverbs ("We always stink": "We").
    // "aged 20 to 30" before a number is an attribute of the noun before it, not a verb.
    if (w == "aged" && k + 1 < words.size() && is_number(toks[words[k + 1]].lower())) continue;
    std::size_t p = k - 1;
    while (p > first && is_adverb(toks[words[p]])) --p;
    // The word before an age phrase ("Women aged 20 to 30 prefer": "Women").
    if (const std::size_t age = age_phrase_start(toks, words, p); age != npos && age > first)
      p = age - 1;
    // The plural noun that numbers label ("Lines 5 through 8 show": "Lines").
    if (const std::size_t label = labelling_numbers_start(toks, words, p);
        label != npos && label > first && plural_noun(toks[words[label - 1]].lower()))
      p = label - 1;
    const std::string prev = toks[words[p]].lower();
    const bool after_frequency_adverb =
        p + 1 < k && one_of(toks[words[k - 1]].lower(),
                            {"always", "never", "often", "usually", "sometimes", "also", "really",
                             "still", "just", "rarely", "seldom", "frequently"});
    const std::string next = k + 1 < words.size() ? toks[words[k + 1]].lower() : "";
    if (const auxiliary* aux = find_auxiliary(normal_clitic(w)); aux) {
      if (w.starts_with("'") || w.starts_with("\xE2\x80\x99")) {
        // "'s" after a noun is a possessive; after a pronoun it is "is" or "has".
        if (normal_clitic(w) == "'s" && !is_pronoun_subject(prev)) continue;
      }
      // "to do the right thing", "to be": an infinitive, not the finite verb; after another
      // preposition no auxiliary follows ("in May", "since May").
      if (prev == "to" || one_of(prev, {"in", "on", "of", "since", "until", "till", "by", "during",
                                        "from", "through", "at", "with", "for"}))
        continue;
      return found_at(k, false);
    }
    // "The total project cost including ..., is": the subject runs to the comma.
    if (lex_->mostly_nominal(w) && auxiliary_after_comma(toks, at, words[k])) continue;
    // A word before a comma determines nothing after it ("The fox, hungry as ever, ate").
    const bool after_comma = words[k] > 0 && toks[words[k] - 1].kind == token_kind::punct &&
                             toks[words[k] - 1].text == ",";
    // "That bears out my idea": "this" and "that" determine no plural noun, so before an -s
    // form that opens the clause they are its subject.
    const bool demonstrative_subject =
        p == first && one_of(prev, {"this", "that"}) && lex_->form_of(w) == verb_form::third_person;
    // "Many attended the fair": a quantifier opening the clause right before a verb that agrees
    // with it is the subject, unless that verb is a present used mostly as a noun ("Some water
    // spilled") or a finite verb follows ("Many wounded soldiers were").
    const verb_form plain_or_form =
        lex_->form_of(w) == verb_form::participle && lex_->verb_base(w) == w ? verb_form::base
                                                                             : lex_->form_of(w);
    const bool quantifier_subject =
        p == first && p + 1 == k && quantifier_subject_of(prev, plain_or_form) &&
        !(plain_or_form != verb_form::past && lex_->mostly_nominal(w)) &&
        !finite_follows(toks, words, k);
    if (quantifier_subject)
      return found_at(
          k, plain_or_form == verb_form::past || plain_or_form == verb_form::past_or_participle);
    if (!after_comma && ((is_determiner(prev) && !demonstrative_subject) || prev == "'s" ||
                         prev == "and" || prev == "or" || prev == "than"))
      continue;
    // Whether words[k] opens an aside of at most four words closed by a comma with a finite verb
    // right after it ("tired and hungry, landed"; not "revolutionised music ..., and was").
    const auto short_aside_before_verb = [&](std::size_t from) {
      for (std::size_t i = from + 1; i < words.size() && i <= from + 4; ++i) {
        if (toks[words[i] - 1].kind != token_kind::punct || toks[words[i] - 1].text != ",")
          continue;
        const std::string v = toks[words[i]].lower();
        const verb_form f = lex_->form_of(v);
        return (find_auxiliary(v) != nullptr && !v.starts_with("'")) || f == verb_form::past ||
               f == verb_form::past_or_participle || f == verb_form::third_person;
      }
      return false;
    };
    // "Catastrophic floods", "new rule": a noun after an adjective, not a verb; not across a
    // comma ("The heron, tired and hungry, landed").
    if (!after_comma && lex_->is_adjective_lemma(prev) && !lex_->is_noun_lemma(prev) &&
        lex_->verb_base(prev).empty() &&
        !(p > first && nominal_adjective(prev, toks[words[p - 1]].lower())) &&
        !apposed_number(toks, words[p]))
      continue;
    const verb_form form = lex_->form_of(w);
    // "The currency used in China is ...": a participle before a preposition, the finite verb
    // later.
    // So is "Andreotti, accused of Mafia connections, begins": the finite verb comes after a
    // comma. Not one inside a relative clause ("nations that haven't ratified"). Nor is one that
    // opens an aside after a comma ("The heron, tired and hungry, landed").
    if ((form == verb_form::past_or_participle || form == verb_form::participle) &&
        ((one_of(next, {"by", "in", "for", "to", "on", "at", "from", "with", "as", "of"}) &&
          finite_follows(toks, words, k)) ||
         (after_comma && short_aside_before_verb(k))))
      continue;
    const bool past = form == verb_form::past || form == verb_form::past_or_participle;
    if (past && absolute_participle(toks, at, words[k])) continue;
    // "A bald headed man ... is amused": a participle between an adjective after a determiner
    // and a noun is an attribute when an auxiliary follows.
    const bool attributive =
        past && p >= first + 1 && p + 1 == k && is_determiner(toks[words[p - 1]].lower()) &&
        lex_->is_adjective_lemma(prev) && lex_->is_noun_lemma(next) &&
        (lex_->form_of(next) == verb_form::unknown || lex_->mostly_nominal(next)) &&
        finite_follows(toks, words, k);
    if (attributive) continue;
    const verb_form prev_form = lex_->form_of(prev);
    const bool after_verb = prev == "to" || prev_form == verb_form::ing ||
                            (prev_form == verb_form::base && !lex_->is_noun_lemma(prev)) ||
                            prev_form == verb_form::participle ||
                            (prev_form == verb_form::third_person && !lex_->mostly_nominal(prev));
    // "Both final rules were issued": a plural noun before the real verb.
    const bool next_is_verb =
        find_auxiliary(next) != nullptr || lex_->form_of(next) == verb_form::past;
    const bool third = form == verb_form::third_person && !after_verb && !next_is_verb &&
                       (is_pronoun_subject(prev) || k > first);
    const bool plural_subject = plural_noun(prev);
    // "OASI and DI make": a coordinated subject is plural.
    const bool coordinated_subject = p >= first + 2 && p == k - 1 && toks[words[p - 1]].is("and");
    const bool plain_present = form == verb_form::base && !next_is_verb &&
                               (one_of(prev, {"i", "you", "we", "they", "there", "others"}) ||
                                after_frequency_adverb || plural_subject || coordinated_subject);
    // "having eaten", "getting splashed": a participle after an -ing form.
    if (past && prev_form != verb_form::ing) return found_at(k, true);
    if (!third && !plain_present) continue;
    // "produces sulphur compounds", "picks up": a base form SemCor knows mostly as a noun,
    // adjective or particle is not a verb.
    if (plain_present && lex_->mostly_nominal(w)) continue;
    const bool pronoun_subject = is_pronoun_subject(prev);
    const std::string lemma = lex_->verb_base(w);
    const bool noun_too =
        w == "like" || (!pronoun_subject && (lex_->is_noun_lemma(w) || lex_->is_noun_lemma(lemma)));
    if (!noun_too) return found_at(k, false);
    // "Oil prices rise": of two weak candidates side by side, the first is the subject when
    // SemCor knows it mostly as a noun ("prices", not "produces").
    if (weak == npos ||
        (words[k - 1] == words[weak] && lex_->mostly_nominal(toks[words[weak]].text)))
      weak = k;
  }
  // "A man in blue shirts smiling", "A girl wearing a tank top, gray shorts and nylons": a weak
  // candidate SemCor knows mostly as a noun, next to an -ing form that heads a fragment, is a
  // noun (the fragment's, or its object's).
  const auto ing_at = [&](std::size_t k) {
    return k < words.size() && lex_->form_of(toks[words[k]].lower()) == verb_form::ing;
  };
  const bool noun_by_ing =
      weak != npos && lex_->mostly_nominal(toks[words[weak]].text) &&
      (ing_at(weak + 1) ||
       std::any_of(words.begin() + static_cast<std::ptrdiff_t>(first) + 1,
                   words.begin() + static_cast<std::ptrdiff_t>(weak), [&](std::size_t i) {
                     return lex_->form_of(toks[i].lower()) == verb_form::ing;
                   }));
  if (weak != npos && !noun_by_ing) return found_at(weak, false);
  // No finite verb: a fragment such as "A module negating sentences" or "... to negate them".
  // An -ing form after an article or a possessive, or after an adjective after one, is a noun
  // ("the evening", "A religious gathering reading a book").
  const auto noun_after_determiner = [&](std::size_t k) {
    static constexpr std::array<std::string_view, 14> kDeterminers = {
        "a",  "an",   "the", "this", "that", "these", "those",
        "my", "your", "his", "her",  "its",  "our",   "their"};
    const auto determiner = [&](std::size_t i) {
      const std::string d = toks[words[i]].lower();
      return std::find(kDeterminers.begin(), kDeterminers.end(), d) != kDeterminers.end();
    };
    if (k == 0) return false;
    if (determiner(k - 1)) return true;
    return k >= 2 && determiner(k - 2) && lex_->is_adjective_lemma(toks[words[k - 1]].lower()) &&
           lex_->form_of(toks[words[k - 1]].lower()) == verb_form::unknown;
  };
  // "Spent the evening teaching my dad ...", "Went to the market": a diary's past with its
  // subject left out, opening the clause: a past that is no participle, or one before its
  // object (not a participle before a preposition: "Based on the data", "Born in May").
  const std::string opening_word = toks[words[first]].lower();
  const verb_form opening = lex_->form_of(opening_word);
  const std::string after_opening = first + 1 < words.size() ? toks[words[first + 1]].lower() : "";
  if (find_auxiliary(opening_word) == nullptr && !after_opening.empty() &&
      (opening == verb_form::past ||
       (opening == verb_form::past_or_participle && is_determiner(after_opening) &&
        !one_of(after_opening, {"by", "in", "on", "at", "with", "from", "of", "to", "for", "into",
                                "upon", "about", "as"})))) {
    a.ok = true;
    a.finite = words[first];
    a.past = true;
    return a;
  }
  for (std::size_t k = first; k < words.size(); ++k) {
    const std::string w = toks[words[k]].lower();
    const bool ing =
        (w.ends_with("ing") && lex_->form_of(w) == verb_form::ing && !noun_after_determiner(k)) ||
        // "A baby elephant born in the zoo": a form that is only a participle.
        (k > first && lex_->form_of(w) == verb_form::participle && find_auxiliary(w) == nullptr);
    const bool infinitive = w == "to" && k + 1 < words.size() &&
                            lex_->form_of(toks[words[k + 1]].lower()) == verb_form::base;
    // "a module to not negate sentences": the verb after the negation.
    const bool negated_infinitive = w == "to" && k + 2 < words.size() &&
                                    toks[words[k + 1]].is("not") &&
                                    lex_->form_of(toks[words[k + 2]].lower()) == verb_form::base;
    if (ing || infinitive || negated_infinitive) {
      a.ok = true;
      a.shape = clause_shape::nonfinite;
      a.finite = negated_infinitive ? words[k + 2] : infinitive ? words[k + 1] : words[k];
      return a;
    }
  }
  // Last, a plain present that does not agree with its subject ("A couple watch a little girl",
  // "He call Francisco"): a base form after a pronoun, or after a noun when an object or an
  // adverb follows it (a base form that is also a noun needs that evidence).
  for (std::size_t k = first + 1; k < words.size(); ++k) {
    const std::string w = toks[words[k]].lower();
    if (lex_->form_of(w) != verb_form::base || find_auxiliary(w) != nullptr ||
        lex_->mostly_nominal(w) || lex_->usage_of(w).verb == 0)
      continue;
    const std::string prev = toks[words[k - 1]].lower();
    const bool pronoun = one_of(prev, {"he", "she", "it"});
    if (!pronoun &&
        (!lex_->is_noun_lemma(prev) || is_determiner(prev) || one_of(prev, {"and", "or", "than"})))
      continue;
    const std::string next = k + 1 < words.size() ? toks[words[k + 1]].lower() : "";
    const bool object_follows =
        next.empty() || is_determiner(next) || is_adverb(toks[words[k + 1]]) ||
        one_of(next, {"him", "her", "them", "me", "us", "it", "together", "here", "there", "away",
                      "out", "up", "down", "back"});
    if (!pronoun && lex_->is_noun_lemma(w) && !object_follows) continue;
    a.ok = true;
    a.finite = words[k];
    a.subject = words[k - 1];
    return a;
  }
  return a;
}

}  // namespace textkit::negate
