// Helpers for the import layer's unit tests.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "export_archive.h"

namespace textkit::import::testing {

/// A byte_stream over a string, handing out at most `chunk` bytes a call (to cross buffer
/// boundaries in the parsers).
class string_stream final : public byte_stream {
 public:
  explicit string_stream(std::string text, std::size_t chunk = 7)
      : text_(std::move(text)), chunk_(chunk) {}
  std::size_t read(char* buffer, std::size_t size) override {
    const std::size_t n = std::min({size, chunk_, text_.size() - pos_});
    std::memcpy(buffer, text_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string text_;
  std::size_t chunk_;
  std::size_t pos_ = 0;
};

/// A scratch folder below the build tree, fresh for each call.
inline std::filesystem::path scratch(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(IMPORT_TEST_WORK_DIR) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

/// Writes a zip (or, with `tar_gz`, a .tar.gz) holding `entries` (name, content), names taken as
/// given (even "../x").
inline void write_zip(const std::filesystem::path& file,
                      const std::vector<std::pair<std::string, std::string>>& entries,
                      bool tar_gz = false) {
  struct archive* a = archive_write_new();
  if (tar_gz) {
    archive_write_set_format_pax_restricted(a);
    archive_write_add_filter_gzip(a);
  } else {
    archive_write_set_format_zip(a);
  }
  archive_write_open_filename(a, file.c_str());
  for (const auto& [name, content] : entries) {
    struct archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, name.c_str());
    archive_entry_set_size(entry, static_cast<la_int64_t>(content.size()));
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_write_header(a, entry);
    archive_write_data(a, content.data(), content.size());
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
}

}  // namespace textkit::import::testing
