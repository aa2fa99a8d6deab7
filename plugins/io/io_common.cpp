#include "io_common.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "textkit/io.h"

namespace textkit::io_plugins {

namespace fs = std::filesystem;

namespace {
constexpr std::uint64_t progress_step = std::uint64_t{1} << 20;

bool has_wildcard(const std::string& part) {
  return part.find_first_of("*?[") != std::string::npos;
}
}  // namespace

input_names::input_names(const std::string& path) {
  if (path == "-") return;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    root_ = path;
    return;
  }
  if (fs::exists(path, ec) || !has_wildcard(path)) {
    root_ = fs::path(path).parent_path().string();
    return;
  }
  // A pattern: its folder part up to the first component with a wildcard.
  fs::path root;
  for (const auto& part : fs::path(path).parent_path()) {
    if (has_wildcard(part.string())) break;
    root /= part;
  }
  root_ = root.string();
}

std::string input_names::operator()(const std::string& file) const {
  if (file == "-") return file;
  if (root_.empty()) return fs::path(file).filename().string();
  std::string relative = fs::path(file).lexically_relative(root_).generic_string();
  if (relative.empty() || relative.rfind("..", 0) == 0) return file;
  return relative;
}

byte_progress::byte_progress(const std::vector<std::string>& files) {
  for (const auto& file : files) {
    struct stat st {};
    // One input of unknown size (stdin, a pipe) makes the total unknown.
    if (file == "-" || ::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      total_ = 0;
      return;
    }
    total_ += static_cast<std::uint64_t>(st.st_size);
  }
}

void byte_progress::update(context& ctx, std::uint64_t in_file) {
  const std::uint64_t done = before_ + in_file;
  if (done < reported_ + progress_step) return;
  reported_ = done;
  ctx.progress(done, std::max(total_, done));
}

void byte_progress::next_file(context& ctx, std::uint64_t in_file) {
  before_ += in_file;
  reported_ = before_;
  ctx.progress(before_, total_ == 0 ? 0 : std::max(total_, before_));
}

void add_standard_meta(json& meta, std::string_view source, const std::optional<std::string>& label,
                       const std::string& file, std::uint64_t line) {
  meta.emplace("source", source);
  if (label) meta["label"] = *label;
  meta.emplace("id", file + ':' + std::to_string(line));
}

std::optional<std::string> optional_string(const options& opts, std::string_view name) {
  if (!opts.has(name) || opts.get(name).is_null()) return std::nullopt;
  return opts.get_string(name);
}

namespace {

constexpr std::uint64_t ones = 0x0101010101010101ULL;
constexpr std::uint64_t highs = 0x8080808080808080ULL;

// True when all 8 bytes are printable ASCII other than '"' and '\\': copied as they are.
bool is_plain_ascii(std::uint64_t chunk) {
  const std::uint64_t quote = chunk ^ (ones * '"');
  const std::uint64_t backslash = chunk ^ (ones * '\\');
  const std::uint64_t special = ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) |
                                ((chunk - ones * 0x20) & ~chunk) | chunk;
  return (special & highs) == 0;
}

}  // namespace

bool append_json_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  const std::size_t start = out.size();
  out += '"';
  std::size_t clean = 0;  // start of the run of bytes that need no escape
  std::size_t i = 0;
  while (i < n) {
    while (i + 8 <= n) {
      std::uint64_t chunk;
      std::memcpy(&chunk, s + i, 8);
      if (!is_plain_ascii(chunk)) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char c = s[i];
    if (c >= 0x80) {
      // One pass both escapes and checks UTF-8.
      const std::size_t length = utf8_sequence_length(s + i, n - i);
      if (length == 0) {
        out.resize(start);
        return false;
      }
      i += length;
      continue;
    }
    if (c >= 0x20 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    out.append(text.data() + clean, i - clean);
    clean = ++i;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xF];
    }
  }
  out.append(text.data() + clean, n - clean);
  out += '"';
  return true;
}

std::pair<std::uint64_t, std::uint64_t> line_and_column(std::string_view text, std::size_t offset,
                                                        std::uint64_t first_line) {
  const std::string_view before = text.substr(0, offset);
  const auto newlines = static_cast<std::uint64_t>(std::count(before.begin(), before.end(), '\n'));
  const std::size_t line_start = before.rfind('\n');
  const std::size_t column =
      line_start == std::string_view::npos ? offset : offset - line_start - 1;
  return {first_line + newlines, column + 1};
}

}  // namespace textkit::io_plugins
