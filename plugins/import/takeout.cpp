// import.takeout - Google Takeout: Blogger (the current feed.atom, Blogger's 2018 schema, and the
// older "Back up content" Atom XML), Google Chat (Groups/*/messages.json, with group_info.json
// for names and Users/*/user_info.json for the owner) and Keep (one .json per note). Takeout
// translates its folder names (Keep, Google Notizen...), so every file is recognised by its
// content.
#include <unordered_map>

#include "import_common.h"
#include "textkit_common/html_text.h"
#include "timestamps.h"
#include "xml_stream.h"

namespace textkit::import {
namespace {

// What kind a Blogger entry is: the 2018 schema's <blogger:type>, or the legacy kind category.
std::string blogger_kind(const pugi::xml_node& entry) {
  const std::string type = ascii_lower(child_text(entry, "blogger:type"));
  if (!type.empty()) return type;  // post, page, comment
  for (const pugi::xml_node category : entry.children("category")) {
    const std::string scheme = category.attribute("scheme").value();
    if (scheme != "http://schemas.google.com/g/2005#kind") continue;
    const std::string term = category.attribute("term").value();
    const std::size_t hash = term.rfind('#');
    return hash == std::string::npos ? term : term.substr(hash + 1);  // post, page, comment,
                                                                      // template, settings
  }
  return {};
}

bool blogger_draft(const pugi::xml_node& entry) {
  const std::string status = ascii_lower(child_text(entry, "blogger:status"));
  if (!status.empty()) return status != "live";
  return child_text(entry.child("app:control"), "app:draft") == "yes";
}

class takeout_importer final : public importer {
 public:
  explicit takeout_importer(const step_config& config)
      : importer("import.takeout", common_settings(config)),
        drafts_(config.opts.get_bool("drafts")),
        trashed_(config.opts.get_bool("trashed")) {}

 private:
  // Chat group names and the owner, from group_info.json and user_info.json.
  void prepare(export_archive& archive, context&) override {
    scan(
        archive,
        [](const archive_entry_info& entry) {
          const std::string_view name = file_name(entry.path);
          return name == "group_info.json" || name == "user_info.json" ? entry_choice::read
                                                                       : entry_choice::skip;
        },
        [&](const archive_entry_info& entry, byte_stream& in) {
          const json value =
              json::parse(read_all(in, std::uint64_t{16} << 20, entry.path), nullptr, false);
          if (!value.is_object()) return;
          if (file_name(entry.path) == "user_info.json") {
            const json& user = member(value, "user");
            me_email_ = string_at(user, "email");
            me_name_ = string_at(user, "name");
            return;
          }
          group_infos_[std::string(parent_name(entry.path))] = value;
        });
    // A DM has no name: call it after the other members (the owner is known only now, as
    // Users/ sorts after Groups/).
    for (const auto& [folder, info] : group_infos_) {
      std::string name(string_at(info, "name"));
      if (name.empty()) {
        for (const json& person : member(info, "members")) {
          const std::string_view who = string_at(person, "name");
          if (who.empty() || string_at(person, "email") == me_email_) continue;
          if (!name.empty()) name.append(", ");
          name.append(who);
        }
      }
      if (!name.empty()) groups_[folder] = name;
    }
    group_infos_.clear();
  }

  [[nodiscard]] bool wants_entry(const archive_entry_info& entry) const override {
    return ends_with_nocase(entry.path, ".json") || ends_with_nocase(entry.path, ".atom") ||
           ends_with_nocase(entry.path, ".xml");
  }

  entry_result read_entry(const archive_entry_info& entry, peek_stream& in, context& ctx,
                          record_output& out) override {
    const std::string_view head = in.head();
    if (head.find("<feed") != std::string_view::npos &&
        (head.find("blogger") != std::string_view::npos ||
         head.find("tag:blogger.com") != std::string_view::npos)) {
      return blogger(entry, in, ctx, out);
    }
    if (first_json_char(head) != '{') return entry_result::ignored;
    const bool keep = head.find("\"textContent\"") != std::string_view::npos ||
                      head.find("\"listContent\"") != std::string_view::npos;
    const bool chat = head.find("\"messages\"") != std::string_view::npos &&
                      head.find("\"creator\"") != std::string_view::npos;
    if (!keep && !chat) return entry_result::ignored;
    json_stream_options options;
    options.stream_depth = keep ? 0 : 3;
    options.skip_keys = {"annotations", "attached_files", "drive_metadata", "reactions"};
    const std::string thread = groups_.count(std::string(parent_name(entry.path)))
                                   ? groups_[std::string(parent_name(entry.path))]
                                   : std::string(parent_name(entry.path));
    bool recognized = false;
    read_json(entry, in, ctx, options, [&](std::string_view path, json&& value, bool element) {
      if (keep && path.empty()) {
        recognized = true;
        note(value, entry.path, out);
      } else if (chat && path == "/messages" && element) {
        recognized = true;
        chat_message(value, thread, out);
      }
    });
    return recognized ? entry_result::recognized : entry_result::ignored;
  }

  [[nodiscard]] std::string nothing_found() const override {
    return "no Blogger, Google Chat or Keep data found (looked for Blogger feed.atom or backup "
           "XML, Google Chat messages.json, Keep note .json files)";
  }

  entry_result blogger(const archive_entry_info& entry, peek_stream& in, context& ctx,
                       record_output& out) {
    xml_splitter entries(in, "entry", entry.path);
    xml_piece piece;
    // Comments name their post by id; posts come first in both formats.
    std::unordered_map<std::string, std::string> titles;
    while (entries.next(piece)) {
      pugi::xml_document doc;
      try {
        parse_xml_piece(doc, piece, entry.path);
      } catch (const error& failure) {
        ctx.bad_input(failure.where(), failure.message());
        continue;
      }
      const pugi::xml_node node = doc.child("entry");
      const std::string kind = blogger_kind(node);
      if (kind != "post" && kind != "page" && kind != "comment") continue;
      const bool draft = blogger_draft(node);
      if (draft && !drafts_) continue;
      if (ascii_lower(child_text(node, "blogger:status")) == "soft_trashed") continue;
      const std::string id = child_text(node, "id");
      const std::string title = common::html_to_text(child_text(node, "title"));
      if (kind != "comment" && !title.empty()) titles[id] = title;
      if (!out.wants(kind)) continue;
      const pugi::xml_node content = node.child("content");
      const std::string type = content.attribute("type").value();
      record made;
      made.text = type == "text" ? xml_text(content) : common::html_to_text(xml_text(content));
      auto& meta = made.meta;
      meta["id"] = id;
      const std::string author = child_text(node.child("author"), "name");
      if (!author.empty()) meta["author"] = author;
      if (kind != "comment") {
        meta["by_me"] = true;
        if (!title.empty()) meta["title"] = title;
      } else {
        // A comment on the owner's blog: theirs when Blogger marks the author as the blog's.
        meta["by_me"] = ascii_lower(child_text(node.child("author"), "blogger:type")) == "blogger";
        std::string parent = child_text(node, "blogger:parent");
        if (parent.empty()) parent = node.child("thr:in-reply-to").attribute("ref").value();
        if (!parent.empty()) {
          meta["thread"] = parent;
          if (titles.count(parent)) meta["title"] = titles[parent];
        }
      }
      if (draft) meta["draft"] = true;
      json tags = json::array();
      for (const pugi::xml_node category : node.children("category")) {
        const std::string scheme = category.attribute("scheme").value();
        if (scheme == "http://schemas.google.com/g/2005#kind") continue;
        tags.push_back(category.attribute("term").value());
      }
      if (!tags.empty()) meta["tags"] = std::move(tags);
      for (const pugi::xml_node link : node.children("link")) {
        if (std::string_view(link.attribute("rel").value()) == "alternate") {
          meta["url"] = link.attribute("href").value();
        }
      }
      std::optional<std::int64_t> created = parse_timestamp(child_text(node, "published"));
      if (!created) created = parse_timestamp(child_text(node, "blogger:created"));
      out.emit(std::move(made), kind, created);
    }
    return entry_result::recognized;
  }

  void note(const json& value, const std::string& path, record_output& out) {
    if (!out.wants("note") || !value.is_object()) return;
    if (value.value("isTrashed", false) && !trashed_) return;
    std::string text(string_at(value, "textContent"));
    for (const json& item : member(value, "listContent")) {
      if (!text.empty()) text.push_back('\n');
      text.append(member(item, "isChecked").is_boolean() && item["isChecked"].get<bool>() ? "[x] "
                                                                                          : "[ ] ")
          .append(string_at(item, "text"));
    }
    std::int64_t micros = integer_at(value, "createdTimestampUsec", -1);
    if (micros < 0) micros = integer_at(value, "userEditedTimestampUsec", -1);
    const std::optional<std::int64_t> created =
        micros < 0 ? std::nullopt : std::optional(seconds_from_epoch_number(micros));
    record made;
    made.text = std::move(text);
    const std::string title(string_at(value, "title"));
    auto& meta = made.meta;
    meta["id"] = stable_id({"keep", std::string(file_name(path)), std::to_string(micros)});
    meta["by_me"] = true;
    if (!title.empty()) meta["title"] = title;
    json tags = json::array();
    for (const json& label : member(value, "labels")) {
      const std::string_view name = string_at(label, "name");
      if (!name.empty()) tags.push_back(name);
    }
    if (!tags.empty()) meta["tags"] = std::move(tags);
    out.emit(std::move(made), "note", created);
  }

  void chat_message(const json& value, const std::string& thread, record_output& out) {
    if (!out.wants("message")) return;
    const json& creator = member(value, "creator");
    record made;
    made.text = string_at(value, "text");
    auto& meta = made.meta;
    std::string id(string_at(value, "message_id"));
    if (id.empty()) {
      id = stable_id({"chat", thread, std::string(string_at(value, "created_date")), made.text});
    }
    meta["id"] = id;
    const std::string_view name = string_at(creator, "name");
    if (!name.empty()) meta["author"] = name;
    const std::string_view email = string_at(creator, "email");
    if (!me_email_.empty() || !me_name_.empty()) {
      meta["by_me"] =
          (!me_email_.empty() && email == me_email_) || (me_email_.empty() && name == me_name_);
    }
    if (!thread.empty()) meta["thread"] = thread;
    out.emit(std::move(made), "message", parse_timestamp(string_at(value, "created_date")));
  }

  bool drafts_ = false;
  bool trashed_ = false;
  std::string me_email_;
  std::string me_name_;
  std::unordered_map<std::string, std::string> groups_;
  std::unordered_map<std::string, json> group_infos_;
};

result<std::unique_ptr<step>> create(const step_config& config) {
  return make_step<takeout_importer>(config);
}

const plugin_descriptor& describe() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "import.takeout";
    d.version = "1.0.0";
    d.summary = "Google Takeout: Blogger, Google Chat, Keep";
    d.kind = step_kind::source;
    d.consumes =
        "a Google Takeout export (folder, .zip or .tgz, any language): Blogger feed.atom and "
        "older backup XML, Google Chat Groups/*/messages.json, Keep notes (*.json)";
    d.produces =
        "text (HTML to text, paragraphs kept); meta source, label, kind (post, page, comment, "
        "message, note), id, created, author, by_me, title, tags, thread, url, draft";
    d.options = common_options("", {"post", "page", "comment", "message", "note"});
    d.options.push_back(option_builder("drafts", option_type::boolean,
                                       "Also read Blogger drafts (meta.draft is then true).")
                            .fallback(false));
    d.options.push_back(
        option_builder("trashed", option_type::boolean, "Also read Keep notes in the trash.")
            .fallback(false));
    d.create = create;
    return d;
  }();
  return descriptor;
}

}  // namespace
}  // namespace textkit::import

TEXTKIT_PLUGIN(import_takeout, textkit::import::describe)
