// Lint: every problem of a pipeline at once, each with its file:line:column and JSON pointer.
#include <catch2/catch.hpp>

#include "textkit/host/pipeline.h"
#include "textkit/host/registry.h"

namespace host = textkit::host;

namespace {

host::registry& test_registry() {
  static host::registry plugins({TEST_PLUGIN_DIR});
  return plugins;
}

std::vector<std::string> lint(const std::string& text,
                              const std::vector<std::string>& overrides = {}) {
  auto loaded = host::load_pipeline_text(text, "p.json", test_registry(), overrides);
  std::vector<std::string> out;
  for (const auto& m : loaded.problems) out.push_back(m.to_string());
  return out;
}

}  // namespace

TEST_CASE("a syntax error is reported with line and column") {
  const auto problems =
      lint("{\n  \"textkit\": 1,\n  \"steps\": [\n    {\"use\": \"test.count\",}\n  ]\n}\n");
  REQUIRE(problems.size() == 1);
  CHECK_THAT(problems[0], Catch::StartsWith("p.json:4:26: syntax error"));
}

TEST_CASE("three different mistakes are all reported, with locations") {
  const std::string text = R"({
  "textkit": 1,
  "steps": [
    { "use": "test.count", "with": { "count": "ten" } },
    { "use": "test.shuot" },
    { "use": "test.lines", "with": { "pth": "out.txt" } }
  ]
})";
  const auto problems = lint(text);
  REQUIRE(problems.size() == 4);
  CHECK(problems[0] == "p.json:4:38: /steps/0/with/count: expected integer, got \"ten\"");
  CHECK(problems[1] ==
        "p.json:5:7: /steps/1/use: unknown plugin \"test.shuot\" (did you mean \"test.shout\"?)");
  CHECK_THAT(problems[2],
             Catch::StartsWith("p.json:6:28: /steps/2/with: missing required option \"path\""));
  CHECK(problems[3] ==
        "p.json:6:38: /steps/2/with/pth: unknown option \"pth\" (did you mean \"path\"?)");
}

TEST_CASE("a transform before any source is reported") {
  const auto problems =
      lint(R"({"textkit": 1, "steps": [{"use": "test.shout"}, {"use": "test.count"}]})");
  REQUIRE(problems.size() == 1);
  CHECK_THAT(
      problems[0],
      Catch::Contains("/steps/0/use: the transform \"test.shout\" has no records to work on"));
}

TEST_CASE("unknown keys and a wrong format version are reported with did-you-mean") {
  const auto problems = lint(
      R"({"textkit": 2, "stepz": [], "steps": [{"use": "test.count", "on_eror": "skip", "on_error": "ignore"}]})");
  REQUIRE(problems.size() == 4);
  CHECK_THAT(problems[0], Catch::Contains("/textkit: this textkit reads pipeline format 1, got 2"));
  CHECK_THAT(problems[1], Catch::Contains("unknown key \"stepz\" (did you mean \"steps\"?)"));
  CHECK_THAT(
      problems[2],
      Catch::Contains("/steps/0/on_eror: unknown key \"on_eror\" (did you mean \"on_error\"?)"));
  CHECK_THAT(problems[3], Catch::Contains("/steps/0/on_error: expected \"fail\" or \"skip\""));
}

TEST_CASE("overrides from --set name a step by index or name, and are checked like the file") {
  const std::string text =
      R"({"textkit": 1, "steps": [{"use": "test.count"}, {"use": "test.lines", "name": "out", "with": {"path": "a"}}]})";
  auto loaded =
      host::load_pipeline_text(text, "p.json", test_registry(), {"0.count=3", "out.path=b.txt"});
  REQUIRE(loaded.problems.empty());
  CHECK(loaded.loaded.steps[0].with["count"] == 3);
  CHECK(loaded.loaded.steps[1].with["path"] == "b.txt");

  const auto problems = lint(text, {"test.count.count=many", "7.x=1", "nodot"});
  REQUIRE(problems.size() == 3);
  CHECK(problems[0] == "--set 7.x=1: no step \"7\" in the pipeline (steps are counted from 0)");
  CHECK(problems[1] == "--set nodot: expected STEP.OPTION=VALUE, e.g. --set 1.min_chars=30");
  CHECK(problems[2] ==
        "--set test.count.count=many: /steps/0/with/count: expected integer, got \"many\"");
}

TEST_CASE("locate_json_pointer finds keys and array elements") {
  const std::string text = "{\"a\": [1, {\"b\": \"x\"}],\n \"c\": {\"d\": 2}}";
  CHECK(host::locate_json_pointer(text, "/a/1/b") ==
        std::pair<std::uint64_t, std::uint64_t>{1, 12});
  CHECK(host::locate_json_pointer(text, "/c/d") == std::pair<std::uint64_t, std::uint64_t>{2, 8});
  CHECK(host::locate_json_pointer(text, "/a/0") == std::pair<std::uint64_t, std::uint64_t>{1, 8});
  CHECK(host::locate_json_pointer(text, "/zz") == std::pair<std::uint64_t, std::uint64_t>{0, 0});
}
