// sanitize - the step: options, the factory, and the run (per-record rules on all threads in
// batches, dedup decisions in input order on one thread, statistics and rejects at the end).
//
// Threads: the descriptor is not thread_safe, so the host hands records over one at a time; the
// step gathers them into batches and runs the per-record rules on ctx.threads() threads itself,
// in the background while the host reads the next batch. That keeps the cheap rules on every core
// while the dedup state stays on the host's thread and its decisions stable (the first copy in
// input order is kept, whatever the thread count).
#include <algorithm>
#include <atomic>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "sanitize_options.h"
#include "sanitizer.h"
#include "shard_dedup.h"
#include "textkit/io.h"
#include "textkit/plugin.h"

namespace textkit::sanitize {
namespace {

/// Records and what the per-record rules found for each.
struct batch {
  std::vector<record> records;
  std::vector<verdict> verdicts;
};

class sanitize_step final : public transform {
 public:
  explicit sanitize_step(std::unique_ptr<step_settings> config) : config_(std::move(config)) {
    if (config_->rules.dedup == dedup_mode::near) {
      hasher_ = std::make_unique<minhasher>(config_->rules.minhash);
      near_ = std::make_unique<near_index>(config_->rules.minhash);
    }
    // Opened now so that an unwritable folder fails before any record flows.
    if (!config_->rejects_path.empty())
      rejects_ = std::make_unique<atomic_output>(config_->rejects_path);
    if (!config_->stats_path.empty()) stats_ = std::make_unique<atomic_output>(config_->stats_path);
    if (!config_->signatures_path.empty()) {
      signatures_ = std::make_unique<signature_writer>(
          config_->signatures_path,
          signature_settings{config_->rules.dedup, config_->rules.dedup_by_label,
                             config_->rules.minhash});
    }
    if (!config_->signatures_from.empty()) {
      across_ = std::make_unique<cross_shard_decisions>(expand_inputs(config_->signatures_from));
    }
  }

  void process(record&& in, emitter& out, context& ctx) override {
    if (across_) {
      decide_across_shards(std::move(in), out);
      return;
    }
    pending_.records.push_back(std::move(in));
    if (pending_.records.size() >= batch_size(ctx)) submit(out, ctx);
  }

  void finish(emitter& out, context& ctx) override {
    if (!pending_.records.empty()) submit(out, ctx);
    drain(out, ctx);
    const std::string summary = totals_.summary();
    ctx.warn(summary);
    if (across_) report_across_shards(ctx);
    if (signatures_) signatures_->commit();
    if (totals_.invalid_utf8_sequences != 0) {
      ctx.warn("replaced " + std::to_string(totals_.invalid_utf8_sequences) +
               " invalid UTF-8 sequences in " +
               std::to_string(totals_.changed[static_cast<int>(rule::invalid_utf8)]) +
               " records with U+FFFD");
    }
    if (stats_) {
      nlohmann::ordered_json report = totals_.to_json();
      if (near_) {
        report["near_dedup"] = {{"threshold", config_->rules.minhash.threshold},
                                {"shingle", config_->rules.minhash.shingle},
                                {"permutations", config_->rules.minhash.permutations},
                                {"bands", near_->bands().bands},
                                {"rows", near_->bands().rows}};
      }
      stats_->write(report.dump(2) + "\n");
      stats_->commit();
    }
    if (rejects_) rejects_->commit();
  }

 private:
  std::size_t batch_size(context& ctx) const {
    return 256 * std::max(1U, std::min(ctx.threads(), 64U));
  }

  /// Hands the full batch to the workers and returns, so the host reads (and writes) the next
  /// batch while they work on this one; the batch before it is decided and emitted first.
  void submit(emitter& out, context& ctx) {
    drain(out, ctx);
    in_flight_ = std::move(pending_);
    pending_ = batch{};
    pending_.records.reserve(in_flight_.records.size());
    const unsigned threads = std::max(1U, std::min(ctx.threads(), 64U));
    job_ = std::async(std::launch::async, [this, threads] { run_rules(in_flight_, threads); });
  }

  /// Waits for the batch in flight, then makes the dedup decisions in input order and emits.
  void drain(emitter& out, context& ctx) {
    if (!job_.valid()) return;
    job_.get();
    for (std::size_t i = 0; i < in_flight_.records.size(); ++i)
      decide(in_flight_.records[i], in_flight_.verdicts[i], out, ctx);
    in_flight_ = batch{};
  }

  /// The per-record rules on up to `threads` threads, each with its own ICU objects.
  void run_rules(batch& work_on, unsigned threads) {
    const std::size_t n = work_on.records.size();
    work_on.verdicts.assign(n, verdict{});
    threads = std::max(1U, std::min<unsigned>(threads, static_cast<unsigned>(n / 64 + 1)));
    while (workers_.size() < threads)
      workers_.push_back(std::make_unique<worker_state>(config_->rules));
    std::atomic<std::size_t> next{0};
    auto work = [&](worker_state& worker) {
      for (std::size_t i = next++; i < n; i = next++) {
        try {
          work_on.verdicts[i] =
              apply_rules(work_on.records[i], config_->rules, worker, hasher_.get());
        } catch (const std::exception& e) {
          work_on.verdicts[i].error = e.what();
        }
      }
    };
    std::vector<std::jthread> helpers;
    for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(work, std::ref(*workers_[t]));
    work(*workers_[0]);
  }

  std::uint64_t scope_of(const record& r) const {
    if (!config_->rules.dedup_by_label) return 0;
    const auto it = r.meta.find("label");
    if (it == r.meta.end() || !it->is_string()) return 1;
    return hash_bytes(it->get_ref<const std::string&>(), 0x6C6162656CULL) | 2;
  }

  void decide(record& r, verdict& v, emitter& out, context& ctx) {
    ++totals_.records_in;
    if (v.error) {
      ctx.bad_input(r.from, "sanitize: " + *v.error);
      return;
    }
    totals_.invalid_utf8_sequences += v.invalid_utf8;
    for (int i = 0; i < kRuleCount; ++i) {
      if ((v.changed >> i) & 1U) ++totals_.changed[i];
    }
    std::uint64_t scope = 0;
    if (!v.dropped && config_->rules.dedup != dedup_mode::none) {
      scope = scope_of(r);
      if (exact_.seen_or_add(scoped_hash(v.exact_hash, scope))) {
        v.dropped = rule::dedup_exact;
        v.detail = "same text as an earlier record";
      } else if (near_) {
        double similarity = 0;
        if (near_->seen_or_add(v.near, scope, similarity)) {
          v.dropped = rule::dedup_near;
          v.detail = "estimated Jaccard similarity " + std::to_string(similarity).substr(0, 4) +
                     " with an earlier record";
        }
      }
    }
    if (v.dropped) {
      ++totals_.dropped[static_cast<int>(*v.dropped)];
      if (rejects_) write_reject(r, v);
      return;
    }
    if (config_->rules.detect_language || !config_->rules.languages.empty()) {
      const auto it = r.meta.find("lang");
      totals_.count_language(it != r.meta.end() && it->is_string() ? it->get<std::string>()
                                                                   : "und");
    }
    if (signatures_) signatures_->add(record_key(r), scope, v.exact_hash, v.near);
    ++totals_.records_out;
    out.emit(std::move(r));
  }

  /// The second pass: the shards' signatures decide; the record itself is not hashed again.
  void decide_across_shards(record&& r, emitter& out) {
    ++totals_.records_in;
    verdict v;
    switch (across_->take(record_key(r))) {
      case cross_shard_decisions::outcome::drop_exact:
        v.dropped = rule::dedup_exact;
        v.detail = "same text as a record in an earlier shard";
        break;
      case cross_shard_decisions::outcome::drop_near:
        v.dropped = rule::dedup_near;
        v.detail = "a near-duplicate of a record in an earlier shard";
        break;
      case cross_shard_decisions::outcome::unknown:
        ++without_signature_;
        break;
      case cross_shard_decisions::outcome::keep:
        break;
    }
    if (v.dropped) {
      ++totals_.dropped[static_cast<int>(*v.dropped)];
      v.original = r.text;
      if (rejects_) write_reject(r, v);
      return;
    }
    ++totals_.records_out;
    out.emit(std::move(r));
  }

  void report_across_shards(context& ctx) {
    ctx.warn("dedup across shards: " + std::to_string(across_->entries()) + " signatures from " +
             std::to_string(across_->files()) + " files");
    if (without_signature_ != 0) {
      ctx.warn(std::to_string(without_signature_) +
               " records had no signature and were kept: the signature files do not describe "
               "these records (other files, or changed after the shards' sanitize?)");
    }
    if (const auto left = across_->unclaimed(); left != 0) {
      ctx.warn(std::to_string(left) +
               " signatures matched no record: a shard's output is missing from the input, or "
               "was changed after its sanitize");
    }
  }

  void write_reject(const record& r, const verdict& v) {
    json line = {{"reason", rule_name(*v.dropped)},
                 {"detail", v.detail},
                 {"text", config_->rules.keep_original ? v.original : r.text},
                 {"meta", r.meta}};
    // origin::to_string() is not exported from the core: spell the place out here.
    if (!r.from.file.empty()) {
      std::string place = r.from.file;
      if (r.from.line != 0) place += ":" + std::to_string(r.from.line);
      line["from"] = place;
    }
    rejects_->write(line.dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
  }

  std::unique_ptr<step_settings> config_;
  std::unique_ptr<minhasher> hasher_;
  std::unique_ptr<near_index> near_;
  exact_index exact_;
  std::vector<std::unique_ptr<worker_state>> workers_;
  statistics totals_;
  std::unique_ptr<atomic_output> rejects_;
  std::unique_ptr<atomic_output> stats_;
  std::unique_ptr<signature_writer> signatures_;
  std::unique_ptr<cross_shard_decisions> across_;
  std::uint64_t without_signature_ = 0;
  batch pending_;    // filling up from process()
  batch in_flight_;  // with the workers
  // Last, so it is destroyed first: a run that stops early waits here for the workers before
  // the batch and the worker states they use go away.
  std::future<void> job_;
};

result<std::unique_ptr<step>> create(const step_config& config) {
  auto made = make_settings(config.opts);
  if (!made) return made.failure();
  return make_step<sanitize_step>(std::move(made).value());
}

}  // namespace

const plugin_descriptor& describe_sanitize() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "sanitize";
    d.version = "1.0.0";
    d.summary =
        "Clean a corpus: Unicode, HTML, URLs/mentions/hashtags/e-mails/phones, boilerplate, "
        "whitespace, length, language and script filters, exact and near-duplicate removal";
    d.kind = step_kind::transform;
    d.consumes = "text; meta.label (dedup_scope \"label\"), meta.lang (a platform's language tag)";
    d.produces =
        "text cleaned (valid UTF-8, NFC unless normalize says otherwise); meta.lang when a "
        "language is detected; dropped records go to the rejects file with their reason";
    d.thread_safe = false;  // parallel inside: see the comment at the top of sanitize_plugin.cpp
    d.options = sanitize_options();
    d.create = create;
    return d;
  }();
  return descriptor;
}

}  // namespace textkit::sanitize

TEXTKIT_PLUGIN(sanitize, textkit::sanitize::describe_sanitize)
