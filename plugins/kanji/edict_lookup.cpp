// kanji - EDICT look-ups for word cards.
#include "edict_lookup.h"

#include <unicode/ucnv.h>

#include <algorithm>
#include <filesystem>
#include <string_view>
#include <unordered_set>

#include "textkit/error.h"
#include "textkit/io.h"

namespace textkit::kanji {
namespace {

std::string convert(const char* to, const char* from, std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  std::string out(text.size() * 2 + 16, '\0');
  const int32_t length = ucnv_convert(to, from, out.data(), static_cast<int32_t>(out.size()),
                                      text.data(), static_cast<int32_t>(text.size()), &status);
  if (U_FAILURE(status)) return {};
  out.resize(static_cast<std::size_t>(length));
  return out;
}

// "(n) (1) word" → "word": EDICT's leading part-of-speech and sense tags.
std::string without_tags(std::string_view gloss) {
  while (gloss.starts_with("(")) {
    const std::size_t close = gloss.find(')');
    if (close == std::string_view::npos) break;
    gloss.remove_prefix(close + 1);
    while (gloss.starts_with(" ")) gloss.remove_prefix(1);
  }
  return std::string(gloss);
}

}  // namespace

bool parse_edict_line(std::string_view line, std::string& headword, edict_entry& entry) {
  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos || space == 0) return false;
  headword = std::string(line.substr(0, space));
  std::string_view rest = line.substr(space + 1);
  entry = edict_entry{};
  if (rest.starts_with("[")) {
    const std::size_t close = rest.find(']');
    if (close == std::string_view::npos) return false;
    entry.reading = std::string(rest.substr(1, close - 1));
    rest.remove_prefix(close + 1);
    while (rest.starts_with(" ")) rest.remove_prefix(1);
  } else {
    entry.reading = headword;
  }
  if (!rest.starts_with("/")) return false;
  rest.remove_prefix(1);
  while (!rest.empty()) {
    const std::size_t slash = rest.find('/');
    const std::string_view gloss = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (gloss == "(P)") {
      entry.common = true;
    } else if (!gloss.empty() && !gloss.starts_with("EntL")) {
      std::string cleaned = without_tags(gloss);
      if (!cleaned.empty()) entry.meanings.push_back(std::move(cleaned));
    }
  }
  return !entry.meanings.empty();
}

std::unordered_map<std::string, std::vector<edict_entry>> edict_lookup(
    const std::string& path, const std::vector<std::string>& words) {
  if (!std::filesystem::exists(path)) {
    throw error("EDICT not found at " + path +
                ": install the Debian package edict (apt-get "
                "install edict)");
  }
  std::unordered_set<std::string> wanted;  // the headwords in EUC-JP
  for (const std::string& word : words) {
    std::string euc = convert("EUC-JP", "UTF-8", word);
    if (!euc.empty()) wanted.insert(std::move(euc));
  }
  std::unordered_map<std::string, std::vector<edict_entry>> found;
  if (wanted.empty()) return found;
  const std::string text = read_file(path);
  const std::string_view all = text;
  for (std::size_t at = 0; at < all.size();) {
    std::size_t newline = all.find('\n', at);
    if (newline == std::string_view::npos) newline = all.size();
    const std::string_view line = all.substr(at, newline - at);
    at = newline + 1;
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos || !wanted.contains(std::string(line.substr(0, space)))) {
      continue;
    }
    std::string headword;
    edict_entry entry;
    if (parse_edict_line(convert("UTF-8", "EUC-JP", line), headword, entry)) {
      found[headword].push_back(std::move(entry));
    }
  }
  for (auto& [word, entries] : found) {
    std::stable_partition(entries.begin(), entries.end(),
                          [](const edict_entry& e) { return e.common; });
  }
  return found;
}

}  // namespace textkit::kanji
