#include "export_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "textkit/error.h"

namespace fs = std::filesystem;

namespace textkit::import {

mapped_bytes::~mapped_bytes() {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-const-cast): munmap's signature; nothing is written
  ::munmap(const_cast<char*>(data_), size_);
}

namespace {

bool is_hidden(std::string_view relative) {
  std::size_t start = 0;
  while (start < relative.size()) {
    std::size_t end = relative.find('/', start);
    if (end == std::string_view::npos) end = relative.size();
    const std::string_view part = relative.substr(start, end - start);
    if (!part.empty() && part[0] == '.') return true;
    if (part == "__MACOSX") return true;
    start = end + 1;
  }
  return false;
}

// Archive formats by their first bytes, so a Takeout "export.tgz" renamed to anything still opens.
bool looks_like_archive(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  unsigned char magic[264] = {};
  const ssize_t got = ::read(fd, magic, sizeof magic);
  ::close(fd);
  if (got < 4) return false;
  if (magic[0] == 'P' && magic[1] == 'K' &&
      ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6) ||
       (magic[2] == 7 && magic[3] == 8))) {
    return true;  // zip: a local header, an empty archive's end record, or a spanned marker
  }
  if (magic[0] == 0x1F && magic[1] == 0x8B) return true;                     // gzip
  if (magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h') return true;    // bzip2
  if (magic[0] == 0xFD && magic[1] == '7' && magic[2] == 'z') return true;   // xz
  if (got >= 262 && std::memcmp(magic + 257, "ustar", 5) == 0) return true;  // tar
  return false;
}

std::uint64_t little_endian(const unsigned char* bytes, int count) {
  std::uint64_t value = 0;
  for (int i = count - 1; i >= 0; --i) value = (value << 8) | bytes[i];
  return value;
}

// The number of entries a zip's end of central directory declares (zip64's when the classic
// record says 0xFFFF), or 0 when there is none to read. libarchive reads the whole central
// directory into memory before the first entry, so a count past the bound is refused from this
// before libarchive sees the file.
std::uint64_t declared_zip_entries(const std::string& path, std::uint64_t file_size) {
  constexpr std::uint64_t end_record = 22;
  constexpr std::uint64_t max_comment = 0xFFFF;
  if (file_size < end_record) return 0;
  const std::uint64_t tail_size = std::min(file_size, end_record + max_comment + 20);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  unsigned char magic[2] = {};
  if (::pread(fd, magic, 2, 0) != 2 || magic[0] != 'P' || magic[1] != 'K') {
    ::close(fd);
    return 0;
  }
  std::vector<unsigned char> tail(tail_size);
  const ssize_t got =
      ::pread(fd, tail.data(), tail_size, static_cast<off_t>(file_size - tail_size));
  std::uint64_t count = 0;
  if (got == static_cast<ssize_t>(tail_size)) {
    for (std::uint64_t at = tail_size - end_record + 1; at-- > 0;) {
      const unsigned char* record = tail.data() + at;
      if (std::memcmp(record, "PK\x05\x06", 4) != 0) continue;
      count = little_endian(record + 10, 2);
      // zip64: a locator just before the record points at the zip64 end record.
      if (count == 0xFFFF && at >= 20 && std::memcmp(record - 20, "PK\x06\x07", 4) == 0) {
        const std::uint64_t zip64_at = little_endian(record - 20 + 8, 8);
        unsigned char zip64[40];
        if (zip64_at + sizeof zip64 <= file_size &&
            ::pread(fd, zip64, sizeof zip64, static_cast<off_t>(zip64_at)) ==
                static_cast<ssize_t>(sizeof zip64) &&
            std::memcmp(zip64, "PK\x06\x06", 4) == 0) {
          count = little_endian(zip64 + 32, 8);
        }
      }
      break;
    }
  }
  ::close(fd);
  return count;
}

class fd_stream final : public byte_stream {
 public:
  explicit fd_stream(const std::string& path, std::uint64_t& consumed)
      : path_(path), consumed_(consumed) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw error(origin{path}, std::string("cannot open: ") + std::strerror(errno));
  }
  ~fd_stream() override { ::close(fd_); }
  fd_stream(const fd_stream&) = delete;
  fd_stream& operator=(const fd_stream&) = delete;

  std::size_t read(char* buffer, std::size_t size) override {
    if (used_up_) return 0;
    for (;;) {
      const ssize_t got = ::read(fd_, buffer, size);
      if (got >= 0) {
        consumed_ += static_cast<std::uint64_t>(got);
        read_ += static_cast<std::uint64_t>(got);
        return static_cast<std::size_t>(got);
      }
      if (errno == EINTR) continue;
      throw error(origin{path_}, std::string("cannot read: ") + std::strerror(errno));
    }
  }

  std::shared_ptr<const mapped_bytes> map_whole(std::size_t limit, std::size_t padding) override {
    struct stat about {};
    if (used_up_ || ::fstat(fd_, &about) != 0 || !S_ISREG(about.st_mode) || about.st_size <= 0 ||
        static_cast<std::uint64_t>(about.st_size) > limit) {
      return nullptr;
    }
    const auto size = static_cast<std::size_t>(about.st_size);
    // The bytes from the end of the file to the end of its last page read as zeros; past that
    // page nothing is mapped, so the padding must fit in what the last page has left.
    static const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    if (size % page == 0 || page - size % page < padding) return nullptr;
    // Populated: every page is wanted, and one call maps them all instead of a fault per page.
    void* at = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd_, 0);
    if (at == MAP_FAILED) return nullptr;  // read() still works
    used_up_ = true;
    consumed_ += size - std::min<std::uint64_t>(read_, size);
    return std::make_shared<const mapped_bytes>(static_cast<const char*>(at), size);
  }

 private:
  std::string path_;
  std::uint64_t& consumed_;
  int fd_ = -1;
  std::uint64_t read_ = 0;  // bytes read() returned
  bool used_up_ = false;    // mapped: read() returns nothing more
};

struct archive_closer {
  void operator()(struct archive* a) const { archive_read_free(a); }
};
using archive_handle = std::unique_ptr<struct archive, archive_closer>;

class archive_entry_stream final : public byte_stream {
 public:
  archive_entry_stream(struct archive* a, std::string name, const archive_limits& limits,
                       std::uint64_t& unpacked_total)
      : archive_(a), name_(std::move(name)), limits_(limits), unpacked_total_(unpacked_total) {}

  std::size_t read(char* buffer, std::size_t size) override {
    const la_ssize_t got = archive_read_data(archive_, buffer, size);
    if (got < 0) {
      const char* why = archive_error_string(archive_);
      throw error(origin{name_}, std::string("cannot unpack: ") + (why ? why : "damaged archive"));
    }
    unpacked_total_ += static_cast<std::uint64_t>(got);
    check_bounds();
    return static_cast<std::size_t>(got);
  }

 private:
  void check_bounds() const {
    if (unpacked_total_ > limits_.max_total) {
      throw error(origin{name_}, "refused: the archive unpacks to more than " +
                                     std::to_string(limits_.max_total >> 20) +
                                     " MiB (a zip bomb?)");
    }
    if (unpacked_total_ <= limits_.ratio_grace) return;
    const auto packed =
        static_cast<double>(std::max<la_int64_t>(archive_filter_bytes(archive_, -1), 1));
    if (static_cast<double>(unpacked_total_) > limits_.max_ratio * packed) {
      throw error(origin{name_}, "refused: the archive unpacks to more than " +
                                     std::to_string(static_cast<int>(limits_.max_ratio)) +
                                     " times its size (a zip bomb?)");
    }
  }

  struct archive* archive_;
  std::string name_;
  const archive_limits& limits_;
  std::uint64_t& unpacked_total_;
};

}  // namespace

std::string unsafe_entry_reason(std::string_view name) {
  if (name.empty()) return "empty entry name";
  if (name[0] == '/' || name[0] == '\\') return "absolute path";
  if (name.size() >= 2 && name[1] == ':' &&
      ((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z'))) {
    return "absolute path";
  }
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find_first_of("/\\", start);
    if (end == std::string_view::npos) end = name.size();
    if (name.substr(start, end - start) == "..") return "climbs out of the archive with ..";
    start = end + 1;
  }
  return {};
}

std::string clean_entry_name(std::string_view name) {
  std::string out;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    const std::string_view part = name.substr(start, end - start);
    if (!part.empty() && part != ".") {
      if (!out.empty()) out.push_back('/');
      out.append(part);
    }
    start = end + 1;
  }
  return out;
}

std::string read_all(byte_stream& in, std::uint64_t limit, const std::string& name) {
  std::string out;
  char buffer[1 << 16];
  for (;;) {
    const std::size_t got = in.read(buffer, sizeof buffer);
    if (got == 0) break;
    if (out.size() + got > limit) {
      throw error(origin{name},
                  "larger than " + std::to_string(limit >> 20) + " MiB, too large to read whole");
    }
    out.append(buffer, got);
  }
  return out;
}

peek_stream::peek_stream(byte_stream& in, std::size_t peek_size) : in_(in) {
  head_.resize(peek_size);
  std::size_t filled = 0;
  while (filled < peek_size) {
    const std::size_t got = in_.read(head_.data() + filled, peek_size - filled);
    if (got == 0) break;
    filled += got;
  }
  head_.resize(filled);
}

void peek_stream::skip(std::size_t count) {
  char buffer[4096];
  while (count > 0) {
    const std::size_t got = read(buffer, std::min(count, sizeof buffer));
    if (got == 0) return;
    count -= got;
  }
}

std::shared_ptr<const mapped_bytes> peek_stream::map_whole(std::size_t limit, std::size_t padding) {
  if (position_ != 0) return nullptr;
  auto mapped = in_.map_whole(limit, padding);
  if (mapped != nullptr) {
    head_pos_ = head_.size();
    position_ = mapped->bytes().size();
  }
  return mapped;
}

std::size_t peek_stream::read(char* buffer, std::size_t size) {
  if (head_pos_ < head_.size()) {
    const std::size_t n = std::min(size, head_.size() - head_pos_);
    std::memcpy(buffer, head_.data() + head_pos_, n);
    head_pos_ += n;
    position_ += n;
    return n;
  }
  const std::size_t got = in_.read(buffer, size);
  position_ += got;
  return got;
}

export_archive::export_archive(std::string path, archive_limits limits)
    : path_(std::move(path)), limits_(limits) {
  std::error_code failure;
  const fs::file_status status = fs::status(path_, failure);
  if (failure || !fs::exists(status)) throw error(origin{path_}, "no such file or folder");
  if (fs::is_directory(status)) {
    kind_ = kind::folder;
    return;
  }
  disk_size_ = fs::file_size(path_, failure);
  kind_ = looks_like_archive(path_) ? kind::archive : kind::file;
}

export_archive::~export_archive() = default;

void export_archive::walk(
    const chooser& choose, const visitor& visit,
    const std::function<void(const archive_entry_info&, const std::string&)>& unsafe) {
  consumed_ = 0;
  switch (kind_) {
    case kind::folder:
      walk_folder(choose, visit);
      return;
    case kind::archive:
      walk_archive(choose, visit, unsafe);
      return;
    case kind::file:
      walk_file(choose, visit);
      return;
  }
}

void export_archive::walk_folder(const chooser& choose, const visitor& visit) {
  std::vector<std::pair<std::string, std::uint64_t>> files;
  std::error_code failure;
  const fs::path root(path_);
  for (fs::recursive_directory_iterator it(root, failure), end; !failure && it != end;
       it.increment(failure)) {
    if (!it->is_regular_file(failure)) continue;
    std::string relative = it->path().lexically_relative(root).generic_string();
    if (is_hidden(relative)) continue;
    files.emplace_back(std::move(relative), it->file_size(failure));
  }
  if (failure) throw error(origin{path_}, "cannot list the folder: " + failure.message());
  std::sort(files.begin(), files.end());
  disk_size_ = 0;
  for (const auto& file : files) disk_size_ += file.second;
  std::uint64_t done = 0;
  for (const auto& [relative, size] : files) {
    const archive_entry_info info{relative, size};
    if (choose(info) == entry_choice::read) {
      std::uint64_t read_bytes = 0;
      fd_stream stream((root / relative).string(), read_bytes);
      visit(info, stream);
    }
    done += size;
    consumed_ = done;
  }
}

void export_archive::walk_file(const chooser& choose, const visitor& visit) {
  const archive_entry_info info{fs::path(path_).filename().string(), disk_size_};
  if (choose(info) != entry_choice::read) return;
  fd_stream stream(path_, consumed_);
  visit(info, stream);
}

void export_archive::walk_archive(
    const chooser& choose, const visitor& visit,
    const std::function<void(const archive_entry_info&, const std::string&)>& unsafe) {
  if (const std::uint64_t declared = declared_zip_entries(path_, disk_size_);
      declared > limits_.max_entries) {
    throw error(origin{path_}, "refused: the archive declares " + std::to_string(declared) +
                                   " entries, more than " + std::to_string(limits_.max_entries));
  }
  archive_handle handle(archive_read_new());
  struct archive* a = handle.get();
  archive_read_support_filter_all(a);
  archive_read_support_format_zip(a);
  archive_read_support_format_tar(a);
  archive_read_support_format_gnutar(a);
  archive_read_support_format_7zip(a);
  if (archive_read_open_filename(a, path_.c_str(), 1 << 16) != ARCHIVE_OK) {
    const char* why = archive_error_string(a);
    throw error(origin{path_},
                std::string("cannot open the archive: ") + (why ? why : "unknown format"));
  }
  std::uint64_t unpacked_total = 0;
  std::uint64_t entries = 0;
  for (;;) {
    struct archive_entry* entry = nullptr;
    const int status = archive_read_next_header(a, &entry);
    if (status == ARCHIVE_EOF) break;
    if (status < ARCHIVE_WARN) {
      const char* why = archive_error_string(a);
      throw error(origin{path_}, std::string("damaged archive: ") + (why ? why : "unreadable"));
    }
    if (++entries > limits_.max_entries) {
      throw error(origin{path_}, "refused: the archive holds more than " +
                                     std::to_string(limits_.max_entries) + " entries");
    }
    consumed_ = static_cast<std::uint64_t>(archive_filter_bytes(a, -1));
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    const char* raw_name = archive_entry_pathname_utf8(entry);
    if (raw_name == nullptr) raw_name = archive_entry_pathname(entry);
    const std::string name = raw_name ? raw_name : "";
    archive_entry_info info{name, archive_entry_size_is_set(entry)
                                      ? static_cast<std::uint64_t>(archive_entry_size(entry))
                                      : 0};
    if (const std::string why = unsafe_entry_reason(name); !why.empty()) {
      unsafe(info, "unsafe entry name refused (" + why + ")");
      continue;
    }
    info.path = clean_entry_name(name);
    if (is_hidden(info.path)) continue;
    if (info.size > limits_.max_total) {
      unsafe(info, "refused: declares " + std::to_string(info.size >> 20) +
                       " MiB unpacked (a zip bomb?)");
      continue;
    }
    if (choose(info) != entry_choice::read) continue;
    archive_entry_stream stream(a, info.path, limits_, unpacked_total);
    visit(info, stream);
  }
  consumed_ = disk_size_;
}

}  // namespace textkit::import
