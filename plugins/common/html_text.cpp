#include "textkit_common/html_text.h"

#include <gumbo.h>

#include <cstring>
#include <memory>
#include <string>

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
    for (char c : text) {
      if (!preformatted && is_space(c)) {
        request(brk::space);
        continue;
      }
      if (preformatted && c == '\n') {
        request(brk::line);
        flush_pending(true);
        continue;
      }
      flush_pending(false);
      out_.push_back(c);
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

}  // namespace

std::string html_to_text(std::string_view html, const html_text_options& options) {
  if (html.empty()) return {};
  parsed_html parsed(html);
  walker walk(options);
  walk.visit(parsed.output->document, false);
  return walk.take();
}

std::string decode_entities(std::string_view text) {
  if (text.find('&') == std::string_view::npos) return std::string(text);
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
