// furigana - loading KANJIDIC2 and EDICT.
#include "dictionaries.h"

#include <unicode/ucnv.h>
#include <zlib.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "text.h"
#include "textkit/error.h"
#include "textkit/io.h"

namespace textkit::furigana {
namespace {

std::string read_gzip(const std::string& path) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) throw error(path + ": cannot open");
  const std::unique_ptr<gzFile_s, int (*)(gzFile)> closer(file, gzclose);
  std::string out;
  std::string block(1 << 20, '\0');
  for (;;) {
    const int got = gzread(file, block.data(), static_cast<unsigned>(block.size()));
    if (got < 0) throw error(path + ": not a readable gzip file");
    if (got == 0) break;
    out.append(block.data(), static_cast<std::size_t>(got));
  }
  return out;
}

void require_file(const std::string& path, std::string_view package, std::string_view what) {
  if (std::filesystem::exists(path)) return;
  throw error(std::string(what) + " not found at " + path + ": install the Debian package " +
              std::string(package) + " (apt-get install " + std::string(package) + ")");
}

// The text between `open_tag`'s end and the next '<', searching from `from` up to `end`.
std::string_view element_text(std::string_view xml, std::size_t at) {
  const std::size_t close = xml.find('<', at);
  return xml.substr(at, close == std::string_view::npos ? 0 : close - at);
}

int to_int(std::string_view digits) {
  int value = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') break;
    value = value * 10 + (c - '0');
  }
  return value;
}

// "い.きる" → "い", "-か" → "か", "おん-" → "おん": the part the kanji itself is read as.
std::u32string kanji_part(std::string_view reading) {
  std::string cleaned;
  for (const char c : reading) {
    if (c == '.') break;
    if (c != '-') cleaned.push_back(c);
  }
  return to_hiragana(to_code_points(cleaned));
}

// A kun reading with okurigana (取.る, 受.ける) as the kanji reads in a noun made of the verb's
// continuative form with its okurigana left out (取引 とりひき, 受付 うけつけ); nothing for
// readings without okurigana.
std::u32string continuative_stem(std::string_view reading) {
  const std::size_t dot = reading.find('.');
  if (dot == std::string_view::npos) return {};
  std::string whole;
  for (const char c : reading) {
    if (c != '.' && c != '-') whole.push_back(c);
  }
  std::u32string out = to_hiragana(to_code_points(whole));
  const std::size_t okurigana = to_code_points(reading.substr(dot + 1)).size();
  if (out.empty() || okurigana == 0) return {};
  // 〜える / 〜いる verbs drop る (受ける → 受け); godan verbs take the i-row (取る → 取り).
  if (okurigana >= 2 && out.back() == U'る') {
    out.pop_back();
    return out;
  }
  static constexpr std::pair<char32_t, char32_t> i_row[] = {
      {U'う', U'い'}, {U'く', U'き'}, {U'ぐ', U'ぎ'}, {U'す', U'し'}, {U'つ', U'ち'},
      {U'ぬ', U'に'}, {U'ぶ', U'び'}, {U'む', U'み'}, {U'る', U'り'}};
  for (const auto& [dictionary_form, continuative] : i_row) {
    if (out.back() == dictionary_form) {
      out.back() = continuative;
      return out;
    }
  }
  return {};
}

void add_unique(std::vector<std::u32string>& list, std::u32string value) {
  if (value.empty() || std::find(list.begin(), list.end(), value) != list.end()) return;
  list.push_back(std::move(value));
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  if (text.empty()) return parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = text.find(separator, start);
    parts.push_back(text.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return parts;
}

std::string join(const std::vector<std::u32string>& list) {
  std::string out;
  for (const auto& item : list) {
    if (!out.empty()) out += ',';
    out += to_utf8(item);
  }
  return out;
}

// Reading the Debian files takes a second or two (EDICT is 19 MB of EUC-JP, KANJIDIC2 a gzipped
// XML file), far more than MeCab's start-up; the few things used here are kept in a small table
// in the user's cache folder, rebuilt whenever the source file changes (size or time differ).
std::string cache_file(std::string_view family, std::string_view stem, const std::string& source) {
  std::filesystem::path folder;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0') {
    folder = xdg;
  } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    folder = std::filesystem::path(home) / ".cache";
  } else {
    return {};
  }
  const std::size_t key = std::hash<std::string>{}(source);
  return (folder / "textkit" / std::string(family) /
          (std::string(stem) + "-" + std::to_string(key) + ".tsv"))
      .string();
}

std::string source_stamp(const std::string& source) {
  std::error_code failed;
  const auto size = std::filesystem::file_size(source, failed);
  const auto time = std::filesystem::last_write_time(source, failed);
  if (failed) return {};
  return "textkit cache of " + source + " size " + std::to_string(size) + " time " +
         std::to_string(time.time_since_epoch().count());
}

std::optional<std::string> read_cache(const std::string& cache, const std::string& source) {
  if (cache.empty()) return std::nullopt;
  std::error_code missing;
  if (!std::filesystem::is_regular_file(cache, missing)) return std::nullopt;
  std::string body;
  try {
    body = read_file(cache);
  } catch (const error&) {
    return std::nullopt;
  }
  const std::size_t newline = body.find('\n');
  if (newline == std::string::npos || body.compare(0, newline, source_stamp(source)) != 0) {
    return std::nullopt;
  }
  body.erase(0, newline + 1);
  return body;
}

// Best effort: without a writable cache folder every run reads the source files.
void write_cache(const std::string& cache, const std::string& source, const std::string& table) {
  if (cache.empty()) return;
  std::error_code failed;
  std::filesystem::create_directories(std::filesystem::path(cache).parent_path(), failed);
  if (failed) return;
  const std::string temporary = cache + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary);
    if (!out) return;
    out << source_stamp(source) << '\n' << table;
    if (!out) return;
  }
  std::filesystem::rename(temporary, cache, failed);
  if (failed) std::filesystem::remove(temporary, failed);
}

}  // namespace

sorted_table::sorted_table(std::string text) {
  auto owned = std::make_shared<const std::string>(std::move(text));
  text_ = *owned;
  storage_ = std::move(owned);
}

std::optional<sorted_table> sorted_table::map_cache(const std::string& path,
                                                    std::string_view stamp) {
  if (path.empty() || stamp.empty()) return std::nullopt;
  const int descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor < 0) return std::nullopt;
  struct stat status {};
  const bool sized = ::fstat(descriptor, &status) == 0 && S_ISREG(status.st_mode) &&
                     status.st_size > static_cast<off_t>(stamp.size());
  void* address = sized ? ::mmap(nullptr, static_cast<std::size_t>(status.st_size), PROT_READ,
                                 MAP_PRIVATE, descriptor, 0)
                        : MAP_FAILED;
  ::close(descriptor);  // the mapping stays valid without the descriptor
  if (address == MAP_FAILED) return std::nullopt;
  const auto size = static_cast<std::size_t>(status.st_size);
  std::shared_ptr<const void> mapping(
      address, [size](const void* at) { ::munmap(const_cast<void*>(at), size); });
  const std::string_view text(static_cast<const char*>(address), size);
  if (!text.starts_with(stamp) || text[stamp.size()] != '\n') return std::nullopt;
  sorted_table table;
  table.text_ = text.substr(stamp.size() + 1);
  table.storage_ = std::move(mapping);
  return table;
}

namespace {

// Lines are found from byte offsets: the line around `at` starts after the line break before it.
std::size_t line_start(std::string_view text, std::size_t low, std::size_t at) {
  if (at == low) return at;
  const void* newline = ::memrchr(text.data() + low, '\n', at - low);
  return newline == nullptr ? low : static_cast<const char*>(newline) - text.data() + 1;
}

std::size_t next_line(std::string_view text, std::size_t at) {
  const std::size_t newline = text.find('\n', at);
  return newline == std::string_view::npos ? text.size() : newline + 1;
}

// Whether the key of the line at `at` sorts before `wanted`. The key ends at a tab or a line
// break, bytes below any a key holds, so comparing the line's bytes themselves gives the key's
// order without looking for its end.
bool key_before(std::string_view text, std::size_t at, std::string_view wanted) {
  const std::size_t left = text.size() - at;
  const int order = std::memcmp(text.data() + at, wanted.data(), std::min(left, wanted.size()));
  return order < 0 || (order == 0 && left < wanted.size());
}

bool key_is(std::string_view text, std::size_t at, std::string_view wanted) {
  if (text.size() - at < wanted.size() ||
      std::memcmp(text.data() + at, wanted.data(), wanted.size()) != 0) {
    return false;
  }
  const std::size_t after = at + wanted.size();
  return after == text.size() || text[after] == '\t' || text[after] == '\n';
}

}  // namespace

void sorted_table::index_lines() {
  starts_.clear();
  if (text_.size() > std::numeric_limits<std::uint32_t>::max()) return;
  for (std::size_t at = 0; at < text_.size(); at = next_line(text_, at)) {
    starts_.push_back(static_cast<std::uint32_t>(at));
  }
}

std::size_t sorted_table::lower_bound(std::string_view wanted) const {
  if (!starts_.empty()) {
    const auto first = std::partition_point(starts_.begin(), starts_.end(), [&](std::uint32_t at) {
      return key_before(text_, at, wanted);
    });
    return first == starts_.end() ? text_.size() : *first;
  }
  // Binary search over bytes for the first line whose key is not less than `wanted`; `low` and
  // `high` are always where lines start.
  std::size_t low = 0, high = text_.size();
  while (low < high) {
    const std::size_t start = line_start(text_, low, low + (high - low) / 2);
    if (key_before(text_, start, wanted)) {
      low = next_line(text_, start);
    } else {
      high = start;
    }
  }
  return low;
}

bool sorted_table::has_key_starting(std::string_view prefix) const {
  // Keys that start with `prefix` sort right after it (or are it).
  const std::size_t at = lower_bound(prefix);
  return text_.size() - at >= prefix.size() &&
         std::memcmp(text_.data() + at, prefix.data(), prefix.size()) == 0;
}

std::string_view sorted_table::lines_of(std::string_view wanted) const {
  const std::size_t low = lower_bound(wanted);
  std::size_t end = low;
  while (end < text_.size() && key_is(text_, end, wanted)) end = next_line(text_, end);
  return text_.substr(low, end - low);
}

void sorted_table::for_each_line(const std::function<void(std::string_view line)>& visit) const {
  for_each_line_of(text_, [&](std::string_view line) {
    if (!line.empty()) visit(line);
  });
}

std::size_t sorted_table::size() const {
  std::size_t count = 0;
  for_each_line([&](std::string_view) { ++count; });
  return count;
}

namespace {

// Lines sorted by key, keeping the order of the lines of one key (common readings first).
std::string sorted_lines(std::vector<std::string> lines) {
  std::stable_sort(lines.begin(), lines.end(), [](const std::string& a, const std::string& b) {
    return std::string_view(a).substr(0, a.find('\t')) <
           std::string_view(b).substr(0, b.find('\t'));
  });
  std::string text;
  for (const std::string& line : lines) text += line + '\n';
  return text;
}

kanji_entry parse_kanji_line(std::string_view line) {
  // kanji \t grade \t jlpt \t readings, comma-separated \t nanori \t stems
  const auto fields = split(line, '\t');
  kanji_entry entry;
  if (fields.size() < 6) return entry;
  entry.grade = to_int(fields[1]);
  entry.jlpt = to_int(fields[2]);
  for (const auto r : split(fields[3], ',')) add_unique(entry.readings, to_code_points(r));
  for (const auto r : split(fields[4], ',')) add_unique(entry.nanori, to_code_points(r));
  for (const auto r : split(fields[5], ',')) add_unique(entry.stems, to_code_points(r));
  return entry;
}

// KANJIDIC2's gzipped XML to the table's lines.
std::string kanjidic_table(const std::string& path) {
  std::vector<std::string> lines;
  for_each_kanjidic_character(
      read_kanjidic_xml(path), [&](std::string_view literal, std::string_view block) {
        if (to_code_points(literal).size() != 1) return;
        kanji_entry entry;
        if (const std::size_t g = block.find("<grade>"); g != std::string_view::npos) {
          entry.grade = to_int(element_text(block, g + 7));
        }
        if (const std::size_t j = block.find("<jlpt>"); j != std::string_view::npos) {
          entry.jlpt = to_int(element_text(block, j + 6));
        }
        for (const std::string_view tag : {std::string_view("<reading r_type=\"ja_on\">"),
                                           std::string_view("<reading r_type=\"ja_kun\">")}) {
          for (std::size_t r = block.find(tag); r != std::string_view::npos;
               r = block.find(tag, r + 1)) {
            const std::string_view reading = element_text(block, r + tag.size());
            add_unique(entry.readings, kanji_part(reading));
            add_unique(entry.stems, continuative_stem(reading));
          }
        }
        constexpr std::string_view nanori_tag = "<nanori>";
        for (std::size_t r = block.find(nanori_tag); r != std::string_view::npos;
             r = block.find(nanori_tag, r + 1)) {
          add_unique(entry.nanori, kanji_part(element_text(block, r + nanori_tag.size())));
        }
        lines.push_back(std::string(literal) + '\t' + std::to_string(entry.grade) + '\t' +
                        std::to_string(entry.jlpt) + '\t' + join(entry.readings) + '\t' +
                        join(entry.nanori) + '\t' + join(entry.stems));
      });
  if (lines.empty()) throw error(path + ": no kanji found in KANJIDIC2");
  return sorted_lines(std::move(lines));
}

}  // namespace

std::string read_kanjidic_xml(const std::string& path) {
  require_file(path, "kanjidic-xml", "KANJIDIC2");
  return read_gzip(path);
}

void for_each_kanjidic_character(
    std::string_view xml,
    const std::function<void(std::string_view literal, std::string_view element)>& visit) {
  std::size_t at = 0;
  for (;;) {
    const std::size_t start = xml.find("<character>", at);
    if (start == std::string_view::npos) break;
    std::size_t end = xml.find("</character>", start);
    if (end == std::string_view::npos) end = xml.size();
    const std::string_view block = xml.substr(start, end - start);
    at = end;
    constexpr std::string_view literal_tag = "<literal>";
    const std::size_t literal_at = block.find(literal_tag);
    if (literal_at == std::string_view::npos) continue;
    visit(element_text(block, literal_at + literal_tag.size()), block);
  }
}

std::string cached_table(std::string_view family, std::string_view stem, const std::string& source,
                         const std::function<std::string()>& build) {
  const std::string cache = cache_file(family, stem, source);
  std::optional<std::string> table = read_cache(cache, source);
  if (table) return std::move(*table);
  std::string built = build();
  write_cache(cache, source, built);
  return built;
}

sorted_table cached_sorted_table(std::string_view family, std::string_view stem,
                                 const std::string& source,
                                 const std::function<std::string()>& build) {
  const std::string cache = cache_file(family, stem, source);
  if (auto mapped = sorted_table::map_cache(cache, source_stamp(source))) return std::move(*mapped);
  std::string built = build();
  write_cache(cache, source, built);
  return sorted_table(std::move(built));
}

// Entries parsed on their first look-up. Kanji and kana ([0x3000, 0xA000), where nearly all
// look-ups fall) have a slot each, read without a lock; the rest wait in a map.
struct kanji_dictionary::parsed {
  static constexpr char32_t first = 0x3000, last = 0xA000;
  std::unique_ptr<std::atomic<const kanji_entry*>[]> slots =
      std::make_unique<std::atomic<const kanji_entry*>[]>(last - first);
  std::mutex lock;
  std::deque<kanji_entry> entries;  // a deque: entries never move
  std::unordered_map<char32_t, const kanji_entry*> others;
  const kanji_entry missing{};  // the slot of a kanji KANJIDIC2 lacks points here
};

kanji_dictionary::kanji_dictionary() : parsed_(std::make_unique<parsed>()) {}
kanji_dictionary::~kanji_dictionary() = default;

std::shared_ptr<const kanji_dictionary> kanji_dictionary::load(const std::string& path) {
  require_file(path, "kanjidic-xml", "KANJIDIC2");
  auto dictionary = std::make_shared<kanji_dictionary>();
  dictionary->table_ =
      cached_sorted_table("furigana", "kanjidic-v3", path, [&] { return kanjidic_table(path); });
  return dictionary;
}

const kanji_entry* kanji_dictionary::find(char32_t kanji) const {
  parsed& p = *parsed_;
  const bool slotted = kanji >= parsed::first && kanji < parsed::last;
  if (slotted) {
    const kanji_entry* known = p.slots[kanji - parsed::first].load(std::memory_order_acquire);
    if (known != nullptr) return known == &p.missing ? nullptr : known;
  }
  const std::lock_guard<std::mutex> guard(p.lock);
  if (slotted) {
    const kanji_entry* known = p.slots[kanji - parsed::first].load(std::memory_order_relaxed);
    if (known != nullptr) return known == &p.missing ? nullptr : known;
  } else if (const auto it = p.others.find(kanji); it != p.others.end()) {
    return it->second == &p.missing ? nullptr : it->second;
  }
  std::string key;
  append_utf8(key, kanji);
  const std::string_view lines = table_.lines_of(key);
  const kanji_entry* entry = &p.missing;
  if (!lines.empty())
    entry = &p.entries.emplace_back(parse_kanji_line(lines.substr(0, lines.find('\n'))));
  if (slotted) {
    p.slots[kanji - parsed::first].store(entry, std::memory_order_release);
  } else {
    p.others.emplace(kanji, entry);
  }
  return entry == &p.missing ? nullptr : entry;
}

void kanji_dictionary::for_each(
    const std::function<void(char32_t, const kanji_entry&)>& visit) const {
  table_.for_each_line([&](std::string_view line) {
    const std::u32string kanji = to_code_points(line.substr(0, line.find('\t')));
    if (kanji.size() == 1) visit(kanji[0], parse_kanji_line(line));
  });
}

namespace {

// EDICT (EUC-JP): each headword with a kanji and its readings, in the file's order.
std::unordered_map<std::u32string, std::vector<word_reading>> edict_entries(
    const std::string& path) {
  const std::string euc = read_file(path);
  // EDICT is EUC-JP; ICU converts it in one call.
  UErrorCode status = U_ZERO_ERROR;
  std::string utf8(euc.size() * 2 + 16, '\0');
  const int32_t length =
      ucnv_convert("UTF-8", "EUC-JP", utf8.data(), static_cast<int32_t>(utf8.size()), euc.data(),
                   static_cast<int32_t>(euc.size()), &status);
  if (U_FAILURE(status)) throw error(path + ": cannot convert from EUC-JP: " + u_errorName(status));
  utf8.resize(static_cast<std::size_t>(length));

  std::unordered_map<std::u32string, std::vector<word_reading>> entries;
  std::string_view rest = utf8;
  bool first = true;
  while (!rest.empty()) {
    const std::size_t newline = rest.find('\n');
    const std::string_view line = rest.substr(0, newline);
    rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
    if (first) {  // the first line is the file's own header
      first = false;
      continue;
    }
    // "頭 [あたま] /(n) head/(P)/"
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos || line.size() < space + 2 || line[space + 1] != '[') {
      continue;
    }
    const std::size_t close = line.find(']', space);
    if (close == std::string_view::npos) continue;
    std::u32string headword = to_code_points(line.substr(0, space));
    if (!has_kanji(headword)) continue;
    word_reading entry;
    entry.reading = to_hiragana(to_code_points(line.substr(space + 2, close - space - 2)));
    entry.common = line.find("(P)", close) != std::string_view::npos;
    auto& readings = entries[std::move(headword)];
    if (std::any_of(readings.begin(), readings.end(),
                    [&](const word_reading& r) { return r.reading == entry.reading; })) {
      continue;
    }
    readings.push_back(std::move(entry));
  }
  return entries;
}

bool any_common(const std::vector<word_reading>& readings) {
  return std::any_of(readings.begin(), readings.end(),
                     [](const word_reading& r) { return r.common; });
}

// The table of the headwords with a common reading, with all their readings.
std::string edict_table(const std::string& path) {
  auto entries = edict_entries(path);
  // Only words with a common reading are kept: they are what most rules use, and the table stays
  // small enough to load in milliseconds.
  std::erase_if(entries, [](const auto& entry) { return !any_common(entry.second); });
  std::vector<std::string> lines;
  for (auto& [word, readings] : entries) {
    std::stable_partition(readings.begin(), readings.end(),
                          [](const word_reading& r) { return r.common; });
    for (const word_reading& r : readings) {
      lines.push_back(to_utf8(word) + '\t' + to_utf8(r.reading) + '\t' + (r.common ? "1" : "0"));
    }
  }
  return sorted_lines(std::move(lines));
}

// The table of the words of two characters or more that EDICT has with one reading, none of them
// common (卑怯者 ひきょうもの, 地毛 じげ).
std::string edict_rare_table(const std::string& path) {
  std::vector<std::string> lines;
  for (const auto& [word, readings] : edict_entries(path)) {
    if (word.size() < 2 || readings.size() != 1 || any_common(readings)) continue;
    lines.push_back(to_utf8(word) + '\t' + to_utf8(readings.front().reading));
  }
  return sorted_lines(std::move(lines));
}

}  // namespace

void for_each_edict_reading(
    const std::string& path,
    const std::function<void(std::u32string_view word, std::u32string_view reading)>& visit) {
  require_file(path, "edict", "EDICT");
  for (const auto& [word, readings] : edict_entries(path)) {
    for (const word_reading& r : readings) visit(word, r.reading);
  }
}

std::shared_ptr<const word_dictionary> word_dictionary::load(const std::string& path) {
  require_file(path, "edict", "EDICT");
  auto dictionary = std::make_shared<word_dictionary>();
  dictionary->table_ =
      cached_sorted_table("furigana", "edict-v2", path, [&] { return edict_table(path); });
  // The rules look words up tens of thousands of times a run: an index of its lines (a few
  // hundred thousand instructions to build) makes each look-up several times cheaper.
  dictionary->table_.index_lines();
  dictionary->path_ = path;
  return dictionary;
}

namespace {

// Calls `use` with `word` in UTF-8. Most look-ups find nothing (the rules try many spans): the
// key is written into a buffer on the stack, so a miss allocates nothing.
template <typename user>
auto with_utf8(std::u32string_view word, user use) {
  std::array<char, 128> buffer;
  if (word.size() * 4 > buffer.size()) return use(std::string_view(to_utf8(word)));
  std::size_t length = 0;
  for (const char32_t c : word) length += encode_utf8(c, buffer.data() + length);
  return use(std::string_view(buffer.data(), length));
}

// A line of the common-word table, "headword \t reading \t 1 when common": the reading and
// whether it is common; nothing for a line without its two tabs.
std::optional<std::pair<std::string_view, bool>> common_table_line(std::string_view line) {
  const std::size_t first_tab = line.find('\t');
  if (first_tab == std::string_view::npos) return std::nullopt;
  const std::string_view rest = line.substr(first_tab + 1);
  const std::size_t second_tab = rest.find('\t');
  if (second_tab == std::string_view::npos) return std::nullopt;
  const std::string_view mark = rest.substr(second_tab + 1);
  return std::pair(rest.substr(0, second_tab), mark.substr(0, mark.find('\t')) == "1");
}

}  // namespace

std::string_view word_dictionary::lines_of(const sorted_table& table, std::u32string_view word) {
  return with_utf8(word, [&](std::string_view key) { return table.lines_of(key); });
}

std::optional<std::u32string> word_dictionary::common_instead_of(
    std::u32string_view word, std::u32string_view reading) const {
  const std::string_view lines = lines_of(table_, word);
  if (lines.empty()) return std::nullopt;
  const std::string wanted = to_utf8(reading);
  std::string_view first;  // the first reading: a common one, when there is one
  bool found = false, found_common = false;
  int common = 0;
  for_each_line_of(lines, [&](std::string_view line) {
    const auto entry = common_table_line(line);
    if (!entry) return;
    const auto [own, is_common] = *entry;
    if (first.data() == nullptr) first = own;
    common += is_common ? 1 : 0;
    if (!found && own == wanted) {
      found = true;
      found_common = is_common;
    }
  });
  if (!found || found_common || common != 1) return std::nullopt;
  return to_code_points(first);
}

bool word_dictionary::has_word_starting(std::u32string_view prefix) const {
  return with_utf8(prefix, [&](std::string_view key) {
    return table_.has_key_starting(key) || rare().has_key_starting(key);
  });
}

const sorted_table& word_dictionary::rare() const {
  // Loaded on first use: 160,000 words, which most short texts never need.
  std::call_once(rare_loaded_, [this] {
    rare_ = cached_sorted_table("furigana", "edict-rare-v1", path_,
                                [&] { return edict_rare_table(path_); });
  });
  return rare_;
}

std::optional<std::u32string> word_dictionary::find_rare(std::u32string_view word) const {
  const std::string_view lines = lines_of(rare(), word);
  if (lines.empty()) return std::nullopt;
  const std::string_view line = lines.substr(0, lines.find('\n'));
  return to_code_points(line.substr(line.find('\t') + 1));
}

std::optional<std::u32string> word_dictionary::one_reading(std::u32string_view word) const {
  // find() puts common readings first, and every word it has has one.
  if (const auto entries = find(word); entries && !entries->empty()) {
    if (std::count_if(entries->begin(), entries->end(),
                      [](const word_reading& r) { return r.common; }) != 1) {
      return std::nullopt;
    }
    return entries->front().reading;
  }
  return find_rare(word);
}

std::optional<std::vector<word_reading>> word_dictionary::find(std::u32string_view word) const {
  const std::string_view lines = lines_of(table_, word);
  if (lines.empty()) return std::nullopt;
  std::vector<word_reading> readings;
  for_each_line_of(lines, [&](std::string_view line) {
    const auto entry = common_table_line(line);
    if (!entry) return;
    readings.push_back({to_code_points(entry->first), entry->second});
  });
  return readings;
}

}  // namespace textkit::furigana
