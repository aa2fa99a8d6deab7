// negate - the English word knowledge the rules need: auxiliaries and modals with their negative
// forms, verb morphology (WordNet's irregular forms and lemmas plus a paradigm table and regular
// rules), and adjective antonyms from WordNet.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace textkit::negate {

/// What a verb form is, as far as the word alone tells.
enum class verb_form { unknown, base, third_person, past, participle, past_or_participle, ing };

/// How often a lemma was tagged in each part of speech in SemCor (WordNet's cntlist.rev).
struct usage {
  int noun = 0;
  int verb = 0;
  int adjective = 0;  ///< adjectives and satellite adjectives
};

/// Read-only once loaded: safe to share between threads.
class lexicon {
 public:
  /// Loads verb.exc, index.verb, index.noun, index.adj and data.adj from `wordnet_dir`, and
  /// cntlist.rev when it is there. Throws textkit::error naming the missing file and the package
  /// that provides it.
  static std::shared_ptr<const lexicon> load(const std::filesystem::path& wordnet_dir);

  /// The lemma of a verb form ("went" -> "go", "tries" -> "try", "stopped" -> "stop"), or ""
  /// when the word is not a known verb form.
  [[nodiscard]] std::string verb_base(std::string_view word) const;
  /// What the form is, given that verb_base() knows it.
  [[nodiscard]] verb_form form_of(std::string_view word) const;
  [[nodiscard]] bool is_verb_lemma(std::string_view word) const;
  [[nodiscard]] bool is_noun_lemma(std::string_view word) const;
  [[nodiscard]] bool is_adjective_lemma(std::string_view word) const;

  /// SemCor's counts for a lemma; zeros when it was never tagged (or cntlist.rev is absent).
  [[nodiscard]] usage usage_of(std::string_view lemma) const;
  /// Whether a word (a form of a noun, adjective or verb) is used more as a noun or adjective
  /// than as a verb: "people", "French", "soaps", "services"; false when SemCor has no
  /// evidence either way.
  [[nodiscard]] bool mostly_nominal(std::string_view word) const;
  /// Whether a word (or its positive degree: "greatest", "newer") is used more as an adjective
  /// than as a noun or verb: "new", "greatest"; false without evidence.
  [[nodiscard]] bool mostly_adjective(std::string_view word) const;

  [[nodiscard]] std::string past_of(std::string_view base) const;
  [[nodiscard]] std::string participle_of(std::string_view base) const;
  [[nodiscard]] static std::string third_person_of(std::string_view base);

  /// A direct WordNet antonym of an adjective ("little" -> "big"), or "".
  [[nodiscard]] std::string antonym_of(std::string_view adjective) const;

  /// Whether every sentence frame WordNet (data.verb) gives the verb has an object or a
  /// complement clause ("murder", "use", "discover"; not "stop": "Somebody ----s"): such a verb
  /// never ends its clause in the active voice. False when WordNet has no frames for it.
  [[nodiscard]] bool needs_object(std::string_view lemma) const;

 private:
  static void load_verb_frames(const std::filesystem::path& wordnet_dir, lexicon& lex);
  struct paradigm {
    std::string past;
    std::string participle;
  };
  std::unordered_map<std::string, std::string> exceptions_;   // irregular form -> lemma
  std::unordered_map<std::string, paradigm> irregular_;       // lemma -> past, participle
  std::unordered_map<std::string, std::string> past_forms_;   // irregular past -> lemma
  std::unordered_map<std::string, std::string> participles_;  // irregular participle -> lemma
  std::unordered_set<std::string> verbs_;
  std::unordered_set<std::string> nouns_;
  std::unordered_set<std::string> adjectives_;
  std::unordered_map<std::string, std::string> antonyms_;
  std::unordered_map<std::string, usage> usage_;
  std::unordered_set<std::string> framed_;          // verbs with sentence frames in WordNet
  std::unordered_set<std::string> without_object_;  // ... and one of them takes no object
};

/// A finite auxiliary or modal ("is", "'s", "can", "won't" split as "will" + "n't"), with what
/// negation and contraction make of it.
struct auxiliary {
  std::string_view word;          ///< lower case, as tokenised ("'s" for the clitic)
  std::string_view contracted;    ///< with n't ("isn't"), "" when English has none in use
  std::string_view uncontracted;  ///< with not ("is not", "cannot")
  bool is_do = false;             ///< do/does/did: do-support
  bool is_have = false;           ///< have/has/had: an auxiliary only before a participle
  bool is_be = false;
};

/// The entry for a lower-case finite auxiliary, or nullptr.
const auxiliary* find_auxiliary(std::string_view lower);

/// "I" stays "I"; every other word lower case (for moving a word away from the sentence start).
std::string lower_first(std::string_view word);
std::string upper_first(std::string_view word);
std::string to_lower(std::string_view word);

}  // namespace textkit::negate
