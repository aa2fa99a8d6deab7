// textkit import plugins - streaming XML for exports that can be large (WordPress WXR, Blogger
// Atom, Tumblr API v1): the document is cut into its repeated elements (<item>, <entry>,
// <post>) without building it whole, and each is then parsed with pugixml. Memory is bounded by
// the largest element, not the file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <pugixml.hpp>

#include "export_archive.h"

namespace textkit::import {

/// One element cut out of the stream.
struct xml_piece {
  std::string text;        ///< from its '<' to the end of its end tag
  std::uint64_t line = 0;  ///< the line it starts on
};

class xml_splitter {
 public:
  /// Cuts the elements named `tag` (any element of that name at any depth, not nested in
  /// another) out of `in`. `name` is the file, for messages.
  xml_splitter(byte_stream& in, std::string tag, std::string name);

  /// The next element; false at the end. Throws textkit::error with the place when the document
  /// ends inside an element, a CDATA section or a comment, or an element is past 256 MiB.
  bool next(xml_piece& piece);

  /// What came before the first element (the channel's title, authors...), up to 4 MiB.
  [[nodiscard]] const std::string& prologue() const noexcept { return prologue_; }

 private:
  bool fill();
  bool ensure(std::size_t count);
  [[nodiscard]] bool starts_with_at(std::size_t at, std::string_view text) const;

  byte_stream& in_;
  std::string tag_;
  std::string name_;
  std::string buffer_;
  std::size_t pos_ = 0;
  std::uint64_t line_ = 1;
  bool eof_ = false;
  bool seen_element_ = false;
  std::string prologue_;
};

/// Inside one piece: elements nested deeper than this are refused,
inline constexpr int xml_max_depth = 256;
/// and so are more elements and attributes than this (each a pugixml node of up to 64 bytes).
inline constexpr std::size_t xml_max_nodes = std::size_t{1} << 20;

/// Checks what pugixml lets pass: every '&' starts a reference XML knows (&lt; &gt; &amp; &quot;
/// &apos; &#NN; &#xNN;), outside CDATA and comments, the text is valid UTF-8, and the bounds above
/// hold. Throws textkit::error naming `name`, the line and column.
void check_xml_text(std::string_view text, const std::string& name, std::uint64_t first_line);

/// Parses one piece with pugixml (after check_xml_text); throws textkit::error with the place
/// of a syntax error.
void parse_xml_piece(pugi::xml_document& doc, const xml_piece& piece, const std::string& name);

/// All the text of an element's direct text and CDATA children, joined (WordPress splits CDATA
/// holding "]]>" into several sections).
std::string xml_text(const pugi::xml_node& node);

/// The text of the first child named `name`, or empty.
std::string child_text(const pugi::xml_node& node, const char* name);

}  // namespace textkit::import
