// textkit import plugins - a streaming JSON reader that drives a handler with nlohmann::json's
// SAX interface (null, boolean, number_integer, number_unsigned, number_float, string, key,
// start_object, end_object, start_array, end_array), several times faster than
// nlohmann::json::sax_parse on exports: strings are copied in runs rather than a character at a
// time, and no token text is kept for diagnostics. Strict RFC 8259 JSON; strings must be valid
// UTF-8. Reads from a byte_stream in large blocks, so memory does not grow with the input.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "export_archive.h"
#include "textkit/record.h"

namespace textkit::import {

/// Where and why a document is not JSON.
struct json_syntax_error {
  std::uint64_t line = 0;    ///< 1-based
  std::uint64_t column = 0;  ///< 1-based, in bytes
  std::string message;
};

/// The interface json_reader calls: nlohmann's SAX names, so any nlohmann SAX handler fits.
class json_reader_handler {
 public:
  virtual ~json_reader_handler() = default;
  virtual bool null() = 0;
  virtual bool boolean(bool value) = 0;
  virtual bool number_integer(json::number_integer_t value) = 0;
  virtual bool number_unsigned(json::number_unsigned_t value) = 0;
  virtual bool number_float(json::number_float_t value, const std::string& text) = 0;
  virtual bool string(std::string& value) = 0;
  virtual bool key(std::string& name) = 0;
  virtual bool start_object(std::size_t elements) = 0;
  virtual bool end_object() = 0;
  virtual bool start_array(std::size_t elements) = 0;
  virtual bool end_array() = 0;
};

/// A string (or key) longer than this is refused: no export holds a 16 MiB message, and a hostile
/// file could otherwise make one string as large as the file.
inline constexpr std::size_t json_max_string = std::size_t{16} << 20;
/// Arrays and objects nested deeper than this are refused (the parser recurses).
inline constexpr int json_max_depth = 512;

/// Copies the JSON text `text` to `out` (room for text.size() bytes; never more is written) with
/// every string value that json_reader::repair_latin1_mojibake would repair repaired already: its
/// characters U+0080-U+00FF, escaped (Facebook's "\u00c3\u00a9") or not, written as the single
/// bytes they stand for, which then spell the repaired UTF-8. Keys, strings that are not that
/// damage, and everything outside strings are copied as they are. Returns the length written.
/// On JSON, the result is JSON whose strings decode to what json_reader decodes with the repair
/// on; on text that is not JSON, the result is not JSON either (only strings' insides change, each
/// into a spelling of the same characters), and the same input would be refused.
/// Without `check_utf8`, a string is repaired without checking that its bytes spell UTF-8: when
/// they all do (as in Facebook's exports) the result is the same, sooner; when one does not, the
/// result is not UTF-8, which a parser that validates (simdjson) refuses: copy it again with the
/// check then.
std::size_t copy_repairing_json_strings(std::string_view text, char* out, bool check_utf8 = true);

class json_reader {
 public:
  explicit json_reader(byte_stream& in);

  /// Reads one JSON value and hands it to `handler`. With `allow_trailing`, whatever follows the
  /// value is ignored (a JavaScript file's ";"); otherwise only whitespace may follow. False with
  /// `error` filled when the input is not JSON (or the handler returned false).
  bool parse(json_reader_handler& handler, bool allow_trailing, json_syntax_error& error);

  /// Repair Facebook's mojibake in every string value as it is decoded (keys are left alone):
  /// the result is common::repair_latin1_mojibake_in_place applied to the decoded string.
  void repair_latin1_mojibake(bool on) noexcept { repair_ = on; }

  /// Bytes of the input consumed so far.
  [[nodiscard]] std::uint64_t position() const noexcept { return offset_ + pos_; }

 private:
  bool value(json_reader_handler& handler, int depth);
  bool object(json_reader_handler& handler, int depth);
  bool array(json_reader_handler& handler, int depth);
  bool read_string(std::string& out, bool repair);
  bool number(json_reader_handler& handler);
  bool literal(const char* word, std::size_t length);
  bool skip_space();  // false at the end of the input
  bool fill();
  int peek() { return pos_ < end_ || fill() ? static_cast<unsigned char>(buffer_[pos_]) : -1; }
  bool fail(const std::string& message);
  bool fail_at_end() { return fail("unexpected end of input"); }

  byte_stream& in_;
  std::vector<char> buffer_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  std::uint64_t offset_ = 0;      // bytes before buffer_[0]
  std::uint64_t line_ = 1;        // of buffer_[pos_]
  std::uint64_t line_start_ = 0;  // absolute offset of that line's first byte
  std::string scratch_;
  bool repair_ = false;
  std::string error_message_;
  bool error_set_ = false;
  std::uint64_t error_offset_ = 0;
};

}  // namespace textkit::import
