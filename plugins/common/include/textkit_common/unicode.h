// textkit_common - small Unicode helpers the text plugins share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace textkit::common {

/// Eight bytes at a time (`word`, as loaded from memory): the high bit of each byte that is
/// `least` or more (`least` from 0x80) set in the result, every other bit clear. A byte counts
/// when its high bit is set and its low seven bits reach least - 0x80; no carry crosses a byte.
constexpr std::uint64_t bytes_from(std::uint64_t word, unsigned least) {
  const std::uint64_t to_high_bit = 0x0101010101010101ULL * (0x100 - least);
  return ((word & 0x7F7F7F7F7F7F7F7FULL) + to_high_bit) & word & 0x8080808080808080ULL;
}

/// Whether `text` is valid UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;

/// `text` (valid UTF-8) in Unicode normalisation form C. Cheap when it already is (ASCII, most
/// text): only the part from the first character that needs it is rewritten.
std::string to_nfc(std::string_view text);

/// Puts `text` in NFC in place; returns whether it changed.
bool to_nfc_in_place(std::string& text);

/// Appends the UTF-8 encoding of `code_point` (U+FFFD for a surrogate or one past U+10FFFF).
void append_utf8(std::string& out, char32_t code_point);

/// The code point at text[i] of `text` (valid UTF-8), advancing i past it.
char32_t next_code_point(std::string_view text, std::size_t& i) noexcept;

}  // namespace textkit::common
