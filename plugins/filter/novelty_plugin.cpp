// filter.novelty - drops (or marks) records that copy a reference corpus: a run of n words found in
// the reference, or a near-duplicate of a reference document.
//
// The reference comes from files (read here with the core's line_reader, indexed when the first
// record arrives so that the host's progress shows it) and/or from the records flowing in whose
// meta.label names it; the other records are checked against everything indexed before them. Not
// thread_safe: reference records change the index that the checks read, in stream order.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "reference_index.h"
#include "textkit/io.h"
#include "textkit/plugin.h"

namespace textkit::novelty {
namespace {

enum class file_format { by_extension, txt, jsonl };
enum class split_mode { paragraph, line, whole };

struct settings {
  novelty_params params;
  std::string reference_path;  // empty: no reference files
  file_format format = file_format::by_extension;
  split_mode split = split_mode::paragraph;
  std::vector<std::string> reference_labels;
  bool keep_reference = false;
  bool mark = false;
  std::filesystem::path base_dir;
};

bool ends_with_any(const std::string& name, std::initializer_list<std::string_view> endings) {
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::any_of(endings.begin(), endings.end(),
                     [&](std::string_view e) { return lower.ends_with(e); });
}

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\r\f\v") == std::string_view::npos;
}

/// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1,
/// column 5: " prefix: the place is in the origin already.
std::string parse_message(const std::string& what) {
  const std::size_t column = what.find("column ");
  const std::size_t colon = column == std::string::npos ? what.find("] ") : what.find(": ", column);
  std::string message = colon == std::string::npos ? what : what.substr(colon + 2);
  // "last read: '...'" may quote a whole long line: keep its start.
  if (message.size() > 160) {
    std::size_t cut = 150;
    while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) --cut;
    message = message.substr(0, cut) + "...'";
  }
  return message;
}

double rounded(double value) { return std::round(value * 1000.0) / 1000.0; }

/// Reads the reference files into the index, document by document.
class reference_reader {
 public:
  reference_reader(const settings& config, reference_index& index, context& ctx)
      : config_(config), index_(index), ctx_(ctx) {}

  void read(const std::vector<std::string>& files) {
    std::uint64_t total = 0;
    for (const auto& file : files) {
      std::error_code failed;
      const auto size = std::filesystem::file_size(file, failed);
      if (!failed) total += size;
    }
    total_ = total;
    for (const auto& file : files) {
      if (ctx_.stop_requested()) return;
      line_reader reader(file);
      name_ = display_name(file);
      const bool jsonl =
          config_.format == file_format::jsonl || (config_.format == file_format::by_extension &&
                                                   ends_with_any(file, {".jsonl", ".ndjson"}));
      if (jsonl) {
        read_jsonl(reader);
      } else {
        read_txt(reader);
      }
      index_batch();
      done_ += reader.bytes_read();
    }
    ctx_.progress(done_, total_, "bytes");
  }

 private:
  /// A file's name in messages and copied_from, as the io readers name theirs: relative to the
  /// folder the reference option names (or a pattern's folder part), or the file name alone.
  std::string display_name(const std::string& file) const {
    if (file == "-") return "<stdin>";
    std::filesystem::path root(config_.reference_path);
    const std::string& given = config_.reference_path;
    if (const std::size_t wild = given.find_first_of("*?["); wild != std::string::npos) {
      root = std::filesystem::path(given.substr(0, wild)).parent_path();
    } else if (!std::filesystem::is_directory(root)) {
      root = root.parent_path();
    }
    const auto relative = std::filesystem::path(file).lexically_relative(root);
    if (relative.empty() || relative.begin()->string() == "..") {
      return std::filesystem::path(file).filename().string();
    }
    return relative.string();
  }

  /// Reports progress about once per MiB; false once the user asked to stop (Ctrl-C), which
  /// ends the reading: the next emit() throws textkit::cancelled.
  bool report(const line_reader& reader) {
    if ((reader.bytes_read() >> 20) == reported_mib_) return true;
    reported_mib_ = reader.bytes_read() >> 20;
    ctx_.progress(done_ + reader.bytes_read(), total_, "bytes");
    return !ctx_.stop_requested();
  }

  void read_jsonl(line_reader& reader) {
    std::string_view line;
    while (reader.next(line) && report(reader)) {
      if (is_blank(line)) continue;
      json value;
      try {
        value = json::parse(line);
      } catch (const json::parse_error& e) {
        throw error(origin{name_, reader.line_number(), e.byte},
                    "reference: " + parse_message(e.what()));
      }
      const auto text = value.is_object() ? value.find("text") : value.end();
      if (!value.is_object() || text == value.end() || !text->is_string()) {
        throw error(origin{name_, reader.line_number(), 1},
                    "reference: expected a record, a JSON object with a \"text\" string");
      }
      queue(text->get_ref<const std::string&>(), reader.line_number());
    }
  }

  void read_txt(line_reader& reader) {
    std::string_view line;
    std::string pending;
    std::uint64_t first_line = 0;
    auto flush = [&] {
      if (first_line != 0) queue(pending, first_line);
      pending.clear();
      first_line = 0;
    };
    while (reader.next(line) && report(reader)) {
      if (const std::size_t bad = find_invalid_utf8(line); bad != std::string_view::npos) {
        throw error(origin{name_, reader.line_number(), bad + 1}, "reference: invalid UTF-8");
      }
      if (config_.split == split_mode::line) {
        queue(line, reader.line_number());
        continue;
      }
      if (config_.split == split_mode::paragraph && is_blank(line)) {
        flush();
        continue;
      }
      if (first_line == 0) {
        first_line = reader.line_number();
      } else {
        pending += '\n';
      }
      pending.append(line);
    }
    flush();
  }

  /// Documents are indexed in batches: their words, n-gram hashes and signatures on
  /// ctx.threads() threads, then added to the index in file order on this one.
  void queue(std::string_view text, std::uint64_t line) {
    batch_.push_back({std::string(text), line});
    batch_bytes_ += text.size();
    if (batch_bytes_ >= (std::size_t{1} << 20) || batch_.size() >= 4096) index_batch();
  }

  void index_batch() {
    const std::size_t count = batch_.size();
    if (count == 0) return;
    if (prepared_.size() < count) prepared_.resize(count);
    const unsigned threads =
        std::max(1U, std::min({ctx_.threads(), 16U, static_cast<unsigned>(count / 64 + 1)}));
    while (workers_.size() < threads) workers_.push_back(std::make_unique<worker>());
    std::atomic<std::size_t> next{0};
    std::mutex failure_lock;
    std::exception_ptr failure;
    auto work = [&](worker& w) {
      try {
        for (std::size_t i = next++; i < count; i = next++) {
          index_.prepare(batch_[i].text, w.splitter, w.words, prepared_[i]);
        }
      } catch (...) {  // rethrown below, on this thread
        const std::lock_guard<std::mutex> hold(failure_lock);
        if (!failure) failure = std::current_exception();
      }
    };
    {
      std::vector<std::jthread> helpers;
      for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(work, std::ref(*workers_[t]));
      work(*workers_[0]);
    }
    if (failure) std::rethrow_exception(failure);
    for (std::size_t i = 0; i < count; ++i) {
      index_.add_prepared(prepared_[i], name_, batch_[i].line);
    }
    batch_.clear();
    batch_bytes_ = 0;
  }

  struct queued_document {
    std::string text;
    std::uint64_t line = 0;
  };
  struct worker {
    word_splitter splitter;
    word_list words;
  };

  const settings& config_;
  reference_index& index_;
  context& ctx_;
  std::vector<queued_document> batch_;
  std::size_t batch_bytes_ = 0;
  std::vector<prepared_document> prepared_;
  std::vector<std::unique_ptr<worker>> workers_;
  std::string name_;
  std::uint64_t done_ = 0;
  std::uint64_t total_ = 0;
  std::uint64_t reported_mib_ = 0;
};

class novelty_filter final : public transform {
 public:
  explicit novelty_filter(settings config)
      : config_(std::move(config)),
        files_(config_.reference_path.empty()
                   ? std::vector<std::string>{}
                   : expand_inputs(config_.reference_path, {".txt", ".jsonl", ".ndjson"})),
        index_(config_.params) {}

  void process(record&& in, emitter& out, context& ctx) override {
    index_files(ctx);
    if (is_reference(in)) {
      if (is_sample(in)) ++reference_samples_;
      add_reference(in);
      if (checked_ != 0) ++late_references_;
      if (config_.keep_reference) out.emit(std::move(in));
      return;
    }
    note_label(in);
    if (index_.documents() == 0) throw error(empty_reference_message());
    ++checked_;
    const finding found = index_.check(in.text);
    if (found.copied_run()) {
      ++copied_runs_;
    } else if (found.near_copy) {
      ++near_copies_;
    }
    if (config_.mark) {
      in.meta["novelty"] = describe(found, in.text);
      out.emit(std::move(in));
      return;
    }
    if (!found.copied()) out.emit(std::move(in));
  }

  void finish(emitter& /*out*/, context& ctx) override {
    index_files(ctx);
    ctx.warn(summary());
    if (reference_samples_ != 0) {
      ctx.warn(std::to_string(reference_samples_) +
               " records of kind \"sample\" carried a reference label and were taken as "
               "reference, not checked: gpt2.generate with prompt_from gives each sample its "
               "prompt record's label unless its own label option is set");
    }
    if (checked_ == 0 && reference_records_ != 0) {
      ctx.warn("no record was checked: all " + std::to_string(reference_records_) +
               " records that came were reference records");
    }
    if (late_references_ != 0) {
      ctx.warn(std::to_string(late_references_) +
               " reference records came after records that were checked, which were not compared "
               "with them: put the steps that make the reference before those that make the "
               "records to check");
    }
  }

 private:
  /// Reads the reference files once. A bad file fails every record after it too (under on_error
  /// skip, checking them against part of the reference would let copies through).
  void index_files(context& ctx) {
    if (reference_failure_) throw *reference_failure_;
    if (files_indexed_) return;
    files_indexed_ = true;
    try {
      reference_reader(config_, index_, ctx).read(files_);
    } catch (const error& failure) {
      reference_failure_ = failure;
      throw;
    }
    file_documents_ = index_.documents();
  }

  bool is_reference(const record& r) const {
    if (config_.reference_labels.empty()) return false;
    const auto it = r.meta.find("label");
    if (it == r.meta.end() || !it->is_string()) return false;
    const auto& label = it->get_ref<const std::string&>();
    return std::find(config_.reference_labels.begin(), config_.reference_labels.end(), label) !=
           config_.reference_labels.end();
  }

  static bool is_sample(const record& r) {
    const auto it = r.meta.find("kind");
    return it != r.meta.end() && it->is_string() && it->get_ref<const std::string&>() == "sample";
  }

  void add_reference(const record& r) {
    ++reference_records_;
    if (!r.from.file.empty()) {
      index_.add(r.text, r.from.file, r.from.line);
      return;
    }
    const auto id = r.meta.find("id");
    const std::string name = id != r.meta.end() && id->is_string()
                                 ? id->get<std::string>()
                                 : "record " + std::to_string(reference_records_);
    index_.add(r.text, name, 0);
  }

  void note_label(const record& r) {
    if (seen_labels_.size() >= 10) return;
    const auto it = r.meta.find("label");
    seen_labels_.insert(it != r.meta.end() && it->is_string() ? it->get<std::string>()
                                                              : "(no label)");
  }

  std::string empty_reference_message() const {
    std::string message = "the reference is empty: ";
    if (!files_.empty()) message += "its files hold no words";
    if (!config_.reference_labels.empty()) {
      if (!files_.empty()) message += ", and ";
      message += "no record with meta.label ";
      for (std::size_t i = 0; i < config_.reference_labels.size(); ++i) {
        message += (i == 0 ? "\"" : " or \"") + config_.reference_labels[i] + "\"";
      }
      message += " came before the records to check (labels seen: ";
      bool first = true;
      for (const auto& label : seen_labels_) {
        message += (first ? "" : ", ") + label;
        first = false;
      }
      message += "); the reference must flow in before the samples";
    }
    return message;
  }

  json describe(const finding& found, std::string_view text) const {
    json meta = {{"copied", found.copied()},
                 {"longest_run", found.longest_run},
                 {"overlap", rounded(found.overlap())}};
    if (found.copied_run()) {
      meta["copied_text"] =
          std::string(text.substr(found.run_begin, found.run_end - found.run_begin));
      if (found.run_doc) meta["copied_from"] = index_.describe(*found.run_doc);
    }
    if (config_.params.near && found.near_similarity > 0.0) {
      meta["near_similarity"] = rounded(found.near_similarity);
      if (found.near_doc) meta["near_to"] = index_.describe(*found.near_doc);
    }
    return meta;
  }

  std::string summary() const {
    const std::uint64_t copies = copied_runs_ + near_copies_;
    std::string out = config_.mark ? "marked " + std::to_string(copies) + " of " +
                                         std::to_string(checked_) + " records as copies"
                                   : "kept " + std::to_string(checked_ - copies) + " of " +
                                         std::to_string(checked_) + " records";
    if (copies != 0) {
      out += config_.mark ? ": " : "; dropped " + std::to_string(copies) + ": ";
      std::vector<std::string> parts;
      const std::string n = std::to_string(config_.params.n);
      if (copied_runs_ != 0) {
        parts.push_back(std::to_string(copied_runs_) + " with a run of " + n +
                        "+ words from the reference");
      }
      if (near_copies_ != 0) {
        parts.push_back(std::to_string(near_copies_) +
                        (near_copies_ == 1 ? " near-duplicate" : " near-duplicates") +
                        " of a reference document");
      }
      for (std::size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : ", ") + parts[i];
    }
    const double mib = static_cast<double>(index_.memory_bytes()) / (1024.0 * 1024.0);
    char memory[32];
    std::snprintf(memory, sizeof memory, "%.1f MiB", mib);
    const std::uint64_t from_records = index_.documents() - file_documents_;
    std::string documents;
    if (file_documents_ != 0) documents = std::to_string(file_documents_) + " documents from files";
    if (file_documents_ != 0 && from_records != 0) documents += " and ";
    if (from_records != 0 || file_documents_ == 0) {
      documents += std::to_string(from_records) + (file_documents_ != 0 ? "" : " documents") +
                   " from records";
    }
    out += "; reference: " + documents + ", " + std::to_string(index_.distinct_ngrams()) +
           " distinct " + std::to_string(config_.params.n) + "-word n-grams, index " + memory;
    return out;
  }

  settings config_;
  std::vector<std::string> files_;
  reference_index index_;
  bool files_indexed_ = false;
  std::optional<error> reference_failure_;
  std::uint64_t file_documents_ = 0;
  std::uint64_t reference_records_ = 0;
  std::uint64_t late_references_ = 0;
  std::uint64_t reference_samples_ = 0;
  std::uint64_t checked_ = 0;
  std::uint64_t copied_runs_ = 0;
  std::uint64_t near_copies_ = 0;
  std::set<std::string> seen_labels_;
};

result<std::unique_ptr<step>> create(const step_config& config) {
  const options& opts = config.opts;
  settings s;
  s.base_dir = config.base_dir;
  if (opts.has("reference")) s.reference_path = opts.get_path("reference");
  s.reference_labels = opts.get_strings("reference_label");
  if (s.reference_path.empty() && s.reference_labels.empty()) {
    return error(
        "no reference: give reference (files of the corpus to compare with) or reference_label "
        "(the meta.label of the records that are the reference), or both");
  }
  for (const auto& label : s.reference_labels) {
    if (label.empty()) return error("reference_label: a label cannot be empty");
  }
  const std::string format = opts.get_string("reference_format");
  s.format = format == "txt"     ? file_format::txt
             : format == "jsonl" ? file_format::jsonl
                                 : file_format::by_extension;
  const std::string split = opts.get_string("reference_split");
  s.split = split == "line"    ? split_mode::line
            : split == "whole" ? split_mode::whole
                               : split_mode::paragraph;
  s.keep_reference = opts.get_bool("keep_reference");
  s.mark = opts.get_string("mode") == "mark";
  s.params.n = static_cast<int>(opts.get_int("n"));
  s.params.near = opts.get_bool("near");
  s.params.minhash.threshold = opts.get_number("near_threshold");
  s.params.minhash.shingle = static_cast<int>(opts.get_int("near_shingle"));
  s.params.minhash.permutations = static_cast<int>(opts.get_int("near_permutations"));
  s.params.keep_docs = s.mark;
  try {
    return std::unique_ptr<step>(std::make_unique<novelty_filter>(std::move(s)));
  } catch (const error& failure) {
    return error("reference: " + std::string(failure.what()));
  }
}

const plugin_descriptor& describe() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "filter.novelty";
    d.version = "1.0.0";
    d.summary =
        "Drop (or mark) records that copy a reference corpus: a run of n words found in it, or a "
        "near-duplicate of one of its documents";
    d.kind = step_kind::transform;
    d.consumes =
        "text; meta.label (records whose label is a reference_label are the reference); reference "
        "files (text or JSONL)";
    d.produces =
        "the records that copy nothing from the reference (mode drop), or every record with "
        "meta.novelty {copied, longest_run, overlap, copied_text, copied_from, near_similarity, "
        "near_to} (mode mark); reference records only with keep_reference";
    d.options = {
        make_option("reference", option_type::path, nullptr,
                    "Reference files: a file, a folder (its .txt, .jsonl and .ndjson files, "
                    "recursively) or a glob pattern. JSONL files hold records (their text is "
                    "read), other files plain text."),
        allow_values(make_option("reference_format", option_type::string, "auto",
                                 "How to read the reference files: auto (by extension: .jsonl and "
                                 ".ndjson are JSONL, others text), txt or jsonl."),
                     {"auto", "txt", "jsonl"}),
        allow_values(
            make_option("reference_split", option_type::string, "paragraph",
                        "Text reference files: what makes one reference document (for "
                        "near-duplicates and copied_from): a paragraph (blocks separated by "
                        "blank lines), a line, or the whole file."),
            {"paragraph", "line", "whole"}),
        make_option("reference_label", option_type::string_list, json::array(),
                    "Records flowing in whose meta.label is one of these are the reference (a "
                    "training corpus read earlier in the pipeline); they must come before the "
                    "records to check."),
        make_option("keep_reference", option_type::boolean, false,
                    "Pass the reference records on (by default they stop here, so only the "
                    "checked records reach the steps after)."),
        bounded(make_option("n", option_type::integer, 8,
                            "Words per n-gram: a record that shares a run of n words with the "
                            "reference is a copy."),
                1, 64),
        allow_values(make_option("mode", option_type::string, "drop",
                                 "What to do with the copies: drop them, or mark every "
                                 "checked record with meta.novelty (whether it copies, what, "
                                 "from where) and keep them all."),
                     {"drop", "mark"}),
        make_option("near", option_type::boolean, true,
                    "Also count as a copy a near-duplicate of a whole reference document "
                    "(MinHash, as sanitize's near dedup), which catches copies shorter than n "
                    "words or edited every few words."),
        bounded(make_option("near_threshold", option_type::number, 0.8,
                            "Estimated Jaccard similarity of word shingles at or above which a "
                            "record is a near-duplicate of a reference document."),
                0.3, 1.0),
        bounded(make_option("near_shingle", option_type::integer, 5,
                            "Words per shingle for near-duplicates; texts with fewer words take "
                            "no part in them."),
                1, 32),
        bounded(make_option("near_permutations", option_type::integer, 128,
                            "MinHash permutations: more is more exact, slower, and larger (2 "
                            "bytes each per reference document)."),
                16, 512),
    };
    d.create = create;
    return d;
  }();
  return descriptor;
}

}  // namespace
}  // namespace textkit::novelty

TEXTKIT_PLUGIN(filter_novelty, textkit::novelty::describe)
