// textkit host - reading and checking a pipeline file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "textkit/export.h"
#include "textkit/host/registry.h"
#include "textkit/plugin.h"
#include "textkit/record.h"

namespace textkit::host {

/// One problem in a pipeline: "pipeline.json:12:5: /steps/1/with/min_chars: expected integer".
struct lint_message {
  std::string file;
  std::uint64_t line = 0;  // 0: position unknown
  std::uint64_t column = 0;
  std::string pointer;  // JSON pointer, empty for whole-file problems
  std::string message;

  [[nodiscard]] TEXTKIT_API std::string to_string() const;
};

enum class on_error_policy { fail, skip };

struct pipeline_step {
  std::string use;
  std::string name;  // the step's "name", or its "use"
  json with = json::object();
  on_error_policy on_error = on_error_policy::fail;
  const plugin_descriptor* plugin = nullptr;  // null when the plugin could not be loaded
};

struct pipeline {
  std::filesystem::path file;
  std::filesystem::path base_dir;
  std::vector<pipeline_step> steps;
};

struct pipeline_load {
  pipeline loaded;
  std::vector<lint_message> problems;  // empty: ready to run
};

/// Reads `file`, applies `overrides` ("STEP.OPTION=VALUE", STEP an index or a step name), loads the
/// plugins the pipeline uses (only those), and checks everything, collecting every problem.
TEXTKIT_API pipeline_load load_pipeline(const std::filesystem::path& file, registry& plugins,
                                        const std::vector<std::string>& overrides = {});

/// The same, for pipeline text already in memory (`file` names it in messages).
TEXTKIT_API pipeline_load load_pipeline_text(const std::string& text,
                                             const std::filesystem::path& file, registry& plugins,
                                             const std::vector<std::string>& overrides = {});

/// The 1-based line and column where the value at `pointer` starts in the JSON `text` (for an
/// object member, where its key starts), or {0, 0} when it cannot be found.
TEXTKIT_API std::pair<std::uint64_t, std::uint64_t> locate_json_pointer(std::string_view text,
                                                                        std::string_view pointer);

}  // namespace textkit::host
