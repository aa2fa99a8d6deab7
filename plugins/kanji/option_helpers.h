// kanji - small helpers to declare option specs readably (shared by the family's plugins).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "textkit/options.h"

namespace textkit::kanji {

inline option_spec option(std::string name, option_type type, json fallback, std::string doc) {
  option_spec spec;
  spec.name = std::move(name);
  spec.type = type;
  spec.default_value = std::move(fallback);
  spec.doc = std::move(doc);
  return spec;
}

inline option_spec with_allowed(option_spec spec, std::vector<std::string> allowed) {
  spec.allowed = std::move(allowed);
  return spec;
}

inline option_spec with_bounds(option_spec spec, double min, double max) {
  spec.min = min;
  spec.max = max;
  return spec;
}

inline option_spec required(option_spec spec) {
  spec.required = true;
  return spec;
}

}  // namespace textkit::kanji
