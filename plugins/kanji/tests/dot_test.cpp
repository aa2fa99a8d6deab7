// The kanji map's DOT text (ctest kanji.dot_renders also runs Graphviz on a pipeline's output).
#include <catch2/catch.hpp>

#include "dot.h"

using namespace textkit::kanji;

namespace {

std::vector<map_node> sample() {
  return {
      {"未", "ミ", "not yet", {"木", "二"}, {"末"}, {}},
      {"末", "マツ", "end", {"木", "一"}, {"未"}, {}},
      {"木", "ボク・き", "tree", {}, {}, {"林"}},
      {"林", "リン・はやし", "grove", {"木"}, {}, {"木"}},
  };
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("DOT strings escape quotes, backslashes and line breaks") {
  CHECK(dot_quoted("a\"b\\c\nd") == "\"a\\\"b\\\\c\\nd\"");
}

TEST_CASE("each relation has its own style, each pair is drawn once") {
  const std::string dot = kanji_map(sample(), map_options{});
  CHECK(count(dot, "\"木\" -> \"未\" [color=") == 1);         // component of
  CHECK(count(dot, "style=dashed, color=\"#d62728\"") == 1);  // 未 末 once, not twice
  CHECK(count(dot, "style=dotted, color=\"#1f77b4\"") == 1);  // 木 林 once
  CHECK(dot.find("\"二\"") == std::string::npos);  // not a node of the map: no edge to it
}

TEST_CASE("highlighted kanji are filled, and their look-alike edge is thick") {
  map_options options;
  options.highlight = {"未", "末"};
  const std::string dot = kanji_map(sample(), options);
  CHECK(count(dot, "fillcolor=\"#ffd966\"") == 2);
  CHECK(count(dot, "penwidth=3.5") == 1);
}

TEST_CASE("kanji sharing a component are boxed under it") {
  const std::string dot = kanji_map(sample(), map_options{});
  CHECK(count(dot, "subgraph cluster_") == 1);
  CHECK(dot.find("label=\"木\"; style=\"rounded,dashed\"") != std::string::npos);
  map_options flat;
  flat.clusters = false;
  CHECK(count(kanji_map(sample(), flat), "subgraph cluster_") == 0);
}
