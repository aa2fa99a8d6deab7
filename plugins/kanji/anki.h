// kanji - Anki's text import: file headers, field escaping and the card layouts of write.anki.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace textkit::kanji {

/// A field as Anki reads it with "#html:true": & < > " become entities (a field can then never
/// start with a quote, which Anki would take for CSV quoting), a tab becomes &#9; (a tab would
/// end the field), a line break becomes <br>, and a # starting a field becomes &#35; (a line
/// starting with # is a comment to Anki).
std::string anki_field_from_text(std::string_view text);

/// The same for a field that is already HTML (ruby furigana): only tabs, line breaks and a
/// leading # are replaced.
std::string anki_field_from_html(std::string_view html);

struct anki_file_header {
  std::string notetype;              ///< "Basic", or the user's note type
  std::string deck;                  ///< "Default", or the user's deck
  std::vector<std::string> columns;  ///< names; the guid and tags columns among them
  std::size_t guid_column = 0;       ///< 1-based; 0: none
  std::size_t tags_column = 0;       ///< 1-based; 0: none
};

/// Anki's file headers (Anki 2.1.55+): #separator:tab, #html:true, #notetype, #deck, #columns
/// (tab-separated, after the separator), #guid column and #tags column; one "#key:value" a line.
std::string anki_header(const anki_file_header& header);

/// A stable GUID for a card: the same kind and key give the same GUID in every run, so that
/// importing the file again updates the notes instead of adding new ones.
std::string anki_guid(std::string_view kind, std::string_view key);

/// One line of the file: the fields, already escaped, joined by tabs.
std::string anki_line(const std::vector<std::string>& fields);

/// The sentences of a text, where example sentences are looked for: cut after 。！？!? (and after
/// the 」 or 』 closing a quote there, unless と or って follows) and at line breaks; spaces around
/// them dropped.
std::vector<std::string> split_sentences(std::string_view text);

}  // namespace textkit::kanji
