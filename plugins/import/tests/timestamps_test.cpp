#include "timestamps.h"

#include <catch2/catch.hpp>

using namespace textkit::import;

namespace {
std::string iso(std::string_view text) {
  const auto seconds = parse_timestamp(text);
  return seconds ? iso8601(*seconds) : "none";
}
}  // namespace

TEST_CASE("every export's date format becomes UTC ISO 8601", "[timestamps]") {
  CHECK(iso("2020-11-30T23:30:03.690+02:00") == "2020-11-30T21:30:03Z");
  CHECK(iso("2020-11-30 23:30:03.690000+00:00") == "2020-11-30T23:30:03Z");  // Discord CSV
  CHECK(iso("2022-09-09 00:14:25") == "2022-09-09T00:14:25Z");               // Discord JSON
  CHECK(iso("2024-05-01") == "2024-05-01T00:00:00Z");
  CHECK(iso("2025-07-06 16:10:56 GMT") == "2025-07-06T16:10:56Z");          // Tumblr
  CHECK(iso("Fri Mar 06 13:02:05 +0000 2026") == "2026-03-06T13:02:05Z");   // Twitter
  CHECK(iso("2016-05-03 05:21:50 +0000") == "2016-05-03T05:21:50Z");        // Grailbird
  CHECK(iso("Thu, 21 Nov 2024 14:45:41 +0000") == "2024-11-21T14:45:41Z");  // RSS
  CHECK(iso("Thu, 21 Nov 2024 14:45:41 -0530") == "2024-11-21T20:15:41Z");
  CHECK(iso("Friday, July 10, 2026 at 2:04:56 PM UTC") == "2026-07-10T14:04:56Z");
  CHECK(iso("Friday, July 10, 2026 at 12:04:56\xE2\x80\xAF"
            "AM UTC") == "2026-07-10T00:04:56Z");
  CHECK(iso("2011-10-08T19:40:53.278Z") == "2011-10-08T19:40:53Z");  // Blogger
  CHECK(iso("1969-12-31T23:59:59Z") == "1969-12-31T23:59:59Z");
}

TEST_CASE("unreadable and zero dates are unknown, not errors", "[timestamps]") {
  CHECK(iso("0000-00-00 00:00:00") == "none");  // a WordPress draft
  CHECK(iso("") == "none");
  CHECK(iso("yesterday") == "none");
  CHECK(iso("2020-13-01") == "none");
  // Fields too long to be dates (found by fuzz.import_discord_csv): unknown, neither wrapped into
  // a plausible value nor overflowing.
  CHECK(iso("2022-09-12 20:25000000100") == "none");
  CHECK(iso("2022-09-12 4294967316:14") == "none");
  CHECK(iso("4294969318-09-12 20:14") == "none");
}

TEST_CASE("epoch numbers in seconds, milliseconds, microseconds", "[timestamps]") {
  CHECK(iso8601(seconds_from_epoch_number(1373062251)) == "2013-07-05T22:10:51Z");
  CHECK(iso8601(seconds_from_epoch_number(1734546522464)) == "2024-12-18T18:28:42Z");
  CHECK(iso8601(seconds_from_epoch_number(1727886534204000)) == "2024-10-02T16:28:54Z");
}
