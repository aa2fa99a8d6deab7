#include "textkit/io.h"

#include "textkit/host/run.h"

#include <fcntl.h>
#include <glob.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include "textkit/error.h"

namespace textkit {

namespace {

namespace fs = std::filesystem;

// Large blocks keep the number of system calls low: a 1 GB file is read in ~1000 calls.
constexpr std::size_t block_size = std::size_t{1} << 20;

std::string errno_text(int code) {
  return std::error_code(code, std::generic_category()).message();
}

[[noreturn]] void throw_errno(const std::string& path, const std::string& what, int code) {
  throw error(origin{path}, what + ": " + errno_text(code));
}

bool is_glob(const std::string& path) { return path.find_first_of("*?[") != std::string::npos; }

bool is_hidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

// Extensions compare without regard to ASCII case: exports from Windows tools write ".TXT".
bool ends_with_extension(const std::string& name, const std::vector<std::string>& extensions) {
  if (extensions.empty()) return true;
  return std::any_of(extensions.begin(), extensions.end(), [&](const std::string& ext) {
    if (ext.size() > name.size()) return false;
    return std::equal(ext.begin(), ext.end(), name.end() - static_cast<std::ptrdiff_t>(ext.size()),
                      [](char a, char b) {
                        auto lower = [](char c) {
                          return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
                        };
                        return lower(a) == lower(b);
                      });
  });
}

std::string extension_list(const std::vector<std::string>& extensions) {
  std::string out;
  for (const auto& ext : extensions) {
    if (!out.empty()) out += ", ";
    out += ext;
  }
  return out;
}

// The regular files below `folder`, sorted. Hidden files and folders (".git", ".DS_Store") are
// left out: they are never the user's text.
void collect_folder(const std::string& folder, const std::vector<std::string>& extensions,
                    std::vector<std::string>& out) {
  std::error_code ec;
  fs::recursive_directory_iterator it(folder, fs::directory_options::follow_directory_symlink, ec);
  if (ec) throw_errno(folder, "cannot read folder", ec.value());
  std::vector<std::string> found;
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) throw_errno(folder, "cannot read folder", ec.value());
    const fs::path& entry = it->path();
    if (is_hidden(entry)) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    if (!ends_with_extension(entry.filename().string(), extensions)) continue;
    found.push_back(entry.string());
  }
  if (ec) throw_errno(folder, "cannot read folder", ec.value());
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
}

void collect_glob(const std::string& pattern, const std::vector<std::string>& extensions,
                  std::vector<std::string>& out) {
  glob_t matches{};
  const int rc = ::glob(pattern.c_str(), 0, nullptr, &matches);
  // glob_t owns malloc'ed memory: release it however we leave.
  struct glob_guard {
    glob_t* g;
    ~glob_guard() { ::globfree(g); }
  } guard{&matches};
  if (rc == GLOB_NOMATCH) throw error(origin{pattern}, "no file matches this pattern");
  if (rc != 0) throw error(origin{pattern}, "cannot expand this pattern");
  for (std::size_t i = 0; i < matches.gl_pathc; ++i) {
    const std::string match = matches.gl_pathv[i];
    std::error_code ec;
    if (fs::is_directory(match, ec)) {
      collect_folder(match, extensions, out);
    } else if (fs::is_regular_file(match, ec)) {
      out.push_back(match);
    }
  }
}

// Reads until `size` bytes are in or the end of the file; retries after signals.
ssize_t read_some(int fd, char* data, std::size_t size) {
  for (;;) {
    const ssize_t n = ::read(fd, data, size);
    if (n >= 0 || errno != EINTR) return n;
    // Ctrl-C interrupts a read that waits on a pipe or terminal: stop instead of waiting on.
    if (host::stop_requested()) throw cancelled();
  }
}

void write_all(int fd, const char* data, std::size_t size, const std::string& path) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno(path, "cannot write", errno);
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

int open_for_reading(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_errno(path, "cannot open", errno);
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw error(origin{path}, "is a folder, not a file");
  }
  return fd;
}

// The process umask, without changing it: umask(2) can only be read by setting it, which races
// with other threads creating files, so read it from /proc first.
mode_t current_umask() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Umask:", 0) == 0)
      return static_cast<mode_t>(std::stoul(line.substr(6), nullptr, 8));
  }
  const mode_t mask = ::umask(022);
  ::umask(mask);
  return mask;
}

}  // namespace

std::vector<std::string> expand_inputs(const std::string& path,
                                       const std::vector<std::string>& extensions) {
  if (path == "-") return {path};
  if (path.empty()) throw error("an input path is empty");
  std::vector<std::string> files;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (fs::is_directory(status)) {
    collect_folder(path, extensions, files);
    if (files.empty()) {
      throw error(origin{path}, extensions.empty() ? "the folder has no files"
                                                   : "the folder has no files ending in " +
                                                         extension_list(extensions));
    }
    return files;
  }
  if (fs::exists(status)) return {path};
  // Only a path that does not exist as written is taken as a pattern, so a file whose name holds
  // "[" still reads.
  if (is_glob(path)) {
    collect_glob(path, extensions, files);
    if (files.empty()) throw error(origin{path}, "no file matches this pattern");
    return files;
  }
  throw error(origin{path}, "no such file or folder");
}

std::size_t utf8_sequence_length(const unsigned char* s, std::size_t available) noexcept {
  const unsigned char c = s[0];
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    length = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    length = 3;
    if (c == 0xE0) low = 0xA0;
    if (c == 0xED) high = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    length = 4;
    if (c == 0xF0) low = 0x90;
    if (c == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (length > available || s[1] < low || s[1] > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (s[k] < 0x80 || s[k] > 0xBF) return 0;
  }
  return length;
}

std::size_t find_invalid_utf8(std::string_view text) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    // Most text is ASCII: skip it eight bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t chunk;
      std::memcpy(&chunk, s + i, 8);
      if (chunk & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    const std::size_t length = utf8_sequence_length(s + i, n - i);
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
}

// ---- line_reader ----------------------------------------------------------------------------

line_reader::line_reader(const std::string& path) : path_(path) {
  if (path == "-") {
    fd_ = STDIN_FILENO;
  } else {
    fd_ = open_for_reading(path);
    owns_fd_ = true;
  }
  struct stat st {};
  if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) size_ = static_cast<std::uint64_t>(st.st_size);
  buffer_.resize(block_size);
}

line_reader::~line_reader() {
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
}

bool line_reader::fill() {
  // Keep the partial line, move it to the front, and read behind it; a line longer than the
  // buffer doubles it.
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
  const ssize_t n = read_some(fd_, buffer_.data() + end_, buffer_.size() - end_);
  if (n < 0) throw_errno(path_, "cannot read", errno);
  if (n == 0) {
    eof_ = true;
    return false;
  }
  end_ += static_cast<std::size_t>(n);
  return true;
}

bool line_reader::next(std::string_view& line) {
  std::size_t scanned = begin_;  // bytes before this offset hold no '\n'
  for (;;) {
    const char* start = buffer_.data() + begin_;
    const char* stop = buffer_.data() + end_;
    const char* from = buffer_.data() + scanned;
    const auto* newline = static_cast<const char*>(std::memchr(from, '\n', stop - from));
    std::size_t length = 0;
    std::size_t taken = 0;
    if (newline != nullptr) {
      length = static_cast<std::size_t>(newline - start);
      taken = length + 1;
    } else if (eof_) {
      if (begin_ == end_) return false;
      length = end_ - begin_;  // the last line, without a final newline
      taken = length;
    } else {
      const std::size_t partial = end_ - begin_;
      fill();
      scanned = begin_ + partial;
      continue;
    }
    if (length > 0 && start[length - 1] == '\r') --length;
    line = std::string_view(start, length);
    // A UTF-8 byte order mark (written by Windows Notepad) is no part of the text.
    if (line_number_ == 0 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    begin_ += taken;
    consumed_ += taken;
    ++line_number_;
    return true;
  }
}

// ---- read_file --------------------------------------------------------------------------------

std::string read_file(const std::string& path) {
  const bool is_stdin = path == "-";
  const int fd = is_stdin ? STDIN_FILENO : open_for_reading(path);
  struct fd_guard {
    int fd;
    bool owns;
    ~fd_guard() {
      if (owns) ::close(fd);
    }
  } guard{fd, !is_stdin};
  // Sized to the file plus one byte, so the read that sees the end needs no reallocation.
  std::string data;
  struct stat st {};
  const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  data.resize(regular ? static_cast<std::size_t>(st.st_size) + 1 : block_size);
  std::size_t used = 0;
  for (;;) {
    if (used == data.size()) data.resize(std::max(2 * data.size(), block_size));
    const ssize_t n = read_some(fd, data.data() + used, data.size() - used);
    if (n < 0) throw_errno(path, "cannot read", errno);
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  data.resize(used);
  return data;
}

// ---- atomic_output ----------------------------------------------------------------------------

namespace {

// Removes the temporary files ("<prefix>XXXXXX") that writers of the same target left when they
// were killed (SIGKILL, power loss): a half-written 1.5 GB model would otherwise stay forever. A
// temporary file whose writer is alive holds its lock (in this process or another) and stays.
void remove_stale_temporaries(const fs::path& folder, const std::string& prefix) {
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() != prefix.size() + 6 || name.compare(0, prefix.size(), prefix) != 0) continue;
    const int fd = ::open(it->path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) continue;
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) ::unlink(it->path().c_str());
    ::close(fd);
  }
}

}  // namespace

atomic_output::atomic_output(const std::string& path) : path_(path) {
  buffer_.reserve(block_size);
  if (path == "-") {
    fd_ = STDOUT_FILENO;
    return;
  }
  const fs::path target(path);
  if (!target.has_filename()) throw error(origin{path}, "an output path must name a file");
  std::error_code ec;
  const fs::file_status existing = fs::status(target, ec);
  if (fs::is_directory(existing)) throw error(origin{path}, "is a folder, not a file");
  // An existing target that is not a regular file (/dev/null, a FIFO a reader waits on, a
  // terminal) is written in place, as stdout is: renaming a file over it would replace the
  // device itself (a run writing to /dev/null once left a plain file there).
  if (fs::exists(existing) && !fs::is_regular_file(existing)) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw error(origin{path}, "cannot write: " + errno_text(errno));
    fd_ = fd;  // with no temporary file: written in place
    return;
  }
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  // A pipeline writing "out/mine.txt" in a fresh checkout should just work, as it does in make or
  // a shell script with mkdir -p.
  if (!fs::is_directory(folder, ec)) {
    fs::create_directories(folder, ec);
    if (ec) {
      throw error(origin{path},
                  "cannot create the folder " + folder.string() + ": " + ec.message());
    }
  }
  // The temporary file lives beside the target, so rename(2) is atomic (same file system), and is
  // hidden, so no folder reader picks up a half-written file.
  // Appended piece by piece: GCC 12 at -O3 warns falsely (-Wrestrict) about "." + string.
  std::string hidden_name = ".";
  hidden_name += target.filename().string();
  hidden_name += ".tmp-XXXXXX";
  remove_stale_temporaries(folder, hidden_name.substr(0, hidden_name.size() - 6));
  std::string temp = (folder / hidden_name).string();
  const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) {
    throw error(origin{path},
                "cannot write in the folder " + folder.string() + ": " + errno_text(errno));
  }
  // Held until the file is closed (or its process dies), so that a later writer of the same
  // target tells a live temporary file from one a killed run left behind.
  ::flock(fd, LOCK_EX | LOCK_NB);
  fd_ = fd;
  temp_path_ = std::move(temp);
}

atomic_output::~atomic_output() {
  if (temp_path_.empty()) {  // stdout, or a device written in place: nothing to clean up
    if (fd_ >= 0 && fd_ != STDOUT_FILENO) ::close(fd_);
    return;
  }
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_path_.c_str());
}

void atomic_output::write(std::string_view bytes) {
  written_ += bytes.size();
  if (buffer_.size() + bytes.size() > block_size) flush_buffer();
  // A piece larger than the buffer goes straight through instead of being copied twice.
  if (bytes.size() >= block_size) {
    write_out(bytes.data(), bytes.size());
    return;
  }
  buffer_.append(bytes);
}

void atomic_output::flush_buffer() {
  if (buffer_.empty()) return;
  write_out(buffer_.data(), buffer_.size());
  buffer_.clear();
}

void atomic_output::write_out(const char* data, std::size_t size) {
  write_all(fd_, data, size, path_);
  in_file_ += size;
  // A temporary file is flushed to disk (fsync) before it is renamed into place. Started every
  // few megabytes as the file grows (without waiting for it), the disk's writing overlaps the
  // run's work instead of all coming at the end: a 230 MB write.txt waited 0.1 s in its fsync.
  constexpr std::uint64_t writeback_every = std::uint64_t{8} << 20;
  if (!temp_path_.empty() && in_file_ - writeback_from_ >= writeback_every) {
    ::sync_file_range(fd_, static_cast<off_t>(writeback_from_),
                      static_cast<off_t>(in_file_ - writeback_from_), SYNC_FILE_RANGE_WRITE);
    writeback_from_ = in_file_;
  }
}

void atomic_output::commit() {
  if (committed_) return;
  flush_buffer();
  if (temp_path_.empty()) {
    committed_ = true;
    return;
  }
  // fsync before rename: otherwise a crash right after can leave an empty file under the new name.
  if (::fsync(fd_) != 0) throw_errno(path_, "cannot write", errno);
  // mkstemp creates the file 0600; give it the mode a plain open() would have.
  if (::fchmod(fd_, 0666 & ~current_umask()) != 0) throw_errno(path_, "cannot set mode", errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) throw_errno(path_, "cannot write", errno);
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    throw_errno(path_, "cannot move the finished file into place", errno);
  }
  committed_ = true;
  // Make the rename itself durable; a failure here loses nothing already written.
  const fs::path folder = fs::path(path_).has_parent_path() ? fs::path(path_).parent_path() : ".";
  const int dir_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

}  // namespace textkit
