// textkit host - running a checked pipeline: records stream through the steps one at a time
// (or one batch at a time for thread-safe transforms), so memory stays flat whatever the input.
#include "textkit/host/run.h"

#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <iomanip>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "progress.h"
#include "textkit/hash.h"

namespace textkit::host {

namespace {

std::atomic<bool> stop_flag{false};

using clock = std::chrono::steady_clock;

double seconds_since(clock::time_point start) {
  return std::chrono::duration<double>(clock::now() - start).count();
}

/// Thrown inside the run loop when a step fails; carries which step.
struct step_failure {
  std::size_t step;
  std::string message;
};

void check_stop() {
  if (stop_flag.load(std::memory_order_relaxed)) throw cancelled();
}

/// Runs fn(0..n-1) on a fixed set of worker threads plus the calling thread.
class worker_pool {
 public:
  explicit worker_pool(unsigned threads) {
    for (unsigned i = 1; i < threads; ++i) workers_.emplace_back([this] { work(); });
  }
  ~worker_pool() {
    {
      std::lock_guard lock(mutex_);
      quit_ = true;
    }
    wake_.notify_all();
    for (auto& worker : workers_) worker.join();
  }
  worker_pool(const worker_pool&) = delete;
  worker_pool& operator=(const worker_pool&) = delete;

  void run(std::size_t n, const std::function<void(std::size_t)>& fn) {
    {
      std::lock_guard lock(mutex_);
      job_ = &fn;
      size_ = n;
      next_.store(0);
      busy_ = workers_.size();
      ++generation_;
    }
    wake_.notify_all();
    drain();
    std::unique_lock lock(mutex_);
    done_.wait(lock, [this] { return busy_ == 0; });
    job_ = nullptr;
  }

 private:
  void drain() {
    for (std::size_t i; (i = next_.fetch_add(1)) < size_;) (*job_)(i);
  }
  void work() {
    std::uint64_t seen = 0;
    while (true) {
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return quit_ || generation_ != seen; });
        if (quit_) return;
        seen = generation_;
      }
      drain();
      std::lock_guard lock(mutex_);
      if (--busy_ == 0) done_.notify_one();
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void(std::size_t)>* job_ = nullptr;
  std::size_t size_ = 0;
  std::atomic<std::size_t> next_{0};
  std::size_t busy_ = 0;
  std::uint64_t generation_ = 0;
  bool quit_ = false;
};

class stage;

/// What a running step sees of the host.
class step_context final : public context {
 public:
  step_context(std::string name, std::size_t index, on_error_policy policy, unsigned threads,
               progress_display& display, step_stats& stats)
      : name_(std::move(name)),
        index_(index),
        policy_(policy),
        threads_(threads),
        display_(display),
        stats_(stats) {}

  const std::string& step_name() const override { return name_; }

  void bad_input(const origin& where, const std::string& message) override {
    if (policy_ == on_error_policy::fail) throw error(where, message);
    skip(where.to_string(), message);
  }

  void skip(const std::string& where, const std::string& message) {
    {
      std::lock_guard lock(mutex_);
      ++stats_.skipped;
    }
    display_.skipped(index_, where, message);
  }

  void warn(const std::string& message) override { display_.warning(index_, message); }

  void progress(std::uint64_t done, std::uint64_t total, std::string_view unit) override {
    display_.update(index_, done, total, unit);
  }

  bool stop_requested() const override { return stop_flag.load(std::memory_order_relaxed); }
  unsigned threads() const override { return threads_; }
  on_error_policy policy() const { return policy_; }
  std::size_t index() const { return index_; }

 private:
  std::string name_;
  std::size_t index_;
  on_error_policy policy_;
  unsigned threads_;
  progress_display& display_;
  step_stats& stats_;
  std::mutex mutex_;
};

/// Which of a stream of calls to time: the first `exact` calls each, then one in `every` at
/// random, which counts for `every` (the weight next() returns; 0: not timed). At random, not
/// every 16th: a step whose cost comes in periods (a batch run every 256 records) would otherwise
/// be timed only at its slow calls. A step's seconds are exact for small runs and an estimate,
/// well within the run-to-run noise, for large ones.
class timing_sample {
 public:
  unsigned next() {
    if (calls_ < exact) {
      ++calls_;
      return 1;
    }
    // xorshift64: cheap, and any fixed seed will do.
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return (state_ & (every - 1)) == 0 ? every : 0;
  }

 private:
  static constexpr std::uint64_t exact = 1024;
  static constexpr unsigned every = 16;
  std::uint64_t calls_ = 0;
  std::uint64_t state_ = 0x9E3779B97F4A7C15ULL;
};

/// A step in the chain: takes records from upstream, hands its own to `next`.
class stage {
 public:
  stage(step& object, step_context& ctx, step_stats& stats)
      : object_(object), ctx_(ctx), stats_(stats) {}
  virtual ~stage() = default;
  stage(const stage&) = delete;
  stage& operator=(const stage&) = delete;

  void connect(stage* next) { next_ = next; }
  /// Whether time spent in this stage is worth measuring (not for the tail's counter).
  [[nodiscard]] virtual bool takes_time() const { return true; }
  /// Whether a push may run the work of many records at once (a batch).
  [[nodiscard]] virtual bool batches() const { return false; }
  virtual void push(record&& in) = 0;
  virtual void end() = 0;

  /// The time spent in this step, not counting the steps after it.
  void add_time(double seconds) { stats_.seconds += seconds; }

 protected:
  /// Hands a record downstream, keeping the time it spends there out of this step's time.
  void forward(record&& out) {
    check_stop();
    ++stats_.out;
    if (next_ == nullptr) return;
    // The tail's counting is not worth two clock reads a record; a step that runs batches takes
    // nearly all its time in one push of many, so each of its pushes is timed.
    unsigned weight = 0;
    if (next_->takes_time() && forward_timing_ != timing::off) {
      weight = forward_timing_ == timing::exact || next_->batches() ? 1 : forward_samples_.next();
    }
    if (weight == 0) {
      next_->push(std::move(out));
      return;
    }
    const auto start = clock::now();
    next_->push(std::move(out));
    downstream_ += weight * seconds_since(start);
  }
  void end_downstream() {
    if (next_ == nullptr) return;
    const auto start = clock::now();
    next_->end();
    downstream_ += seconds_since(start);
  }

  /// Calls fn, charging its time minus downstream time to this step, and turning its errors into
  /// a skip (on_error: skip) or a step failure naming the record's place. For work done once
  /// (a source's whole run, a step's end): timed in full, what it hands downstream sampled.
  template <typename Fn>
  void guarded(const origin& where, Fn&& fn) {
    const timing before = forward_timing_;
    forward_timing_ = timing::sampled;
    timed(where, fn, 1);
    forward_timing_ = before;
  }

  /// guarded() for work done once a record: past the first records, only a sample of the calls
  /// is timed, each counting for the calls it stands for (two clock reads a record were a tenth
  /// of import.facebook -> write.txt's time); what it hands downstream is timed with it.
  template <typename Fn>
  void guarded_record(const origin& where, Fn&& fn) {
    const unsigned weight = record_samples_.next();
    const timing before = forward_timing_;
    forward_timing_ = weight == 0 ? timing::off : timing::exact;
    if (weight == 0) {
      untimed(where, fn);
    } else {
      timed(where, fn, weight);
    }
    forward_timing_ = before;
  }

  template <typename Fn>
  void timed(const origin& where, Fn& fn, unsigned weight) {
    const auto start = clock::now();
    const double downstream_before = downstream_;
    untimed(where, fn);
    add_time(weight * (seconds_since(start) - (downstream_ - downstream_before)));
  }

  template <typename Fn>
  void untimed(const origin& where, Fn& fn) {
    try {
      fn();
    } catch (const error& e) {
      fail_or_skip(e.where().empty() ? where : e.where(), e.message());
    } catch (const cancelled&) {
      throw;
    } catch (const step_failure&) {
      throw;
    } catch (const std::exception& e) {
      fail_or_skip(where, e.what());
    }
  }

  void fail_or_skip(const origin& where, const std::string& message) {
    if (ctx_.policy() == on_error_policy::skip) {
      ctx_.skip(where.to_string(), message);
      return;
    }
    throw step_failure{ctx_.index(), where.empty() ? message : where.to_string() + ": " + message};
  }

  step& object_;
  step_context& ctx_;
  step_stats& stats_;
  stage* next_ = nullptr;
  double downstream_ = 0;

 private:
  // How forward() times what it hands downstream: every record (inside a call timed once a
  // record), a sample (inside work done once), or not at all (inside a call not timed).
  enum class timing { exact, sampled, off };
  timing forward_timing_ = timing::sampled;
  timing_sample record_samples_;
  timing_sample forward_samples_;
};

class forwarding_emitter final : public emitter {
 public:
  explicit forwarding_emitter(std::function<void(record&&)> to) : to_(std::move(to)) {}
  void emit(record&& out) override { to_(std::move(out)); }

 private:
  std::function<void(record&&)> to_;
};

class source_stage final : public stage {
 public:
  source_stage(step& object, step_context& ctx, step_stats& stats, unsigned shard_index,
               unsigned shard_count)
      : stage(object, ctx, stats), shard_index_(shard_index), shard_count_(shard_count) {}
  void push(record&& in) override {
    ++stats_.in;
    forward(std::move(in));
  }
  void end() override {
    forwarding_emitter out([this](record&& r) {
      if (shard_count_ > 1 && shard_of(r, shard_count_) != shard_index_) return;
      forward(std::move(r));
    });
    // A source failing under on_error "skip" loses the rest of its input, not the whole run.
    guarded({}, [&] { static_cast<source&>(object_).produce(ctx_, out); });
    end_downstream();
  }

 private:
  unsigned shard_index_;
  unsigned shard_count_;
};

class transform_stage final : public stage {
 public:
  using stage::stage;
  void push(record&& in) override {
    ++stats_.in;
    const origin where = in.from;
    guarded_record(where,
                   [&] { static_cast<transform&>(object_).process(std::move(in), out_, ctx_); });
  }
  void end() override {
    guarded({}, [&] { static_cast<transform&>(object_).finish(out_, ctx_); });
    end_downstream();
  }

 private:
  forwarding_emitter out_{[this](record&& r) { forward(std::move(r)); }};
};

/// A thread-safe transform: records are gathered into batches, each batch is processed on all
/// threads, and the results go on in input order.
class parallel_transform_stage final : public stage {
 public:
  parallel_transform_stage(step& object, step_context& ctx, step_stats& stats, unsigned threads,
                           std::size_t batch_size)
      : stage(object, ctx, stats), pool_(threads), batch_size_(batch_size) {
    batch_.reserve(batch_size_);
  }
  void push(record&& in) override {
    ++stats_.in;
    batch_.push_back(std::move(in));
    if (batch_.size() >= batch_size_) run_batch();
  }
  [[nodiscard]] bool batches() const override { return true; }
  void end() override {
    run_batch();
    forwarding_emitter out([this](record&& r) { forward(std::move(r)); });
    guarded({}, [&] { static_cast<transform&>(object_).finish(out, ctx_); });
    end_downstream();
  }

 private:
  struct collector final : emitter {
    std::vector<record> records;
    void emit(record&& out) override { records.push_back(std::move(out)); }
  };
  struct outcome {
    collector out;
    std::optional<std::pair<origin, std::string>> failure;
    bool cancel = false;
  };

  void run_batch() {
    if (batch_.empty()) return;
    std::vector<outcome> results(batch_.size());
    const auto start = clock::now();
    auto& tf = static_cast<transform&>(object_);
    pool_.run(batch_.size(), [&](std::size_t i) {
      const origin where = batch_[i].from;
      try {
        if (stop_flag.load(std::memory_order_relaxed)) throw cancelled();
        tf.process(std::move(batch_[i]), results[i].out, ctx_);
      } catch (const error& e) {
        results[i].failure.emplace(e.where().empty() ? where : e.where(), e.message());
      } catch (const cancelled&) {
        results[i].cancel = true;
      } catch (const std::exception& e) {
        results[i].failure.emplace(where, e.what());
      }
    });
    add_time(seconds_since(start));
    batch_.clear();
    for (auto& result : results) {
      if (result.cancel) throw cancelled();
      if (result.failure) fail_or_skip(result.failure->first, result.failure->second);
      for (auto& r : result.out.records) forward(std::move(r));
    }
  }

  worker_pool pool_;
  std::size_t batch_size_;
  std::vector<record> batch_;
};

class sink_stage final : public stage {
 public:
  using stage::stage;
  void push(record&& in) override {
    ++stats_.in;
    bool written = false;
    guarded_record(in.from, [&] {
      static_cast<sink&>(object_).write(in, ctx_);
      written = true;
    });
    if (written) forward(std::move(in));
  }
  void end() override {
    guarded({}, [&] { static_cast<sink&>(object_).finish(ctx_); });
    end_downstream();
  }
  void commit() {
    guarded({}, [&] { static_cast<sink&>(object_).commit(ctx_); });
  }
};

/// Counts what leaves the last step, for the progress display.
class tail_stage final : public stage {
 public:
  tail_stage(step& dummy, step_context& ctx, step_stats& stats, progress_display& display)
      : stage(dummy, ctx, stats), display_(display) {}
  void push(record&& /*in*/) override { display_.count_output(++count_); }
  [[nodiscard]] bool takes_time() const override { return false; }
  void end() override {}

 private:
  progress_display& display_;
  std::uint64_t count_ = 0;
};

struct no_step final : step {};

extern "C" void on_interrupt(int /*signal*/) {
  if (stop_flag.exchange(true)) _exit(130);  // a second Ctrl-C: the user means it
}

}  // namespace

std::string shard_path(const std::string& path, unsigned index, unsigned count) {
  const std::string suffix = ".shard-" + std::to_string(index) + "-of-" + std::to_string(count);
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  const std::size_t slash = p.find_last_of('/');
  const std::size_t name = slash == std::string::npos ? 0 : slash + 1;
  const std::size_t dot = p.find_last_of('.');
  // A name's leading dot (".notes") is not an extension's.
  if (dot == std::string::npos || dot <= name) return p + suffix;
  return p.substr(0, dot) + suffix + p.substr(dot);
}

void shard_output_paths(const std::vector<option_spec>& specs, json& with, unsigned index,
                        unsigned count) {
  if (!with.is_object()) return;
  for (const auto& spec : specs) {
    if (spec.type != option_type::output_path) continue;
    const json& value = with.contains(spec.name) ? with[spec.name] : spec.default_value;
    if (!value.is_string() || value == "-" || value == "") continue;
    with[spec.name] = shard_path(value.get<std::string>(), index, count);
  }
}

std::vector<bool> meta_read_after_each(const pipeline& work, bool sharded) {
  std::vector<bool> later(work.steps.size(), true);
  bool read = sharded;  // --shard picks records by meta.id
  for (std::size_t i = work.steps.size(); i-- > 0;) {
    later[i] = read;
    if (read) continue;
    const auto& s = work.steps[i];
    if (s.plugin == nullptr || !s.plugin->reads_meta) {
      read = true;
      continue;
    }
    try {
      read = s.plugin->reads_meta(textkit::options(s.plugin->options, s.with, work.base_dir));
    } catch (const std::exception&) {
      read = true;  // bad options: the step's creation reports them
    }
  }
  return later;
}

unsigned shard_of(const record& r, unsigned count) {
  // Stable on every machine and in every run, so a shard is the same whenever it runs.
  std::uint64_t h = 0;
  const auto id = r.meta.is_object() ? r.meta.find("id") : r.meta.end();
  if (id != r.meta.end() && !id->is_null()) {
    h = fnv1a(id->is_string() ? id->get_ref<const std::string&>() : id->dump());
  } else if (!r.from.empty()) {
    h = fnv1a(r.from.to_string());
  } else {
    h = fnv1a(r.text);
  }
  // The high bits: FNV's low bits mix poorly.
  return static_cast<unsigned>((h >> 32) % count);
}

void install_interrupt_handler() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  // Past a file-size limit (ulimit -f) a write fails with EFBIG, which the output reports and
  // cleans up after, instead of SIGXFSZ killing the run with its temporary file left behind.
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGXFSZ, &ignore, nullptr);
}

void request_stop() noexcept { stop_flag.store(true); }

bool stop_requested() noexcept { return stop_flag.load(std::memory_order_relaxed); }

run_report run_pipeline(const pipeline& work, registry& plugins, const run_options& options) {
  const auto start = clock::now();
  stop_flag.store(false);
  std::ostream& messages = options.messages != nullptr ? *options.messages : std::cerr;
  const unsigned threads =
      options.threads != 0 ? options.threads : std::max(1U, std::thread::hardware_concurrency());

  run_report report;
  std::vector<std::string> names;
  for (const auto& s : work.steps) {
    names.push_back(s.name);
    report.steps.push_back({s.name});
  }
  progress_display display(options.progress, messages, names);

  // Declared before the stages that use them, so destroyed after: the library handles in
  // `objects` outlive every call into plugin code.
  std::vector<loaded_step> objects;
  std::vector<std::unique_ptr<step_context>> contexts;
  std::vector<std::unique_ptr<stage>> stages;
  auto failed = [&](std::size_t index, const std::string& message) {
    // "import.facebook: messages/x/message_1.json:3:17: ..." as the user named the step; the
    // index only when two steps share the name.
    const auto& name = work.steps[index].name;
    const auto same = std::count_if(work.steps.begin(), work.steps.end(),
                                    [&](const auto& s) { return s.name == name; });
    report.error =
        name + (same > 1 ? " (step " + std::to_string(index) + ")" : "") + ": " + message;
    report.seconds = seconds_since(start);
    display.finish(report);
    return report;
  };

  // Every step is created before any record flows, so a step that cannot work fails first.
  const std::vector<bool> meta_read_later = meta_read_after_each(work, options.shard_count > 1);
  std::vector<earlier_step> earlier;
  for (std::size_t i = 0; i < work.steps.size(); ++i) {
    const auto& s = work.steps[i];
    if (s.plugin == nullptr) return failed(i, "plugin \"" + s.use + "\" is not loaded");
    try {
      json with = s.with;
      if (options.shard_count > 1) {
        shard_output_paths(s.plugin->options, with, options.shard_index, options.shard_count);
      }
      step_config config{
          s.name,        i,       textkit::options(s.plugin->options, with, work.base_dir),
          work.base_dir, earlier, meta_read_later[i]};
      earlier.push_back({s.use, s.name, config.opts});
      auto made = plugins.create(*s.plugin, config);
      if (!made) return failed(i, made.failure().what());
      objects.push_back(std::move(made.value()));
    } catch (const std::exception& e) {
      return failed(i, e.what());
    }
    contexts.push_back(
        std::make_unique<step_context>(s.name, i, s.on_error, threads, display, report.steps[i]));
    auto& object = objects.back().get();
    auto& ctx = *contexts.back();
    auto& stats = report.steps[i];
    switch (s.plugin->kind) {
      case step_kind::source:
        // A source may also read the records flowing in (see textkit::source in plugin.h).
        if (dynamic_cast<transform*>(&object) != nullptr) {
          stages.push_back(std::make_unique<transform_stage>(object, ctx, stats));
        } else {
          stages.push_back(std::make_unique<source_stage>(object, ctx, stats, options.shard_index,
                                                          options.shard_count));
        }
        break;
      case step_kind::sink:
        stages.push_back(std::make_unique<sink_stage>(object, ctx, stats));
        break;
      case step_kind::transform:
        if (s.plugin->thread_safe && threads > 1) {
          stages.push_back(std::make_unique<parallel_transform_stage>(object, ctx, stats, threads,
                                                                      options.batch_size));
        } else {
          stages.push_back(std::make_unique<transform_stage>(object, ctx, stats));
        }
        break;
    }
  }
  no_step dummy;
  step_stats tail_stats;
  step_context tail_ctx("", work.steps.size() - 1, on_error_policy::fail, threads, display,
                        tail_stats);
  stages.push_back(std::make_unique<tail_stage>(dummy, tail_ctx, tail_stats, display));
  for (std::size_t i = 0; i + 1 < stages.size(); ++i) stages[i]->connect(stages[i + 1].get());

  try {
    // The head of the chain has no upstream: ending it makes the first source produce.
    stages.front()->end();
    for (std::size_t i = 0; i < work.steps.size(); ++i) {
      if (work.steps[i].plugin->kind == step_kind::sink)
        static_cast<sink_stage&>(*stages[i]).commit();
    }
  } catch (const step_failure& f) {
    return failed(f.step, f.message);
  } catch (const cancelled&) {
    report.cancelled = true;
    report.error = "stopped by the user; no output was written";
    report.seconds = seconds_since(start);
    display.finish(report);
    return report;
  }
  report.ok = true;
  report.seconds = seconds_since(start);
  display.finish(report);
  return report;
}

void print_summary(const run_report& report, std::ostream& out) {
  std::size_t width = 4;
  for (const auto& s : report.steps) width = std::max(width, s.name.size());
  out << std::left << std::setw(static_cast<int>(width) + 2) << "step" << std::right
      << std::setw(12) << "in" << std::setw(12) << "out" << std::setw(10) << "skipped"
      << std::setw(11) << "time" << '\n';
  for (const auto& s : report.steps) {
    std::ostringstream time;
    // A sampled estimate (timing_sample) for a step that takes almost no time may come out a
    // little below zero.
    time << std::fixed << std::setprecision(2) << std::max(0.0, s.seconds) << " s";
    out << std::left << std::setw(static_cast<int>(width) + 2) << s.name << std::right
        << std::setw(12) << s.in << std::setw(12) << s.out << std::setw(10) << s.skipped
        << std::setw(11) << time.str() << '\n';
  }
  std::ostringstream total;
  total << std::fixed << std::setprecision(2) << report.seconds << " s";
  out << (report.ok          ? "done"
          : report.cancelled ? "stopped"
                             : "failed")
      << " in " << total.str() << '\n';
}

}  // namespace textkit::host
