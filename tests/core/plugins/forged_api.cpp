// Exported under this API version's symbol, but the descriptor says the next version: refused on
// load.
#include "textkit/plugin.h"

namespace {

const textkit::plugin_descriptor& describe() {
  static const textkit::plugin_descriptor descriptor{
      .api_version = TEXTKIT_API_VERSION + 1, .name = "test.forged", .version = "0.1"};
  return descriptor;
}

}  // namespace

TEXTKIT_PLUGIN(test_forged, describe)
