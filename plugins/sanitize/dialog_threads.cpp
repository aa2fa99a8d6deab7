#include "dialog_threads.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace textkit::sanitize {
namespace {

std::optional<int> digits(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// Days from 1970-01-01 to the given civil date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// The speaker's lines, each with the mark (or "Name: " on the first line).
void append_turn(std::string& out, const std::vector<const message*>& run,
                 const dialog_settings& config) {
  const message& first = *run.front();
  const std::string prefix = config.names     ? (first.author.empty() ? "?" : first.author) + ": "
                             : first.by_owner ? config.owner_mark
                                              : config.other_mark;
  // Every line carries its speaker, so a line taken out of context still says who spoke.
  const std::string& continuation = prefix;
  bool first_line = true;
  for (const message* m : run) {
    std::size_t start = 0;
    while (start <= m->text.size()) {
      std::size_t end = m->text.find('\n', start);
      if (end == std::string::npos) end = m->text.size();
      if (!out.empty()) out.push_back('\n');
      out += first_line ? prefix : continuation;
      out.append(m->text, start, end - start);
      first_line = false;
      start = end + 1;
    }
  }
}

}  // namespace

std::optional<std::int64_t> parse_iso8601(std::string_view text) {
  const auto year = digits(text, 0, 4);
  const auto month = digits(text, 5, 2);
  const auto day = digits(text, 8, 2);
  if (!year || !month || !day || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (*month < 1 || *month > 12 || *day < 1 || *day > 31) return std::nullopt;
  std::int64_t seconds =
      days_from_civil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day)) * 86400;
  if (text.size() == 10) return seconds;
  if (text[10] != 'T' && text[10] != ' ') return std::nullopt;
  const auto hour = digits(text, 11, 2);
  const auto minute = digits(text, 14, 2);
  if (!hour || !minute || text[13] != ':') return std::nullopt;
  seconds += *hour * 3600 + *minute * 60;
  std::size_t at = 16;
  if (at < text.size() && text[at] == ':') {
    const auto second = digits(text, 17, 2);
    if (!second) return std::nullopt;
    seconds += *second;
    at = 19;
  }
  if (at < text.size() && (text[at] == '.' || text[at] == ',')) {
    ++at;
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
  }
  if (at == text.size() || text.substr(at) == "Z") return seconds;
  if (text[at] != '+' && text[at] != '-') return std::nullopt;
  const auto off_hour = digits(text, at + 1, 2);
  const std::size_t minute_at = at + 3 < text.size() && text[at + 3] == ':' ? at + 4 : at + 3;
  const auto off_minute = minute_at < text.size() ? digits(text, minute_at, 2) : std::optional(0);
  if (!off_hour || !off_minute) return std::nullopt;
  const std::int64_t offset = *off_hour * 3600 + *off_minute * 60;
  return text[at] == '+' ? seconds - offset : seconds + offset;
}

std::optional<std::int64_t> parse_duration(const json& value) {
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_number()) return static_cast<std::int64_t>(value.get<double>());
  if (!value.is_string()) return std::nullopt;
  const std::string text = value.get<std::string>();
  double amount = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), amount);
  if (ec != std::errc() || amount < 0) return std::nullopt;
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  const double scale = unit.empty() || unit == "s"    ? 1
                       : unit == "m" || unit == "min" ? 60
                       : unit == "h"                  ? 3600
                       : unit == "d"                  ? 86400
                                                      : -1;
  if (scale < 0) return std::nullopt;
  return static_cast<std::int64_t>(amount * scale);
}

std::vector<record> thread_to_dialogs(std::vector<message> messages, const std::string& thread,
                                      const dialog_settings& config, std::size_t& left_out) {
  std::vector<record> out;
  std::stable_sort(messages.begin(), messages.end(), [](const message& a, const message& b) {
    if (a.time && b.time && *a.time != *b.time) return *a.time < *b.time;
    return a.order < b.order;
  });
  std::vector<const message*> current;  // the messages of the record being built
  auto emit = [&] {
    if (current.empty()) return;
    const bool owner_speaks =
        std::any_of(current.begin(), current.end(), [](const message* m) { return m->by_owner; });
    if (config.require_owner && !owner_speaks) {
      ++left_out;
      current.clear();
      return;
    }
    record r;
    std::vector<const message*> run;
    std::vector<std::string> speakers;
    std::size_t turns = 0;
    for (const message* m : current) {
      if (!run.empty() &&
          (run.back()->author != m->author || run.back()->by_owner != m->by_owner)) {
        append_turn(r.text, run, config);
        ++turns;
        run.clear();
      }
      run.push_back(m);
      if (std::find(speakers.begin(), speakers.end(), m->author) == speakers.end())
        speakers.push_back(m->author);
    }
    append_turn(r.text, run, config);
    ++turns;
    const message& first = *current.front();
    r.meta = json::object();
    r.meta["source"] = "dialog";
    r.meta["kind"] = "dialog";
    r.meta["thread"] = thread;
    if (auto it = first.meta.find("label"); it != first.meta.end()) r.meta["label"] = *it;
    if (!first.created.empty()) r.meta["created"] = first.created;
    r.meta["participants"] = speakers;
    r.meta["turns"] = turns;
    r.meta["messages"] = current.size();
    out.push_back(std::move(r));
    current.clear();
  };
  std::size_t turns = 0;
  for (const message& m : messages) {
    if (m.text.empty()) continue;
    if (!current.empty()) {
      const message& last = *current.back();
      const bool new_turn = last.author != m.author || last.by_owner != m.by_owner;
      const bool silence = config.gap_seconds > 0 && last.time && m.time &&
                           *m.time - *last.time > config.gap_seconds;
      if (silence || (new_turn && config.max_turns > 0 &&
                      turns >= static_cast<std::size_t>(config.max_turns))) {
        emit();
        turns = 0;
      }
    }
    if (current.empty() || current.back()->author != m.author ||
        current.back()->by_owner != m.by_owner)
      ++turns;
    current.push_back(&m);
  }
  emit();
  return out;
}

}  // namespace textkit::sanitize
