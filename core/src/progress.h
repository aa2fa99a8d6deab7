// textkit host - drawing progress, warnings and skipped records on stderr.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "textkit/host/run.h"

namespace textkit::host {

/// Everything the user reads while a pipeline runs goes through here, from any thread:
/// bars on a terminal, plain lines otherwise, or one JSON event per line.
class progress_display {
 public:
  progress_display(progress_mode mode, std::ostream& out, std::vector<std::string> step_names);

  void update(std::size_t step, std::uint64_t done, std::uint64_t total, std::string_view unit);
  /// Called as records leave the last step, to show records per second.
  void count_output(std::uint64_t records);
  void warning(std::size_t step, const std::string& message);
  void skipped(std::size_t step, const std::string& where, const std::string& message);
  /// Clears the bar; in JSON mode writes the summary event.
  void finish(const run_report& report);

 private:
  using clock = std::chrono::steady_clock;
  void draw(bool force);
  void clear_bar();
  void json_event(const json& event);

  progress_mode mode_;
  std::ostream& out_;
  std::vector<std::string> step_names_;
  std::mutex mutex_;
  clock::time_point start_ = clock::now();
  clock::time_point last_draw_{};
  bool bar_shown_ = false;
  std::size_t step_ = 0;
  std::uint64_t done_ = 0;
  std::uint64_t total_ = 0;
  std::string unit_;
  clock::time_point step_start_ = clock::now();
  std::uint64_t records_ = 0;
  std::set<std::string> warned_;
};

/// "1.2 GB", "340 kB", "12 steps".
std::string human_amount(std::uint64_t amount, std::string_view unit);

}  // namespace textkit::host
