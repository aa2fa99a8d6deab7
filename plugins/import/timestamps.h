// textkit import plugins - one timestamp normaliser for every export format: whatever the
// platform wrote becomes seconds since the epoch, and meta.created UTC ISO 8601.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace textkit::import {

/// Seconds since 1970-01-01T00:00:00Z of a civil date and time in UTC.
std::int64_t utc_seconds(int year, int month, int day, int hour, int minute, int second);

/// "2024-05-01T13:02:05Z".
std::string iso8601(std::int64_t seconds);

/// Parses the date formats the exports use, each with its offset applied:
///   2020-11-30T23:30:03.690+02:00, 2020-11-30 23:30:03.690000+00:00, 2022-09-09 00:14:25 (UTC),
///   2024-05-01 (midnight UTC), 2025-07-06 16:10:56 GMT, Fri Mar 06 13:02:05 +0000 2026 (Twitter),
///   Thu, 21 Nov 2024 14:45:41 +0000 (RSS), Friday, July 10, 2026 at 2:04:56 PM UTC (Google Chat).
/// Nothing for text it cannot read, and for WordPress's zero date "0000-00-00 00:00:00".
std::optional<std::int64_t> parse_timestamp(std::string_view text);

/// Seconds from an epoch number whose unit is guessed from its size: seconds, milliseconds or
/// microseconds (exports use all three; dates from 1973 to 5000 come out right).
std::int64_t seconds_from_epoch_number(std::int64_t value);

}  // namespace textkit::import
