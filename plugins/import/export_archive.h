// textkit import plugins - one view of an export however it arrived: a folder, an archive (.zip,
// .tar, .tar.gz, ... read in place with libarchive, never unpacked to disk) or a single file, as
// a sequence of entries, each a path inside the export and a stream of its bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace textkit::import {

/// Bounds that refuse a zip bomb before it fills memory or time.
struct archive_limits {
  /// Refused once the bytes unpacked exceed this many times the archive bytes read so far
  /// (checked past `ratio_grace` bytes, so small, very compressible files pass). Text exports
  /// compress 5-20x; bombs 1000x and more.
  double max_ratio = 200.0;
  std::uint64_t ratio_grace = std::uint64_t{32} << 20;
  /// Refused once the whole archive unpacks to more than this.
  std::uint64_t max_total = std::uint64_t{256} << 30;
  /// Refused past this many entries (files, folders, links): each costs a header read and, for
  /// zip, a central directory record kept in memory. Exports hold thousands to a few hundred
  /// thousand files.
  std::uint64_t max_entries = std::uint64_t{1} << 20;
};

/// An entry's bytes mapped into memory (byte_stream::map_whole), unmapped when let go.
class mapped_bytes {
 public:
  mapped_bytes(const char* data, std::size_t size) noexcept : data_(data), size_(size) {}
  ~mapped_bytes();
  mapped_bytes(const mapped_bytes&) = delete;
  mapped_bytes& operator=(const mapped_bytes&) = delete;
  [[nodiscard]] std::string_view bytes() const noexcept { return {data_, size_}; }

 private:
  const char* data_;
  std::size_t size_;
};

/// A readable stream of one entry's bytes. Throws textkit::error on a read failure or when a
/// bound of archive_limits is passed.
class byte_stream {
 public:
  virtual ~byte_stream() = default;
  /// Up to `size` bytes into `buffer`; 0 at the end.
  virtual std::size_t read(char* buffer, std::size_t size) = 0;
  /// The whole entry, from its first byte, mapped into memory with at least `padding` readable
  /// bytes after its end (of unspecified value), when the stream can: a regular file of a folder,
  /// of at most `limit` bytes. The stream is then used up (read() returns 0). nullptr when it
  /// cannot: read() it instead. Mapping saves the kernel's copy of every byte into the process;
  /// the mapped pages count as the process's memory until the mapping is let go.
  virtual std::shared_ptr<const mapped_bytes> map_whole(std::size_t /*limit*/,
                                                        std::size_t /*padding*/) {
    return nullptr;
  }
};

struct archive_entry_info {
  std::string path;        ///< inside the export, '/'-separated, relative ("messages/x/a.json")
  std::uint64_t size = 0;  ///< uncompressed size as declared; 0 when unknown
};

/// What the visitor says about an entry it was shown by name, before any byte is read.
enum class entry_choice { skip, read };

class export_archive {
 public:
  /// Opens `path`: a folder, an archive file (by its content, whatever its name), or any other
  /// file (a single entry named after it). Throws textkit::error naming the path when it does not
  /// exist or cannot be read.
  explicit export_archive(std::string path, archive_limits limits = {});
  ~export_archive();
  export_archive(const export_archive&) = delete;
  export_archive& operator=(const export_archive&) = delete;

  using chooser = std::function<entry_choice(const archive_entry_info&)>;
  using visitor = std::function<void(const archive_entry_info&, byte_stream&)>;

  /// Walks the entries in a stable order (sorted for a folder, the archive's order otherwise),
  /// showing each regular file to `choose` and, when it says read, its bytes to `visit`. An entry
  /// whose name is absolute or climbs out with ".." is never opened: `unsafe(entry, why)` hears
  /// of it instead. Hidden files (.DS_Store, __MACOSX/) are skipped. May be called more than
  /// once (an importer's first pass may look for the profile).
  void walk(const chooser& choose, const visitor& visit,
            const std::function<void(const archive_entry_info&, const std::string&)>& unsafe);

  /// Total bytes of the input on disk (for progress), and whether it is an archive.
  [[nodiscard]] std::uint64_t disk_size() const noexcept { return disk_size_; }
  [[nodiscard]] bool is_archive() const noexcept { return kind_ == kind::archive; }
  /// A single file given directly: read whatever its name.
  [[nodiscard]] bool is_single_file() const noexcept { return kind_ == kind::file; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  /// Bytes of the input consumed so far in the current walk (archive bytes for an archive).
  [[nodiscard]] std::uint64_t consumed() const noexcept { return consumed_; }

 private:
  enum class kind { folder, archive, file };
  void walk_folder(const chooser& choose, const visitor& visit);
  void walk_archive(
      const chooser& choose, const visitor& visit,
      const std::function<void(const archive_entry_info&, const std::string&)>& unsafe);
  void walk_file(const chooser& choose, const visitor& visit);

  std::string path_;
  archive_limits limits_;
  kind kind_ = kind::file;
  std::uint64_t disk_size_ = 0;
  std::uint64_t consumed_ = 0;
};

/// Why an archive entry name is unsafe ("absolute path", "climbs out of the archive with .."),
/// or empty when it is a plain relative path.
std::string unsafe_entry_reason(std::string_view name);

/// The entry name made relative and '/'-separated ("./a//b" -> "a/b").
std::string clean_entry_name(std::string_view name);

/// Reads a whole (small) entry, refusing one longer than `limit` bytes.
std::string read_all(byte_stream& in, std::uint64_t limit, const std::string& name);

/// A stream that keeps the first bytes it reads, so an importer can look at a file's start (to
/// tell its format by content) and then parse it from the beginning.
class peek_stream final : public byte_stream {
 public:
  peek_stream(byte_stream& in, std::size_t peek_size);
  /// The first bytes of the entry (fewer when it is shorter).
  [[nodiscard]] std::string_view head() const noexcept { return head_; }
  /// Drops the first `count` bytes of what read() will return (a JavaScript prefix).
  void skip(std::size_t count);
  std::size_t read(char* buffer, std::size_t size) override;
  /// The underlying stream's mapping, when nothing was handed out by read() or skip() yet.
  std::shared_ptr<const mapped_bytes> map_whole(std::size_t limit, std::size_t padding) override;
  /// Bytes handed out by read() so far, skipped ones included.
  [[nodiscard]] std::uint64_t position() const noexcept { return position_; }

 private:
  byte_stream& in_;
  std::string head_;
  std::size_t head_pos_ = 0;
  std::uint64_t position_ = 0;
};

}  // namespace textkit::import
