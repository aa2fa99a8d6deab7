// textkit host - finding and loading plugins.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "textkit/error.h"
#include "textkit/export.h"
#include "textkit/plugin.h"

namespace textkit::host {

/// The folders searched for plugins, first hit wins: `plugin_dir` (--plugin-dir), then each entry
/// of $TEXTKIT_PLUGIN_PATH (colon-separated), then <exe>/../lib/textkit/plugins, which is the same
/// place in the build tree and in an installed tree.
TEXTKIT_API std::vector<std::filesystem::path> plugin_search_path(
    const std::vector<std::filesystem::path>& plugin_dirs);

/// A step found in a library's "textkit" section, known without loading the library.
struct plugin_entry {
  std::string name;
  std::filesystem::path file;
  int api_version = 0;
  std::string symbol;
};

/// A step object together with the library that made it. The library handle is declared first,
/// so it is released last: no plugin code is unmapped while an object from it lives.
class loaded_step {
 public:
  loaded_step(std::shared_ptr<const void> library, std::unique_ptr<step> object)
      : library_(std::move(library)), object_(std::move(object)) {}
  [[nodiscard]] step& get() const { return *object_; }

 private:
  std::shared_ptr<const void> library_;
  std::unique_ptr<step> object_;
};

/// Scans the search path once (reading ELF sections only, running no plugin code) and loads a
/// library only when one of its steps is asked for.
class TEXTKIT_API registry {
 public:
  explicit registry(std::vector<std::filesystem::path> search_path);
  ~registry();
  registry(const registry&) = delete;
  registry& operator=(const registry&) = delete;

  /// Names of the steps this textkit can use, sorted.
  [[nodiscard]] std::vector<std::string> names() const;
  /// The entry a name resolves to (the first found on the search path).
  [[nodiscard]] const plugin_entry* find(std::string_view name) const;
  /// Problems found while scanning: another API version, a name found twice (with both files),
  /// a file that is no textkit plugin. One line each, naming the file.
  [[nodiscard]] const std::vector<std::string>& scan_problems() const { return problems_; }
  /// The scan problems about one plugin name (found twice, another API version).
  [[nodiscard]] std::vector<std::string> scan_problems_for(std::string_view name) const;

  /// Loads the library holding `name` (once) and returns its checked descriptor, or why not.
  result<const plugin_descriptor*> load(std::string_view name);

  /// Creates the step object for a loaded descriptor, pinned to its library.
  result<loaded_step> create(const plugin_descriptor& plugin, const step_config& config);

 private:
  struct library;
  void scan_folder(const std::filesystem::path& folder);

  std::vector<std::filesystem::path> search_path_;
  std::map<std::string, plugin_entry, std::less<>> entries_;
  std::map<std::string, plugin_entry, std::less<>> mismatched_;  // built for another API version
  std::vector<std::string> problems_;
  std::multimap<std::string, std::string, std::less<>> problems_by_name_;
  std::map<std::filesystem::path, std::shared_ptr<library>> libraries_;
  std::map<std::string, const plugin_descriptor*, std::less<>> loaded_;
  std::map<const plugin_descriptor*, std::shared_ptr<library>> owner_;
};

/// The closest of `candidates` to `word` by edit distance, when close enough to be a likely typo.
TEXTKIT_API std::optional<std::string> did_you_mean(std::string_view word,
                                                    const std::vector<std::string>& candidates);

}  // namespace textkit::host
