// furigana - output formats.
#include "render.h"

#include "text.h"

namespace textkit::furigana {

void append_html_escaped(std::string& out, std::u32string_view text) {
  for (const char32_t c : text) {
    switch (c) {
      case U'&':
        out += "&amp;";
        break;
      case U'<':
        out += "&lt;";
        break;
      case U'>':
        out += "&gt;";
        break;
      case U'"':
        out += "&quot;";
        break;
      default:
        append_utf8(out, c);
    }
  }
}

namespace {

bool ends_with_space(const std::string& out) {
  if (out.empty()) return true;
  const char last = out.back();
  return last == ' ' || last == '\n' || last == '\t' || out.ends_with("\u3000");
}

// The parts a format shows: for anki in word granularity, all of a word's parts become one from
// the first to the last, reading through the kana between them.
std::vector<ruby_part> shown_parts(const word& w, bool merge) {
  if (!merge || w.ruby.size() < 2) return w.ruby;
  ruby_part whole{w.ruby.front().begin, w.ruby.back().end, {}};
  std::size_t at = whole.begin;
  for (const ruby_part& part : w.ruby) {
    whole.reading += to_hiragana(std::u32string_view(w.surface).substr(at, part.begin - at));
    whole.reading += part.reading;
    at = part.end;
  }
  return {whole};
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
  for (const ruby_part& part : shown_parts(w, merge && format == output_format::anki)) {
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
      return ".";
    case U'、':
      return ",";
    case U'！':
      return "!";
    case U'？':
      return "?";
    case U'「':
    case U'」':
    case U'『':
    case U'』':
      return "\"";
    case U'・':
      return " ";
    case U'\u3000':
      return " ";
    default:
      return {};
  }
}

// A word that attaches to the one before it in romaji (auxiliaries, suffixes, verb endings).
bool attaches(const word& w) {
  return w.pos == "助動詞" || w.pos_detail == "接尾" || w.pos_detail == "接続助詞" ||
         w.pos_detail == "非自立";
}

void render_romaji(const std::vector<word>& words, std::string& out) {
  bool previous_japanese = false;
  for (const word& w : words) {
    if (w.surface.size() == 1 && !latin_punctuation(w.surface[0]).empty()) {
      out += latin_punctuation(w.surface[0]);
      previous_japanese = false;
      continue;
    }
    if (!w.japanese || w.reading.empty()) {
      if (w.japanese) {
        // Kana MeCab gave no reading: romanize it as written.
        if (previous_japanese && !ends_with_space(out)) out += ' ';
        out += to_romaji(w.surface);
        previous_japanese = true;
        continue;
      }
      out += to_utf8(w.surface);
      previous_japanese = false;
      continue;
    }
    if (previous_japanese && !attaches(w) && !ends_with_space(out)) out += ' ';
    out += to_romaji(w.pronunciation.empty() ? w.reading : w.pronunciation);
    previous_japanese = true;
  }
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
