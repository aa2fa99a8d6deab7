// kanji - meanings of a few words from EDICT, read without converting the whole dictionary.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

namespace textkit::kanji {

struct edict_entry {
  std::string reading;                ///< hiragana or katakana, as EDICT writes it
  std::vector<std::string> meanings;  ///< English glosses, part-of-speech tags left out
  bool common = false;                ///< marked (P)
};

/// The EDICT entries of each of `words` (UTF-8 headwords), common ones first; words EDICT lacks
/// are absent from the result. One pass over the EUC-JP file: only the matching lines are
/// converted. Throws textkit::error naming the Debian package when the file is missing.
std::unordered_map<std::string, std::vector<edict_entry>> edict_lookup(
    const std::string& path, const std::vector<std::string>& words);

/// One EDICT line in UTF-8 ("語 [ご] /(n) (1) word/(2) language/(P)/") as an entry; false when
/// it is not one.
bool parse_edict_line(std::string_view line, std::string& headword, edict_entry& entry);

}  // namespace textkit::kanji
