// textkit - errors that cross the plugin boundary.
#include "textkit/error.h"

namespace textkit {

std::string origin::to_string() const {
  std::string out = file;
  if (line == 0) return out;
  out += ':' + std::to_string(line);
  if (column != 0) out += ':' + std::to_string(column);
  return out;
}

namespace {
std::string with_place(const origin& where, const std::string& message) {
  if (where.empty()) return message;
  return where.to_string() + ": " + message;
}
}  // namespace

error::error(const std::string& message) : std::runtime_error(message), message_(message) {}

error::error(origin where, const std::string& message)
    : std::runtime_error(with_place(where, message)), where_(std::move(where)), message_(message) {}

// Out-of-line key functions: the vtables and typeinfo live in libtextkit_core.so only.
error::~error() = default;
cancelled::~cancelled() = default;

const char* cancelled::what() const noexcept { return "stopped by the user"; }

}  // namespace textkit
