// One libFuzzer harness for every step that reads input users did not write. Each fuzz target is
// this file compiled with
//   FUZZ_PIPELINE    a pipeline in which @INPUT@ stands for a file holding the fuzz input,
//   FUZZ_INPUT_NAME  that file's name (importers choose files by name),
// or with FUZZ_LINT, where the fuzz input is itself the pipeline file, loaded and checked against
// every plugin's options without running; or with FUZZ_TRANSFORM, where FUZZ_PIPELINE holds one
// transform step, made once (a dictionary or a parser loaded once, not per input), and each input
// that is valid UTF-8 (what the host's sources hand on) is one record's text through it. Errors are
// the expected outcome for most inputs; a crash, a sanitizer report, a hang or a leak is a finding.
// FUZZ_VERBOSE=1 in the environment prints each run's outcome (to check that a seed really reaches
// the step).
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "textkit/error.h"
#include "textkit/host/pipeline.h"
#include "textkit/host/registry.h"
#include "textkit/host/run.h"
#include "textkit/io.h"
#include "textkit/plugin.h"

namespace fs = std::filesystem;
namespace host = textkit::host;

namespace {

struct harness {
  fs::path dir;
  host::registry plugins;
  bool verbose = std::getenv("FUZZ_VERBOSE") != nullptr;

  harness() : dir(make_dir()), plugins(host::plugin_search_path({})) {}

  static fs::path make_dir() {
    std::string pattern = (fs::temp_directory_path() / "textkit-fuzz-XXXXXX").string();
    if (!mkdtemp(pattern.data())) std::abort();
    return pattern;
  }
  ~harness() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
};

harness& state() {
  static harness h;
  return h;
}

#ifdef FUZZ_TRANSFORM
// What the transform sees of the host: errors are thrown (on_error "fail"), the rest is dropped.
class fuzz_context final : public textkit::context {
 public:
  [[nodiscard]] const std::string& step_name() const override { return name_; }
  void bad_input(const textkit::origin& where, const std::string& message) override {
    throw textkit::error(where, message);
  }
  void warn(const std::string&) override {}
  void progress(std::uint64_t, std::uint64_t, std::string_view) override {}
  [[nodiscard]] bool stop_requested() const override { return false; }
  [[nodiscard]] unsigned threads() const override { return 1; }

 private:
  std::string name_ = "fuzzed";
};

class counting_emitter final : public textkit::emitter {
 public:
  void emit(textkit::record&& out) override {
    // Whatever a step emits must be a record the next step can take.
    if (textkit::find_invalid_utf8(out.text) != std::string_view::npos || !out.meta.is_object()) {
      std::abort();
    }
  }
};

// The transform, made once for the whole fuzzing run.
textkit::transform& the_transform() {
  static const auto made = [] {
    // Made from the step's JSON directly: a pipeline of one transform would not pass lint.
    auto& h = state();
    const textkit::json step_json = textkit::json::parse(FUZZ_PIPELINE)["steps"].at(0);
    auto plugin = h.plugins.load(step_json.at("use").get<std::string>());
    const textkit::json with = step_json.value("with", textkit::json::object());
    if (!plugin || !textkit::check_options(plugin.value()->options, with).empty()) {
      std::cerr << "fuzz target's step does not load or its options are wrong\n";
      std::abort();
    }
    const textkit::step_config config{
        "fuzzed", 0, textkit::options(plugin.value()->options, with, h.dir), h.dir, {}};
    auto step = h.plugins.create(*plugin.value(), config);
    if (!step) {
      std::cerr << "fuzz target's step cannot be made: " << step.failure().what() << "\n";
      std::abort();
    }
    return std::make_shared<host::loaded_step>(std::move(step.value()));
  }();
  auto* transform = dynamic_cast<textkit::transform*>(&made->get());
  if (transform == nullptr) std::abort();
  return *transform;
}
#endif

[[maybe_unused]] void replace_all(std::string& text, const std::string& from,
                                  const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& h = state();
  const std::string input(reinterpret_cast<const char*>(data), size);
#ifdef FUZZ_LINT
  auto loaded = host::load_pipeline_text(input, h.dir / "pipeline.json", h.plugins);
  if (h.verbose) std::cerr << loaded.problems.size() << " problems\n";
  for (const auto& problem : loaded.problems) {
    if (problem.to_string().empty()) std::abort();  // every problem must say something
  }
#elif defined(FUZZ_TRANSFORM)
  if (textkit::find_invalid_utf8(input) != std::string_view::npos) return 0;
  textkit::transform& transform = the_transform();
  fuzz_context ctx;
  counting_emitter out;
  textkit::record record;
  record.text = input;
  try {
    transform.process(std::move(record), out, ctx);
  } catch (const textkit::error& e) {
    if (std::string(e.what()).empty()) std::abort();  // a failure must say why
  }
  if (h.verbose) std::cerr << "processed " << input.size() << " bytes\n";
#else
  const fs::path input_file = h.dir / FUZZ_INPUT_NAME;
  {
    std::ofstream out(input_file, std::ios::binary | std::ios::trunc);
    out.write(input.data(), static_cast<std::streamsize>(input.size()));
  }
  std::string text = FUZZ_PIPELINE;
  replace_all(text, "@INPUT@", input_file.string());
  auto loaded = host::load_pipeline_text(text, h.dir / "pipeline.json", h.plugins);
  if (!loaded.problems.empty()) {
    // The pipeline is the harness's own: a problem here is a broken fuzz target, not a finding.
    std::cerr << "fuzz target's pipeline does not load: " << loaded.problems.front().to_string()
              << "\n";
    std::abort();
  }
  std::ostringstream messages;
  host::run_options options;
  options.progress = host::progress_mode::none;
  options.messages = &messages;
  options.threads = 1;
  const auto report = host::run_pipeline(loaded.loaded, h.plugins, options);
  if (h.verbose) {
    std::cerr << (report.ok ? "ok" : "failed: " + report.error)
              << "; records out of the last step: "
              << (report.steps.empty() ? 0 : report.steps.back().out) << "\n";
  }
  if (!report.ok && report.error.empty()) std::abort();  // a failure must say why
#endif
  return 0;
}
