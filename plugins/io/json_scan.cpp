#include "json_scan.h"

#include <cstdint>
#include <cstring>

#include "textkit/io.h"

namespace textkit::io_plugins {

namespace {

constexpr std::uint64_t ones = 0x0101010101010101ULL;
constexpr std::uint64_t highs = 0x8080808080808080ULL;

// True when one of the 8 bytes in `chunk` is '"', '\\' or below 0x20: the bytes a string scan
// must stop at (classic SWAR tests; may flag a byte after the first real one, never miss one).
bool has_special_byte(std::uint64_t chunk) {
  const std::uint64_t quote = chunk ^ (ones * '"');
  const std::uint64_t backslash = chunk ^ (ones * '\\');
  const std::uint64_t found = ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) |
                              ((chunk - ones * 0x20) & ~chunk);
  return (found & highs) != 0;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads the four hex digits of a \u escape at text[pos].
bool read_hex4(std::string_view text, std::size_t pos, std::uint32_t& value) {
  if (pos + 4 > text.size()) return false;
  value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const int digit = hex_value(text[pos + i]);
    if (digit < 0) return false;
    value = value * 16 + static_cast<std::uint32_t>(digit);
  }
  return true;
}

void append_utf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// Decodes the escape after a backslash at text[pos - 1]; moves pos past it.
bool decode_escape(std::string_view text, std::size_t& pos, std::string& out) {
  if (pos >= text.size()) return false;
  const char kind = text[pos++];
  switch (kind) {
    case '"':
      out += '"';
      return true;
    case '\\':
      out += '\\';
      return true;
    case '/':
      out += '/';
      return true;
    case 'b':
      out += '\b';
      return true;
    case 'f':
      out += '\f';
      return true;
    case 'n':
      out += '\n';
      return true;
    case 'r':
      out += '\r';
      return true;
    case 't':
      out += '\t';
      return true;
    case 'u':
      break;
    default:
      return false;
  }
  std::uint32_t code = 0;
  if (!read_hex4(text, pos, code)) return false;
  pos += 4;
  if (code >= 0xDC00 && code <= 0xDFFF) return false;  // a low surrogate first
  if (code >= 0xD800 && code <= 0xDBFF) {
    // A high surrogate must be followed by an escaped low one: the pair is one code point.
    std::uint32_t low = 0;
    if (pos + 6 > text.size() || text[pos] != '\\' || text[pos + 1] != 'u') return false;
    if (!read_hex4(text, pos + 2, low) || low < 0xDC00 || low > 0xDFFF) return false;
    pos += 6;
    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
  }
  append_utf8(out, code);
  return true;
}

}  // namespace

bool decode_json_string(std::string_view text, std::size_t& pos, std::string& out) {
  out.clear();
  std::size_t i = pos + 1;
  for (;;) {
    // Copy the run up to the next quote, backslash or control character in one piece.
    const std::size_t run = i;
    while (i + 8 <= text.size()) {
      std::uint64_t chunk;
      std::memcpy(&chunk, text.data() + i, 8);
      if (has_special_byte(chunk)) break;
      i += 8;
    }
    while (i < text.size()) {
      const auto c = static_cast<unsigned char>(text[i]);
      if (c == '"' || c == '\\' || c < 0x20) break;
      ++i;
    }
    out.append(text.data() + run, i - run);
    if (i >= text.size()) return false;
    const char c = text[i];
    if (c == '"') break;
    if (c != '\\') return false;  // a raw control character
    ++i;
    if (!decode_escape(text, i, out)) return false;
  }
  // Escapes always decode to whole UTF-8 sequences, so checking the result checks the raw bytes.
  if (find_invalid_utf8(out) != std::string_view::npos) return false;
  pos = i + 1;
  return true;
}

bool skip_json_value(std::string_view text, std::size_t& pos) {
  std::size_t depth = 0;
  std::size_t i = pos;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      // Past the closing quote, stepping over escaped characters.
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
      }
      if (i >= text.size()) return false;
      ++i;
    } else if (c == '{' || c == '[') {
      ++depth;
      ++i;
    } else if (c == '}' || c == ']') {
      if (depth == 0) break;  // the end of the enclosing object
      --depth;
      ++i;
    } else if (depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
      break;
    } else {
      ++i;
    }
    if (depth == 0 && (c == '"' || c == '}' || c == ']')) break;
  }
  if (depth != 0 || i == pos) return false;
  pos = i;
  return true;
}

}  // namespace textkit::io_plugins
