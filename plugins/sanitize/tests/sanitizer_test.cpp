// The rules together, through the options a user writes: order, filters, language, redaction,
// the factory's errors, and the statistics.
#include "sanitizer.h"

#include <catch2/catch.hpp>

#include <string>

#include "sanitize_options.h"
#include "textkit/options.h"

namespace tk = textkit::sanitize;
using textkit::json;

namespace {

std::unique_ptr<tk::step_settings> settings_for(const json& given) {
  const textkit::options opts(tk::sanitize_options(), given, "/tmp");
  auto made = tk::make_settings(opts);
  if (!made) FAIL(made.failure().message());
  return std::move(made).value();
}

struct outcome {
  std::string text;
  std::string dropped;  // rule name, or "" when kept
  json meta;
};

outcome run(const json& given, std::string text, json meta = json::object()) {
  const auto config = settings_for(given);
  tk::worker_state worker(config->rules);
  const tk::minhasher hasher(config->rules.minhash);
  textkit::record r{std::move(text), std::move(meta), {}};
  const auto v = tk::apply_rules(r, config->rules, worker, &hasher);
  return {r.text, v.dropped ? tk::rule_name(*v.dropped) : "", r.meta};
}

}  // namespace

TEST_CASE("the defaults: NFC, invisible characters, mojibake, HTML, whitespace") {
  const auto out = run(json::object(), "  <p>Fran\u00C3\u00A7ais &amp;  co</p>\n\n\n\n");
  CHECK(out.text == "Français & co");
  CHECK(out.dropped.empty());
  CHECK(run(json::object(), "e\u0301\u200Bcole\tet   lyc\u00E9e\n\n\n\nfin").text ==
        "école et lycée\n\nfin");
  CHECK(run(json::object(), " \n\t ").dropped == "empty");
}

TEST_CASE("rules run in the documented order") {
  // HTML is stripped before URLs are looked for, so a link's text is judged as text.
  CHECK(run({{"urls", "drop"}}, "<a href=\"https://x.org\">https://x.org</a> hi").text == "hi");
  // Boilerplate before length: the boilerplate line goes, the rest is measured.
  CHECK(run({{"min_words", 3}}, "Alice Smith shared a link.\nok").dropped == "min_words");
  // Whitespace after item removal: no double spaces left behind.
  CHECK(run({{"mentions", "drop"}}, "thanks  @bob  for it").text == "thanks for it");
}

TEST_CASE("boilerplate lines go; a record of only boilerplate is dropped") {
  CHECK(run(json::object(), "Alice Smith shared a link.").dropped == "boilerplate");
  CHECK(run(json::object(), "Bob updated his status.").dropped == "boilerplate");
  CHECK(run(json::object(), "Chloé Dupont was with Marc Martin.").dropped == "boilerplate");
  CHECK(run(json::object(), "Great day!\nSent from my iPhone").text == "Great day!");
  // Ordinary sentences that look alike stay.
  CHECK(run(json::object(), "My heart is with you.").dropped.empty());
  CHECK(run(json::object(), "I shared a link with my class today and they loved it.")
            .dropped.empty());
  CHECK(run({{"boilerplate", false}}, "Alice Smith shared a link.").dropped.empty());
}

TEST_CASE("every built-in boilerplate pattern has a line it removes") {
  const char* lines[] = {
      "Renée Dubois shared Marc Bernard's post.",
      "Jean-Luc Picard posted a photo.",
      "Ann updated her cover photo.",
      "Bob O'Brien changed his profile picture.",
      "Léa Martin added 3 new photos to Lyon 2023.",
      "Ann Lee was with Marc Bernard and 2 others.",
      "Ann is feeling happy.",
      "Ann wrote on Bob's timeline.",
      "Ann commented on Bob's photo.",
      "Ann is now friends with Bob Lee and 2 others.",
      "Ann created an event.",
      "Ann joined the group Runners of Lyon.",
      "Marc sent an attachment.",
      "You unsent a message.",
      "Ann named the group Book Club.",
      "Ann reacted 😂 to your message",
      "Sent from my iPhone",
      "This message was deleted.",
  };
  for (const char* line : lines) {
    INFO(line);
    CHECK(run(json::object(), line).dropped == "boilerplate");
  }
  // The user's own one-line sentences of the same shape stay.
  for (const char* line : {"Paris is in France.", "Mum was at the hospital all week."}) {
    INFO(line);
    CHECK(run(json::object(), line).dropped.empty());
  }
}

TEST_CASE("drop_patterns: ICU regexes; a bad one is an option problem at its place") {
  CHECK(run({{"drop_patterns", {"(?i)^rt @"}}}, "RT @bob: news").dropped == "drop_patterns");
  CHECK(run({{"drop_patterns", {"(?i)^rt @"}}}, "art @ home").dropped.empty());
  // The option's own check, which `textkit lint` runs, so a bad pattern is found before a run.
  const auto problems =
      textkit::check_options(tk::sanitize_options(), {{"drop_patterns", {"ok", "(ab", "x{2"}}});
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].pointer == "/drop_patterns/1");
  CHECK_THAT(problems[0].message,
             Catch::Equals("\"(ab\" is not an ICU regular expression: U_REGEX_MISMATCHED_PAREN "
                           "at offset 3"));
  CHECK(problems[1].pointer == "/drop_patterns/2");
  CHECK(textkit::check_options(tk::sanitize_options(), {{"drop_patterns", "(ab"}})[0].pointer ==
        "/drop_patterns");
}

TEST_CASE("placeholders: unknown keys and values that are not strings are option problems") {
  const auto problems = textkit::check_options(
      tk::sanitize_options(), {{"placeholders", {{"url", "[link]"}, {"mail", "x"}, {"phone", 1}}}});
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].pointer == "/placeholders/mail");
  CHECK_THAT(problems[0].message, Catch::StartsWith("unknown key \"mail\""));
  CHECK(problems[1].pointer == "/placeholders/phone");
  CHECK(problems[1].message == "expected a string, got 1");
}

TEST_CASE("redaction replaces e-mail addresses, phone numbers and mentions") {
  const auto out =
      run({{"redact", true}},
          "Write to jane.doe@example.com or +44 20 7946 0958, cc @jane. https://x.org");
  CHECK(out.text == "Write to <EMAIL> or <PHONE>, cc @user. https://x.org");
  // An explicit option wins over redact; placeholders can be changed.
  CHECK(run({{"redact", true}, {"mentions", "keep"}, {"placeholders", {{"email", "[e]"}}}},
            "a@b.org @c")
            .text == "[e] @c");
  CHECK_THROWS_WITH(
      textkit::options(tk::sanitize_options(), {{"placeholders", {{"ulr", "x"}}}}, "/tmp"),
      Catch::Contains("/placeholders/ulr: unknown key \"ulr\""));
}

TEST_CASE("length in grapheme clusters and ICU words") {
  CHECK(run({{"min_chars", 3}}, "👨\u200D👩\u200D👧\u200D👦!").dropped == "min_chars");
  CHECK(run({{"max_chars", 2}}, "e\u0301e\u0301").dropped.empty());
  CHECK(run({{"min_words", 3}}, "今日はいい天気ですね").dropped.empty());
  CHECK(run({{"min_words", 3}}, "lol ok").dropped == "min_words");
  CHECK(run({{"max_words", 3}}, "one two three four").dropped == "max_words");
  // Bounds checked without counting everything, with the same answers.
  CHECK(run({{"min_chars", 2}, {"max_chars", 4}}, "ab").dropped.empty());
  CHECK(run({{"min_chars", 2}, {"max_chars", 4}}, "abcde").dropped == "max_chars");
  CHECK(run({{"min_chars", 2}, {"max_chars", 4}}, "🙂").dropped == "min_chars");
  // 日本語 の 文章 です
  CHECK(run({{"min_words", 2}, {"max_words", 4}}, "日本語の文章です").dropped.empty());
  CHECK(run({{"min_words", 2}, {"max_words", 3}}, "日本語の文章です").dropped == "max_words");
}

TEST_CASE("fits tweet") {
  CHECK(run({{"fits", "tweet"}}, std::string(280, 'a')).dropped.empty());
  CHECK(run({{"fits", "tweet"}}, std::string(281, 'a')).dropped == "fits");
  std::string cjk;
  for (int i = 0; i < 141; ++i) cjk += "語";
  CHECK(run({{"fits", "tweet"}}, cjk).dropped == "fits");
  std::string with_url(250, 'a');
  with_url += " https://example.com/" + std::string(200, 'p');
  CHECK(run({{"fits", "tweet"}}, with_url).dropped.empty());  // the URL weighs 23
}

TEST_CASE("languages with CLD2; meta.lang written") {
  const json english_only = {{"languages", {"en"}}};
  const auto en = run(english_only,
                      "The weather was lovely this morning, so we walked along the river "
                      "and had breakfast in the little cafe near the bridge.");
  CHECK(en.dropped.empty());
  CHECK(en.meta["lang"] == "en");
  const auto fr = run(english_only,
                      "Nous sommes allés au marché ce matin et nous avons acheté des "
                      "légumes frais pour le dîner de ce soir avec nos amis.");
  CHECK(fr.dropped == "languages");
  const auto ja = run({{"languages", {"ja"}}},
                      "今日はとても良い天気だったので、友達と一緒に公園を散歩しました。");
  CHECK(ja.dropped.empty());
  CHECK(ja.meta["lang"] == "ja");
  // Mixed: mostly French with an English phrase is French.
  const auto mixed = run({{"detect_language", true}},
                         "Hier soir on a regardé un film vraiment génial avec toute la famille, "
                         "the best movie ever, et on a mangé des crêpes délicieuses.");
  CHECK(mixed.meta["lang"] == "fr");
  // Too short to tell: kept by default, the platform's tag is used; dropped on request.
  CHECK(run(english_only, "ok 👍").dropped.empty());
  CHECK(run({{"languages", {"en"}}, {"unknown_language", "drop"}}, "ok 👍").dropped == "languages");
  CHECK(run(english_only, "jaja", {{"lang", "es"}}).dropped == "languages");
}

TEST_CASE("scripts filter; right-to-left text passes untouched") {
  const json latin = {{"scripts", {"Latn"}}};
  CHECK(run(latin, "Привет всем").dropped == "scripts");
  CHECK(run(latin, "Hello 東京").dropped.empty());
  CHECK(run({{"scripts", {"Jpan"}}}, "東京都").dropped.empty());
  const std::string hebrew = "שלום לכולם, מה שלומכם היום?";
  const auto out = run({{"scripts", {"Hebr"}}}, hebrew);
  CHECK(out.dropped.empty());
  CHECK(out.text == hebrew);
  CHECK(run(latin, "🙂🙂").dropped.empty());  // no letters: not the script filter's business
}

TEST_CASE("invalid UTF-8 is replaced and counted") {
  const auto config = settings_for(json::object());
  tk::worker_state worker(config->rules);
  textkit::record r{"bad \xC0\xAF bytes", json::object(), {}};
  const auto v = tk::apply_rules(r, config->rules, worker, nullptr);
  CHECK(v.invalid_utf8 == 2);
  CHECK(r.text == "bad \uFFFD\uFFFD bytes");
}

TEST_CASE("statistics: JSON in rule order and a one-line summary") {
  tk::statistics stats;
  stats.records_in = 10;
  stats.records_out = 7;
  stats.dropped[static_cast<int>(tk::rule::empty)] = 1;
  stats.dropped[static_cast<int>(tk::rule::dedup_exact)] = 2;
  stats.changed[static_cast<int>(tk::rule::urls)] = 4;
  const auto j = stats.to_json();
  CHECK(j["records_dropped"] == 3);
  CHECK(j["rules"]["dedup_exact"]["dropped"] == 2);
  CHECK(j["rules"].begin().key() == "invalid_utf8");
  CHECK(stats.summary() ==
        "kept 7 of 10 records; dropped 3: empty 1, dedup_exact 2; changed: urls 4");
}
