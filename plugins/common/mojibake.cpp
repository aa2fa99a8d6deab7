#include "textkit_common/mojibake.h"

#include <cstdint>
#include <cstring>

#include "textkit_common/unicode.h"

namespace textkit::common {
namespace {

// Code points U+0000..U+00FF are one byte in UTF-8 below 0x80 and two above (C2 or C3 then one
// continuation byte), so "all code points <= U+00FF" means: no lead byte other than C2/C3.
bool all_latin1_range(std::string_view text, bool& any_high) {
  any_high = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) continue;
    if (byte != 0xC2 && byte != 0xC3) return false;
    any_high = true;
    ++i;  // its continuation byte; the input is valid UTF-8
  }
  return true;
}

// The Latin-1 byte behind each code point of `text`, which holds only U+0000..U+00FF.
std::string latin1_bytes(std::string_view text) {
  std::string bytes;
  bytes.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      bytes.push_back(static_cast<char>(byte));
      continue;
    }
    const auto next = static_cast<unsigned char>(text[++i]);
    bytes.push_back(static_cast<char>(((byte & 0x03) << 6) | (next & 0x3F)));
  }
  return bytes;
}

// The code point U+0080..U+00FF starting at text[i], or -1 when it is something else.
int latin1_high_at(std::string_view text, std::size_t i) {
  if (i + 1 >= text.size()) return -1;
  const auto byte = static_cast<unsigned char>(text[i]);
  if (byte != 0xC2 && byte != 0xC3) return -1;
  const auto next = static_cast<unsigned char>(text[i + 1]);
  return ((byte & 0x03) << 6) | (next & 0x3F);
}

std::size_t sequence_length(int lead) {
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

}  // namespace

std::optional<std::string> repair_latin1_mojibake(std::string_view text) {
  bool any_high = false;
  if (!all_latin1_range(text, any_high) || !any_high) return std::nullopt;
  std::string bytes = latin1_bytes(text);
  if (!is_valid_utf8(bytes)) return std::nullopt;
  return bytes;
}

bool repair_latin1_mojibake_in_place(std::string& text) {
  // One pass, in place (the bytes are never longer than the code points' UTF-8): each C2/C3 pair
  // becomes its Latin-1 byte; any other lead byte means a code point past U+00FF, so the text is
  // not that damage and is left alone. The result must then be valid UTF-8, else it is undone.
  // Eight bytes at a time: copied whole when ASCII, else taken byte by byte to the end of the
  // eight (a pair may run one past it) before the next eight are looked at.
  char* data = text.data();
  const std::size_t size = text.size();
  std::size_t in = 0;
  std::size_t out = 0;
  bool any_high = false;
  while (in < size) {
    std::size_t stop = size;
    if (size - in >= 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, data + in, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        std::memcpy(data + out, &word, 8);  // read before written: out <= in
        in += 8;
        out += 8;
        continue;
      }
      stop = in + 8;
    }
    while (in < stop) {
      const auto byte = static_cast<unsigned char>(data[in]);
      if (byte < 0x80) {
        data[out++] = static_cast<char>(byte);
        ++in;
        continue;
      }
      if ((byte & 0xFE) != 0xC2 || in + 1 >= size) {
        if (any_high) text = latin1_to_utf8(std::string_view(data, out)) + text.substr(in);
        return false;
      }
      const auto next = static_cast<unsigned char>(data[in + 1]);
      data[out++] = static_cast<char>(((byte & 0x03) << 6) | (next & 0x3F));
      in += 2;
      any_high = true;
    }
  }
  if (!any_high) return false;
  if (!is_valid_utf8(std::string_view(data, out))) {
    text = latin1_to_utf8(std::string_view(data, out));
    return false;
  }
  text.resize(out);
  return true;
}

std::string repair_mojibake_sequences(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const int lead = latin1_high_at(text, i);
    const std::size_t length = lead < 0 ? 0 : sequence_length(lead);
    if (length == 0) {
      out.push_back(text[i]);
      ++i;
      continue;
    }
    // Gather the continuation code points, each two bytes of `text`.
    std::string bytes(1, static_cast<char>(lead));
    std::size_t at = i + 2;
    while (bytes.size() < length) {
      const int next = latin1_high_at(text, at);
      if (next < 0x80 || next > 0xBF) break;
      bytes.push_back(static_cast<char>(next));
      at += 2;
    }
    if (bytes.size() == length && is_valid_utf8(bytes)) {
      out.append(bytes);
      i = at;
      continue;
    }
    out.append(text.substr(i, 2));
    i += 2;
  }
  return out;
}

std::string latin1_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 4);
  for (char c : bytes) append_utf8(out, static_cast<unsigned char>(c));
  return out;
}

}  // namespace textkit::common
