// textkit host - running a checked pipeline.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "textkit/export.h"
#include "textkit/host/pipeline.h"
#include "textkit/host/registry.h"

namespace textkit::host {

enum class progress_mode { automatic, plain, json, none };

struct run_options {
  progress_mode progress = progress_mode::automatic;
  unsigned threads = 0;              ///< 0: all cores
  std::ostream* messages = nullptr;  ///< progress, warnings, summary; null: std::cerr
  std::size_t batch_size = 256;      ///< records per batch for thread-safe transforms
  /// --shard I/N: every source step yields only the records of shard I of N (by a stable hash of
  /// meta.id, or of the record's place when it has no id, or of its text), and every file a step
  /// writes (its output_path options: sinks' `path`, sanitize's `stats`...) gets ".shard-I-of-N"
  /// before its extension. The union of the N runs' outputs is the unsharded run's. shard_count 1:
  /// no sharding.
  unsigned shard_index = 0;
  unsigned shard_count = 1;
};

/// "out/x.jsonl" -> "out/x.shard-1-of-3.jsonl" (a name without extension, such as a model
/// folder, gets the suffix at its end).
TEXTKIT_API std::string shard_path(const std::string& path, unsigned index, unsigned count);

/// Gives every output_path option of a step (set in `with`, or by its default) its shard's name;
/// "-" (stdout) stays. `with` is the step's options as written in the pipeline.
TEXTKIT_API void shard_output_paths(const std::vector<option_spec>& specs, json& with,
                                    unsigned index, unsigned count);

/// The shard, of `count`, that `r` belongs to (see run_options::shard_index).
TEXTKIT_API unsigned shard_of(const record& r, unsigned count);

struct step_stats {
  std::string name;
  std::uint64_t in = 0;
  std::uint64_t out = 0;
  std::uint64_t skipped = 0;
  double seconds = 0;  ///< time spent in the step itself, not in the steps after it
};

struct run_report {
  bool ok = false;
  bool cancelled = false;
  std::string error;  ///< what stopped the run, with step and location
  std::vector<step_stats> steps;
  double seconds = 0;
};

/// Runs the pipeline: creates every step first (so a step that cannot work fails before any
/// record flows), streams the records through, and commits the sinks only when all went well.
TEXTKIT_API run_report run_pipeline(const pipeline& work, registry& plugins,
                                    const run_options& options);

/// The end-of-run table: per step, records in and out, skipped, and time.
TEXTKIT_API void print_summary(const run_report& report, std::ostream& out);

/// Makes SIGINT and SIGTERM request a clean stop of the running pipeline (a second one exits at
/// once with status 130), and ignores SIGXFSZ so that a file-size limit is a write error.
TEXTKIT_API void install_interrupt_handler();

/// Asks the running pipeline to stop, as Ctrl-C does (for tests and embedding programs).
TEXTKIT_API void request_stop() noexcept;

/// True once a stop was asked for (Ctrl-C, SIGTERM or request_stop()) during this run.
TEXTKIT_API bool stop_requested() noexcept;

}  // namespace textkit::host
