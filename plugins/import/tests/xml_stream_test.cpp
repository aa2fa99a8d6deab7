#include "xml_stream.h"

#include <catch2/catch.hpp>

#include "test_support.h"
#include "textkit/error.h"

using namespace textkit::import;
using textkit::import::testing::string_stream;

TEST_CASE("elements are cut out whatever CDATA and comments hold", "[xml]") {
  string_stream in(R"(<?xml version="1.0"?>
<rss><channel><title>Site</title>
<!-- <item> in a comment -->
<item><title><![CDATA[One </item> <item>]]></title></item>
<item a="x>y"><title>Two</title></item>
</channel></rss>)");
  xml_splitter split(in, "item", "wxr.xml");
  xml_piece piece;
  REQUIRE(split.next(piece));
  CHECK(piece.line == 4);
  pugi::xml_document doc;
  parse_xml_piece(doc, piece, "wxr.xml");
  CHECK(child_text(doc.child("item"), "title") == "One </item> <item>");
  REQUIRE(split.next(piece));
  CHECK(piece.text == R"(<item a="x>y"><title>Two</title></item>)");
  CHECK_FALSE(split.next(piece));
  CHECK(split.prologue().find("<title>Site</title>") != std::string::npos);
}

TEST_CASE("a truncated document is an error with its place", "[xml]") {
  string_stream in("<rss>\n<item><title>x</title>\n<description>cut");
  xml_splitter split(in, "item", "wxr.xml");
  xml_piece piece;
  CHECK_THROWS_WITH(split.next(piece), Catch::Contains("ends inside a <item> element"));
}

TEST_CASE("an undefined entity is a clear error", "[xml]") {
  xml_piece piece{"<item>\n<title>caf&eacute; &amp; &#233; &#xE9;</title></item>", 10};
  pugi::xml_document doc;
  try {
    parse_xml_piece(doc, piece, "wxr.xml");
    FAIL("accepted");
  } catch (const textkit::error& failure) {
    CHECK(failure.where().line == 11);
    CHECK(failure.where().column == 11);
    CHECK(failure.message() == "bad XML: the undefined entity &eacute;");
  }
  xml_piece fine{"<item><title><![CDATA[&nbsp; is fine here]]> &amp;</title></item>", 1};
  parse_xml_piece(doc, fine, "wxr.xml");
}

TEST_CASE("invalid UTF-8 and broken tags are errors", "[xml]") {
  pugi::xml_document doc;
  CHECK_THROWS_WITH(parse_xml_piece(doc, xml_piece{"<item>\xC3\x28</item>", 1}, "w.xml"),
                    Catch::Contains("invalid UTF-8"));
  CHECK_THROWS_WITH(parse_xml_piece(doc, xml_piece{"<item><a></b></item>", 1}, "w.xml"),
                    Catch::Contains("bad XML"));
}

TEST_CASE("deep nesting and markup bombs in one element are refused with their place",
          "[xml][limits]") {
  pugi::xml_document doc;
  const auto nested = [](int depth) {
    std::string text = "<item>\n";
    for (int i = 1; i < depth; ++i) text += "<a x='1'>";
    for (int i = 1; i < depth; ++i) text += "</a>";
    return text + "</item>";
  };
  // The <item> itself is level 1: xml_max_depth levels pass, one more is refused.
  parse_xml_piece(doc, xml_piece{nested(xml_max_depth), 1}, "w.xml");
  try {
    parse_xml_piece(doc, xml_piece{nested(xml_max_depth + 1), 5}, "w.xml");
    FAIL("accepted");
  } catch (const textkit::error& failure) {
    CHECK(failure.where().line == 6);
    CHECK(failure.where().column == 1 + 9 * static_cast<std::uint64_t>(xml_max_depth - 1));
    CHECK(failure.message() == "refused: elements nested more than 256 deep");
  }

  // Millions of empty elements: 4 bytes of text each, a pugixml node of 64 bytes each.
  std::string flat = "<item>";
  for (std::size_t i = 0; i < xml_max_nodes; ++i) flat += "<a/>";
  flat += "</item>";
  CHECK_THROWS_WITH(
      parse_xml_piece(doc, xml_piece{flat, 1}, "w.xml"),
      Catch::EndsWith(": refused: more than 1048576 elements and attributes in one element"));
  // Attributes count too; '=' and '>' inside quoted values or CDATA do not.
  std::string attributes = "<item><a";
  for (std::size_t i = 0; i < xml_max_nodes; ++i) attributes += " b" + std::to_string(i) + "=''";
  attributes += "/></item>";
  CHECK_THROWS_WITH(parse_xml_piece(doc, xml_piece{attributes, 1}, "w.xml"),
                    Catch::Contains("more than 1048576 elements and attributes"));
  parse_xml_piece(
      doc, xml_piece{"<item><a href='x?a=1&amp;b=2>'>t</a><![CDATA[<b><b><b> a=b]]></item>", 1},
      "w.xml");
  CHECK(std::string(doc.child("item").child("a").attribute("href").value()) == "x?a=1&b=2>");
}
