#include "text_rules.h"

#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

#include "textkit/io.h"
#include "textkit_common/html_text.h"
#include "textkit_common/unicode.h"

namespace textkit::sanitize {

using common::next_code_point;

struct text_scratch::icu_state {
  std::unique_ptr<icu::BreakIterator> characters;
  std::unique_ptr<icu::BreakIterator> words;
  UText* text = nullptr;

  icu_state() {
    UErrorCode status = U_ZERO_ERROR;
    characters.reset(icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
    words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) throw std::runtime_error("ICU break iterators are unavailable");
  }
  ~icu_state() {
    if (text != nullptr) utext_close(text);
  }
  icu_state(const icu_state&) = delete;
  icu_state& operator=(const icu_state&) = delete;

  /// `iterator` over `utf8`, which must stay alive while it is used.
  icu::BreakIterator& over(icu::BreakIterator& iterator, std::string_view utf8) {
    UErrorCode status = U_ZERO_ERROR;
    text = utext_openUTF8(text, utf8.data(), static_cast<std::int64_t>(utf8.size()), &status);
    iterator.setText(text, status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU could not read the text");
    return iterator;
  }
};

text_scratch::text_scratch() : icu_(std::make_unique<icu_state>()) {}
text_scratch::~text_scratch() = default;

namespace {

bool is_ascii(std::string_view text) noexcept {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

/// The code point that ends just before text[i], or 0 at the start.
char32_t previous_code_point(std::string_view text, std::size_t i) noexcept {
  if (i == 0) return 0;
  std::size_t start = i - 1;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
  return next_code_point(text, start);
}

bool is_ascii_alnum(unsigned char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(unsigned char c) noexcept { return c >= '0' && c <= '9'; }

/// How many bytes the maximal subpart of a bad sequence at p spans (at least 1).
std::size_t bad_subpart_length(const unsigned char* p, std::size_t available) noexcept {
  const unsigned char c = p[0];
  std::size_t length = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 && c <= 0xEF ? 3 : 2;
  if (c < 0xC2 || c > 0xF4) return 1;
  std::size_t k = 1;
  for (; k < length && k < available; ++k) {
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (k == 1) {
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    }
    if (p[k] < lo || p[k] > hi) break;
  }
  return k;
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Windows-1252's bytes 0x80..0x9F: the code point each stands for (0 where the byte is unused,
// and Latin-1 decoding gives U+0080..U+009F instead).
constexpr std::array<char16_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/// The Windows-1252 (or Latin-1) byte that decodes to `cp`, or -1.
int cp1252_byte(char32_t cp) noexcept {
  if (cp < 0x100) return static_cast<int>(cp);
  for (std::size_t b = 0; b < kCp1252High.size(); ++b) {
    if (kCp1252High[b] == cp) return static_cast<int>(0x80 + b);
  }
  return -1;
}

bool is_horizontal_space(char32_t c) noexcept {
  return c == ' ' || c == '\t' || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
         c == 0x202F || c == 0x205F || c == 0x3000 || c == '\v' || c == '\f';
}

}  // namespace

// ---- Unicode ---------------------------------------------------------------------------------

std::size_t replace_invalid_utf8(std::string& text) {
  std::size_t bad = find_invalid_utf8(text);
  if (bad == std::string::npos) return 0;
  std::string out(text, 0, bad);
  std::size_t replaced = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t i = bad;
  while (i < text.size()) {
    if (p[i] < 0x80) {
      out.push_back(static_cast<char>(p[i++]));
      continue;
    }
    if (const std::size_t length = utf8_sequence_length(p + i, text.size() - i); length != 0) {
      out.append(text, i, length);
      i += length;
      continue;
    }
    out.append(kReplacement);
    ++replaced;
    i += bad_subpart_length(p + i, text.size() - i);
  }
  text = std::move(out);
  return replaced;
}

bool repair_mojibake(std::string& text) {
  // Every double-encoded multi-byte character starts with a lead byte C2..F4, which became
  // U+00C2..U+00F4, encoded as C3 xx: no C3 byte, nothing to repair.
  if (text.find('\xC3') == std::string::npos) return false;
  std::string bytes;
  bytes.reserve(text.size());
  bool any_high = false;
  for (std::size_t i = 0; i < text.size();) {
    const int byte = cp1252_byte(next_code_point(text, i));
    if (byte < 0) return false;
    any_high = any_high || byte >= 0x80;
    bytes.push_back(static_cast<char>(byte));
  }
  if (!any_high || !common::is_valid_utf8(bytes)) return false;
  text = std::move(bytes);
  return true;
}

bool has_html_tag(std::string_view text) {
  for (std::size_t i = text.find('<'); i != std::string_view::npos; i = text.find('<', i + 1)) {
    const std::string_view rest = text.substr(i + 1);
    if (rest.starts_with("!--")) return rest.find("-->") != std::string_view::npos;
    std::size_t j = !rest.empty() && rest[0] == '/' ? 1 : 0;
    std::size_t letters = 0;
    while (j < rest.size() && (std::isalpha(static_cast<unsigned char>(rest[j])) != 0 ||
                               (letters > 0 && is_digit(static_cast<unsigned char>(rest[j]))))) {
      ++j;
      ++letters;
    }
    if (letters == 0 || j >= rest.size()) continue;
    const char after = rest[j];
    if (after != '>' && after != ' ' && after != '/' && after != '\n' && after != '\t') continue;
    if (rest.find('>', j) != std::string_view::npos) return true;
  }
  return false;
}

bool strip_html(std::string& text) {
  std::string out;
  if (has_html_tag(text)) {
    out = common::html_to_text(text);
  } else if (text.find('&') != std::string::npos) {
    out = common::decode_entities(text);
  } else {
    return false;
  }
  if (out == text) return false;
  text = std::move(out);
  return true;
}

bool normalize(std::string& text, normal_form form) {
  if (form == normal_form::none || is_ascii(text)) return false;
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = form == normal_form::nfkc
                                           ? icu::Normalizer2::getNFKCInstance(status)
                                           : icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU normalisation data is unavailable");
  const icu::StringPiece piece(text.data(), static_cast<std::int32_t>(text.size()));
  if (normalizer->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) return false;
  status = U_ZERO_ERROR;
  std::string out;
  out.reserve(text.size());
  icu::StringByteSink<std::string> sink(&out);
  normalizer->normalizeUTF8(0, piece, sink, nullptr, status);
  if (U_FAILURE(status) || out == text) return false;
  text = std::move(out);
  return true;
}

bool remove_invisible(std::string& text) {
  // Byte patterns are enough: every character removed is one fixed sequence.
  auto removable_at = [&](std::size_t i) -> std::size_t {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20) return c == '\t' || c == '\n' || c == '\r' ? 0 : 1;
    if (c == 0x7F) return 1;
    if (c < 0xC2) return 0;
    const auto next = [&](std::size_t k) {
      return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0;
    };
    if (c == 0xC2) return (next(1) >= 0x80 && next(1) <= 0x9F) || next(1) == 0xAD ? 2 : 0;
    if (c == 0xE1) return next(1) == 0xA0 && next(2) == 0x8E ? 3 : 0;  // U+180E
    if (c == 0xE2 && next(1) == 0x80 && next(2) == 0x8B) return 3;     // U+200B
    if (c == 0xE2 && next(1) == 0x81 && next(2) >= 0xA0 && next(2) <= 0xA4) return 3;
    if (c == 0xEF && next(1) == 0xBB && next(2) == 0xBF) return 3;  // U+FEFF
    return 0;
  };
  std::size_t i = 0;
  for (; i < text.size(); ++i) {
    // Printable ASCII and continuation bytes are never removed: most text, without the lambda.
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c >= 0x20 && c < 0x7F) || (c >= 0x80 && c < 0xC2)) continue;
    if (removable_at(i) != 0) break;
  }
  if (i == text.size()) return false;
  std::string out(text, 0, i);
  while (i < text.size()) {
    if (const std::size_t length = removable_at(i); length != 0) {
      i += length;
      continue;
    }
    out.push_back(text[i++]);
  }
  text = std::move(out);
  return true;
}

bool normalize_whitespace(std::string& text, int max_blank_lines) {
  std::string out;
  out.reserve(text.size());
  int blank_run = 0;
  bool any_line = false;
  bool pending_space = false;
  std::size_t line_start = 0;  // in out
  auto end_line = [&] {
    if (out.size() == line_start) {
      // An empty line: kept only between text, and at most max_blank_lines in a row.
      if (any_line) ++blank_run;
    } else {
      any_line = true;
      blank_run = 0;
    }
  };
  for (std::size_t i = 0; i < text.size();) {
    // Most bytes are plain ASCII letters and punctuation: copied as they are.
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte > ' ' && byte < 0x7F) {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      std::size_t end = i + 1;
      while (end < text.size() && static_cast<unsigned char>(text[end]) > ' ' &&
             static_cast<unsigned char>(text[end]) < 0x7F) {
        ++end;
      }
      out.append(text, i, end - i);
      i = end;
      continue;
    }
    const std::size_t at = i;
    const char32_t c = next_code_point(text, i);
    const bool line_break = c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029;
    if (line_break) {
      if (c == '\r' && i < text.size() && text[i] == '\n') ++i;
      pending_space = false;
      end_line();
      if (out.size() != line_start) {
        out.push_back('\n');
      } else if (any_line && blank_run <= max_blank_lines) {
        out.push_back('\n');
      }
      line_start = out.size();
      continue;
    }
    if (is_horizontal_space(c)) {
      pending_space = out.size() != line_start;
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.append(text, at, i - at);
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  if (out == text) return false;
  text = std::move(out);
  return true;
}

// ---- URLs, e-mail addresses, phone numbers, mentions, hashtags --------------------------------

namespace {

bool starts_with_icase(std::string_view text, std::size_t i, std::string_view prefix) {
  if (text.size() - i < prefix.size()) return false;
  for (std::size_t k = 0; k < prefix.size(); ++k) {
    if (std::tolower(static_cast<unsigned char>(text[i + k])) != prefix[k]) return false;
  }
  return true;
}

/// Characters before which a URL, mention or phone number may not start (it would be inside a
/// word or a number).
bool joins_word_before(std::string_view text, std::size_t i) {
  if (i == 0) return false;
  const auto c = static_cast<unsigned char>(text[i - 1]);
  return is_ascii_alnum(c) || c == '_' || c == '@' || c == '/' || c == '.';
}

std::size_t url_end(std::string_view text, std::size_t start) {
  std::size_t i = start;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c <= ' ' || c >= 0x7F || c == '<' || c == '>' || c == '"' || c == '`') break;
    ++i;
  }
  // Punctuation after a URL ends the sentence, not the URL; a ")" closes one only when the URL
  // opened it (Wikipedia's "Foo_(bar)").
  while (i > start) {
    const char c = text[i - 1];
    if (c == ')' || c == ']') {
      const std::string_view body = text.substr(start, i - start);
      const char open = c == ')' ? '(' : '[';
      if (std::count(body.begin(), body.end(), open) >= std::count(body.begin(), body.end(), c))
        break;
      --i;
      continue;
    }
    if (std::string_view(".,;:!?'*").find(c) == std::string_view::npos) break;
    --i;
  }
  return i;
}

void find_urls(std::string_view text, std::vector<item_span>& out) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != 'h' && c != 'H' && c != 'w' && c != 'W') continue;
    std::size_t body = 0;
    if (starts_with_icase(text, i, "https://")) {
      body = i + 8;
    } else if (starts_with_icase(text, i, "http://")) {
      body = i + 7;
    } else if (starts_with_icase(text, i, "www.")) {
      body = i + 4;
    } else {
      continue;
    }
    if (joins_word_before(text, i)) continue;
    const std::size_t end = url_end(text, body);
    const std::string_view host = text.substr(body, end - body);
    if (host.empty() || !is_ascii_alnum(static_cast<unsigned char>(host[0]))) continue;
    out.push_back({i, end, item_kind::url});
    i = end - 1;
  }
}

bool is_email_local(unsigned char c) {
  return is_ascii_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool is_domain_char(unsigned char c) { return is_ascii_alnum(c) || c == '-' || c == '.'; }

/// The end of a domain name that starts at `i` ("example.co.uk"), or npos when there is none: at
/// least two labels, the last one two or more letters.
std::size_t domain_end(std::string_view text, std::size_t i) {
  std::size_t end = i;
  while (end < text.size() && is_domain_char(static_cast<unsigned char>(text[end]))) ++end;
  while (end > i && (text[end - 1] == '.' || text[end - 1] == '-')) --end;
  const std::string_view domain = text.substr(i, end - i);
  const std::size_t dot = domain.rfind('.');
  if (domain.empty() || dot == std::string_view::npos || dot == 0) return std::string_view::npos;
  const std::string_view tld = domain.substr(dot + 1);
  if (tld.size() < 2) return std::string_view::npos;
  for (char c : tld) {
    if (std::isalpha(static_cast<unsigned char>(c)) == 0) return std::string_view::npos;
  }
  return end;
}

void find_emails_and_mentions(std::string_view text, std::vector<item_span>& emails,
                              std::vector<item_span>& mentions) {
  for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    std::size_t local = at;
    while (local > 0 && is_email_local(static_cast<unsigned char>(text[local - 1]))) --local;
    while (local < at && text[local] == '.') ++local;
    const bool after_at = local > 0 && text[local - 1] == '@';
    if (local < at && !after_at) {
      if (const std::size_t end = domain_end(text, at + 1); end != std::string_view::npos) {
        emails.push_back({local, end, item_kind::email});
        at = end - 1;
        continue;
      }
    }
    // A mention: @name, or a fediverse handle @name@server.social as one mention.
    if (at > 0) {
      const auto before = static_cast<unsigned char>(text[at - 1]);
      if (is_ascii_alnum(before) || before == '_' || before == '@' || before == '!' ||
          before == '#' || before == '$' || before == '%' || before == '&' || before == '*')
        continue;
    }
    std::size_t end = at + 1;
    // Instagram names may hold dots inside ("@lea.martin"); a dot at the end ends the sentence.
    auto name_char = [&](std::size_t i) {
      return i < text.size() &&
             (is_ascii_alnum(static_cast<unsigned char>(text[i])) || text[i] == '_');
    };
    while (end - at <= 50 && (name_char(end) || (text[end] == '.' && name_char(end + 1)))) ++end;
    if (end == at + 1) continue;
    if (end < text.size() && text[end] == '@') {
      if (const std::size_t server = domain_end(text, end + 1); server != std::string_view::npos)
        end = server;
    }
    mentions.push_back({at, end, item_kind::mention});
    at = end - 1;
  }
}

bool is_hashtag_char(char32_t c) {
  return c == '_' || u_isalnum(static_cast<UChar32>(c)) ||
         (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_M_MASK) != 0;
}

void find_hashtags(std::string_view text, std::vector<item_span>& out) {
  for (std::size_t at = text.find('#'); at != std::string_view::npos; at = text.find('#', at + 1)) {
    const char32_t before = previous_code_point(text, at);
    if (before == '&' || is_hashtag_char(before)) continue;
    std::size_t end = at + 1;
    bool any_letter = false;
    while (end < text.size()) {
      std::size_t next = end;
      const char32_t c = next_code_point(text, next);
      if (!is_hashtag_char(c)) break;
      any_letter = any_letter || !(c >= '0' && c <= '9');
      end = next;
    }
    if (!any_letter) continue;  // "#1" is a number, not a hashtag
    out.push_back({at, end, item_kind::hashtag});
    at = end - 1;
  }
}

/// A phone number starting at `i`: "+33 6 12 34 56 78", "+1 (555) 123-4567", "(555) 123-4567",
/// "555-123-4567", "06 12 34 56 78". Dates, years, prices and long IDs do not match.
std::size_t phone_end(std::string_view text, std::size_t i) {
  const bool plus = text[i] == '+';
  std::size_t p = plus ? i + 1 : i;
  std::vector<std::size_t> groups;
  bool parenthesised = false;
  std::size_t end = std::string_view::npos;
  while (p < text.size()) {
    bool in_parens = false;
    if (text[p] == '(') {
      in_parens = true;
      ++p;
    }
    std::size_t digits = 0;
    while (p + digits < text.size() && is_digit(static_cast<unsigned char>(text[p + digits])))
      ++digits;
    if (digits == 0) break;
    p += digits;
    if (in_parens) {
      if (p >= text.size() || text[p] != ')') break;
      ++p;
      parenthesised = true;
    }
    groups.push_back(digits);
    end = p;
    if (p >= text.size()) break;
    // One separator between groups (a space may follow a ")" or a "-").
    std::size_t q = p;
    if (text[q] == '.' || text[q] == '-' || text[q] == ' ') ++q;
    if (q < text.size() && text[q] == ' ' && text[q - 1] != ' ') ++q;
    if (q == p && !(q < text.size() && text[q] == '(')) break;
    if (q >= text.size() || !(is_digit(static_cast<unsigned char>(text[q])) || text[q] == '('))
      break;
    p = q;
  }
  if (groups.empty()) return std::string_view::npos;
  // Not followed by more of a word or number ("555-123-4567-89", "555-123-4567abc").
  if (end < text.size() && (is_ascii_alnum(static_cast<unsigned char>(text[end])) ||
                            (text[end] == '.' && end + 1 < text.size() &&
                             is_digit(static_cast<unsigned char>(text[end + 1])))))
    return std::string_view::npos;
  std::size_t total = 0;
  for (std::size_t g : groups) total += g;
  if (plus) return total >= 8 && total <= 15 ? end : std::string_view::npos;
  const bool us =
      (groups.size() == 3 && groups[0] == 3 && groups[1] == 3 && groups[2] == 4) ||
      (groups.size() == 4 && groups[0] == 1 && groups[1] == 3 && groups[2] == 3 && groups[3] == 4);
  if (us) return end;
  const bool national =
      text[i + (parenthesised ? 1 : 0)] == '0' && total >= 10 && total <= 11 &&
      groups.size() >= 3 &&
      std::all_of(groups.begin(), groups.end(), [](std::size_t g) { return g >= 2 && g <= 4; });
  return national ? end : std::string_view::npos;
}

void find_phones(std::string_view text, std::vector<item_span>& out) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!(is_digit(c) || c == '+' || c == '(')) continue;
    if (i > 0) {
      const auto before = static_cast<unsigned char>(text[i - 1]);
      if (is_ascii_alnum(before) || before == '+' || before == '-' || before == '.' ||
          before == '/' || before == ',' || before == '$' || before == '_') {
        // Skip the rest of this number: a phone never starts inside one.
        while (i + 1 < text.size() && is_digit(static_cast<unsigned char>(text[i + 1]))) ++i;
        continue;
      }
    }
    const std::size_t end = phone_end(text, i);
    if (end == std::string_view::npos) {
      while (i + 1 < text.size() && is_digit(static_cast<unsigned char>(text[i + 1]))) ++i;
      continue;
    }
    out.push_back({i, end, item_kind::phone});
    i = end - 1;
  }
}

}  // namespace

std::vector<item_span> find_items(std::string_view text) {
  std::vector<item_span> urls;
  std::vector<item_span> emails;
  std::vector<item_span> mentions;
  std::vector<item_span> phones;
  std::vector<item_span> hashtags;
  if (text.find("://") != std::string_view::npos || text.find("ww.") != std::string_view::npos ||
      text.find("WW.") != std::string_view::npos)
    find_urls(text, urls);
  if (text.find('@') != std::string_view::npos) find_emails_and_mentions(text, emails, mentions);
  if (text.find('#') != std::string_view::npos) find_hashtags(text, hashtags);
  if (text.find_first_of("0123456789") != std::string_view::npos) find_phones(text, phones);
  // Earlier kinds win where spans overlap: a URL holding an "@" or a "#fragment" stays one URL.
  std::vector<item_span> accepted;
  for (auto* kind : {&urls, &emails, &mentions, &phones, &hashtags}) {
    for (const auto& span : *kind) {
      const bool overlaps = std::any_of(accepted.begin(), accepted.end(), [&](const item_span& a) {
        return span.begin < a.end && a.begin < span.end;
      });
      if (!overlaps) accepted.push_back(span);
    }
  }
  std::sort(accepted.begin(), accepted.end(),
            [](const item_span& a, const item_span& b) { return a.begin < b.begin; });
  return accepted;
}

bool item_policy::all_keep() const {
  return std::all_of(std::begin(actions), std::end(actions),
                     [](item_action a) { return a == item_action::keep; });
}

void apply_items(std::string& text, const item_policy& policy, bool changed[5]) {
  const auto spans = find_items(text);
  if (spans.empty()) return;
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;
  for (const auto& span : spans) {
    const item_action action = policy.action(span.kind);
    if (action == item_action::keep) continue;
    out.append(text, copied, span.begin - copied);
    copied = span.end;
    changed[static_cast<int>(span.kind)] = true;
    if (action == item_action::replace) {
      out.append(policy.placeholders[static_cast<int>(span.kind)]);
    } else if (action == item_action::strip) {
      out.append(text, span.begin + 1, span.end - span.begin - 1);  // the word without its "#"
    } else if (!out.empty() && out.back() == ' ' && copied < text.size() && text[copied] == ' ') {
      ++copied;  // a dropped item takes one of the spaces around it along
    }
  }
  out.append(text, copied, std::string::npos);
  text = std::move(out);
}

// ---- Measures ---------------------------------------------------------------------------------

std::size_t count_graphemes(std::string_view text, text_scratch& scratch, std::size_t stop_at) {
  if (is_ascii(text)) {
    std::size_t crlf = 0;
    for (std::size_t i = text.find("\r\n"); i != std::string_view::npos;
         i = text.find("\r\n", i + 2))
      ++crlf;
    return std::min(text.size() - crlf, stop_at);
  }
  auto& it = scratch.icu().over(*scratch.icu().characters, text);
  std::size_t count = 0;
  it.first();
  while (count < stop_at && it.next() != icu::BreakIterator::DONE) ++count;
  return count;
}

std::size_t count_words(std::string_view text, text_scratch& scratch, std::size_t stop_at) {
  auto& it = scratch.icu().over(*scratch.icu().words, text);
  std::size_t count = 0;
  it.first();
  while (count < stop_at && it.next() != icu::BreakIterator::DONE) {
    if (it.getRuleStatus() >= UBRK_WORD_NONE_LIMIT) ++count;
  }
  return count;
}

std::size_t count_code_points(std::string_view text) noexcept {
  std::size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

namespace {

bool weighs_one(char32_t c) {
  return c <= 0x10FF || (c >= 0x2000 && c <= 0x200D) || (c >= 0x2010 && c <= 0x201F) ||
         (c >= 0x2032 && c <= 0x2037);
}

bool has_property(char32_t c, UProperty property) {
  return u_hasBinaryProperty(static_cast<UChar32>(c), property) != 0;
}

/// The end of an emoji sequence starting at text[i] (code point c, already read; `next` is just
/// past it), or npos when c does not start one.
std::size_t emoji_end(std::string_view text, char32_t c, std::size_t next) {
  auto peek = [&](std::size_t at, std::size_t& after) -> char32_t {
    after = at;
    if (at >= text.size()) return 0;
    return next_code_point(text, after);
  };
  std::size_t after = 0;
  if (has_property(c, UCHAR_REGIONAL_INDICATOR)) {
    const char32_t second = peek(next, after);
    return has_property(second, UCHAR_REGIONAL_INDICATOR) ? after : next;
  }
  if (c == '#' || c == '*' || (c >= '0' && c <= '9')) {
    std::size_t at = next;
    if (peek(at, after) == 0xFE0F) at = after;
    return peek(at, after) == 0x20E3 ? after : std::string_view::npos;
  }
  if (!has_property(c, UCHAR_EXTENDED_PICTOGRAPHIC)) return std::string_view::npos;
  const bool presentation = has_property(c, UCHAR_EMOJI_PRESENTATION);
  if (!presentation && peek(next, after) != 0xFE0F &&
      !has_property(peek(next, after), UCHAR_EMOJI_MODIFIER))
    return std::string_view::npos;
  std::size_t at = next;
  for (;;) {
    const char32_t d = peek(at, after);
    if (d == 0xFE0F || has_property(d, UCHAR_EMOJI_MODIFIER) || (d >= 0xE0020 && d <= 0xE007F) ||
        d == 0x20E3) {
      at = after;
      continue;
    }
    if (d == 0x200D) {
      std::size_t after_joined = 0;
      const char32_t joined = peek(after, after_joined);
      if (has_property(joined, UCHAR_EXTENDED_PICTOGRAPHIC)) {
        at = after_joined;
        continue;
      }
    }
    return at;
  }
}

}  // namespace

std::size_t tweet_weighted_length(std::string_view text) {
  std::vector<item_span> urls;
  if (text.find("://") != std::string_view::npos || text.find("ww.") != std::string_view::npos)
    find_urls(text, urls);
  std::size_t weight = 0;
  std::size_t next_url = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (next_url < urls.size() && urls[next_url].begin == i) {
      weight += 23;
      i = urls[next_url++].end;
      continue;
    }
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80 && !(byte == '#' || byte == '*' || is_digit(byte))) {
      ++weight;
      ++i;
      continue;
    }
    std::size_t next = i;
    const char32_t c = next_code_point(text, next);
    if (const std::size_t end = emoji_end(text, c, next); end != std::string_view::npos) {
      weight += 2;
      i = end;
      continue;
    }
    weight += weighs_one(c) ? 1 : 2;
    i = next;
  }
  return weight;
}

std::string dominant_script(std::string_view text) {
  std::vector<std::uint32_t> counts(USCRIPT_CODE_LIMIT, 0);
  bool any = false;
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      ++i;
      if (std::isalpha(byte) != 0) {
        ++counts[USCRIPT_LATIN];
        any = true;
      }
      continue;
    }
    const auto c = static_cast<UChar32>(next_code_point(text, i));
    if (!u_isalpha(c) && !u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC)) continue;
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(c, &status);
    if (U_FAILURE(status) || script == USCRIPT_COMMON || script == USCRIPT_INHERITED) continue;
    ++counts[script];
    any = true;
  }
  if (!any) return "";
  // Japanese is kana and kanji together, Korean hangul and hanja.
  const std::uint32_t kana = counts[USCRIPT_HIRAGANA] + counts[USCRIPT_KATAKANA];
  if (kana > 0) {
    counts[USCRIPT_JAPANESE] = kana + counts[USCRIPT_HAN];
    counts[USCRIPT_HIRAGANA] = counts[USCRIPT_KATAKANA] = counts[USCRIPT_HAN] = 0;
  } else if (counts[USCRIPT_HANGUL] > 0) {
    counts[USCRIPT_KOREAN] = counts[USCRIPT_HANGUL] + counts[USCRIPT_HAN];
    counts[USCRIPT_HANGUL] = counts[USCRIPT_HAN] = 0;
  }
  const auto best = std::max_element(counts.begin(), counts.end()) - counts.begin();
  return uscript_getShortName(static_cast<UScriptCode>(best));
}

}  // namespace textkit::sanitize
