// textkit io plugins - a fast path through one line of JSON Lines (private).
//
// nlohmann::json parses about 60 MB/s, most of it spent byte by byte in long strings. A record's
// text is most of its bytes, so read.jsonl walks the top-level object itself, decodes strings with
// the scanner below, and hands only the other (small) values to nlohmann::json. Anything unusual
// makes the scan give up, and the caller parses the line with nlohmann::json, which then also
// words the error.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace textkit::io_plugins {

/// Decodes the JSON string literal starting at `text[pos]` (which must be '"') into `out`
/// (replacing its contents), and moves `pos` past the closing quote. False when the literal is
/// not valid JSON: a raw control character, a bad escape, a lone surrogate, invalid UTF-8, or no
/// closing quote. Accepts exactly what nlohmann::json accepts.
bool decode_json_string(std::string_view text, std::size_t& pos, std::string& out);

/// Moves `pos` past the JSON value starting at `text[pos]`, finding its end only (strings,
/// brackets); the value itself is not checked. False when it runs off the end.
bool skip_json_value(std::string_view text, std::size_t& pos);

/// Moves `pos` past JSON whitespace.
inline void skip_json_space(std::string_view text, std::size_t& pos) {
  while (pos < text.size() &&
         (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r')) {
    ++pos;
  }
}

}  // namespace textkit::io_plugins
