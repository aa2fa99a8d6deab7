// read.csv - CSV files with a text column as records; the other columns become meta.
#include <csv.h>

#include <charconv>
#include <deque>
#include <string>
#include <string_view>

#include "io_common.h"
#include "textkit/io.h"
#include "textkit/plugin.h"

namespace textkit::io_plugins {
namespace {

// libcsv skips "spaces" around unquoted fields, and by default a tab is one: with a tab as the
// delimiter, only ' ' may be skipped, with a space as the delimiter nothing.
int space_or_tab(unsigned char c) { return c == ' ' || c == '\t'; }
int space_only(unsigned char c) { return c == ' '; }
int no_space(unsigned char /*c*/) { return 0; }

// libcsv's parser states (libcsv.c): before the first byte of a row, and inside a field.
constexpr int row_not_begun = 0;
constexpr int field_begun = 2;

/// A column number, 1-based, when `text` is one.
std::optional<std::size_t> column_number(std::string_view text) {
  std::size_t number = 0;
  const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (failure != std::errc() || end != text.data() + text.size() || number == 0) return {};
  return number;
}

struct settings {
  std::string path;
  std::string text_column;
  bool header = true;
  char delimiter = ',';
  std::optional<std::string> label;
};

struct row {
  std::vector<std::string> fields;
  std::uint64_t line = 0;
};

// The rows libcsv hands to its callbacks, kept until csv_parse returns: emit() may throw, and an
// exception must not unwind through libcsv's C frames.
struct row_collector {
  std::deque<row> done;
  std::vector<std::string> fields;
  std::uint64_t row_line = 0;

  static void on_field(void* data, std::size_t size, void* self) {
    static_cast<row_collector*>(self)->fields.emplace_back(static_cast<const char*>(data), size);
  }
  static void on_row_end(int /*terminator*/, void* self) {
    auto& collector = *static_cast<row_collector*>(self);
    collector.done.push_back(row{std::move(collector.fields), collector.row_line});
    collector.fields.clear();
  }
};

class csv_parser_handle {
 public:
  explicit csv_parser_handle(char delimiter) {
    // Not CSV_STRICT: a stray quote inside an unquoted field (common in TSV) is kept as text.
    if (csv_init(&parser_, 0) != 0) throw error("out of memory");
    csv_set_delim(&parser_, static_cast<unsigned char>(delimiter));
    csv_set_space_func(&parser_, delimiter == '\t'  ? space_only
                                 : delimiter == ' ' ? no_space
                                                    : space_or_tab);
  }
  ~csv_parser_handle() { csv_free(&parser_); }
  csv_parser_handle(const csv_parser_handle&) = delete;
  csv_parser_handle& operator=(const csv_parser_handle&) = delete;
  csv_parser* get() { return &parser_; }

 private:
  csv_parser parser_{};
};

class read_csv final : public source {
 public:
  explicit read_csv(settings config)
      : config_(std::move(config)),
        files_(expand_inputs(config_.path, {".csv", ".tsv"})),
        names_(config_.path) {}

  void produce(context& ctx, emitter& out) override {
    byte_progress progress(files_);
    for (const auto& file : files_) {
      line_reader reader(file);
      read_one_file(reader, names_(file), ctx, out, progress);
      progress.next_file(ctx, reader.bytes_read());
    }
  }

 private:
  // Feeds libcsv line by line (the line reader strips "\r\n"; the "\n" goes back in), so each row
  // is known by the line it starts on.
  void read_one_file(line_reader& reader, const std::string& name, context& ctx, emitter& out,
                     byte_progress& progress) {
    csv_parser_handle parser(config_.delimiter);
    row_collector rows;
    file_state state;
    state.name = name;
    std::string_view line;
    while (reader.next(line)) {
      progress.update(ctx, reader.bytes_read());
      if (parser.get()->pstate == row_not_begun) rows.row_line = reader.line_number();
      const std::size_t used = csv_parse(parser.get(), line.data(), line.size(),
                                         row_collector::on_field, row_collector::on_row_end, &rows);
      if (used != line.size()) {
        // Without strict mode this is only running out of memory for a huge field.
        throw error(origin{name, rows.row_line}, csv_strerror(csv_error(parser.get())));
      }
      csv_parse(parser.get(), "\n", 1, row_collector::on_field, row_collector::on_row_end, &rows);
      if (!take_rows(rows, state, ctx, out)) return;
    }
    // A quoted field still open at the end is an error, not the rest of the file as text
    // (CSV_STRICT_FINI would say so, but only together with CSV_STRICT).
    if (parser.get()->pstate == field_begun && parser.get()->quoted != 0) {
      ctx.bad_input(origin{name, rows.row_line},
                    "a quoted field starts here and never ends; the rest of the file is skipped");
      return;
    }
    csv_fini(parser.get(), row_collector::on_field, row_collector::on_row_end, &rows);
    take_rows(rows, state, ctx, out);
  }

  struct file_state {
    std::string name;
    std::vector<std::string> header;
    bool header_read = false;
    std::size_t text_index = 0;
  };

  // Handles the rows collected so far; false when the file cannot be read on.
  bool take_rows(row_collector& rows, file_state& state, context& ctx, emitter& out) {
    while (!rows.done.empty()) {
      row current = std::move(rows.done.front());
      rows.done.pop_front();
      if (!state.header_read) {
        if (!start_file(current, state, ctx)) return false;
        if (config_.header) continue;
      }
      emit_row(current, state, ctx, out);
    }
    return true;
  }

  bool start_file(row& first, file_state& state, context& ctx) {
    state.header_read = true;
    if (config_.header) state.header = std::move(first.fields);
    for (const auto& column : state.header) {
      if (find_invalid_utf8(column) == std::string_view::npos) continue;
      ctx.bad_input(origin{state.name, first.line},
                    "invalid UTF-8 in the header; the file is skipped");
      return false;
    }
    const auto number = column_number(config_.text_column);
    if (config_.header) {
      for (std::size_t i = 0; i < state.header.size(); ++i) {
        if (state.header[i] != config_.text_column) continue;
        state.text_index = i;
        return true;
      }
    }
    if (number) {
      state.text_index = *number - 1;
      return true;
    }
    std::string columns;
    for (const auto& column : state.header) columns += (columns.empty() ? "" : ", ") + column;
    ctx.bad_input(origin{state.name, first.line}, "no column named \"" + config_.text_column +
                                                      "\" (the columns are: " + columns +
                                                      "); the file is skipped");
    return false;
  }

  void emit_row(row& current, const file_state& state, context& ctx, emitter& out) {
    const origin where{state.name, current.line};
    if (state.text_index >= current.fields.size()) {
      ctx.bad_input(where, "the row has " + std::to_string(current.fields.size()) +
                               " fields, no text in column " +
                               std::to_string(state.text_index + 1));
      return;
    }
    record made;
    for (std::size_t i = 0; i < current.fields.size(); ++i) {
      std::string& value = current.fields[i];
      const std::string key = i < state.header.size() && !state.header[i].empty()
                                  ? state.header[i]
                                  : "column_" + std::to_string(i + 1);
      if (find_invalid_utf8(value) != std::string_view::npos) {
        ctx.bad_input(where, "invalid UTF-8 in column \"" + key + "\"");
        return;
      }
      if (i == state.text_index) {
        made.text = std::move(value);
      } else if (!value.empty()) {
        // An empty cell is an unknown value: standard meta keys are absent when unknown.
        made.meta[key] = std::move(value);
      }
    }
    add_standard_meta(made.meta, "read.csv", config_.label, state.name, current.line);
    made.from = where;
    out.emit(std::move(made));
  }

  settings config_;
  std::vector<std::string> files_;
  input_names names_;
};

result<std::unique_ptr<step>> create(const step_config& config) {
  settings s;
  s.path = config.opts.get_path("path");
  const json& column = config.opts.get("text_column");
  if (column.is_number_unsigned() && column.get<std::uint64_t>() > 0) {
    s.text_column = std::to_string(column.get<std::uint64_t>());
  } else if (column.is_string() && !column.get<std::string>().empty()) {
    s.text_column = column.get<std::string>();
  } else {
    return error("text_column: expected a column name or a column number from 1, got " +
                 column.dump());
  }
  s.header = config.opts.get_bool("header");
  if (!s.header && !column_number(s.text_column)) {
    return error("text_column: with header false, give the text column's number (1 is the first)");
  }
  const std::string delimiter = config.opts.get_string("delimiter");
  if (delimiter.size() != 1 || delimiter == "\"" || delimiter == "\n" || delimiter == "\r") {
    return error("delimiter: expected one character (not a quote or a line break), got \"" +
                 delimiter + "\"");
  }
  s.delimiter = delimiter[0];
  s.label = optional_string(config.opts, "label");
  return make_step<read_csv>(std::move(s));
}

const plugin_descriptor& describe() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "read.csv";
    d.version = "1.0.0";
    d.summary = "CSV files with a text column as records; the other columns become meta";
    d.kind = step_kind::source;
    d.consumes = "CSV files, RFC 4180 (a file, a folder of .csv/.tsv files, a glob, or -)";
    d.produces =
        "text (valid UTF-8, as in the file: not NFC-normalized; sanitize does that); meta from the "
        "other columns (by header name), source, label, id";
    d.options = {
        option_builder("path", option_type::path,
                       "The CSV to read: a file, a folder (its .csv and .tsv files, recursively, "
                       "sorted), a glob pattern, or - for standard input.")
            .required(),
        option_builder(
            "text_column", option_type::any,
            "The column holding the text: its name in the header row, or its number (1 is "
            "the first column).")
            .fallback("text"),
        option_builder(
            "header", option_type::boolean,
            "Whether the first row names the columns; without it, other columns go into meta "
            "as column_2, column_3, ...")
            .fallback(true),
        option_builder("delimiter", option_type::string,
                       "The character between fields: \",\", \";\", \"\\t\" for TSV, ...")
            .fallback(","),
        option_builder("label", option_type::string,
                       "A name for this corpus, put in each record's meta.label."),
    };
    d.create = create;
    return d;
  }();
  return descriptor;
}

}  // namespace
}  // namespace textkit::io_plugins

TEXTKIT_PLUGIN(read_csv, textkit::io_plugins::describe)
