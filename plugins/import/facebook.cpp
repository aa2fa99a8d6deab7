// import.facebook - Facebook's "Download Your Information" JSON export: posts, comments and
// Messenger messages, in every layout Facebook has used (posts/your_posts_1.json,
// your_activity_across_facebook/..., your_facebook_activity/...), recognised by the shape of each
// file rather than its path. Facebook writes every string's UTF-8 bytes as \u00XX escapes; each
// string that is wholly that damage is repaired, and only those.
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <deque>
#include <optional>

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
  if (content.empty()) return false;
  // The first letter turns nearly every message away without a call to memcmp.
  return std::any_of(prefixes.begin(), prefixes.end(), [&](std::string_view prefix) {
    return content[0] == prefix[0] && content.starts_with(prefix);
  });
}

// "Anna sent a photo.", "You sent an attachment.": the text Facebook puts beside an attachment.
bool looks_like_attachment_notice(std::string_view content) {
  return !content.empty() && content.size() < 120 && content.back() == '.' &&
         content.find(" sent ") != std::string_view::npos;
}

// Whether `key` is `literal`: compared with a length known when compiling, which the compiler
// turns into a few loads instead of a call to memcmp (a message's keys are compared millions of
// times).
template <std::size_t size>
bool is(std::string_view key, const char (&literal)[size]) {
  return key.size() == size - 1 && std::memcmp(key.data(), literal, size - 1) == 0;
}

// One member of a message built as json.
struct built_member {
  std::string_view key;
  const json& value;
  [[nodiscard]] std::optional<std::string_view> string() const {
    if (!value.is_string()) return std::nullopt;
    return value.get_ref<const std::string&>();
  }
  [[nodiscard]] std::int64_t integer() const { return integer_of(value, -1); }
  [[nodiscard]] bool is_true() const { return value.is_boolean() && value.get<bool>(); }
};

// One member of a message in simdjson's document (strings repaired already: prepare_json).
struct document_member {
  std::string_view key;
  simdjson::dom::element value;
  [[nodiscard]] std::optional<std::string_view> string() const {
    if (!value.is_string()) return std::nullopt;
    return value.get_string().value_unsafe();
  }
  [[nodiscard]] std::int64_t integer() const { return integer_of(value, -1); }
  [[nodiscard]] bool is_true() const { return value.is_bool() && value.get_bool().value_unsafe(); }
};

// The members of a Messenger message that matter, found in one pass over it, built or not: a
// key given twice counts with its last value (as json keeps it).
class message_fields {
 public:
  template <typename Member>
  void take(const Member& member) {
    const std::string_view key = member.key;
    if (is(key, "content")) {
      content_ = member.string();
    } else if (is(key, "text")) {  // end-to-end encrypted chats
      text_ = member.string();
    } else if (is(key, "sender_name")) {
      sender_name_ = member.string();
      has_sender_ = true;
    } else if (is(key, "senderName")) {  // end-to-end encrypted chats
      sender_name_camel_ = member.string();
      has_sender_ = true;
    } else if (is(key, "timestamp_ms")) {
      millis_ = member.integer();
    } else if (is(key, "timestamp")) {
      seconds_or_millis_ = member.integer();
    } else if (is(key, "type")) {
      type_ = member.string().value_or(std::string_view());
    } else if (is(key, "is_unsent")) {
      unsent_ = member.is_true();
    } else if (is(key, "call_duration")) {
      call_ = true;
    } else if (is(key, "photos") || is(key, "videos") || is(key, "gifs") ||
               is(key, "audio_files") || is(key, "files") || is(key, "sticker") ||
               is(key, "share")) {
      attachment_ = true;
    }
  }

  /// "content", or else "text"; empty when neither is a non-empty string.
  [[nodiscard]] std::string_view content() const { return first_non_empty(content_, text_); }
  /// "sender_name", or else "senderName".
  [[nodiscard]] std::string_view sender() const {
    return first_non_empty(sender_name_, sender_name_camel_);
  }
  [[nodiscard]] std::string_view type() const { return type_; }
  /// Whether "sender_name" or "senderName" is a member, whatever its value: what makes an
  /// object of "messages" a message (is_message).
  [[nodiscard]] bool has_sender() const { return has_sender_; }
  /// "timestamp_ms", or else "timestamp" (seconds or milliseconds); -1 when neither.
  [[nodiscard]] std::int64_t millis() const { return millis_ >= 0 ? millis_ : seconds_or_millis_; }
  [[nodiscard]] bool unsent() const { return unsent_; }
  [[nodiscard]] bool call() const { return call_; }
  /// photos, videos, gifs, audio_files, files, sticker, share
  [[nodiscard]] bool attachment() const { return attachment_; }

 private:
  static std::string_view first_non_empty(const std::optional<std::string_view>& first,
                                          const std::optional<std::string_view>& second) {
    if (first && !first->empty()) return *first;
    if (second && !second->empty()) return *second;
    return {};
  }

  std::optional<std::string_view> content_;
  std::optional<std::string_view> text_;
  std::optional<std::string_view> sender_name_;
  std::optional<std::string_view> sender_name_camel_;
  std::string_view type_;
  std::int64_t millis_ = -1;
  std::int64_t seconds_or_millis_ = -1;
  bool unsent_ = false;
  bool call_ = false;
  bool attachment_ = false;
  bool has_sender_ = false;
};

// Whether a record at `path`, built, is a Messenger message.
bool is_message(std::string_view path, const json& value) {
  return path == "/messages" && (value.contains("sender_name") || value.contains("senderName"));
}

class facebook_importer final : public importer {
 public:
  explicit facebook_importer(const step_config& config)
      : importer("import.facebook", common_settings(config)),
        me_(optional_string(config.opts, "me")),
        repair_(config.opts.get_bool("repair_encoding")) {
    stream_options_.skip_keys = {"reactions", "is_geoblocked_for_viewer",
                                 "is_unsent_image_by_messenger_kid_parent"};
    // Every string is repaired as it is read (only those wholly of that damage change).
    stream_options_.repair_latin1_mojibake = repair_;
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
          json_stream_options options;
          options.repair_latin1_mojibake = repair_;
          stream_json(
              in, options,
              [&](std::string_view path, json&& value, bool) {
                if ((path == "/profile_v2/name/full_name" || path == "/profile/name/full_name") &&
                    value.is_string() && !me_) {
                  me_ = value.get_ref<const std::string&>();
                }
              },
              failure);
        });
  }

  [[nodiscard]] bool repairs_ahead(const archive_entry_info&) const override { return repair_; }

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
    // Set on the parsing thread too (json_record_reader).
    std::atomic<bool> recognized = false;
    const std::string thread(parent_name(entry.path));
    std::deque<std::string> recent_posts;
    // Messages, most of an export, are read straight from a file parsed whole: building each as
    // json first would cost more than all the rest.
    // Every object of "messages" is taken; one without a sender, which is no message
    // (is_message), is then dropped as the visitor drops it, after one pass over its members
    // instead of a look-up before it.
    const json_record_reader messages{
        [](std::string_view path, const simdjson::dom::element& value) {
          return is(path, "/messages") && value.is_object();
        },
        [&](std::string_view, const simdjson::dom::element& value, emitter& to) {
          message_fields fields;
          const simdjson::dom::object members = value.get_object().value_unsafe();
          for (const simdjson::dom::key_value_pair member : members) {
            fields.take(document_member{member.key, member.value});
          }
          if (!fields.has_sender()) return;
          recognized.store(true, std::memory_order_relaxed);
          record_output here(out, to);
          if (!here.wants("message")) return;
          message(fields, thread, here);
        },
        &out.destination()};
    read_json(
        entry, in, ctx, stream_options_,
        [&](std::string_view path, json&& value, bool element) {
          if (!element || !value.is_object()) return;
          if (is_message(path, value)) {
            recognized = true;
            if (!out.wants("message")) return;
            message_fields fields;
            for (const auto& [key, member] : value.get_ref<const json::object_t&>()) {
              fields.take(built_member{key, member});
            }
            message(fields, thread, out);
          } else if ((path.empty() || path == "/status_updates") && value.contains("timestamp") &&
                     (value.contains("data") || value.contains("attachments") ||
                      value.contains("title"))) {
            recognized = true;
            post(value, recent_posts, out);
          } else if ((path == "/comments_v2" || path == "/comments") && value.contains("data")) {
            recognized = true;
            comment(value, out);
          }
        },
        &messages);
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

  // A message's record.
  void message(const message_fields& fields, const std::string& thread, record_output& out) {
    if (fields.unsent() || fields.call() || fields.content().empty()) return;
    const std::string_view type = fields.type();
    if (type == "Call" || type == "Subscribe" || type == "Unsubscribe") return;
    const std::int64_t millis = fields.millis();
    const std::optional<std::int64_t> created =
        millis < 0 ? std::nullopt : std::optional(seconds_from_epoch_number(millis));
    if (!out.in_range(created)) return;
    record made;
    made.text = fields.content();  // a copy: the value is freed on the thread that parsed it
    if (is_system_message(made.text) ||
        (fields.attachment() && looks_like_attachment_notice(made.text))) {
      return;
    }
    if (out.meta_wanted()) {
      std::string sender(fields.sender());
      auto& meta = made.meta;
      meta["id"] = stable_id({"message", thread, std::to_string(millis), sender, made.text});
      if (me_) meta["by_me"] = sender == *me_;
      if (!sender.empty()) meta["author"] = std::move(sender);
      if (!thread.empty()) meta["thread"] = thread;
    }
    out.emit(std::move(made), "message", created);
  }

  void post(const json& value, std::deque<std::string>& recent_posts, record_output& out) {
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
    made.text = std::move(text);
    // A post with several photos appears once per photo, same time, same text.
    const std::string id = stable_id({"post", std::to_string(timestamp), made.text});
    if (std::find(recent_posts.begin(), recent_posts.end(), id) != recent_posts.end()) return;
    recent_posts.push_back(id);
    if (recent_posts.size() > 32) recent_posts.pop_front();
    if (!out.meta_wanted()) {
      out.emit(std::move(made), "post", created);
      return;
    }
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
      made.text = raw;
      if (!out.meta_wanted()) {
        out.emit(std::move(made), "comment", created);
        continue;
      }
      const std::string author(string_at(body, "author"));
      auto& meta = made.meta;
      meta["id"] = stable_id({"comment", std::to_string(timestamp), made.text});
      if (!author.empty()) meta["author"] = author;
      // comments.json holds the comments the owner wrote.
      meta["by_me"] = me_ ? (author.empty() || author == *me_) : true;
      const std::string_view group = string_at(body, "group");
      if (!group.empty()) meta["thread"] = group;
      out.emit(std::move(made), "comment", created);
    }
  }

  std::optional<std::string> me_;
  bool repair_ = true;
  bool html_seen_ = false;
  json_stream_options stream_options_;
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
