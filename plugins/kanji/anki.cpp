// kanji - Anki text import rules.
#include "anki.h"

#include <cstdint>

#include "textkit/hash.h"
#include "textkit_common/html_text.h"

namespace textkit::kanji {
namespace {

void append_breaks_and_tabs(std::string& out, char c, std::string_view rest) {
  if (c == '\t') {
    out += "&#9;";
  } else if (c == '\r') {
    if (!rest.starts_with("\n")) out += "<br>";  // \r\n becomes one <br>, at its \n
  } else if (c == '\n') {
    out += "<br>";
  } else {
    out.push_back(c);
  }
}

std::string trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\r')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.remove_suffix(1);
  return std::string(text);
}

bool ends_sentence(std::string_view text) {
  return text.ends_with("。") || text.ends_with("！") || text.ends_with("？") ||
         text.ends_with("!") || text.ends_with("?");
}

}  // namespace

std::string anki_field_from_text(std::string_view text) {
  return anki_field_from_html(common::html_escaped(text));
}

std::string anki_field_from_html(std::string_view html) {
  std::string out;
  out.reserve(html.size() + 16);
  for (std::size_t i = 0; i < html.size(); ++i) {
    const char c = html[i];
    if (c == '#' && i == 0) {
      out += "&#35;";
    } else if (c == '"' && i == 0) {
      out += "&quot;";  // a field starting with a quote would be read as quoted CSV
    } else {
      append_breaks_and_tabs(out, c, html.substr(i + 1));
    }
  }
  return out;
}

std::string anki_header(const anki_file_header& header) {
  std::string out = "#separator:tab\n#html:true\n";
  if (!header.notetype.empty()) out += "#notetype:" + header.notetype + "\n";
  if (!header.deck.empty()) out += "#deck:" + header.deck + "\n";
  if (!header.columns.empty()) {
    out += "#columns:";
    for (std::size_t i = 0; i < header.columns.size(); ++i) {
      if (i > 0) out += '\t';
      out += header.columns[i];
    }
    out += '\n';
  }
  if (header.guid_column > 0) out += "#guid column:" + std::to_string(header.guid_column) + "\n";
  if (header.tags_column > 0) out += "#tags column:" + std::to_string(header.tags_column) + "\n";
  return out;
}

std::string anki_guid(std::string_view kind, std::string_view key) {
  // Stable across runs, machines and compilers, so a re-import updates the same cards.
  const std::uint64_t hash = fnv1a(key, fnv1a(":", fnv1a(kind, fnv1a("textkit:"))));
  static constexpr char digits[] = "0123456789abcdef";
  std::string out = "tk";
  for (int shift = 60; shift >= 0; shift -= 4) out.push_back(digits[(hash >> shift) & 0xF]);
  return out;
}

std::string anki_line(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += '\t';
    out += fields[i];
  }
  out += '\n';
  return out;
}

std::vector<std::string> split_sentences(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  const auto flush = [&] {
    std::string s = trimmed(current);
    if (!s.empty()) out.push_back(std::move(s));
    current.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      flush();
      continue;
    }
    current.push_back(text[i]);
    const std::string_view rest = text.substr(i + 1);
    if (rest.starts_with("」") || rest.starts_with("』")) continue;  // the quote ends it
    std::string_view ending = current;
    if (ending.ends_with("」") || ending.ends_with("』")) {
      ending.remove_suffix(3);
      // 「行こう。」と言った: the quote is part of a longer sentence.
      if (rest.starts_with("と") || rest.starts_with("って")) continue;
    }
    if (ends_sentence(ending)) flush();
  }
  flush();
  return out;
}

}  // namespace textkit::kanji
