// textkit host - reading and checking a pipeline file, reporting every problem at once.
#include "textkit/host/pipeline.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include "textkit/options.h"

namespace textkit::host {

namespace fs = std::filesystem;

std::string lint_message::to_string() const {
  std::string out = file;
  if (line != 0) out += ':' + std::to_string(line) + ':' + std::to_string(column);
  out += ": ";
  if (!pointer.empty()) out += pointer + ": ";
  return out + message;
}

namespace {

const std::vector<std::string> kTopKeys = {"textkit", "steps", "description"};
const std::vector<std::string> kStepKeys = {"use", "with", "name", "on_error"};

/// Collects problems, placing each at its JSON pointer in the pipeline text (or the nearest
/// ancestor that is in the text, for a missing member).
class problem_list {
 public:
  problem_list(std::string_view text, std::string file) : text_(text), file_(std::move(file)) {}

  void add(const std::string& pointer, const std::string& message) {
    lint_message m{file_, 0, 0, pointer, message};
    if (const std::string* item = overriding(pointer)) {
      m.file = "--set " + *item;
    } else {
      std::string where = pointer;
      while (true) {
        auto [line, column] = locate_json_pointer(text_, where);
        if (line != 0 || where.empty()) {
          m.line = line;
          m.column = column;
          break;
        }
        where.erase(where.rfind('/'));
      }
    }
    messages_.push_back(std::move(m));
  }

  void add_at(std::uint64_t line, std::uint64_t column, const std::string& message) {
    messages_.push_back({file_, line, column, "", message});
  }

  void add_override_problem(const std::string& item, const std::string& message) {
    messages_.push_back({"--set " + item, 0, 0, "", message});
  }

  void mark_overridden(const std::string& pointer, const std::string& item) {
    overridden_[pointer] = item;
  }

  /// The --set item that gave the value at `pointer` or one holding it (a list element of an
  /// option set on the command line is the command line's, not the file's), or null.
  [[nodiscard]] const std::string* overriding(const std::string& pointer) const {
    std::string at = pointer;
    for (;;) {
      if (auto it = overridden_.find(at); it != overridden_.end()) return &it->second;
      const std::size_t slash = at.rfind('/');
      if (slash == std::string::npos) return nullptr;
      at.erase(slash);
    }
  }

  /// In the order a reader meets them: --set problems first, then by place in the file.
  std::vector<lint_message> take() {
    std::stable_sort(messages_.begin(), messages_.end(), [](const auto& a, const auto& b) {
      return std::tuple(a.line != 0, a.line, a.column) < std::tuple(b.line != 0, b.line, b.column);
    });
    return std::move(messages_);
  }

 private:
  std::string_view text_;
  std::string file_;
  std::map<std::string, std::string> overridden_;
  std::vector<lint_message> messages_;
};

std::string in_quotes(const std::string& word) { return '"' + word + '"'; }

void check_keys(const json& object, const std::vector<std::string>& allowed,
                const std::string& pointer, problem_list& problems) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string message = "unknown key " + in_quotes(key);
    if (auto near = did_you_mean(key, allowed))
      message += " (did you mean " + in_quotes(*near) + "?)";
    problems.add(pointer + "/" + key, message);
  }
}

/// Turns a parse error's "[json.exception.parse_error.101] parse error at line 3, column 21:
/// syntax error ..." into its last part; the position is reported separately.
std::string parse_error_text(const std::string& what) {
  const auto colon = what.find(": ");
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

std::pair<std::uint64_t, std::uint64_t> line_column_of_byte(std::string_view text,
                                                            std::size_t byte) {
  std::uint64_t line = 1;
  std::uint64_t column = 1;
  for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}

/// Applies one "STEP.OPTION=VALUE" override to the parsed pipeline.
void apply_override(json& doc, const std::string& item, problem_list& problems) {
  const auto equals = item.find('=');
  const auto dot = item.rfind('.', equals);
  if (equals == std::string::npos || dot == std::string::npos || dot == 0 || dot + 1 == equals) {
    problems.add_override_problem(item, "expected STEP.OPTION=VALUE, e.g. --set 1.min_chars=30");
    return;
  }
  const std::string step = item.substr(0, dot);
  const std::string option = item.substr(dot + 1, equals - dot - 1);
  const std::string raw = item.substr(equals + 1);
  json value = json::parse(raw, nullptr, false);
  if (value.is_discarded()) value = raw;

  if (!doc.contains("steps") || !doc["steps"].is_array()) return;  // reported elsewhere
  json& steps = doc["steps"];
  std::vector<std::size_t> matches;
  if (std::all_of(step.begin(), step.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    const std::size_t index = std::stoul(step);
    if (index < steps.size()) matches.push_back(index);
  } else {
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const json& s = steps[i];
      if (!s.is_object()) continue;
      const json* name =
          s.contains("name") ? &s["name"] : (s.contains("use") ? &s["use"] : nullptr);
      if (name != nullptr && name->is_string() && name->get<std::string>() == step)
        matches.push_back(i);
    }
  }
  if (matches.empty()) {
    problems.add_override_problem(
        item, "no step " + in_quotes(step) + " in the pipeline (steps are counted from 0)");
    return;
  }
  if (matches.size() > 1) {
    problems.add_override_problem(item, "more than one step is " + in_quotes(step) +
                                            ": use the step's index or give the steps a \"name\"");
    return;
  }
  json& target = steps[matches.front()];
  if (!target.is_object()) return;
  if (!target.contains("with")) target["with"] = json::object();
  if (!target["with"].is_object()) return;
  target["with"][option] = std::move(value);
  problems.mark_overridden("/steps/" + std::to_string(matches.front()) + "/with/" + option, item);
}

void check_step(const json& step_json, std::size_t index, registry& plugins, problem_list& problems,
                pipeline_step& out) {
  const std::string pointer = "/steps/" + std::to_string(index);
  if (!step_json.is_object()) {
    problems.add(pointer, "expected a step object {\"use\": ..., \"with\": {...}}");
    return;
  }
  check_keys(step_json, kStepKeys, pointer, problems);

  if (!step_json.contains("use")) {
    problems.add(pointer, "missing \"use\": the name of the plugin this step runs");
  } else if (!step_json["use"].is_string()) {
    problems.add(pointer + "/use", "expected the name of a plugin (a string)");
  } else {
    out.use = step_json["use"].get<std::string>();
    auto loaded = plugins.load(out.use);
    if (loaded) {
      out.plugin = loaded.value();
    } else {
      problems.add(pointer + "/use", loaded.failure().what());
    }
  }
  out.name = out.use;
  if (step_json.contains("name")) {
    if (step_json["name"].is_string()) {
      out.name = step_json["name"].get<std::string>();
    } else {
      problems.add(pointer + "/name", "expected a string");
    }
  }
  if (step_json.contains("on_error")) {
    const json& policy = step_json["on_error"];
    if (policy == "skip") {
      out.on_error = on_error_policy::skip;
    } else if (policy != "fail") {
      problems.add(pointer + "/on_error", "expected \"fail\" or \"skip\", got " + policy.dump());
    }
  }
  if (step_json.contains("with")) out.with = step_json["with"];
  if (out.plugin == nullptr) return;
  for (const auto& problem : check_options(out.plugin->options, out.with)) {
    problems.add(pointer + "/with" + problem.pointer, problem.message);
  }
}

}  // namespace

pipeline_load load_pipeline_text(const std::string& text, const fs::path& file, registry& plugins,
                                 const std::vector<std::string>& overrides) {
  pipeline_load result;
  result.loaded.file = file;
  result.loaded.base_dir = fs::absolute(file).parent_path();
  problem_list problems(text, file.string());

  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    auto [line, column] = line_column_of_byte(text, e.byte);
    problems.add_at(line, column, parse_error_text(e.what()));
    result.problems = problems.take();
    return result;
  } catch (const json::out_of_range& e) {
    // A number too large for a double ("number overflow parsing '1e999'", found by fuzz.lint):
    // nlohmann gives no position, so the place is that of the number the message quotes.
    std::string message = e.what();
    message.erase(0, message.find("] ") == std::string::npos ? 0 : message.find("] ") + 2);
    const auto open = message.find('\'');
    const auto close = message.rfind('\'');
    const auto at =
        open < close ? text.find(message.substr(open + 1, close - open - 1)) : std::string::npos;
    auto [line, column] = line_column_of_byte(text, at == std::string::npos ? 0 : at + 1);
    problems.add_at(line, column, message);
    result.problems = problems.take();
    return result;
  }

  if (!doc.is_object()) {
    problems.add("", "expected a pipeline object {\"textkit\": 1, \"steps\": [...]}");
    result.problems = problems.take();
    return result;
  }
  for (const auto& item : overrides) apply_override(doc, item, problems);
  check_keys(doc, kTopKeys, "", problems);
  if (!doc.contains("textkit")) {
    problems.add("", "missing \"textkit\": 1 (the pipeline format version)");
  } else if (doc["textkit"] != 1) {
    problems.add("/textkit", "this textkit reads pipeline format 1, got " + doc["textkit"].dump());
  }
  if (!doc.contains("steps") || !doc["steps"].is_array() || doc["steps"].empty()) {
    problems.add(doc.contains("steps") ? "/steps" : "",
                 "expected \"steps\": a list of at least one step");
    result.problems = problems.take();
    return result;
  }

  const json& steps = doc["steps"];
  result.loaded.steps.resize(steps.size());
  for (std::size_t i = 0; i < steps.size(); ++i) {
    check_step(steps[i], i, plugins, problems, result.loaded.steps[i]);
  }

  // Records come only from sources: a transform or sink before the first source has nothing to do.
  for (std::size_t i = 0; i < result.loaded.steps.size(); ++i) {
    const auto* plugin = result.loaded.steps[i].plugin;
    if (plugin == nullptr) continue;
    if (plugin->kind == step_kind::source) break;
    problems.add("/steps/" + std::to_string(i) + "/use",
                 "the " + std::string(to_string(plugin->kind)) + " " + in_quotes(plugin->name) +
                     " has no records to work on: add a source step (read.txt, read.jsonl, "
                     "import.*, ...) before it");
  }

  std::set<std::string> seen;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (!steps[i].is_object() || !steps[i].contains("name")) continue;
    const auto& name = result.loaded.steps[i].name;
    if (!seen.insert(name).second) {
      problems.add("/steps/" + std::to_string(i) + "/name",
                   "another step is already named " + in_quotes(name));
    }
  }
  result.problems = problems.take();
  return result;
}

pipeline_load load_pipeline(const fs::path& file, registry& plugins,
                            const std::vector<std::string>& overrides) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    pipeline_load result;
    result.problems.push_back({file.string(), 0, 0, "", "cannot read the pipeline file"});
    return result;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return load_pipeline_text(text.str(), file, plugins, overrides);
}

}  // namespace textkit::host
