// textkit - the plugin API: step interfaces, the run-time context, and the plugin descriptor.
//
// A plugin is a shared library (a CMake MODULE built with textkit_add_plugin()) that exports one
// descriptor per step it offers, through TEXTKIT_PLUGIN(ident, describe). See
// docs/writing-plugins.md for a walk-through.
#pragma once

#include <boost/dll/alias.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "textkit/error.h"
#include "textkit/export.h"
#include "textkit/options.h"
#include "textkit/record.h"

/// Incremented for every change to the plugin API that breaks plugins built against an older one
/// (2: sink::finish and step_config::earlier; 3: option_spec::check; 4:
/// plugin_descriptor::reads_meta and step_config::meta_read_later).
#define TEXTKIT_API_VERSION 4

#define TEXTKIT_PP_STR_(x) #x
#define TEXTKIT_PP_STR(x) TEXTKIT_PP_STR_(x)
#define TEXTKIT_PP_CAT3_(a, b, c) a##b##c
#define TEXTKIT_PP_CAT3(a, b, c) TEXTKIT_PP_CAT3_(a, b, c)

/// The switches that must agree between host and plugin for std::string, std::vector and
/// nlohmann::json to cross the boundary: the standard library, its string ABI, Boost and
/// nlohmann-json's ABI namespace (which changes with JSON_DIAGNOSTICS).
#define TEXTKIT_ABI_TAG                                                    \
  "libstdcxx" TEXTKIT_PP_STR(_GLIBCXX_RELEASE) "-cxx11abi" TEXTKIT_PP_STR( \
      _GLIBCXX_USE_CXX11_ABI) "-boost" BOOST_LIB_VERSION                   \
                              "-" TEXTKIT_PP_STR(NLOHMANN_JSON_NAMESPACE)

namespace textkit {

enum class step_kind { source, transform, sink };

TEXTKIT_API std::string_view to_string(step_kind kind);

/// Receives the records a source or transform produces.
class TEXTKIT_API emitter {
 public:
  virtual ~emitter();
  virtual void emit(record&& out) = 0;
};

/// What the host offers a running step. Safe to call from several threads at once.
class TEXTKIT_API context {
 public:
  virtual ~context();

  /// The step's name, as in messages and --set ("sanitize", or the step's own "name").
  [[nodiscard]] virtual const std::string& step_name() const = 0;

  /// A bad file or record in the input. With on_error "fail" (the default) this throws
  /// textkit::error and the run stops; with "skip" it reports the place, counts it, and returns so
  /// the step can go on with the next record or file.
  virtual void bad_input(const origin& where, const std::string& message) = 0;

  /// A warning for the user; printed once per distinct message.
  virtual void warn(const std::string& message) = 0;

  /// How far the step has got: `done` of `total` (0: unknown) in `unit` ("bytes", "steps", ...).
  /// Cheap to call often; the host decides when to draw.
  virtual void progress(std::uint64_t done, std::uint64_t total, std::string_view unit) = 0;
  /// The same in bytes, what readers report.
  void progress(std::uint64_t done, std::uint64_t total) { progress(done, total, "bytes"); }

  /// True once the user asked to stop (Ctrl-C). emit() throws textkit::cancelled by then anyway;
  /// long computations that emit nothing check this.
  [[nodiscard]] virtual bool stop_requested() const = 0;

  /// The number of threads a step may use for its own work.
  [[nodiscard]] virtual unsigned threads() const = 0;
};

/// Base of every step object. Steps are created once per pipeline run, before any record flows,
/// so a step that cannot work (unwritable output, missing model) fails before work starts.
class TEXTKIT_API step {
 public:
  virtual ~step();
};

/// Produces records. A source appends its records to whatever flows in from earlier steps.
/// A step whose descriptor says source may instead create a transform: it is then placed like a
/// source (first in a pipeline, nothing required before it) but also sees the records flowing in
/// (process()) and makes its own in finish(). gpt2.generate does this to take its prompts either
/// from its options or from the records.
class TEXTKIT_API source : public step {
 public:
  virtual void produce(context& ctx, emitter& out) = 0;
};

/// Turns each record into zero, one or more records. A transform whose descriptor says
/// thread_safe has process() called from several threads at once; the host keeps output order.
/// Throwing textkit::error from process() marks that record bad (see on_error).
class TEXTKIT_API transform : public step {
 public:
  virtual void process(record&& in, emitter& out, context& ctx) = 0;
  /// Called once after the last record, for transforms that hold records back.
  virtual void finish(emitter& out, context& ctx);
};

/// Writes the records that pass; they flow on to later steps unchanged.
class TEXTKIT_API sink : public step {
 public:
  virtual void write(const record& in, context& ctx) = 0;
  /// Called once after the last record was written, before the steps after this one see the end
  /// of the stream. A sink whose work needs all of its input does it here, so later steps can use
  /// what it made: gpt2.train trains here, and a gpt2.generate after it samples from the model.
  virtual void finish(context& ctx);
  /// Called once after the last record on success: make the output visible (rename into place).
  /// A sink destroyed without commit() leaves no partial output behind.
  virtual void commit(context& ctx) = 0;
};

/// A step before the one being created, with its options as validated.
struct earlier_step {
  std::string use;   ///< plugin name: "gpt2.train"
  std::string name;  ///< the step's name
  options opts;
};

/// What a factory receives.
struct step_config {
  std::string step_name;
  std::size_t index = 0;           ///< position in the pipeline's steps
  options opts;                    ///< validated, defaults applied, paths resolved
  std::filesystem::path base_dir;  ///< the pipeline file's folder
  /// The steps before this one, in order, so a step can tell that its input is made earlier in
  /// the same run (gpt2.generate reading the model a gpt2.train before it writes).
  std::vector<earlier_step> earlier;
  /// False when nothing after this step reads the records' meta: every later step's descriptor
  /// says so (plugin_descriptor::reads_meta) and the run is not sharded (--shard picks records by
  /// meta.id). A source may then leave meta empty: an importer feeding write.txt spends most of
  /// its time building meta otherwise. True whenever in doubt.
  bool meta_read_later = true;
};

using step_factory = std::function<result<std::unique_ptr<step>>(const step_config&)>;

/// Constructs a step for a factory: a textkit::error its constructor throws (a missing model, an
/// unwritable folder) becomes the failure the host reports, before any record flows.
template <typename step_type, typename... args_type>
result<std::unique_ptr<step>> make_step(args_type&&... args) {
  try {
    return std::unique_ptr<step>(std::make_unique<step_type>(std::forward<args_type>(args)...));
  } catch (const error& failure) {
    return failure;
  }
}

/// What a plugin exports for each step it offers. api_version and abi_tag come first and stay
/// first in every API version, so the host can read them before trusting the rest.
struct plugin_descriptor {
  int api_version = TEXTKIT_API_VERSION;
  const char* abi_tag = TEXTKIT_ABI_TAG;
  std::string name;     ///< lower-case words joined by dots: "read.txt", "import.facebook"
  std::string version;  ///< the plugin's own version
  std::string summary;  ///< one line
  step_kind kind = step_kind::transform;
  std::string consumes;      ///< what it reads: record fields and meta keys, or files
  std::string produces;      ///< what it writes or adds
  bool thread_safe = false;  ///< transforms: process() may run on several threads at once
  /// Whether the step, with these options, reads the records' meta (or passes it on where somebody
  /// may: a transform's output, a file that keeps it). Empty: it does. write.txt, which writes only
  /// the text, says no; the steps before it then learn it through step_config::meta_read_later.
  std::function<bool(const options&)> reads_meta;
  std::vector<option_spec> options;
  step_factory create;
};

}  // namespace textkit

/// Exports `describe`, a function `const textkit::plugin_descriptor& ()`, as the step named by
/// `ident` with its dots written as underscores: TEXTKIT_PLUGIN(read_txt, describe) offers
/// "read.txt". The exported symbol, textkit_plugin_v<API version>_<ident>, lives in the ELF section
/// "textkit", so the host lists a library's steps and their API version without loading it.
#define TEXTKIT_PLUGIN(ident, describe)                                                       \
  namespace textkit_plugin_entry_##ident {                                                    \
    const ::textkit::plugin_descriptor* entry() { return &describe(); }                       \
  }                                                                                           \
  BOOST_DLL_ALIAS_SECTIONED(textkit_plugin_entry_##ident::entry,                              \
                            TEXTKIT_PP_CAT3(textkit_plugin_v, TEXTKIT_API_VERSION, _##ident), \
                            textkit)
