// import.wordpress - WordPress eXtended RSS (WXR 1.0-1.2) exports: posts, pages and their
// comments. The file is streamed item by item (a big site's export never sits in memory whole);
// classic-editor content gets WordPress's own paragraph formatting (blank lines are paragraphs,
// as wpautop does at display time), block-editor comments are dropped, shortcodes unwrapped.
#include <array>
#include <unordered_map>
#include <unordered_set>

#include "import_common.h"
#include "textkit_common/html_text.h"
#include "timestamps.h"
#include "xml_stream.h"

namespace textkit::import {
namespace {

// A byte_stream over a string (to cut the authors out of the prologue).
class text_stream final : public byte_stream {
 public:
  explicit text_stream(std::string_view text) : text_(text) {}
  std::size_t read(char* buffer, std::size_t size) override {
    const std::size_t n = std::min(size, text_.size() - pos_);
    text_.copy(buffer, n, pos_);
    pos_ += n;
    return n;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

bool starts_with_block_tag(std::string_view chunk) {
  static constexpr std::array<std::string_view, 16> tags = {
      "<p",  "<div", "<h1",         "<h2",  "<h3",    "<h4",     "<h5", "<h6",
      "<ul", "<ol",  "<blockquote", "<pre", "<table", "<figure", "<hr", "<!--"};
  for (std::string_view tag : tags) {
    if (chunk.substr(0, tag.size()) == tag) return true;
  }
  return false;
}

// [caption id="x"]<img ...> A caption[/caption] keeps its caption; [gallery ids="1,2"] and
// the like are layout, not words.
std::string strip_shortcodes(std::string_view text) {
  static const std::unordered_set<std::string_view> names = {
      "caption", "gallery", "embed",      "audio",      "video",     "playlist",
      "wpvideo", "youtube", "wp_caption", "soundcloud", "instagram", "tweet"};
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '[') {
      out.push_back(text[i++]);
      continue;
    }
    const std::size_t close = text.find(']', i);
    std::size_t name_start = i + 1;
    if (name_start < text.size() && text[name_start] == '/') ++name_start;
    std::size_t name_end = name_start;
    while (name_end < text.size() &&
           ((text[name_end] >= 'a' && text[name_end] <= 'z') || text[name_end] == '_')) {
      ++name_end;
    }
    if (close == std::string_view::npos ||
        names.count(text.substr(name_start, name_end - name_start)) == 0) {
      out.push_back(text[i++]);
      continue;
    }
    const std::string_view name = text.substr(name_start, name_end - name_start);
    i = close + 1;
    // [embed]https://...[/embed]: the address is not prose either.
    if (name == "embed" || name == "youtube" || name == "tweet") {
      const std::string end = "[/" + std::string(name) + "]";
      const std::size_t end_at = text.find(end, i);
      if (end_at != std::string_view::npos) i = end_at + end.size();
    }
  }
  return out;
}

// WordPress's wpautop, enough for text: blank-line-separated chunks become paragraphs and single
// newlines inside them line breaks, unless the chunk is already a block element.
std::string autop(std::string_view content) {
  std::string html;
  html.reserve(content.size() + content.size() / 8);
  std::size_t pos = 0;
  while (pos < content.size()) {
    // The next chunk ends at a blank line.
    std::size_t end = pos;
    for (;;) {
      end = content.find('\n', end);
      if (end == std::string_view::npos) {
        end = content.size();
        break;
      }
      std::size_t next = end + 1;
      while (next < content.size() &&
             (content[next] == ' ' || content[next] == '\t' || content[next] == '\r')) {
        ++next;
      }
      if (next < content.size() && content[next] == '\n') break;
      end = next;
    }
    std::string_view chunk = content.substr(pos, end - pos);
    pos = end;
    while (pos < content.size() && (content[pos] == '\n' || content[pos] == '\r' ||
                                    content[pos] == ' ' || content[pos] == '\t')) {
      ++pos;
    }
    const std::size_t first = chunk.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) continue;
    chunk.remove_prefix(first);
    if (starts_with_block_tag(chunk)) {
      html.append(chunk);
      html.push_back('\n');
      continue;
    }
    html.append("<p>");
    for (char c : chunk) {
      if (c == '\n') {
        html.append("<br />\n");
      } else if (c != '\r') {
        html.push_back(c);
      }
    }
    html.append("</p>\n");
  }
  return html;
}

std::string content_text(std::string_view content) {
  const std::string unwrapped = strip_shortcodes(content);
  // Block-editor content already has its paragraphs as <p>; classic content has blank lines.
  if (unwrapped.find("<!-- wp:") != std::string::npos) return common::html_to_text(unwrapped);
  return common::html_to_text(autop(unwrapped));
}

std::optional<std::int64_t> wp_date(const pugi::xml_node& node, const char* gmt,
                                    const char* local) {
  if (auto seconds = parse_timestamp(child_text(node, gmt))) return seconds;
  // Drafts have a zero GMT date; the local one is the best there is (its zone is unknown).
  return parse_timestamp(child_text(node, local));
}

struct author_info {
  std::string id;
  std::string display_name;
};

class wordpress_importer final : public importer {
 public:
  explicit wordpress_importer(const step_config& config)
      : importer("import.wordpress", common_settings(config)),
        me_(optional_string(config.opts, "me")) {
    for (auto& status : config.opts.get_strings("status")) statuses_.insert(std::move(status));
  }

 private:
  [[nodiscard]] bool wants_entry(const archive_entry_info& entry) const override {
    return ends_with_nocase(entry.path, ".xml") || ends_with_nocase(entry.path, ".wxr");
  }

  entry_result read_entry(const archive_entry_info& entry, peek_stream& in, context& ctx,
                          record_output& out) override {
    const std::string_view head = in.head();
    if (head.find("<rss") == std::string_view::npos ||
        head.find("wordpress.org/export/") == std::string_view::npos) {
      return entry_result::ignored;
    }
    xml_splitter items(in, "item", entry.path);
    xml_piece piece;
    bool first = true;
    while (items.next(piece)) {
      if (first) {
        read_authors(items.prologue(), entry.path);
        first = false;
      }
      pugi::xml_document doc;
      try {
        parse_xml_piece(doc, piece, entry.path);
      } catch (const error& failure) {
        ctx.bad_input(failure.where(), failure.message());
        continue;
      }
      item(doc.child("item"), out);
    }
    return entry_result::recognized;
  }

  [[nodiscard]] std::string nothing_found() const override {
    return "no WordPress export found (looked for WXR files: .xml with <rss> and the "
           "wordpress.org/export/ namespace)";
  }

  void read_authors(const std::string& prologue, const std::string& name) {
    authors_.clear();
    text_stream in(prologue);
    xml_splitter split(in, "wp:author", name);
    xml_piece piece;
    try {
      while (split.next(piece)) {
        pugi::xml_document doc;
        if (!doc.load_buffer(piece.text.data(), piece.text.size())) continue;
        const pugi::xml_node author = doc.child("wp:author");
        author_info info{child_text(author, "wp:author_id"),
                         child_text(author, "wp:author_display_name")};
        authors_.emplace(child_text(author, "wp:author_login"), std::move(info));
      }
    } catch (const error&) {
      // The prologue is cut at the first item: an author list cut short is still useful.
    }
  }

  [[nodiscard]] bool is_site_author_id(std::string_view id) const {
    if (id.empty() || id == "0") return false;
    for (const auto& [login, info] : authors_) {
      if (info.id == id) return true;
    }
    return false;
  }

  void item(const pugi::xml_node& node, record_output& out) {
    const std::string type = child_text(node, "wp:post_type");
    const std::string kind = type.empty() ? "post" : type;
    if (kind != "post" && kind != "page") return;  // attachments, menus, templates...
    const std::string status = child_text(node, "wp:status");
    if (statuses_.count(status.empty() ? "publish" : status) == 0) return;
    const std::string post_id = child_text(node, "wp:post_id");
    const std::string title = common::decode_entities(child_text(node, "title"));
    const std::string creator = child_text(node, "dc:creator");
    if (out.wants(kind)) {
      std::optional<std::int64_t> created = wp_date(node, "wp:post_date_gmt", "wp:post_date");
      if (!created) created = parse_timestamp(child_text(node, "pubDate"));
      record made;
      made.text = content_text(child_text(node, "content:encoded"));
      auto& meta = made.meta;
      meta["id"] = kind + "-" + post_id;
      if (!title.empty()) meta["title"] = title;
      const auto author = authors_.find(creator);
      const std::string shown = author != authors_.end() && !author->second.display_name.empty()
                                    ? author->second.display_name
                                    : creator;
      if (!shown.empty()) meta["author"] = shown;
      meta["by_me"] = me_ ? (creator == *me_ || shown == *me_) : true;
      const std::string link = child_text(node, "link");
      if (!link.empty()) meta["url"] = link;
      meta["status"] = status;
      json tags = json::array();
      json categories = json::array();
      for (const pugi::xml_node category : node.children("category")) {
        const std::string domain = category.attribute("domain").value();
        const std::string value = common::decode_entities(xml_text(category));
        if (domain == "post_tag") tags.push_back(value);
        if (domain == "category" && value != "Uncategorized") categories.push_back(value);
      }
      if (!tags.empty()) meta["tags"] = std::move(tags);
      if (!categories.empty()) meta["categories"] = std::move(categories);
      out.emit(std::move(made), kind, created);
    }
    if (!out.wants("comment")) return;
    for (const pugi::xml_node comment : node.children("wp:comment")) {
      const std::string comment_type = child_text(comment, "wp:comment_type");
      if (!comment_type.empty() && comment_type != "comment") continue;  // pingback, trackback
      const std::string approved = child_text(comment, "wp:comment_approved");
      if (approved != "1" && approved != "approve") continue;  // pending, spam, trash
      record made;
      made.text = content_text(child_text(comment, "wp:comment_content"));
      const std::string author = child_text(comment, "wp:comment_author");
      auto& meta = made.meta;
      meta["id"] = "comment-" + child_text(comment, "wp:comment_id");
      if (!author.empty()) meta["author"] = author;
      const std::string user_id = child_text(comment, "wp:comment_user_id");
      meta["by_me"] = me_ ? author == *me_ : is_site_author_id(user_id);
      meta["thread"] = kind + "-" + post_id;
      if (!title.empty()) meta["title"] = title;
      const std::string parent = child_text(comment, "wp:comment_parent");
      if (!parent.empty() && parent != "0") meta["in_reply_to"] = "comment-" + parent;
      out.emit(std::move(made), "comment",
               wp_date(comment, "wp:comment_date_gmt", "wp:comment_date"));
    }
  }

  std::optional<std::string> me_;
  std::unordered_set<std::string> statuses_;
  std::unordered_map<std::string, author_info> authors_;
};

result<std::unique_ptr<step>> create(const step_config& config) {
  return make_step<wordpress_importer>(config);
}

const plugin_descriptor& describe() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "import.wordpress";
    d.version = "1.0.0";
    d.summary = "WordPress WXR export (posts, pages, comments; status filter)";
    d.kind = step_kind::source;
    d.consumes =
        "WordPress eXtended RSS files (Tools > Export; WXR 1.0 to 1.2, also split "
        "site.wordpress.000.xml, .001.xml...): a file, a folder of them, or a .zip";
    d.produces =
        "text (HTML to text, paragraphs kept); meta source, label, kind (post, page, comment), "
        "id, created, author, by_me, title, url, status, tags, categories, thread and "
        "in_reply_to (comments)";
    d.options = common_options("", {"post", "page", "comment"});
    d.options.push_back(
        option_builder("status", option_type::string_list,
                       "Which statuses of posts and pages to read: publish by default; add "
                       "draft, private, pending or future to read those too.")
            .fallback(json::array({"publish"}))
            .one_of({"publish", "draft", "private", "pending", "future"}));
    d.options.push_back(option_builder(
        "me", option_type::string,
        "The site owner's login or display name: meta.by_me is true for the posts and comments "
        "they wrote. By default every post is the owner's, and a comment is when it was "
        "written by a registered author of the site."));
    d.create = create;
    return d;
  }();
  return descriptor;
}

}  // namespace
}  // namespace textkit::import

TEXTKIT_PLUGIN(import_wordpress, textkit::import::describe)
