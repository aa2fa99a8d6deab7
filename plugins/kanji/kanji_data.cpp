// kanji - loading KANJIDIC2 (through furigana_core's reader and cache) and RADKFILE.
#include "kanji_data.h"

#include <unicode/normalizer2.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <filesystem>
#include <utility>

#include "dictionaries.h"
#include "text.h"
#include "textkit/error.h"
#include "textkit/io.h"

namespace textkit::kanji {
namespace {

// Bumped whenever the table's columns change, so an old cache is never misread.
constexpr std::string_view table_stem = "kanjidic-full-v1";
constexpr char list_separator = '\x1f';  // meanings may hold commas and semicolons

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  if (text.empty()) return parts;
  for (std::size_t start = 0;;) {
    const std::size_t at = text.find(separator, start);
    parts.push_back(text.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return parts;
}

int to_int(std::string_view digits) {
  int value = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') break;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::string_view text_after(std::string_view xml, std::size_t at) {
  const std::size_t close = xml.find('<', at);
  return xml.substr(at, close == std::string_view::npos ? 0 : close - at);
}

// The text of the first element that starts with `open_tag` ("<grade>"), or empty.
std::string_view first_element(std::string_view block, std::string_view open_tag) {
  const std::size_t at = block.find(open_tag);
  if (at == std::string_view::npos) return {};
  return text_after(block, at + open_tag.size());
}

std::vector<std::string_view> all_elements(std::string_view block, std::string_view open_tag) {
  std::vector<std::string_view> found;
  for (std::size_t at = block.find(open_tag); at != std::string_view::npos;
       at = block.find(open_tag, at + 1)) {
    found.push_back(text_after(block, at + open_tag.size()));
  }
  return found;
}

std::string xml_unescaped(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out.push_back(text[i]);
      continue;
    }
    static constexpr std::pair<std::string_view, char> entities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    bool replaced = false;
    for (const auto& [entity, c] : entities) {
      if (text.substr(i, entity.size()) == entity) {
        out.push_back(c);
        i += entity.size() - 1;
        replaced = true;
        break;
      }
    }
    if (!replaced) out.push_back('&');
  }
  return out;
}

void append_list(std::string& line, const std::vector<std::string_view>& items, char separator) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) line += separator;
    line += items[i];
  }
}

// One line per kanji: literal, grade, jlpt, frequency, strokes, radical, skip, skip misclass
// codes, four corner, on, kun, meanings.
std::string kanjidic_table(const std::string& path) {
  std::string table;
  furigana::for_each_kanjidic_character(
      furigana::read_kanjidic_xml(path), [&](std::string_view literal, std::string_view block) {
        std::string line(literal);
        for (const std::string_view tag :
             {std::string_view("<grade>"), std::string_view("<jlpt>"), std::string_view("<freq>"),
              std::string_view("<stroke_count>"),
              std::string_view("<rad_value rad_type=\"classical\">"),
              std::string_view("<q_code qc_type=\"skip\">")}) {
          line += '\t';
          line += first_element(block, tag);
        }
        line += '\t';
        std::vector<std::string_view> misclass;
        constexpr std::string_view misclass_tag = "<q_code qc_type=\"skip\" skip_misclass=\"";
        for (std::size_t at = block.find(misclass_tag); at != std::string_view::npos;
             at = block.find(misclass_tag, at + 1)) {
          const std::size_t close = block.find('>', at);
          if (close != std::string_view::npos) misclass.push_back(text_after(block, close + 1));
        }
        append_list(line, misclass, ',');
        line += '\t';
        line += first_element(block, "<q_code qc_type=\"four_corner\">");
        line += '\t';
        append_list(line, all_elements(block, "<reading r_type=\"ja_on\">"), ',');
        line += '\t';
        append_list(line, all_elements(block, "<reading r_type=\"ja_kun\">"), ',');
        line += '\t';
        std::vector<std::string> meanings;
        for (const std::string_view m : all_elements(block, "<meaning>")) {
          meanings.push_back(xml_unescaped(m));
        }
        append_list(line, std::vector<std::string_view>(meanings.begin(), meanings.end()),
                    list_separator);
        table += line;
        table += '\n';
      });
  if (table.empty()) throw error(path + ": no kanji found in KANJIDIC2");
  return table;
}

std::vector<std::string> to_strings(std::string_view list, char separator) {
  std::vector<std::string> out;
  for (const std::string_view item : split(list, separator)) {
    if (!item.empty()) out.emplace_back(item);
  }
  return out;
}

kanji_facts parse_line(std::string_view line) {
  const auto fields = split(line, '\t');
  kanji_facts facts;
  if (fields.size() < 12) return facts;
  const std::u32string literal = furigana::to_code_points(fields[0]);
  if (literal.size() != 1) return facts;
  facts.literal = literal[0];
  facts.text = std::string(fields[0]);
  facts.grade = to_int(fields[1]);
  facts.jlpt = to_int(fields[2]);
  facts.frequency_rank = to_int(fields[3]);
  facts.strokes = to_int(fields[4]);
  facts.radical = to_int(fields[5]);
  facts.skip = std::string(fields[6]);
  facts.skip_misclass = to_strings(fields[7], ',');
  facts.four_corner = std::string(fields[8]);
  facts.on = to_strings(fields[9], ',');
  facts.kun = to_strings(fields[10], ',');
  facts.meanings = to_strings(fields[11], list_separator);
  return facts;
}

std::string euc_jp_to_utf8(const std::string& euc, const std::string& path) {
  UErrorCode status = U_ZERO_ERROR;
  std::string utf8(euc.size() * 2 + 16, '\0');
  const int32_t length =
      ucnv_convert("UTF-8", "EUC-JP", utf8.data(), static_cast<int32_t>(utf8.size()), euc.data(),
                   static_cast<int32_t>(euc.size()), &status);
  if (U_FAILURE(status)) {
    throw error(path + ": cannot convert from EUC-JP: " + std::string(u_errorName(status)));
  }
  utf8.resize(static_cast<std::size_t>(length));
  return utf8;
}

}  // namespace

std::string_view radkfile_element_shape(std::string_view element) {
  // RADKFILE writes some parts with a whole kanji that contains them (its JIS X 0208 character
  // set has no code for the part alone); the JIS X 0212 code beside some of them says the same.
  static constexpr std::pair<std::string_view, std::string_view> stand_ins[] = {
      {"化", "亻"}, {"个", "𠆢"}, {"刈", "刂"}, {"込", "辶"}, {"尚", "⺌"}, {"忙", "忄"},
      {"扎", "扌"}, {"汁", "氵"}, {"犯", "犭"}, {"艾", "艹"}, {"邦", "⻏"}, {"阡", "阝"},
      {"老", "耂"}, {"杰", "灬"}, {"礼", "礻"}, {"疔", "疒"}, {"初", "衤"}, {"買", "罒"},
      {"滴", "啇"}, {"｜", "丨"}, {"ノ", "丿"}};
  for (const auto& [stand_in, shape] : stand_ins) {
    if (element == stand_in) return shape;
  }
  return element;
}

std::string radical_character(int number) {
  if (number < 1 || number > 214) return {};
  // The Kangxi Radicals block (U+2F00...) in radical order; NFKC maps each to the ideograph.
  const icu::UnicodeString radical(static_cast<UChar32>(0x2F00 + number - 1));
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) return {};
  const icu::UnicodeString ideograph = nfkc->normalize(radical, status);
  if (U_FAILURE(status)) return {};
  std::string out;
  ideograph.toUTF8String(out);
  return out;
}

std::shared_ptr<const kanji_database> kanji_database::load(const std::string& kanjidic,
                                                           const std::string& radkfile) {
  auto database = std::make_shared<kanji_database>();
  const std::string table = furigana::cached_table("kanji", table_stem, kanjidic,
                                                   [&] { return kanjidic_table(kanjidic); });
  for (const std::string_view line : split(table, '\n')) {
    kanji_facts facts = parse_line(line);
    if (facts.literal == 0) continue;
    database->index_.emplace(facts.literal, database->kanji_.size());
    database->kanji_.push_back(std::move(facts));
  }

  if (!std::filesystem::exists(radkfile)) {
    throw error("RADKFILE not found at " + radkfile +
                ": install the Debian package xjdic (apt-get install xjdic)");
  }
  const std::string text = euc_jp_to_utf8(read_file(radkfile), radkfile);
  std::size_t line_number = 0;
  std::size_t element = npos;
  for (const std::string_view line : split(text, '\n')) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    if (line[0] == '$') {
      // "$ 一 1" or "$ 刈 2 3331"
      const auto fields = split(line, ' ');
      if (fields.size() < 3 || fields[1].empty()) {
        throw error(origin{radkfile, line_number, 1}, "expected \"$ <element> <strokes>\"");
      }
      if (database->elements_.size() == max_elements) {
        throw error(origin{radkfile, line_number, 1},
                    "more than " + std::to_string(max_elements) + " elements");
      }
      element = database->elements_.size();
      database->elements_.emplace_back(radkfile_element_shape(fields[1]));
      database->element_strokes_.push_back(std::max(1, to_int(fields[2])));
      continue;
    }
    if (element == npos) {
      throw error(origin{radkfile, line_number, 1}, "kanji listed before any \"$\" element line");
    }
    for (const char32_t c : furigana::to_code_points(line)) {
      const auto found = database->index_.find(c);
      if (found == database->index_.end()) continue;
      database->kanji_[found->second].elements.set(element);
    }
  }
  for (kanji_facts& facts : database->kanji_) {
    for (std::size_t e = 0; e < database->elements_.size(); ++e) {
      if (!facts.elements.test(e)) continue;
      if (database->elements_[e] == facts.text) {
        facts.self_element = static_cast<int>(e);
        continue;
      }
      facts.components.push_back(database->elements_[e]);
    }
  }
  return database;
}

std::size_t kanji_database::find(char32_t kanji) const {
  const auto found = index_.find(kanji);
  return found == index_.end() ? npos : found->second;
}

std::vector<std::size_t> kanji_database::joyo() const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < kanji_.size(); ++i) {
    if (kanji_[i].joyo()) out.push_back(i);
  }
  std::sort(out.begin(), out.end(),
            [&](std::size_t a, std::size_t b) { return kanji_[a].literal < kanji_[b].literal; });
  return out;
}

}  // namespace textkit::kanji
