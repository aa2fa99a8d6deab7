// textkit_common - repair of UTF-8 text that was decoded as Latin-1 and encoded again
// ("FranÃ§ais" for "Français"), as Facebook and Instagram exports write every string.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace textkit::common {

/// The exact repair for a string that is wholly of that damage: when every code point of the
/// UTF-8 string `text` is at most U+00FF, at least one is above U+007F, and those code points
/// taken as bytes form valid UTF-8, returns that UTF-8; otherwise nothing (the text was real
/// Latin-1-range text, such as a lone "Ã", or already correct, or has characters above U+00FF,
/// which the damage never produces). Deterministic: Facebook's escapes always pass, correct
/// text almost never does. `text` must be valid UTF-8.
std::optional<std::string> repair_latin1_mojibake(std::string_view text);

/// The same repair in place, for a string known to be Facebook-damaged; returns whether it
/// changed anything.
bool repair_latin1_mojibake_in_place(std::string& text);

/// A heuristic for mixed text (a generic cleaner's job): repairs each run of code points in
/// U+0080..U+00FF that spells a valid multi-byte UTF-8 sequence (a lead byte C2..F4 and its
/// continuation bytes 80..BF), leaving everything else, ASCII between runs included.
/// "donâ\u0080\u0099t" becomes "don’t"; "Ã" alone stays. May repair real Latin-1 pairs such as "Ã©"
/// that happen to spell UTF-8: use it only on text known or suspected to be damaged. `text` must be
/// valid UTF-8.
std::string repair_mojibake_sequences(std::string_view text);

/// Latin-1 (ISO 8859-1) bytes as UTF-8.
std::string latin1_to_utf8(std::string_view bytes);

}  // namespace textkit::common
