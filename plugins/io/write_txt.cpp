// write.txt - the records' text into one text file, with an optional <|endoftext|> line between
// records for GPT-2 style training data.
#include <cstring>
#include <string>
#include <string_view>

#include "io_common.h"
#include "textkit/io.h"
#include "textkit/plugin.h"

namespace textkit::io_plugins {
namespace {

constexpr std::string_view end_of_text = "<|endoftext|>";

struct settings {
  std::string path;
  std::string separator;
  bool endoftext = false;
};

// Layout, for records A and B:
//   endoftext false:  A<separator>B<separator>
//   endoftext true:   A<separator><|endoftext|>\nB<separator>
// With the default separator "\n", every record ends with a line break, so the file is a proper
// text file and "<|endoftext|>" stands alone on its line, where GPT-2's tokenizer sees it as the
// single token 50256. It goes only between records: a trailing one would teach a model to start
// a new document after the last, which nothing follows.
class write_txt final : public sink {
 public:
  explicit write_txt(settings config) : config_(std::move(config)), out_(config_.path) {}

  void write(const record& in, context& ctx) override {
    if (config_.endoftext && count_ > 0) {
      if (!ends_with_newline_) out_.write("\n");
      out_.write(end_of_text);
      out_.write("\n");
    }
    if (config_.endoftext && in.text.find(end_of_text) != std::string::npos) {
      ctx.warn(
          "a record's text contains \"<|endoftext|>\": a model trained on this file will see "
          "a document boundary inside it");
    }
    out_.write(in.text);
    out_.write(config_.separator);
    ends_with_newline_ = !config_.separator.empty() ? config_.separator.back() == '\n'
                         : !in.text.empty()         ? in.text.back() == '\n'
                                                    : ends_with_newline_;
    ++count_;
  }

  void commit(context& /*ctx*/) override { out_.commit(); }

 private:
  settings config_;
  atomic_output out_;
  std::uint64_t count_ = 0;
  bool ends_with_newline_ = true;
};

result<std::unique_ptr<step>> create(const step_config& config) {
  settings s;
  s.path = config.opts.get_path("path");
  s.separator = config.opts.get_string("separator");
  s.endoftext = config.opts.get_bool("endoftext");
  return make_step<write_txt>(std::move(s));
}

const plugin_descriptor& describe() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "write.txt";
    d.version = "1.0.0";
    d.summary = "The records' text into a text file, optionally with <|endoftext|> between records";
    d.kind = step_kind::sink;
    d.consumes = "text";
    d.reads_meta = [](const options&) { return false; };
    d.produces = "a UTF-8 text file, written whole or not at all (or - for standard output)";
    d.options = {
        option_builder("path", option_type::output_path,
                       "The file to write (replaced only when the run succeeds), or - for standard "
                       "output.")
            .required(),
        option_builder(
            "separator", option_type::string,
            "Written after each record's text; \"\\n\" puts one record per line, \"\\n\\n\" "
            "leaves a blank line between records.")
            .fallback("\n"),
        option_builder(
            "endoftext", option_type::boolean,
            "Put a line <|endoftext|> (GPT-2's end-of-document token) between records, so a "
            "model trained on the file learns where documents end.")
            .fallback(false),
    };
    d.create = create;
    return d;
  }();
  return descriptor;
}

}  // namespace
}  // namespace textkit::io_plugins

TEXTKIT_PLUGIN(write_txt, textkit::io_plugins::describe)
