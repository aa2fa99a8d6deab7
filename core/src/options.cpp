// textkit - the option spec: validation, defaults and typed access.
#include "textkit/options.h"

#include <algorithm>
#include <cmath>
#include <exception>

#include "textkit/error.h"
#include "textkit/host/registry.h"

namespace textkit {

std::string_view to_string(option_type type) {
  switch (type) {
    case option_type::boolean:
      return "boolean";
    case option_type::integer:
      return "integer";
    case option_type::number:
      return "number";
    case option_type::string:
      return "string";
    case option_type::path:
      return "path";
    case option_type::output_path:
      return "output path";
    case option_type::string_list:
      return "list of strings";
    case option_type::object:
      return "object";
    case option_type::any:
      return "any";
  }
  return "unknown";
}

namespace {

std::string show(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

bool has_type(option_type type, const json& value) {
  switch (type) {
    case option_type::boolean:
      return value.is_boolean();
    case option_type::integer:
      return value.is_number_integer() ||
             (value.is_number_float() && std::trunc(value.get<double>()) == value.get<double>());
    case option_type::number:
      return value.is_number();
    case option_type::string:
    case option_type::path:
    case option_type::output_path:
      return value.is_string();
    case option_type::string_list:
      return value.is_string() ||
             (value.is_array() &&
              std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_string(); }));
    case option_type::object:
      return value.is_object();
    case option_type::any:
      return true;
  }
  return false;
}

std::string quoted_list(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) {
    if (!out.empty()) out += ", ";
    out += '"' + word + '"';
  }
  return out;
}

void check_allowed(const option_spec& spec, const std::string& value, const std::string& pointer,
                   std::vector<option_problem>& problems) {
  if (spec.allowed.empty()) return;
  if (std::find(spec.allowed.begin(), spec.allowed.end(), value) != spec.allowed.end()) return;
  std::string message = "expected one of " + quoted_list(spec.allowed) + ", got \"" + value + '"';
  if (auto near = host::did_you_mean(value, spec.allowed)) {
    message += " (did you mean \"" + *near + "\"?)";
  }
  problems.push_back({pointer, message});
}

std::string format_bound(double bound) {
  if (std::trunc(bound) == bound) return std::to_string(static_cast<long long>(bound));
  return json(bound).dump();
}

// The plugin's own check sees a string_list as the array the plugin will get; a problem it finds
// in the single string given for one is that string's, not "/0"'s.
void run_plugin_check(const option_spec& spec, const json& value,
                      std::vector<option_problem>& problems) {
  const bool lone_string = spec.type == option_type::string_list && value.is_string();
  const std::string pointer = "/" + spec.name;
  std::vector<option_problem> found;
  try {
    found = spec.check(lone_string ? json::array({value}) : value);
  } catch (const std::exception& failure) {
    found.push_back({"", failure.what()});
  }
  for (auto& problem : found) {
    if (lone_string && problem.pointer == "/0") problem.pointer.clear();
    problems.push_back({pointer + problem.pointer, std::move(problem.message)});
  }
}

void check_value(const option_spec& spec, const json& value,
                 std::vector<option_problem>& problems) {
  const std::string pointer = "/" + spec.name;
  if (!has_type(spec.type, value)) {
    problems.push_back(
        {pointer, "expected " + std::string(to_string(spec.type)) + ", got " + show(value)});
    return;
  }
  if (spec.type == option_type::string)
    check_allowed(spec, value.get<std::string>(), pointer, problems);
  if (spec.type == option_type::string_list) {
    if (value.is_string()) check_allowed(spec, value.get<std::string>(), pointer, problems);
    for (std::size_t i = 0; value.is_array() && i < value.size(); ++i) {
      check_allowed(spec, value[i].get<std::string>(), pointer + "/" + std::to_string(i), problems);
    }
  }
  if (spec.type == option_type::integer || spec.type == option_type::number) {
    const double number = value.get<double>();
    if (spec.min && number < *spec.min) {
      problems.push_back(
          {pointer, "must be at least " + format_bound(*spec.min) + ", got " + show(value)});
    }
    if (spec.max && number > *spec.max) {
      problems.push_back(
          {pointer, "must be at most " + format_bound(*spec.max) + ", got " + show(value)});
    }
  }
  if (spec.check) run_plugin_check(spec, value, problems);
}

const option_spec* find_spec(const std::vector<option_spec>& specs, std::string_view name) {
  auto it = std::find_if(specs.begin(), specs.end(), [&](const auto& s) { return s.name == name; });
  return it == specs.end() ? nullptr : &*it;
}

}  // namespace

std::vector<option_problem> check_options(const std::vector<option_spec>& specs,
                                          const json& given) {
  std::vector<option_problem> problems;
  if (!given.is_object()) {
    problems.push_back({"", "expected an object of options, got " + show(given)});
    return problems;
  }
  std::vector<std::string> names;
  for (const auto& spec : specs) names.push_back(spec.name);
  for (const auto& [key, value] : given.items()) {
    const option_spec* spec = find_spec(specs, key);
    if (spec == nullptr) {
      std::string message = "unknown option \"" + key + '"';
      if (auto near = host::did_you_mean(key, names))
        message += " (did you mean \"" + *near + "\"?)";
      problems.push_back({"/" + key, message});
      continue;
    }
    check_value(*spec, value, problems);
  }
  for (const auto& spec : specs) {
    if (spec.required && !given.contains(spec.name)) {
      problems.push_back({"", "missing required option \"" + spec.name + "\" (" +
                                  std::string(to_string(spec.type)) + "): " + spec.doc});
    }
  }
  return problems;
}

options::options(const std::vector<option_spec>& specs, const json& given,
                 const std::filesystem::path& base_dir) {
  auto problems = check_options(specs, given);
  if (!problems.empty()) throw error(problems.front().pointer + ": " + problems.front().message);
  for (const auto& spec : specs) {
    json value = given.contains(spec.name) ? given.at(spec.name) : spec.default_value;
    if (value.is_null()) continue;
    if (spec.type == option_type::string_list && value.is_string()) value = json::array({value});
    if (spec.type == option_type::integer && value.is_number_float())
      value = static_cast<std::int64_t>(value.get<double>());
    if (spec.type == option_type::path || spec.type == option_type::output_path) {
      const std::string text = value.get<std::string>();
      const std::filesystem::path path(text);
      if (text != "-" && !text.empty() && path.is_relative()) {
        value = (base_dir / path).lexically_normal().string();
      }
    }
    values_[spec.name] = std::move(value);
  }
}

bool options::has(std::string_view name) const { return values_.contains(name); }

const json& options::get(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) throw error("option \"" + std::string(name) + "\" is not set");
  return *it;
}

bool options::get_bool(std::string_view name) const { return get(name).get<bool>(); }
std::int64_t options::get_int(std::string_view name) const { return get(name).get<std::int64_t>(); }
double options::get_number(std::string_view name) const { return get(name).get<double>(); }
std::string options::get_string(std::string_view name) const {
  return get(name).get<std::string>();
}
std::string options::get_path(std::string_view name) const { return get(name).get<std::string>(); }

std::vector<std::string> options::get_strings(std::string_view name) const {
  return get(name).get<std::vector<std::string>>();
}

}  // namespace textkit
