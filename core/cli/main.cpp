// textkit - the command line: parses arguments and calls the core, nothing more.
#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "textkit/host/describe.h"
#include "textkit/host/pipeline.h"
#include "textkit/host/registry.h"
#include "textkit/host/run.h"

namespace {

namespace fs = std::filesystem;
namespace host = textkit::host;

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInterrupted = 130;

struct arguments {
  std::vector<fs::path> plugin_dirs;
  std::string pipeline;
  std::vector<std::string> overrides;
  std::string progress = "auto";
  unsigned threads = 0;
  std::string shard;  // --shard I/N
  std::string plugin_name;
  bool as_json = false;
  bool as_markdown = false;
  bool names_only = false;
};

/// Loads the pipeline and prints every problem; true when it is ready to run.
bool load_and_report(const arguments& args, host::registry& plugins, host::pipeline& out) {
  auto loaded = host::load_pipeline(args.pipeline, plugins, args.overrides);
  // A plugin found twice, or also in a version built for another API: say so, it may surprise.
  std::set<std::string> used;
  for (const auto& s : loaded.loaded.steps) used.insert(s.use);
  for (const auto& name : used) {
    for (const auto& problem : plugins.scan_problems_for(name))
      std::cerr << "warning: " << problem << '\n';
  }
  for (const auto& problem : loaded.problems) std::cerr << problem.to_string() << '\n';
  if (!loaded.problems.empty()) {
    std::cerr << args.pipeline << ": " << loaded.problems.size()
              << (loaded.problems.size() == 1 ? " problem" : " problems") << '\n';
    return false;
  }
  out = std::move(loaded.loaded);
  return true;
}

int command_lint(const arguments& args, host::registry& plugins) {
  host::pipeline work;
  if (!load_and_report(args, plugins, work)) return kExitUsage;
  std::cerr << args.pipeline << ": ok (" << work.steps.size() << " steps)\n";
  return kExitOk;
}

/// "1/4" -> {1, 4}; nullopt unless it is I/N with 0 <= I < N.
std::optional<std::pair<unsigned, unsigned>> parse_shard(const std::string& text) {
  unsigned i = 0;
  unsigned n = 0;
  const char* end = text.data() + text.size();
  auto [slash, e1] = std::from_chars(text.data(), end, i);
  if (e1 != std::errc() || slash == end || *slash != '/') return std::nullopt;
  auto [rest, e2] = std::from_chars(slash + 1, end, n);
  if (e2 != std::errc() || rest != end || n == 0 || i >= n) return std::nullopt;
  return std::pair{i, n};
}

int command_run(const arguments& args, host::registry& plugins) {
  host::pipeline work;
  if (!load_and_report(args, plugins, work)) return kExitUsage;
  host::run_options options;
  options.threads = args.threads;
  if (!args.shard.empty()) {
    const auto shard = parse_shard(args.shard);
    if (!shard) {
      std::cerr << "error: --shard " << args.shard
                << ": expected I/N with 0 <= I < N, such as 0/4\n";
      return kExitUsage;
    }
    options.shard_index = shard->first;
    options.shard_count = shard->second;
  }
  options.progress = args.progress == "plain"  ? host::progress_mode::plain
                     : args.progress == "json" ? host::progress_mode::json
                     : args.progress == "none" ? host::progress_mode::none
                                               : host::progress_mode::automatic;
  host::install_interrupt_handler();
  const auto report = host::run_pipeline(work, plugins, options);
  if (options.progress != host::progress_mode::json) {
    if (!report.error.empty()) std::cerr << "error: " << report.error << '\n';
    host::print_summary(report, std::cerr);
  }
  if (report.cancelled) return kExitInterrupted;
  return report.ok ? kExitOk : kExitFailed;
}

void print_scan_problems(const host::registry& plugins) {
  for (const auto& problem : plugins.scan_problems()) std::cerr << "warning: " << problem << '\n';
}

int command_plugins(const arguments& args, host::registry& plugins) {
  print_scan_problems(plugins);
  int status = kExitOk;
  for (const auto& name : plugins.names()) {
    if (args.names_only) {
      std::cout << name << '\n';
      continue;
    }
    auto loaded = plugins.load(name);
    if (!loaded) {
      std::cerr << "warning: " << loaded.failure().what() << '\n';
      status = kExitFailed;
      continue;
    }
    const auto& p = *loaded.value();
    std::cout << p.name << '\t' << textkit::to_string(p.kind) << '\t' << p.version << '\t'
              << p.summary << '\n';
  }
  return status;
}

int command_inspect(const arguments& args, host::registry& plugins) {
  auto loaded = plugins.load(args.plugin_name);
  if (!loaded) {
    std::cerr << "error: " << loaded.failure().what() << '\n';
    return kExitUsage;
  }
  const auto& plugin = *loaded.value();
  if (args.as_json) {
    auto description = host::describe_json(plugin);
    description["file"] = plugins.find(plugin.name)->file.string();
    std::cout << description.dump(2) << '\n';
  } else if (args.as_markdown) {
    std::cout << host::describe_markdown(plugin);
  } else {
    std::cout << host::describe_text(plugin)
              << "\nfile: " << plugins.find(plugin.name)->file.string() << '\n';
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  // OpenMP threads (libtorch's, in gpt2.train) spin while they wait for each other by default. On
  // a machine busier than its cores a spinning thread holds the core its partner needs: training
  // on 2 threads under a load of 10 ran 26 times slower (63 against 1,668 tokens/s) than with
  // threads that sleep. libgomp reads this when a plugin that needs it is loaded, after this line;
  // a value the user set is kept.
  setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
  CLI::App app{"textkit: turn your own writing into new text, with pipelines of plugins"};
  app.require_subcommand(1);
  app.fallthrough();  // --plugin-dir may come after the command, as the contract shows
  arguments args;
  app.add_option("--plugin-dir", args.plugin_dirs,
                 "Look for plugins in this folder first (before $TEXTKIT_PLUGIN_PATH and the "
                 "installed plugins); may be given more than once");

  auto* run = app.add_subcommand("run", "Run a pipeline");
  run->add_option("pipeline", args.pipeline, "The pipeline file (JSON)")->required();
  run->add_option("--set", args.overrides,
                  "Override an option: STEP.OPTION=VALUE (STEP: index or name)");
  run->add_option("--progress", args.progress, "How to show progress on stderr")
      ->check(CLI::IsMember({"auto", "plain", "json", "none"}));
  run->add_option("--threads", args.threads, "Threads for thread-safe steps (default: all cores)");
  run->add_option("--shard", args.shard,
                  "I/N: run shard I (0 to N-1) of N: sources yield only their records of that "
                  "shard, sinks write PATH.shard-I-of-N.EXT (see docs/scaling.md)");

  auto* lint =
      app.add_subcommand("lint", "Check a pipeline and report every problem; runs nothing");
  lint->add_option("pipeline", args.pipeline, "The pipeline file (JSON)")->required();
  lint->add_option("--set", args.overrides, "Override an option: STEP.OPTION=VALUE");

  auto* list = app.add_subcommand("plugins", "List the plugins: name, kind, version, summary");
  list->add_flag("--names", args.names_only, "Only the names (loads no plugin)");

  auto* inspect =
      app.add_subcommand("inspect", "Show a plugin's options and what it consumes and produces");
  inspect->add_option("name", args.plugin_name, "The plugin's name")->required();
  auto* json_flag = inspect->add_flag("--json", args.as_json, "As JSON");
  inspect->add_flag("--markdown", args.as_markdown, "As the Markdown page in docs/plugins/")
      ->excludes(json_flag);

  auto* version = app.add_subcommand("version", "Print textkit's version and plugin API version");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }

  if (version->parsed()) {
    std::cout << "textkit " << TEXTKIT_VERSION << " (plugin API " << TEXTKIT_API_VERSION << ", "
              << TEXTKIT_ABI_TAG << ")\n";
    return kExitOk;
  }
  host::registry plugins(host::plugin_search_path(args.plugin_dirs));
  try {
    if (run->parsed()) return command_run(args, plugins);
    if (lint->parsed()) return command_lint(args, plugins);
    if (list->parsed()) return command_plugins(args, plugins);
    if (inspect->parsed()) return command_inspect(args, plugins);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return kExitFailed;
  }
  return kExitUsage;
}
