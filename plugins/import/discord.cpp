// import.discord - Discord's data package (messages/c<channel id>/messages.json, or
// messages.csv in older packages, with channel.json and messages/index.json for names; folders
// capitalised or translated in newer packages) and DiscordChatExporter's JSON exports. Message
// IDs are 64-bit snowflakes, read exactly. Discord markup for mentions, custom emoji and
// timestamps becomes readable text.
#include <unordered_map>

#include "import_common.h"
#include "timestamps.h"

namespace textkit::import {
namespace {

bool is_digits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

// The channel id of messages/c1234/messages.json: "1234" (any case, any translation of the
// folder above).
std::string channel_of(std::string_view path) {
  const std::string_view folder = parent_name(path);
  if (folder.size() > 1 && (folder[0] == 'c' || folder[0] == 'C') && is_digits(folder.substr(1))) {
    return std::string(folder.substr(1));
  }
  return {};
}

// One CSV record at a time (RFC 4180: quoted fields may hold commas, quotes and newlines).
class csv_reader {
 public:
  /// A row longer than this is refused (an unclosed quote in a hostile file would otherwise make
  /// the rest of the file one field in memory).
  static constexpr std::uint64_t max_row = std::uint64_t{16} << 20;

  csv_reader(byte_stream& in, std::string name) : in_(in), name_(std::move(name)) {}

  // False at the end. Throws textkit::error at an unterminated quoted field.
  bool next(std::vector<std::string>& fields, std::uint64_t& line) {
    fields.clear();
    std::string field;
    bool quoted = false;
    bool any = false;
    std::uint64_t quote_line = 0;
    line = line_;
    std::uint64_t row_bytes = 0;
    for (;;) {
      const int c = get();
      if (++row_bytes > max_row) {
        throw error(origin{name_, line, 0},
                    "refused: a row longer than " + std::to_string(max_row >> 20) + " MiB");
      }
      if (c < 0) {
        if (quoted) {
          throw error(origin{name_, quote_line, 0},
                      "a quoted field starts here and never ends (truncated file?)");
        }
        if (!any && field.empty() && fields.empty()) return false;
        fields.push_back(std::move(field));
        return true;
      }
      any = true;
      if (quoted) {
        if (c == '"') {
          if (peek() == '"') {
            get();
            field.push_back('"');
          } else {
            quoted = false;
          }
        } else {
          if (c == '\n') ++line_;
          field.push_back(static_cast<char>(c));
        }
        continue;
      }
      if (c == '"') {
        quoted = true;
        quote_line = line_;
      } else if (c == ',') {
        fields.push_back(std::move(field));
        field.clear();
      } else if (c == '\n') {
        ++line_;
        fields.push_back(std::move(field));
        return true;
      } else if (c != '\r') {
        field.push_back(static_cast<char>(c));
      }
    }
  }

 private:
  int get() {
    if (pos_ == size_ && !fill()) return -1;
    return static_cast<unsigned char>(buffer_[pos_++]);
  }
  int peek() {
    if (pos_ == size_ && !fill()) return -1;
    return static_cast<unsigned char>(buffer_[pos_]);
  }
  bool fill() {
    size_ = in_.read(buffer_, sizeof buffer_);
    pos_ = 0;
    return size_ > 0;
  }

  byte_stream& in_;
  std::string name_;
  char buffer_[1 << 16];
  std::size_t pos_ = 0;
  std::size_t size_ = 0;
  std::uint64_t line_ = 1;
};

class discord_importer final : public importer {
 public:
  explicit discord_importer(const step_config& config)
      : importer("import.discord", common_settings(config)),
        me_(optional_string(config.opts, "me")),
        only_mine_(config.opts.get_string("authors") == "mine") {}

 private:
  void prepare(export_archive& archive, context&) override {
    scan(
        archive,
        [](const archive_entry_info& entry) {
          const std::string name = ascii_lower(file_name(entry.path));
          return name == "channel.json" || name == "index.json" || name == "user.json"
                     ? entry_choice::read
                     : entry_choice::skip;
        },
        [&](const archive_entry_info& entry, byte_stream& in) {
          const std::string name = ascii_lower(file_name(entry.path));
          const std::string text = read_all(in, std::uint64_t{16} << 20, entry.path);
          const json value = json::parse(text, nullptr, false);
          if (!value.is_object()) return;
          if (name == "index.json") {
            for (const auto& [id, title] : value.items()) {
              if (title.is_string() && !channels_.count(id))
                channels_[id] = title.get<std::string>();
            }
          } else if (name == "user.json") {
            if (!me_ && value.contains("username")) me_ = value.value("username", "");
          } else {
            read_channel(value);
          }
        });
  }

  void read_channel(const json& channel) {
    const std::string id = id_at(channel, "id");
    if (id.empty()) return;
    std::string title(string_at(channel, "name"));
    const std::string_view guild = string_at(member(channel, "guild"), "name");
    if (!title.empty() && !guild.empty()) title = "#" + title + " (" + std::string(guild) + ")";
    if (!title.empty()) channels_[id] = title;
  }

  [[nodiscard]] bool wants_entry(const archive_entry_info& entry) const override {
    const std::string name = ascii_lower(file_name(entry.path));
    if (name == "channel.json" || name == "index.json" || name == "user.json") return false;
    return ends_with_nocase(name, ".json") || ends_with_nocase(name, ".csv");
  }

  entry_result read_entry(const archive_entry_info& entry, peek_stream& in, context& ctx,
                          record_output& out) override {
    if (ends_with_nocase(entry.path, ".csv")) return package_csv(entry, in, ctx, out);
    const char first = first_json_char(in.head());
    if (first != '[' && first != '{') return entry_result::ignored;
    const std::string channel = channel_of(entry.path);
    bool recognized = false;
    std::string dce_channel;
    std::string dce_guild;
    json_stream_options options;
    options.skip_keys = {"reactions",    "embeds",   "stickers",
                         "inlineEmojis", "mentions", "attachments"};
    read_json(entry, in, ctx, options, [&](std::string_view path, json&& value, bool element) {
      // Named as the package names channels: "#general (Bread Club)".
      if (path == "/guild/name" && value.is_string()) dce_guild = value.get<std::string>();
      if (path == "/channel/name" && value.is_string()) {
        dce_channel = value.get<std::string>();
        if (!dce_guild.empty() && dce_guild != "Direct Messages") {
          dce_channel = "#" + dce_channel + " (" + dce_guild + ")";
        }
      }
      if (!element || !value.is_object()) return;
      if (path.empty() && (value.contains("Contents") || value.contains("contents"))) {
        recognized = true;
        package_message(value, channel, out);
      } else if (path == "/messages" && value.contains("author")) {
        recognized = true;
        dce_message(value, dce_channel, out);
      }
    });
    return recognized ? entry_result::recognized : entry_result::ignored;
  }

  [[nodiscard]] std::string nothing_found() const override {
    return "no Discord messages found (looked for the data package's messages/c<id>/"
           "messages.json or messages.csv, and DiscordChatExporter JSON)";
  }

  [[nodiscard]] std::string thread_name(const std::string& channel) const {
    const auto known = channels_.find(channel);
    if (known != channels_.end()) return known->second;
    return channel.empty() ? std::string() : "c" + channel;
  }

  // <@123> -> @user, <#123> -> #channel, <:name:123> -> :name:, <t:1700000000:R> -> the date.
  std::string readable(std::string_view text) const {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
      if (text[i] != '<') {
        out.push_back(text[i++]);
        continue;
      }
      const std::size_t close = text.find('>', i);
      if (close == std::string_view::npos || close - i > 80) {
        out.push_back(text[i++]);
        continue;
      }
      const std::string_view inner = text.substr(i + 1, close - i - 1);
      std::string replacement;
      if ((inner.substr(0, 2) == "@!" && is_digits(inner.substr(2))) ||
          (inner.substr(0, 1) == "@" && is_digits(inner.substr(1)))) {
        replacement = "@user";
      } else if (inner.substr(0, 2) == "@&" && is_digits(inner.substr(2))) {
        replacement = "@role";
      } else if (inner.substr(0, 1) == "#" && is_digits(inner.substr(1))) {
        const std::string name = thread_name(std::string(inner.substr(1)));
        replacement = name.empty() || name[0] == 'c' ? "#channel" : name.substr(0, name.find(' '));
      } else if (inner.substr(0, 1) == ":" || inner.substr(0, 2) == "a:") {
        const std::size_t start = inner.find(':');
        const std::size_t end = inner.find(':', start + 1);
        if (end != std::string_view::npos && is_digits(inner.substr(end + 1))) {
          replacement = std::string(inner.substr(start, end - start + 1));
        }
      } else if (inner.substr(0, 2) == "t:") {
        const std::string_view digits = inner.substr(2, inner.find(':', 2) - 2);
        if (is_digits(digits) && digits.size() < 16) {
          replacement = iso8601(std::stoll(std::string(digits)));
        }
      }
      if (replacement.empty()) {
        out.push_back(text[i++]);
        continue;
      }
      out.append(replacement);
      i = close + 1;
    }
    return out;
  }

  void emit_message(std::string_view id, std::string_view content, std::string_view when,
                    std::string author, bool by_me, const std::string& thread, record_output& out) {
    if (!out.wants("message") || content.empty()) return;
    if (only_mine_ && !by_me) return;
    const std::optional<std::int64_t> created = parse_timestamp(when);
    record made;
    made.text = readable(content);
    auto& meta = made.meta;
    meta["id"] = std::string(id);
    if (!author.empty()) meta["author"] = std::move(author);
    meta["by_me"] = by_me;
    if (!thread.empty()) meta["thread"] = thread;
    out.emit(std::move(made), "message", created);
  }

  // The data package holds only the owner's messages.
  void package_message(const json& value, const std::string& channel, record_output& out) {
    std::string_view content = string_at(value, "Contents");
    if (content.empty()) content = string_at(value, "contents");
    std::string id = id_at(value, "ID");
    if (id.empty()) id = id_at(value, "id");
    std::string_view when = string_at(value, "Timestamp");
    if (when.empty()) when = string_at(value, "timestamp");
    emit_message(id, content, when, me_.value_or(""), true, thread_name(channel), out);
  }

  void dce_message(const json& value, const std::string& channel, record_output& out) {
    const std::string_view type = string_at(value, "type");
    if (!type.empty() && type != "Default" && type != "Reply") return;  // joins, pins, calls
    const json& author = member(value, "author");
    std::string name(string_at(author, "nickname"));
    if (name.empty()) name = string_at(author, "name");
    const std::string author_id = id_at(author, "id");
    const bool mine =
        me_ && (*me_ == name || *me_ == string_at(author, "name") || *me_ == author_id);
    emit_message(id_at(value, "id"), string_at(value, "content"), string_at(value, "timestamp"),
                 name, mine, channel, out);
  }

  entry_result package_csv(const archive_entry_info& entry, peek_stream& in, context& ctx,
                           record_output& out) {
    const std::string head = ascii_lower(in.head().substr(0, 64));
    if (head.rfind("id,timestamp,contents", 0) != 0) return entry_result::ignored;
    const std::string channel = channel_of(entry.path);
    const std::string thread = thread_name(channel);
    csv_reader reader(in, entry.path);
    std::vector<std::string> fields;
    std::uint64_t line = 0;
    reader.next(fields, line);  // the header
    try {
      while (reader.next(fields, line)) {
        if (fields.size() < 3) {
          if (fields.size() == 1 && fields[0].empty()) continue;
          ctx.bad_input(origin{entry.path, line, 0},
                        "expected ID,Timestamp,Contents,Attachments, got " +
                            std::to_string(fields.size()) + " fields");
          continue;
        }
        emit_message(fields[0], fields[2], fields[1], me_.value_or(""), true, thread, out);
      }
    } catch (const error& failure) {
      ctx.bad_input(failure.where(), failure.message());
    }
    return entry_result::recognized;
  }

  std::optional<std::string> me_;
  bool only_mine_ = false;
  std::unordered_map<std::string, std::string> channels_;
};

result<std::unique_ptr<step>> create(const step_config& config) {
  return make_step<discord_importer>(config);
}

const plugin_descriptor& describe() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "import.discord";
    d.version = "1.0.0";
    d.summary =
        "Discord data package (messages/c*/messages.json or .csv) and DiscordChatExporter JSON";
    d.kind = step_kind::source;
    d.consumes =
        "a Discord data package (folder or package.zip; messages/ or Messages/, JSON or CSV) or "
        "DiscordChatExporter .json exports";
    d.produces =
        "text (mentions, custom emoji and <t:...> timestamps made readable); meta source, "
        "label, kind (message), id (exact snowflake), created, author, by_me, thread (channel)";
    d.options = common_options("", {"message"});
    d.options.push_back(option_builder(
        "me", option_type::string,
        "The owner's Discord name, nickname or user id, for meta.by_me in DiscordChatExporter "
        "exports (the data package holds only the owner's messages; its account/user.json "
        "gives the name)."));
    d.options.push_back(option_builder("authors", option_type::string,
                                       "all: every message; mine: only the owner's (needs me "
                                       "for DiscordChatExporter exports).")
                            .fallback("all")
                            .one_of({"all", "mine"}));
    d.create = create;
    return d;
  }();
  return descriptor;
}

}  // namespace
}  // namespace textkit::import

TEXTKIT_PLUGIN(import_discord, textkit::import::describe)
