#include "sanitize_options.h"

#include <algorithm>
#include <array>

namespace textkit::sanitize {
namespace {

constexpr std::array<const char*, 5> kItemOptions = {"urls", "emails", "phones", "mentions",
                                                     "hashtags"};

item_action parse_action(const std::string& name) {
  if (name == "drop") return item_action::drop;
  if (name == "replace") return item_action::replace;
  if (name == "strip") return item_action::strip;
  return item_action::keep;
}

json default_placeholders() {
  return {{"url", "<URL>"},
          {"email", "<EMAIL>"},
          {"phone", "<PHONE>"},
          {"mention", "@user"},
          {"hashtag", "<HASHTAG>"}};
}

constexpr std::array<const char*, 5> kPlaceholderKeys = {"url", "email", "phone", "mention",
                                                         "hashtag"};

// Option checks, so that `textkit lint` finds these problems, with their positions, before a run.
std::vector<option_problem> check_patterns(const json& list) {
  std::vector<option_problem> problems;
  for (std::size_t i = 0; i < list.size(); ++i) {
    pattern compiled;
    const std::string source = list[i].get<std::string>();
    if (auto failure = compile(source, 0, compiled)) {
      problems.push_back({"/" + std::to_string(i),
                          "\"" + source + "\" is not an ICU regular expression: " + *failure});
    }
  }
  return problems;
}

std::vector<option_problem> check_placeholders(const json& given) {
  std::vector<option_problem> problems;
  for (const auto& [key, value] : given.items()) {
    if (std::find(kPlaceholderKeys.begin(), kPlaceholderKeys.end(), key) ==
        kPlaceholderKeys.end()) {
      problems.push_back({"/" + key, "unknown key \"" + key +
                                         "\" (expected url, email, phone, mention or hashtag)"});
    } else if (!value.is_string()) {
      problems.push_back({"/" + key, "expected a string, got " + value.dump()});
    }
  }
  return problems;
}

}  // namespace

std::vector<option_spec> sanitize_options() {
  const std::vector<std::string> actions = {"keep", "drop", "replace"};
  return {
      make_option(
          "normalize", option_type::string, "NFC",
          "Unicode normalisation: NFC (composed, the default), NFKC (also folds compatibility "
          "forms: full-width letters, ligatures, superscripts, non-breaking spaces), or none.",
          {"NFC", "NFKC", "none"}),
      make_option(
          "remove_invisible", option_type::boolean, true,
          "Remove control characters (except tab and line breaks) and invisible ones: zero "
          "width space, word joiner, BOM, soft hyphen. Zero width joiners (emoji sequences) and "
          "bidi marks (right-to-left text) stay."),
      make_option(
          "fix_mojibake", option_type::boolean, true,
          "Repair text that is wholly double-encoded UTF-8 (\"FranÃ§ais\" for \"Français\", "
          "Latin-1 or "
          "Windows-1252), only when the repair is certain."),
      make_option("html", option_type::boolean, true,
                  "Strip HTML tags (block elements become paragraphs) and decode entities such as "
                  "&amp; and &#39;, with the importers' HTML-to-text."),
      make_option(
          "urls", option_type::string, nullptr,
          "URLs (http://, https://, www.): keep (the default), drop, or replace with the url "
          "placeholder.",
          actions),
      make_option(
          "emails", option_type::string, nullptr,
          "E-mail addresses: keep, drop or replace. Default keep, or replace when redact is on.",
          actions),
      make_option(
          "phones", option_type::string, nullptr,
          "Phone numbers (+33 6 12 34 56 78, (555) 123-4567, 06 12 34 56 78): keep, drop or "
          "replace. Default keep, or replace when redact is on.",
          actions),
      make_option("mentions", option_type::string, nullptr,
                  "@mentions (and @name@server handles): keep, drop or replace. Default keep, or "
                  "replace when redact is on.",
                  actions),
      make_option("hashtags", option_type::string, "keep",
                  "#hashtags: keep, drop, replace, or strip (keep the word, drop the #).",
                  {"keep", "drop", "replace", "strip"}),
      make_option(
          "redact", option_type::boolean, false,
          "Redact personal data: e-mail addresses, phone numbers and mentions are replaced by "
          "their placeholders unless their own option says otherwise."),
      checked_by(make_option("placeholders", option_type::object, default_placeholders(),
                             "What replace puts in place of each kind: an object with any of the "
                             "keys url, email, phone, mention, hashtag."),
                 check_placeholders),
      make_option(
          "boilerplate", option_type::boolean, true,
          "Remove lines that are platform boilerplate (\"X shared a link.\", \"X updated his "
          "status.\", \"X was with Y.\", \"Sent from my iPhone\"; the list is in "
          "docs/plugins/sanitize.md); a record left empty is dropped."),
      checked_by(
          make_option(
              "drop_patterns", option_type::string_list, json::array(),
              "ICU regular expressions: a record in which any of them matches (anywhere: anchor "
              "with ^ and $ for whole lines, add (?i) to ignore case) is dropped."),
          check_patterns),
      make_option("whitespace", option_type::boolean, true,
                  "Collapse runs of spaces and tabs to one space, trim lines and the record, make "
                  "every line break \\n."),
      bounded(make_option("max_blank_lines", option_type::integer, 1,
                          "With whitespace: at most this many empty lines in a row."),
              0, std::nullopt),
      bounded(make_option("min_chars", option_type::integer, nullptr,
                          "Drop records with fewer characters (grapheme clusters: an emoji or a "
                          "letter with accents counts one)."),
              0, std::nullopt),
      bounded(make_option("max_chars", option_type::integer, nullptr,
                          "Drop records with more characters (grapheme clusters)."),
              0, std::nullopt),
      bounded(make_option("min_words", option_type::integer, nullptr,
                          "Drop records with fewer words (ICU word breaks, so Japanese and Chinese "
                          "count by dictionary words)."),
              0, std::nullopt),
      bounded(make_option("max_words", option_type::integer, nullptr,
                          "Drop records with more words (ICU word breaks)."),
              0, std::nullopt),
      make_option(
          "fits", option_type::string, nullptr,
          "Keep only records that fit: tweet (280 by Twitter's weighted count: URLs 23, CJK "
          "characters and emoji 2).",
          {"tweet"}),
      make_option(
          "scripts", option_type::string_list, nullptr,
          "Keep records whose main script (ISO 15924: Latn, Cyrl, Grek, Arab, Hebr, Jpan, "
          "Kore, Hani, Hang, Thai, Deva...) is one of these; Jpan and Kore accept kanji-only "
          "text. Records without letters pass."),
      make_option(
          "languages", option_type::string_list, nullptr,
          "Keep records in these languages (ISO 639-1: en, fr, ja...), identified with CLD2; "
          "writes meta.lang. A record too short to tell keeps its meta.lang if it has one."),
      make_option("detect_language", option_type::boolean, false,
                  "Write meta.lang (CLD2) even without a languages filter."),
      make_option(
          "unknown_language", option_type::string, "keep",
          "With languages: keep or drop records whose language cannot be told reliably (very "
          "short ones, emoji only).",
          {"keep", "drop"}),
      make_option(
          "dedup", option_type::string, "none",
          "Remove duplicates, keeping the first: exact (same text once case, punctuation and "
          "spacing are ignored) or near (also MinHash near-duplicates, see near_threshold).",
          {"none", "exact", "near"}),
      make_option("dedup_scope", option_type::string, "all",
                  "Compare records across all labels (all) or only within the same meta.label "
                  "(label).",
                  {"all", "label"}),
      bounded(
          make_option("near_threshold", option_type::number, 0.8,
                      "Near dedup: estimated Jaccard similarity of word shingles at or above which "
                      "a record is a duplicate."),
          0.3, 1.0),
      bounded(
          make_option("near_shingle", option_type::integer, 5,
                      "Near dedup: words per shingle (characters for Japanese, Chinese, Thai)."),
          1, 32),
      bounded(make_option("near_permutations", option_type::integer, 128,
                          "Near dedup: MinHash permutations; more is more exact and slower."),
              16, 512),
      make_option("signatures", option_type::output_path, nullptr,
                  "With dedup, in a sharded run: write the signature of each record kept here "
                  "(binary), for the second pass that removes duplicates across shards "
                  "(signatures_from; docs/scaling.md)."),
      make_option("signatures_from", option_type::path, nullptr,
                  "The second pass over the shards' outputs: the signature files their runs "
                  "wrote (a glob such as out/sig.shard-*-of-3.bin). Drops the records that "
                  "duplicate one in an earlier shard, by the dedup settings in the files; no "
                  "other rule runs."),
      make_option("stats", option_type::output_path, nullptr,
                  "Write the statistics as JSON here: per rule, how many records it changed and "
                  "dropped."),
      make_option(
          "rejects", option_type::output_path, nullptr,
          "Write each dropped record here as JSONL, with its reason, a detail, and its text "
          "as it came in."),
  };
}

result<std::unique_ptr<step_settings>> make_settings(const options& opts) {
  auto made = std::make_unique<step_settings>();
  settings& s = made->rules;
  std::vector<std::string> problems;

  const std::string form = opts.get_string("normalize");
  s.form = form == "NFKC"   ? normal_form::nfkc
           : form == "none" ? normal_form::none
                            : normal_form::nfc;
  s.remove_invisible = opts.get_bool("remove_invisible");
  s.fix_mojibake = opts.get_bool("fix_mojibake");
  s.strip_html = opts.get_bool("html");

  const bool redact = opts.get_bool("redact");
  for (std::size_t k = 0; k < kItemOptions.size(); ++k) {
    const std::string name = kItemOptions[k];
    item_action action = item_action::keep;
    if (opts.has(name)) {
      action = parse_action(opts.get_string(name));
    } else if (redact && (name == "emails" || name == "phones" || name == "mentions")) {
      action = item_action::replace;
    }
    s.items.actions[k] = action;
  }
  // check_placeholders reports unknown keys and values that are not strings.
  for (const auto& [key, value] : opts.get("placeholders").items()) {
    const auto at = std::find(kPlaceholderKeys.begin(), kPlaceholderKeys.end(), key);
    if (at != kPlaceholderKeys.end() && value.is_string())
      s.items.placeholders[at - kPlaceholderKeys.begin()] = value.get<std::string>();
  }

  s.boilerplate = opts.get_bool("boilerplate");
  if (s.boilerplate) {
    std::string alternation = "^(?:";
    const auto& list = builtin_boilerplate();
    for (std::size_t i = 0; i < list.size(); ++i) alternation += (i ? ")|(?:" : "(?:") + list[i];
    alternation += "))$";
    if (auto failure = compile(alternation, 0, s.boilerplate_lines))
      problems.push_back("built-in boilerplate list: " + *failure);
  }
  const auto patterns = opts.get_strings("drop_patterns");
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    pattern p;
    if (auto failure = compile(patterns[i], 0, p)) {
      problems.push_back("drop_patterns[" + std::to_string(i) + "] \"" + patterns[i] +
                         "\": " + *failure);
      continue;
    }
    s.drop_patterns.push_back(std::move(p));
  }

  s.whitespace = opts.get_bool("whitespace");
  s.max_blank_lines = static_cast<int>(opts.get_int("max_blank_lines"));
  for (auto [name, field] : {std::pair{"min_chars", &s.min_chars},
                             {"max_chars", &s.max_chars},
                             {"min_words", &s.min_words},
                             {"max_words", &s.max_words}}) {
    if (opts.has(name)) *field = opts.get_int(name);
  }
  if (s.min_chars && s.max_chars && *s.min_chars > *s.max_chars)
    problems.emplace_back("min_chars is larger than max_chars: no record could pass");
  if (s.min_words && s.max_words && *s.min_words > *s.max_words)
    problems.emplace_back("min_words is larger than max_words: no record could pass");
  s.fits_tweet = opts.has("fits") && opts.get_string("fits") == "tweet";
  if (opts.has("scripts")) s.scripts = opts.get_strings("scripts");
  if (opts.has("languages")) s.languages = opts.get_strings("languages");
  s.detect_language = opts.get_bool("detect_language");
  s.drop_unknown_language = opts.get_string("unknown_language") == "drop";

  const std::string dedup = opts.get_string("dedup");
  s.dedup = dedup == "exact"  ? dedup_mode::exact
            : dedup == "near" ? dedup_mode::near
                              : dedup_mode::none;
  s.dedup_by_label = opts.get_string("dedup_scope") == "label";
  if (opts.has("signatures")) {
    made->signatures_path = opts.get_path("signatures");
    if (s.dedup == dedup_mode::none)
      problems.emplace_back("signatures: needs dedup (exact or near) to know what to write");
  }
  if (opts.has("signatures_from")) {
    made->signatures_from = opts.get_path("signatures_from");
    if (opts.has("signatures"))
      problems.emplace_back("signatures and signatures_from: a step is one pass or the other");
  }
  s.minhash.threshold = opts.get_number("near_threshold");
  s.minhash.shingle = static_cast<int>(opts.get_int("near_shingle"));
  s.minhash.permutations = static_cast<int>(opts.get_int("near_permutations"));

  if (opts.has("rejects")) made->rejects_path = opts.get_path("rejects");
  if (opts.has("stats")) made->stats_path = opts.get_path("stats");
  s.keep_original = !made->rejects_path.empty();

  if (!problems.empty()) {
    std::string message;
    for (const auto& p : problems) message += (message.empty() ? "" : "; ") + p;
    return error(message);
  }
  return made;
}

}  // namespace textkit::sanitize
