// gpt2 - GPT-2's pre-tokenization, by hand: the pieces that OpenAI's pattern
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// finds, in the same order, without a regex engine. \s is Unicode White_Space, \p{L} and \p{N}
// the general categories L* and N* (ICU's tables), as in tiktoken's Rust regex.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace textkit::gpt2 {

enum class char_class : std::uint8_t { other, letter, number, space };

/// The class of a code point above U+007F (ICU). An invalid UTF-8 byte is `other`.
char_class class_of_non_ascii(char32_t c) noexcept;

namespace detail {

constexpr std::array<char_class, 128> ascii_classes = [] {
  std::array<char_class, 128> t{};
  for (int c = 0; c < 128; ++c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      t[c] = char_class::letter;
    } else if (c >= '0' && c <= '9') {
      t[c] = char_class::number;
    } else if ((c >= '\t' && c <= '\r') || c == ' ') {
      t[c] = char_class::space;
    } else {
      t[c] = char_class::other;
    }
  }
  return t;
}();

struct decoded {
  char_class kind;
  std::uint8_t length;  // bytes
};

/// The class and length of the character at `p` (p < end). Malformed UTF-8 (a stray
/// continuation byte, a truncated or overlong sequence, a surrogate, beyond U+10FFFF) is one
/// `other` byte, so every byte belongs to exactly one piece.
inline decoded decode_at(const unsigned char* p, const unsigned char* end) noexcept {
  const unsigned char b0 = p[0];
  if (b0 < 0x80) return {ascii_classes[b0], 1};
  const std::ptrdiff_t left = end - p;
  auto cont = [&](int i) { return i < left && (p[i] & 0xC0) == 0x80; };
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (!cont(1)) return {char_class::other, 1};
    return {class_of_non_ascii(((b0 & 0x1Fu) << 6) | (p[1] & 0x3Fu)), 2};
  }
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (!cont(1) || !cont(2)) return {char_class::other, 1};
    const char32_t c = ((b0 & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
    if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF)) return {char_class::other, 1};
    return {class_of_non_ascii(c), 3};
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return {char_class::other, 1};
    const char32_t c =
        ((b0 & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
    if (c < 0x10000 || c > 0x10FFFF) return {char_class::other, 1};
    return {class_of_non_ascii(c), 4};
  }
  return {char_class::other, 1};
}

/// The end of the run of characters of class `kind` starting at p.
inline const unsigned char* run_end(const unsigned char* p, const unsigned char* end,
                                    char_class kind) noexcept {
  while (p < end) {
    if (*p < 0x80) {
      if (ascii_classes[*p] != kind) break;
      ++p;
      continue;
    }
    const decoded d = decode_at(p, end);
    if (d.kind != kind) break;
    p += d.length;
  }
  return p;
}

/// The length of a contraction ('s 't 'm 'd 're 've 'll) at p, which holds an apostrophe; 0 if
/// none.
inline std::size_t contraction_at(const unsigned char* p, const unsigned char* end) noexcept {
  if (end - p < 2) return 0;
  const unsigned char c1 = p[1];
  if (c1 == 's' || c1 == 't' || c1 == 'm' || c1 == 'd') return 2;
  if (end - p < 3) return 0;
  const unsigned char c2 = p[2];
  if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l')) return 3;
  return 0;
}

}  // namespace detail

/// Calls on_piece(std::string_view) for each piece of `text`, in order; the pieces cover the text.
/// The special token is not handled here (bpe_tokenizer splits it out first).
template <typename callback>
void pretokenize(std::string_view text, callback&& on_piece) {
  using detail::decode_at;
  using detail::run_end;
  const auto* const begin = reinterpret_cast<const unsigned char*>(text.data());
  const auto* const end = begin + text.size();
  const auto* p = begin;
  auto emit = [&](const unsigned char* from, const unsigned char* to) {
    on_piece(
        std::string_view(reinterpret_cast<const char*>(from), static_cast<std::size_t>(to - from)));
  };
  while (p < end) {
    if (*p == '\'') {
      if (const std::size_t n = detail::contraction_at(p, end); n != 0) {
        emit(p, p + n);
        p += n;
        continue;
      }
    }
    const detail::decoded here = decode_at(p, end);
    if (*p == ' ' && p + 1 < end) {
      // " ?X+": a single space joins the letters, digits or symbols that follow it.
      const detail::decoded next = decode_at(p + 1, end);
      if (next.kind != char_class::space) {
        const auto* to = run_end(p + 1 + next.length, end, next.kind);
        emit(p, to);
        p = to;
        continue;
      }
    }
    if (here.kind != char_class::space) {
      const auto* to = run_end(p + here.length, end, here.kind);
      emit(p, to);
      p = to;
      continue;
    }
    // \s+(?!\S) then \s+: a run of white space reaching the end of the text is one piece; one
    // followed by something else leaves its last character to start the next piece (" word"),
    // unless the run is that one character.
    const auto* last = p;  // start of the last white-space character of the run
    const auto* q = p + here.length;
    while (q < end) {
      const detail::decoded d = decode_at(q, end);
      if (d.kind != char_class::space) break;
      last = q;
      q += d.length;
    }
    const auto* to = (q == end || last == p) ? q : last;
    emit(p, to);
    p = to;
  }
}

}  // namespace textkit::gpt2
