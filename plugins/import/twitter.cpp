// import.twitter - the Twitter/X archive: data/tweets.js (tweet.js before late 2022, split into
// tweets-part1.js... for big archives), data/note-tweet.js (long posts), and the older Grailbird
// archive's data/js/tweets/YYYY_MM.js. The JavaScript wrapper is stripped, never run; files are
// told apart by the variable they assign, not by their names.
#include "import_common.h"
#include "textkit_common/html_text.h"
#include "timestamps.h"

namespace textkit::import {
namespace {

enum class file_kind { none, tweets, notes, legacy_tweets };

// "window.YTD.tweets.part0 = [" -> tweets; "Grailbird.data.tweets_2016_05 =" -> legacy.
file_kind kind_of(std::string_view head) {
  const std::size_t equals = javascript_prefix_length(head);
  if (equals == std::string_view::npos) return file_kind::none;
  std::string_view name = head.substr(0, equals);
  if (name.find("Grailbird.data.tweets_") != std::string_view::npos)
    return file_kind::legacy_tweets;
  const std::size_t ytd = name.find("window.YTD.");
  if (ytd == std::string_view::npos) return file_kind::none;
  name.remove_prefix(ytd + 11);
  name = name.substr(0, name.find('.'));
  if (name == "tweets" || name == "tweet" || name == "community_tweet") return file_kind::tweets;
  if (name == "note_tweet") return file_kind::notes;
  return file_kind::none;
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  if (from.empty()) return;
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// The ids of every version of an edited tweet, oldest first (X's README: keep the last).
const json& edit_ids(const json& tweet) {
  const json& info = member(tweet, "edit_info");
  const json& initial = member(member(info, "initial"), "editTweetIds");
  if (initial.is_array()) return initial;
  return member(member(member(info, "edit"), "editControlInitial"), "editTweetIds");
}

// "@alice @bob thanks!" -> "thanks!": the mentions a reply starts with are addressing, not text.
std::string strip_leading_mentions(std::string text) {
  std::size_t pos = 0;
  while (pos < text.size() && text[pos] == '@') {
    std::size_t end = pos + 1;
    while (end < text.size() && text[end] != ' ' && text[end] != '\n') ++end;
    while (end < text.size() && (text[end] == ' ' || text[end] == '\n')) ++end;
    pos = end;
  }
  // A reply that is only mentions keeps them (nothing else to say).
  if (pos >= text.size()) return text;
  return text.substr(pos);
}

class twitter_importer final : public importer {
 public:
  explicit twitter_importer(const step_config& config)
      : importer("import.twitter", common_settings(config)),
        retweets_(config.opts.get_string("retweets") == "include"),
        replies_(config.opts.get_string("replies") == "include"),
        expand_links_(config.opts.get_string("links") == "expand"),
        strip_mentions_(config.opts.get_bool("strip_reply_mentions")) {
    stream_options_.stream_depth = 1;
  }

 private:
  // The account's user name, from data/account.js (or the Grailbird user_details.js).
  void prepare(export_archive& archive, context&) override {
    scan(
        archive,
        [](const archive_entry_info& entry) {
          const std::string_view name = file_name(entry.path);
          return name == "account.js" || name == "user_details.js" ? entry_choice::read
                                                                   : entry_choice::skip;
        },
        [&](const archive_entry_info&, byte_stream& stream) {
          peek_stream in(stream, 4096);
          const std::size_t prefix = javascript_prefix_length(in.head());
          if (prefix == std::string_view::npos) return;
          in.skip(prefix);
          json_stream_options options;
          options.allow_trailing = true;
          options.stream_depth = 0;
          json_failure failure;
          stream_json(
              in, options,
              [&](std::string_view, json&& value, bool) {
                const json& account =
                    value.is_array() && !value.empty() ? member(value[0], "account") : value;
                std::string_view user = string_at(account, "username");
                if (user.empty()) user = string_at(account, "screen_name");
                if (!user.empty()) username_ = user;
              },
              failure);
        });
  }

  [[nodiscard]] bool wants_entry(const archive_entry_info& entry) const override {
    return ends_with_nocase(entry.path, ".js");
  }

  entry_result read_entry(const archive_entry_info& entry, peek_stream& in, context& ctx,
                          record_output& out) override {
    const file_kind kind = kind_of(in.head());
    if (kind == file_kind::none) return entry_result::ignored;
    read_json(entry, in, ctx, stream_options_, [&](std::string_view, json&& value, bool element) {
      if (!element || !value.is_object()) return;
      if (kind == file_kind::notes) {
        note(member(value, "noteTweet"), out);
        return;
      }
      const json& wrapped = member(value, "tweet");
      tweet(wrapped.is_object() ? wrapped : value, out);
    });
    return entry_result::recognized;
  }

  [[nodiscard]] std::string nothing_found() const override {
    return "no tweets found (looked for data/tweets.js, data/tweet.js, data/note-tweet.js and "
           "the older data/js/tweets/*.js, by the variable each assigns)";
  }

  void expand_urls(std::string& text, const json& urls, const char* short_key,
                   const char* long_key) const {
    for (const json& url : urls) {
      const std::string_view short_url = string_at(url, short_key);
      const std::string_view long_url = string_at(url, long_key);
      if (short_url.empty() || long_url.empty()) continue;
      replace_all(text, short_url, long_url);
    }
  }

  void tweet(const json& tweet, record_output& out) {
    if (!out.wants("tweet")) return;
    std::string id = id_at(tweet, "id_str");
    if (id.empty()) id = id_at(tweet, "id");
    const json& versions = edit_ids(tweet);
    if (versions.is_array() && !versions.empty() && versions.back().is_string() &&
        versions.back().get_ref<const std::string&>() != id) {
      return;  // an earlier version of an edited tweet
    }
    std::string text(string_at(tweet, "full_text"));
    if (text.empty()) text = string_at(tweet, "text");
    const bool retweet = text.rfind("RT @", 0) == 0 || tweet.contains("retweeted_status");
    if (retweet && !retweets_) return;
    std::string reply_to(string_at(tweet, "in_reply_to_screen_name"));
    const bool reply = !id_at(tweet, "in_reply_to_status_id_str").empty() ||
                       !id_at(tweet, "in_reply_to_status_id").empty();
    if (reply && !replies_) return;
    const std::optional<std::int64_t> created = parse_timestamp(string_at(tweet, "created_at"));
    if (!out.in_range(created)) return;
    // Media links are the trailing t.co of a photo: not words.
    for (const char* holder : {"entities", "extended_entities"}) {
      for (const json& media : member(member(tweet, holder), "media")) {
        replace_all(text, string_at(media, "url"), "");
      }
    }
    if (expand_links_)
      expand_urls(text, member(member(tweet, "entities"), "urls"), "url", "expanded_url");
    if (reply && strip_mentions_) text = strip_leading_mentions(std::move(text));
    record made;
    made.text = common::decode_entities(text);
    auto& meta = made.meta;
    meta["id"] = id;
    meta["by_me"] = !retweet;
    if (!username_.empty()) {
      meta["author"] = username_;
      meta["url"] = "https://x.com/" + username_ + "/status/" + id;
    }
    if (reply) {
      meta["reply"] = true;
      if (!reply_to.empty()) meta["in_reply_to"] = reply_to;
    }
    if (retweet) meta["retweet"] = true;
    const std::string_view lang = string_at(tweet, "lang");
    if (!lang.empty() && lang != "und" && lang != "qme" && lang != "zxx" && lang != "qam") {
      meta["lang"] = lang;
    }
    out.emit(std::move(made), "tweet", created);
  }

  void note(const json& note, record_output& out) {
    if (!out.wants("note") || !note.is_object()) return;
    const json& core = member(note, "core");
    std::string text(string_at(core, "text"));
    if (expand_links_) {
      expand_urls(text, member(core, "urls"), "shortUrl", "expandedUrl");
      expand_urls(text, member(core, "urls"), "url", "expanded_url");
    }
    std::optional<std::int64_t> created = parse_timestamp(string_at(note, "createdAt"));
    record made;
    made.text = common::decode_entities(text);
    const std::string id = id_at(note, "noteTweetId");
    made.meta["id"] = id;
    made.meta["by_me"] = true;
    if (!username_.empty()) made.meta["author"] = username_;
    out.emit(std::move(made), "note", created);
  }

  bool retweets_ = false;
  bool replies_ = true;
  bool expand_links_ = true;
  bool strip_mentions_ = true;
  std::string username_;
  json_stream_options stream_options_;
};

result<std::unique_ptr<step>> create(const step_config& config) {
  return make_step<twitter_importer>(config);
}

const plugin_descriptor& describe() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "import.twitter";
    d.version = "1.0.0";
    d.summary = "Twitter/X archive (data/tweets.js, with or without the zip)";
    d.kind = step_kind::source;
    d.consumes =
        "a Twitter/X archive: its folder, its .zip, or data/tweets.js alone; also note-tweet.js "
        "and the older Grailbird archive (data/js/tweets/*.js)";
    d.produces =
        "text (entities decoded, t.co links expanded, media links dropped); meta source, label, "
        "kind (tweet, note), id, created, author, by_me, url, reply, in_reply_to, retweet, lang";
    d.options = common_options(
        "Files are recognised by the variable they assign (window.YTD.tweets.part0, "
        "Grailbird.data.tweets_2016_05), whatever their names.",
        {"tweet", "note"});
    d.options.push_back(option_builder("retweets", option_type::string,
                                       "Retweets (\"RT @...\") are other people's words, cut "
                                       "to 140 characters: exclude them, or include them.")
                            .fallback("exclude")
                            .one_of({"exclude", "include"}));
    d.options.push_back(option_builder("replies", option_type::string,
                                       "Replies (meta.reply is true): include or exclude.")
                            .fallback("include")
                            .one_of({"include", "exclude"}));
    d.options.push_back(option_builder("links", option_type::string,
                                       "t.co links: expand them to the address they stand for, "
                                       "or keep them as written.")
                            .fallback("expand")
                            .one_of({"expand", "keep"}));
    d.options.push_back(option_builder("strip_reply_mentions", option_type::boolean,
                                       "Drop the @mentions a reply starts with (the people it "
                                       "answers, not part of what was said).")
                            .fallback(true));
    d.create = create;
    return d;
  }();
  return descriptor;
}

}  // namespace
}  // namespace textkit::import

TEXTKIT_PLUGIN(import_twitter, textkit::import::describe)
