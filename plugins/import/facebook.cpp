// import.facebook - Facebook's "Download Your Information" JSON export: posts, comments and
// Messenger messages, in every layout Facebook has used (posts/your_posts_1.json,
// your_activity_across_facebook/..., your_facebook_activity/...), recognised by the shape of each
// file rather than its path. Facebook writes every string's UTF-8 bytes as \u00XX escapes; each
// string that is wholly that damage is repaired, and only those.
#include <algorithm>
#include <array>
#include <deque>

#include "import_common.h"
#include "textkit_common/mojibake.h"
#include "timestamps.h"

namespace textkit::import {
namespace {

// Messenger's own lines, not anybody's words (English exports; others pass through).
bool is_system_message(std::string_view content) {
  static constexpr std::array<std::string_view, 5> prefixes = {
      "Say hi to your new Facebook friend", "You are now connected on Messenger",
      "You can now message and call each other", "You're now friends with",
      "This message was unsent"};
  for (std::string_view prefix : prefixes) {
    if (content.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

// "Anna sent a photo.", "You sent an attachment.": the text Facebook puts beside an attachment.
bool is_attachment_notice(const json& message, std::string_view content) {
  static constexpr std::array<std::string_view, 6> attachments = {
      "photos", "videos", "gifs", "audio_files", "files", "sticker"};
  bool has_attachment = false;
  for (std::string_view key : attachments) {
    if (message.contains(key)) has_attachment = true;
  }
  if (!has_attachment && !message.contains("share")) return false;
  return content.find(" sent ") != std::string_view::npos && content.size() < 120 &&
         !content.empty() && content.back() == '.';
}

std::string repaired(std::string_view text, bool repair) {
  std::string out(text);
  if (repair) common::repair_latin1_mojibake_in_place(out);
  return out;
}

class facebook_importer final : public importer {
 public:
  explicit facebook_importer(const step_config& config)
      : importer("import.facebook", common_settings(config.opts)),
        me_(optional_string(config.opts, "me")),
        repair_(config.opts.get_bool("repair_encoding")) {
    stream_options_.skip_keys = {"reactions", "is_geoblocked_for_viewer",
                                 "is_unsent_image_by_messenger_kid_parent"};
  }

 private:
  // The owner's name from profile_information/profile_information.json, unless given.
  void prepare(export_archive& archive, context&) override {
    if (me_) return;
    scan(
        archive,
        [](const archive_entry_info& entry) {
          return entry.path.find("profile_information") != std::string::npos &&
                         ends_with_nocase(entry.path, ".json")
                     ? entry_choice::read
                     : entry_choice::skip;
        },
        [&](const archive_entry_info&, byte_stream& in) {
          json_failure failure;
          stream_json(
              in, {},
              [&](std::string_view path, json&& value, bool) {
                if ((path == "/profile_v2/name/full_name" || path == "/profile/name/full_name") &&
                    value.is_string() && !me_) {
                  me_ = repaired(value.get_ref<const std::string&>(), repair_);
                }
              },
              failure);
        });
  }

  [[nodiscard]] bool wants_entry(const archive_entry_info& entry) const override {
    return ends_with_nocase(entry.path, ".json") || ends_with_nocase(entry.path, ".html");
  }

  entry_result read_entry(const archive_entry_info& entry, peek_stream& in, context& ctx,
                          record_output& out) override {
    if (ends_with_nocase(entry.path, ".html")) {
      const std::string_view name = file_name(entry.path);
      if (name.substr(0, 8) == "message_" || name.substr(0, 10) == "your_posts") html_seen_ = true;
      return entry_result::ignored;
    }
    const char first = first_json_char(in.head());
    if (first != '{' && first != '[') return entry_result::ignored;
    bool recognized = false;
    const std::string thread(parent_name(entry.path));
    read_json(
        entry, in, ctx, stream_options_, [&](std::string_view path, json&& value, bool element) {
          if (!element || !value.is_object()) return;
          if (path == "/messages" &&
              (value.contains("sender_name") || value.contains("senderName"))) {
            recognized = true;
            message(value, thread, out);
          } else if ((path.empty() || path == "/status_updates") && value.contains("timestamp") &&
                     (value.contains("data") || value.contains("attachments") ||
                      value.contains("title"))) {
            recognized = true;
            post(value, out);
          } else if ((path == "/comments_v2" || path == "/comments") && value.contains("data")) {
            recognized = true;
            comment(value, out);
          }
        });
    return recognized ? entry_result::recognized : entry_result::ignored;
  }

  [[nodiscard]] std::string nothing_found() const override {
    if (html_seen_) {
      return "this is Facebook's HTML export; import.facebook reads the JSON one (request "
             "\"Download Your Information\" again with Format: JSON)";
    }
    return "no Facebook posts, comments or messages found (looked for JSON files shaped like "
           "your_posts_1.json, comments.json and messages/inbox/*/message_1.json)";
  }

  void message(const json& value, const std::string& thread, record_output& out) {
    if (!out.wants("message")) return;
    if (value.value("is_unsent", false)) return;
    if (value.contains("call_duration")) return;
    const std::string_view type = string_at(value, "type");
    if (type == "Call" || type == "Subscribe" || type == "Unsubscribe") return;
    std::string_view raw = string_at(value, "content");
    if (raw.empty()) raw = string_at(value, "text");  // end-to-end encrypted chats' download
    if (raw.empty()) return;
    std::int64_t millis = integer_at(value, "timestamp_ms", -1);
    if (millis < 0) millis = integer_at(value, "timestamp", -1);
    const std::optional<std::int64_t> created =
        millis < 0 ? std::nullopt : std::optional(seconds_from_epoch_number(millis));
    if (!out.in_range(created)) return;
    record made;
    made.text = repaired(raw, repair_);
    if (is_system_message(made.text) || is_attachment_notice(value, made.text)) return;
    std::string_view sender_raw = string_at(value, "sender_name");
    if (sender_raw.empty()) sender_raw = string_at(value, "senderName");
    const std::string sender = repaired(sender_raw, repair_);
    auto& meta = made.meta;
    meta["id"] = stable_id({"message", thread, std::to_string(millis), sender, made.text});
    if (!sender.empty()) meta["author"] = sender;
    if (me_) meta["by_me"] = sender == *me_;
    if (!thread.empty()) meta["thread"] = thread;
    out.emit(std::move(made), "message", created);
  }

  void post(const json& value, record_output& out) {
    if (!out.wants("post")) return;
    std::string text;
    std::int64_t timestamp = integer_at(value, "timestamp", -1);
    for (const json& part : member(value, "data")) {
      const std::string_view piece = string_at(part, "post");
      if (!piece.empty()) {
        if (!text.empty()) text.append("\n\n");
        text.append(piece);
      }
      if (timestamp < 0) timestamp = integer_at(part, "update_timestamp", -1);
    }
    if (text.empty()) return;  // "X shared a link.": Facebook's words, not the owner's
    const std::optional<std::int64_t> created =
        timestamp < 0 ? std::nullopt : std::optional(seconds_from_epoch_number(timestamp));
    record made;
    made.text = repaired(text, repair_);
    // A post with several photos appears once per photo, same time, same text.
    const std::string id = stable_id({"post", std::to_string(timestamp), made.text});
    if (std::find(recent_posts_.begin(), recent_posts_.end(), id) != recent_posts_.end()) return;
    recent_posts_.push_back(id);
    if (recent_posts_.size() > 32) recent_posts_.pop_front();
    auto& meta = made.meta;
    meta["id"] = id;
    meta["by_me"] = true;
    if (me_) meta["author"] = *me_;
    for (const json& attachment : member(value, "attachments")) {
      for (const json& item : member(attachment, "data")) {
        const std::string_view url = string_at(member(item, "external_context"), "url");
        if (!url.empty() && !meta.contains("url")) meta["url"] = url;
      }
    }
    out.emit(std::move(made), "post", created);
  }

  void comment(const json& value, record_output& out) {
    if (!out.wants("comment")) return;
    for (const json& part : member(value, "data")) {
      const json& body = member(part, "comment");
      const std::string_view raw = string_at(body, "comment");
      if (raw.empty()) continue;
      std::int64_t timestamp = integer_at(body, "timestamp", -1);
      if (timestamp < 0) timestamp = integer_at(value, "timestamp", -1);
      const std::optional<std::int64_t> created =
          timestamp < 0 ? std::nullopt : std::optional(seconds_from_epoch_number(timestamp));
      record made;
      made.text = repaired(raw, repair_);
      const std::string author = repaired(string_at(body, "author"), repair_);
      auto& meta = made.meta;
      meta["id"] = stable_id({"comment", std::to_string(timestamp), made.text});
      if (!author.empty()) meta["author"] = author;
      // comments.json holds the comments the owner wrote.
      meta["by_me"] = me_ ? (author.empty() || author == *me_) : true;
      const std::string_view group = string_at(body, "group");
      if (!group.empty()) meta["thread"] = repaired(group, repair_);
      out.emit(std::move(made), "comment", created);
    }
  }

  std::optional<std::string> me_;
  bool repair_ = true;
  bool html_seen_ = false;
  json_stream_options stream_options_;
  std::deque<std::string> recent_posts_;
};

result<std::unique_ptr<step>> create(const step_config& config) {
  return make_step<facebook_importer>(config);
}

const plugin_descriptor& describe() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "import.facebook";
    d.version = "1.0.0";
    d.summary =
        "Facebook \"Download Your Information\" JSON: posts, comments, messages; repairs "
        "Facebook's mojibake";
    d.kind = step_kind::source;
    d.consumes =
        "a Facebook JSON export: its folder, its .zip as downloaded, or one of its files "
        "(your_posts_1.json, comments.json, message_1.json)";
    d.produces =
        "text; meta source, label, kind (post, comment, message), id, created, author, by_me, "
        "thread (messages: the thread's folder name), url (posts sharing a link)";
    d.options = common_options(
        "Both the older layout (posts/, comments/, messages/inbox/) and the newer ones "
        "(your_activity_across_facebook/, your_facebook_activity/) are read.",
        {"post", "comment", "message"});
    d.options.push_back(option_builder(
        "me", option_type::string,
        "The account owner's name as Facebook writes it, for meta.by_me on messages. By default "
        "it is read from profile_information/profile_information.json when the export has it."));
    d.options.push_back(
        option_builder("repair_encoding", option_type::boolean,
                       "Repair Facebook's mojibake (\"FranÃ§ais\" -> \"Français\") in every "
                       "string that is wholly that damage; correct text is left as it is.")
            .fallback(true));
    d.create = create;
    return d;
  }();
  return descriptor;
}

}  // namespace
}  // namespace textkit::import

TEXTKIT_PLUGIN(import_facebook, textkit::import::describe)
