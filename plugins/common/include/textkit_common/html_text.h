// textkit_common - HTML to plain text, shared by the importers and sanitize.
//
// Built on gumbo (the HTML5 parsing algorithm), so malformed markup, entities and comments are
// handled as a browser would, never with regular expressions.
#pragma once

#include <string>
#include <string_view>

namespace textkit::common {

struct html_text_options {
  /// Append a link's address after its text, as "text (https://...)", when they differ.
  bool keep_link_urls = false;
  /// Put "- " before list items.
  bool list_bullets = false;
  /// Keep <img alt="..."> text (in square brackets).
  bool image_alt = false;
};

/// The readable text of an HTML fragment or document: block elements (p, div, h1-h6, li,
/// blockquote, pre, table rows, figure, hr, ...) are separated by a blank line, <br> is a line
/// break, other whitespace collapses to single spaces (except inside <pre>), entities are decoded,
/// comments (WordPress's <!-- wp:... --> blocks), script, style and template contents are
/// dropped. The result has no leading or trailing whitespace and is valid UTF-8 (gumbo replaces
/// invalid bytes with U+FFFD).
std::string html_to_text(std::string_view html, const html_text_options& options = {});

/// Decodes HTML character references (&amp; &lt; &#39; &#x1F600; &eacute; ...) in text that is
/// not otherwise HTML (a tweet's full_text, an XML attribute that was escaped twice); everything
/// else, '<' and whitespace included, is kept as is. Returns the input unchanged when it holds
/// no '&'.
std::string decode_entities(std::string_view text);

/// Appends `text` to `out` with &, <, > and " escaped, so it reads as that text inside an HTML
/// element or a double-quoted attribute.
void append_html_escaped(std::string& out, std::string_view text);

/// `text` with &, <, > and " escaped (see append_html_escaped).
std::string html_escaped(std::string_view text);

/// A cheap guess whether `text` holds HTML markup: a tag such as <p>, <br/>, </div> or an entity
/// such as &amp; or &#39;. Plain text with a lone "<" or "a & b" is not HTML.
bool looks_like_html(std::string_view text);

}  // namespace textkit::common
