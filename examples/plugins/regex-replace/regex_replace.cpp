// regex.replace - an out-of-tree textkit plugin: replaces the matches of an ICU regular expression
// in the text of each record (or in one string meta value), optionally dropping records left blank.
//
// The pattern is compiled once, when the step is created; an icu::RegexPattern may be shared by
// threads, an icu::RegexMatcher may not, so process() makes its own matcher for each record. That
// makes the step thread-safe, and the host runs it on every core.
#include <textkit/plugin.h>

#include <unicode/regex.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace {

using textkit::error;
using textkit::json;
using textkit::option_type;

std::string to_utf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

/// ICU's error codes in words a user understands; ICU's own name follows in parentheses.
std::string describe_icu_error(UErrorCode status) {
  switch (status) {
    case U_REGEX_RULE_SYNTAX:
      return "syntax error";
    case U_REGEX_MISMATCHED_PAREN:
      return "unbalanced parenthesis";
    case U_REGEX_MISSING_CLOSE_BRACKET:
      return "missing ]";
    case U_REGEX_BAD_ESCAPE_SEQUENCE:
      return "unknown escape sequence";
    case U_REGEX_BAD_INTERVAL:
      return "bad {min,max} repetition";
    case U_REGEX_MAX_LT_MIN:
      return "in {min,max}, max is less than min";
    case U_REGEX_INVALID_RANGE:
      return "invalid character range";
    case U_REGEX_INVALID_CAPTURE_GROUP_NAME:
      return "invalid capture group name";
    case U_REGEX_PROPERTY_SYNTAX:
      return "bad \\p{...} property";
    case U_REGEX_LOOK_BEHIND_LIMIT:
      return "look-behind must have a bounded length";
    case U_REGEX_NUMBER_TOO_BIG:
      return "number too big";
    case U_REGEX_UNIMPLEMENTED:
      return "feature not supported by ICU";
    case U_REGEX_TIME_OUT:
      return "matching took too long";
    case U_REGEX_STACK_OVERFLOW:
      return "matching ran out of backtracking stack";
    default:
      return "error";
  }
}

std::string icu_message(UErrorCode status) {
  return describe_icu_error(status) + " (" + u_errorName(status) + ")";
}

/// Compiles `pattern`, or says why not, with ICU's error and where in the pattern it is.
textkit::result<std::unique_ptr<icu::RegexPattern>> compile_pattern(const std::string& pattern,
                                                                    bool case_insensitive) {
  UParseError place{};
  UErrorCode status = U_ZERO_ERROR;
  const uint32_t flags = case_insensitive ? UREGEX_CASE_INSENSITIVE : 0;
  std::unique_ptr<icu::RegexPattern> compiled(
      icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(pattern), flags, place, status));
  if (U_SUCCESS(status)) return compiled;

  // ICU counts characters (not bytes) from 1, within a line of the pattern.
  std::string where = "at offset " + std::to_string(place.offset);
  if (place.line > 1) {
    where = "at line " + std::to_string(place.line) + ", offset " + std::to_string(place.offset);
  }
  return error("pattern \"" + pattern + "\": " + icu_message(status) + " " + where);
}

/// The pattern option's own check: `textkit lint` (and a run, before any step is made) reports a
/// pattern that does not compile, at its place in the pipeline file.
std::vector<textkit::option_problem> check_pattern(const json& value) {
  auto compiled = compile_pattern(value.get<std::string>(), false);
  if (compiled) return {};
  return {{"", compiled.failure().message()}};
}

/// Checks the group references of `replacement` the way RegexMatcher::appendReplacement reads
/// them, so that a bad "$3" is reported when the step is created rather than at the first match.
std::optional<std::string> replacement_problem(const icu::UnicodeString& replacement,
                                               const icu::RegexPattern& pattern) {
  UErrorCode status = U_ZERO_ERROR;
  const std::unique_ptr<icu::RegexMatcher> probe(pattern.matcher(status));
  if (U_FAILURE(status)) return icu_message(status);
  const int32_t groups = probe->groupCount();

  const int32_t length = replacement.length();
  for (int32_t i = 0; i < length; i = replacement.moveIndex32(i, 1)) {
    const UChar32 c = replacement.char32At(i);
    if (c == '\\') {
      i = replacement.moveIndex32(i, 1);  // the escaped character is literal
      continue;
    }
    if (c != '$') continue;
    const int32_t at = i + 1;
    const int32_t next = replacement.moveIndex32(i, 1);
    if (next >= length) return "a $ at the end; write \\$ for a literal $";
    const UChar32 n = replacement.char32At(next);
    if (n == '{') {
      const int32_t close = replacement.indexOf(u'}', next);
      if (close < 0) return "${ at offset " + std::to_string(at) + " has no closing }";
      const icu::UnicodeString name(replacement, next + 1, close - next - 1);
      UErrorCode found = U_ZERO_ERROR;
      pattern.groupNumberFromName(name, found);
      if (U_FAILURE(found)) return "the pattern has no group named \"" + to_utf8(name) + "\"";
      i = close;
      continue;
    }
    if (!u_isdigit(n)) {
      return "$ at offset " + std::to_string(at) +
             " must be followed by a group number or {name}; write \\$ for a literal $";
    }
    if (u_charDigitValue(n) > groups) {
      return "$" + std::to_string(u_charDigitValue(n)) +
             " refers to a group the pattern lacks (it has " + std::to_string(groups) + ")";
    }
  }
  return std::nullopt;
}

bool is_blank(const icu::UnicodeString& text) {
  for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
    if (!u_isUWhiteSpace(text.char32At(i))) return false;
  }
  return true;
}

struct settings {
  std::unique_ptr<icu::RegexPattern> pattern;
  icu::UnicodeString replacement;
  bool drop_empty = false;
  std::string meta_key;  // empty: the record's text
};

class regex_replace final : public textkit::transform {
 public:
  explicit regex_replace(settings config) : config_(std::move(config)) {}

  void process(textkit::record&& in, textkit::emitter& out, textkit::context& /*ctx*/) override {
    std::string* field = field_of(in);
    // A record without the meta value passes untouched: not every source sets every key.
    if (field == nullptr) return out.emit(std::move(in));

    const icu::UnicodeString input = icu::UnicodeString::fromUTF8(*field);
    UErrorCode status = U_ZERO_ERROR;
    // The matcher refers to `input`, which outlives it.
    const std::unique_ptr<icu::RegexMatcher> matcher(config_.pattern->matcher(input, status));
    icu::UnicodeString replaced;
    bool matched = false;
    while (U_SUCCESS(status) && matcher->find(status)) {
      matcher->appendReplacement(replaced, config_.replacement, status);
      matched = true;
    }
    if (U_FAILURE(status)) throw error(in.from, "regex.replace: " + icu_message(status));

    if (matched) {
      matcher->appendTail(replaced);
      if (config_.drop_empty && is_blank(replaced)) return;
      field->clear();
      replaced.toUTF8String(*field);
    } else if (config_.drop_empty && is_blank(input)) {
      return;
    }
    out.emit(std::move(in));
  }

 private:
  /// The string this step rewrites, or null when the record has no such string.
  std::string* field_of(textkit::record& in) const {
    if (config_.meta_key.empty()) return &in.text;
    const auto found = in.meta.find(config_.meta_key);
    if (found == in.meta.end() || !found->is_string()) return nullptr;
    return found->get_ptr<std::string*>();
  }

  const settings config_;
};

textkit::result<std::unique_ptr<textkit::step>> create(const textkit::step_config& config) {
  const textkit::options& opts = config.opts;
  settings made;

  const std::string field = opts.get_string("field");
  if (field.starts_with("meta.") && field.size() > 5) {
    made.meta_key = field.substr(5);
  } else if (field != "text") {
    return error("field \"" + field + "\": expected \"text\" or \"meta.<key>\"");
  }

  auto pattern = compile_pattern(opts.get_string("pattern"), opts.get_bool("case_insensitive"));
  if (!pattern) return pattern.failure();
  made.pattern = std::move(pattern).value();

  made.replacement = icu::UnicodeString::fromUTF8(opts.get_string("replacement"));
  if (auto problem = replacement_problem(made.replacement, *made.pattern)) {
    return error("replacement \"" + opts.get_string("replacement") + "\": " + *problem);
  }
  made.drop_empty = opts.get_bool("drop_empty");
  return std::unique_ptr<textkit::step>(std::make_unique<regex_replace>(std::move(made)));
}

textkit::option_spec option(std::string name, option_type type, json default_value,
                            std::string doc) {
  textkit::option_spec spec;
  spec.name = std::move(name);
  spec.type = type;
  spec.default_value = std::move(default_value);
  spec.doc = std::move(doc);
  return spec;
}

const textkit::plugin_descriptor& describe() {
  static const textkit::plugin_descriptor descriptor = [] {
    textkit::plugin_descriptor d;
    d.name = "regex.replace";
    d.version = "1.0.0";
    d.summary = "replace matches of a regular expression (ICU syntax) in each record";
    d.kind = textkit::step_kind::transform;
    d.consumes = "text, or the string meta value named by `field`";
    d.produces = "the same field with every match replaced";
    d.thread_safe = true;

    auto pattern = option("pattern", option_type::string, nullptr,
                          "ICU regular expression "
                          "(https://unicode-org.github.io/icu/userguide/strings/regexp.html)");
    pattern.required = true;
    pattern.check = check_pattern;
    d.options = {
        pattern,
        option("replacement", option_type::string, "",
               "what each match becomes: $1, $2... or ${name} insert a group, \\$ a literal $"),
        option("case_insensitive", option_type::boolean, false,
               "match without regard to case (Unicode case folding)"),
        option("drop_empty", option_type::boolean, false,
               "drop a record whose field is empty or only white space after replacing"),
        option("field", option_type::string, "text",
               "what to rewrite: \"text\", or \"meta.<key>\" for a string meta value "
               "(records without it pass unchanged)"),
    };
    d.create = create;
    return d;
  }();
  return descriptor;
}

}  // namespace

TEXTKIT_PLUGIN(regex_replace, describe)
