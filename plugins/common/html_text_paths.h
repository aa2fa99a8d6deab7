// textkit_common - the two ways html_to_text and decode_entities work, apart, so tests and the
// fuzz target can check that they agree. Private to the library, its tests and tests/fuzz.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "textkit_common/html_text.h"

namespace textkit::common::html_paths {

/// html_to_text by a scan that knows plain text, common entities and a few inline tags, <br> and
/// <p>; nullopt for anything else. When it answers, the answer is html_to_text_full's.
std::optional<std::string> html_to_text_fast(std::string_view html,
                                             const html_text_options& options);

/// html_to_text by gumbo, whatever the input.
std::string html_to_text_full(std::string_view html, const html_text_options& options);

/// decode_entities by a scan (common named references, numeric ones naming ordinary
/// characters); nullopt when unsure. When it answers, the answer is decode_entities_full's.
std::optional<std::string> decode_entities_fast(std::string_view text);

/// decode_entities by gumbo, whatever the input.
std::string decode_entities_full(std::string_view text);

}  // namespace textkit::common::html_paths
