// textkit - the record that flows through a pipeline.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "textkit/export.h"

namespace textkit {

using json = nlohmann::json;

/// Where a record or an error comes from: a file (or "-" for stdin) and a position in it.
/// line and column are 1-based; 0 means unknown.
struct origin {
  std::string file;
  std::uint64_t line = 0;
  std::uint64_t column = 0;

  /// "file:line:column", leaving out the parts that are unknown.
  [[nodiscard]] TEXTKIT_API std::string to_string() const;
  [[nodiscard]] bool empty() const { return file.empty() && line == 0; }
};

/// {"text": "...", "meta": {...}}. meta is always a JSON object (possibly empty).
/// `from` is not serialised: it lets the host name the place of a record in error messages.
struct record {
  std::string text;
  json meta = json::object();
  origin from;
};

}  // namespace textkit
