// sanitize - the option spec and its translation into settings.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sanitizer.h"
#include "textkit/error.h"
#include "textkit/options.h"

namespace textkit::sanitize {

struct step_settings {
  settings rules;
  std::string rejects_path;
  std::string stats_path;
  std::string signatures_path;  ///< pass 1 of dedup across shards: write the kept signatures
  std::string signatures_from;  ///< pass 2: the shards' signature files (a glob)
};

std::vector<option_spec> sanitize_options();

/// The settings for validated options; an error names every option that cannot work (a
/// drop_patterns entry that is not a valid ICU regex, with ICU's reason and offset; an unknown
/// placeholder key; an action that does not apply to that kind).
result<std::unique_ptr<step_settings>> make_settings(const options& opts);

}  // namespace textkit::sanitize
