// kanji - the `write.dot` sink: a Graphviz map of the kanji records from kanji.info.
#include "dot.h"
#include "option_helpers.h"
#include "text.h"
#include "textkit/io.h"
#include "textkit/plugin.h"

namespace textkit::kanji {
namespace {

std::vector<std::string> strings_of(const json& meta, std::string_view key) {
  std::vector<std::string> out;
  const auto found = meta.find(key);
  if (found == meta.end() || !found->is_array()) return out;
  for (const json& item : *found) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

std::string first_of(const json& meta, std::string_view key) {
  const std::vector<std::string> all = strings_of(meta, key);
  return all.empty() ? std::string() : all.front();
}

// The first meaning that says something alone: KANJIDIC2 lists prefixes such as "un-" first.
std::string telling_meaning(const std::vector<std::string>& meanings) {
  for (const std::string& m : meanings) {
    if (!m.ends_with("-") && !m.starts_with("-")) return m;
  }
  return meanings.empty() ? std::string() : meanings.front();
}

// Short enough for a node: the first meaning, cut at a word boundary near 18 bytes.
std::string short_meaning(std::string meaning) {
  constexpr std::size_t limit = 18;
  if (meaning.size() <= limit) return meaning;
  const std::size_t space = meaning.rfind(' ', limit);
  meaning.resize(space == std::string::npos || space == 0 ? limit : space);
  return meaning + "…";
}

class write_dot final : public sink {
 public:
  write_dot(const std::string& path, map_options options)
      : out_(path), options_(std::move(options)) {}

  void write(const record& in, context& ctx) override {
    if (in.meta.value("kind", "") != "kanji") {
      ctx.warn(
          "records that are not kanji (meta.kind \"kanji\", from kanji.info) "
          "are left out of the map");
      return;
    }
    map_node node;
    node.kanji = in.text;
    std::string reading = first_of(in.meta, "on");
    const std::string kun = first_of(in.meta, "kun");
    if (!kun.empty()) reading += reading.empty() ? kun : "・" + kun;
    node.reading = reading;
    node.meaning = short_meaning(telling_meaning(strings_of(in.meta, "meanings")));
    node.components = strings_of(in.meta, "components");
    node.similar = strings_of(in.meta, "similar");
    node.related = strings_of(in.meta, "related");
    nodes_.push_back(std::move(node));
  }

  void commit(context& /*ctx*/) override {
    out_.write(kanji_map(nodes_, options_));
    out_.commit();
  }

 private:
  atomic_output out_;
  map_options options_;
  std::vector<map_node> nodes_;
};

result<std::unique_ptr<step>> create(const step_config& config) {
  const options& opts = config.opts;
  map_options options;
  for (const std::string& item : opts.get_strings("highlight")) {
    if (find_invalid_utf8(item) != std::string::npos) {
      return error("highlight: not valid UTF-8");
    }
    for (const char32_t c : furigana::to_code_points(item)) {
      if (furigana::is_kanji(c))
        options.highlight.push_back(furigana::to_utf8(std::u32string(1, c)));
    }
  }
  const std::vector<std::string> edges = opts.get_strings("edges");
  const auto wants = [&](std::string_view kind) {
    return std::find(edges.begin(), edges.end(), kind) != edges.end();
  };
  options.component_edges = wants("components");
  options.similar_edges = wants("similar");
  options.related_edges = wants("related");
  options.clusters = opts.get_bool("clusters");
  options.title = opts.get_string("title");
  options.font = opts.get_string("font");
  options.direction = opts.get_string("direction");
  try {
    return std::unique_ptr<step>(
        std::make_unique<write_dot>(opts.get_path("path"), std::move(options)));
  } catch (const error& failure) {
    return failure;
  }
}

const plugin_descriptor& describe() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "write.dot";
    d.version = "1.0.0";
    d.summary = "A Graphviz map of kanji: components, look-alikes and kanji of related meaning";
    d.kind = step_kind::sink;
    d.consumes =
        "kanji records from kanji.info (meta kind \"kanji\", on, kun, meanings, components, "
        "similar, related); other records are left out";
    d.produces = "a DOT file (render with dot -Tsvg), written whole or not at all";
    d.options = {
        required(option("path", option_type::output_path, nullptr,
                        "The .dot file to write, or - for standard output.")),
        option("highlight", option_type::string_list, json::array(),
               "Kanji the learner confuses (\"未末\" or [\"未\", \"末\"]): filled in yellow; "
               "look-alike edges between two of them drawn thick."),
        with_allowed(option("edges", option_type::string_list,
                            json::array({"components", "similar", "related"}),
                            "Which relations to draw: components (component → kanji, grey "
                            "arrows), similar (looks like, red dashed), related (means like, "
                            "blue dotted). Only between kanji of the map."),
                     {"components", "similar", "related"}),
        option("clusters", option_type::boolean, true,
               "Box the kanji that share a component (each kanji in the box of the component it "
               "shares with the most others)."),
        option("title", option_type::string, "", "A title above the map."),
        with_allowed(option("direction", option_type::string, "LR",
                            "LR: components left of the kanji drawn with them, boxes stacked "
                            "down the page (reads well on a screen); TB: top to bottom, boxes "
                            "side by side."),
                     {"LR", "TB"}),
        option("font", option_type::string, "IPAGothic,Noto Sans CJK JP,sans-serif",
               "Font families for the labels (a Japanese font: Debian fonts-ipafont-gothic or "
               "fonts-noto-cjk)."),
    };
    d.create = create;
    return d;
  }();
  return descriptor;
}

}  // namespace
}  // namespace textkit::kanji

TEXTKIT_PLUGIN(write_dot, textkit::kanji::describe)
