// Plugins that exist only for the core tests: a counting source, a thread-safe transform with
// random delays (to catch reordering), and a sink that writes atomically.
#include <chrono>
#include <fstream>
#include <random>
#include <thread>

#include "textkit/io.h"
#include "textkit/plugin.h"

namespace {

using textkit::option_spec;
using textkit::option_type;

class count_source final : public textkit::source {
 public:
  // With say_meta, each text also says whether a later step reads meta
  // (step_config::meta_read_later).
  count_source(const textkit::options& opts, bool meta_read_later)
      : count_(opts.get_int("count")), bad_every_(opts.get_int("bad_every")) {
    if (opts.get_bool("say_meta")) suffix_ = meta_read_later ? ", meta read" : ", meta unread";
  }
  void produce(textkit::context& ctx, textkit::emitter& out) override {
    for (std::int64_t i = 1; i <= count_; ++i) {
      const textkit::origin where{"numbers.txt", static_cast<std::uint64_t>(i), 1};
      if (bad_every_ > 0 && i % bad_every_ == 0) {
        ctx.bad_input(where, "number " + std::to_string(i) + " is bad");
        continue;
      }
      out.emit({"record " + std::to_string(i) + suffix_, {{"n", i}}, where});
      ctx.progress(static_cast<std::uint64_t>(i), static_cast<std::uint64_t>(count_), "records");
    }
  }

 private:
  std::int64_t count_;
  std::int64_t bad_every_;
  std::string suffix_;
};

const textkit::plugin_descriptor& describe_count() {
  static const textkit::plugin_descriptor descriptor{
      .name = "test.count",
      .version = "1.0",
      .summary = "Emits records \"record 1\" ... \"record N\"",
      .kind = textkit::step_kind::source,
      .options = {option_spec{.name = "count",
                              .type = option_type::integer,
                              .default_value = 10,
                              .doc = "How many records",
                              .min = 0},
                  option_spec{.name = "bad_every",
                              .type = option_type::integer,
                              .default_value = 0,
                              .doc = "Every Nth record is bad input (0: none)",
                              .min = 0},
                  option_spec{.name = "mode",
                              .type = option_type::string,
                              .default_value = "fast",
                              .doc = "Unused; for lint tests",
                              .allowed = {"fast", "slow"}},
                  option_spec{.name = "say_meta",
                              .type = option_type::boolean,
                              .default_value = false,
                              .doc = "Say in each text whether a later step reads meta"}},
      .create = [](const textkit::step_config& config)
          -> textkit::result<std::unique_ptr<textkit::step>> {
        return std::unique_ptr<textkit::step>(
            std::make_unique<count_source>(config.opts, config.meta_read_later));
      }};
  return descriptor;
}

class shout final : public textkit::transform {
 public:
  explicit shout(std::string fail_on) : fail_on_(std::move(fail_on)) {}
  void process(textkit::record&& in, textkit::emitter& out, textkit::context& /*ctx*/) override {
    thread_local std::mt19937 random(std::random_device{}());
    std::this_thread::sleep_for(std::chrono::microseconds(random() % 200));
    if (!fail_on_.empty() && in.text == fail_on_)
      throw textkit::error("cannot shout \"" + in.text + "\"");
    for (auto& c : in.text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    in.meta["thread"] = std::hash<std::thread::id>{}(std::this_thread::get_id()) % 1000;
    out.emit(std::move(in));
  }

 private:
  std::string fail_on_;
};

const textkit::plugin_descriptor& describe_shout() {
  static const textkit::plugin_descriptor descriptor{
      .name = "test.shout",
      .version = "1.0",
      .summary = "Upper-cases text, slowly, on all cores",
      .kind = textkit::step_kind::transform,
      .thread_safe = true,
      .options = {option_spec{.name = "fail_on",
                              .type = option_type::string,
                              .default_value = "",
                              .doc = "A text that makes the record fail"}},
      .create = [](const textkit::step_config& config)
          -> textkit::result<std::unique_ptr<textkit::step>> {
        return std::unique_ptr<textkit::step>(
            std::make_unique<shout>(config.opts.get_string("fail_on")));
      }};
  return descriptor;
}

class lines_sink final : public textkit::sink {
 public:
  lines_sink(const std::string& path, std::string finished, bool with_meta)
      : out_(path), finished_(std::move(finished)), with_meta_(with_meta) {}
  void write(const textkit::record& in, textkit::context& /*ctx*/) override {
    out_.write(in.text + (with_meta_ ? " " + in.meta.dump() : "") + "\n");
    ++lines_;
  }
  // With `finished`, says at the end of its input how many lines it wrote, in a file of its own
  // that is there at once (not at commit), for the steps after it.
  void finish(textkit::context& /*ctx*/) override {
    if (finished_.empty()) return;
    std::ofstream(finished_) << lines_ << " lines";
  }
  void commit(textkit::context& /*ctx*/) override { out_.commit(); }

 private:
  textkit::atomic_output out_;
  std::string finished_;
  bool with_meta_;
  int lines_ = 0;
};

const textkit::plugin_descriptor& describe_lines() {
  static const textkit::plugin_descriptor descriptor{
      .name = "test.lines",
      .version = "1.0",
      .summary = "Writes one text per line",
      .kind = textkit::step_kind::sink,
      .reads_meta = [](const textkit::options& opts) { return opts.get_bool("with_meta"); },
      .options = {option_spec{.name = "path",
                              .type = option_type::output_path,
                              .doc = "Output file",
                              .required = true},
                  option_spec{.name = "finished",
                              .type = option_type::output_path,
                              .doc = "A file saying how many lines, written at the end of input"},
                  option_spec{.name = "with_meta",
                              .type = option_type::boolean,
                              .default_value = false,
                              .doc = "Write each record's meta after its text"}},
      .create = [](const textkit::step_config& config)
          -> textkit::result<std::unique_ptr<textkit::step>> {
        return textkit::make_step<lines_sink>(
            config.opts.get_path("path"),
            config.opts.has("finished") ? config.opts.get_path("finished") : std::string(),
            config.opts.get_bool("with_meta"));
      }};
  return descriptor;
}

// A source whose step object is a transform: it sees the records flowing in, passes them on, and
// then adds one of its own that says how many it saw.
// With `read`, it adds what that file holds at the end of its input; with `earlier`, it names the
// steps before it (step_config::earlier) and their paths.
class echo_source final : public textkit::transform {
 public:
  echo_source(std::string read, std::string earlier)
      : read_(std::move(read)), earlier_(std::move(earlier)) {}
  void process(textkit::record&& in, textkit::emitter& out, textkit::context& /*ctx*/) override {
    ++seen_;
    out.emit(std::move(in));
  }
  void finish(textkit::emitter& out, textkit::context& /*ctx*/) override {
    std::string text = "echo of " + std::to_string(seen_) + " records";
    if (!read_.empty()) {
      std::ifstream in(read_);
      std::string held;
      std::getline(in, held);
      text += in ? ", read " + held : ", nothing to read";
    }
    if (!earlier_.empty()) text += ", after " + earlier_;
    out.emit({text, {}, {}});
  }

 private:
  std::string read_;
  std::string earlier_;
  int seen_ = 0;
};

const textkit::plugin_descriptor& describe_echo() {
  static const textkit::plugin_descriptor descriptor{
      .name = "test.echo",
      .version = "1.0",
      .summary = "Passes records on, then adds one saying how many it saw",
      .kind = textkit::step_kind::source,
      .options = {option_spec{.name = "read",
                              .type = option_type::path,
                              .doc = "A file whose first line to add at the end"},
                  option_spec{.name = "earlier",
                              .type = option_type::boolean,
                              .default_value = false,
                              .doc = "Name the steps before this one"}},
      .create = [](const textkit::step_config& config)
          -> textkit::result<std::unique_ptr<textkit::step>> {
        std::string earlier;
        for (const auto& e : config.opts.get_bool("earlier")
                                 ? config.earlier
                                 : std::vector<textkit::earlier_step>{}) {
          earlier += (earlier.empty() ? "" : " ") + e.use;
          if (e.opts.has("path")) earlier += "(" + e.opts.get_path("path") + ")";
        }
        return textkit::make_step<echo_source>(
            config.opts.has("read") ? config.opts.get_path("read") : std::string(), earlier);
      }};
  return descriptor;
}

}  // namespace

TEXTKIT_PLUGIN(test_count, describe_count)
TEXTKIT_PLUGIN(test_echo, describe_echo)
TEXTKIT_PLUGIN(test_shout, describe_shout)
TEXTKIT_PLUGIN(test_lines, describe_lines)
