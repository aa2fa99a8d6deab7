// furigana - the `furigana` transform: annotates Japanese text with readings.
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <sstream>

#include "annotator.h"
#include "render.h"
#include "text.h"
#include "textkit/io.h"
#include "textkit/plugin.h"
#include "textkit_common/unicode.h"

namespace textkit::furigana {
namespace {

struct settings {
  annotator_config analysis;
  output_format format = output_format::ruby;
  bool spans = false;
};

// MeCab builds a lattice as wide as the text, and a long run of one character class (a line of
// 'a's) costs it time quadratic in the run: lines are cut into pieces of this size (as the mecab
// command cuts at 8 KiB), at a sentence end where there is one.
constexpr std::size_t max_piece_bytes = 4 * 1024;

std::vector<std::string_view> pieces_of(std::string_view line) {
  std::vector<std::string_view> pieces;
  while (line.size() > max_piece_bytes) {
    std::size_t cut = line.rfind("。", max_piece_bytes);
    cut = cut == std::string_view::npos || cut == 0 ? max_piece_bytes : cut + 3;
    // Never inside a UTF-8 sequence.
    while (cut < line.size() && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) ++cut;
    pieces.push_back(line.substr(0, cut));
    line.remove_prefix(cut);
  }
  pieces.push_back(line);
  return pieces;
}

class furigana_step final : public transform {
 public:
  explicit furigana_step(settings config)
      : settings_(std::move(config)), annotator_(settings_.analysis) {}

  void process(record&& in, emitter& out, context& /*ctx*/) override {
    if (const std::size_t bad =
            common::is_valid_utf8(in.text) ? std::string::npos : find_invalid_utf8(in.text);
        bad != std::string::npos) {
      throw error(in.from, "invalid UTF-8 at byte " + std::to_string(bad) +
                               " of the text; furigana needs UTF-8 text");
    }
    std::string result;
    result.reserve(in.text.size() * 2);
    json spans;  // an array only when asked for: most runs do not keep spans
    if (settings_.spans) spans = json::array();
    std::size_t offset = 0;  // code points of the record's text before the current word
    std::string_view rest = in.text;
    while (true) {
      const std::size_t newline = rest.find('\n');
      const std::string_view line = rest.substr(0, newline);
      for (const std::string_view piece : pieces_of(line)) {
        const std::vector<word> words = annotator_.annotate(piece);
        render(words, settings_.format, settings_.analysis.split == granularity::word, result);
        for (const word& w : words) {
          if (settings_.spans) {
            for (const ruby_part& part : w.ruby) {
              spans.push_back(
                  json::array({offset + part.begin, offset + part.end, to_utf8(part.reading)}));
            }
          }
          offset += w.surface.size();
        }
      }
      if (newline == std::string_view::npos) break;
      result += '\n';
      ++offset;
      rest.remove_prefix(newline + 1);
    }
    in.text = std::move(result);
    if (settings_.format == output_format::ruby) in.meta["markup"] = "html";
    if (settings_.spans) in.meta["furigana"] = std::move(spans);
    out.emit(std::move(in));
  }

 private:
  settings settings_;
  annotator annotator_;
};

// The dictionaries take a moment to read; steps of one run (and the tests) share them.
template <typename dictionary>
std::shared_ptr<const dictionary> shared_dictionary(const std::string& path) {
  static std::mutex lock;
  static std::map<std::string, std::weak_ptr<const dictionary>> cache;
  const std::lock_guard<std::mutex> guard(lock);
  if (auto existing = cache[path].lock()) return existing;
  auto loaded = dictionary::load(path);
  cache[path] = loaded;
  return loaded;
}

std::unordered_map<std::u32string, std::u32string> read_user_dictionary(const std::string& path) {
  std::unordered_map<std::u32string, std::u32string> words;
  const std::string content = read_file(path);
  if (const std::size_t bad = find_invalid_utf8(content); bad != std::string::npos) {
    throw error(origin{path, 0, 0}, "invalid UTF-8 at byte " + std::to_string(bad));
  }
  std::istringstream lines(content);
  std::string line;
  std::uint64_t number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::size_t tab = line.find('\t');
    if (tab == std::string::npos) tab = line.find(',');
    if (tab == std::string::npos) {
      throw error(origin{path, number, 0}, "expected a word, a tab and its reading");
    }
    const std::u32string reading = to_hiragana(to_code_points(line.substr(tab + 1)));
    if (reading.empty() || !is_kana_only(reading)) {
      throw error(origin{path, number, tab + 2}, "the reading must be kana");
    }
    words[to_code_points(line.substr(0, tab))] = reading;
  }
  return words;
}

output_format format_named(const std::string& name) {
  if (name == "anki") return output_format::anki;
  if (name == "aozora") return output_format::aozora;
  if (name == "hiragana") return output_format::hiragana;
  if (name == "katakana") return output_format::katakana;
  if (name == "romaji") return output_format::romaji;
  return output_format::ruby;
}

result<std::unique_ptr<step>> create(const step_config& config) {
  const options& opts = config.opts;
  try {
    settings s;
    annotator_config& a = s.analysis;
    s.format = format_named(opts.get_string("format"));
    a.pronunciation = s.format == output_format::romaji;
    s.spans = opts.get_bool("spans");
    a.mecab_dictionary = opts.get_path("mecab_dictionary");
    a.split = opts.get_string("granularity") == "kanji" ? granularity::kanji : granularity::word;
    a.join_compounds = opts.get_bool("join_compounds");
    const std::vector<std::string> skip = opts.get_strings("skip");
    a.skip_kana = std::find(skip.begin(), skip.end(), "kana") != skip.end();
    a.skip_numbers = std::find(skip.begin(), skip.end(), "numbers") != skip.end();
    if (opts.has("dictionary")) a.user_words = read_user_dictionary(opts.get_path("dictionary"));
    if (opts.has("words")) {
      for (const auto& [w, r] : opts.get("words").items()) {
        if (!r.is_string()) {
          return error("words: the reading of \"" + w + "\" must be a string of kana");
        }
        const std::u32string reading = to_hiragana(to_code_points(r.get<std::string>()));
        if (!is_kana_only(reading)) {
          return error("words: the reading of \"" + w + "\" must be kana, got \"" +
                       r.get<std::string>() + "\"");
        }
        a.user_words[to_code_points(w)] = reading;
      }
    }
    const bool by_level = opts.has("known_jlpt") || opts.has("known_grade");
    // KANJIDIC2 also decides where a joined word's reading splits back over MeCab's words.
    // The two tables load side by side: start-up matters for short runs.
    std::future<std::shared_ptr<const word_dictionary>> words;
    if (a.join_compounds || a.split == granularity::kanji) {
      words = std::async(std::launch::async, shared_dictionary<word_dictionary>,
                         opts.get_path("edict"));
    }
    if (a.split == granularity::kanji || by_level || a.join_compounds) {
      a.kanji = shared_dictionary<kanji_dictionary>(opts.get_path("kanjidic"));
    }
    if (words.valid()) a.words = words.get();
    if (a.split == granularity::kanji) {
      a.learned = learned_readings::load(opts.get_path("edict"), *a.kanji);
    }
    std::u32string known;
    if (opts.has("known_kanji")) known += to_code_points(opts.get_string("known_kanji"));
    if (opts.has("known_kanji_file")) {
      const std::string listed = read_file(opts.get_path("known_kanji_file"));
      if (find_invalid_utf8(listed) != std::string::npos) {
        return error(opts.get_path("known_kanji_file") + ": invalid UTF-8");
      }
      known += to_code_points(listed);
    }
    for (const char32_t c : known) {
      if (is_kanji(c)) a.known_kanji.insert(c);
    }
    if (by_level) {
      const int jlpt = opts.has("known_jlpt") ? static_cast<int>(opts.get_int("known_jlpt")) : 99;
      const int grade = opts.has("known_grade") ? static_cast<int>(opts.get_int("known_grade")) : 0;
      a.kanji->for_each([&](char32_t c, const kanji_entry& entry) {
        if ((entry.jlpt >= jlpt && entry.jlpt > 0) || (entry.grade > 0 && entry.grade <= grade)) {
          a.known_kanji.insert(c);
        }
      });
    }
    return std::unique_ptr<step>(std::make_unique<furigana_step>(std::move(s)));
  } catch (const error& failure) {
    return failure;
  }
}

const plugin_descriptor& describe() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "furigana";
    d.version = "1.0.0";
    d.summary = "Annotate Japanese text with readings (furigana), as ruby, Anki, Aozora or kana";
    d.kind = step_kind::transform;
    d.consumes = "text (UTF-8); non-Japanese text passes through";
    d.produces =
        "text with readings in the chosen format; meta.markup \"html\" for format ruby; "
        "meta.furigana ([start, end, reading] per ruby, in code points of the input) with spans";
    d.thread_safe = true;
    d.options = {
        allow_values(
            make_option("format", option_type::string, "ruby",
                        "How readings are written: ruby (<ruby>漢字<rt>かんじ</rt></ruby>, "
                        "HTML), anki ( 漢字[かんじ]), aozora (｜漢字《かんじ》), or the whole "
                        "text as hiragana, katakana or romaji (Hepburn)."),
            {"ruby", "anki", "aozora", "hiragana", "katakana", "romaji"}),
        allow_values(
            make_option("granularity", option_type::string, "word",
                        "word: one reading per run of kanji (振[ふ]り仮名[がな]); kanji: one "
                        "per kanji where the reading splits (振[ふ]り仮[が]名[な]), whole "
                        "groups where it does not (今日[きょう])."),
            {"word", "kanji"}),
        allow_values(
            make_option("skip", option_type::string_list, json::array({"kana", "numbers"}),
                        "What gets no reading in ruby, anki and aozora: kana (katakana words "
                        "get no hiragana), numbers (numbers in digits; their counters keep "
                        "theirs)."),
            {"kana", "numbers"}),
        make_option(
            "known_kanji", option_type::string, nullptr,
            "Kanji the reader knows, written one after another (\"日本人\"): words made only "
            "of them get no reading; other characters are ignored."),
        make_option(
            "known_kanji_file", option_type::path, nullptr,
            "A UTF-8 file of kanji the reader knows (any layout: every kanji in it counts)."),
        bounded(make_option("known_jlpt", option_type::integer, nullptr,
                            "Kanji of this JLPT level or easier are known (KANJIDIC2's old "
                            "4-level scale: 4 is the easiest, so 3 means levels 3 and 4)."),
                1, 4),
        bounded(make_option("known_grade", option_type::integer, nullptr,
                            "Kanji taught up to this Japanese school grade are known (1-6; 8 is "
                            "the rest of the jōyō kanji, 9-10 the jinmeiyō)."),
                1, 10),
        make_option("dictionary", option_type::path, nullptr,
                    "A user dictionary: one word per line, a tab (or comma), its reading in kana; "
                    "lines starting with # are comments. Wins over MeCab for names and fixes."),
        make_option("words", option_type::object, nullptr,
                    "User words given inline, {\"word\": \"reading\"}; added to `dictionary`."),
        make_option(
            "join_compounds", option_type::boolean, true,
            "Read kanji words MeCab splits as one when EDICT has the whole as a common word "
            "with another reading (一人 ひとり, not いちにん)."),
        make_option(
            "spans", option_type::boolean, false,
            "Also put the readings in meta.furigana as [start, end, reading], in code points "
            "of the input text (for programs and evaluation)."),
        make_option("mecab_dictionary", option_type::path, std::string(default_mecab_dictionary),
                    "The MeCab IPADIC folder (Debian package mecab-ipadic-utf8). Always used "
                    "explicitly: another dictionary set as the system default does not change "
                    "readings."),
        make_option("kanjidic", option_type::path, std::string(default_kanjidic),
                    "KANJIDIC2 (Debian package kanjidic-xml): per-kanji readings for granularity "
                    "kanji, JLPT levels and school grades for known_jlpt and known_grade."),
        make_option("edict", option_type::path, std::string(default_edict),
                    "EDICT (Debian package edict): common words for join_compounds and whole-group "
                    "readings."),
    };
    d.create = create;
    return d;
  }();
  return descriptor;
}

}  // namespace
}  // namespace textkit::furigana

TEXTKIT_PLUGIN(furigana, textkit::furigana::describe)
