// textkit - out-of-line parts of the plugin API.
#include "textkit/plugin.h"

namespace textkit {

std::string_view to_string(step_kind kind) {
  switch (kind) {
    case step_kind::source:
      return "source";
    case step_kind::transform:
      return "transform";
    case step_kind::sink:
      return "sink";
  }
  return "unknown";
}

// Key functions: vtables and typeinfo of the interfaces live in the core library.
emitter::~emitter() = default;
context::~context() = default;
step::~step() = default;

void transform::finish(emitter& /*out*/, context& /*ctx*/) {}
void sink::finish(context& /*ctx*/) {}

}  // namespace textkit
