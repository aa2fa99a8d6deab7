// textkit io plugins - helpers shared by the readers and writers of this family (private).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "textkit/plugin.h"

namespace textkit::io_plugins {

/// Names the files of one `path` option in messages and meta: relative to the folder the user
/// named (or, for a pattern, to its folder part; for a single file, its file name), so messages
/// read "2021/may.txt:12" and meta carries no absolute paths.
class input_names {
 public:
  explicit input_names(const std::string& path);
  [[nodiscard]] std::string operator()(const std::string& file) const;

 private:
  std::string root_;  // empty: use the file name
};

/// Reports bytes read across all the files of a source, about once per MiB.
class byte_progress {
 public:
  explicit byte_progress(const std::vector<std::string>& files);
  /// `in_file`: bytes consumed of the current file.
  void update(context& ctx, std::uint64_t in_file);
  /// Moves on to the next file after `in_file` bytes of this one.
  void next_file(context& ctx, std::uint64_t in_file);

 private:
  std::uint64_t total_ = 0;
  std::uint64_t before_ = 0;  // bytes of the files already done
  std::uint64_t reported_ = 0;
};

/// The meta every reader of this family sets: source, label (when given), id "<file>:<line>".
/// Keys already present (read back from an earlier textkit run) are kept, except label: a label
/// the user sets on the step wins.
void add_standard_meta(json& meta, std::string_view source, const std::optional<std::string>& label,
                       const std::string& file, std::uint64_t line);

/// The step's optional string option, or nothing when unset.
std::optional<std::string> optional_string(const options& opts, std::string_view name);

/// Appends `text` as a JSON string literal, escaped as nlohmann::json does (", \, control
/// characters), with UTF-8 left as is. False, appending nothing, when `text` is not valid UTF-8.
bool append_json_string(std::string& out, std::string_view text);

/// Builds an option_spec naming only what it sets (designated initializers that leave fields out
/// warn under -Wextra): option("split", option_type::string, "...").fallback("line").one_of({...}).
class option_builder {
 public:
  option_builder(std::string name, option_type type, std::string doc) {
    spec_.name = std::move(name);
    spec_.type = type;
    spec_.doc = std::move(doc);
  }
  option_builder& fallback(json value) {
    spec_.default_value = std::move(value);
    return *this;
  }
  option_builder& one_of(std::vector<std::string> values) {
    spec_.allowed = std::move(values);
    return *this;
  }
  option_builder& required() {
    spec_.required = true;
    return *this;
  }
  operator option_spec() const { return spec_; }  // NOLINT(google-explicit-constructor)

 private:
  option_spec spec_;
};

/// The 1-based line and byte column of `offset` in `text`, which starts at line `first_line`.
std::pair<std::uint64_t, std::uint64_t> line_and_column(std::string_view text, std::size_t offset,
                                                        std::uint64_t first_line);

}  // namespace textkit::io_plugins
