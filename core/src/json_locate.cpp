// textkit host - finding where a JSON pointer's value stands in the text, for lint messages.
// nlohmann-json 3.11 keeps no positions in its values, so this walks the text itself.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "textkit/host/pipeline.h"

namespace textkit::host {

namespace {

class json_walker {
 public:
  explicit json_walker(std::string_view text) : text_(text) {}

  /// Moves to the start of the value at `tokens`; returns the offset of the value (or of the key
  /// of the last member), or npos.
  std::size_t find(const std::vector<std::string>& tokens) {
    skip_space();
    std::size_t found = pos_;
    for (const auto& token : tokens) {
      if (at('{')) {
        found = find_member(token);
      } else if (at('[')) {
        found = find_element(token);
      } else {
        return std::string_view::npos;
      }
      if (found == std::string_view::npos) return found;
    }
    return found;
  }

 private:
  bool at(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  /// Reads a string at pos_ (which is at '"'), decoding only the escapes a key needs.
  bool read_string(std::string& out) {
    out.clear();
    ++pos_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') return true;
      if (c == '\\' && pos_ < text_.size()) {
        const char e = text_[pos_++];
        switch (e) {
          case 'n':
            out += '\n';
            break;
          case 't':
            out += '\t';
            break;
          case 'u':
            out += "\\u";
            break;  // rare in keys; compared verbatim
          default:
            out += e;
        }
        continue;
      }
      out += c;
    }
    return false;
  }

  bool skip_value() {
    skip_space();
    if (pos_ >= text_.size()) return false;
    const char c = text_[pos_];
    if (c == '"') {
      std::string ignored;
      return read_string(ignored);
    }
    if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      ++pos_;
      skip_space();
      if (at(close)) return ++pos_, true;
      while (true) {
        if (c == '{') {
          skip_space();
          std::string ignored;
          if (!at('"') || !read_string(ignored)) return false;
          skip_space();
          if (!at(':')) return false;
          ++pos_;
        }
        if (!skip_value()) return false;
        skip_space();
        if (at(',')) {
          ++pos_;
          continue;
        }
        if (at(close)) return ++pos_, true;
        return false;
      }
    }
    while (pos_ < text_.size() &&
           std::string_view(",}] \t\r\n").find(text_[pos_]) == std::string_view::npos) {
      ++pos_;
    }
    return true;
  }

  std::size_t find_member(const std::string& wanted) {
    ++pos_;
    while (true) {
      skip_space();
      if (!at('"')) return std::string_view::npos;
      const std::size_t key_start = pos_;
      std::string key;
      if (!read_string(key)) return std::string_view::npos;
      skip_space();
      if (!at(':')) return std::string_view::npos;
      ++pos_;
      skip_space();
      if (key == wanted) {
        // The caller either stops here (reporting the key) or descends into the value at pos_.
        return key_start;
      }
      if (!skip_value()) return std::string_view::npos;
      skip_space();
      if (!at(',')) return std::string_view::npos;
      ++pos_;
    }
  }

  std::size_t find_element(const std::string& token) {
    std::size_t wanted = 0;
    for (char c : token) {
      if (c < '0' || c > '9') return std::string_view::npos;
      wanted = wanted * 10 + static_cast<std::size_t>(c - '0');
    }
    ++pos_;
    for (std::size_t i = 0;; ++i) {
      skip_space();
      if (at(']')) return std::string_view::npos;
      if (i == wanted) return pos_;
      if (!skip_value()) return std::string_view::npos;
      skip_space();
      if (!at(',')) return std::string_view::npos;
      ++pos_;
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

std::vector<std::string> split_pointer(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  pointer.remove_prefix(1);
  while (true) {
    const auto slash = pointer.find('/');
    std::string token(pointer.substr(0, slash));
    for (std::size_t at = 0; (at = token.find('~', at)) != std::string::npos; ++at) {
      if (at + 1 < token.size()) token.replace(at, 2, token[at + 1] == '1' ? "/" : "~");
    }
    tokens.push_back(std::move(token));
    if (slash == std::string_view::npos) break;
    pointer.remove_prefix(slash + 1);
  }
  return tokens;
}

}  // namespace

std::pair<std::uint64_t, std::uint64_t> locate_json_pointer(std::string_view text,
                                                            std::string_view pointer) {
  if (!pointer.empty() && pointer.front() != '/') return {0, 0};
  const std::size_t offset = json_walker(text).find(split_pointer(pointer));
  if (offset == std::string_view::npos || offset > text.size()) return {0, 0};
  std::uint64_t line = 1;
  std::uint64_t column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;  // count characters, not UTF-8 continuation bytes
    }
  }
  return {line, column};
}

}  // namespace textkit::host
