// textkit host - describing a plugin for `textkit inspect` and docs/plugins/<name>.md.
#pragma once

#include <string>

#include "textkit/export.h"
#include "textkit/plugin.h"

namespace textkit::host {

/// What `textkit inspect NAME` prints: kind, version, summary, consumes/produces and every option.
TEXTKIT_API std::string describe_text(const plugin_descriptor& plugin);
/// The same as JSON (`textkit inspect NAME --json`).
TEXTKIT_API json describe_json(const plugin_descriptor& plugin);
/// The generated page docs/plugins/<name>.md.
TEXTKIT_API std::string describe_markdown(const plugin_descriptor& plugin);

}  // namespace textkit::host
