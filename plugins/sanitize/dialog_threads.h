// dialog - message threads to dialog text: the pure part (ordering, splitting, formatting).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "textkit/record.h"

namespace textkit::sanitize {

struct dialog_settings {
  bool names = false;                   ///< "Name: text" instead of "- " / "> "
  std::int64_t gap_seconds = 6 * 3600;  ///< a longer silence starts a new record (0: never)
  int max_turns = 20;                   ///< turns per record (0: no limit)
  bool require_owner = true;            ///< drop dialogs in which the owner never speaks
  std::vector<std::string> owners;      ///< authors who are the owner (besides meta.by_me)
  std::string owner_mark = "- ";
  std::string other_mark = "> ";
};

/// One message of a thread, as read from a record.
struct message {
  std::string text;
  std::string author;
  bool by_owner = false;
  std::optional<std::int64_t> time;  ///< seconds since the epoch, when meta.created parses
  std::string created;               ///< meta.created as given
  std::size_t order = 0;             ///< position in the input, to keep ties stable
  json meta;                         ///< the first message's meta seeds the dialog's
};

/// Seconds since the epoch of an ISO 8601 date-time ("2026-03-06T13:02:05Z", with optional
/// fraction and offset, or a date alone), or nothing.
std::optional<std::int64_t> parse_iso8601(std::string_view text);

/// A duration: a number of seconds, or a string such as "90s", "30m", "6h", "2d".
std::optional<std::int64_t> parse_duration(const json& value);

/// The dialog records of one thread: messages in time order (input order for equal or unknown
/// times), one turn per run of messages by the same speaker, a new record after a silence longer
/// than gap_seconds or after max_turns turns. Records without an owner's turn are left out when
/// require_owner is set; `left_out` counts them.
std::vector<record> thread_to_dialogs(std::vector<message> messages, const std::string& thread,
                                      const dialog_settings& config, std::size_t& left_out);

}  // namespace textkit::sanitize
