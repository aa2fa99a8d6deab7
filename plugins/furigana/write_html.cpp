// write.html - the records as one HTML page, each record an <article>; text that a step marked as
// HTML (meta.markup "html", as furigana's ruby format does) goes in as is, so ruby shows as ruby.
// With `columns`, each record is a row of side-by-side fields (an original and its rewrite).
#include <string>
#include <string_view>
#include <vector>

#include "textkit/io.h"
#include "textkit/plugin.h"
#include "textkit_common/html_text.h"

namespace textkit::html_plugin {
namespace {

// Paragraphs at blank lines, <br> at single line breaks.
void append_paragraphs(std::string& out, std::string_view text, bool escape) {
  out += "<p>";
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n') {
      const std::size_t next = text.find('\n', i);
      const std::string_view chunk =
          text.substr(i, next == std::string_view::npos ? std::string_view::npos : next - i);
      if (escape) {
        common::append_html_escaped(out, chunk);
      } else {
        out += chunk;
      }
      i += chunk.size() - 1;
      continue;
    }
    std::size_t breaks = 1;
    while (i + 1 < text.size() && text[i + 1] == '\n') {
      ++breaks;
      ++i;
    }
    out += breaks > 1 ? "</p>\n<p>" : "<br>\n";
  }
  out += "</p>";
}

struct settings {
  std::string path;
  std::string title;
  std::string lang;
  bool trust_markup = true;
  std::vector<std::string> columns;        // "text" or "meta.<key>", one per column
  std::vector<std::string> column_titles;  // headings above the columns
};

/// The value of a column's field in a record: the text, a string in meta, or "" when absent.
std::string field_of(const record& in, const std::string& field) {
  if (field == "text") return in.text;
  if (!field.starts_with("meta.")) return "";
  const auto it = in.meta.find(field.substr(5));
  if (it == in.meta.end()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

class write_html final : public sink {
 public:
  explicit write_html(settings config) : config_(std::move(config)), out_(config_.path) {
    std::string head = "<!DOCTYPE html>\n<html";
    if (!config_.lang.empty()) {
      head += " lang=\"";
      common::append_html_escaped(head, config_.lang);
      head += '"';
    }
    head +=
        ">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
        "content=\"width=device-width, initial-scale=1\">\n<title>";
    common::append_html_escaped(head, config_.title);
    head +=
        "</title>\n<style>\nbody { max-width: 42em; margin: 2em auto; padding: 0 1em; "
        "line-height: 2; font-family: sans-serif; }\narticle { margin-bottom: 2em; }\n"
        "rt { font-size: 0.55em; }\n.meta { color: #666; font-size: 0.8em; }\n";
    if (!config_.columns.empty()) {
      head += "body { max-width: " + std::to_string(36 * config_.columns.size()) +
              "em; }\n.columns { display: grid; grid-template-columns: repeat(" +
              std::to_string(config_.columns.size()) +
              ", 1fr); gap: 0 2em; margin-bottom: 0; }\n.columns > div { min-width: 0; }\n";
    }
    head += "</style>\n</head>\n<body>\n<h1>";
    common::append_html_escaped(head, config_.title);
    head += "</h1>\n";
    if (!config_.column_titles.empty()) {
      head += "<div class=\"columns\">";
      for (const std::string& t : config_.column_titles) {
        head += "<h2>";
        common::append_html_escaped(head, t);
        head += "</h2>";
      }
      head += "</div>\n";
    }
    out_.write(head);
  }

  void write(const record& in, context& /*ctx*/) override {
    std::string article = "<article>\n";
    if (const auto title = in.meta.find("title"); title != in.meta.end() && title->is_string()) {
      article += "<h2>";
      common::append_html_escaped(article, title->get<std::string>());
      article += "</h2>\n";
    }
    const auto markup = in.meta.find("markup");
    const bool is_html =
        config_.trust_markup && markup != in.meta.end() && markup->is_string() && *markup == "html";
    if (config_.columns.empty()) {
      append_paragraphs(article, in.text, !is_html);
    } else {
      article.insert(article.find('>'), " class=\"columns\"");
      for (const std::string& field : config_.columns) {
        article += "<div>";
        // Only the text carries furigana's markup; meta fields are always escaped.
        append_paragraphs(article, field_of(in, field), !(is_html && field == "text"));
        article += "</div>\n";
      }
    }
    article += "\n</article>\n";
    out_.write(article);
  }

  void commit(context& /*ctx*/) override {
    out_.write("</body>\n</html>\n");
    out_.commit();
  }

 private:
  settings config_;
  atomic_output out_;
};

result<std::unique_ptr<step>> create(const step_config& config) {
  settings s;
  s.path = config.opts.get_path("path");
  s.title = config.opts.get_string("title");
  s.lang = config.opts.get_string("lang");
  s.trust_markup = config.opts.get_string("markup") == "auto";
  s.columns = config.opts.get_strings("columns");
  s.column_titles = config.opts.get_strings("column_titles");
  for (const std::string& field : s.columns) {
    if (field != "text" && !(field.starts_with("meta.") && field.size() > 5)) {
      return error("write.html: columns: \"" + field + "\" is neither \"text\" nor \"meta.<key>\"");
    }
  }
  return make_step<write_html>(std::move(s));
}

option_spec option(std::string name, option_type type, json fallback, std::string doc) {
  option_spec spec;
  spec.name = std::move(name);
  spec.type = type;
  spec.default_value = std::move(fallback);
  spec.doc = std::move(doc);
  return spec;
}

const plugin_descriptor& describe() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "write.html";
    d.version = "1.0.0";
    d.summary = "The records as one HTML page (ruby furigana shows as ruby)";
    d.kind = step_kind::sink;
    d.consumes = "text; meta.title (a heading); meta.markup \"html\" (text already HTML)";
    d.produces = "a UTF-8 HTML page, written whole or not at all (or - for standard output)";
    option_spec path = option("path", option_type::output_path, nullptr,
                              "The file to write (replaced only when the run succeeds), or - "
                              "for standard output.");
    path.required = true;
    option_spec markup = option(
        "markup", option_type::string, "auto",
        "auto: a record whose meta.markup is \"html\" (furigana's ruby format) goes in as HTML, "
        "others are escaped; text: every record is escaped and shows as written.");
    markup.allowed = {"auto", "text"};
    d.options = {
        path,
        option("title", option_type::string, "textkit", "The page's title and heading."),
        option("lang", option_type::string, "",
               "The page's language (\"ja\": browsers pick Japanese fonts); empty: none given."),
        markup,
        option("columns", option_type::string_list, json::array(),
               "Side by side: the field shown in each column of a record's row, \"text\" or "
               "\"meta.<key>\" (e.g. [\"meta.original\", \"text\"] after negate); empty: the "
               "text alone."),
        option("column_titles", option_type::string_list, json::array(),
               "Headings above the columns, once at the top of the page (e.g. [\"Original\", "
               "\"Negated\"])."),
    };
    d.create = create;
    return d;
  }();
  return descriptor;
}

}  // namespace
}  // namespace textkit::html_plugin

TEXTKIT_PLUGIN(write_html, textkit::html_plugin::describe)
