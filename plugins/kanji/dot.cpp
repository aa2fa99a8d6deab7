// kanji - DOT output.
#include "dot.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace textkit::kanji {
namespace {

// Single strokes and the like: shared by half of all kanji, so they group nothing.
bool too_common_to_cluster(std::string_view component) {
  static const std::unordered_set<std::string_view> strokes = {"一", "丨", "丶", "丿", "乙", "亅",
                                                               "二", "亠", "口", "ノ", "｜"};
  return strokes.contains(component);
}

std::string node_label(const map_node& node) {
  std::string label = node.kanji;
  if (!node.reading.empty()) label += "\n" + node.reading;
  if (!node.meaning.empty()) label += "\n" + node.meaning;
  return label;
}

}  // namespace

std::string dot_quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c != '\r') {
      out.push_back(c);
    }
  }
  out += '"';
  return out;
}

std::string kanji_map(const std::vector<map_node>& nodes, const map_options& options) {
  std::unordered_set<std::string> present;
  for (const map_node& node : nodes) present.insert(node.kanji);
  const std::unordered_set<std::string> highlighted(options.highlight.begin(),
                                                    options.highlight.end());

  std::string out = "digraph kanji_map {\n";
  out += "  graph [layout=dot, rankdir=" + options.direction +
         ", nodesep=0.35, ranksep=0.6, fontname=" + dot_quoted(options.font) +
         ", fontsize=14, labelloc=t";
  std::string caption = options.title.empty() ? std::string() : options.title + "\n";
  caption += "→ component of    - - looks like    ··· means like";
  out += ", label=" + dot_quoted(caption) + "];\n";
  out +=
      "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f7f7f7\", color=\"#555555\", "
      "fontname=" +
      dot_quoted(options.font) + ", fontsize=12];\n";
  out += "  edge [fontname=" + dot_quoted(options.font) + ", fontsize=10];\n";

  // Clusters: each kanji in the box of its most shared component.
  std::map<std::string, std::size_t> sharing;  // component → kanji of the map drawn with it
  for (const map_node& node : nodes) {
    for (const std::string& c : node.components) {
      if (!too_common_to_cluster(c)) ++sharing[c];
    }
  }
  std::map<std::string, std::vector<const map_node*>> boxes;
  std::vector<const map_node*> loose;
  // A component that is itself a kanji of the map makes the clearest box (木: 本 末 未 林), the
  // most specific such (青 rather than 土 for 晴 清 精); otherwise the most shared component.
  const auto weight = [&](const std::string& c) {
    return present.contains(c) ? 2 * nodes.size() - sharing[c] : sharing[c];
  };
  std::vector<const map_node*> unboxed;
  for (const map_node& node : nodes) {
    const std::string* best = nullptr;
    for (const std::string& c : node.components) {
      const auto found = sharing.find(c);
      if (found == sharing.end() || found->second < 2) continue;
      if (best == nullptr || weight(c) > weight(*best)) best = &c;
    }
    if (best != nullptr) {
      boxes[*best].push_back(&node);
    } else {
      unboxed.push_back(&node);
    }
  }
  // The kanji a box is named after goes in it, leaving any other box.
  for (auto& box : boxes) {
    // Not a structured binding: clang before 16 cannot capture one in a lambda.
    const auto& component = box.first;
    std::erase_if(box.second, [&](const map_node* node) {
      const auto own = boxes.find(node->kanji);
      return own != boxes.end() && own->first != component && own->second.size() >= 2;
    });
  }
  for (const map_node& node : nodes) {
    const auto own = boxes.find(node.kanji);
    if (own == boxes.end() || own->second.size() < 2) continue;
    std::erase(unboxed, &node);
    own->second.insert(own->second.begin(), &node);
  }
  loose.insert(loose.end(), unboxed.begin(), unboxed.end());
  const auto write_node = [&](const map_node& node, std::string_view indent) {
    out += std::string(indent) + dot_quoted(node.kanji) + " [label=" + dot_quoted(node_label(node));
    if (highlighted.contains(node.kanji)) {
      out += ", fillcolor=\"#ffd966\", color=\"#b45f06\", penwidth=2.5";
    }
    out += "];\n";
  };
  std::size_t cluster = 0;
  for (const auto& [component, members] : boxes) {
    if (!options.clusters || members.size() < 2) {
      loose.insert(loose.end(), members.begin(), members.end());
      continue;
    }
    out += "  subgraph cluster_" + std::to_string(cluster++) + " {\n";
    out += "    label=" + dot_quoted(component) +
           "; style=\"rounded,dashed\"; color=\"#999999\"; fontcolor=\"#666666\";\n";
    for (const map_node* node : members) write_node(*node, "    ");
    out += "  }\n";
  }
  for (const map_node* node : loose) write_node(*node, "  ");

  std::set<std::pair<std::string, std::string>> drawn;  // undirected pairs already drawn
  const auto once = [&](const std::string& a, const std::string& b, std::string_view kind) {
    auto key = a < b ? std::make_pair(a, b) : std::make_pair(b, a);
    key.first = std::string(kind) + ":" + key.first;
    return drawn.insert(key).second;
  };
  std::unordered_map<std::string, std::unordered_set<std::string>> parts;  // kanji → components
  for (const map_node& node : nodes) {
    parts[node.kanji].insert(node.components.begin(), node.components.end());
  }
  // c → k is implied when k has another component m of the map that c is part of (土 → 青 → 晴).
  const auto implied = [&](const map_node& node, const std::string& c) {
    return std::any_of(node.components.begin(), node.components.end(), [&](const std::string& m) {
      return m != c && m != node.kanji && present.contains(m) && parts[m].contains(c);
    });
  };
  for (const map_node& node : nodes) {
    if (options.component_edges) {
      for (const std::string& c : node.components) {
        if (!present.contains(c) || c == node.kanji || implied(node, c)) continue;
        out += "  " + dot_quoted(c) + " -> " + dot_quoted(node.kanji) +
               " [color=\"#666666\", arrowsize=0.7];\n";
      }
    }
    if (options.similar_edges) {
      for (const std::string& s : node.similar) {
        if (!present.contains(s) || s == node.kanji) continue;
        // A kanji looks like its own components (木 本): the component arrow says so already.
        if (parts[node.kanji].contains(s) || parts[s].contains(node.kanji)) continue;
        if (!once(node.kanji, s, "looks")) continue;
        const bool confused = highlighted.contains(s) && highlighted.contains(node.kanji);
        out += "  " + dot_quoted(node.kanji) + " -> " + dot_quoted(s) +
               " [dir=none, style=dashed, color=\"#d62728\", constraint=false" +
               (confused ? ", penwidth=3.5" : ", penwidth=1.5") + "];\n";
      }
    }
    if (options.related_edges) {
      for (const std::string& r : node.related) {
        if (!present.contains(r) || r == node.kanji || !once(node.kanji, r, "means")) continue;
        out += "  " + dot_quoted(node.kanji) + " -> " + dot_quoted(r) +
               " [dir=none, style=dotted, color=\"#1f77b4\", penwidth=1.8, constraint=false];\n";
      }
    }
  }
  out += "}\n";
  return out;
}

}  // namespace textkit::kanji
