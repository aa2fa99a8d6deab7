// textkit - file helpers shared by every plugin that reads or writes files.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "textkit/export.h"

namespace textkit {

/// Expands a path option into the files to read, in a stable order: "-" (stdin) as is; a file as
/// is (even when its name has * ? or [); a folder to the regular files below it (sorted, hidden
/// files and folders left out, only those ending in one of `extensions` when given, e.g. {".txt"},
/// compared without regard to case); anything else with * ? [ as a glob. Throws textkit::error
/// naming the path when nothing matches or it does not exist.
TEXTKIT_API std::vector<std::string> expand_inputs(const std::string& path,
                                                   const std::vector<std::string>& extensions = {});

/// The byte offset of the first invalid UTF-8 sequence in `text`, or npos when it is all valid.
TEXTKIT_API std::size_t find_invalid_utf8(std::string_view text) noexcept;

/// The length (2 to 4) of the well-formed UTF-8 sequence starting at s[0], a byte >= 0x80, with
/// `available` bytes readable from s; 0 when the bytes there are not one (Unicode's table 3-7: no
/// overlong forms, no surrogates, nothing above U+10FFFF).
TEXTKIT_API std::size_t utf8_sequence_length(const unsigned char* s,
                                             std::size_t available) noexcept;

/// Reads a file (or stdin for "-") line by line in large blocks, with flat memory whatever the
/// file size. Lines come without their "\n" (and without a "\r" before it); a UTF-8 byte order
/// mark at the start of the file is dropped. Ctrl-C during a read that waits (a pipe, a terminal)
/// throws textkit::cancelled.
class TEXTKIT_API line_reader {
 public:
  explicit line_reader(const std::string& path);
  ~line_reader();
  line_reader(const line_reader&) = delete;
  line_reader& operator=(const line_reader&) = delete;

  /// The next line, valid until the next call; false at the end of the file.
  bool next(std::string_view& line);
  /// 1-based number of the line last returned.
  [[nodiscard]] std::uint64_t line_number() const noexcept { return line_number_; }
  /// Bytes consumed so far, and the file's size (0 when unknown, as for stdin).
  [[nodiscard]] std::uint64_t bytes_read() const noexcept { return consumed_; }
  [[nodiscard]] std::uint64_t size() const noexcept { return size_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  bool fill();

  std::string path_;
  int fd_ = -1;
  bool owns_fd_ = false;
  bool eof_ = false;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // start of unread data in buffer_
  std::size_t end_ = 0;    // end of valid data in buffer_
  std::uint64_t line_number_ = 0;
  std::uint64_t consumed_ = 0;
  std::uint64_t size_ = 0;
};

/// Reads a whole file (or stdin) into a string. Throws textkit::error naming the file.
TEXTKIT_API std::string read_file(const std::string& path);

/// An output file that appears whole or not at all: bytes go to a temporary file beside the target
/// and commit() renames it into place. Destroyed without commit() (an error, Ctrl-C), it removes
/// the temporary file and leaves any earlier file at `path` untouched. "-" writes to stdout; a
/// `path` that is not a regular file (/dev/null, a FIFO) is written in place, never replaced.
/// The constructor creates a missing output folder, and fails at once when that is impossible or
/// the folder is not writable, before any work starts.
class TEXTKIT_API atomic_output {
 public:
  explicit atomic_output(const std::string& path);
  ~atomic_output();
  atomic_output(const atomic_output&) = delete;
  atomic_output& operator=(const atomic_output&) = delete;

  void write(std::string_view bytes);
  void commit();
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] std::uint64_t bytes_written() const noexcept { return written_; }

 private:
  void flush_buffer();
  void write_out(const char* data, std::size_t size);

  std::string path_;
  std::string temp_path_;
  int fd_ = -1;
  bool committed_ = false;
  std::string buffer_;
  std::uint64_t written_ = 0;
  std::uint64_t in_file_ = 0;         // bytes written to the temporary file
  std::uint64_t writeback_from_ = 0;  // where the disk write not yet started begins
};

}  // namespace textkit
