#include "sanitizer.h"

#include <unicode/unistr.h>
#include <unicode/utext.h>

#include <algorithm>
#include <stdexcept>

#include "langid.h"

namespace textkit::sanitize {
namespace {

constexpr const char* kRuleNames[kRuleCount] = {
    "invalid_utf8",  "mojibake", "html",      "normalize",   "invisible", "boilerplate",
    "drop_patterns", "urls",     "emails",    "phones",      "mentions",  "hashtags",
    "whitespace",    "empty",    "min_chars", "max_chars",   "min_words", "max_words",
    "fits",          "scripts",  "languages", "dedup_exact", "dedup_near"};

// A person's or page's name as platforms print it: one to four capitalised words.
#define TK_NAME "\\p{Lu}[\\p{L}\\p{M}'\\x{2019}.\\-]*(?: \\p{Lu}[\\p{L}\\p{M}'\\x{2019}.\\-]*){0,3}"
#define TK_WHOSE "(?:a|an|his|her|their|your|its|" TK_NAME "(?:'s|\\x{2019}s))"

// The word after the platform name in every built-in boilerplate line: a name is at most four
// words, so one of these starts at one of the line's first five spaces, or the regex cannot match.
constexpr std::string_view kTriggers[] = {
    " shared ",  " posted ",    " updated ", " changed ", " added ",  " was ",     " is ",
    " wrote ",   " commented ", " replied ", " reacted ", " likes ",  " friends ", " from ",
    " deleted",  " removed",    " sent ",    " unsent ",  " named ",  " set ",     " left ",
    " feeling ", " created ",   " joined ",  " has ",     " became ", " message "};

// What a matcher is pointed at between uses, so it never refers to a string that is gone.
const icu::UnicodeString kNothing;

bool may_be_boilerplate(std::string_view line) {
  if (line.size() > 300 || line.empty()) return false;
  std::size_t space = 0;
  for (int n = 0; n < 5; ++n, ++space) {
    space = line.find(' ', space);
    if (space == std::string_view::npos) return false;
    const std::string_view rest = line.substr(space);
    for (std::string_view t : kTriggers) {
      if (rest.starts_with(t)) return true;
    }
  }
  return false;
}

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string_view trimmed(std::string_view line) {
  const std::size_t first = line.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const std::size_t last = line.find_last_not_of(" \t\r");
  return line.substr(first, last - first + 1);
}

/// Removes the lines that are wholly boilerplate; returns whether it removed any.
bool remove_boilerplate_lines(std::string& text, icu::RegexMatcher& matcher) {
  std::string out;
  bool removed = false;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view line = std::string_view(text).substr(start, end - start);
    const std::string_view core = trimmed(line);
    bool drop = false;
    if (may_be_boilerplate(core)) {
      // The matcher keeps a reference to its input, not a copy: the string must outlive it.
      const icu::UnicodeString input = icu::UnicodeString::fromUTF8(
          icu::StringPiece(core.data(), static_cast<std::int32_t>(core.size())));
      matcher.reset(input);
      UErrorCode status = U_ZERO_ERROR;
      drop = matcher.matches(status) && U_SUCCESS(status);
      matcher.reset(kNothing);
    }
    if (drop) {
      removed = true;
    } else {
      out.append(line);
      if (end < text.size()) out.push_back('\n');
    }
    start = end + 1;
  }
  if (!removed) return false;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  text = std::move(out);
  return true;
}

bool matches_somewhere(const std::string& text, icu::RegexMatcher& matcher) {
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<std::int64_t>(text.size()), &status);
  matcher.reset(ut);
  const bool found = U_SUCCESS(status) && matcher.find(0, status) && U_SUCCESS(status);
  // The matcher keeps a reference to the UText: point it elsewhere before closing.
  matcher.reset(kNothing);
  utext_close(ut);
  return found;
}

/// Whether the dominant script passes the `scripts` filter; Japanese (Jpan) and Korean (Kore)
/// also accept text written only in Han characters.
bool script_accepted(const std::string& script, const std::vector<std::string>& allowed) {
  auto listed = [&](std::string_view code) {
    return std::find(allowed.begin(), allowed.end(), code) != allowed.end();
  };
  if (listed(script)) return true;
  if (script == "Hani") return listed("Jpan") || listed("Kore") || listed("Hans") || listed("Hant");
  return false;
}

bool language_accepted(const std::string& code, const std::vector<std::string>& allowed) {
  const std::string primary = code.substr(0, code.find('-'));
  return std::any_of(allowed.begin(), allowed.end(),
                     [&](const std::string& a) { return a == code || a == primary; });
}

}  // namespace

const char* rule_name(rule r) { return kRuleNames[static_cast<int>(r)]; }

const std::vector<std::string>& builtin_boilerplate() {
  static const std::vector<std::string> list = {
      // Facebook activity lines.
      TK_NAME " (?:shared|posted) " TK_WHOSE
              " (?:link|photo|photos|video|post|memory|event|status|album|note|story|reel|"
              "live video|page)\\.?",
      TK_NAME " shared a link\\.?",
      TK_NAME " updated (?:his|her|their) (?:status|profile picture|cover photo|profile photo)\\.?",
      TK_NAME " changed (?:his|her|their) (?:profile picture|cover photo|profile photo|name)\\.?",
      TK_NAME
      " added (?:a new photo|a new video|\\d+ new photos|\\d+ new videos)(?: to .{1,80})?\\.?",
      // Only "with": "X was at/in Y." is as often the user's own sentence ("Mum was at work.").
      TK_NAME " (?:was|is) with .{1,100}\\.",
      TK_NAME " (?:is|was) feeling .{1,60}\\.?",
      TK_NAME " wrote on " TK_NAME "(?:'s|\\x{2019}s) (?:timeline|wall)\\.?",
      TK_NAME " (?:commented on|replied to|reacted to|likes) " TK_WHOSE
              " (?:post|photo|video|comment|link|status)\\.?",
      TK_NAME " (?:is now friends with|became friends with) .{1,100}\\.?",
      TK_NAME " created (?:an|the) (?:event|group|poll)\\b.{0,100}",
      TK_NAME " joined (?:the group )?.{1,80}\\.?",
      // Messenger, Instagram and chat system lines.
      TK_NAME " sent (?:an attachment|a photo|a sticker|a GIF|a link|a voice message|a video)\\.?",
      "(?:You|" TK_NAME ") unsent a message\\.?",
      TK_NAME
      " (?:named the group|set the nickname|changed the group photo|left the group|"
      "added .{1,80} to the group).{0,100}",
      TK_NAME " reacted .{1,8} to your message\\.?",
      // Signatures and placeholders.
      "Sent from my (?:iPhone|iPad|Android|BlackBerry|mobile device|Galaxy|Samsung|Huawei|"
      "Windows Phone)[^\\n]{0,40}",
      "This (?:message|post|comment|tweet) (?:was|has been) (?:deleted|removed|unsent)\\.?",
  };
  return list;
}

std::optional<std::string> compile(const std::string& source, std::uint32_t flags, pattern& out) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError where{};
  out.source = source;
  out.compiled.reset(
      icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(source), flags, where, status));
  if (U_SUCCESS(status)) return std::nullopt;
  out.compiled.reset();
  std::string message = u_errorName(status);
  if (where.offset >= 0) message += " at offset " + std::to_string(where.offset);
  return message;
}

worker_state::worker_state(const settings& config) {
  UErrorCode status = U_ZERO_ERROR;
  if (config.boilerplate && config.boilerplate_lines.compiled)
    boilerplate.reset(config.boilerplate_lines.compiled->matcher(status));
  for (const auto& p : config.drop_patterns)
    drop_patterns.emplace_back(p.compiled->matcher(status));
  if (U_FAILURE(status)) throw std::runtime_error("ICU could not make a regex matcher");
}

verdict apply_rules(record& r, const settings& config, worker_state& worker,
                    const minhasher* hasher) {
  verdict v;
  if (config.keep_original) v.original = r.text;
  auto changed = [&](rule x) { v.changed |= 1U << static_cast<int>(x); };
  auto drop = [&](rule x, std::string detail) {
    v.dropped = x;
    v.detail = std::move(detail);
    return std::move(v);
  };
  std::string& text = r.text;

  if (const std::size_t bad = replace_invalid_utf8(text); bad != 0) {
    v.invalid_utf8 = bad;
    changed(rule::invalid_utf8);
  }
  if (config.fix_mojibake && repair_mojibake(text)) changed(rule::mojibake);
  if (config.strip_html && strip_html(text)) changed(rule::html);
  if (normalize(text, config.form)) changed(rule::normalize);
  if (config.remove_invisible && remove_invisible(text)) changed(rule::invisible);
  if (worker.boilerplate && remove_boilerplate_lines(text, *worker.boilerplate)) {
    if (is_blank(text)) return drop(rule::boilerplate, "only platform boilerplate");
    changed(rule::boilerplate);
  }
  for (std::size_t i = 0; i < worker.drop_patterns.size(); ++i) {
    if (matches_somewhere(text, *worker.drop_patterns[i])) {
      return drop(rule::drop_patterns, "matches drop_patterns[" + std::to_string(i) + "] " +
                                           config.drop_patterns[i].source);
    }
  }
  if (!config.items.all_keep()) {
    bool kinds[5] = {false, false, false, false, false};
    apply_items(text, config.items, kinds);
    for (int k = 0; k < 5; ++k) {
      if (kinds[k]) changed(static_cast<rule>(static_cast<int>(rule::urls) + k));
    }
  }
  if (config.whitespace && normalize_whitespace(text, config.max_blank_lines))
    changed(rule::whitespace);
  if (is_blank(text)) return drop(rule::empty, "empty");

  // Lengths: code points bound both counts from above, so a record shorter than max_* in code
  // points passes that bound unmeasured, and counting stops as soon as the answer is known.
  if (config.min_chars || config.max_chars || config.min_words || config.max_words) {
    const auto upper = static_cast<std::int64_t>(count_code_points(text));
    auto measure = [&](auto&& count, const std::optional<std::int64_t>& min,
                       const std::optional<std::int64_t>& max) -> std::int64_t {
      const bool max_matters = max && upper > *max;
      if (!min && !max_matters) return -1;
      const std::int64_t stop = max_matters ? *max + 1 : *min;
      return static_cast<std::int64_t>(count(static_cast<std::size_t>(stop)));
    };
    const std::int64_t chars =
        measure([&](std::size_t stop) { return count_graphemes(text, worker.scratch, stop); },
                config.min_chars, config.max_chars);
    if (chars >= 0 && config.min_chars && chars < *config.min_chars)
      return drop(rule::min_chars, std::to_string(chars) + " characters, fewer than min_chars " +
                                       std::to_string(*config.min_chars));
    if (chars >= 0 && config.max_chars && chars > *config.max_chars)
      return drop(rule::max_chars,
                  "more than max_chars " + std::to_string(*config.max_chars) + " characters");
    const std::int64_t words =
        measure([&](std::size_t stop) { return count_words(text, worker.scratch, stop); },
                config.min_words, config.max_words);
    if (words >= 0 && config.min_words && words < *config.min_words)
      return drop(rule::min_words, std::to_string(words) + " words, fewer than min_words " +
                                       std::to_string(*config.min_words));
    if (words >= 0 && config.max_words && words > *config.max_words)
      return drop(rule::max_words,
                  "more than max_words " + std::to_string(*config.max_words) + " words");
  }
  if (config.fits_tweet) {
    const std::size_t weight = tweet_weighted_length(text);
    if (weight > 280)
      return drop(rule::fits,
                  "weighted length " + std::to_string(weight) + ", more than a tweet's 280");
  }
  if (!config.scripts.empty()) {
    const std::string script = dominant_script(text);
    if (!script.empty() && !script_accepted(script, config.scripts))
      return drop(rule::scripts, "script " + script);
  }
  if (config.detect_language || !config.languages.empty()) {
    const language_guess guess = detect_language(text);
    std::string code;
    if (guess.reliable) {
      code = guess.code;
      r.meta["lang"] = code;
    } else if (const auto it = r.meta.find("lang"); it != r.meta.end() && it->is_string()) {
      code = it->get<std::string>();  // the platform's own tag (Twitter's) beats a shaky guess
    }
    if (!config.languages.empty()) {
      if (code.empty() || code == "und") {
        if (config.drop_unknown_language)
          return drop(rule::languages, "language not recognised (" + guess.code + ", unreliable)");
      } else if (!language_accepted(code, config.languages)) {
        return drop(rule::languages, "language " + code);
      }
    }
  }
  if (config.dedup != dedup_mode::none) {
    const std::string key = dedup_key(text);
    v.exact_hash = hash_bytes(key, 0x7465787464656475ULL);
    if (config.dedup == dedup_mode::near && hasher != nullptr) v.near = hasher->sign(key);
  }
  return v;
}

void statistics::count_language(const std::string& code) {
  for (auto& [name, count] : languages) {
    if (name == code) {
      ++count;
      return;
    }
  }
  languages.emplace_back(code, 1);
}

nlohmann::ordered_json statistics::to_json() const {
  using ordered = nlohmann::ordered_json;
  std::uint64_t total_dropped = 0;
  for (auto d : dropped) total_dropped += d;
  ordered out = {{"records_in", records_in},
                 {"records_out", records_out},
                 {"records_dropped", total_dropped},
                 {"invalid_utf8_sequences", invalid_utf8_sequences}};
  ordered rules = ordered::object();
  for (int i = 0; i < kRuleCount; ++i) {
    rules[kRuleNames[i]] = {{"changed", changed[i]}, {"dropped", dropped[i]}};
  }
  out["rules"] = std::move(rules);
  if (!languages.empty()) {
    auto sorted = languages;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    ordered langs = ordered::object();
    for (const auto& [code, count] : sorted) langs[code] = count;
    out["languages"] = std::move(langs);
  }
  return out;
}

std::string statistics::summary() const {
  std::uint64_t total_dropped = 0;
  for (auto d : dropped) total_dropped += d;
  std::string out =
      "kept " + std::to_string(records_out) + " of " + std::to_string(records_in) + " records";
  std::string drops;
  std::string changes;
  for (int i = 0; i < kRuleCount; ++i) {
    if (dropped[i] != 0)
      drops += (drops.empty() ? "" : ", ") + std::string(kRuleNames[i]) + " " +
               std::to_string(dropped[i]);
    if (changed[i] != 0)
      changes += (changes.empty() ? "" : ", ") + std::string(kRuleNames[i]) + " " +
                 std::to_string(changed[i]);
  }
  if (!drops.empty()) out += "; dropped " + std::to_string(total_dropped) + ": " + drops;
  if (!changes.empty()) out += "; changed: " + changes;
  return out;
}

}  // namespace textkit::sanitize
