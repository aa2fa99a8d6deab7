// write.csv - records as CSV rows: the text and chosen meta keys as columns.
#include <string>
#include <string_view>

#include "io_common.h"
#include "textkit/io.h"
#include "textkit/plugin.h"

namespace textkit::io_plugins {
namespace {

struct settings {
  std::string path;
  std::optional<std::vector<std::string>> columns;
  char delimiter = ',';
  bool header = true;
};

class write_csv final : public sink {
 public:
  explicit write_csv(settings config)
      : config_(std::move(config)), out_(config_.path), columns_(config_.columns) {}

  void write(const record& in, context& /*ctx*/) override {
    if (!columns_) columns_ = columns_of(in);
    if (!started_) start();
    row_.clear();
    for (std::size_t i = 0; i < columns_->size(); ++i) {
      if (i > 0) row_ += config_.delimiter;
      const std::string& column = (*columns_)[i];
      if (column == "text") {
        append_field(in.text);
        continue;
      }
      const auto value = in.meta.find(column);
      if (value == in.meta.end() || value->is_null()) {
        append_field({});
      } else if (value->is_string()) {
        append_field(value->get_ref<const std::string&>());
      } else {
        append_field(value->dump(-1, ' ', false, json::error_handler_t::replace));
      }
    }
    row_ += '\n';
    out_.write(row_);
  }

  void commit(context& /*ctx*/) override {
    if (!columns_) columns_ = std::vector<std::string>{"text"};
    if (!started_) start();
    out_.commit();
  }

 private:
  static std::vector<std::string> columns_of(const record& first) {
    std::vector<std::string> columns{"text"};
    for (const auto& [key, value] : first.meta.items()) columns.push_back(key);
    return columns;
  }

  void start() {
    started_ = true;
    if (!config_.header) return;
    row_.clear();
    for (std::size_t i = 0; i < columns_->size(); ++i) {
      if (i > 0) row_ += config_.delimiter;
      append_field((*columns_)[i]);
    }
    row_ += '\n';
    out_.write(row_);
  }

  // RFC 4180: a field holding the delimiter, a quote or a line break is quoted, its quotes
  // doubled. A lone empty field is quoted too, or its row would read as a blank line, which
  // CSV readers skip.
  void append_field(std::string_view value) {
    const char special[] = {config_.delimiter, '"', '\n', '\r'};
    const bool quote =
        value.find_first_of(std::string_view(special, sizeof special)) != std::string_view::npos ||
        (value.empty() && columns_->size() == 1);
    if (!quote) {
      row_.append(value);
      return;
    }
    row_ += '"';
    for (char c : value) {
      if (c == '"') row_ += '"';
      row_ += c;
    }
    row_ += '"';
  }

  settings config_;
  atomic_output out_;
  std::optional<std::vector<std::string>> columns_;
  bool started_ = false;
  std::string row_;
};

result<std::unique_ptr<step>> create(const step_config& config) {
  settings s;
  s.path = config.opts.get_path("path");
  if (config.opts.has("columns") && !config.opts.get("columns").is_null()) {
    s.columns = config.opts.get_strings("columns");
    if (s.columns->empty()) return error("columns: give at least one column");
  }
  const std::string delimiter = config.opts.get_string("delimiter");
  if (delimiter.size() != 1 || delimiter == "\"" || delimiter == "\n" || delimiter == "\r") {
    return error("delimiter: expected one character (not a quote or a line break), got \"" +
                 delimiter + "\"");
  }
  s.delimiter = delimiter[0];
  s.header = config.opts.get_bool("header");
  return make_step<write_csv>(std::move(s));
}

const plugin_descriptor& describe() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "write.csv";
    d.version = "1.0.0";
    d.summary = "Records as CSV rows: the text and chosen meta keys as columns";
    d.kind = step_kind::sink;
    d.consumes = "text, meta";
    d.produces = "a CSV file (RFC 4180 quoting, rows ending in \\n), written whole or not at all";
    d.options = {
        option_builder("path", option_type::output_path,
                       "The file to write (replaced only when the run succeeds), or - for standard "
                       "output.")
            .required(),
        option_builder(
            "columns", option_type::string_list,
            "The columns, in order: \"text\" for the text, any other name for that meta key "
            "(strings as is, other values as JSON, absent ones empty). Default: text, then "
            "every meta key of the first record, sorted."),
        option_builder("delimiter", option_type::string,
                       "The character between fields: \",\", \";\", \"\\t\" for TSV, ...")
            .fallback(","),
        option_builder("header", option_type::boolean, "Write a first row with the column names.")
            .fallback(true),
    };
    d.create = create;
    return d;
  }();
  return descriptor;
}

}  // namespace
}  // namespace textkit::io_plugins

TEXTKIT_PLUGIN(write_csv, textkit::io_plugins::describe)
