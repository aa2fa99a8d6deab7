// write.jsonl - records as JSON Lines: {"text": ..., "meta": {...}}, one per line.
#include <string>
#include <string_view>

#include "io_common.h"
#include "textkit/io.h"
#include "textkit/plugin.h"

namespace textkit::io_plugins {
namespace {

class write_jsonl final : public sink {
 public:
  explicit write_jsonl(const std::string& path)
      : out_(path),
        // One serializer for the whole run, appending into line_: dump() would allocate a new
        // string (and the serializer its indent buffer) for every record. Invalid UTF-8 in meta
        // becomes U+FFFD instead of stopping the run.
        meta_writer_(nlohmann::detail::output_adapter<char, std::string>(line_), ' ',
                     json::error_handler_t::replace) {}

  void write(const record& in, context& /*ctx*/) override {
    line_.clear();
    // "text" first, unlike json's sorted keys: a person reading the file sees the text at once.
    line_ += "{\"text\":";
    if (!append_json_string(line_, in.text)) {
      line_ += json(in.text).dump(-1, ' ', false, json::error_handler_t::replace);
    }
    line_ += ",\"meta\":";
    if (in.meta.is_object()) {
      meta_writer_.dump(in.meta, false, false, 0);
    } else {
      line_ += "{}";
    }
    line_ += "}\n";
    out_.write(line_);
  }

  void commit(context& /*ctx*/) override { out_.commit(); }

 private:
  atomic_output out_;
  std::string line_;  // declared before meta_writer_, which holds a reference to it
  nlohmann::detail::serializer<json> meta_writer_;
};

result<std::unique_ptr<step>> create(const step_config& config) {
  return make_step<write_jsonl>(config.opts.get_path("path"));
}

const plugin_descriptor& describe() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "write.jsonl";
    d.version = "1.0.0";
    d.summary = "Records as JSON Lines: {\"text\": ..., \"meta\": {...}} per line";
    d.kind = step_kind::sink;
    d.consumes = "text, meta";
    d.produces = "a JSON Lines file, written whole or not at all (or - for standard output)";
    d.options = {
        option_builder("path", option_type::output_path,
                       "The file to write (replaced only when the run succeeds), or - for standard "
                       "output.")
            .required(),
    };
    d.create = create;
    return d;
  }();
  return descriptor;
}

}  // namespace
}  // namespace textkit::io_plugins

TEXTKIT_PLUGIN(write_jsonl, textkit::io_plugins::describe)
