// textkit - the option spec: one declaration per option drives validation, defaults,
// `textkit inspect` and the generated docs/plugins/<name>.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "textkit/export.h"
#include "textkit/record.h"

namespace textkit {

enum class option_type {
  boolean,
  integer,
  number,
  string,
  path,         ///< a string; relative paths resolve against the pipeline file's folder; "-" stays
  output_path,  ///< a path the step writes: as path, and under --shard I/N it becomes
                ///< "NAME.shard-I-of-N.EXT", so that the shards' runs never write the same file
  string_list,  ///< an array of strings (a single string is accepted as a one-element list)
  object,       ///< a JSON object, checked by the plugin itself
  any,          ///< any JSON value, checked by the plugin itself
};

TEXTKIT_API std::string_view to_string(option_type type);

/// A problem found while checking options: the JSON pointer below the step's "with" object.
struct option_problem {
  std::string pointer;  ///< e.g. "/min_chars", relative to the step's "with"
  std::string message;
};

/// A plugin's own check of an option's value, for what the type, the allowed values and the
/// bounds cannot say (a regular expression that must compile, the keys of an object). It sees the
/// value after the type check passed (a string_list always as an array) and returns every problem,
/// each pointer relative to the option: "" for the value itself, "/2" for a list's third element.
/// `textkit lint` and `textkit run` report them with the other option problems, with positions.
using option_check = std::function<std::vector<option_problem>(const json& value)>;

/// One option of a plugin. An option with a null default and `required` unset is optional and
/// absent unless the user sets it.
struct option_spec {
  std::string name;
  option_type type = option_type::string;
  json default_value;  ///< null: no default
  std::string doc;
  std::vector<std::string> allowed;  ///< for string / string_list: the only accepted values
  std::optional<double> min;         ///< for integer / number: inclusive bounds
  std::optional<double> max;
  bool required = false;
  option_check check;  ///< empty: the built-in checks only
};

/// Builders for a descriptor's option list, so each option reads as one expression:
///   allow_values(make_option("format", option_type::string, "ruby", "How ..."), {"ruby", "anki"})
inline option_spec make_option(std::string name, option_type type, json fallback, std::string doc,
                               std::vector<std::string> allowed = {}) {
  option_spec spec;
  spec.name = std::move(name);
  spec.type = type;
  spec.default_value = std::move(fallback);
  spec.doc = std::move(doc);
  spec.allowed = std::move(allowed);
  return spec;
}
inline option_spec allow_values(option_spec spec, std::vector<std::string> allowed) {
  spec.allowed = std::move(allowed);
  return spec;
}
inline option_spec bounded(option_spec spec, std::optional<double> min,
                           std::optional<double> max = std::nullopt) {
  spec.min = min;
  spec.max = max;
  return spec;
}
inline option_spec as_required(option_spec spec) {
  spec.required = true;
  return spec;
}
inline option_spec checked_by(option_spec spec, option_check check) {
  spec.check = std::move(check);
  return spec;
}

/// Checks `given` (a JSON object) against `specs`; reports every problem, never stops at the first.
TEXTKIT_API std::vector<option_problem> check_options(const std::vector<option_spec>& specs,
                                                      const json& given);

/// Validated options with defaults applied; what a plugin factory receives.
class TEXTKIT_API options {
 public:
  options() = default;
  /// Applies defaults and resolves path options against `base_dir`. Throws textkit::error on a
  /// problem (the host checks first, so plugins never see invalid options).
  options(const std::vector<option_spec>& specs, const json& given,
          const std::filesystem::path& base_dir);

  [[nodiscard]] bool has(std::string_view name) const;
  [[nodiscard]] bool get_bool(std::string_view name) const;
  [[nodiscard]] std::int64_t get_int(std::string_view name) const;
  [[nodiscard]] double get_number(std::string_view name) const;
  [[nodiscard]] std::string get_string(std::string_view name) const;
  [[nodiscard]] std::vector<std::string> get_strings(std::string_view name) const;
  /// A path option, resolved against the pipeline's folder; "-" (stdin/stdout) is kept as is.
  [[nodiscard]] std::string get_path(std::string_view name) const;
  [[nodiscard]] const json& get(std::string_view name) const;
  [[nodiscard]] const json& all() const { return values_; }

 private:
  json values_ = json::object();
};

}  // namespace textkit
