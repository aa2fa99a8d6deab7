#include "textkit_common/html_text.h"

#include <catch2/catch.hpp>

using textkit::common::decode_entities;
using textkit::common::html_escaped;
using textkit::common::html_to_text;
using textkit::common::looks_like_html;

TEST_CASE("paragraphs become blank lines, <br> a line break", "[html]") {
  CHECK(html_to_text("<p>One.</p><p>Two.</p>") == "One.\n\nTwo.");
  CHECK(html_to_text("<p>a<br>b</p>") == "a\nb");
  CHECK(html_to_text("a<br><br>b") == "a\n\nb");
  CHECK(html_to_text("<div><p>nested</p></div><div>x</div>") == "nested\n\nx");
  CHECK(html_to_text("<ul><li>one</li><li>two</li></ul>after") == "one\ntwo\n\nafter");
}

TEST_CASE("whitespace collapses except in pre", "[html]") {
  CHECK(html_to_text("  <p>a \n  b</p>  ") == "a b");
  CHECK(html_to_text("<pre>x  y\n  z</pre>") == "x  y\n  z");
  CHECK(html_to_text("<b>bold</b> and <i>it</i>") == "bold and it");
}

TEST_CASE("entities decode, comments and scripts go", "[html]") {
  CHECK(html_to_text("Fish &amp; chips &eacute; &#x1F600; &#39;") == "Fish & chips é 😀 '");
  CHECK(html_to_text("<!-- wp:paragraph -->\n<p>Hi</p>\n<!-- /wp:paragraph -->") == "Hi");
  CHECK(html_to_text("<script>var x = 1;</script><style>p{}</style>text") == "text");
}

TEST_CASE("link addresses on request", "[html]") {
  const std::string html = "<a href=\"https://example.org\">site</a>";
  CHECK(html_to_text(html) == "site");
  textkit::common::html_text_options options;
  options.keep_link_urls = true;
  CHECK(html_to_text(html, options) == "site (https://example.org)");
}

TEST_CASE("malformed HTML is survived", "[html]") {
  CHECK(html_to_text("<p>unclosed <b>bold") == "unclosed bold");
  CHECK(html_to_text("</p></div>x<") == "x<");
  CHECK(html_to_text("") == "");
}

TEST_CASE("decode_entities keeps everything else", "[html]") {
  CHECK(decode_entities("a &amp; b &lt;3 &gt; c") == "a & b <3 > c");
  CHECK(decode_entities("<not a tag>\n  spaces") == "<not a tag>\n  spaces");
  CHECK(decode_entities("\nleading newline &amp;") == "\nleading newline &");
  CHECK(decode_entities("no refs") == "no refs");
  CHECK(decode_entities("AT&T") == "AT&T");
}

TEST_CASE("looks_like_html", "[html]") {
  CHECK(looks_like_html("<p>x</p>"));
  CHECK(looks_like_html("a<br/>b"));
  CHECK(looks_like_html("a &amp; b"));
  CHECK_FALSE(looks_like_html("a < b and c > d"));
  CHECK_FALSE(looks_like_html("Tom & Jerry"));
  CHECK_FALSE(looks_like_html("plain"));
}

TEST_CASE("escaping for HTML round-trips through the entity decoder", "[html]") {
  CHECK(html_escaped("a < b && \"c\" > d") == "a &lt; b &amp;&amp; &quot;c&quot; &gt; d");
  CHECK(html_escaped("漢字, no markup") == "漢字, no markup");
  CHECK(html_escaped("") == "");
  const std::string tricky = "<p class=\"x\">&amp; 'q' &#39;</p>";
  CHECK(decode_entities(html_escaped(tricky)) == tricky);
}
