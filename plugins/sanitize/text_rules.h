// sanitize - the per-record text rules, each a pure function of the text, so each is testable on
// its own and safe to run on many threads at once (per-thread ICU objects live in text_scratch).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "textkit_common/near_dup.h"

namespace textkit::sanitize {

/// Per-thread ICU state (break iterators are not thread-safe); one per worker thread.
class text_scratch {
 public:
  text_scratch();
  ~text_scratch();
  text_scratch(const text_scratch&) = delete;
  text_scratch& operator=(const text_scratch&) = delete;

  struct icu_state;
  icu_state& icu() { return *icu_; }

 private:
  std::unique_ptr<icu_state> icu_;
};

// ---- Unicode ---------------------------------------------------------------------------------

/// Replaces each invalid UTF-8 sequence (each maximal bad subpart, as ICU and browsers do) with
/// U+FFFD; returns how many were replaced.
std::size_t replace_invalid_utf8(std::string& text);

/// Repairs text that is wholly double-encoded UTF-8 (UTF-8 bytes decoded as Latin-1 or
/// Windows-1252 and encoded again: "donâ€™t", "FranÃ§ais"), only when the repair is certain:
/// every code point maps back to a byte, the bytes are valid UTF-8, and they hold at least one
/// multi-byte character. Returns whether it changed the text.
bool repair_mojibake(std::string& text);

/// Whether the text holds an HTML tag or comment (not merely an entity).
bool has_html_tag(std::string_view text);

/// Tags stripped (block elements become paragraph breaks) and entities decoded, with the
/// importers' HTML-to-text; text without tags only has its entities decoded, so its line breaks
/// stay. Returns whether it changed the text.
bool strip_html(std::string& text);

enum class normal_form { none, nfc, nfkc };

/// Puts the text in NFC or NFKC; returns whether it changed.
bool normalize(std::string& text, normal_form form);

/// Removes control characters other than tab and line breaks, and the invisible characters that
/// carry no meaning in training text: U+200B ZERO WIDTH SPACE, U+2060 WORD JOINER, U+FEFF (BOM),
/// U+00AD SOFT HYPHEN, U+180E, U+2061..U+2064. Zero-width joiner and non-joiner (emoji sequences,
/// Persian, Indic scripts) and the bidi marks (RTL text) are kept. Returns whether it changed.
bool remove_invisible(std::string& text);

/// Line breaks become "\n" (CR LF, CR, U+2028, U+2029); runs of spaces, tabs and other Unicode
/// space separators become one space; lines are trimmed; at most `max_blank_lines` empty lines in
/// a row; the text is trimmed. Returns whether it changed.
bool normalize_whitespace(std::string& text, int max_blank_lines);

// ---- URLs, e-mail addresses, phone numbers, mentions, hashtags --------------------------------

enum class item_kind { url, email, phone, mention, hashtag };
enum class item_action { keep, drop, replace, strip };

/// A span of the text recognised as one item.
struct item_span {
  std::size_t begin = 0;
  std::size_t end = 0;
  item_kind kind = item_kind::url;
};

/// Every URL (http://, https://, www.), e-mail address, phone number, @mention and #hashtag in
/// the text, in order, not overlapping. An e-mail address is not also a mention, a URL's
/// fragment is not a hashtag.
std::vector<item_span> find_items(std::string_view text);

struct item_policy {
  item_action actions[5] = {item_action::keep, item_action::keep, item_action::keep,
                            item_action::keep, item_action::keep};
  std::string placeholders[5] = {"<URL>", "<EMAIL>", "<PHONE>", "@user", "<HASHTAG>"};

  [[nodiscard]] item_action action(item_kind kind) const { return actions[static_cast<int>(kind)]; }
  [[nodiscard]] bool all_keep() const;
};

/// Applies the policy; `changed[kind]` is set for each kind that changed something.
void apply_items(std::string& text, const item_policy& policy, bool changed[5]);

// ---- Measures ---------------------------------------------------------------------------------

/// User-perceived characters (extended grapheme clusters, UAX #29): "é" written as e + U+0301 is
/// one, a family emoji of seven code points is one, CR LF is one.
/// Counting stops at `stop_at` (the result is then `stop_at`): a length filter only needs to know
/// whether the count passes its bound.
std::size_t count_graphemes(std::string_view text, text_scratch& scratch,
                            std::size_t stop_at = SIZE_MAX);

/// Words by ICU's word break rules (UAX #29 plus dictionaries for Japanese, Chinese, Thai...):
/// segments that hold a letter, digit, kana or ideograph; punctuation and spaces are not words.
/// Counting stops at `stop_at`, as for count_graphemes().
std::size_t count_words(std::string_view text, text_scratch& scratch,
                        std::size_t stop_at = SIZE_MAX);

/// The number of code points: an upper bound of both counts above, found without ICU.
std::size_t count_code_points(std::string_view text) noexcept;

/// Twitter's weighted length (twitter-text v3 configuration): code points in U+0000..U+10FF,
/// U+2000..U+200D, U+2010..U+201F and U+2032..U+2037 weigh 1, all others 2 (CJK, most emoji);
/// an emoji sequence (with modifiers, ZWJ, flags, keycaps) weighs 2 whatever its length; each
/// URL weighs 23. The text is expected in NFC, as Twitter counts it.
std::size_t tweet_weighted_length(std::string_view text);

/// The ISO 15924 code of the script most of the text's letters are in ("Latn", "Jpan" for
/// Japanese kana with or without kanji, "Hani", "Cyrl", "Arab"...), or "" when it has no letters.
std::string dominant_script(std::string_view text);

// ---- Dedup keys: shared with filter.novelty, in textkit_common/near_dup.h -------------------

using common::dedup_key;
using common::hash_bytes;
using common::shingle_tokens;

}  // namespace textkit::sanitize
