// kanji - a Graphviz map of kanji and how they relate (write.dot).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace textkit::kanji {

struct map_node {
  std::string kanji;
  std::string reading;  ///< shown under the kanji
  std::string meaning;  ///< shown under the reading
  std::vector<std::string> components;
  std::vector<std::string> similar;  ///< looks like
  std::vector<std::string> related;  ///< means like
};

struct map_options {
  bool component_edges = true;
  bool similar_edges = true;
  bool related_edges = true;
  bool clusters = true;                ///< a box around the kanji that share a component
  std::vector<std::string> highlight;  ///< kanji the learner confuses
  std::string title;
  std::string direction = "LR";  ///< Graphviz rankdir: LR (components left of their kanji) or TB
  std::string font = "IPAGothic,Noto Sans CJK JP,sans-serif";
};

/// A DOT string literal: quoted, with " and \ escaped and line breaks as \n.
std::string dot_quoted(std::string_view text);

/// The map as a DOT graph. Edges join only kanji among `nodes`: component-of (component →
/// kanji, solid grey arrow), looks-like (red dashed, no arrow; not between a kanji and its own
/// component, which the arrow already joins) and means-like (blue dotted, no arrow), each pair
/// once. Highlighted kanji are filled yellow, and a looks-like edge between two
/// of them is drawn thick. With clusters, each kanji goes in the box of the component it shares
/// with the most others in the map (strokes such as 一 and 丨 left out).
std::string kanji_map(const std::vector<map_node>& nodes, const map_options& options);

}  // namespace textkit::kanji
