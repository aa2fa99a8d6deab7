// A plugin built for another plugin API version (99): the host must refuse it by name and version.
#include "textkit/plugin.h"

namespace {

const textkit::plugin_descriptor& describe() {
  static const textkit::plugin_descriptor descriptor{
      .api_version = 99, .name = "test.old", .version = "0.1"};
  return descriptor;
}

const textkit::plugin_descriptor* entry() { return &describe(); }

}  // namespace

BOOST_DLL_ALIAS_SECTIONED(entry, textkit_plugin_v99_test_old, textkit)
