#include "io_common.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

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

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  std::size_t clean = 0;  // start of the run of bytes that need no escape
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + clean, i - clean);
    clean = i + 1;
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
  out.append(text.data() + clean, text.size() - clean);
  out += '"';
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
