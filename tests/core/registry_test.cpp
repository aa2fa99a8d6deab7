// Discovery: the search order, refusal of other API versions, and names found twice.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "textkit/host/registry.h"

namespace host = textkit::host;

namespace {
const std::string kDir = TEST_PLUGIN_DIR;

bool any_contains(const std::vector<std::string>& lines, const std::string& part) {
  for (const auto& line : lines) {
    if (line.find(part) != std::string::npos) return true;
  }
  return false;
}
}  // namespace

TEST_CASE("plugins are listed from their ELF section without loading them") {
  host::registry plugins({kDir});
  const auto names = plugins.names();
  CHECK(names == std::vector<std::string>{"test.count", "test.echo", "test.lines", "test.shout"});
  const auto* entry = plugins.find("test.count");
  REQUIRE(entry != nullptr);
  CHECK(entry->file.filename() == "textkit_test_plugins.so");
  auto loaded = plugins.load("test.count");
  REQUIRE(loaded.ok());
  CHECK(loaded.value()->name == "test.count");
  CHECK(loaded.value()->kind == textkit::step_kind::source);
}

TEST_CASE("a plugin built for another API version is refused with both versions") {
  host::registry plugins({kDir + "/old"});
  CHECK(plugins.names().empty());
  CHECK(any_contains(plugins.scan_problems(),
                     "plugin \"test.old\" in " + kDir +
                         "/old/textkit_old_api.so was built for textkit plugin API "
                         "version 99, but this textkit supports version " +
                         std::to_string(TEXTKIT_API_VERSION)));
  auto loaded = plugins.load("test.old");
  REQUIRE_FALSE(loaded.ok());
  CHECK_THAT(loaded.failure().what(),
             Catch::Contains("version 99, but this textkit supports version " +
                             std::to_string(TEXTKIT_API_VERSION)));
}

TEST_CASE("a descriptor that claims another API version is refused on load") {
  host::registry plugins({kDir + "/forged"});
  auto loaded = plugins.load("test.forged");
  REQUIRE_FALSE(loaded.ok());
  CHECK_THAT(loaded.failure().what(), Catch::Contains("built for textkit plugin API version " +
                                                      std::to_string(TEXTKIT_API_VERSION + 1) +
                                                      ", but this textkit supports version " +
                                                      std::to_string(TEXTKIT_API_VERSION)));
}

TEST_CASE("two plugins of one name are reported with both paths; the first on the path wins") {
  host::registry plugins({kDir + "/copy", kDir});
  CHECK(any_contains(plugins.scan_problems(), "plugin \"test.count\" is in both " + kDir +
                                                  "/copy/textkit_test_plugins_copy.so and " + kDir +
                                                  "/textkit_test_plugins.so; using the first"));
  CHECK(plugins.find("test.count")->file == kDir + "/copy/textkit_test_plugins_copy.so");
  REQUIRE(plugins.scan_problems_for("test.count").size() == 1);
  CHECK_THAT(plugins.scan_problems_for("test.count")[0], Catch::Contains("is in both"));
  CHECK(plugins.scan_problems_for("read.txt").empty());
}

TEST_CASE(
    "the search path is --plugin-dir, then TEXTKIT_PLUGIN_PATH, then next to the executable") {
  setenv("TEXTKIT_PLUGIN_PATH", "/opt/a:/opt/b", 1);
  const auto path = host::plugin_search_path({"/cli"});
  unsetenv("TEXTKIT_PLUGIN_PATH");
  REQUIRE(path.size() == 4);
  CHECK(path[0] == "/cli");
  CHECK(path[1] == "/opt/a");
  CHECK(path[2] == "/opt/b");
  CHECK(path[3].string().ends_with("lib/textkit/plugins"));
}

TEST_CASE("unknown names get a did-you-mean") {
  host::registry plugins({kDir});
  auto loaded = plugins.load("test.cuont");
  REQUIRE_FALSE(loaded.ok());
  CHECK(std::string(loaded.failure().what()) ==
        "unknown plugin \"test.cuont\" (did you mean \"test.count\"?)");
  CHECK_FALSE(host::did_you_mean("zzzzzz", {"read.txt"}).has_value());
}
