// The fast path of html_to_text and decode_entities against gumbo: whenever the scan answers, its
// answer must be gumbo's, byte for byte.
#include "html_text_paths.h"

#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace paths = textkit::common::html_paths;
using textkit::common::html_text_options;

namespace {

std::vector<html_text_options> all_options() {
  std::vector<html_text_options> all;
  for (int bits = 0; bits < 8; ++bits) {
    html_text_options options;
    options.keep_link_urls = (bits & 1) != 0;
    options.list_bullets = (bits & 2) != 0;
    options.image_alt = (bits & 4) != 0;
    all.push_back(options);
  }
  return all;
}

// Compares both paths on `html` with every option set; returns whether the scan answered with the
// default options.
bool check_html(std::string_view html) {
  bool answered = false;
  for (const html_text_options& options : all_options()) {
    const auto fast = paths::html_to_text_fast(html, options);
    if (!fast) continue;
    INFO("html: " << html << " | options " << options.keep_link_urls << options.list_bullets
                  << options.image_alt);
    CHECK(*fast == paths::html_to_text_full(html, options));
    if (!options.keep_link_urls && !options.list_bullets && !options.image_alt) answered = true;
  }
  return answered;
}

bool check_entities(std::string_view text) {
  const auto fast = paths::decode_entities_fast(text);
  if (!fast) return false;
  INFO("text: " << text);
  CHECK(*fast == paths::decode_entities_full(text));
  return true;
}

}  // namespace

TEST_CASE("the fast path answers common fragments as gumbo does", "[html][fast]") {
  const std::vector<std::string> accepted = {
      "plain text",
      "  leading and trailing  ",
      "tabs\tand\nnewlines\r\nand\rreturns\f feeds",
      "<b>bold</b> and <i>it</i>",
      "<B>upper</B> <Strong>mixed</Strong>",
      "<p>One.</p><p>Two.</p>",
      "<p>one<p>two<p>three",
      "text before<p>para</p>after",
      "a<br>b",
      "a<br/>b<br />c",
      "a<br><br>b",
      "a<br> <br>b",
      "a<br>\n<br>\n<br>b",
      "<p>x<br></p><p><br>y</p>",
      "<a href=\"https://example.org/?a=1&b=2\">site</a>",
      "<a href='x' title=\"a > b\">quoted &gt;</a>",
      "<a href=https://example.org/path>unquoted</a>",
      "<a\nhref=\"x\"\n>newline in tag</a>",
      "<span class=\"x\" data-y = 'z' hidden>attrs</span>",
      "<img src=\"x.png\" alt=\"a picture\">after",
      "<img src=x.png alt=pic/>after",
      "<b><i><u>deep</u></i></b>",
      "<b>unclosed",
      "<p><b>x</b> <em>y</em></p>",
      "Fish &amp; chips &lt;3 &gt; &quot;q&quot; &apos;s&apos;",
      "&nbsp;nbsp&nbsp;",
      "&hellip; &mdash; &ndash; &lsquo;&rsquo; &ldquo;&rdquo; &copy; &reg; &trade; &euro;",
      "&#39; &#x27; &#X41; &#128512; &#x1F600; &#0039; &#32;x",
      "AT&T and a & b and &&",
      "https://example.com/a?b=1&c=2&d",
      "trailing &",
      "&#x41;&#65;",
      "a < b and c > d",
      "<3 and <-- and < 3 and x<",
      "<",
      "a<\u00e9",
      "caf\u00e9 na\u00efve \u65e5\u672c\u8a9e \U0001F600 \u05e9\u05dc\u05d5\u05dd",
      "<b>caf\u00e9</b> \u00a0nbsp char",
      "<span><span><span>x</span></span></span>",
      "<code>x = 1;</code> <kbd>Ctrl</kbd> <q>quoted</q> <s>old</s>",
      "<small>s</small><sub>2</sub><sup>3</sup><mark>m</mark><abbr>ab</abbr><cite>c</cite>",
      "<del>d</del><ins>i</ins>",
      "",
      "   ",
      "<p></p>",
      "<p> </p>text",
  };
  for (const std::string& html : accepted) {
    INFO("html: " << html);
    CHECK(check_html(html));
  }
}

TEST_CASE("the fast path leaves to gumbo what it is not sure of", "[html][fast]") {
  const std::vector<std::string> refused = {
      "<!-- comment -->x",
      "<!DOCTYPE html>x",
      "<?xml version=\"1.0\"?>x",
      "<script>var x = '<b>';</script>x",
      "<style>p{}</style>x",
      "<div>block</div>",
      "<table><tr><td>x</td></tr></table>",
      "<ul><li>x</li></ul>",
      "<pre>  x</pre>",
      "<b><i>misnested</b></i>",
      "<b><p>p in b</p></b>",
      "x</p>",
      "</b>stray",
      "</>x",
      "</ x>",
      "<b/>self-closed b",
      "</br>",
      "<a href=x><a href=y>nested</a></a>",
      "<span class=\"unterminated>x</span>",
      "<span class=\"a\"b>x</span>",
      "<span a=b\"c>x</span>",
      "<span =x>y</span>",
      "<span",
      "<b x",
      "<b-x>y</b-x>",
      "<unknown>x</unknown>",
      "&notin; &frac12;",
      "&copy 2019",
      "&ampx",
      "&AMP;",
      "&unknown;",
      "&#0;",
      "&#x80;",
      "&#xD800;",
      "&#x110000;",
      "&#39",
      "&#;",
      "&#x;",
      "&#123456789;",
      "&#10;",
      "&#xFFFE;",
      std::string("nul\0byte", 8),
      "bell\a",
      "del\x7F",
      "c1 \xC2\x85",
      "bad \xFF utf-8",
      "truncated \xE6\x97",
      "overlong \xC0\xAF",
      "surrogate \xED\xA0\x80",
      "nonchar \xEF\xB7\x90",
      "nonchar \xEF\xBF\xBE",
  };
  for (const std::string& html : refused) {
    INFO("html: " << html);
    CHECK_FALSE(paths::html_to_text_fast(html, {}));
  }
  html_text_options links;
  links.keep_link_urls = true;
  CHECK_FALSE(paths::html_to_text_fast("<a href=\"https://x.org\">x</a>", links));
  html_text_options alt;
  alt.image_alt = true;
  CHECK_FALSE(paths::html_to_text_fast("<img alt=\"x\">", alt));
}

TEST_CASE("decode_entities' fast path answers as gumbo does", "[html][fast]") {
  const std::vector<std::string> accepted = {
      "a &amp; b &lt;3 &gt; c",
      "<not a tag>\n  spaces",
      "\nleading newline &amp;",
      "AT&T",
      "https://example.com/a?b=1&c=2",
      "&#39;&#x1F600;&hellip;",
      "<pre>&amp;</pre> </pre>",
      "&<&>&",
      "tab\there &amp;\f",
  };
  for (const std::string& text : accepted) {
    INFO("text: " << text);
    CHECK(check_entities(text));
  }
  const std::vector<std::string> refused = {"cr\r\n&amp;", "&copy 2019", "&#x80;", "nul\x01&amp;",
                                            "&unknown;"};
  for (const std::string& text : refused) {
    INFO("text: " << text);
    CHECK_FALSE(paths::decode_entities_fast(text));
  }
}

namespace {

// Random fragments from pieces that sit on both sides of every rule of the scan.
class fragment_maker {
 public:
  explicit fragment_maker(std::uint32_t seed) : random_(seed) {}

  std::string make() {
    std::string out;
    const std::size_t pieces = pick(12);
    for (std::size_t i = 0; i < pieces; ++i) out += piece();
    return out;
  }

 private:
  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_);
  }

  template <std::size_t N>
  std::string_view one_of(const std::array<std::string_view, N>& items) {
    return items[pick(N)];
  }

  std::string piece() {
    static constexpr std::array<std::string_view, 24> kText = {
        "word",      "two words",    " ",          "  ",     "\n",  "\t",    "\r\n", "\r", "\f",
        "caf\u00e9", "\u65e5\u672c", "\U0001F600", "\u00a0", "a=b", "\"q\"", "'s'",  ">",  "/",
        "=",         "x1",           "AT",         "T",      ";",   "#"};
    static constexpr std::array<std::string_view, 30> kReferences = {
        "&amp;", "&lt;",     "&gt;",  "&quot;",  "&apos;",    "&nbsp;",     "&hellip;", "&copy;",
        "&copy", "&amp",     "&ampx", "&notin;", "&not",      "&AMP;",      "&Amp;",    "&foo;",
        "&foo",  "&",        "&#39;", "&#x27;",  "&#X1f600;", "&#0;",       "&#x80;",   "&#10;",
        "&#13;", "&#xD800;", "&#39",  "&#",      "&#x",       "&#99999999;"};
    static constexpr std::array<std::string_view, 22> kTagNames = {
        "b", "i", "em", "strong", "a",   "span", "br",  "p",      "img",   "u",  "code",
        "q", "B", "Br", "P",      "div", "li",   "pre", "script", "table", "td", "font"};
    static constexpr std::array<std::string_view, 16> kAttributes = {
        "",
        " ",
        " href=\"https://x.org/?a=1&b=2\"",
        " href='x'",
        " href=x",
        " title=\"a > b\"",
        " hidden",
        " a = \"b\"",
        " a=\"b\"c",
        " a=b\"c",
        " =x",
        " a=\"unterminated",
        "\nclass=\"c\"\n",
        " alt=\"pic\"",
        " alt=",
        " x='y'/"};
    static constexpr std::array<std::string_view, 14> kOddMarkup = {
        "<",    "< ",    "<3",    "</", "</>",   "<!-- c -->", "<!--",
        "<!x>", "<?x?>", "</ b>", "<b", "<b-x>", "</br>",      "<a<b>"};
    static constexpr std::array<std::string_view, 8> kOddBytes = {std::string_view("\0", 1),
                                                                  "\x01",
                                                                  "\x7F",
                                                                  "\xC2\x85",
                                                                  "\xFF",
                                                                  "\xE6\x97",
                                                                  "\xED\xA0\x80",
                                                                  "\xEF\xBF\xBF"};
    switch (pick(20)) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4:
      case 5:
        return std::string(one_of(kText));
      case 6:
      case 7:
      case 8:
        return std::string(one_of(kReferences));
      case 9:
      case 10:
      case 11:
      case 12:
      case 13:
        return "<" + std::string(one_of(kTagNames)) +
               std::string(pick(4) == 0 ? one_of(kAttributes) : "") + (pick(10) == 0 ? "/>" : ">");
      case 14:
      case 15:
      case 16:
      case 17:
        return "</" + std::string(one_of(kTagNames)) + (pick(10) == 0 ? " >" : ">");
      case 18:
        return std::string(one_of(kOddMarkup));
      default:
        return pick(4) == 0 ? std::string(one_of(kOddBytes)) : std::string(one_of(kText));
    }
  }

  std::mt19937 random_;
};

}  // namespace

TEST_CASE("random fragments: the fast path agrees with gumbo whenever it answers", "[html][fast]") {
  fragment_maker maker(20261126);
  std::size_t html_answered = 0;
  std::size_t entities_answered = 0;
  constexpr std::size_t kFragments = 20000;
  for (std::size_t i = 0; i < kFragments; ++i) {
    const std::string fragment = maker.make();
    if (check_html(fragment)) ++html_answered;
    if (check_entities(fragment)) ++entities_answered;
  }
  // Both sides of the comparison must be exercised: the scan answers for many fragments and
  // refuses many others.
  CHECK(html_answered > kFragments / 10);
  CHECK(html_answered < kFragments * 9 / 10);
  CHECK(entities_answered > kFragments / 10);
  CHECK(entities_answered < kFragments * 9 / 10);
}
