#include "timestamps.h"

#include <array>
#include <cctype>
#include <vector>

namespace textkit::import {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

int month_number(std::string_view word) {
  static constexpr std::array<std::string_view, 12> names = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (word.size() < 3) return 0;
  char lower[3];
  for (int i = 0; i < 3; ++i)
    lower[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(word[i])));
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (std::string_view(lower, 3) == names[i]) return static_cast<int>(i) + 1;
  }
  return 0;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

struct token {
  enum kind_type { number, word, offset } kind;
  std::string_view text;
  std::int64_t value = 0;  // number: its value; offset: seconds east of UTC
  char before = ' ';       // the separator character before it
};

// Splits "Fri Mar 06 13:02:05 +0000 2026" into numbers, words and UTC offsets.
std::vector<token> tokenize(std::string_view text) {
  std::vector<token> tokens;
  std::size_t i = 0;
  char separator = ' ';
  while (i < text.size()) {
    const char c = text[i];
    // An offset follows a time ("13:02:05 +0000", "03.690+02:00"), never a date ("2020-11").
    const bool after_time = !tokens.empty() && tokens.back().kind == token::number &&
                            (tokens.back().before == ':' || tokens.back().before == '.');
    if ((c == '+' || c == '-') && i + 1 < text.size() && is_digit(text[i + 1]) && after_time) {
      // +0000, +02:00, -0530, +01
      std::size_t j = i + 1;
      std::string digits;
      while (j < text.size() && (is_digit(text[j]) || text[j] == ':') && digits.size() < 4) {
        if (text[j] != ':') digits.push_back(text[j]);
        ++j;
      }
      if (digits.size() == 2 || digits.size() == 4) {
        const int hours = std::stoi(digits.substr(0, 2));
        const int minutes = digits.size() == 4 ? std::stoi(digits.substr(2, 2)) : 0;
        const std::int64_t east = hours * 3600 + minutes * 60;
        tokens.push_back(
            token{token::offset, text.substr(i, j - i), c == '-' ? -east : east, separator});
        i = j;
        separator = ' ';
        continue;
      }
    }
    if (is_digit(c)) {
      std::size_t j = i;
      std::int64_t value = 0;
      while (j < text.size() && is_digit(text[j]) && j - i < 18) {
        value = value * 10 + (text[j] - '0');
        ++j;
      }
      tokens.push_back(token{token::number, text.substr(i, j - i), value, separator});
      i = j;
      separator = ' ';
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c))) {
      std::size_t j = i;
      while (j < text.size() && std::isalpha(static_cast<unsigned char>(text[j]))) ++j;
      tokens.push_back(token{token::word, text.substr(i, j - i), 0, separator});
      i = j;
      separator = ' ';
      continue;
    }
    // Anything else (including U+202F before "PM", as multi-byte) separates.
    if (c == ':' || c == '.' || c == '-' || c == '/' || c == 'T') separator = c;
    ++i;
  }
  return tokens;
}

bool equals_lower(std::string_view word, std::string_view lower) {
  if (word.size() != lower.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(word[i])) != lower[i]) return false;
  }
  return true;
}

// A date or time field as an int; a number too long to be one (the tokenizer reads up to 18
// digits) is -1, which no field accepts, rather than wrapping into a plausible value.
int field(std::int64_t value) { return value > 99'999 ? -1 : static_cast<int>(value); }

}  // namespace

std::int64_t utc_seconds(int year, int month, int day, int hour, int minute, int second) {
  return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
         hour * 3600 + minute * 60 + second;
}

std::string iso8601(std::int64_t seconds) {
  std::int64_t days = seconds / 86400;
  std::int64_t rest = seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  // civil_from_days
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t year = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  year += month <= 2;
  // By hand rather than snprintf: this runs once per record.
  std::string out = "0000-00-00T00:00:00Z";
  auto put = [&out](std::size_t at, std::int64_t value, int width) {
    for (int i = width - 1; i >= 0; --i) {
      out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  if (year < 0 || year > 9999) return "0000-01-01T00:00:00Z";
  put(0, year, 4);
  put(5, month, 2);
  put(8, day, 2);
  put(11, rest / 3600, 2);
  put(14, rest / 60 % 60, 2);
  put(17, rest % 60, 2);
  return out;
}

std::int64_t seconds_from_epoch_number(std::int64_t value) {
  const std::int64_t magnitude = value < 0 ? -value : value;
  if (magnitude >= 100'000'000'000'000) return value / 1'000'000;  // microseconds
  if (magnitude >= 100'000'000'000) return value / 1000;           // milliseconds
  return value;
}

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
  const std::vector<token> tokens = tokenize(text);
  int year = -1;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  std::int64_t offset = 0;
  bool pm = false;
  bool am = false;
  bool have_time = false;
  std::size_t i = 0;
  // ISO-like: a four-digit year first.
  if (tokens.size() >= 3 && tokens[0].kind == token::number && tokens[0].text.size() == 4 &&
      tokens[1].kind == token::number && tokens[2].kind == token::number) {
    year = field(tokens[0].value);
    month = field(tokens[1].value);
    day = field(tokens[2].value);
    i = 3;
    // The 'T' of 2020-01-01T10:00 is read as a word token "T..." when letters follow; a digit
    // follows here, so it only set the separator.
  }
  for (; i < tokens.size(); ++i) {
    const token& t = tokens[i];
    if (t.kind == token::offset) {
      offset = t.value;
      continue;
    }
    if (t.kind == token::word) {
      if (const int m = month_number(t.text); m != 0 && month == 0 && t.text.size() >= 3) {
        // Weekday names share no prefix with months, but "Mar" vs "March": both fine.
        month = m;
      } else if (equals_lower(t.text, "pm")) {
        pm = true;
      } else if (equals_lower(t.text, "am")) {
        am = true;
      } else if (equals_lower(t.text, "t") && i + 1 < tokens.size()) {
        continue;
      }
      // Z, UTC, GMT, weekday names, "at": nothing to do.
      continue;
    }
    // A number: h:m[:s[.frac]] when a ':' follows it.
    if (!have_time && i + 1 < tokens.size() && tokens[i + 1].kind == token::number &&
        tokens[i + 1].before == ':') {
      hour = field(t.value);
      minute = field(tokens[i + 1].value);
      i += 1;
      if (i + 1 < tokens.size() && tokens[i + 1].kind == token::number &&
          tokens[i + 1].before == ':') {
        second = field(tokens[i + 1].value);
        i += 1;
      }
      if (i + 1 < tokens.size() && tokens[i + 1].kind == token::number &&
          tokens[i + 1].before == '.') {
        i += 1;  // fractional seconds
      }
      have_time = true;
      continue;
    }
    if (t.text.size() == 4 && year < 0) {
      year = field(t.value);
    } else if (day == 0 && t.value >= 1 && t.value <= 31) {
      day = static_cast<int>(t.value);
    }
  }
  if (pm && hour < 12) hour += 12;
  if (am && hour == 12) hour = 0;
  if (year <= 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 60) {
    return std::nullopt;
  }
  return utc_seconds(year, month, day, hour, minute, second) - offset;
}

}  // namespace textkit::import
