#include "textkit_common/html_text.h"

#include <gumbo.h>

#include <array>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "html_text_paths.h"
#include "textkit_common/unicode.h"

namespace textkit::common {
namespace {

// gumbo_destroy_output needs the options the parse used; this owns both.
struct parsed_html {
  explicit parsed_html(std::string_view html)
      : output(gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size())) {}
  ~parsed_html() { gumbo_destroy_output(&kGumboDefaultOptions, output); }
  parsed_html(const parsed_html&) = delete;
  parsed_html& operator=(const parsed_html&) = delete;
  GumboOutput* output;
};

bool is_block(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_CENTER:
      return true;
    default:
      return false;
  }
}

// Elements that end a line but do not open a paragraph: list items, table rows, definitions.
bool is_line(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_LI:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_SUMMARY:
      return true;
    default:
      return false;
  }
}

bool is_dropped(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_BUTTON:
      return true;
    default:
      return false;
  }
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Collects text with at most one pending break between pieces, so nested blocks (<div><p>) give
// one blank line, not several, and no text ever starts or ends with whitespace.
class text_builder {
 public:
  enum class brk { none = 0, space = 1, line = 2, paragraph = 3 };

  void request(brk b) {
    if (static_cast<int>(b) > static_cast<int>(pending_)) pending_ = b;
  }

  // <br>: a line break, and two in a row a paragraph break (WordPress and Tumblr write
  // paragraphs as <br><br>).
  void line_break() { request(pending_ == brk::line ? brk::paragraph : brk::line); }

  void add_text(std::string_view text, bool preformatted) {
    const auto breaks = [preformatted](char c) { return preformatted ? c == '\n' : is_space(c); };
    for (std::size_t i = 0; i < text.size();) {
      if (!preformatted && is_space(text[i])) {
        request(brk::space);
        ++i;
        continue;
      }
      if (preformatted && text[i] == '\n') {
        request(brk::line);
        flush_pending(true);
        ++i;
        continue;
      }
      // A run of kept bytes: one flush before it, one append.
      std::size_t end = i + 1;
      while (end < text.size() && !breaks(text[end])) ++end;
      flush_pending(false);
      out_.append(text.substr(i, end - i));
      i = end;
    }
  }

  std::string take() { return std::move(out_); }

 private:
  void flush_pending(bool keep_line) {
    if (out_.empty()) {
      pending_ = brk::none;
      return;
    }
    switch (pending_) {
      case brk::none:
        break;
      case brk::space:
        out_.push_back(' ');
        break;
      case brk::line:
        if (keep_line || out_.back() != '\n') out_.push_back('\n');
        break;
      case brk::paragraph:
        out_.append(out_.back() == '\n' ? "\n" : "\n\n");
        break;
    }
    pending_ = brk::none;
  }

  std::string out_;
  brk pending_ = brk::none;
};

class walker {
 public:
  explicit walker(const html_text_options& options) : options_(options) {}

  void visit(const GumboNode* node, bool preformatted) {
    switch (node->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_WHITESPACE:
      case GUMBO_NODE_CDATA:
        out_.add_text(node->v.text.text, preformatted);
        return;
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE:
        visit_element(node, preformatted);
        return;
      case GUMBO_NODE_DOCUMENT:
        visit_children(&node->v.document.children, preformatted);
        return;
      case GUMBO_NODE_COMMENT:
        return;
    }
  }

  std::string take() { return out_.take(); }

 private:
  void visit_children(const GumboVector* children, bool preformatted) {
    for (unsigned i = 0; i < children->length; ++i) {
      visit(static_cast<const GumboNode*>(children->data[i]), preformatted);
    }
  }

  void visit_element(const GumboNode* node, bool preformatted) {
    const GumboElement& element = node->v.element;
    const GumboTag tag = element.tag;
    if (is_dropped(tag)) return;
    if (tag == GUMBO_TAG_BR) {
      out_.line_break();
      return;
    }
    if (tag == GUMBO_TAG_IMG) {
      if (!options_.image_alt) return;
      const GumboAttribute* alt = gumbo_get_attribute(&element.attributes, "alt");
      if (alt != nullptr && alt->value[0] != '\0') {
        out_.add_text("[", preformatted);
        out_.add_text(alt->value, preformatted);
        out_.add_text("]", preformatted);
      }
      return;
    }
    const bool block = is_block(tag);
    const bool line = is_line(tag);
    if (block) out_.request(text_builder::brk::paragraph);
    if (line) out_.request(text_builder::brk::line);
    if (tag == GUMBO_TAG_LI && options_.list_bullets) out_.add_text("- ", true);
    if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) out_.request(text_builder::brk::space);
    visit_children(&element.children, preformatted || tag == GUMBO_TAG_PRE);
    if (tag == GUMBO_TAG_A && options_.keep_link_urls) append_link_url(element);
    if (block) out_.request(text_builder::brk::paragraph);
    if (line) out_.request(text_builder::brk::line);
  }

  void append_link_url(const GumboElement& element) {
    const GumboAttribute* href = gumbo_get_attribute(&element.attributes, "href");
    if (href == nullptr || std::strncmp(href->value, "http", 4) != 0) return;
    out_.add_text(" (", true);
    out_.add_text(href->value, true);
    out_.add_text(")", true);
  }

  const html_text_options& options_;
  text_builder out_;
};

// ---- The fast path -------------------------------------------------------------------------
//
// Most fragments sanitize meets hold plain text, a few inline tags (<b>, <a href>, <br>, <p>) and
// common entities; for those gumbo's tree construction changes nothing but which text comes out,
// so a scan gives the same events to the same text_builder. Anything else (other tags, comments,
// misnesting, unusual characters or references) makes the scan give up, and gumbo parses it.

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_alnum(char c) { return is_ascii_alpha(c) || is_ascii_digit(c); }

// Whether gumbo keeps every character of `text` as it is: it turns invalid UTF-8, control
// characters other than whitespace, C1 controls and noncharacters into U+FFFD, drops NUL in text,
// and turns CR and CR LF into LF (which only whitespace collapsing makes harmless).
bool passes_through(std::string_view text, bool allow_cr) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  for (std::size_t i = 0; i < size;) {
    const unsigned c = bytes[i];
    if (c >= 0x20 && c < 0x7F) {
      ++i;
      continue;
    }
    if (c < 0x80) {
      if (c != '\t' && c != '\n' && c != '\f' && !(allow_cr && c == '\r')) return false;
      ++i;
      continue;
    }
    // 0x80-0xC1 are continuation bytes or overlong leads; past 0xF4 is past U+10FFFF.
    if (c < 0xC2 || c > 0xF4) return false;
    const std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (size - i < length) return false;
    char32_t code_point = c & (0x7FU >> length);
    for (std::size_t k = 1; k < length; ++k) {
      const unsigned next = bytes[i + k];
      if ((next & 0xC0U) != 0x80U) return false;
      code_point = (code_point << 6) | (next & 0x3FU);
    }
    constexpr std::array<char32_t, 5> kShortest = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kShortest[length] || code_point > 0x10FFFF) return false;
    if (code_point >= 0xD800 && code_point <= 0xDFFF) return false;
    if (code_point <= 0x9F) return false;
    if ((code_point >= 0xFDD0 && code_point <= 0xFDEF) || (code_point & 0xFFFEU) == 0xFFFEU) {
      return false;
    }
    i += length;
  }
  return true;
}

// A code point a numeric reference may name for gumbo to emit it unchanged (no replacement
// table, no U+FFFD, no control character).
bool is_plain_code_point(char32_t c) {
  if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) return false;
  if (c >= 0xD800 && c <= 0xDFFF) return false;
  if (c > 0x10FFFF) return false;
  return !((c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFEU) == 0xFFFEU);
}

struct named_reference {
  std::string_view name;
  std::string_view utf8;
};

// The references the scan decodes, with their semicolon; any other "&name;" goes to gumbo.
constexpr std::array<named_reference, 27> kNamedReferences = {{
    {"amp", "&"},         {"lt", "<"},          {"gt", ">"},          {"quot", "\""},
    {"apos", "'"},        {"nbsp", "\u00A0"},   {"hellip", "\u2026"}, {"mdash", "\u2014"},
    {"ndash", "\u2013"},  {"lsquo", "\u2018"},  {"rsquo", "\u2019"},  {"ldquo", "\u201C"},
    {"rdquo", "\u201D"},  {"laquo", "\u00AB"},  {"raquo", "\u00BB"},  {"copy", "\u00A9"},
    {"reg", "\u00AE"},    {"trade", "\u2122"},  {"euro", "\u20AC"},   {"pound", "\u00A3"},
    {"deg", "\u00B0"},    {"middot", "\u00B7"}, {"bull", "\u2022"},   {"times", "\u00D7"},
    {"eacute", "\u00E9"}, {"egrave", "\u00E8"}, {"agrave", "\u00E0"},
}};

// The references HTML decodes without their semicolon ("&copy 2019", "&ampx"): "&" and letters
// starting with one of these go to gumbo, which knows the longest-match rule.
constexpr std::array<std::string_view, 106> kNamesWithoutSemicolon = {
    "AElig",  "AMP",    "Aacute", "Acirc",  "Agrave", "Aring",  "Atilde", "Auml",   "COPY",
    "Ccedil", "ETH",    "Eacute", "Ecirc",  "Egrave", "Euml",   "GT",     "Iacute", "Icirc",
    "Igrave", "Iuml",   "LT",     "Ntilde", "Oacute", "Ocirc",  "Ograve", "Oslash", "Otilde",
    "Ouml",   "QUOT",   "REG",    "THORN",  "Uacute", "Ucirc",  "Ugrave", "Uuml",   "Yacute",
    "aacute", "acirc",  "acute",  "aelig",  "agrave", "amp",    "aring",  "atilde", "auml",
    "brvbar", "ccedil", "cedil",  "cent",   "copy",   "curren", "deg",    "divide", "eacute",
    "ecirc",  "egrave", "eth",    "euml",   "frac12", "frac14", "frac34", "gt",     "iacute",
    "icirc",  "iexcl",  "igrave", "iquest", "iuml",   "laquo",  "lt",     "macr",   "micro",
    "middot", "nbsp",   "not",    "ntilde", "oacute", "ocirc",  "ograve", "ordf",   "ordm",
    "oslash", "otilde", "ouml",   "para",   "plusmn", "pound",  "quot",   "raquo",  "reg",
    "sect",   "shy",    "sup1",   "sup2",   "sup3",   "szlig",  "thorn",  "times",  "uacute",
    "ucirc",  "ugrave", "uml",    "uuml",   "yacute", "yen",    "yuml"};

constexpr std::size_t kUnsure = std::string_view::npos;

// "&#39;", "&#x1F600;": appends the character and returns the index after the ';', or kUnsure.
std::size_t append_numeric_reference(std::string_view text, std::size_t at, std::string& out) {
  std::size_t i = at + 2;  // past "&#"
  const bool hex = i < text.size() && (text[i] == 'x' || text[i] == 'X');
  if (hex) ++i;
  const std::size_t first_digit = i;
  char32_t code_point = 0;
  // Eight digits at most: no overflow, and more goes to gumbo (which caps it its own way).
  for (; i < text.size() && i - first_digit < 8; ++i) {
    const char c = text[i];
    unsigned digit = 0;
    if (is_ascii_digit(c)) {
      digit = static_cast<unsigned>(c - '0');
    } else if (hex && c >= 'a' && c <= 'f') {
      digit = static_cast<unsigned>(c - 'a' + 10);
    } else if (hex && c >= 'A' && c <= 'F') {
      digit = static_cast<unsigned>(c - 'A' + 10);
    } else {
      break;
    }
    code_point = code_point * (hex ? 16 : 10) + digit;
  }
  if (i == first_digit || i >= text.size() || text[i] != ';') return kUnsure;
  if (!is_plain_code_point(code_point)) return kUnsure;
  append_utf8(out, code_point);
  return i + 1;
}

// At text[at] == '&': appends what gumbo's tokenizer makes of it and returns where the text
// resumes, or kUnsure.
std::size_t append_reference(std::string_view text, std::size_t at, std::string& out) {
  const std::size_t next = at + 1;
  if (next < text.size() && text[next] == '#') return append_numeric_reference(text, at, out);
  if (next == text.size() || !is_ascii_alnum(text[next])) {
    out.push_back('&');
    return next;
  }
  std::size_t end = next;
  while (end < text.size() && is_ascii_alnum(text[end])) ++end;
  const std::string_view name = text.substr(next, end - next);
  if (end < text.size() && text[end] == ';') {
    for (const named_reference& reference : kNamedReferences) {
      if (reference.name != name) continue;
      out.append(reference.utf8);
      return end + 1;
    }
    return kUnsure;
  }
  for (std::string_view legacy : kNamesWithoutSemicolon) {
    if (name.starts_with(legacy)) return kUnsure;
  }
  out.push_back('&');  // "AT&T", "?a=1&b=2": no reference, the letters stay text
  return next;
}

// The tags the scan understands. Phrase elements (formatting and other inline elements) change
// nothing in the text when properly nested; <p> only at the top level, where HTML's implied end
// tags are simple.
enum class simple_tag { unknown, phrase, anchor, image, line_break, paragraph };

constexpr std::array<std::string_view, 18> kPhraseTags = {
    "abbr", "b",     "cite",   "code", "del", "em",  "i", "ins", "mark",
    "q",    "small", "strong", "span", "sub", "sup", "u", "s",   "kbd"};

bool equals_lowercase(std::string_view raw, std::string_view lower) {
  if (raw.size() != lower.size()) return false;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

// The tag and, for phrase tags, an id to match end tags with (its index in kPhraseTags).
std::pair<simple_tag, std::size_t> classify_tag(std::string_view name) {
  if (equals_lowercase(name, "a")) return {simple_tag::anchor, kPhraseTags.size()};
  if (equals_lowercase(name, "br")) return {simple_tag::line_break, 0};
  if (equals_lowercase(name, "p")) return {simple_tag::paragraph, 0};
  if (equals_lowercase(name, "img")) return {simple_tag::image, 0};
  for (std::size_t i = 0; i < kPhraseTags.size(); ++i) {
    if (equals_lowercase(name, kPhraseTags[i])) return {simple_tag::phrase, i};
  }
  return {simple_tag::unknown, 0};
}

// Whitespace inside a tag (CR counts: gumbo has turned it into LF by then).
bool is_tag_space(char c) { return is_space(c); }

struct tag_token {
  std::string_view name;
  bool end_tag = false;
  bool self_closing = false;
  std::size_t next = 0;  // index after the '>'
};

enum class tag_scan { tag, literal, unsure };

// Attributes of a start tag, from `i` to the '>': where the tag ends, or kUnsure for anything
// gumbo would report as a parse error (its recovery is for gumbo to do).
std::size_t skip_attributes(std::string_view html, std::size_t i, bool& self_closing) {
  const std::size_t size = html.size();
  auto skip_space = [&] {
    while (i < size && is_tag_space(html[i])) ++i;
  };
  for (;;) {
    skip_space();
    if (i == size) return kUnsure;
    if (html[i] == '>') return i + 1;
    if (html[i] == '/') {
      if (i + 1 < size && html[i + 1] == '>') {
        self_closing = true;
        return i + 2;
      }
      return kUnsure;
    }
    if (html[i] == '=') return kUnsure;
    for (; i < size && !is_tag_space(html[i]) && html[i] != '/' && html[i] != '>' && html[i] != '=';
         ++i) {
      if (html[i] == '"' || html[i] == '\'' || html[i] == '<') return kUnsure;
    }
    skip_space();
    if (i == size) return kUnsure;
    if (html[i] != '=') continue;  // an attribute without a value
    ++i;
    skip_space();
    if (i == size) return kUnsure;
    const char quote = html[i];
    if (quote == '"' || quote == '\'') {
      const std::size_t close = html.find(quote, i + 1);
      if (close == std::string_view::npos) return kUnsure;
      i = close + 1;
      if (i == size) return kUnsure;
      if (!is_tag_space(html[i]) && html[i] != '/' && html[i] != '>') return kUnsure;
      continue;
    }
    if (quote == '>') return kUnsure;
    for (; i < size && !is_tag_space(html[i]) && html[i] != '>'; ++i) {
      const char c = html[i];
      if (c == '"' || c == '\'' || c == '<' || c == '=' || c == '`') return kUnsure;
    }
    if (i == size) return kUnsure;
  }
}

// At html[at] == '<': a tag, a '<' that is text ("a < b", "<3"), or something for gumbo
// (comments, doctypes, processing instructions, bogus end tags, parse errors).
tag_scan scan_tag(std::string_view html, std::size_t at, tag_token& tag) {
  std::size_t i = at + 1;
  if (i == html.size()) return tag_scan::literal;
  if (html[i] == '/') {
    tag.end_tag = true;
    ++i;
    if (i == html.size() || !is_ascii_alpha(html[i])) return tag_scan::unsure;
  } else if (!is_ascii_alpha(html[i])) {
    return html[i] == '!' || html[i] == '?' ? tag_scan::unsure : tag_scan::literal;
  }
  const std::size_t name_start = i;
  while (i < html.size() && is_ascii_alnum(html[i])) ++i;
  tag.name = html.substr(name_start, i - name_start);
  if (i == html.size()) return tag_scan::unsure;
  if (!is_tag_space(html[i]) && html[i] != '/' && html[i] != '>') return tag_scan::unsure;
  if (tag.end_tag) {
    while (i < html.size() && is_tag_space(html[i])) ++i;
    if (i == html.size() || html[i] != '>') return tag_scan::unsure;
    tag.next = i + 1;
    return tag_scan::tag;
  }
  tag.next = skip_attributes(html, i, tag.self_closing);
  return tag.next == kUnsure ? tag_scan::unsure : tag_scan::tag;
}

// The open phrase elements, innermost last; deeper nesting goes to gumbo.
class open_elements {
 public:
  bool push(std::size_t id) {
    if (depth_ == ids_.size()) return false;
    ids_[depth_++] = id;
    return true;
  }
  bool pop(std::size_t id) {
    if (depth_ == 0 || ids_[depth_ - 1] != id) return false;
    --depth_;
    return true;
  }
  bool contains(std::size_t id) const {
    for (std::size_t i = 0; i < depth_; ++i) {
      if (ids_[i] == id) return true;
    }
    return false;
  }
  bool empty() const { return depth_ == 0; }

 private:
  std::array<std::size_t, 32> ids_{};
  std::size_t depth_ = 0;
};

// Feeds one tag to `out` as the walker would see its element; false when unsure.
bool apply_tag(const tag_token& tag, const html_text_options& options, open_elements& open,
               bool& paragraph_open, text_builder& out) {
  const auto [kind, id] = classify_tag(tag.name);
  switch (kind) {
    case simple_tag::unknown:
      return false;
    case simple_tag::line_break:
      if (tag.end_tag) return false;  // </br> is a <br> to HTML, but rare enough for gumbo
      out.line_break();
      return true;
    case simple_tag::image:
      return !tag.end_tag && !options.image_alt;
    case simple_tag::paragraph:
      if (tag.self_closing || !open.empty()) return false;
      if (tag.end_tag && !paragraph_open) return false;  // a stray </p> makes an empty <p>
      paragraph_open = !tag.end_tag;
      out.request(text_builder::brk::paragraph);
      return true;
    case simple_tag::anchor:
      if (options.keep_link_urls) return false;
      if (!tag.end_tag && open.contains(id)) return false;  // <a> in <a>: adoption agency
      break;
    case simple_tag::phrase:
      break;
  }
  if (tag.self_closing) return false;  // <b/> opens a <b> in HTML
  return tag.end_tag ? open.pop(id) : open.push(id);
}

// The first '<' or '&' from `from`, or npos (string_view::find_first_of calls memchr on its
// two-byte set for every byte of the text: 6 % of sanitize's CPU time in the benchmark).
std::size_t find_markup(std::string_view html, std::size_t from) {
  for (std::size_t i = from; i < html.size(); ++i) {
    if (html[i] == '<' || html[i] == '&') return i;
  }
  return std::string_view::npos;
}

}  // namespace

namespace html_paths {

std::optional<std::string> html_to_text_fast(std::string_view html,
                                             const html_text_options& options) {
  if (!passes_through(html, true)) return std::nullopt;
  text_builder out;
  open_elements open;
  bool paragraph_open = false;
  std::string reference;
  std::size_t i = 0;
  while (i < html.size()) {
    const std::size_t special = find_markup(html, i);
    out.add_text(html.substr(i, special - i), false);
    if (special == std::string_view::npos) break;
    if (html[special] == '&') {
      reference.clear();
      i = append_reference(html, special, reference);
      if (i == kUnsure) return std::nullopt;
      out.add_text(reference, false);
      continue;
    }
    tag_token tag;
    switch (scan_tag(html, special, tag)) {
      case tag_scan::unsure:
        return std::nullopt;
      case tag_scan::literal:
        out.add_text("<", false);
        i = special + 1;
        continue;
      case tag_scan::tag:
        if (!apply_tag(tag, options, open, paragraph_open, out)) return std::nullopt;
        i = tag.next;
        continue;
    }
  }
  return out.take();
}

std::string html_to_text_full(std::string_view html, const html_text_options& options) {
  if (html.empty()) return {};
  parsed_html parsed(html);
  walker walk(options);
  walk.visit(parsed.output->document, false);
  return walk.take();
}

std::optional<std::string> decode_entities_fast(std::string_view text) {
  if (!passes_through(text, false)) return std::nullopt;
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  for (;;) {
    const std::size_t amp = text.find('&', i);
    out.append(text.substr(i, amp - i));
    if (amp == std::string_view::npos) return out;
    i = append_reference(text, amp, out);
    if (i == kUnsure) return std::nullopt;
  }
}

std::string decode_entities_full(std::string_view text) {
  // gumbo decodes the references; escaping '<' first keeps every other byte text, and a
  // <textarea> context would still collapse nothing: text nodes keep their whitespace. The
  // <pre> wrapper keeps a leading newline, which the HTML parser would otherwise drop.
  std::string escaped = "<pre>\n";
  escaped.reserve(text.size() + 16);
  for (char c : text) {
    if (c == '<') {
      escaped.append("&lt;");
    } else {
      escaped.push_back(c);
    }
  }
  parsed_html parsed(escaped);
  std::string out;
  out.reserve(text.size());
  // The document holds html > head, body > pre > text nodes.
  const GumboNode* root = parsed.output->root;
  const GumboVector& top = root->v.element.children;
  for (unsigned i = 0; i < top.length; ++i) {
    const auto* child = static_cast<const GumboNode*>(top.data[i]);
    if (child->type != GUMBO_NODE_ELEMENT || child->v.element.tag != GUMBO_TAG_BODY) continue;
    const GumboVector& body = child->v.element.children;
    for (unsigned j = 0; j < body.length; ++j) {
      const auto* pre = static_cast<const GumboNode*>(body.data[j]);
      if (pre->type != GUMBO_NODE_ELEMENT) continue;
      const GumboVector& texts = pre->v.element.children;
      for (unsigned k = 0; k < texts.length; ++k) {
        const auto* node = static_cast<const GumboNode*>(texts.data[k]);
        if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE) {
          out.append(node->v.text.text);
        }
      }
    }
  }
  return out;
}

}  // namespace html_paths

std::string html_to_text(std::string_view html, const html_text_options& options) {
  if (auto fast = html_paths::html_to_text_fast(html, options)) return std::move(*fast);
  return html_paths::html_to_text_full(html, options);
}

std::string decode_entities(std::string_view text) {
  if (text.find('&') == std::string_view::npos) return std::string(text);
  if (auto fast = html_paths::decode_entities_fast(text)) return std::move(*fast);
  return html_paths::decode_entities_full(text);
}

bool looks_like_html(std::string_view text) {
  for (std::size_t i = text.find_first_of("<&"); i != std::string_view::npos;
       i = text.find_first_of("<&", i + 1)) {
    const std::string_view rest = text.substr(i + 1);
    if (rest.empty()) return false;
    if (text[i] == '<') {
      std::size_t j = rest[0] == '/' ? 1 : 0;
      std::size_t letters = 0;
      while (j < rest.size() &&
             ((rest[j] >= 'a' && rest[j] <= 'z') || (rest[j] >= 'A' && rest[j] <= 'Z') ||
              (letters > 0 && rest[j] >= '0' && rest[j] <= '9'))) {
        ++j;
        ++letters;
      }
      if (letters > 0 && j < rest.size() &&
          (rest[j] == '>' || rest[j] == ' ' || rest[j] == '/' || rest[j] == '\n')) {
        return true;
      }
      if (rest.substr(0, 3) == "!--") return true;
      continue;
    }
    std::size_t j = rest[0] == '#' ? 1 : 0;
    std::size_t name = 0;
    while (j < rest.size() && name < 32 &&
           ((rest[j] >= 'a' && rest[j] <= 'z') || (rest[j] >= 'A' && rest[j] <= 'Z') ||
            (rest[j] >= '0' && rest[j] <= '9'))) {
      ++j;
      ++name;
    }
    if (name > 0 && j < rest.size() && rest[j] == ';') return true;
  }
  return false;
}

void append_html_escaped(std::string& out, std::string_view text) {
  std::size_t clean = 0;  // start of the run of bytes that need no escape
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char* entity = nullptr;
    switch (text[i]) {
      case '&':
        entity = "&amp;";
        break;
      case '<':
        entity = "&lt;";
        break;
      case '>':
        entity = "&gt;";
        break;
      case '"':
        entity = "&quot;";
        break;
      default:
        continue;
    }
    out.append(text.substr(clean, i - clean));
    out += entity;
    clean = i + 1;
  }
  out.append(text.substr(clean));
}

std::string html_escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  append_html_escaped(out, text);
  return out;
}

}  // namespace textkit::common
