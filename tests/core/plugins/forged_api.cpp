// Exported under this API version's symbol, but the descriptor says version 2: refused on load.
#include "textkit/plugin.h"

namespace {

const textkit::plugin_descriptor& describe() {
  static const textkit::plugin_descriptor descriptor{
      .api_version = 2, .name = "test.forged", .version = "0.1"};
  return descriptor;
}

}  // namespace

TEXTKIT_PLUGIN(test_forged, describe)
