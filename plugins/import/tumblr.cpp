// import.tumblr - Tumblr posts as Tumblr's API returns them and backup tools save them: API v2
// JSON (a /posts response, or one post per file as tumblr_backup's json/<id>.json; legacy post
// types and NPF content blocks), API v1 XML (<tumblr><posts><post type=...>) and its JSON
// flavour (var tumblr_api_read = {...}), and the official blog export's one-HTML-file-per-post.
// A reblog's own added text (reblog.comment, the trail item marked is_current_item, NPF content)
// is told from the reblogged words, so "keep reblogs where I added text" works.
#include "import_common.h"
#include "textkit_common/html_text.h"
#include "timestamps.h"
#include "xml_stream.h"

namespace textkit::import {
namespace {

enum class reblog_mode { exclude, include, own_comment_only };

std::string html_text(std::string_view html) { return common::html_to_text(html); }

void add_paragraph(std::string& text, const std::string& piece) {
  if (piece.empty()) return;
  if (!text.empty()) text.append("\n\n");
  text.append(piece);
}

// NPF: text blocks in order; list items and chat lines one to a line, the rest paragraphs.
std::string npf_text(const json& content) {
  std::string text;
  std::string_view previous_subtype;
  for (const json& block : content) {
    const std::string_view type = string_at(block, "type");
    std::string piece;
    if (type == "text") {
      piece = string_at(block, "text");
    } else if (type == "link") {
      piece = string_at(block, "title");
      add_paragraph(piece, std::string(string_at(block, "description")));
    } else {
      continue;  // images, video, audio, polls: no words of their own
    }
    const std::string_view subtype = string_at(block, "subtype");
    const bool line_item =
        subtype == "ordered-list-item" || subtype == "unordered-list-item" || subtype == "chat";
    if (line_item && previous_subtype == subtype && !text.empty()) {
      text.append("\n").append(piece);
    } else {
      add_paragraph(text, piece);
    }
    previous_subtype = subtype;
  }
  return text;
}

// The words of a legacy (non-NPF) API v2 post, by type.
std::string legacy_v2_text(const json& post) {
  const std::string_view type = string_at(post, "type");
  std::string text;
  if (type == "text") {
    add_paragraph(text, html_text(string_at(post, "body")));
  } else if (type == "quote") {
    add_paragraph(text, html_text(string_at(post, "text")));
    const std::string source = html_text(string_at(post, "source"));
    if (!source.empty()) add_paragraph(text, "— " + source);
  } else if (type == "link") {
    add_paragraph(text, html_text(string_at(post, "description")));
    if (text.empty()) text = string_at(post, "title");
  } else if (type == "answer") {
    add_paragraph(text, html_text(string_at(post, "question")));
    add_paragraph(text, html_text(string_at(post, "answer")));
  } else if (type == "chat") {
    for (const json& line : member(post, "dialogue")) {
      if (!text.empty()) text.push_back('\n');
      std::string label(string_at(line, "label"));
      if (label.empty() && !string_at(line, "name").empty()) {
        label = std::string(string_at(line, "name")) + ":";
      }
      text.append(label.empty() ? "" : label + " ").append(string_at(line, "phrase"));
    }
    if (text.empty()) text = string_at(post, "body");
  } else {
    add_paragraph(text, html_text(string_at(post, "caption")));
  }
  return text;
}

class tumblr_importer final : public importer {
 public:
  explicit tumblr_importer(const step_config& config)
      : importer("import.tumblr", common_settings(config)) {
    const std::string mode = config.opts.get_string("reblogs");
    reblogs_ = mode == "include"   ? reblog_mode::include
               : mode == "exclude" ? reblog_mode::exclude
                                   : reblog_mode::own_comment_only;
  }

 private:
  [[nodiscard]] bool wants_entry(const archive_entry_info& entry) const override {
    return ends_with_nocase(entry.path, ".json") || ends_with_nocase(entry.path, ".js") ||
           ends_with_nocase(entry.path, ".xml") || ends_with_nocase(entry.path, ".html");
  }

  entry_result read_entry(const archive_entry_info& entry, peek_stream& in, context& ctx,
                          record_output& out) override {
    const std::string_view head = in.head();
    if (ends_with_nocase(entry.path, ".html")) return export_html(entry, in, out);
    if (head.find("<tumblr") != std::string_view::npos) return v1_xml(entry, in, ctx, out);
    const char first = first_json_char(head);
    const bool v1_json = head.find("tumblr_api_read") != std::string_view::npos;
    if (!v1_json && first != '{' && first != '[') return entry_result::ignored;
    if (!v1_json && head.find("\"blog_name\"") == std::string_view::npos &&
        head.find("\"response\"") == std::string_view::npos) {
      return entry_result::ignored;
    }
    json_stream_options options;
    // A whole /posts response streams post by post; a one-post file is read whole.
    const bool one_post = !v1_json && head.find("\"response\"") == std::string_view::npos &&
                          head.find("\"posts\"") == std::string_view::npos;
    options.stream_depth = one_post ? 0 : 3;
    options.skip_keys = {"blog", "post_author_avatar", "photos", "layout"};
    bool recognized = false;
    read_json(entry, in, ctx, options, [&](std::string_view path, json&& value, bool element) {
      if (v1_json) {
        if (path == "/tumblelog/name" && value.is_string()) blog_ = value.get<std::string>();
        if (path == "/posts" && element) {
          recognized = true;
          v1_post_json(value, out);
        }
        return;
      }
      if (path == "/response/blog/name" && value.is_string()) blog_ = value.get<std::string>();
      if ((path == "/response/posts" && element) || (path.empty() && one_post)) {
        recognized = true;
        v2_post(value, out);
      }
    });
    return recognized ? entry_result::recognized : entry_result::ignored;
  }

  [[nodiscard]] std::string nothing_found() const override {
    return "no Tumblr posts found (looked for API v2 JSON with blog_name or a /posts response, "
           "API v1 XML <tumblr>, var tumblr_api_read, and the blog export's <id>.html posts)";
  }

  void v2_post(const json& post, record_output& out) {
    if (!post.is_object() || !out.wants("post")) return;
    const std::string blog(string_at(post, "blog_name"));
    const json& trail = member(post, "trail");
    bool reblog =
        !string_at(post, "parent_post_url").empty() || !id_at(post, "reblogged_from_id").empty();
    std::string own;
    std::string others;
    for (const json& item : trail) {
      const std::string_view by = string_at(member(item, "blog"), "name");
      const bool mine = member(item, "is_current_item").is_boolean()
                            ? member(item, "is_current_item").get<bool>()
                            : by == blog;
      if (!mine) reblog = true;
      std::string piece =
          member(item, "content").is_array()
              ? npf_text(member(item, "content"))
              : html_text(string_at(item, "content_raw").empty() ? string_at(item, "content")
                                                                 : string_at(item, "content_raw"));
      if (mine) {
        add_paragraph(own, piece);
      } else {
        add_paragraph(others, piece);
      }
    }
    // The post's own words: NPF content (in a reblog, only what this blog added), or the
    // legacy fields; a legacy reblog's addition is reblog.comment.
    std::string text;
    if (member(post, "content").is_array() && !member(post, "content").empty()) {
      text = npf_text(member(post, "content"));
    } else if (reblog) {
      text = html_text(string_at(member(post, "reblog"), "comment"));
      if (text.empty()) text = own;
    } else {
      text = legacy_v2_text(post);
      if (text.empty()) text = own;
    }
    if (reblog) {
      if (reblogs_ == reblog_mode::exclude) return;
      if (reblogs_ == reblog_mode::include) {
        std::string whole = others;
        add_paragraph(whole, text);
        text = std::move(whole);
      }
    }
    std::optional<std::int64_t> created;
    if (const std::int64_t stamp = integer_at(post, "timestamp", -1); stamp >= 0) {
      created = seconds_from_epoch_number(stamp);
    } else {
      created = parse_timestamp(string_at(post, "date"));
    }
    record made;
    made.text = std::move(text);
    auto& meta = made.meta;
    std::string id = id_at(post, "id_string");
    if (id.empty()) id = id_at(post, "id");
    meta["id"] = id;
    if (!blog.empty()) meta["author"] = blog;
    meta["by_me"] = !reblog || reblogs_ != reblog_mode::include;
    if (reblog) meta["reblog"] = true;
    const std::string_view title = string_at(post, "title");
    if (!title.empty()) meta["title"] = html_text(title);
    const std::string_view url = string_at(post, "post_url");
    if (!url.empty()) meta["url"] = url;
    const std::string_view type = string_at(post, "type");
    if (!type.empty()) meta["post_type"] = type;
    set_tags(meta, member(post, "tags"));
    out.emit(std::move(made), "post", created);
  }

  static void set_tags(json& meta, const json& tags) {
    if (!tags.is_array() || tags.empty()) return;
    json list = json::array();
    for (const json& tag : tags) {
      if (tag.is_string()) list.push_back(tag);
    }
    if (!list.empty()) meta["tags"] = std::move(list);
  }

  // API v1 (JSON flavour): the same fields as the XML, hyphenated.
  void v1_post_json(const json& post, record_output& out) {
    if (!out.wants("post")) return;
    const std::string_view type = string_at(post, "type");
    std::string text;
    auto field = [&](const char* key) { return html_text(string_at(post, key)); };
    if (type == "regular") {
      text = field("regular-body");
    } else if (type == "quote") {
      text = field("quote-text");
      const std::string attribution = field("quote-source");
      if (!attribution.empty()) add_paragraph(text, "— " + attribution);
    } else if (type == "link") {
      text = field("link-description");
      if (text.empty()) text = field("link-text");
    } else if (type == "conversation") {
      for (const json& line : member(post, "conversation")) {
        if (!text.empty()) text.push_back('\n');
        text.append(string_at(line, "label")).append(" ").append(string_at(line, "phrase"));
      }
    } else if (type == "answer") {
      text = field("question");
      add_paragraph(text, field("answer"));
    } else {
      text = field((std::string(type) + "-caption").c_str());
    }
    const bool reblog = !string_at(post, "reblogged-from-url").empty();
    if (reblog && reblogs_ != reblog_mode::include) return;  // v1 cannot separate the addition
    std::optional<std::int64_t> created;
    if (const std::int64_t stamp = integer_at(post, "unix-timestamp", -1); stamp >= 0) {
      created = stamp;
    } else {
      created = parse_timestamp(string_at(post, "date-gmt"));
    }
    record made;
    made.text = std::move(text);
    made.meta["id"] = id_at(post, "id");
    if (!blog_.empty()) made.meta["author"] = blog_;
    made.meta["by_me"] = !reblog;
    const std::string_view url = string_at(post, "url");
    if (!url.empty()) made.meta["url"] = url;
    const std::string_view title = string_at(post, "regular-title");
    if (!title.empty()) made.meta["title"] = html_text(title);
    made.meta["post_type"] = type;
    set_tags(made.meta, member(post, "tags"));
    out.emit(std::move(made), "post", created);
  }

  entry_result v1_xml(const archive_entry_info& entry, peek_stream& in, context& ctx,
                      record_output& out) {
    xml_splitter posts(in, "post", entry.path);
    xml_piece piece;
    bool first = true;
    while (posts.next(piece)) {
      if (first) {
        const std::string& prologue = posts.prologue();
        const std::size_t at = prologue.find("<tumblelog");
        const std::size_t name = prologue.find("name=\"", at == std::string::npos ? 0 : at);
        if (at != std::string::npos && name != std::string::npos) {
          blog_ = prologue.substr(name + 6, prologue.find('"', name + 6) - name - 6);
        }
        first = false;
      }
      pugi::xml_document doc;
      try {
        parse_xml_piece(doc, piece, entry.path);
      } catch (const error& failure) {
        ctx.bad_input(failure.where(), failure.message());
        continue;
      }
      // Convert to the v1 JSON shape, then share its reading.
      const pugi::xml_node node = doc.child("post");
      json post = json::object();
      for (const pugi::xml_attribute attribute : node.attributes()) {
        post[attribute.name()] = attribute.value();
      }
      post["type"] = ascii_lower(node.attribute("type").value());  // "Regular" in 2024
      json tags = json::array();
      json conversation = json::array();
      for (const pugi::xml_node child : node.children()) {
        const std::string name = child.name();
        if (name == "tag") {
          tags.push_back(xml_text(child));
        } else if (name == "conversation") {
          for (const pugi::xml_node line : child.children("line")) {
            conversation.push_back(
                {{"label", line.attribute("label").value()}, {"phrase", xml_text(line)}});
          }
        } else if (!post.contains(name)) {
          post[name] = xml_text(child);
        }
      }
      post["tags"] = std::move(tags);
      if (!conversation.empty()) post["conversation"] = std::move(conversation);
      v1_post_json(post, out);
    }
    return entry_result::recognized;
  }

  // The official blog export: posts/html/<id>.html, one post a file.
  entry_result export_html(const archive_entry_info& entry, peek_stream& in, record_output& out) {
    std::string_view stem = file_name(entry.path);
    stem.remove_suffix(5);
    if (stem.empty() || stem.find_first_not_of("0123456789") != std::string_view::npos) {
      return entry_result::ignored;
    }
    if (!out.wants("post")) return entry_result::recognized;
    record made;
    made.text = html_text(read_all(in, std::uint64_t{16} << 20, entry.path));
    made.meta["id"] = std::string(stem);
    made.meta["by_me"] = true;
    out.emit(std::move(made), "post", std::nullopt);
    return entry_result::recognized;
  }

  reblog_mode reblogs_ = reblog_mode::own_comment_only;
  std::string blog_;
};

result<std::unique_ptr<step>> create(const step_config& config) {
  return make_step<tumblr_importer>(config);
}

const plugin_descriptor& describe() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "import.tumblr";
    d.version = "1.0.0";
    d.summary =
        "Tumblr exports: official export, API v1 XML, API v2 JSON (as saved by backup tools)";
    d.kind = step_kind::source;
    d.consumes =
        "API v2 JSON (/posts responses or one post per file, legacy types and NPF), API v1 XML "
        "and var tumblr_api_read JSON, the blog export's <id>.html posts; a file, folder or .zip";
    d.produces =
        "text (HTML to text, paragraphs kept); meta source, label, kind (post), id (exact, "
        "64-bit), created, author (the blog), by_me, reblog, title, url, post_type, tags";
    d.options = common_options("", {"post"});
    d.options.push_back(
        option_builder("reblogs", option_type::string,
                       "Reblogs: own_comment_only keeps a reblog only when this blog added text, "
                       "and only that text; exclude drops every reblog; include keeps them "
                       "whole, reblogged words and all (meta.by_me is then false).")
            .fallback("own_comment_only")
            .one_of({"own_comment_only", "exclude", "include"}));
    d.create = create;
    return d;
  }();
  return descriptor;
}

}  // namespace
}  // namespace textkit::import

TEXTKIT_PLUGIN(import_tumblr, textkit::import::describe)
