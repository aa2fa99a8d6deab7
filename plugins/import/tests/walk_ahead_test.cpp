// importer's walk one file ahead (parses_ahead, with threads to spare): the same files, bytes,
// visits, failures and order as the plain walk, over a zip and a folder holding every kind of
// entry the walk hands over differently.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "import_common.h"
#include "test_support.h"
#include "textkit/error.h"

using namespace textkit::import;
using textkit::json;

namespace {

// Writes down what a run sees, in order.
class log_context final : public textkit::context {
 public:
  log_context(unsigned threads, std::vector<std::string>& log) : threads_(threads), log_(log) {}
  [[nodiscard]] const std::string& step_name() const override { return name_; }
  void bad_input(const textkit::origin& where, const std::string& message) override {
    log_.push_back("bad " + where.to_string() + " " + message);  // on_error "skip"
  }
  void warn(const std::string& message) override { log_.push_back("warn " + message); }
  void progress(std::uint64_t, std::uint64_t, std::string_view) override {}
  [[nodiscard]] bool stop_requested() const override { return false; }
  [[nodiscard]] unsigned threads() const override { return threads_; }

 private:
  std::string name_ = "import.test";
  unsigned threads_;
  std::vector<std::string>& log_;
};

class discard final : public textkit::emitter {
 public:
  void emit(textkit::record&&) override {}
};

// Reads .json files with read_json (parsed ahead: importer's default), anything else byte by byte.
class logging_importer final : public importer {
 public:
  logging_importer(const textkit::step_config& config, std::vector<std::string>& log)
      : importer("import.test", common_settings(config)), log_(log) {}

 private:
  [[nodiscard]] bool wants_entry(const archive_entry_info&) const override { return true; }
  entry_result read_entry(const archive_entry_info& entry, peek_stream& in, textkit::context& ctx,
                          record_output&) override {
    log_.push_back("file " + entry.path);
    if (!ends_with_nocase(entry.path, ".json")) {
      std::string bytes(1 << 16, '\0');
      std::uint64_t total = 0;
      std::uint64_t sum = 0;
      for (std::size_t got = 0; (got = in.read(bytes.data(), bytes.size())) > 0;) {
        for (std::size_t i = 0; i < got; ++i) sum = sum * 31 + static_cast<unsigned char>(bytes[i]);
        total += got;
      }
      log_.push_back("bytes " + std::to_string(total) + " " + std::to_string(sum));
      return entry_result::recognized;
    }
    json_stream_options options;
    read_json(entry, in, ctx, options, [&](std::string_view path, json&& value, bool element) {
      log_.push_back(std::string(path) + (element ? " [] " : " = ") + value.dump().substr(0, 60));
    });
    return entry_result::recognized;
  }
  [[nodiscard]] std::string nothing_found() const override { return "nothing"; }

  std::vector<std::string>& log_;
};

std::vector<std::string> run(const std::filesystem::path& path, unsigned threads) {
  std::vector<std::string> log;
  textkit::step_config config;
  config.step_name = "import.test";
  config.opts = textkit::options(common_options("A test export.", {"post"}),
                                 json{{"path", path.string()}}, path.parent_path());
  logging_importer importer(config, log);
  log_context ctx(threads, log);
  discard out;
  importer.produce(ctx, out);
  return log;
}

// Text that does not compress (a zip of it is no zip bomb).
std::string noise(std::size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string out;
  out.reserve(size);
  while (out.size() < size) out.push_back(static_cast<char>('a' + random() % 26));
  return out;
}

std::string messages(int count) {
  std::string text = "{\"messages\": [";
  for (int i = 0; i < count; ++i) {
    if (i > 0) text += ",";
    text += "{\"n\": " + std::to_string(i) + ", \"t\": \"m" + std::to_string(i) + "\"}";
  }
  return text + "], \"title\": \"t\"}";
}

}  // namespace

TEST_CASE("a walk reading ahead sees what the plain walk sees, in the same order", "[archive]") {
  const std::vector<std::pair<std::string, std::string>> entries = {
      {"a/1.json", messages(50)},
      {"a/2.json", messages(20000)},  // over 1 MiB
      {"a/3.json", "{\"pad\": \"" + noise(json_whole_limit, 1) + "\", \"n\": [3]}"},
      {"a/4.json", "{\"big\": \"" + noise(json_whole_limit + 100, 2) + "\", \"n\": [1, 2]}"},
      {"a/5.txt", noise(300000, 3)},
      {"a/6.json", messages(100).substr(0, 900)},       // truncated
      {"a/7.json", "var data = " + messages(5) + ";"},  // JavaScript
      {"a/8.json", "{\"n\": [-0, 1]}"},                 // simdjson and -0
      {"a/9.json", ""},
      {"../escape.json", messages(3)},  // never opened
      {"b/10.json", messages(7)},
  };
  const std::filesystem::path dir = testing::scratch("walk-ahead");
  testing::write_zip(dir / "export.zip", entries);
  std::filesystem::create_directories(dir / "folder");
  for (const auto& [name, content] : entries) {
    if (name[0] == '.') continue;
    const std::filesystem::path file = dir / "folder" / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
  }
  for (const std::filesystem::path& path : {dir / "export.zip", dir / "folder"}) {
    INFO(path);
    const std::vector<std::string> plain = run(path, 1);
    const std::vector<std::string> ahead = run(path, 2);
    CHECK(ahead == plain);
    // Every file was read, and read whole.
    const auto has = [&](const std::string& line) {
      return std::find(plain.begin(), plain.end(), line) != plain.end();
    };
    CHECK(has("file b/10.json"));
    CHECK(has("/messages [] {\"n\":19999,\"t\":\"m19999\"}"));
    CHECK(has("/n [] 1"));
    CHECK(has("/n [] 3"));
    std::vector<std::string> bad;
    std::copy_if(plain.begin(), plain.end(), std::back_inserter(bad),
                 [](const std::string& line) { return line.rfind("bad ", 0) == 0; });
    CAPTURE(bad);
    std::vector<std::string> expected = {"bad a/6.json:1:901 unexpected end of input",
                                         "bad a/9.json:1:1 unexpected end of input"};
    if (path.extension() == ".zip") {
      expected.emplace_back("bad ../escape.json unsafe entry name refused");
    }
    REQUIRE(bad.size() == expected.size());
    for (std::size_t i = 0; i < bad.size(); ++i) CHECK(bad[i].rfind(expected[i], 0) == 0);
  }
}
