// Running: ordered parallel transforms, on_error, atomic sinks, the summary's counts.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "textkit/host/pipeline.h"
#include "textkit/host/registry.h"
#include "textkit/host/run.h"
#include "textkit/io.h"

namespace host = textkit::host;
namespace fs = std::filesystem;

namespace {

host::registry& test_registry() {
  static host::registry plugins({TEST_PLUGIN_DIR});
  return plugins;
}

struct temp_dir {
  fs::path path;
  temp_dir() {
    std::string pattern = (fs::temp_directory_path() / "textkit-run-XXXXXX").string();
    path = mkdtemp(pattern.data());
  }
  ~temp_dir() { fs::remove_all(path); }
};

std::string slurp(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct outcome {
  host::run_report report;
  std::string messages;
};

outcome run(const std::string& text, const fs::path& dir, unsigned threads = 2,
            host::run_options options = {}) {
  auto loaded = host::load_pipeline_text(text, dir / "p.json", test_registry());
  for (const auto& p : loaded.problems) FAIL(p.to_string());
  std::ostringstream messages;
  options.progress = host::progress_mode::plain;
  options.messages = &messages;
  options.threads = threads;
  options.batch_size = 64;
  outcome result{host::run_pipeline(loaded.loaded, test_registry(), options), ""};
  result.messages = messages.str();
  return result;
}

std::string expected_lines(int count, bool upper) {
  std::string out;
  for (int i = 1; i <= count; ++i)
    out += std::string(upper ? "RECORD " : "record ") + std::to_string(i) + "\n";
  return out;
}

}  // namespace

TEST_CASE("a thread-safe transform runs on several threads and keeps input order") {
  temp_dir dir;
  const auto result = run(R"({"textkit": 1, "steps": [
      {"use": "test.count", "with": {"count": 1000}},
      {"use": "test.shout"},
      {"use": "test.lines", "with": {"path": "out.txt"}}]})",
                          dir.path, 4);
  REQUIRE(result.report.ok);
  CHECK(slurp(dir.path / "out.txt") == expected_lines(1000, true));
  REQUIRE(result.report.steps.size() == 3);
  CHECK(result.report.steps[0].out == 1000);
  CHECK(result.report.steps[1].in == 1000);
  CHECK(result.report.steps[1].out == 1000);
  CHECK(result.report.steps[2].in == 1000);
}

TEST_CASE("several sources in a row concatenate, and a sink lets records flow on") {
  temp_dir dir;
  const auto result = run(R"({"textkit": 1, "steps": [
      {"use": "test.count", "with": {"count": 2}},
      {"use": "test.lines", "name": "first", "with": {"path": "a.txt"}},
      {"use": "test.count", "with": {"count": 3}},
      {"use": "test.lines", "name": "second", "with": {"path": "b.txt"}}]})",
                          dir.path);
  REQUIRE(result.report.ok);
  CHECK(slurp(dir.path / "a.txt") == expected_lines(2, false));
  CHECK(slurp(dir.path / "b.txt") == expected_lines(2, false) + expected_lines(3, false));
}

TEST_CASE("a source that creates a transform sees the records before it, or none when first") {
  temp_dir dir;
  const auto result = run(R"({"textkit": 1, "steps": [
      {"use": "test.echo"},
      {"use": "test.count", "with": {"count": 2}},
      {"use": "test.echo"},
      {"use": "test.lines", "with": {"path": "a.txt"}}]})",
                          dir.path);
  REQUIRE(result.report.ok);
  CHECK(slurp(dir.path / "a.txt") ==
        "echo of 0 records\n" + expected_lines(2, false) + "echo of 3 records\n");
}

TEST_CASE("a sink finishes its input before the steps after it see the end of the stream") {
  temp_dir dir;
  const auto result = run(R"({"textkit": 1, "steps": [
      {"use": "test.count", "with": {"count": 2}},
      {"use": "test.lines", "with": {"path": "a.txt", "finished": "a.count"}},
      {"use": "test.echo", "with": {"read": "a.count", "earlier": true}},
      {"use": "test.lines", "with": {"path": "b.txt"}}]})",
                          dir.path);
  REQUIRE(result.report.ok);
  CHECK(slurp(dir.path / "b.txt") ==
        expected_lines(2, false) + "echo of 2 records, read 2 lines, after test.count test.lines(" +
            (dir.path / "a.txt").string() + ")\n");
}

TEST_CASE("a source learns whether any later step reads meta") {
  temp_dir dir;
  const auto first_line = [&](const std::string& steps, host::run_options options = {}) {
    const auto result = run(
        R"({"textkit": 1, "steps": [{"use": "test.count", "with": {"count": 1, "say_meta": true}},)" +
            steps + "]}",
        dir.path, 2, options);
    REQUIRE(result.report.ok);
    const std::string text = slurp(dir.path / "a.txt");
    return text.substr(0, text.find('\n'));
  };
  // test.lines reads meta only with with_meta.
  CHECK(first_line(R"({"use": "test.lines", "with": {"path": "a.txt"}})") ==
        "record 1, meta unread");
  CHECK(first_line(R"({"use": "test.lines", "with": {"path": "a.txt", "with_meta": true}})") ==
        R"(record 1, meta read {"n":1})");
  // Any later step counts, also one after the sink.
  CHECK(first_line(R"({"use": "test.lines", "with": {"path": "a.txt"}},
                      {"use": "test.lines", "with": {"path": "b.txt", "with_meta": true}})") ==
        "record 1, meta read");
  // A step that does not say (test.shout) is taken to read it.
  CHECK(first_line(R"({"use": "test.shout"}, {"use": "test.lines", "with": {"path": "a.txt"}})") ==
        "RECORD 1, META READ");
  // A sharded run picks records by meta.id.
  host::run_options sharded;
  sharded.shard_index = 0;
  sharded.shard_count = 1;
  CHECK(first_line(R"({"use": "test.lines", "with": {"path": "a.txt"}})", sharded) ==
        "record 1, meta unread");
  sharded.shard_count = 2;
  std::string both;
  for (unsigned shard = 0; shard < 2; ++shard) {
    sharded.shard_index = shard;
    const auto result = run(
        R"({"textkit": 1, "steps": [{"use": "test.count", "with": {"count": 1, "say_meta": true}},
              {"use": "test.lines", "with": {"path": "s.txt"}}]})",
        dir.path, 2, sharded);
    REQUIRE(result.report.ok);
    both += slurp(dir.path / ("s.shard-" + std::to_string(shard) + "-of-2.txt"));
  }
  CHECK(both == "record 1, meta read\n");
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST_CASE("the shards of a run partition its sources' records, each sink writing its own file") {
  temp_dir dir;
  const std::string pipeline = R"({"textkit": 1, "steps": [
      {"use": "test.count", "with": {"count": 300}},
      {"use": "test.shout"},
      {"use": "test.count", "with": {"count": 5}},
      {"use": "test.lines", "with": {"path": "out/all.txt", "finished": "out/count.txt"}}]})";
  REQUIRE(run(pipeline, dir.path).report.ok);
  auto whole = lines_of(slurp(dir.path / "out/all.txt"));
  std::vector<std::string> joined;
  for (unsigned i = 0; i < 3; ++i) {
    host::run_options options;
    options.shard_index = i;
    options.shard_count = 3;
    REQUIRE(run(pipeline, dir.path, 2, options).report.ok);
    const auto file = dir.path / ("out/all.shard-" + std::to_string(i) + "-of-3.txt");
    const auto part = lines_of(slurp(file));
    // Every shard gets a fair part of 305 records, not all or none.
    CHECK(part.size() > 60);
    CHECK(part.size() < 150);
    // Every output path option gets the shard's name, not only the sink's `path`.
    CHECK(
        std::filesystem::exists(dir.path / ("out/count.shard-" + std::to_string(i) + "-of-3.txt")));
    joined.insert(joined.end(), part.begin(), part.end());
  }
  std::sort(whole.begin(), whole.end());
  std::sort(joined.begin(), joined.end());
  CHECK(joined == whole);
}

TEST_CASE("a shard's file name has the shard before the extension") {
  CHECK(host::shard_path("out/x.jsonl", 1, 3) == "out/x.shard-1-of-3.jsonl");
  CHECK(host::shard_path("out/my.notes.txt", 0, 2) == "out/my.notes.shard-0-of-2.txt");
  CHECK(host::shard_path("out/demo-model/", 0, 2) == "out/demo-model.shard-0-of-2");
  CHECK(host::shard_path("../out.d/.hidden", 2, 4) == "../out.d/.hidden.shard-2-of-4");
}

TEST_CASE("on_error skip reports each bad input with its place and counts it") {
  temp_dir dir;
  const auto result = run(R"({"textkit": 1, "steps": [
      {"use": "test.count", "with": {"count": 10, "bad_every": 4}, "on_error": "skip"},
      {"use": "test.shout", "with": {"fail_on": "record 5"}, "on_error": "skip"},
      {"use": "test.lines", "with": {"path": "out.txt"}}]})",
                          dir.path);
  REQUIRE(result.report.ok);
  CHECK(result.report.steps[0].skipped == 2);
  CHECK(result.report.steps[1].skipped == 1);
  CHECK(result.report.steps[2].in == 7);
  CHECK_THAT(result.messages,
             Catch::Contains("skipped: test.count: numbers.txt:4:1: number 4 is bad"));
  CHECK_THAT(result.messages,
             Catch::Contains("skipped: test.count: numbers.txt:8:1: number 8 is bad"));
  CHECK_THAT(result.messages,
             Catch::Contains("skipped: test.shout: numbers.txt:5:1: cannot shout \"record 5\""));
}

TEST_CASE("on_error fail stops with the step and the place, and writes no output") {
  temp_dir dir;
  {
    std::ofstream earlier(dir.path / "out.txt");
    earlier << "an earlier run\n";
  }
  const auto result = run(R"({"textkit": 1, "steps": [
      {"use": "test.count", "with": {"count": 500}},
      {"use": "test.lines", "with": {"path": "out.txt"}},
      {"use": "test.shout", "with": {"fail_on": "record 300"}}]})",
                          dir.path);
  REQUIRE_FALSE(result.report.ok);
  CHECK(result.report.error == "test.shout: numbers.txt:300:1: cannot shout \"record 300\"");
  // The sink saw records before the failure, but its file is the earlier one, whole.
  CHECK(slurp(dir.path / "out.txt") == "an earlier run\n");
  for (const auto& item : fs::directory_iterator(dir.path)) {
    CHECK(item.path().filename() == "out.txt");  // no temporary file left behind
  }
}

TEST_CASE("an output that is a FIFO (or /dev/null) is written in place, never replaced") {
  const fs::path dir = fs::temp_directory_path() / ("textkit-fifo-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path fifo = dir / "out";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // The reader opens first (without waiting for a writer), then reads until the writer has come
  // and gone, or five seconds pass (an output that replaced the FIFO never writes to it).
  const int in = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  REQUIRE(in >= 0);
  std::string got;
  std::thread reader([&] {
    char buffer[256];
    for (int waited = 0; waited < 500;) {
      const ssize_t n = ::read(in, buffer, sizeof buffer);
      if (n > 0) {
        got.append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 && !got.empty()) {
        break;  // the writer closed
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        ++waited;
      }
    }
    ::close(in);
  });
  {
    textkit::atomic_output out(fifo.string());
    out.write("through the pipe\n");
    out.commit();
  }
  reader.join();
  CHECK(got == "through the pipe\n");
  CHECK(fs::is_fifo(fifo));  // not a regular file renamed over it
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);  // no temp
  fs::remove_all(dir);
}

TEST_CASE("a sink that cannot write fails before any record flows") {
  temp_dir dir;
  {
    std::ofstream blocker(dir.path / "file");  // a file where the output's folder should be
  }
  const auto result = run(R"({"textkit": 1, "steps": [
      {"use": "test.count", "with": {"count": 5}},
      {"use": "test.lines", "with": {"path": "file/out.txt"}}]})",
                          dir.path);
  REQUIRE_FALSE(result.report.ok);
  CHECK_THAT(result.report.error, Catch::StartsWith("test.lines: "));
  CHECK_THAT(result.report.error, Catch::Contains("file/out.txt"));
  CHECK(result.report.steps[0].out == 0);
}

TEST_CASE("a stop request ends the run as cancelled, with no output") {
  temp_dir dir;
  auto loaded = host::load_pipeline_text(R"({"textkit": 1, "steps": [
      {"use": "test.count", "with": {"count": 100000}},
      {"use": "test.shout"},
      {"use": "test.lines", "with": {"path": "out.txt"}}]})",
                                         dir.path / "p.json", test_registry());
  REQUIRE(loaded.problems.empty());
  std::ostringstream messages;
  host::run_options options;
  options.messages = &messages;
  options.progress = host::progress_mode::none;
  std::thread stopper([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    host::request_stop();
  });
  const auto report = host::run_pipeline(loaded.loaded, test_registry(), options);
  stopper.join();
  CHECK(report.cancelled);
  CHECK_FALSE(report.ok);
  CHECK_FALSE(fs::exists(dir.path / "out.txt"));
}

TEST_CASE("progress as JSON is one event per line, ending with the summary") {
  temp_dir dir;
  auto loaded = host::load_pipeline_text(
      R"({"textkit": 1, "steps": [{"use": "test.count", "with": {"count": 3}}]})",
      dir.path / "p.json", test_registry());
  std::ostringstream messages;
  host::run_options options;
  options.messages = &messages;
  options.progress = host::progress_mode::json;
  const auto report = host::run_pipeline(loaded.loaded, test_registry(), options);
  REQUIRE(report.ok);
  std::istringstream lines(messages.str());
  std::string line;
  std::vector<textkit::json> events;
  while (std::getline(lines, line)) events.push_back(textkit::json::parse(line));
  REQUIRE(events.size() >= 2);
  CHECK(events.front()["event"] == "start");
  CHECK(events.back()["event"] == "summary");
  CHECK(events.back()["steps"][0]["out"] == 3);
}
