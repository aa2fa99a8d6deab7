// textkit import plugins - what every importer shares: the common options (declared once), the
// record output (filters, standard meta, clean text), and the walk over an export's files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "export_archive.h"
#include "json_stream.h"
#include "textkit/plugin.h"

namespace textkit::import {

/// Builds an option_spec naming only what it sets.
class option_builder {
 public:
  option_builder(std::string name, option_type type, std::string doc) {
    spec_.name = std::move(name);
    spec_.type = type;
    spec_.doc = std::move(doc);
  }
  option_builder& fallback(json value) {
    spec_.default_value = std::move(value);
    return *this;
  }
  option_builder& one_of(std::vector<std::string> values) {
    spec_.allowed = std::move(values);
    return *this;
  }
  option_builder& required() {
    spec_.required = true;
    return *this;
  }
  operator option_spec() const { return spec_; }  // NOLINT(google-explicit-constructor)

 private:
  option_spec spec_;
};

/// The options every import.* takes, in this order: path, label, since, until, kinds.
/// `what` names the export in path's doc ("a Facebook \"Download Your Information\" export").
std::vector<option_spec> common_options(const std::string& what,
                                        const std::vector<std::string>& kinds);

/// The common options, read.
struct common_settings {
  std::string path;
  std::optional<std::string> label;
  std::optional<std::int64_t> since;  // inclusive, seconds
  std::optional<std::int64_t> until;  // exclusive: the day after an "until" date
  std::vector<std::string> kinds;     // a few: looked through in order (cheaper than hashing)
  /// Whether a later step reads meta (step_config::meta_read_later); when not, records go out
  /// without it.
  bool meta = true;

  /// Throws textkit::error for a since/until that is not a date.
  explicit common_settings(const step_config& config);
};

/// An optional string option.
std::optional<std::string> optional_string(const options& opts, std::string_view name);

/// A stable 16-hex-digit id from the parts that identify a record (FNV-1a 64).
std::string stable_id(std::initializer_list<std::string_view> parts);

/// The importers' way out: applies the kinds, since and until filters, puts text in NFC without
/// surrounding whitespace, drops empty texts, and sets meta source, label, kind and created.
class record_output {
 public:
  record_output(std::string source, const common_settings& settings, emitter& out);
  /// The same output, into `to` (a json_record_reader's emitter).
  record_output(const record_output& like, emitter& to)
      : source_(like.source_), settings_(like.settings_), out_(to) {}

  /// Where the records go.
  [[nodiscard]] emitter& destination() const noexcept { return out_; }

  /// Whether records of `kind` are wanted at all (to skip work early).
  [[nodiscard]] bool wants(std::string_view kind) const;
  /// Whether a record made at `created` passes since/until (unknown dates pass).
  [[nodiscard]] bool in_range(std::optional<std::int64_t> created) const;

  /// Whether records need meta: false when no later step reads it (import.x -> write.txt), and
  /// an importer need not build it.
  [[nodiscard]] bool meta_wanted() const noexcept { return settings_.meta; }

  /// Emits `made` as a `kind` record created at `created` (seconds), unless filtered out or
  /// empty; without meta when it is not wanted. Returns whether it was emitted.
  bool emit(record&& made, std::string_view kind, std::optional<std::int64_t> created);

  [[nodiscard]] std::uint64_t emitted() const noexcept { return emitted_; }

 private:
  std::string source_;
  const common_settings& settings_;
  emitter& out_;
  std::uint64_t emitted_ = 0;
};

/// What an importer does with one file of an export.
enum class entry_result {
  ignored,     ///< not a file of this platform (or not one it reads): no record, no error
  recognized,  ///< a file of this platform, read (or reported bad)
};

/// The shared body of every import.* source: opens the export when the step is made (so a
/// missing path fails before any work), walks its files, hands each wanted one to read_entry()
/// with its first bytes visible, reports a bad file through ctx.bad_input with the file's path
/// inside the export, and fails with a clear message when nothing in the export was recognised.
class importer : public source {
 public:
  importer(std::string source_name, common_settings settings);

  void produce(context& ctx, emitter& out) final;

 protected:
  /// A first pass over the export, before any record: find the owner's name, channel names.
  /// Files are read again in the main pass.
  virtual void prepare(export_archive& archive, context& ctx);

  /// Whether to open an entry at all (by name: skip photos and videos without reading them).
  [[nodiscard]] virtual bool wants_entry(const archive_entry_info& entry) const = 0;

  /// Whether an entry wanted is JSON that read_json may parse whole (json_stream_options::
  /// parse_whole): by default, a .json file. When the run has threads to spare, such files are
  /// read and parsed by simdjson one file ahead, on a thread of their own, while the file before
  /// is being read (the same records and failures; only sooner; a file read otherwise merely
  /// wastes the parse). By name, before the entry is opened.
  [[nodiscard]] virtual bool parses_ahead(const archive_entry_info& entry) const;
  /// Whether read_json's options for an entry parsed ahead will repair the mojibake
  /// (json_stream_options::repair_latin1_mojibake): it is then repaired ahead too. By default no.
  [[nodiscard]] virtual bool repairs_ahead(const archive_entry_info& entry) const;

  /// Reads one file; `in.head()` shows its first bytes.
  virtual entry_result read_entry(const archive_entry_info& entry, peek_stream& in, context& ctx,
                                  record_output& out) = 0;

  /// What to say when no file was recognised (the export is of another platform, or empty).
  [[nodiscard]] virtual std::string nothing_found() const = 0;

  /// Streams a JSON (or JavaScript-wrapped) file through `visit` (and `reader`: see
  /// json_record_reader), reporting a syntax error at its place in `entry`. Returns whether the
  /// file was read to its end.
  bool read_json(const archive_entry_info& entry, peek_stream& in, context& ctx,
                 const json_stream_options& options, const json_visitor& visit,
                 const json_record_reader* reader = nullptr);

  /// Walks the export for prepare(): `visit` sees entries `choose` picks; problems are ignored
  /// (the main pass reports them).
  void scan(export_archive& archive, const export_archive::chooser& choose,
            const export_archive::visitor& visit);

  [[nodiscard]] const common_settings& settings() const noexcept { return settings_; }
  [[nodiscard]] const std::string& source_name() const noexcept { return source_name_; }

 private:
  // The export's walk, calling `read` for each entry to read (with the export's bytes consumed
  // so far) and `unsafe` for each refused, in the export's order on this thread; with a thread of
  // its own reading (and parsing) ahead (parses_ahead) when `ahead`.
  using entry_reader =
      std::function<void(const archive_entry_info&, byte_stream&, std::uint64_t consumed)>;
  using unsafe_entry = std::function<void(const archive_entry_info&, const std::string&)>;
  void walk_export(const export_archive::chooser& choose, const entry_reader& read,
                   const unsafe_entry& unsafe, bool ahead);

  std::string source_name_;
  common_settings settings_;
  export_archive archive_;
  // The current entry's file, read and parsed ahead (walk_export), for read_json.
  std::shared_ptr<prepared_json> prepared_;
};

/// Lower-cased ASCII.
std::string ascii_lower(std::string_view text);
/// Whether `path` ends with `suffix`, ignoring ASCII case.
bool ends_with_nocase(std::string_view path, std::string_view suffix);
/// The last component of a '/'-separated path, and the one before it ("" when none).
std::string_view file_name(std::string_view path);
std::string_view parent_name(std::string_view path);

}  // namespace textkit::import
