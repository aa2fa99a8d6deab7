#include "import_common.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <future>
#include <mutex>
#include <thread>

#include "textkit/hash.h"
#include "textkit_common/unicode.h"
#include "timestamps.h"

namespace textkit::import {
namespace {

bool is_date_only(std::string_view text) {
  return text.size() == 10 && text[4] == '-' && text[7] == '-';
}

std::optional<std::int64_t> date_option(const options& opts, std::string_view name, bool end) {
  const auto given = optional_string(opts, name);
  if (!given) return std::nullopt;
  const auto seconds = parse_timestamp(*given);
  if (!seconds) {
    throw error(std::string(name) + ": \"" + *given +
                "\" is not a date (expected e.g. 2021-03-01 or 2021-03-01T12:00:00Z)");
  }
  if (!end) return seconds;
  // "until": 2021-12-31 means up to the end of that day.
  return *seconds + (is_date_only(*given) ? 86400 : 1);
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Without find_first_not_of's call to memchr for every character (once a record).
void trim(std::string& text) {
  std::size_t end = text.size();
  while (end > 0 && is_space(text[end - 1])) --end;
  std::size_t begin = 0;
  while (begin < end && is_space(text[begin])) ++begin;
  text.resize(end);
  if (begin > 0) text.erase(0, begin);
}

}  // namespace

std::vector<option_spec> common_options(const std::string& what,
                                        const std::vector<std::string>& kinds) {
  json all_kinds = json::array();
  for (const auto& kind : kinds) all_kinds.push_back(kind);
  return {
      option_builder("path", option_type::path,
                     "The export to read: its folder, its archive as downloaded (.zip, .tar.gz; "
                     "read in place, never unpacked to disk), or a single file of it. " +
                         what)
          .required(),
      option_builder("label", option_type::string,
                     "A name for this corpus, put in each record's meta.label."),
      option_builder("since", option_type::string,
                     "Keep only records created on or after this date (ISO 8601: 2021-03-01 or "
                     "2021-03-01T12:00:00Z). Records without a date are kept."),
      option_builder("until", option_type::string,
                     "Keep only records created on or before this date (a date includes its "
                     "whole day). Records without a date are kept."),
      option_builder("kinds", option_type::string_list,
                     "Which kinds of record to produce (meta.kind).")
          .fallback(all_kinds)
          .one_of(kinds),
  };
}

common_settings::common_settings(const step_config& config)
    : path(config.opts.get_path("path")),
      label(optional_string(config.opts, "label")),
      since(date_option(config.opts, "since", false)),
      until(date_option(config.opts, "until", true)),
      meta(config.meta_read_later) {
  for (auto& kind : config.opts.get_strings("kinds")) {
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
      kinds.push_back(std::move(kind));
  }
}

std::optional<std::string> optional_string(const options& opts, std::string_view name) {
  if (!opts.has(name) || opts.get(name).is_null()) return std::nullopt;
  return opts.get_string(name);
}

std::string stable_id(std::initializer_list<std::string_view> parts) {
  // FNV-1a from a start one digit short of its offset basis: ids already made keep it.
  std::uint64_t hash = 1469598103934665603ULL;
  for (std::string_view part : parts) {
    hash = fnv1a("\x1F", fnv1a(part, hash));  // a separator, so ("ab","c") and ("a","bc") differ
  }
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = digits[hash & 0xF];
    hash >>= 4;
  }
  return out;
}

record_output::record_output(std::string source, const common_settings& settings, emitter& out)
    : source_(std::move(source)), settings_(settings), out_(out) {}

bool record_output::wants(std::string_view kind) const {
  // Asked once or twice per record: the first letter spares most calls to memcmp.
  return std::any_of(settings_.kinds.begin(), settings_.kinds.end(), [&](const std::string& k) {
    return k.size() == kind.size() && !k.empty() && k[0] == kind[0] && k == kind;
  });
}

bool record_output::in_range(std::optional<std::int64_t> created) const {
  if (!created) return true;
  if (settings_.since && *created < *settings_.since) return false;
  if (settings_.until && *created >= *settings_.until) return false;
  return true;
}

bool record_output::emit(record&& made, std::string_view kind,
                         std::optional<std::int64_t> created) {
  if (!wants(kind) || !in_range(created)) return false;
  trim(made.text);
  if (made.text.empty()) return false;
  common::to_nfc_in_place(made.text);
  if (settings_.meta) {
    auto& meta = made.meta;
    meta["source"] = source_;
    if (settings_.label) meta["label"] = *settings_.label;
    meta["kind"] = kind;
    if (created) meta["created"] = iso8601(*created);
  } else {
    // Whatever the importer made: nobody reads it.
    if (!made.meta.is_object() || !made.meta.empty()) made.meta = json::object();
  }
  ++emitted_;
  out_.emit(std::move(made));
  return true;
}

importer::importer(std::string source_name, common_settings settings)
    : source_name_(std::move(source_name)),
      settings_(std::move(settings)),
      archive_(settings_.path) {}

void importer::prepare(export_archive&, context&) {}

bool importer::parses_ahead(const archive_entry_info& entry) const {
  return ends_with_nocase(entry.path, ".json");
}

bool importer::repairs_ahead(const archive_entry_info&) const { return false; }

void importer::scan(export_archive& archive, const export_archive::chooser& choose,
                    const export_archive::visitor& visit) {
  archive.walk(
      choose,
      [&](const archive_entry_info& entry, byte_stream& in) {
        try {
          visit(entry, in);
        } catch (const error&) {
          // The main pass reads the file again and reports what is wrong with it.
        }
      },
      [](const archive_entry_info&, const std::string&) {});
}

void importer::produce(context& ctx, emitter& out) {
  try {
    prepare(archive_, ctx);
  } catch (const error&) {
    // A damaged archive: the main pass says so.
  }
  record_output output(source_name_, settings_, out);
  std::atomic<std::uint64_t> entries = 0;  // counted by the walk, on its own thread when ahead
  std::uint64_t recognized = 0;
  walk_export(
      [&](const archive_entry_info& entry) {
        ++entries;
        // A file named on its own is read whatever its name (tweets.js.excerpt, a renamed
        // download); in a folder or archive, names pick the candidates.
        return archive_.is_single_file() || wants_entry(entry) ? entry_choice::read
                                                               : entry_choice::skip;
      },
      [&](const archive_entry_info& entry, byte_stream& stream, std::uint64_t consumed) {
        ctx.progress(consumed, archive_.disk_size());
        try {
          peek_stream in(stream, 64 * 1024);
          if (read_entry(entry, in, ctx, output) == entry_result::recognized) ++recognized;
        } catch (const error& failure) {
          // A read failure or a refused zip bomb: name the file inside the export.
          ++recognized;
          const origin where = failure.where().empty() ? origin{entry.path} : failure.where();
          ctx.bad_input(where, failure.message());
        }
      },
      [&](const archive_entry_info& entry, const std::string& why) {
        ++entries;
        ++recognized;
        ctx.bad_input(origin{entry.path}, why);
      },
      ctx.threads() > 1);
  ctx.progress(archive_.disk_size(), archive_.disk_size());
  if (recognized > 0) return;
  const std::string where = settings_.path;
  if (entries == 0) {
    ctx.bad_input(origin{where}, archive_.is_archive() ? "empty archive: it holds no files"
                                                       : "empty folder: it holds no files");
    return;
  }
  ctx.bad_input(origin{where}, nothing_found());
}

bool importer::read_json(const archive_entry_info& entry, peek_stream& in, context& ctx,
                         const json_stream_options& options, const json_visitor& visit,
                         const json_record_reader* reader) {
  json_failure failure;
  std::uint64_t first_line = 1;
  json_stream_options effective = options;
  // A file of a megabyte or more (or of unknown size) is parsed on a second thread while this
  // one builds records from it, when the run has threads to spare; not one read whole ahead
  // (walk_export), whose records this thread reads alone: the other core is parsing the next
  // files, and sharing the records between two threads cost more CPU than it saved time (the
  // bench's export: 2.0-2.8 s wall with it, 1.8-2.3 s without, in alternate runs).
  effective.parse_ahead = ctx.threads() > 1 &&
                          (prepared_ == nullptr || !prepared_whole(*prepared_)) &&
                          (entry.size == 0 || entry.size >= (std::uint64_t{1} << 20));
  const std::size_t prefix = javascript_prefix_length(in.head());
  const char first = first_json_char(in.head());
  if (first != '{' && first != '[' && prefix != std::string_view::npos) {
    const std::string_view skipped = in.head().substr(0, prefix);
    first_line += static_cast<std::uint64_t>(std::count(skipped.begin(), skipped.end(), '\n'));
    in.skip(prefix);
    effective.allow_trailing = true;
  }
  // Read and parsed ahead (walk_export): `in` reads the same bytes, needed only when simdjson
  // refused them.
  const std::shared_ptr<prepared_json> prepared = std::move(prepared_);
  if (stream_json(in, effective, visit, failure, first_line, reader, prepared)) return true;
  if (prefix != std::string_view::npos && first_line == 1 && failure.line == 1 && first != '{' &&
      first != '[') {
    failure.column += prefix;
  }
  ctx.bad_input(origin{entry.path, failure.line, failure.column}, failure.message);
  return false;
}

namespace {

// Thrown inside the walk's thread when the reading thread has stopped.
struct walk_abandoned {};

// importer::walk_export's walk one file ahead: a thread walks the export; each file the
// importer parses ahead is read (and parsed) there and waits, one at a time, for the calling
// thread, which reads the files in the walk's order; any other file is handed over as the walk's
// own stream, the walk waiting until the calling thread is done with it.
class walk_ahead {
 public:
  struct item {
    enum class kind { file, problem, end } what = kind::file;
    archive_entry_info entry;
    std::uint64_t consumed = 0;
    std::shared_ptr<prepared_json> prepared;  // read ahead (and parsed, when it could be)
    std::future<void> parsing;                // its parse, on a thread of its own
    byte_stream* live = nullptr;              // the walk's own stream, until done() is called
    std::string why;                          // a problem
    std::exception_ptr failure;               // the end: the walk threw
  };

  // Files read ahead and not yet taken, at most. Two: while the calling thread reads the records
  // of one file, two more are being parsed, each on a thread of its own, so that the parse, which
  // costs about as much as the records, is not one thread's work while the other waits.
  static constexpr std::size_t ahead = 2;

  // On the walk's thread: hands `next` over, waiting first until the calling thread has taken
  // files so that fewer than `ahead` wait and, for the walk's own stream, until it is done.
  void hand_over(item&& next) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return abandoned_ || waiting_.size() < ahead; });
    if (abandoned_) throw walk_abandoned{};
    const bool live = next.live != nullptr;
    waiting_.push_back(std::move(next));
    changed_.notify_all();
    if (!live) return;
    live_done_ = false;
    changed_.wait(lock, [&] { return abandoned_ || live_done_; });
    if (abandoned_) throw walk_abandoned{};
  }

  // On the calling thread.
  item take() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !waiting_.empty(); });
    item next = std::move(waiting_.front());
    waiting_.pop_front();
    changed_.notify_all();
    return next;
  }
  void done() {
    std::lock_guard lock(mutex_);
    live_done_ = true;
    changed_.notify_all();
  }
  void abandon() {
    std::lock_guard lock(mutex_);
    abandoned_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<item> waiting_;
  bool live_done_ = false;
  bool abandoned_ = false;
};

}  // namespace

void importer::walk_export(const export_archive::chooser& choose, const entry_reader& read,
                           const unsafe_entry& unsafe, bool ahead) {
  if (!ahead) {
    archive_.walk(
        choose,
        [&](const archive_entry_info& entry, byte_stream& in) {
          read(entry, in, archive_.consumed());
        },
        unsafe);
    return;
  }
  walk_ahead queue;
  std::thread walker([&] {
    walk_ahead::item last;
    last.what = walk_ahead::item::kind::end;
    try {
      archive_.walk(
          choose,
          [&](const archive_entry_info& entry, byte_stream& in) {
            walk_ahead::item next;
            next.entry = entry;
            if (parses_ahead(entry)) {
              next.prepared = prepare_json(in, repairs_ahead(entry), true);
              // Larger than json_whole_limit: the rest is read from the walk's stream.
              if (!prepared_whole(*next.prepared)) next.live = &in;
              if (parse_pending(*next.prepared)) {
                next.parsing = std::async(std::launch::async,
                                          [file = next.prepared] { parse_prepared(*file); });
              }
            } else {
              next.live = &in;
            }
            next.consumed = archive_.consumed();
            queue.hand_over(std::move(next));
          },
          [&](const archive_entry_info& entry, const std::string& why) {
            walk_ahead::item next;
            next.what = walk_ahead::item::kind::problem;
            next.entry = entry;
            next.why = why;
            queue.hand_over(std::move(next));
          });
    } catch (const walk_abandoned&) {
      return;
    } catch (...) {
      last.failure = std::current_exception();
    }
    try {
      queue.hand_over(std::move(last));
    } catch (const walk_abandoned&) {
    }
  });
  struct joiner {
    walk_ahead& queue;
    std::thread& walker;
    ~joiner() {
      queue.abandon();
      walker.join();
    }
  } join_walker{queue, walker};
  for (;;) {
    walk_ahead::item next = queue.take();
    if (next.what == walk_ahead::item::kind::end) {
      if (next.failure) std::rethrow_exception(next.failure);
      return;
    }
    if (next.what == walk_ahead::item::kind::problem) {
      unsafe(next.entry, next.why);
      continue;
    }
    if (next.prepared == nullptr) {
      read(next.entry, *next.live, next.consumed);
      queue.done();
      continue;
    }
    if (next.parsing.valid()) next.parsing.get();
    const std::unique_ptr<byte_stream> in = prepared_stream(next.prepared, next.live);
    prepared_ = next.prepared;
    struct forget {
      std::shared_ptr<prepared_json>& prepared;
      ~forget() { prepared = nullptr; }  // read_json may not have taken it
    } forget_prepared{prepared_};
    read(next.entry, *in, next.consumed);
    if (next.live != nullptr) queue.done();
  }
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool ends_with_nocase(std::string_view path, std::string_view suffix) {
  if (path.size() < suffix.size()) return false;
  return ascii_lower(path.substr(path.size() - suffix.size())) == ascii_lower(suffix);
}

std::string_view file_name(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view parent_name(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return {};
  return file_name(path.substr(0, slash));
}

}  // namespace textkit::import
