// The per-record text rules, one section per rule, on crafted inputs: emoji, combining marks,
// right-to-left text, Japanese, mixed scripts, broken bytes.
#include "text_rules.h"

#include <catch2/catch.hpp>

#include <string>

namespace tk = textkit::sanitize;

namespace {

std::string fixed(std::string text, bool (*rule)(std::string&)) {
  rule(text);
  return text;
}

std::string with_items(std::string text, tk::item_kind kind, tk::item_action action) {
  tk::item_policy policy;
  policy.actions[static_cast<int>(kind)] = action;
  bool changed[5] = {};
  tk::apply_items(text, policy, changed);
  return text;
}

std::string spans(std::string_view text) {
  static const char* names[] = {"url", "email", "phone", "mention", "hashtag"};
  std::string out;
  for (const auto& s : tk::find_items(text)) {
    if (!out.empty()) out += " | ";
    out += std::string(names[static_cast<int>(s.kind)]) + ":" +
           std::string(text.substr(s.begin, s.end - s.begin));
  }
  return out;
}

}  // namespace

TEST_CASE("invalid UTF-8 is replaced with U+FFFD and counted, never a crash") {
  std::string text =
      "a\xFF"
      "b\xE2\x82"
      "c\xC3";
  CHECK(tk::replace_invalid_utf8(text) == 3);
  CHECK(text == "a\uFFFDb\uFFFDc\uFFFD");
  std::string fine = "déjà vu 🙂";
  CHECK(tk::replace_invalid_utf8(fine) == 0);
  CHECK(fine == "déjà vu 🙂");
  std::string surrogate = "\xED\xA0\x80x";  // an encoded surrogate is not UTF-8
  CHECK(tk::replace_invalid_utf8(surrogate) >= 1);
  CHECK(surrogate.ends_with("x"));
}

TEST_CASE("mojibake is repaired only when the repair is certain") {
  CHECK(fixed("FranÃ§ais", tk::repair_mojibake) == "Français");
  // Windows-1252: ’ is E2 80 99, read as â € ™.
  CHECK(fixed("donâ€™t", tk::repair_mojibake) == "don’t");
  // Facebook's Latin-1 escapes: the C1 controls stand for the bytes 80..9F.
  CHECK(fixed("don\u00e2\u0080\u0099t", tk::repair_mojibake) == "don’t");
  CHECK(fixed("ðŸ˜†", tk::repair_mojibake) == "😆");
  // Real text stays: Latin-1 letters that do not spell UTF-8, or a mix with correct characters.
  CHECK(fixed("café Ã", tk::repair_mojibake) == "café Ã");
  CHECK(fixed("don’t FranÃ§ais", tk::repair_mojibake) == "don’t FranÃ§ais");
  CHECK(fixed("plain ascii", tk::repair_mojibake) == "plain ascii");
}

TEST_CASE("HTML tags are stripped and entities decoded") {
  CHECK(fixed("<p>Hi</p><p>there &amp; you</p>", tk::strip_html) == "Hi\n\nthere & you");
  CHECK(fixed("line<br>next", tk::strip_html) == "line\nnext");
  // Only entities: they are decoded and the line breaks stay.
  CHECK(fixed("a &amp; b\nc &#39;d&#39; &#x1F600;", tk::strip_html) == "a & b\nc 'd' 😀");
  CHECK(fixed("I <3 you & me", tk::strip_html) == "I <3 you & me");
  CHECK(tk::has_html_tag("<a href=\"x\">y</a>"));
  CHECK_FALSE(tk::has_html_tag("x < y and y > z"));
}

TEST_CASE("NFC and NFKC normalisation") {
  std::string decomposed = "e\u0301cole";
  CHECK(tk::normalize(decomposed, tk::normal_form::nfc));
  CHECK(decomposed == "école");
  std::string width = "ｆｕｌｌ ﬁne ①";
  CHECK_FALSE(tk::normalize(width, tk::normal_form::nfc));
  CHECK(tk::normalize(width, tk::normal_form::nfkc));
  CHECK(width == "full fine 1");
  std::string kana = "ｶﾞ";  // half-width katakana with a separate voicing mark
  tk::normalize(kana, tk::normal_form::nfkc);
  CHECK(kana == "ガ");
  std::string untouched = "e\u0301";
  CHECK_FALSE(tk::normalize(untouched, tk::normal_form::none));
}

TEST_CASE("control and zero-width characters are removed, joiners and bidi marks kept") {
  CHECK(fixed("a\u200Bb\u00ADc\uFEFFd\u2060e", tk::remove_invisible) == "abcde");
  CHECK(fixed("bell\x07 and\x1B esc\u0085", tk::remove_invisible) == "bell and esc");
  CHECK(fixed("tab\there\nline", tk::remove_invisible) == "tab\there\nline");
  const std::string family = "👨\u200D👩\u200D👧";
  CHECK(fixed(family, tk::remove_invisible) == family);
  const std::string hebrew = "שלום \u200Fworld";
  CHECK(fixed(hebrew, tk::remove_invisible) == hebrew);
  const std::string persian = "می\u200Cخواهم";  // ZWNJ belongs to the word
  CHECK(fixed(persian, tk::remove_invisible) == persian);
}

TEST_CASE("whitespace: runs collapse, lines are trimmed, blank lines capped") {
  std::string text = "  a \t b  \r\n\r\n\r\n\r\nc\u00A0\u3000d  \n";
  CHECK(tk::normalize_whitespace(text, 1));
  CHECK(text == "a b\n\nc d");
  std::string tight = "a\n\n\nb";
  tk::normalize_whitespace(tight, 0);
  CHECK(tight == "a\nb");
  std::string clean = "already\n\nclean";
  CHECK_FALSE(tk::normalize_whitespace(clean, 1));
}

TEST_CASE("URLs, e-mail addresses, mentions, hashtags and phone numbers are found") {
  CHECK(spans("see https://example.com/a?b=1. Then") == "url:https://example.com/a?b=1");
  CHECK(spans("(https://en.wikipedia.org/wiki/Foo_(bar))") ==
        "url:https://en.wikipedia.org/wiki/Foo_(bar)");
  CHECK(spans("www.example.org, and http://x.y/#frag") ==
        "url:www.example.org | url:http://x.y/#frag");
  CHECK(spans("mail bob.smith+tag@mail.example.co.uk!") ==
        "email:bob.smith+tag@mail.example.co.uk");
  CHECK(spans("hi @alice_b and @bob@mastodon.social.") ==
        "mention:@alice_b | mention:@bob@mastodon.social");
  CHECK(spans("こんにちは@tanaka さん") == "mention:@tanaka");
  CHECK(spans("thanks @lea.martin.") == "mention:@lea.martin");
  CHECK(spans("#café #東京 #1 C#sharp &#39;") == "hashtag:#café | hashtag:#東京");
  CHECK(spans("call +33 6 12 34 56 78 or (555) 123-4567") ==
        "phone:+33 6 12 34 56 78 | phone:(555) 123-4567");
  CHECK(spans("555-123-4567 and 06 12 34 56 78") == "phone:555-123-4567 | phone:06 12 34 56 78");
  // Not phone numbers: dates, years, prices, times, long ids.
  CHECK(spans("2024-01-15, 1999 2000 2001, $1,234,567, 12:30, id 12345678901234") == "");
}

TEST_CASE("each item kind is kept, dropped, replaced or (hashtags) stripped") {
  using tk::item_action;
  using tk::item_kind;
  const std::string text = "Look https://t.co/abc now";
  CHECK(with_items(text, item_kind::url, item_action::keep) == text);
  CHECK(with_items(text, item_kind::url, item_action::drop) == "Look now");
  CHECK(with_items(text, item_kind::url, item_action::replace) == "Look <URL> now");
  CHECK(with_items("so #blessed today", item_kind::hashtag, item_action::strip) ==
        "so blessed today");
  CHECK(with_items("ask @bob", item_kind::mention, item_action::replace) == "ask @user");
  CHECK(with_items("me@x.org", item_kind::email, item_action::replace) == "<EMAIL>");
  // The e-mail address is not also a mention when mentions are replaced.
  CHECK(with_items("me@x.org", item_kind::mention, item_action::replace) == "me@x.org");
}

TEST_CASE("characters are grapheme clusters") {
  tk::text_scratch scratch;
  CHECK(tk::count_graphemes("abc", scratch) == 3);
  CHECK(tk::count_graphemes("a\r\nb", scratch) == 3);
  CHECK(tk::count_graphemes("e\u0301", scratch) == 1);
  CHECK(tk::count_graphemes("👨\u200D👩\u200D👧\u200D👦", scratch) == 1);
  CHECK(tk::count_graphemes("🇫🇷🇯🇵", scratch) == 2);
  CHECK(tk::count_graphemes("👍🏽!", scratch) == 2);
  CHECK(tk::count_graphemes("日本語", scratch) == 3);
  CHECK(tk::count_graphemes("שָׁלוֹם", scratch) == 4);  // letters with niqqud
  CHECK(tk::count_graphemes("नमस्ते", scratch) == 3);  // Devanagari conjuncts (ICU 72 rules)
}

TEST_CASE("counting stops at the bound it is given") {
  tk::text_scratch scratch;
  CHECK(tk::count_graphemes("héllo wörld", scratch, 3) == 3);
  CHECK(tk::count_graphemes("héllo", scratch, 100) == 5);
  CHECK(tk::count_words("one two three four", scratch, 2) == 2);
  CHECK(tk::count_words("one two", scratch, 5) == 2);
  CHECK(tk::count_code_points("e\u0301🙂") == 3);
}

TEST_CASE("words follow ICU word breaks, Japanese included") {
  tk::text_scratch scratch;
  CHECK(tk::count_words("Hello, world!", scratch) == 2);
  CHECK(tk::count_words("don't stop 3.14 e.g.", scratch) == 4);
  CHECK(tk::count_words("   ...  !!", scratch) == 0);
  CHECK(tk::count_words("مرحبا بالعالم", scratch) == 2);
  // 今日 は いい 天気 です ね: a dictionary split, not 10 characters nor 1 run.
  const auto japanese = tk::count_words("今日はいい天気ですね", scratch);
  CHECK(japanese >= 4);
  CHECK(japanese <= 7);
  CHECK(tk::count_words("I love 東京 🙂", scratch) == 3);
}

TEST_CASE("a tweet's weighted length follows twitter-text") {
  CHECK(tk::tweet_weighted_length(std::string(280, 'a')) == 280);
  CHECK(tk::tweet_weighted_length("日本語") == 6);  // CJK weighs 2
  CHECK(tk::tweet_weighted_length("café") == 4);
  // U+2010..U+201F weigh 1, the ellipsis U+2026 weighs 2.
  CHECK(tk::tweet_weighted_length("“quotes” — dash…") == 17);
  CHECK(tk::tweet_weighted_length("see https://example.com/a/very/long/path/that/goes/on") ==
        4 + 23);
  CHECK(tk::tweet_weighted_length("👨\u200D👩\u200D👧\u200D👦") == 2);  // one emoji sequence
  CHECK(tk::tweet_weighted_length("hi 👋🏽") == 3 + 2);
  CHECK(tk::tweet_weighted_length("🇫🇷") == 2);
  CHECK(tk::tweet_weighted_length("1\uFE0F\u20E3 and 1") == 2 + 6);
  CHECK(tk::tweet_weighted_length(std::string(140 * 3, 'a').replace(0, 3, "日")) ==
        140 * 3 - 3 + 2);
}

TEST_CASE("the dominant script") {
  CHECK(tk::dominant_script("Hello there") == "Latn");
  CHECK(tk::dominant_script("こんにちは、東京") == "Jpan");
  CHECK(tk::dominant_script("東京都") == "Hani");
  CHECK(tk::dominant_script("Привет, мир! ok") == "Cyrl");
  CHECK(tk::dominant_script("שלום עולם") == "Hebr");
  CHECK(tk::dominant_script("안녕하세요 世界") == "Kore");
  CHECK(tk::dominant_script("123 !! 🙂") == "");
}
