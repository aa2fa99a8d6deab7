// read.jsonl - JSON Lines files as records: {"text": ..., "meta": {...}} or any object with a text
// key, one per line.
#include <string>
#include <string_view>

#include "io_common.h"
#include "json_scan.h"
#include "textkit/io.h"
#include "textkit/plugin.h"

namespace textkit::io_plugins {
namespace {

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// nlohmann's messages start with "[json.exception.parse_error.101] parse error at line 1, column
// 7: "; the place is given separately, so keep what follows.
std::string parse_message(const json::parse_error& failure) {
  std::string_view what = failure.what();
  const std::size_t column = what.find("column ");
  if (column != std::string_view::npos) {
    const std::size_t colon = what.find(": ", column);
    if (colon != std::string_view::npos) what.remove_prefix(colon + 2);
  }
  return std::string(what);
}

struct settings {
  std::string path;
  std::string text_key;
  std::optional<std::string> label;
};

class read_jsonl final : public source {
 public:
  explicit read_jsonl(settings config)
      : config_(std::move(config)),
        files_(expand_inputs(config_.path, {".jsonl", ".json", ".ndjson"})),
        names_(config_.path) {}

  void produce(context& ctx, emitter& out) override {
    byte_progress progress(files_);
    for (const auto& file : files_) {
      line_reader reader(file);
      const std::string name = names_(file);
      std::string_view line;
      while (reader.next(line)) {
        progress.update(ctx, reader.bytes_read());
        if (is_blank(line)) continue;
        read_line(line, origin{name, reader.line_number()}, ctx, out);
      }
      progress.next_file(ctx, reader.bytes_read());
    }
  }

 private:
  void read_line(std::string_view line, origin where, context& ctx, emitter& out) {
    record made;
    if (!scan_line(line, made)) {
      if (!parse_line(line, where, made, ctx)) return;
    }
    add_standard_meta(made.meta, "read.jsonl", config_.label, where.file, where.line);
    made.from = std::move(where);
    out.emit(std::move(made));
  }

  // The fast path (see json_scan.h): {"key": value, ...} with the text decoded here and the other
  // values parsed one by one. False when the line is anything else, invalid or not, and parse_line
  // must look at it.
  bool scan_line(std::string_view line, record& made) {
    std::size_t pos = 0;
    skip_json_space(line, pos);
    if (pos >= line.size() || line[pos] != '{') return false;
    ++pos;
    bool have_text = false;
    json::object_t others;
    for (;;) {
      skip_json_space(line, pos);
      if (pos >= line.size() || line[pos] != '"') return false;
      if (!decode_json_string(line, pos, key_)) return false;
      skip_json_space(line, pos);
      if (pos >= line.size() || line[pos] != ':') return false;
      ++pos;
      skip_json_space(line, pos);
      if (pos >= line.size()) return false;
      if (key_ == config_.text_key) {
        if (line[pos] != '"' || !decode_json_string(line, pos, made.text)) return false;
        have_text = true;
      } else {
        const std::size_t start = pos;
        if (!skip_json_value(line, pos)) return false;
        json value = json::parse(line.data() + start, line.data() + pos, nullptr, false);
        if (value.is_discarded()) return false;
        if (key_ == "meta") {
          if (!value.is_object()) return false;
          made.meta = std::move(value);
        } else {
          others[key_] = std::move(value);
        }
      }
      skip_json_space(line, pos);
      if (pos >= line.size()) return false;
      if (line[pos] == '}') break;
      if (line[pos] != ',') return false;
      ++pos;
    }
    ++pos;
    skip_json_space(line, pos);
    if (pos != line.size() || !have_text) return false;
    auto& meta = made.meta.get_ref<json::object_t&>();
    for (auto& [key, value] : others) meta.emplace(key, std::move(value));
    return true;
  }

  // The general path: nlohmann::json parses the whole line, and says what is wrong with it.
  bool parse_line(std::string_view line, origin& where, record& made, context& ctx) {
    made = record{};
    json doc;
    try {
      doc = json::parse(line.data(), line.data() + line.size());
    } catch (const json::parse_error& failure) {
      // byte: the 1-based position of the character that broke the parse (past the end for
      // "unexpected end of input").
      where.column = failure.byte;
      ctx.bad_input(where, parse_message(failure));
      return false;
    }
    if (!doc.is_object()) {
      where.column = static_cast<std::uint64_t>(line.find_first_not_of(" \t") + 1);
      ctx.bad_input(where, std::string("expected a JSON object, got ") + doc.type_name());
      return false;
    }
    auto& members = doc.get_ref<json::object_t&>();
    const auto text = members.find(config_.text_key);
    if (text == members.end()) {
      ctx.bad_input(where, "no \"" + config_.text_key + "\" key");
      return false;
    }
    if (!text->second.is_string()) {
      ctx.bad_input(where, "\"" + config_.text_key + "\" is " + text->second.type_name() +
                               ", expected a string");
      return false;
    }
    made.text = std::move(text->second.get_ref<std::string&>());
    members.erase(text);
    if (const auto meta = members.find("meta"); meta != members.end()) {
      if (meta->second.is_object()) {
        made.meta = std::move(meta->second);
      } else if (!meta->second.is_null()) {
        ctx.bad_input(
            where, std::string("\"meta\" is ") + meta->second.type_name() + ", expected an object");
        return false;
      }
      members.erase(meta);
    }
    // Flat records ({"text": ..., "author": ...}) keep their other keys as meta; meta's own win.
    auto& meta = made.meta.get_ref<json::object_t&>();
    for (auto& [key, value] : members) meta.emplace(key, std::move(value));
    return true;
  }

  settings config_;
  std::vector<std::string> files_;
  input_names names_;
  std::string key_;  // reused: one allocation for all the keys of a run
};

result<std::unique_ptr<step>> create(const step_config& config) {
  settings s;
  s.path = config.opts.get_path("path");
  s.text_key = config.opts.get_string("text_key");
  s.label = optional_string(config.opts, "label");
  return make_step<read_jsonl>(std::move(s));
}

const plugin_descriptor& describe() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "read.jsonl";
    d.version = "1.0.0";
    d.summary = "JSON Lines files as records, one JSON object per line";
    d.kind = step_kind::source;
    d.consumes = "JSON Lines files (a file, a folder of .jsonl/.json/.ndjson files, a glob, or -)";
    d.produces =
        "text (as in the file: not NFC-normalized; sanitize does that); meta from the line's meta "
        "object and its other keys, plus source, label, id";
    d.options = {
        option_builder(
            "path", option_type::path,
            "The JSON Lines to read: a file, a folder (its .jsonl, .json and .ndjson files, "
            "recursively, sorted), a glob pattern, or - for standard input.")
            .required(),
        option_builder(
            "text_key", option_type::string,
            "The key holding each record's text; every other key except meta goes into meta.")
            .fallback("text"),
        option_builder(
            "label", option_type::string,
            "A name for this corpus, put in each record's meta.label (replacing any there)."),
    };
    d.create = create;
    return d;
  }();
  return descriptor;
}

}  // namespace
}  // namespace textkit::io_plugins

TEXTKIT_PLUGIN(read_jsonl, textkit::io_plugins::describe)
