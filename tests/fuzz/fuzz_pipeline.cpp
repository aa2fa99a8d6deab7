// One libFuzzer harness for every step that reads input users did not write. Each fuzz target is
// this file compiled with
//   FUZZ_PIPELINE    a pipeline in which @INPUT@ stands for a file holding the fuzz input,
//   FUZZ_INPUT_NAME  that file's name (importers choose files by name),
// or with FUZZ_LINT, where the fuzz input is itself the pipeline file, loaded and checked against
// every plugin's options without running. Errors are the expected outcome for most inputs; a
// crash, a sanitizer report, a hang or a leak is a finding. FUZZ_VERBOSE=1 in the environment
// prints each run's outcome (to check that a seed really reaches the step).
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "textkit/host/pipeline.h"
#include "textkit/host/registry.h"
#include "textkit/host/run.h"

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

void replace_all(std::string& text, const std::string& from, const std::string& to) {
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
