// textkit host - drawing progress, warnings and skipped records on stderr.
#include "progress.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace textkit::host {

namespace {

constexpr auto kBarInterval = std::chrono::milliseconds(100);
constexpr auto kPlainInterval = std::chrono::seconds(5);
constexpr auto kJsonInterval = std::chrono::seconds(1);

std::string fixed(double value, int decimals) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(decimals) << value;
  return out.str();
}

std::string human_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto whole = static_cast<long long>(seconds + 0.5);
  if (whole < 60) return std::to_string(whole) + "s";
  if (whole < 3600) return std::to_string(whole / 60) + "m" + std::to_string(whole % 60) + "s";
  return std::to_string(whole / 3600) + "h" + std::to_string(whole / 60 % 60) + "m";
}

}  // namespace

std::string human_amount(std::uint64_t amount, std::string_view unit) {
  if (unit != "bytes") return std::to_string(amount) + " " + std::string(unit);
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  double value = static_cast<double>(amount);
  int i = 0;
  while (value >= 1000 && i < 4) {
    value /= 1000;
    ++i;
  }
  return (i == 0 ? std::to_string(amount) : fixed(value, value < 10 ? 2 : 1)) + " " + units[i];
}

progress_display::progress_display(progress_mode mode, std::ostream& out,
                                   std::vector<std::string> step_names)
    : mode_(mode), out_(out), step_names_(std::move(step_names)) {
  if (mode_ == progress_mode::automatic) {
    mode_ = (&out_ == &std::cerr && isatty(STDERR_FILENO) != 0) ? progress_mode::automatic
                                                                : progress_mode::plain;
  }
  if (mode_ == progress_mode::json) json_event({{"event", "start"}, {"steps", step_names_}});
}

void progress_display::json_event(const json& event) {
  out_ << event.dump(-1, ' ', false, json::error_handler_t::replace) << '\n' << std::flush;
}

void progress_display::update(std::size_t step, std::uint64_t done, std::uint64_t total,
                              std::string_view unit) {
  std::lock_guard lock(mutex_);
  if (step != step_) {
    step_ = step;
    step_start_ = clock::now();
  }
  done_ = done;
  total_ = total;
  unit_ = unit;
  draw(false);
}

void progress_display::count_output(std::uint64_t records) {
  std::lock_guard lock(mutex_);
  records_ = records;
  draw(false);
}

void progress_display::draw(bool force) {
  if (mode_ == progress_mode::none) return;
  const auto now = clock::now();
  const auto interval = mode_ == progress_mode::automatic ? kBarInterval
                        : mode_ == progress_mode::json    ? kJsonInterval
                                                          : kPlainInterval;
  if (!force && now - last_draw_ < interval) return;
  if (!force && last_draw_ == clock::time_point{} && now - start_ < interval) return;
  last_draw_ = now;

  const double elapsed = std::chrono::duration<double>(now - step_start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0;
  const double eta =
      (total_ > done_ && rate > 0) ? static_cast<double>(total_ - done_) / rate : NAN;
  const std::string& name = step_ < step_names_.size() ? step_names_[step_] : step_names_.back();

  if (mode_ == progress_mode::json) {
    json event = {{"event", "progress"},
                  {"step", name},
                  {"index", step_},
                  {"done", done_},
                  {"unit", unit_},
                  {"records", records_},
                  {"elapsed", std::chrono::duration<double>(now - start_).count()}};
    if (total_ != 0) event["total"] = total_;
    json_event(event);
    return;
  }

  std::string line = name + ": ";
  if (mode_ == progress_mode::automatic && total_ != 0) {
    constexpr int kWidth = 24;
    const double fraction = std::min(1.0, static_cast<double>(done_) / static_cast<double>(total_));
    const int filled = static_cast<int>(fraction * kWidth);
    line += "[" + std::string(static_cast<std::size_t>(filled), '#') +
            std::string(static_cast<std::size_t>(kWidth - filled), '-') + "] ";
  }
  if (total_ != 0) {
    line += fixed(100.0 * static_cast<double>(done_) / static_cast<double>(total_), 0) + "% " +
            human_amount(done_, unit_) + " of " + human_amount(total_, unit_);
  } else {
    line += human_amount(done_, unit_);
  }
  line += ", " + human_amount(static_cast<std::uint64_t>(rate), unit_) + "/s";
  if (std::isfinite(eta)) line += ", ETA " + human_duration(eta);
  line += ", " + std::to_string(records_) + " records out";

  if (mode_ == progress_mode::automatic) {
    out_ << "\r\033[K" << line << std::flush;
    bar_shown_ = true;
  } else {
    out_ << line << '\n' << std::flush;
  }
}

void progress_display::clear_bar() {
  if (!bar_shown_) return;
  out_ << "\r\033[K" << std::flush;
  bar_shown_ = false;
}

void progress_display::warning(std::size_t step, const std::string& message) {
  std::lock_guard lock(mutex_);
  const std::string& name = step_names_.at(step);
  if (!warned_.insert(name + '\n' + message).second) return;
  if (mode_ == progress_mode::json) {
    json_event({{"event", "warning"}, {"step", name}, {"index", step}, {"message", message}});
    return;
  }
  clear_bar();
  out_ << "warning: " << name << ": " << message << '\n' << std::flush;
}

void progress_display::skipped(std::size_t step, const std::string& where,
                               const std::string& message) {
  std::lock_guard lock(mutex_);
  const std::string& name = step_names_.at(step);
  if (mode_ == progress_mode::json) {
    json_event({{"event", "skipped"},
                {"step", name},
                {"index", step},
                {"where", where},
                {"message", message}});
    return;
  }
  clear_bar();
  out_ << "skipped: " << name << ": " << (where.empty() ? "" : where + ": ") << message << '\n'
       << std::flush;
}

void progress_display::finish(const run_report& report) {
  std::lock_guard lock(mutex_);
  clear_bar();
  if (mode_ != progress_mode::json) return;
  json steps = json::array();
  for (const auto& s : report.steps) {
    steps.push_back({{"step", s.name},
                     {"in", s.in},
                     {"out", s.out},
                     {"skipped", s.skipped},
                     {"seconds", std::max(0.0, s.seconds)}});
  }
  json event = {{"event", "summary"},
                {"ok", report.ok},
                {"cancelled", report.cancelled},
                {"seconds", report.seconds},
                {"steps", steps}};
  if (!report.error.empty()) event["error"] = report.error;
  json_event(event);
}

}  // namespace textkit::host
