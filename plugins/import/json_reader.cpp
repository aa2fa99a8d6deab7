#include "json_reader.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <array>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "textkit/io.h"
#include "textkit_common/mojibake.h"
#include "textkit_common/unicode.h"

namespace textkit::import {
namespace {

constexpr int hex_value(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Whether one of the eight bytes of `word` is '"', '\\' or below 0x20 (the classic zero-byte
// tests on word ^ the byte repeated; exact, since each test is "some byte is zero").
bool needs_attention(std::uint64_t word) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  constexpr std::uint64_t highs = 0x8080808080808080ULL;
  auto has_zero = [](std::uint64_t x) { return ((x - ones) & ~x & highs) != 0; };
  auto has_less = [](std::uint64_t x, std::uint64_t n) {
    return ((x - ones * n) & ~x & highs) != 0;
  };
  return has_zero(word ^ (ones * '"')) || has_zero(word ^ (ones * '\\')) || has_less(word, 0x20);
}

// Each byte's value as a hex digit, or -1.
constexpr std::array<std::int8_t, 256> hex_digits = [] {
  std::array<std::int8_t, 256> table{};
  for (int c = 0; c < 256; ++c)
    table[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(hex_value(c));
  return table;
}();

// The value of four hex digits at `p`, or -1 (one table look-up per digit, one test).
int hex4(const char* p) {
  const auto digit = [&](int i) { return hex_digits[static_cast<unsigned char>(p[i])]; };
  const int a = digit(0);
  const int b = digit(1);
  const int c = digit(2);
  const int d = digit(3);
  if ((a | b | c | d) < 0) return -1;
  return (a << 12) | (b << 8) | (c << 4) | d;
}

// How many bytes from `p` on are plain (none '"', '\\', below 0x20 or above 0x7F), at most
// end - p; they are copied to `o` on the way. Sixteen at a time where sixteen remain (what is
// stored past the plain ones is left for the caller to overwrite: it writes `o` no faster than it
// reads `p`).
std::size_t copy_plain(const char* p, const char* end, char* o) {
  const char* const from = p;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  while (end - p >= 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(o), block);
    // Signed, bytes above 0x7F are below 0x20 too.
    const __m128i special =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, quote), _mm_cmpeq_epi8(block, backslash)),
                     _mm_cmplt_epi8(block, space));
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(special));
    if (mask != 0) return static_cast<std::size_t>(p - from) + std::countr_zero(mask);
    p += 16;
    o += 16;
  }
#endif
  while (p < end) {
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"' || c == '\\' || c < 0x20 || c > 0x7F) break;
    *o++ = *p++;
  }
  return static_cast<std::size_t>(p - from);
}

// How many bytes from `p` on come before the first '"' (end - p when none does); they are
// copied to `o` on the way, as copy_plain copies.
std::size_t copy_to_quote(const char* p, const char* end, char* o) {
  const char* const from = p;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  while (end - p >= 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(o), block);
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(block, quote)));
    if (mask != 0) return static_cast<std::size_t>(p - from) + std::countr_zero(mask);
    p += 16;
    o += 16;
  }
#endif
  while (p < end && *p != '"') *o++ = *p++;
  return static_cast<std::size_t>(p - from);
}

// Past the string whose characters start at `p` (its opening quote just before): at its closing
// quote, or `end` when it has none.
const char* string_end(const char* p, const char* end) {
  while (p < end) {
    if (end - p >= 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, p, 8);
      if (!needs_attention(word)) {
        p += 8;
        continue;
      }
    }
    if (*p == '"') return p;
    p += *p == '\\' && end - p >= 2 ? 2 : 1;
  }
  return end;
}

std::string shown(int c) {
  if (c >= 0x20 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
  char hex[8];
  static constexpr char digits[] = "0123456789ABCDEF";
  hex[0] = '0';
  hex[1] = 'x';
  hex[2] = digits[(c >> 4) & 0xF];
  hex[3] = digits[c & 0xF];
  return std::string(hex, 4);
}

std::string too_deep() {
  return "refused: arrays and objects nested more than " + std::to_string(json_max_depth) +
         " levels deep";
}

}  // namespace

// "\\u00" read as a 32-bit word.
constexpr std::uint32_t escape_u00 =
    std::endian::native == std::endian::little ? 0x3030755CU : 0x5C753030U;

std::size_t copy_repairing_json_strings(std::string_view text, char* out, bool check_utf8) {
  const char* p = text.data();
  const char* const end = p + text.size();
  char* o = out;
  for (;;) {
    // Outside strings: copied up to and with the next opening quote.
    const std::size_t before = copy_to_quote(p, end, o);
    p += before;
    o += before;
    if (p == end) return static_cast<std::size_t>(o - out);
    *o++ = '"';
    ++p;
    // A string: written repaired while it can be the damage (only ASCII and characters up to
    // U+00FF, the way json_reader's bytes mode reads it), then kept, or else copied as it is.
    const char* const start = p;
    char* const written = o;
    bool repairable = true;
    bool any_high = false;
    for (;;) {
      const std::size_t plain = copy_plain(p, end, o);
      p += plain;
      o += plain;
      if (p == end) break;
      const auto c = static_cast<unsigned char>(*p);
      if (c == '"') break;
      if (c == '\\') {
        // A run of Facebook's escapes, \u0080 to \u00FF: each becomes its byte.
        const char* const run = p;
        while (end - p >= 6) {
          std::uint32_t lead = 0;
          std::memcpy(&lead, p, 4);
          const int high = hex_digits[static_cast<unsigned char>(p[4])];
          const int low = hex_digits[static_cast<unsigned char>(p[5])];
          if (lead != escape_u00 || high < 8 || low < 0) break;
          *o++ = static_cast<char>((high << 4) | low);
          p += 6;
        }
        if (p != run) {
          any_high = true;
          continue;
        }
        if (end - p >= 6 && p[1] == 'u') {
          const int code = hex4(p + 2);
          if (code >= 0 && code < 0x80) {  // a quote, a control character...: left escaped
            std::memcpy(o, p, 6);
            o += 6;
            p += 6;
            continue;
          }
        } else if (end - p >= 2 && std::memchr("\"\\/bfnrt", p[1], 8) != nullptr) {
          o[0] = p[0];
          o[1] = p[1];
          o += 2;
          p += 2;
          continue;
        }
        repairable = false;  // past U+00FF, or broken
        break;
      }
      if (c >= 0x80) {
        // A character U+0080-U+00FF written as UTF-8 stands for its Latin-1 byte, as escaped.
        if ((c & 0xFE) == 0xC2 && end - p >= 2 &&
            (static_cast<unsigned char>(p[1]) & 0xC0) == 0x80) {
          *o++ = static_cast<char>(((c & 0x03) << 6) | (p[1] & 0x3F));
          any_high = true;
          p += 2;
          continue;
        }
        repairable = false;
        break;
      }
      *o++ = static_cast<char>(c);  // ASCII (a control character too: refused later)
      ++p;
    }
    const char* const close = repairable ? p : string_end(p, end);
    bool keep = repairable && any_high && close < end;
    if (keep) {
      // A key is never repaired.
      const char* after = close + 1;
      while (after < end && (*after == ' ' || *after == '\n' || *after == '\r' || *after == '\t'))
        ++after;
      keep = (after == end || *after != ':') &&
             (!check_utf8 || common::is_valid_utf8(
                                 std::string_view(written, static_cast<std::size_t>(o - written))));
    }
    if (!keep) {
      o = written;
      std::memcpy(o, start, static_cast<std::size_t>(close - start));
      o += close - start;
    }
    if (close == end) return static_cast<std::size_t>(o - out);
    *o++ = '"';
    p = close + 1;
  }
}

json_reader::json_reader(byte_stream& in) : in_(in), buffer_(std::size_t{1} << 18) {}

bool json_reader::fill() {
  if (eof_) return false;
  offset_ += end_;
  pos_ = 0;
  end_ = in_.read(buffer_.data(), buffer_.size());
  if (end_ == 0) {
    eof_ = true;
    return false;
  }
  return true;
}

bool json_reader::fail(const std::string& message) {
  if (!error_set_) {
    error_set_ = true;
    error_message_ = message;
    error_offset_ = offset_ + pos_;
  }
  return false;
}

bool json_reader::skip_space() {
  for (;;) {
    while (pos_ < end_) {
      const char c = buffer_[pos_];
      if (c == '\n') {
        ++line_;
        line_start_ = offset_ + pos_ + 1;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        return true;
      }
      ++pos_;
    }
    if (!fill()) return false;
  }
}

bool json_reader::parse(json_reader_handler& handler, bool allow_trailing,
                        json_syntax_error& error) {
  // A UTF-8 byte order mark is allowed before the value, as nlohmann does.
  if (peek() == 0xEF) {
    if (end_ - pos_ >= 3 && std::memcmp(buffer_.data() + pos_, "\xEF\xBB\xBF", 3) == 0) pos_ += 3;
  }
  bool ok = skip_space() ? value(handler, 0) : fail_at_end();
  if (ok && !allow_trailing && skip_space()) {
    ok = fail("syntax error: unexpected " + shown(peek()) + " after the document");
  }
  if (ok) return true;
  if (!error_set_) fail("stopped by the reader");
  // The line of the error: count the newlines between the last known line start and the error
  // offset only when they lie in the current buffer (errors happen where reading stopped).
  error.line = line_;
  std::uint64_t start = line_start_;
  for (std::uint64_t at = std::max(start, offset_); at < error_offset_ && at - offset_ < end_;
       ++at) {
    if (buffer_[at - offset_] == '\n') {
      ++error.line;
      start = at + 1;
    }
  }
  error.column = error_offset_ - start + 1;
  error.message = error_message_;
  return false;
}

bool json_reader::value(json_reader_handler& handler, int depth) {
  const int c = peek();
  switch (c) {
    case '{':
      return object(handler, depth + 1);
    case '[':
      return array(handler, depth + 1);
    case '"':
      ++pos_;
      scratch_.clear();
      if (!read_string(scratch_, repair_)) return false;
      return handler.string(scratch_) || fail("stopped by the reader");
    case 't':
      return (literal("true", 4) && handler.boolean(true)) || fail("syntax error: expected true");
    case 'f':
      return (literal("false", 5) && handler.boolean(false)) ||
             fail("syntax error: expected false");
    case 'n':
      return (literal("null", 4) && handler.null()) || fail("syntax error: expected null");
    case -1:
      return fail_at_end();
    default:
      if (c == '-' || (c >= '0' && c <= '9')) return number(handler);
      return fail("syntax error: unexpected " + shown(c));
  }
}

bool json_reader::literal(const char* word, std::size_t length) {
  for (std::size_t i = 0; i < length; ++i) {
    const int c = peek();
    if (c != word[i]) return c < 0 ? fail_at_end() : false;
    ++pos_;
  }
  return true;
}

bool json_reader::object(json_reader_handler& handler, int depth) {
  if (depth > json_max_depth) return fail(too_deep());
  ++pos_;  // {
  if (!handler.start_object(static_cast<std::size_t>(-1))) return fail("stopped by the reader");
  if (!skip_space()) return fail_at_end();
  if (peek() == '}') {
    ++pos_;
    return handler.end_object() || fail("stopped by the reader");
  }
  for (;;) {
    if (!skip_space()) return fail_at_end();
    if (peek() != '"')
      return fail("syntax error: expected a string as an object key, got " + shown(peek()));
    ++pos_;
    scratch_.clear();
    if (!read_string(scratch_, false)) return false;
    if (!handler.key(scratch_)) return fail("stopped by the reader");
    if (!skip_space()) return fail_at_end();
    if (peek() != ':') return fail("syntax error: expected ':', got " + shown(peek()));
    ++pos_;
    if (!skip_space()) return fail_at_end();
    if (!value(handler, depth)) return false;
    if (!skip_space()) return fail("unexpected end of input; expected '}'");
    const int c = peek();
    ++pos_;
    if (c == ',') continue;
    if (c == '}') return handler.end_object() || fail("stopped by the reader");
    --pos_;
    return fail("syntax error: expected ',' or '}', got " + shown(c));
  }
}

bool json_reader::array(json_reader_handler& handler, int depth) {
  if (depth > json_max_depth) return fail(too_deep());
  ++pos_;  // [
  if (!handler.start_array(static_cast<std::size_t>(-1))) return fail("stopped by the reader");
  if (!skip_space()) return fail_at_end();
  if (peek() == ']') {
    ++pos_;
    return handler.end_array() || fail("stopped by the reader");
  }
  for (;;) {
    if (!skip_space()) return fail_at_end();
    if (!value(handler, depth)) return false;
    if (!skip_space()) return fail("unexpected end of input; expected ']'");
    const int c = peek();
    ++pos_;
    if (c == ',') continue;
    if (c == ']') return handler.end_array() || fail("stopped by the reader");
    --pos_;
    return fail("syntax error: expected ',' or ']', got " + shown(c));
  }
}

// After the opening quote; appends the decoded string to `out` and consumes the closing quote.
// With `repair` (repair_latin1_mojibake), the string is also repaired as
// common::repair_latin1_mojibake_in_place would repair it after decoding, but without the detour:
// while the string holds only ASCII and \u0000-\u00FF escapes (Facebook's damage, and most plain
// text), each escape is written as its byte, and at the end those bytes are the repaired string
// when they are valid UTF-8 with at least one byte above 0x7F; otherwise they are turned back into
// the code points' UTF-8. Anything else (a raw non-ASCII byte, an escape past U+00FF) leaves that
// mode: what was written is turned back into UTF-8, and the general repair runs at the end.
bool json_reader::read_string(std::string& out, bool repair) {
  const std::size_t start_size = out.size();
  const std::uint64_t start_offset = offset_ + pos_;
  bool escaped = false;
  bool raw_non_ascii = false;  // only bytes copied from the file can be invalid UTF-8
  bool bytes_mode = repair;    // escapes below U+0100 written as single bytes
  bool any_high = false;       // a byte above 0x7F written in bytes mode
  auto leave_bytes_mode = [&] {
    if (!bytes_mode) return;
    bytes_mode = false;
    if (!any_high) return;
    const std::string utf8 = common::latin1_to_utf8(std::string_view(out).substr(start_size));
    out.resize(start_size);
    out.append(utf8);
  };
  auto put_code = [&](std::uint32_t code) {
    if (code < 0x80) {
      out.push_back(static_cast<char>(code));
    } else if (bytes_mode && code < 0x100) {
      out.push_back(static_cast<char>(code));
      any_high = true;
    } else {
      leave_bytes_mode();
      common::append_utf8(out, code);
    }
  };
  for (;;) {
    // The common case: a run of plain characters, copied at once.
    std::size_t run = pos_;
    unsigned char seen = 0;
    // Eight bytes at a time while none is a quote, a backslash or a control character.
    while (end_ - run >= 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, buffer_.data() + run, 8);
      if (needs_attention(word)) break;
      seen |= static_cast<unsigned char>((word & 0x8080808080808080ULL) != 0 ? 0x80 : 0);
      run += 8;
    }
    while (run < end_) {
      const auto c = static_cast<unsigned char>(buffer_[run]);
      if (c == '"' || c == '\\' || c < 0x20) break;
      seen |= c;
      ++run;
    }
    if (seen & 0x80) {
      raw_non_ascii = true;
      leave_bytes_mode();
    }
    out.append(buffer_.data() + pos_, run - pos_);
    pos_ = run;
    if (out.size() - start_size > json_max_string) {
      error_set_ = true;
      error_message_ =
          "refused: a string longer than " + std::to_string(json_max_string >> 20) + " MiB";
      error_offset_ = start_offset - 1;  // the opening quote
      return false;
    }
    if (pos_ == end_) {
      if (!fill()) return fail("unexpected end of input inside a string");
      continue;
    }
    const auto c = static_cast<unsigned char>(buffer_[pos_]);
    if (c == '"') {
      ++pos_;
      if (raw_non_ascii) {
        const std::size_t bad =
            textkit::find_invalid_utf8(std::string_view(out).substr(start_size));
        if (bad != std::string_view::npos) {
          // Without escapes the string's bytes are the file's: point at the bad byte itself.
          if (!escaped) {
            error_set_ = true;
            error_message_ = "invalid UTF-8 in a string";
            error_offset_ = start_offset + bad;
            return false;
          }
          return fail("invalid UTF-8 in a string");
        }
      }
      if (bytes_mode) {
        // The bytes are the repair when they spell UTF-8; otherwise the plain decoding.
        if (any_high && !common::is_valid_utf8(std::string_view(out).substr(start_size))) {
          leave_bytes_mode();
        }
      } else if (repair) {
        if (start_size == 0) {
          common::repair_latin1_mojibake_in_place(out);
        } else {
          std::string tail = out.substr(start_size);
          common::repair_latin1_mojibake_in_place(tail);
          out.resize(start_size);
          out.append(tail);
        }
      }
      return true;
    }
    if (c < 0x20) return fail("invalid string: control character " + shown(c) + " must be escaped");
    ++pos_;  // the backslash
    escaped = true;
    // The common escape, \uXXXX not a surrogate, decoded straight from the buffer; runs of them
    // (a non-ASCII text written with escapes) without going round the outer loop.
    while (end_ - pos_ >= 5 && buffer_[pos_] == 'u') {
      const int code = hex4(buffer_.data() + pos_ + 1);
      if (code < 0 || (code >= 0xD800 && code <= 0xDFFF)) break;
      pos_ += 5;
      put_code(static_cast<std::uint32_t>(code));
      if (end_ - pos_ < 6 || buffer_[pos_] != '\\' || buffer_[pos_ + 1] != 'u') break;
      ++pos_;  // the next backslash
    }
    if (buffer_[pos_ - 1] != '\\') continue;  // the fast path took the escape
    const int escape = peek();
    if (escape < 0) return fail("unexpected end of input inside a string");
    ++pos_;
    switch (escape) {
      case '"':
        out.push_back('"');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '/':
        out.push_back('/');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'u': {
        auto read_hex4 = [this](std::uint32_t& value) {
          value = 0;
          for (int i = 0; i < 4; ++i) {
            const int digit = hex_value(peek());
            if (digit < 0)
              return peek() < 0 ? fail_at_end()
                                : fail("invalid string: '\\u' must be followed by 4 hex digits");
            value = value * 16 + static_cast<std::uint32_t>(digit);
            ++pos_;
          }
          return true;
        };
        std::uint32_t code = 0;
        if (!read_hex4(code)) return false;
        if (code >= 0xD800 && code <= 0xDBFF) {
          if (peek() != '\\')
            return fail("invalid string: a high surrogate must be followed by a low one");
          ++pos_;
          if (peek() != 'u')
            return fail("invalid string: a high surrogate must be followed by a low one");
          ++pos_;
          std::uint32_t low = 0;
          if (!read_hex4(low)) return false;
          if (low < 0xDC00 || low > 0xDFFF)
            return fail("invalid string: a high surrogate must be followed by a low one");
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        } else if (code >= 0xDC00 && code <= 0xDFFF) {
          return fail("invalid string: a low surrogate without a high one");
        }
        put_code(code);
        break;
      }
      default:
        --pos_;
        return fail("invalid string: forbidden character after backslash");
    }
  }
}

bool json_reader::number(json_reader_handler& handler) {
  // The common case, a plain integer of up to 18 digits wholly in the buffer, without the text.
  {
    std::size_t at = pos_;
    const bool negative = at < end_ && buffer_[at] == '-';
    if (negative) ++at;
    const std::size_t first_digit = at;
    std::uint64_t value = 0;
    while (at < end_ && at - first_digit < 19 && buffer_[at] >= '0' && buffer_[at] <= '9') {
      value = value * 10 + static_cast<std::uint64_t>(buffer_[at] - '0');
      ++at;
    }
    const std::size_t count = at - first_digit;
    if (at < end_ && count > 0 && count <= 18 && !(buffer_[first_digit] == '0' && count > 1)) {
      const char next = buffer_[at];
      if (next != '.' && next != 'e' && next != 'E' && next != '-' && next != '+' &&
          !(next >= '0' && next <= '9')) {
        pos_ = at;
        const bool taken = negative ? handler.number_integer(-static_cast<std::int64_t>(value))
                                    : handler.number_unsigned(value);
        return taken || fail("stopped by the reader");
      }
    }
  }
  std::string& text = scratch_;
  text.clear();
  bool is_float = false;
  for (;;) {
    const int c = peek();
    if ((c >= '0' && c <= '9') || c == '-' || c == '+') {
      text.push_back(static_cast<char>(c));
    } else if (c == '.' || c == 'e' || c == 'E') {
      is_float = true;
      text.push_back(static_cast<char>(c));
    } else {
      break;
    }
    ++pos_;
  }
  // The grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  std::size_t i = 0;
  if (i < text.size() && text[i] == '-') ++i;
  const std::size_t int_start = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  bool valid = i > int_start && !(text[int_start] == '0' && i - int_start > 1);
  if (valid && i < text.size() && text[i] == '.') {
    const std::size_t frac = ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    valid = i > frac;
  }
  if (valid && i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    const std::size_t exponent = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    valid = i > exponent;
  }
  if (!valid || i != text.size()) return fail("syntax error: invalid number '" + text + "'");
  if (!is_float) {
    errno = 0;
    char* stop = nullptr;
    if (text[0] == '-') {
      const long long value = std::strtoll(text.c_str(), &stop, 10);
      if (errno == 0) return handler.number_integer(value) || fail("stopped by the reader");
    } else {
      const unsigned long long value = std::strtoull(text.c_str(), &stop, 10);
      if (errno == 0) return handler.number_unsigned(value) || fail("stopped by the reader");
    }
  }
  const double value = std::strtod(text.c_str(), nullptr);
  // Past the range of a double (1e400): refused, as nlohmann does, rather than made infinite.
  if (!std::isfinite(value)) return fail("number overflow: '" + text + "'");
  return handler.number_float(value, text) || fail("stopped by the reader");
}

}  // namespace textkit::import
