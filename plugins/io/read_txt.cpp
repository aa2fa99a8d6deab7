// read.txt - plain text files as records: one per line, per paragraph, per separator, or per file.
#include <string>
#include <string_view>

#include "io_common.h"
#include "textkit/io.h"
#include "textkit/plugin.h"

namespace textkit::io_plugins {
namespace {

enum class split_mode { line, paragraph, separator, whole };

split_mode parse_split(const std::string& name) {
  if (name == "line") return split_mode::line;
  if (name == "separator") return split_mode::separator;
  if (name == "whole") return split_mode::whole;
  return split_mode::paragraph;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_blank(std::string_view text) {
  for (char c : text) {
    if (!is_space(c)) return false;
  }
  return true;
}

struct settings {
  std::string path;
  split_mode split = split_mode::paragraph;
  std::string separator;
  std::vector<std::string> extensions;
  bool skip_empty = true;
  bool trim = true;
  std::optional<std::string> label;
};

class read_txt final : public source {
 public:
  explicit read_txt(settings config)
      : config_(std::move(config)),
        files_(expand_inputs(config_.path, config_.extensions)),
        names_(config_.path) {}

  void produce(context& ctx, emitter& out) override {
    byte_progress progress(files_);
    for (const auto& file : files_) {
      line_reader reader(file);
      const std::string name = names_(file);
      read_file_records(reader, name, ctx, out, progress);
      progress.next_file(ctx, reader.bytes_read());
    }
  }

 private:
  void read_file_records(line_reader& reader, const std::string& name, context& ctx, emitter& out,
                         byte_progress& progress) {
    std::string_view line;
    if (config_.split == split_mode::line) {
      while (reader.next(line)) {
        emit_record(line, reader.line_number(), name, ctx, out);
        progress.update(ctx, reader.bytes_read());
      }
      return;
    }
    if (config_.split == split_mode::separator) {
      read_separated(reader, name, ctx, out, progress);
      return;
    }
    // paragraph and whole: lines joined by "\n" into one record until a blank line (paragraph)
    // or the end of the file (whole).
    const bool by_paragraph = config_.split == split_mode::paragraph;
    std::uint64_t first_line = 0;
    pending_.clear();
    while (reader.next(line)) {
      progress.update(ctx, reader.bytes_read());
      if (by_paragraph && is_blank(line)) {
        if (first_line != 0) emit_record(pending_, first_line, name, ctx, out);
        pending_.clear();
        first_line = 0;
        continue;
      }
      if (first_line == 0) {
        first_line = reader.line_number();
      } else {
        pending_ += '\n';
      }
      pending_.append(line);
    }
    if (first_line != 0) emit_record(pending_, first_line, name, ctx, out);
  }

  // The file as one stream of lines joined by "\n", cut at every occurrence of the separator,
  // which may sit on a line of its own, inside a line, or span lines ("\n\n\n").
  void read_separated(line_reader& reader, const std::string& name, context& ctx, emitter& out,
                      byte_progress& progress) {
    const std::string& separator = config_.separator;
    pending_.clear();
    std::uint64_t first_line = 1;
    std::size_t search_from = 0;
    std::string_view line;
    bool first = true;
    while (reader.next(line)) {
      progress.update(ctx, reader.bytes_read());
      if (!first) pending_ += '\n';
      first = false;
      pending_.append(line);
      std::size_t start = 0;
      for (;;) {
        const std::size_t found = pending_.find(separator, std::max(search_from, start));
        if (found == std::string::npos) break;
        const std::string_view piece(pending_.data() + start, found - start);
        emit_record(piece, first_line, name, ctx, out);
        const std::size_t next = found + separator.size();
        first_line =
            line_and_column(std::string_view(pending_).substr(start), next - start, first_line)
                .first;
        start = next;
      }
      pending_.erase(0, start);
      // The separator may begin at the end of this line and end in the next one.
      search_from =
          pending_.size() >= separator.size() ? pending_.size() - separator.size() + 1 : 0;
    }
    emit_record(pending_, first_line, name, ctx, out);
  }

  void emit_record(std::string_view raw, std::uint64_t first_line, const std::string& name,
                   context& ctx, emitter& out) {
    if (const std::size_t bad = find_invalid_utf8(raw); bad != std::string_view::npos) {
      const auto [line, column] = line_and_column(raw, bad, first_line);
      ctx.bad_input(origin{name, line, column}, "invalid UTF-8");
      return;
    }
    std::string_view text = raw;
    std::size_t leading = 0;
    if (config_.trim) {
      while (leading < text.size() && is_space(text[leading])) ++leading;
      text.remove_prefix(leading);
      while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    }
    if (config_.skip_empty && is_blank(text)) return;
    // The record starts where its first kept character is, not at the blank lines trimmed away.
    const std::uint64_t line = line_and_column(raw, leading, first_line).first;
    record made;
    made.text.assign(text);
    made.meta["file"] = name;
    add_standard_meta(made.meta, "read.txt", config_.label, name, line);
    made.from = origin{name, line};
    out.emit(std::move(made));
  }

  settings config_;
  std::vector<std::string> files_;
  input_names names_;
  std::string pending_;  // reused across records: one allocation for the whole run
};

result<std::unique_ptr<step>> create(const step_config& config) {
  settings s;
  s.path = config.opts.get_path("path");
  s.split = parse_split(config.opts.get_string("split"));
  if (auto separator = optional_string(config.opts, "separator")) s.separator = *separator;
  if (s.split == split_mode::separator && s.separator.empty()) {
    return error("split \"separator\" needs a non-empty \"separator\" option");
  }
  s.extensions = config.opts.get_strings("extensions");
  s.skip_empty = config.opts.get_bool("skip_empty");
  s.trim = config.opts.get_bool("trim");
  s.label = optional_string(config.opts, "label");
  return make_step<read_txt>(std::move(s));
}

const plugin_descriptor& describe() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "read.txt";
    d.version = "1.0.0";
    d.summary =
        "Plain text files as records: one per line, per paragraph, per separator, or per file";
    d.kind = step_kind::source;
    d.consumes =
        "UTF-8 text files (a file, a folder read recursively, a glob pattern, or - for stdin)";
    d.produces =
        "text (valid UTF-8, as in the file: not NFC-normalized; sanitize does that); meta source, "
        "label, id (<file>:<line>), file (relative to the path given)";
    d.options = {
        option_builder(
            "path", option_type::path,
            "The text to read: a file, a folder (read recursively, in sorted order), a glob "
            "pattern such as notes/*.txt, or - for standard input.")
            .required(),
        option_builder(
            "split", option_type::string,
            "How to cut the text into records: paragraph (blocks separated by blank lines, "
            "line breaks inside kept), line, separator (at each occurrence of the separator "
            "option), or whole (one record per file).")
            .fallback("paragraph")
            .one_of({"paragraph", "line", "separator", "whole"}),
        option_builder(
            "separator", option_type::string,
            "For split separator: the string that ends a record, anywhere in the text; it is "
            "not part of either record (e.g. \"<|endoftext|>\" or \"\\n---\\n\")."),
        option_builder(
            "extensions", option_type::string_list,
            "When path is a folder: read only files whose names end in one of these (case "
            "does not matter); an empty list reads every file. Hidden files are skipped.")
            .fallback(json::array({".txt"})),
        option_builder("skip_empty", option_type::boolean,
                       "Drop records that contain only whitespace.")
            .fallback(true),
        option_builder("trim", option_type::boolean,
                       "Remove whitespace at the start and end of each record.")
            .fallback(true),
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

TEXTKIT_PLUGIN(read_txt, textkit::io_plugins::describe)
