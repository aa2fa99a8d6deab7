// kanji - the `write.anki` sink: word cards (reading, EDICT meaning, an example sentence from the
// user's corpus with furigana) and kanji cards (from kanji.info), as an Anki text import file.
#include <algorithm>
#include <map>
#include <optional>

#include "anki.h"
#include "annotator.h"
#include "edict_lookup.h"
#include "option_helpers.h"
#include "render.h"
#include "text.h"
#include "textkit/io.h"
#include "textkit/plugin.h"

namespace textkit::kanji {
namespace {

enum class layout { basic, fields };
enum class furigana_style { ruby, anki, none };

struct settings {
  std::string path;
  std::optional<std::string> word_list;
  std::optional<std::string> examples;
  layout shape = layout::basic;
  std::string notetype;
  std::string deck;
  std::vector<std::string> tags;
  furigana_style furigana = furigana_style::ruby;
  std::size_t meanings = 3;
  std::size_t max_example_chars = 80;
  bool guid = true;
  std::string edict;
  std::string mecab_dictionary;
};

struct word_card {
  std::string word;
  std::string reading;        // empty: from EDICT, else MeCab
  std::string meaning;        // empty: from EDICT
  std::string example;        // a sentence of the corpus holding the word
  bool example_fits = false;  // short enough; an example that does not is replaced if one does
};

struct kanji_card {
  std::string kanji;
  json meta;
};

// Fields of one line in the word list: word, then optional reading and meaning.
std::vector<std::string_view> tab_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  for (;;) {
    const std::size_t tab = line.find('\t');
    fields.push_back(line.substr(0, tab));
    if (tab == std::string_view::npos) break;
    line.remove_prefix(tab + 1);
  }
  return fields;
}

std::string trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\r')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.remove_suffix(1);
  return std::string(text);
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::vector<std::string> strings_of(const json& meta, std::string_view key) {
  std::vector<std::string> out;
  const auto found = meta.find(key);
  if (found == meta.end() || !found->is_array()) return out;
  for (const json& item : *found) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

std::string number_of(const json& meta, std::string_view key) {
  const auto found = meta.find(key);
  if (found == meta.end() || !found->is_number_integer()) return {};
  return std::to_string(found->get<long long>());
}

class write_anki final : public sink {
 public:
  // Everything that can fail on the user's files or a missing Debian package fails here, before
  // any record flows, rather than in commit() after other sinks may have committed.
  explicit write_anki(settings config) : settings_(std::move(config)), out_(settings_.path) {
    if (settings_.word_list) read_word_list(*settings_.word_list);
    if (settings_.examples) read_examples(*settings_.examples);
    start_annotator();  // MeCab for readings and furigana; it also checks that EDICT is there
  }

  void write(const record& in, context& /*ctx*/) override {
    if (in.meta.value("kind", "") == "kanji") {
      kanji_.push_back({in.text, in.meta});
    } else if (settings_.word_list) {
      consider_examples(in.text);
    } else {
      add_word_from_record(in);
    }
    if (settings_.shape == layout::fields && !words_.empty() && !kanji_.empty()) {
      throw error(in.from,
                  "layout \"fields\" writes one kind of card per file (its columns "
                  "are the note type's fields), but both word and kanji cards came; use two "
                  "write.anki steps, or layout \"basic\"");
    }
  }

  void commit(context& ctx) override {
    for (const std::string& line : example_lines_) consider_examples(line);
    fill_from_edict(ctx);
    out_.write(anki_header(header()));
    for (const word_card& w : words_) out_.write(anki_line(word_fields(w)));
    for (const kanji_card& k : kanji_) out_.write(anki_line(kanji_fields(k)));
    out_.commit();
  }

 private:
  void read_word_list(const std::string& path) {
    line_reader lines(path);
    std::string_view line;
    while (lines.next(line)) {
      const origin where{path, lines.line_number(), 0};
      if (find_invalid_utf8(line) != std::string::npos) {
        throw error(where, "words: invalid UTF-8 (the word list must be UTF-8)");
      }
      if (trimmed(line).empty() || line.starts_with("#")) continue;
      add_word(tab_fields(line), where);
    }
  }

  void read_examples(const std::string& path) {
    line_reader lines(path);
    std::string_view line;
    while (lines.next(line)) {
      if (find_invalid_utf8(line) != std::string::npos) {
        throw error(origin{path, lines.line_number(), 0}, "examples: invalid UTF-8");
      }
      example_lines_.emplace_back(line);
    }
  }

  void add_word(const std::vector<std::string_view>& fields, const origin& where) {
    word_card card;
    card.word = trimmed(fields[0]);
    if (card.word.empty()) {
      throw error(where,
                  "expected a word, then optionally a tab, its reading, a tab "
                  "and its meaning");
    }
    if (fields.size() > 1) card.reading = trimmed(fields[1]);
    if (fields.size() > 2) card.meaning = trimmed(fields[2]);
    if (!seen_words_.insert(card.word).second) return;  // a word once, as its first line says
    words_.push_back(std::move(card));
  }

  void add_word_from_record(const record& in) {
    const std::string_view first_line = std::string_view(in.text).substr(0, in.text.find('\n'));
    std::vector<std::string_view> fields = tab_fields(first_line);
    if (trimmed(fields[0]).empty()) return;
    const std::string reading = in.meta.value("reading", "");
    const std::string meaning = in.meta.value("meaning", "");
    if (fields.size() < 2 && !reading.empty()) fields.push_back(reading);
    if (fields.size() < 3 && !meaning.empty()) {
      if (fields.size() < 2) fields.emplace_back();
      fields.push_back(meaning);
    }
    add_word(fields, in.from);
  }

  void consider_examples(std::string_view text) {
    if (words_.empty()) return;
    for (const std::string& sentence : split_sentences(text)) {
      const std::size_t length = furigana::count_code_points(sentence);
      const bool fits = length <= settings_.max_example_chars;
      for (word_card& w : words_) {
        if (w.example_fits || (!w.example.empty() && !fits)) continue;
        if (sentence.find(w.word) == std::string::npos) continue;
        w.example = sentence;
        w.example_fits = fits;
      }
    }
  }

  void fill_from_edict(context& ctx) {
    std::vector<std::string> lookup;
    for (const word_card& w : words_) {
      if (w.reading.empty() || w.meaning.empty()) lookup.push_back(w.word);
    }
    if (lookup.empty()) return;
    const auto found = edict_lookup(settings_.edict, lookup);
    for (word_card& w : words_) {
      const auto entries = found.find(w.word);
      if (entries == found.end()) {
        if (w.meaning.empty()) {
          ctx.warn(w.word + " is not in EDICT: its card has no meaning");
        }
        continue;
      }
      const edict_entry* chosen = &entries->second.front();
      if (!w.reading.empty()) {  // the meaning of the reading the user gave, when EDICT has it
        for (const edict_entry& e : entries->second) {
          if (furigana::to_hiragana(e.reading) == furigana::to_hiragana(w.reading)) {
            chosen = &e;
            break;
          }
        }
      }
      if (w.reading.empty()) w.reading = chosen->reading;
      if (w.meaning.empty()) {
        std::vector<std::string> meanings = chosen->meanings;
        if (meanings.size() > settings_.meanings) meanings.resize(settings_.meanings);
        w.meaning = joined(meanings, "; ");
      }
    }
  }

  void start_annotator() {
    furigana::annotator_config config;
    config.mecab_dictionary = settings_.mecab_dictionary;
    config.words = furigana::word_dictionary::load(settings_.edict);
    annotator_ = std::make_unique<furigana::annotator>(std::move(config));
  }

  std::string reading_by_mecab(const std::string& word) const {
    std::string reading;
    for (const furigana::word& w : annotator_->annotate(word)) {
      reading +=
          furigana::to_utf8(w.reading.empty() ? furigana::to_hiragana(w.surface) : w.reading);
    }
    return reading;
  }

  // The example with furigana, the card's word in bold.
  std::string example_field(const word_card& card) const {
    if (card.example.empty()) return {};
    if (settings_.furigana == furigana_style::none) {
      std::string out;
      const std::size_t at = card.example.find(card.word);
      out += anki_field_from_text(card.example.substr(0, at));
      out += "<b>" + anki_field_from_text(card.word) + "</b>";
      out += anki_field_from_text(card.example.substr(at + card.word.size()));
      return out;
    }
    const std::size_t byte_at = card.example.find(card.word);
    const std::size_t start = furigana::count_code_points(card.example.substr(0, byte_at));
    const std::size_t end = start + furigana::count_code_points(card.word);
    const furigana::output_format format = settings_.furigana == furigana_style::ruby
                                               ? furigana::output_format::ruby
                                               : furigana::output_format::anki;
    std::string out;
    std::string rendered;    // the sentence as render() writes it, for its spacing rules
    std::size_t offset = 0;  // code points before the current word
    bool bold = false;
    for (const furigana::word& w : annotator_->annotate(card.example)) {
      const bool inside = offset < end && offset + w.surface.size() > start;
      if (inside != bold) {
        out += inside ? "<b>" : "</b>";
        bold = inside;
      }
      const std::size_t before = rendered.size();
      furigana::render({w}, format, true, rendered);
      const std::string_view piece = std::string_view(rendered).substr(before);
      // ruby is HTML already; Anki's 漢字[かな] is plain text and is escaped here.
      out += format == furigana::output_format::ruby ? anki_field_from_html(piece)
                                                     : anki_field_from_text(piece);
      offset += w.surface.size();
    }
    if (bold) out += "</b>";
    return out;
  }

  [[nodiscard]] std::string tags(std::string_view kind) const {
    std::vector<std::string> all = settings_.tags;
    all.emplace_back(kind);
    return anki_field_from_text(joined(all, " "));
  }

  [[nodiscard]] anki_file_header header() const {
    anki_file_header h;
    h.notetype = settings_.notetype;
    h.deck = settings_.deck;
    if (settings_.shape == layout::basic) {
      h.columns = {"Front", "Back"};
    } else if (!kanji_.empty()) {
      h.columns = {"Kanji", "Meanings", "On", "Kun", "Details", "Components", "Similar"};
    } else {
      h.columns = {"Word", "Reading", "Meaning", "Example"};
    }
    h.columns.emplace_back("Tags");
    h.tags_column = h.columns.size();
    if (settings_.guid) {
      h.columns.emplace_back("GUID");
      h.guid_column = h.columns.size();
    }
    return h;
  }

  std::vector<std::string> word_fields(const word_card& card) const {
    std::string reading = card.reading;
    if (reading.empty()) reading = reading_by_mecab(card.word);
    std::vector<std::string> fields;
    const std::string example = example_field(card);
    if (settings_.shape == layout::basic) {
      std::string back = anki_field_from_text(reading);
      if (!card.meaning.empty()) back += "<br>" + anki_field_from_text(card.meaning);
      if (!example.empty()) back += "<br><br>" + example;
      fields = {anki_field_from_text(card.word), back};
    } else {
      fields = {anki_field_from_text(card.word), anki_field_from_text(reading),
                anki_field_from_text(card.meaning), example};
    }
    fields.push_back(tags("word"));
    if (settings_.guid) fields.push_back(anki_guid("word", card.word));
    return fields;
  }

  std::vector<std::string> kanji_fields(const kanji_card& card) const {
    const json& m = card.meta;
    const std::string meanings = anki_field_from_text(joined(strings_of(m, "meanings"), ", "));
    const std::string on = anki_field_from_text(joined(strings_of(m, "on"), "、"));
    const std::string kun = anki_field_from_text(joined(strings_of(m, "kun"), "、"));
    std::vector<std::string> details;
    if (const std::string s = number_of(m, "strokes"); !s.empty())
      details.push_back(s + " strokes");
    if (const std::string g = number_of(m, "grade"); !g.empty()) details.push_back("grade " + g);
    if (const std::string j = number_of(m, "jlpt"); !j.empty()) details.push_back("JLPT " + j);
    if (const std::string f = number_of(m, "frequency_rank"); !f.empty()) {
      details.push_back("newspaper rank " + f);
    }
    if (m.contains("radical") && m["radical"].is_string()) {
      details.push_back("radical " + m["radical"].get<std::string>());
    }
    const std::string detail = anki_field_from_text(joined(details, " · "));
    const std::string components = anki_field_from_text(joined(strings_of(m, "components"), " "));
    const std::string similar = anki_field_from_text(joined(strings_of(m, "similar"), " "));
    std::vector<std::string> fields;
    if (settings_.shape == layout::basic) {
      std::string back = meanings;
      if (!on.empty()) back += "<br>On: " + on;
      if (!kun.empty()) back += "<br>Kun: " + kun;
      if (!detail.empty()) back += "<br>" + detail;
      if (!components.empty()) back += "<br>Components: " + components;
      if (!similar.empty()) back += "<br>Looks like: " + similar;
      fields = {anki_field_from_text(card.kanji), back};
    } else {
      fields = {anki_field_from_text(card.kanji), meanings, on, kun, detail, components, similar};
    }
    fields.push_back(tags("kanji"));
    if (settings_.guid) fields.push_back(anki_guid("kanji", card.kanji));
    return fields;
  }

  settings settings_;
  atomic_output out_;
  std::vector<word_card> words_;
  std::unordered_set<std::string> seen_words_;
  std::vector<kanji_card> kanji_;
  std::vector<std::string> example_lines_;  // the `examples` file, read in the factory
  std::unique_ptr<furigana::annotator> annotator_;
};

result<std::unique_ptr<step>> create(const step_config& config) {
  const options& opts = config.opts;
  settings s;
  s.path = opts.get_path("path");
  if (opts.has("words")) s.word_list = opts.get_path("words");
  if (opts.has("examples")) s.examples = opts.get_path("examples");
  s.shape = opts.get_string("layout") == "fields" ? layout::fields : layout::basic;
  s.notetype = opts.has("notetype") ? opts.get_string("notetype")
                                    : (s.shape == layout::basic ? "Basic" : "");
  if (s.shape == layout::fields && s.notetype.empty()) {
    return error(
        "notetype: layout \"fields\" needs the name of your note type, whose fields "
        "are the columns (see the docs)");
  }
  s.deck = opts.get_string("deck");
  s.tags = opts.get_strings("tags");
  for (const std::string& tag : s.tags) {
    if (tag.find_first_of(" \t\n") != std::string::npos || tag.empty()) {
      return error("tags: \"" + tag + "\": an Anki tag is one word, without spaces");
    }
  }
  const std::string furigana = opts.get_string("furigana");
  s.furigana = furigana == "ruby"   ? furigana_style::ruby
               : furigana == "anki" ? furigana_style::anki
                                    : furigana_style::none;
  s.meanings = static_cast<std::size_t>(opts.get_int("meanings"));
  s.max_example_chars = static_cast<std::size_t>(opts.get_int("max_example_chars"));
  s.guid = opts.get_bool("guid");
  s.edict = opts.get_path("edict");
  s.mecab_dictionary = opts.get_path("mecab_dictionary");
  return make_step<write_anki>(std::move(s));
}

const plugin_descriptor& describe() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "write.anki";
    d.version = "1.0.0";
    d.summary =
        "Anki cards (text import with file headers): words with reading, meaning and an "
        "example sentence with furigana, and kanji";
    d.kind = step_kind::sink;
    d.consumes =
        "kanji records (meta kind \"kanji\", from kanji.info) become kanji cards; with `words`, "
        "other records are the corpus example sentences come from; without, each other record "
        "is a word (text: word, optionally a tab, reading, a tab, meaning; or meta.reading, "
        "meta.meaning)";
    d.produces =
        "an Anki text file (#separator:tab, #html:true, #notetype, #deck, #columns, #tags "
        "column, #guid column), written whole or not at all";
    d.options = {
        required(option("path", option_type::output_path, nullptr,
                        "The file to write (import it in Anki with File > Import), or - for "
                        "standard output.")),
        option("words", option_type::path, nullptr,
               "A word list (UTF-8): one word a line, optionally followed by a tab and its "
               "reading, and a tab and its meaning; lines starting with # are comments. The "
               "records flowing in are then searched for example sentences."),
        option("examples", option_type::path, nullptr,
               "A UTF-8 text to take example sentences from as well (one sentence is the text "
               "up to 。！？ or a line break)."),
        with_bounds(option("max_example_chars", option_type::integer, 80,
                           "The first sentence holding the word that is at most this long (in "
                           "characters) is its example; a longer one only when none is."),
                    1, 10000),
        with_allowed(option("layout", option_type::string, "basic",
                            "basic: Front and Back, for Anki's stock Basic note type; fields: "
                            "one column per field (Word, Reading, Meaning, Example or Kanji, "
                            "Meanings, On, Kun, Details, Components, Similar) for a note type "
                            "of your own."),
                     {"basic", "fields"}),
        option("notetype", option_type::string, nullptr,
               "The note type Anki preselects (#notetype). Default: Basic with layout basic; "
               "required with layout fields."),
        option("deck", option_type::string, "Default", "The deck Anki preselects (#deck)."),
        option("tags", option_type::string_list, json::array({"textkit"}),
               "Tags of every card; \"word\" or \"kanji\" is added to each."),
        with_allowed(option("furigana", option_type::string, "ruby",
                            "Readings over the example sentence: ruby (<ruby> HTML, shown as is), "
                            "anki ( 漢字[かんじ], for the {{furigana:Field}} template filter) or "
                            "none."),
                     {"ruby", "anki", "none"}),
        with_bounds(option("meanings", option_type::integer, 3,
                           "At most this many EDICT glosses on a word card."),
                    1, 100),
        option("guid", option_type::boolean, true,
               "Add a GUID column derived from the word or kanji, so that importing the file "
               "again updates the notes instead of adding new ones (the first field is the "
               "word or kanji as well, for Anki's first-field duplicate check)."),
        option("edict", option_type::path, std::string(furigana::default_edict),
               "EDICT (Debian package edict): readings and meanings of words."),
        option("mecab_dictionary", option_type::path,
               std::string(furigana::default_mecab_dictionary),
               "MeCab's IPADIC folder (Debian package mecab-ipadic-utf8), for the furigana of "
               "example sentences."),
    };
    d.create = create;
    return d;
  }();
  return descriptor;
}

}  // namespace
}  // namespace textkit::kanji

TEXTKIT_PLUGIN(write_anki, textkit::kanji::describe)
