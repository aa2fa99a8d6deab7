// furigana - output formats.
#include "render.h"

#include <array>
#include <string_view>

#include "text.h"

namespace textkit::furigana {

void append_html_escaped(std::string& out, std::u32string_view text) {
  // As common::append_html_escaped on the UTF-8, written through a buffer on the stack: an append
  // to `out` per character costs more than the encoding.
  std::array<char, 256> buffer;
  std::size_t used = 0;
  const auto put = [&](std::string_view bytes) {
    for (const char b : bytes) buffer[used++] = b;
  };
  for (const char32_t c : text) {
    if (used + 8 > buffer.size()) {
      out.append(buffer.data(), used);
      used = 0;
    }
    switch (c) {
      case U'&':
        put("&amp;");
        break;
      case U'<':
        put("&lt;");
        break;
      case U'>':
        put("&gt;");
        break;
      case U'"':
        put("&quot;");
        break;
      default:
        used += encode_utf8(c, buffer.data() + used);
    }
  }
  out.append(buffer.data(), used);
}

namespace {

bool ends_with_space(const std::string& out) {
  if (out.empty()) return true;
  const char last = out.back();
  return last == ' ' || last == '\n' || last == '\t' || out.ends_with("\u3000");
}

// The parts a format shows: for anki in word granularity, all of a word's parts become one from
// the first to the last, reading through the kana between them (kept in `merged`).
const std::vector<ruby_part>& shown_parts(const word& w, bool merge,
                                          std::vector<ruby_part>& merged) {
  if (!merge || w.ruby.size() < 2) return w.ruby;
  ruby_part whole{w.ruby.front().begin, w.ruby.back().end, {}};
  std::size_t at = whole.begin;
  for (const ruby_part& part : w.ruby) {
    whole.reading += to_hiragana(std::u32string_view(w.surface).substr(at, part.begin - at));
    whole.reading += part.reading;
    at = part.end;
  }
  merged = {whole};
  return merged;
}

void render_annotated(const word& w, output_format format, bool merge, std::string& out) {
  const std::u32string_view s = w.surface;
  std::size_t at = 0;
  const auto plain = [&](std::size_t until) {
    if (format == output_format::ruby) {
      append_html_escaped(out, s.substr(at, until - at));
    } else {
      out += to_utf8(s.substr(at, until - at));
    }
  };
  if (w.ruby.empty()) {  // most words: the surface as it is
    plain(s.size());
    return;
  }
  std::vector<ruby_part> merged;
  for (const ruby_part& part : shown_parts(w, merge && format == output_format::anki, merged)) {
    plain(part.begin);
    const std::u32string_view base = s.substr(part.begin, part.end - part.begin);
    switch (format) {
      case output_format::ruby:
        out += "<ruby>";
        append_html_escaped(out, base);
        out += "<rt>";
        append_html_escaped(out, part.reading);
        out += "</rt></ruby>";
        break;
      case output_format::anki:
        // Anki's furigana filter takes the text after the last space as the ruby's base, and
        // drops that space.
        if (!ends_with_space(out)) out += ' ';
        out += to_utf8(base);
        out += '[';
        out += to_utf8(part.reading);
        out += ']';
        break;
      default:  // aozora: ｜ marks where the base starts, so it may follow kanji
        out += "｜";
        out += to_utf8(base);
        out += "《";
        out += to_utf8(part.reading);
        out += "》";
        break;
    }
    at = part.end;
  }
  plain(s.size());
}

// Romaji punctuation for Japanese punctuation.
std::string_view latin_punctuation(char32_t c) {
  switch (c) {
    case U'。':
      return ". ";
    case U'、':
      return ", ";
    case U'！':
      return "! ";
    case U'？':
      return "? ";
    case U'「':
    case U'『':
      return "\"";
    case U'」':
    case U'』':
      return "\" ";
    case U'・':
    case U'\u3000':
      return " ";
    default:
      return {};
  }
}

// A word written together with the one before it in romaji: suffixes (kuji, sakurako-san
// without the hyphen), auxiliaries after a verb or adjective (ikimasu, itta), auxiliary verbs
// (shiteiru), and the te-form's て.
bool attaches(const word& w, const word* before) {
  if (before == nullptr) return false;
  if (w.pos_detail == "接尾") return true;
  if (w.pos == "助動詞") {
    return before->pos == "動詞" || before->pos == "形容詞" || before->pos == "助動詞";
  }
  if (w.pos == "動詞" && w.pos_detail == "非自立") return true;
  return w.pos_detail == "接続助詞" && (w.surface == U"て" || w.surface == U"で");
}

// Words are romanized in phrases (a word and what attaches to it), so that a っ at the end of
// one (待っ) doubles the consonant of the next (て): matte.
void render_romaji(const std::vector<word>& words, std::string& out) {
  std::u32string phrase;
  const word* before = nullptr;  // the last Japanese word of the phrase
  const auto flush = [&] {
    if (phrase.empty()) return;
    // No space after an opening quote (closing ones end with their own space).
    if (!ends_with_space(out) && !out.ends_with('"')) out += ' ';
    out += to_romaji(phrase);
    phrase.clear();
  };
  for (const word& w : words) {
    if (w.surface.size() == 1 && !latin_punctuation(w.surface[0]).empty()) {
      flush();
      before = nullptr;
      const std::string_view mark = latin_punctuation(w.surface[0]);
      const bool opening = w.surface[0] == U'「' || w.surface[0] == U'『';
      if (opening) {
        if (!ends_with_space(out)) out += ' ';
      } else {
        while (!out.empty() && out.back() == ' ') out.pop_back();
      }
      out += mark;
      continue;
    }
    if (!w.japanese) {
      flush();
      before = nullptr;
      out += to_utf8(w.surface);
      continue;
    }
    const std::u32string kana =
        w.reading.empty() ? w.surface : (w.pronunciation.empty() ? w.reading : w.pronunciation);
    const bool joins = !phrase.empty() &&
                       (attaches(w, before) || phrase.back() == U'っ' || phrase.back() == U'ッ');
    if (!joins) flush();
    phrase += kana;
    before = &w;
  }
  flush();
  while (!out.empty() && out.back() == ' ') out.pop_back();
}

}  // namespace

void render(const std::vector<word>& words, output_format format, bool merge_word,
            std::string& out) {
  if (format == output_format::romaji) {
    render_romaji(words, out);
    return;
  }
  for (const word& w : words) {
    switch (format) {
      case output_format::hiragana:
        out += to_utf8(w.japanese && !w.reading.empty() ? w.reading : to_hiragana(w.surface));
        break;
      case output_format::katakana:
        out += to_utf8(to_katakana(w.japanese && !w.reading.empty() ? w.reading : w.surface));
        break;
      default:
        render_annotated(w, format, merge_word, out);
    }
  }
}

}  // namespace textkit::furigana
