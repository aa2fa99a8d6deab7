// sanitize - the rules in their fixed order, the per-record pass that applies them, and the
// statistics. The per-record pass (apply_rules) is a pure function of the record and the settings
// and runs on many threads; dedup decisions are made afterwards, in input order (decide_dedup).
#pragma once

#include <unicode/regex.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dedup.h"
#include "text_rules.h"
#include "textkit/record.h"

namespace textkit::sanitize {

/// Every rule, in the order they run. The names are what stats, rejects and warnings say.
enum class rule : int {
  invalid_utf8,
  mojibake,
  html,
  normalize,
  invisible,
  boilerplate,
  drop_patterns,
  urls,
  emails,
  phones,
  mentions,
  hashtags,
  whitespace,
  empty,
  min_chars,
  max_chars,
  min_words,
  max_words,
  fits,
  scripts,
  languages,
  dedup_exact,
  dedup_near,
};
inline constexpr int kRuleCount = static_cast<int>(rule::dedup_near) + 1;
const char* rule_name(rule r);

enum class dedup_mode { none, exact, near };

/// A compiled ICU regular expression and the text it came from.
struct pattern {
  std::string source;
  std::unique_ptr<icu::RegexPattern> compiled;
};

/// The settings, built once by the factory and only read afterwards (shared by all threads).
struct settings {
  bool fix_mojibake = true;
  bool strip_html = true;
  normal_form form = normal_form::nfc;
  bool remove_invisible = true;
  bool boilerplate = true;
  pattern boilerplate_lines;  ///< the built-in list, one alternation, matched against whole lines
  std::vector<pattern> drop_patterns;
  item_policy items;
  bool whitespace = true;
  int max_blank_lines = 1;
  std::optional<std::int64_t> min_chars, max_chars, min_words, max_words;
  bool fits_tweet = false;
  std::vector<std::string> scripts;
  std::vector<std::string> languages;
  bool detect_language = false;
  bool drop_unknown_language = false;
  dedup_mode dedup = dedup_mode::none;
  bool dedup_by_label = false;
  minhash_params minhash;
  bool keep_original = false;  ///< for the rejects file
};

/// The built-in platform boilerplate: ICU regular expressions, each matched against a whole line
/// ("Alice Smith shared a link.", "Bob updated his status.", "Sent from my iPhone").
const std::vector<std::string>& builtin_boilerplate();

/// Compiles an ICU regular expression; on failure, a message with ICU's reason and the offset.
std::optional<std::string> compile(const std::string& source, std::uint32_t flags, pattern& out);

/// One worker thread's private state: ICU break iterators and regex matchers.
class worker_state {
 public:
  explicit worker_state(const settings& config);
  text_scratch scratch;
  std::unique_ptr<icu::RegexMatcher> boilerplate;
  std::vector<std::unique_ptr<icu::RegexMatcher>> drop_patterns;
};

/// What the per-record pass found.
struct verdict {
  std::uint32_t changed = 0;  ///< bit (1 << rule) for each rule that changed the text
  std::optional<rule> dropped;
  std::string detail;  ///< why it was dropped, for the rejects file
  std::size_t invalid_utf8 = 0;
  std::string original;  ///< the text as it came in (only with keep_original)
  std::uint64_t exact_hash = 0;
  signature near;
  std::optional<std::string> error;  ///< an unexpected failure, reported as bad input
};

/// Applies every per-record rule to `r` in order (everything but dedup decisions, whose hash and
/// signature it computes). Safe to call from several threads, each with its own worker_state.
verdict apply_rules(record& r, const settings& config, worker_state& worker,
                    const minhasher* hasher);

/// Counts per rule, added up in input order.
struct statistics {
  std::uint64_t records_in = 0;
  std::uint64_t records_out = 0;
  std::uint64_t invalid_utf8_sequences = 0;
  std::array<std::uint64_t, kRuleCount> changed{};
  std::array<std::uint64_t, kRuleCount> dropped{};
  std::vector<std::pair<std::string, std::uint64_t>> languages;  ///< of the kept records

  void count_language(const std::string& code);
  [[nodiscard]] nlohmann::ordered_json to_json() const;  ///< keys in rule order
  /// "dropped 37 of 1000 records: empty 3, min_words 20; changed: html 5, urls 12"
  [[nodiscard]] std::string summary() const;
};

}  // namespace textkit::sanitize
