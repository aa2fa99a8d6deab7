#include "lexicon.h"

#include <array>
#include <fstream>
#include <sstream>
#include <vector>

#include "textkit/error.h"

namespace textkit::negate {
namespace {

// WordNet's verb.exc maps forms to lemmas without saying which is the past and which the
// participle; un-negating ("did not go" -> "went") needs that, so the common irregular verbs are
// listed here as lemma, past, participle.
constexpr std::string_view kIrregular =
    "arise arose arisen|awake awoke awoken|be was been|bear bore borne|beat beat beaten|"
    "become became become|begin began begun|bend bent bent|bet bet bet|bid bid bid|bind bound "
    "bound|bite bit bitten|bleed bled bled|blow blew blown|break broke broken|breed bred bred|"
    "bring brought brought|build built built|burn burnt burnt|burst burst burst|buy bought "
    "bought|cast cast cast|catch caught caught|choose chose chosen|cling clung clung|come came "
    "come|cost cost cost|creep crept crept|cut cut cut|deal dealt dealt|dig dug dug|do did done|"
    "draw drew drawn|dream dreamt dreamt|drink drank drunk|drive drove driven|eat ate eaten|fall "
    "fell fallen|feed fed fed|feel felt felt|fight fought fought|find found found|flee fled fled|"
    "fling flung flung|fly flew flown|forbid forbade forbidden|forget forgot forgotten|forgive "
    "forgave forgiven|freeze froze frozen|get got got|give gave given|go went gone|grind ground "
    "ground|grow grew grown|hang hung hung|have had had|hear heard heard|hide hid hidden|hit hit "
    "hit|hold held held|hurt hurt hurt|keep kept kept|kneel knelt knelt|know knew known|lay laid "
    "laid|lead led led|lean leant leant|leap leapt leapt|learn learnt learnt|leave left left|lend "
    "lent lent|let let let|lie lay lain|light lit lit|lose lost lost|make made made|mean meant "
    "meant|meet met met|overcome overcame overcome|overtake overtook overtaken|pay paid paid|put "
    "put put|quit quit quit|read read read|rid rid rid|ride rode ridden|ring rang rung|rise rose "
    "risen|run ran run|say said said|see saw seen|seek sought sought|sell sold sold|send sent "
    "sent|set set set|sew sewed sewn|shake shook shaken|shed shed shed|shine shone shone|shoot "
    "shot shot|show showed shown|shrink shrank shrunk|shut shut shut|sing sang sung|sink sank "
    "sunk|sit sat sat|slay slew slain|sleep slept slept|slide slid slid|sling slung slung|slit "
    "slit slit|smell smelt smelt|speak spoke spoken|speed sped sped|spend spent spent|spill spilt "
    "spilt|spin spun spun|spit spat spat|split split split|spread spread spread|spring sprang "
    "sprung|stand stood stood|steal stole stolen|stick stuck stuck|sting stung stung|stink stank "
    "stunk|stride strode stridden|strike struck struck|string strung strung|strive strove "
    "striven|swear swore sworn|sweep swept swept|swell swelled swollen|swim swam swum|swing "
    "swung swung|take took taken|teach taught taught|tear tore torn|tell told told|think thought "
    "thought|throw threw thrown|thrust thrust thrust|tread trod trodden|understand understood "
    "understood|undertake undertook undertaken|upset upset upset|wake woke woken|wear wore worn|"
    "weave wove woven|weep wept wept|win won won|wind wound wound|withdraw withdrew withdrawn|"
    "wring wrung wrung|write wrote written";

// Forms where English prefers the regular past ("burned", "dreamed", "learned"): accepted as
// input, but the regular form is what un-negation writes.
constexpr std::array<std::string_view, 8> kRegularPreferred = {"burn",  "dream", "lean",  "leap",
                                                               "learn", "smell", "spill", "light"};

constexpr std::array<auxiliary, 29> kAuxiliaries = {{
    {"am", "", "am not", false, false, true},
    {"'m", "", "am not", false, false, true},
    {"is", "isn't", "is not", false, false, true},
    {"'s", "isn't", "is not", false, false, true},
    {"are", "aren't", "are not", false, false, true},
    {"'re", "aren't", "are not", false, false, true},
    {"was", "wasn't", "was not", false, false, true},
    {"were", "weren't", "were not", false, false, true},
    {"have", "haven't", "have not", false, true, false},
    {"'ve", "haven't", "have not", false, true, false},
    {"has", "hasn't", "has not", false, true, false},
    {"had", "hadn't", "had not", false, true, false},
    {"'d", "wouldn't", "would not", false, false, false},
    {"do", "don't", "do not", true, false, false},
    {"does", "doesn't", "does not", true, false, false},
    {"did", "didn't", "did not", true, false, false},
    {"can", "can't", "cannot", false, false, false},
    {"could", "couldn't", "could not", false, false, false},
    {"will", "won't", "will not", false, false, false},
    {"'ll", "won't", "will not", false, false, false},
    {"would", "wouldn't", "would not", false, false, false},
    {"shall", "shan't", "shall not", false, false, false},
    {"should", "shouldn't", "should not", false, false, false},
    {"may", "", "may not", false, false, false},
    {"might", "", "might not", false, false, false},
    {"must", "mustn't", "must not", false, false, false},
    {"ought", "", "ought not", false, false, false},
    {"need", "needn't", "need not", false, false, false},
    {"dare", "daren't", "dare not", false, false, false},
}};

std::ifstream open_wordnet(const std::filesystem::path& dir, std::string_view name) {
  std::ifstream in(dir / name);
  if (!in) {
    throw error("cannot read " + (dir / name).string() +
                " (WordNet; install the Debian package wordnet-base, or set the option "
                "\"wordnet\" to its folder)");
  }
  return in;
}

void load_lemmas(const std::filesystem::path& dir, std::string_view name,
                 std::unordered_set<std::string>& into) {
  std::ifstream in = open_wordnet(dir, name);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == ' ') continue;  // the licence header
    const std::size_t space = line.find(' ');
    if (space == std::string::npos) continue;
    std::string lemma = line.substr(0, space);
    if (lemma.find('_') != std::string::npos) continue;
    into.insert(std::move(lemma));
  }
}

bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

/// "stop" -> true: consonant-vowel-consonant at the end of a one-syllable word doubles before -ed.
bool doubles_final_consonant(std::string_view base) {
  const std::size_t n = base.size();
  if (n < 3) return false;
  const char last = base[n - 1];
  if (is_vowel(last) || last == 'w' || last == 'x' || last == 'y') return false;
  if (!is_vowel(base[n - 2]) || is_vowel(base[n - 3])) return false;
  int vowel_groups = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (is_vowel(base[i]) && (i == 0 || !is_vowel(base[i - 1]))) ++vowel_groups;
  }
  return vowel_groups == 1;
}

// The head of a synset line of a WordNet data.* file ("offset lex_filenum ss_type w_cnt word
// lex_id ..."): the synset's offset and its words as written; `fields` is left at the pointer
// count.
struct synset_head {
  std::string offset;
  std::vector<std::string> words;
};

synset_head read_synset_head(std::istringstream& fields) {
  synset_head head;
  std::string lex_file;
  std::string type;
  std::string count_hex;
  fields >> head.offset >> lex_file >> type >> count_hex;
  const int count = std::stoi(count_hex, nullptr, 16);
  for (int i = 0; i < count; ++i) {
    std::string word;
    std::string lex_id;
    fields >> word >> lex_id;
    head.words.push_back(std::move(word));
  }
  return head;
}

}  // namespace

std::string to_lower(std::string_view word) {
  std::string out(word);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string lower_first(std::string_view word) {
  if (word == "I" || word.starts_with("I'")) return std::string(word);
  // Proper names and acronyms keep their capitals: only a capital followed by lower case goes.
  if (word.size() > 1 && word[1] >= 'A' && word[1] <= 'Z') return std::string(word);
  std::string out(word);
  if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z')
    out[0] = static_cast<char>(out[0] - 'A' + 'a');
  return out;
}

std::string upper_first(std::string_view word) {
  std::string out(word);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z')
    out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

const auxiliary* find_auxiliary(std::string_view lower) {
  for (const auxiliary& a : kAuxiliaries) {
    if (a.word == lower) return &a;
  }
  return nullptr;
}

std::shared_ptr<const lexicon> lexicon::load(const std::filesystem::path& wordnet_dir) {
  auto lex = std::make_shared<lexicon>();
  {
    std::ifstream in = open_wordnet(wordnet_dir, "verb.exc");
    // A line is a form and one or more lemmas ("lay lie lay"): the first lemma is taken.
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string form;
      std::string lemma;
      if (!(fields >> form >> lemma) || form.find('_') != std::string::npos) continue;
      lex->exceptions_.emplace(form, lemma);
    }
  }
  load_lemmas(wordnet_dir, "index.verb", lex->verbs_);
  load_lemmas(wordnet_dir, "index.noun", lex->nouns_);
  load_lemmas(wordnet_dir, "index.adj", lex->adjectives_);
  // cntlist.rev: "sense_key sense_number tag_count", the key "lemma%pos:..." with pos 1 noun,
  // 2 verb, 3 adjective, 4 adverb, 5 satellite adjective. Optional: older dict folders lack it.
  if (std::ifstream counts(wordnet_dir / "cntlist.rev"); counts) {
    std::string key;
    int sense = 0;
    int count = 0;
    while (counts >> key >> sense >> count) {
      const std::size_t percent = key.find('%');
      if (percent == std::string::npos || percent + 1 >= key.size()) continue;
      usage& u = lex->usage_[key.substr(0, percent)];
      switch (key[percent + 1]) {
        case '1':
          u.noun += count;
          break;
        case '2':
          u.verb += count;
          break;
        case '3':
        case '5':
          u.adjective += count;
          break;
        default:
          break;
      }
    }
  }

  std::istringstream table{std::string(kIrregular)};
  std::string entry;
  while (std::getline(table, entry, '|')) {
    std::istringstream parts(entry);
    std::string base;
    paradigm p;
    parts >> base >> p.past >> p.participle;
    lex->past_forms_.emplace(p.past, base);
    lex->participles_.emplace(p.participle, base);
    lex->exceptions_.emplace(p.past, base);
    lex->exceptions_.emplace(p.participle, base);
    lex->verbs_.insert(base);
    lex->irregular_.emplace(base, std::move(p));
  }
  lex->past_forms_["were"] = "be";
  // Second participles the table's one per verb leaves out: never a past tense ("A baby
  // elephant born" is no "did not bear").
  lex->participles_.emplace("born", "bear");
  lex->participles_.emplace("gotten", "get");
  lex->participles_.emplace("proven", "prove");
  for (std::string_view regular : kRegularPreferred) lex->irregular_.erase(std::string(regular));

  // Adjective antonyms: a "!" pointer in data.adj names the synset and word number of the
  // antonym; resolved in a second pass over the offsets collected in the first.
  std::ifstream in = open_wordnet(wordnet_dir, "data.adj");
  std::unordered_map<std::string, std::vector<std::string>> words_at;
  std::vector<std::pair<std::string, std::pair<std::string, int>>> pending;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == ' ') continue;
    std::istringstream fields(line);
    auto [offset, words] = read_synset_head(fields);
    const int count = static_cast<int>(words.size());
    for (std::string& word : words) {
      // "(a)", "(p)": an adjective's position marker.
      if (const std::size_t paren = word.find('('); paren != std::string::npos) word.resize(paren);
    }
    int pointers = 0;
    fields >> pointers;
    for (int i = 0; i < pointers; ++i) {
      std::string symbol;
      std::string target;
      std::string pos;
      std::string source_target;
      fields >> symbol >> target >> pos >> source_target;
      if (symbol != "!" || source_target.size() != 4) continue;
      const int source = std::stoi(source_target.substr(0, 2), nullptr, 16);
      const int target_word = std::stoi(source_target.substr(2, 2), nullptr, 16);
      if (source < 1 || source > count) continue;
      pending.push_back({words[static_cast<std::size_t>(source - 1)], {target, target_word}});
    }
    words_at.emplace(offset, std::move(words));
  }
  for (const auto& [word, where] : pending) {
    const auto it = words_at.find(where.first);
    if (it == words_at.end() || where.second < 1 ||
        static_cast<std::size_t>(where.second) > it->second.size())
      continue;
    const std::string& antonym = it->second[static_cast<std::size_t>(where.second - 1)];
    if (word.find('_') != std::string::npos || antonym.find('_') != std::string::npos) continue;
    lex->antonyms_.emplace(word, antonym);  // the first (most frequent sense) wins
  }
  load_verb_frames(wordnet_dir, *lex);
  return lex;
}

void lexicon::load_verb_frames(const std::filesystem::path& wordnet_dir, lexicon& lex) {
  // data.verb: after the words and the pointers, "f_cnt" frames "+ f_num w_num" (w_num 00: the
  // frame holds for every word of the synset). Optional: without it no verb is known to need
  // an object, and the rules that ask see no evidence.
  std::ifstream in(wordnet_dir / "data.verb");
  if (!in) return;
  // The sentence frames that take no object: "Something ----s", "Somebody ----s", "It is
  // ----ing", "Something is ----ing PP", "Something ----s Adjective/Noun", "Somebody ----s
  // Adjective", "... to somebody", "... on something", "Somebody ----s PP", "Somebody's (body
  // part) ----s".
  constexpr std::array<int, 11> kNoObject = {1, 2, 3, 4, 6, 7, 12, 13, 22, 23, 27};
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == ' ') continue;
    std::istringstream fields(line);
    std::vector<std::string> words = read_synset_head(fields).words;
    const int count = static_cast<int>(words.size());
    for (std::string& word : words) word = to_lower(word);
    int pointers = 0;
    fields >> pointers;
    for (int i = 0; i < pointers; ++i) {
      std::string skip;
      fields >> skip >> skip >> skip >> skip;
    }
    int frames = 0;
    fields >> frames;
    for (int i = 0; i < frames; ++i) {
      std::string plus;
      int frame = 0;
      std::string word_hex;
      fields >> plus >> frame >> word_hex;
      if (!fields) break;
      const int word = std::stoi(word_hex, nullptr, 16);
      const bool no_object =
          std::find(kNoObject.begin(), kNoObject.end(), frame) != kNoObject.end();
      for (int w = 0; w < count; ++w) {
        if (word != 0 && word != w + 1) continue;
        lex.framed_.insert(words[static_cast<std::size_t>(w)]);
        if (no_object) lex.without_object_.insert(words[static_cast<std::size_t>(w)]);
      }
    }
  }
}

bool lexicon::needs_object(std::string_view lemma) const {
  const std::string key(lemma);
  return framed_.contains(key) && !without_object_.contains(key);
}

bool lexicon::is_verb_lemma(std::string_view word) const {
  return verbs_.contains(std::string(word));
}

bool lexicon::is_noun_lemma(std::string_view word) const {
  return nouns_.contains(std::string(word));
}

bool lexicon::is_adjective_lemma(std::string_view word) const {
  return adjectives_.contains(std::string(word));
}

std::string lexicon::verb_base(std::string_view word_in) const {
  const std::string word = to_lower(word_in);
  if (const auto it = exceptions_.find(word); it != exceptions_.end()) return it->second;
  const auto known = [this](const std::string& candidate) { return verbs_.contains(candidate); };
  const auto ends = [&](std::string_view suffix) { return word.ends_with(suffix); };
  const std::size_t n = word.size();
  if (n > 3 && ends("ied")) {
    if (std::string c = word.substr(0, n - 3) + "y"; known(c)) return c;
  }
  if (n > 3 && ends("ed")) {
    std::string stem = word.substr(0, n - 2);
    if (stem.size() >= 3 && stem[stem.size() - 1] == stem[stem.size() - 2] &&
        doubles_final_consonant(stem.substr(0, stem.size() - 1)) &&
        known(stem.substr(0, stem.size() - 1)))
      return stem.substr(0, stem.size() - 1);
    if (std::string c = word.substr(0, n - 1); known(c) && c.ends_with('e')) return c;
    if (known(stem)) return stem;
  }
  if (n > 4 && ends("ing")) {
    std::string stem = word.substr(0, n - 3);
    if (stem.size() >= 3 && stem[stem.size() - 1] == stem[stem.size() - 2] &&
        known(stem.substr(0, stem.size() - 1)))
      return stem.substr(0, stem.size() - 1);
    if (known(stem)) return stem;
    if (known(stem + "e")) return stem + "e";
  }
  if (n > 3 && ends("ies")) {
    if (std::string c = word.substr(0, n - 3) + "y"; known(c)) return c;
  }
  if (n > 3 && ends("es")) {
    std::string c = word.substr(0, n - 2);
    if ((c.ends_with("s") || c.ends_with("x") || c.ends_with("z") || c.ends_with("ch") ||
         c.ends_with("sh") || c.ends_with("o")) &&
        known(c))
      return c;
  }
  if (n > 2 && ends("s") && !ends("ss")) {
    if (std::string c = word.substr(0, n - 1); known(c)) return c;
  }
  if (known(word)) return word;
  return "";
}

verb_form lexicon::form_of(std::string_view word_in) const {
  const std::string word = to_lower(word_in);
  const bool past = past_forms_.contains(word);
  const bool participle = participles_.contains(word);
  if (past && participle) return verb_form::past_or_participle;
  if (past) return verb_form::past;
  if (participle) return verb_form::participle;
  if (verbs_.contains(word)) return verb_form::base;
  if (word.ends_with("ing") && !verb_base(word).empty()) return verb_form::ing;
  if (word.ends_with("ed") && !verb_base(word).empty()) return verb_form::past_or_participle;
  if (exceptions_.contains(word)) return verb_form::past_or_participle;
  if (word.ends_with('s') && !verb_base(word).empty()) return verb_form::third_person;
  return verb_form::unknown;
}

usage lexicon::usage_of(std::string_view lemma) const {
  const auto it = usage_.find(to_lower(lemma));
  return it == usage_.end() ? usage{} : it->second;
}

bool lexicon::mostly_nominal(std::string_view word_in) const {
  const std::string word = to_lower(word_in);
  // The noun's lemma: the word itself, or without its plural ending.
  std::string noun = word;
  if (!usage_.contains(noun)) {
    if (word.ends_with("ies") && word.size() > 4) {
      noun = word.substr(0, word.size() - 3) + "y";
    } else if (word.ends_with("es") && usage_.contains(word.substr(0, word.size() - 2))) {
      noun = word.substr(0, word.size() - 2);
    } else if (word.ends_with('s') && word.size() > 3) {
      noun = word.substr(0, word.size() - 1);
    }
  }
  const usage as_noun = usage_of(noun);
  const std::string verb = verb_base(word);
  const int verb_count = usage_of(verb.empty() ? word : verb).verb;
  const int nominal = as_noun.noun + as_noun.adjective;
  return nominal > verb_count;
}

bool lexicon::mostly_adjective(std::string_view word_in) const {
  const std::string word = to_lower(word_in);
  std::string stem = word;
  if (!usage_.contains(stem)) {
    if (word.ends_with("est") && word.size() > 5) {
      stem = word.substr(0, word.size() - 3);
    } else if (word.ends_with("er") && word.size() > 4) {
      stem = word.substr(0, word.size() - 2);
    }
  }
  const usage u = usage_of(stem);
  return u.adjective > u.noun + u.verb;
}

std::string lexicon::past_of(std::string_view base) const {
  if (base == "be") return "was";
  if (const auto it = irregular_.find(std::string(base)); it != irregular_.end())
    return it->second.past;
  std::string b(base);
  if (b.ends_with('e')) return b + "d";
  if (b.size() > 1 && b.back() == 'y' && !is_vowel(b[b.size() - 2]))
    return b.substr(0, b.size() - 1) + "ied";
  if (doubles_final_consonant(b)) return b + b.back() + "ed";
  return b + "ed";
}

std::string lexicon::participle_of(std::string_view base) const {
  if (const auto it = irregular_.find(std::string(base)); it != irregular_.end())
    return it->second.participle;
  return past_of(base);
}

std::string lexicon::third_person_of(std::string_view base) {
  if (base == "be") return "is";
  if (base == "have") return "has";
  if (base == "do") return "does";
  if (base == "go") return "goes";
  std::string b(base);
  if (b.size() > 1 && b.back() == 'y' && !is_vowel(b[b.size() - 2]))
    return b.substr(0, b.size() - 1) + "ies";
  if (b.ends_with('s') || b.ends_with('x') || b.ends_with('z') || b.ends_with("ch") ||
      b.ends_with("sh") || b.ends_with('o'))
    return b + "es";
  return b + "s";
}

std::string lexicon::antonym_of(std::string_view adjective) const {
  const auto it = antonyms_.find(to_lower(adjective));
  return it == antonyms_.end() ? std::string() : it->second;
}

}  // namespace textkit::negate
