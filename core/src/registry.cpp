// textkit host - finding and loading plugins.
#include "textkit/host/registry.h"

#include <dlfcn.h>

#include <algorithm>
#include <boost/dll/library_info.hpp>
#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>
#include <cstdlib>
#include <cstring>

namespace textkit::host {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kSymbolPrefix = "textkit_plugin_v";
constexpr std::string_view kSection = "textkit";

/// "textkit_plugin_v1_read_txt" -> {1, "read.txt"}; nullopt for any other symbol.
std::optional<std::pair<int, std::string>> parse_symbol(std::string_view symbol) {
  if (!symbol.starts_with(kSymbolPrefix)) return std::nullopt;
  symbol.remove_prefix(kSymbolPrefix.size());
  const auto underscore = symbol.find('_');
  if (underscore == 0 || underscore == std::string_view::npos) return std::nullopt;
  int version = 0;
  for (char c : symbol.substr(0, underscore)) {
    if (c < '0' || c > '9') return std::nullopt;
    version = version * 10 + (c - '0');
  }
  std::string name(symbol.substr(underscore + 1));
  std::replace(name.begin(), name.end(), '_', '.');
  return std::pair{version, name};
}

/// Lower-case words of letters and digits joined by single dots, starting with a letter.
bool is_valid_plugin_name(std::string_view name) {
  if (name.empty() || name.front() < 'a' || name.front() > 'z' || name.back() == '.') return false;
  char previous = '.';
  for (char c : name) {
    const bool word_char = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!word_char && (c != '.' || previous == '.')) return false;
    previous = c;
  }
  return true;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: a swap of two letters ("improt") counts as one edit.
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::string version_mismatch(const plugin_entry& entry) {
  return "plugin \"" + entry.name + "\" in " + entry.file.string() +
         " was built for textkit plugin API version " + std::to_string(entry.api_version) +
         ", but this textkit supports version " + std::to_string(TEXTKIT_API_VERSION) +
         ": rebuild it against this textkit";
}

}  // namespace

std::optional<std::string> did_you_mean(std::string_view word,
                                        const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::vector<fs::path> plugin_search_path(const std::vector<fs::path>& plugin_dirs) {
  std::vector<fs::path> path = plugin_dirs;
  if (const char* env = std::getenv("TEXTKIT_PLUGIN_PATH"); env != nullptr) {
    std::string_view rest(env);
    while (!rest.empty()) {
      const auto colon = rest.find(':');
      const auto part = rest.substr(0, colon);
      if (!part.empty()) path.emplace_back(part);
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  const fs::path exe_dir = boost::dll::program_location().parent_path();
  path.push_back((exe_dir / ".." / TEXTKIT_PLUGIN_SUBDIR).lexically_normal());
  return path;
}

struct registry::library {
  boost::dll::shared_library handle;
};

registry::registry(std::vector<fs::path> search_path) : search_path_(std::move(search_path)) {
  for (const auto& folder : search_path_) scan_folder(folder);
}

registry::~registry() = default;

void registry::scan_folder(const fs::path& folder) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return;
  std::vector<fs::path> files;
  for (const auto& item : fs::directory_iterator(folder, ec)) {
    const auto name = item.path().filename().string();
    if (name.starts_with("textkit_") && name.ends_with(".so") && item.is_regular_file(ec)) {
      files.push_back(item.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::vector<std::string> symbols;
    try {
      boost::dll::library_info info(file, false);
      symbols = info.symbols(std::string(kSection));
    } catch (const std::exception& e) {
      problems_.push_back(file.string() + ": cannot read it as a shared library: " + e.what());
      continue;
    }
    bool any = false;
    for (const auto& symbol : symbols) {
      auto parsed = parse_symbol(symbol);
      if (!parsed) continue;
      any = true;
      plugin_entry entry{parsed->second, file, parsed->first, symbol};
      if (entry.api_version != TEXTKIT_API_VERSION) {
        problems_.push_back(version_mismatch(entry));
        problems_by_name_.emplace(entry.name, problems_.back());
        mismatched_.emplace(entry.name, entry);
        continue;
      }
      if (auto it = entries_.find(entry.name); it != entries_.end()) {
        problems_.push_back("plugin \"" + entry.name + "\" is in both " + it->second.file.string() +
                            " and " + file.string() + "; using the first");
        problems_by_name_.emplace(entry.name, problems_.back());
        continue;
      }
      entries_.emplace(entry.name, std::move(entry));
    }
    if (!any)
      problems_.push_back(file.string() + ": no textkit plugin in it (no \"textkit\" section)");
  }
}

std::vector<std::string> registry::scan_problems_for(std::string_view name) const {
  std::vector<std::string> out;
  auto [first, last] = problems_by_name_.equal_range(name);
  for (auto it = first; it != last; ++it) out.push_back(it->second);
  return out;
}

std::vector<std::string> registry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, entry] : entries_) out.push_back(name);
  return out;
}

const plugin_entry* registry::find(std::string_view name) const {
  auto it = entries_.find(name);
  return it == entries_.end() ? nullptr : &it->second;
}

result<const plugin_descriptor*> registry::load(std::string_view name) {
  if (auto it = loaded_.find(name); it != loaded_.end()) return it->second;
  const plugin_entry* entry = find(name);
  if (entry == nullptr) {
    if (auto it = mismatched_.find(name); it != mismatched_.end()) {
      return error(version_mismatch(it->second));
    }
    std::string message = "unknown plugin \"" + std::string(name) + '"';
    if (auto near = did_you_mean(name, names())) message += " (did you mean \"" + *near + "\"?)";
    return error(message);
  }

  auto& lib = libraries_[entry->file];
  if (!lib) {
    auto loaded = std::make_shared<library>();
    // RTLD_NODELETE: never unmapped, even if a plugin was linked without -z nodelete.
    const auto mode =
        static_cast<boost::dll::load_mode::type>(RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    boost::dll::fs::error_code ec;
    loaded->handle.load(entry->file, mode, ec);
    if (ec) {
      const char* why = dlerror();
      libraries_.erase(entry->file);
      return error(entry->file.string() + ": cannot load plugin library: " +
                   (why != nullptr ? std::string(why) : ec.message()));
    }
    lib = std::move(loaded);
  }

  using entry_function = const plugin_descriptor*();
  const plugin_descriptor* descriptor = nullptr;
  try {
    descriptor = lib->handle.get_alias<entry_function>(entry->symbol)();
  } catch (const std::exception& e) {
    return error(entry->file.string() + ": plugin \"" + entry->name +
                 "\" failed to describe itself: " + e.what());
  }
  if (descriptor == nullptr)
    return error(entry->file.string() + ": plugin \"" + entry->name + "\" has no descriptor");
  // api_version and abi_tag are the stable prefix of the descriptor: read them before the rest.
  if (descriptor->api_version != TEXTKIT_API_VERSION) {
    plugin_entry claimed = *entry;
    claimed.api_version = descriptor->api_version;
    return error(version_mismatch(claimed));
  }
  if (std::strcmp(descriptor->abi_tag, TEXTKIT_ABI_TAG) != 0) {
    return error("plugin \"" + entry->name + "\" in " + entry->file.string() + " was built with " +
                 descriptor->abi_tag + ", but this textkit with " + TEXTKIT_ABI_TAG +
                 ": rebuild it against this textkit");
  }
  if (descriptor->name != entry->name || !is_valid_plugin_name(descriptor->name)) {
    return error(entry->file.string() + ": exported as \"" + entry->name +
                 "\" but names itself \"" + descriptor->name +
                 "\" (names are lower-case words joined by dots)");
  }
  if (!descriptor->create) return error("plugin \"" + entry->name + "\" has no factory");
  loaded_.emplace(entry->name, descriptor);
  owner_.emplace(descriptor, lib);
  return descriptor;
}

result<loaded_step> registry::create(const plugin_descriptor& plugin, const step_config& config) {
  auto owner = owner_.find(&plugin);
  std::shared_ptr<const void> pin;
  if (owner != owner_.end()) pin = owner->second;
  auto made = plugin.create(config);
  if (!made) return made.failure();
  if (!made.value()) return error("plugin \"" + plugin.name + "\" returned no step");
  return loaded_step(std::move(pin), std::move(made.value()));
}

}  // namespace textkit::host
