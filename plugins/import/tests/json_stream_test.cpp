#include "json_stream.h"

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace textkit::import;
using textkit::json;
using textkit::import::testing::string_stream;

namespace {

struct seen {
  std::vector<std::string> paths;
  std::vector<json> values;
  std::vector<bool> elements;
};

bool stream(const std::string& text, seen& out, json_failure& failure,
            json_stream_options options = {}) {
  string_stream in(text);
  return stream_json(
      in, options,
      [&](std::string_view path, json&& value, bool element) {
        out.paths.emplace_back(path);
        out.values.push_back(std::move(value));
        out.elements.push_back(element);
      },
      failure);
}

}  // namespace

TEST_CASE("array elements are records, members on the way are visited", "[json]") {
  seen out;
  json_failure failure;
  REQUIRE(stream(R"({"participants":[{"name":"A"}],"messages":[{"content":"hi","reactions":[1]},
      {"content":"yo"}],"title":"T","meta":{"n":{"deep":{"x":1}}}})",
                 out, failure));
  REQUIRE(out.paths.size() == 5);
  CHECK(out.paths[0] == "/participants");
  CHECK(out.paths[1] == "/messages");
  CHECK(out.values[1]["content"] == "hi");
  CHECK(out.elements[1]);
  CHECK(out.paths[3] == "/title");
  CHECK_FALSE(out.elements[3]);
  CHECK(out.paths[4] == "/meta/n/deep");
  CHECK(out.values[4] == json{{"x", 1}});
}

TEST_CASE("skip_keys drops members inside elements", "[json]") {
  seen out;
  json_failure failure;
  json_stream_options options;
  options.skip_keys = {"reactions"};
  REQUIRE(stream(R"([{"a":1,"reactions":[{"x":[1,{"y":2}]}],"b":"c"}])", out, failure, options));
  REQUIRE(out.values.size() == 1);
  CHECK(out.values[0] == json{{"a", 1}, {"b", "c"}});
  CHECK(out.paths[0].empty());
}

TEST_CASE("64-bit IDs survive exactly", "[json]") {
  seen out;
  json_failure failure;
  REQUIRE(stream(R"([{"ID": 1017588758238990388, "s": "9007199254740993"}])", out, failure));
  CHECK(id_at(out.values[0], "ID") == "1017588758238990388");
  CHECK(integer_at(out.values[0], "s") == 9007199254740993);
}

TEST_CASE("truncated JSON and invalid UTF-8 report their place", "[json]") {
  seen out;
  json_failure failure;
  CHECK_FALSE(stream("[{\"a\":1},\n{\"a\":", out, failure));
  CHECK(out.values.size() == 1);  // what came before the break
  CHECK(failure.line == 2);
  CHECK(failure.column == 6);
  CHECK(failure.message.find("unexpected end of input") == 0);

  seen bad;
  CHECK_FALSE(stream("[\"ok\", \"bad \xC3\x28\"]", bad, failure));
  CHECK(failure.message.find("invalid UTF-8") == 0);
}

TEST_CASE("JavaScript prefixes", "[json]") {
  CHECK(javascript_prefix_length("window.YTD.tweets.part0 = [") == 25);
  CHECK(javascript_prefix_length("var tumblr_api_read = {") == 21);
  CHECK(javascript_prefix_length("Grailbird.data.tweets_2016_05 = \n [") == 31);
  CHECK(javascript_prefix_length("[{\"a\": \"=\"}]") == std::string_view::npos);
  CHECK(first_json_char("\xEF\xBB\xBF  \n{") == '{');
}
