#include "xml_stream.h"

#include <algorithm>

#include "textkit/error.h"
#include "textkit/io.h"

namespace textkit::import {
namespace {

constexpr std::size_t max_element = std::size_t{256} << 20;
constexpr std::size_t max_prologue = std::size_t{4} << 20;

bool is_name_end(char c) {
  return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::pair<std::uint64_t, std::uint64_t> place_of(std::string_view text, std::size_t offset,
                                                 std::uint64_t first_line) {
  std::uint64_t line = first_line;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, offset - line_start + 1};
}

}  // namespace

xml_splitter::xml_splitter(byte_stream& in, std::string tag, std::string name)
    : in_(in), tag_(std::move(tag)), name_(std::move(name)) {}

bool xml_splitter::fill() {
  if (eof_) return false;
  char chunk[1 << 16];
  const std::size_t got = in_.read(chunk, sizeof chunk);
  if (got == 0) {
    eof_ = true;
    return false;
  }
  buffer_.append(chunk, got);
  return true;
}

bool xml_splitter::ensure(std::size_t count) {
  while (buffer_.size() < pos_ + count) {
    if (!fill()) return false;
  }
  return true;
}

bool xml_splitter::starts_with_at(std::size_t at, std::string_view text) const {
  return buffer_.compare(at, text.size(), text) == 0;
}

bool xml_splitter::next(xml_piece& piece) {
  enum class state { text, tag, cdata, comment, instruction };
  state current = state::text;
  std::size_t start = std::string::npos;  // of the element being cut
  std::uint64_t start_line = 0;
  std::size_t tag_start = 0;
  char quote = 0;
  int depth = 0;
  std::uint64_t construct_line = line_;
  for (;;) {
    if (pos_ >= buffer_.size()) {
      // Keep the buffer small between elements: what is consumed and not part of one goes.
      if (start == std::string::npos && current == state::text) {
        if (!seen_element_ && prologue_.size() < max_prologue) {
          prologue_.append(buffer_, 0, std::min(pos_, max_prologue - prologue_.size()));
        }
        buffer_.clear();
        pos_ = 0;
      }
      if (!fill()) {
        if (start != std::string::npos || current != state::text) {
          const char* what = current == state::cdata      ? "a CDATA section"
                             : current == state::comment  ? "a comment"
                             : start != std::string::npos ? "a <"
                                                          : "a tag";
          std::string message = std::string("the document ends inside ") + what;
          if (start != std::string::npos && current != state::cdata && current != state::comment) {
            message += tag_ + "> element";
          }
          message += " (truncated file?)";
          throw error(origin{name_, start != std::string::npos ? start_line : construct_line, 0},
                      message);
        }
        if (!seen_element_ && prologue_.size() < max_prologue) {
          prologue_.append(buffer_, 0, std::min(buffer_.size(), max_prologue - prologue_.size()));
        }
        return false;
      }
      continue;
    }
    if (start != std::string::npos && pos_ - start > max_element) {
      throw error(origin{name_, start_line, 0},
                  "a <" + tag_ + "> element larger than 256 MiB; refused");
    }
    const char c = buffer_[pos_];
    if (c == '\n') ++line_;
    switch (current) {
      case state::text:
        if (c != '<') break;
        if (!ensure(9)) ensure(1);
        construct_line = line_;
        if (starts_with_at(pos_, "<![CDATA[")) {
          current = state::cdata;
          pos_ += 9;
          continue;
        }
        if (starts_with_at(pos_, "<!--")) {
          current = state::comment;
          pos_ += 4;
          continue;
        }
        if (starts_with_at(pos_, "<?") || starts_with_at(pos_, "<!")) {
          current = state::instruction;
          break;
        }
        current = state::tag;
        tag_start = pos_;
        quote = 0;
        break;
      case state::tag: {
        if (quote != 0) {
          if (c == quote) quote = 0;
          break;
        }
        if (c == '"' || c == '\'') {
          quote = c;
          break;
        }
        if (c != '>') break;
        current = state::text;
        const bool closing = buffer_[tag_start + 1] == '/';
        const std::size_t name_at = tag_start + (closing ? 2 : 1);
        const bool named = buffer_.compare(name_at, tag_.size(), tag_) == 0 &&
                           name_at + tag_.size() <= pos_ &&
                           is_name_end(buffer_[name_at + tag_.size()]);
        if (!named) break;
        const bool self_closing = !closing && buffer_[pos_ - 1] == '/';
        if (!closing) {
          if (start == std::string::npos) {
            // Drop what came before, keeping it as the prologue before the first element.
            if (!seen_element_ && prologue_.size() < max_prologue) {
              prologue_.append(buffer_, 0, std::min(tag_start, max_prologue - prologue_.size()));
            }
            seen_element_ = true;
            buffer_.erase(0, tag_start);
            pos_ -= tag_start;
            tag_start = 0;
            start = 0;
            start_line = construct_line;
            depth = 0;
          }
          if (!self_closing) ++depth;
        } else if (start != std::string::npos) {
          --depth;
        }
        if (start != std::string::npos && depth == 0) {
          piece.text.assign(buffer_, start, pos_ + 1 - start);
          piece.line = start_line;
          buffer_.erase(0, pos_ + 1);
          pos_ = 0;
          return true;
        }
        break;
      }
      case state::cdata:
        if (c == ']' && ensure(3) && starts_with_at(pos_, "]]>")) {
          current = state::text;
          pos_ += 3;
          continue;
        }
        break;
      case state::comment:
        if (c == '-' && ensure(3) && starts_with_at(pos_, "-->")) {
          current = state::text;
          pos_ += 3;
          continue;
        }
        break;
      case state::instruction:
        if (c == '>') current = state::text;
        break;
    }
    ++pos_;
  }
}

void check_xml_text(std::string_view text, const std::string& name, std::uint64_t first_line) {
  if (const std::size_t bad = find_invalid_utf8(text); bad != std::string_view::npos) {
    const auto [line, column] = place_of(text, bad, first_line);
    throw error(origin{name, line, column}, "invalid UTF-8");
  }
  const auto refuse = [&](std::size_t at, const std::string& why) {
    const auto [line, column] = place_of(text, at, first_line);
    throw error(origin{name, line, column}, "refused: " + why);
  };
  // Each element and attribute becomes a node of 40-64 bytes in pugixml, from as little as 4
  // bytes of text: counted, so that a piece of markup alone cannot take gigabytes.
  std::size_t nodes = 0;
  int depth = 0;
  bool in_tag = false;
  bool closing = false;
  char quote = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (in_tag) {
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '=') {
        if (++nodes > xml_max_nodes) {
          refuse(i, "more than " + std::to_string(xml_max_nodes) +
                        " elements and attributes in one element");
        }
      } else if (c == '>') {
        in_tag = false;
        if (closing || text[i - 1] == '/') --depth;
      }
      if (c != '&') {
        ++i;
        continue;
      }
    } else if (c == '<') {
      if (text.compare(i, 9, "<![CDATA[") == 0) {
        const std::size_t end = text.find("]]>", i + 9);
        i = end == std::string_view::npos ? text.size() : end + 3;
        continue;
      }
      if (text.compare(i, 4, "<!--") == 0) {
        const std::size_t end = text.find("-->", i + 4);
        i = end == std::string_view::npos ? text.size() : end + 3;
        continue;
      }
      if (text.compare(i, 2, "<?") == 0 || text.compare(i, 2, "<!") == 0) {
        const std::size_t end = text.find('>', i + 2);
        i = end == std::string_view::npos ? text.size() : end + 1;
        continue;
      }
      in_tag = true;
      quote = 0;
      closing = text.compare(i, 2, "</") == 0;
      if (!closing) {
        if (++depth > xml_max_depth) {
          refuse(i, "elements nested more than " + std::to_string(xml_max_depth) + " deep");
        }
        if (++nodes > xml_max_nodes) {
          refuse(i, "more than " + std::to_string(xml_max_nodes) +
                        " elements and attributes in one element");
        }
      }
      ++i;
      continue;
    } else if (c != '&') {
      ++i;
      continue;
    }
    const std::size_t semicolon = text.find(';', i);
    const std::string_view ref = semicolon == std::string_view::npos || semicolon - i > 12
                                     ? std::string_view()
                                     : text.substr(i + 1, semicolon - i - 1);
    bool known = ref == "lt" || ref == "gt" || ref == "amp" || ref == "quot" || ref == "apos";
    if (!known && ref.size() >= 2 && ref[0] == '#') {
      const bool hex = ref[1] == 'x' || ref[1] == 'X';
      const std::string_view digits = ref.substr(hex ? 2 : 1);
      known = !digits.empty() && std::all_of(digits.begin(), digits.end(), [&](char d) {
        return (d >= '0' && d <= '9') ||
               (hex && ((d >= 'a' && d <= 'f') || (d >= 'A' && d <= 'F')));
      });
    }
    if (!known) {
      const auto [line, column] = place_of(text, i, first_line);
      const std::string shown = ref.empty() ? std::string("a bare '&'")
                                            : "the undefined entity &" + std::string(ref) + ";";
      throw error(origin{name, line, column}, "bad XML: " + shown);
    }
    i = semicolon + 1;
  }
}

void parse_xml_piece(pugi::xml_document& doc, const xml_piece& piece, const std::string& name) {
  check_xml_text(piece.text, name, piece.line);
  const pugi::xml_parse_result parsed =
      doc.load_buffer(piece.text.data(), piece.text.size(),
                      pugi::parse_default | pugi::parse_ws_pcdata_single, pugi::encoding_utf8);
  if (parsed) return;
  const auto [line, column] =
      place_of(piece.text, static_cast<std::size_t>(parsed.offset), piece.line);
  throw error(origin{name, line, column}, std::string("bad XML: ") + parsed.description());
}

std::string xml_text(const pugi::xml_node& node) {
  std::string out;
  for (const pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      out.append(child.value());
    }
  }
  return out;
}

std::string child_text(const pugi::xml_node& node, const char* name) {
  const pugi::xml_node child = node.child(name);
  return child ? xml_text(child) : std::string();
}

}  // namespace textkit::import
