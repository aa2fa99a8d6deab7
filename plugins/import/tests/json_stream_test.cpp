#include "json_stream.h"

#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <random>
#include <stdexcept>
#include <thread>

#include "json_reader.h"
#include "test_support.h"
#include "textkit/error.h"
#include "textkit_common/mojibake.h"

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

TEST_CASE("json_reader and nlohmann::json::sax_parse visit the same values", "[json]") {
  const std::vector<std::string> documents = {
      R"({"participants":[{"name":"A"}],"messages":[{"content":"h\u00c3\u00a9 \"q\" \\ \/ \n",
          "n":-12,"u":18446744073709551615,"f":1.5e3,"t":true,"x":null,"e":[],"o":{}}],"title":"T"})",
      R"([{"a":[1,[2,[3]]],"b":{"c":{"d":"\ud83d\ude00"}}}, 0, "s", false])",
      "  \n[ ]  ",
      "\xEF\xBB\xBF{\"bom\": 1}",
  };
  for (const std::string& text : documents) {
    for (int stream_depth : {0, 1, 3}) {
      json_stream_options options;
      options.stream_depth = stream_depth;
      options.skip_keys = {"e"};
      seen fast;
      seen reference;
      json_failure failure;
      REQUIRE(stream(text, fast, failure, options));
      options.use_nlohmann = true;
      REQUIRE(stream(text, reference, failure, options));
      CHECK(fast.paths == reference.paths);
      CHECK(fast.values == reference.values);
      CHECK(fast.elements == reference.elements);
    }
  }
}

TEST_CASE("json_reader refuses what is not JSON, with the place", "[json]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[1,]", "1:4: syntax error"},
      {"{\"a\" 1}", "1:6: syntax error: expected ':'"},
      {"[01]", "1:4: syntax error: invalid number"},
      {"[\"a\nb\"]", "1:4: invalid string: control character"},
      {"[\"\\x\"]", "1:4: invalid string: forbidden character"},
      {"[\"\\ud800\"]", "invalid string: a high surrogate"},
      {"[1] 2", "1:5: syntax error: unexpected '2' after the document"},
      {"\n\n  [tru", "3:7: unexpected end of input"},
      {"[\"ok\",\n \"caf\xE9\"]", "2:6: invalid UTF-8"},
      {"[1, 1.5e3890]", "number overflow: '1.5e3890'"},
  };
  for (const auto& [text, expected] : cases) {
    seen out;
    json_failure failure;
    CHECK_FALSE(stream(text, out, failure));
    const std::string got = std::to_string(failure.line) + ":" + std::to_string(failure.column) +
                            ": " + failure.message;
    INFO(text);
    CHECK(got.find(expected) != std::string::npos);
  }
}

TEST_CASE("a huge string, a huge record and deep nesting are refused with their place",
          "[json][limits]") {
  const auto refused = [](const std::string& text, std::size_t chunk) {
    string_stream in(text, chunk);
    json_failure failure;
    std::size_t visited = 0;
    const bool ok = stream_json(
        in, json_stream_options{}, [&](std::string_view, json&&, bool) { ++visited; }, failure);
    CHECK_FALSE(ok);
    return std::to_string(failure.line) + ":" + std::to_string(failure.column) + ": " +
           failure.message + " (" + std::to_string(visited) + " visited)";
  };
  // A message whose text is one string just past the bound: refused where the string starts.
  const std::string huge_string =
      "[{\"a\": 1},\n {\"text\": \"" + std::string(json_max_string + 1, 'x') + "\"}]";
  CHECK(refused(huge_string, 1 << 16) == "2:11: refused: a string longer than 16 MiB (1 visited)");
  // A string at the bound passes.
  string_stream fine("[\"" + std::string(json_max_string, 'x') + "\"]", 1 << 16);
  json_failure failure;
  CHECK(stream_json(
      fine, {}, [](std::string_view, json&&, bool) {}, failure));

  // One record of many small values (each a node of 16+ bytes from 2 bytes of text).
  std::string huge_record = "[{\"a\": 1}, {\"n\": [";
  while (huge_record.size() < json_max_record + 64) huge_record += "0,0,0,0,0,0,0,0,";
  huge_record += "0]}]";
  CHECK(refused(huge_record, 1 << 16)
            .find("refused: a record larger than 16 MiB of JSON (1 visited)") != std::string::npos);

  const std::string deep =
      std::string(json_max_depth + 1, '[') + std::string(json_max_depth + 1, ']');
  CHECK(refused(deep, 7) ==
        "1:513: refused: arrays and objects nested more than 512 levels deep (0 visited)");
  const std::string deep_enough =
      std::string(json_max_depth, '[') + std::string(json_max_depth, ']');
  string_stream ok_in(deep_enough);
  CHECK(stream_json(
      ok_in, {}, [](std::string_view, json&&, bool) {}, failure));
}

namespace {

// A JSON string literal (quotes included) of random pieces: ASCII, \u00XX escapes (Facebook's
// damage when they spell UTF-8), raw UTF-8, escapes past U+00FF, surrogate pairs, short escapes.
std::string random_json_string(std::mt19937& random) {
  static const std::vector<std::string> pieces = {
      "a",
      "plain text ",
      "\\u00c3\\u00a9",
      "\\u00f0\\u009f\\u0099\\u0082",
      "\\u00c3",
      "\\u00e9",
      "\\u0041",
      "\\u00e2\\u0080\\u0099",
      "\xC3\xA9",
      "\xC3\x83\xC2\xA9",
      "\\u20ac",
      "\\ud83d\\ude00",
      "\\n",
      "\\\"",
      "\\\\",
      "\\/",
      "\\u0000",
      "\xE2\x82\xAC",
      "\\u00C3\\u00A7",
      "\\u00ff",
  };
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 12);
  std::string out = "\"";
  const int count = length(random);
  for (int i = 0; i < count; ++i) out += pieces[pick(random)];
  return out + "\"";
}

}  // namespace

TEST_CASE("repairing while reading equals decoding, then repairing", "[json]") {
  // The fast path writes escapes below U+0100 as bytes and leaves that mode on anything else; the
  // nlohmann path decodes, then runs common::repair_latin1_mojibake_in_place on each string.
  std::mt19937 random(20261126);
  for (int round = 0; round < 3000; ++round) {
    std::string text = "{\"messages\":[";
    for (int i = 0; i < 4; ++i) {
      if (i > 0) text += ",";
      text += "{\"content\":" + random_json_string(random) + ",\"n\":" + std::to_string(i * 7) +
              ",\"k\":[" + random_json_string(random) + "]," + random_json_string(random) + " : 1}";
    }
    text += "],\"title\":" + random_json_string(random) + "}";
    json_stream_options options;
    options.repair_latin1_mojibake = true;
    seen fast;
    seen reference;
    json_failure failure;
    INFO(text);
    REQUIRE(stream(text, fast, failure, options));
    options.use_nlohmann = true;
    REQUIRE(stream(text, reference, failure, options));
    CHECK(fast.paths == reference.paths);
    CHECK(fast.values == reference.values);
  }
}

TEST_CASE("strings repaired in the JSON text before parsing", "[json]") {
  // copy_repairing_json_strings, which a file parsed whole by simdjson goes through.
  const auto copied = [](const std::string& text) {
    std::string out(text.size(), '\0');
    out.resize(copy_repairing_json_strings(text, out.data()));
    return out;
  };
  // Values spelled as their bytes; the text around them untouched.
  CHECK(copied(R"({"a": "caf\u00c3\u00a9 \u00f0\u009f\u0098\u0082", "n": [1, 2]})") ==
        "{\"a\": \"caf\xC3\xA9 \xF0\x9F\x98\x82\", \"n\": [1, 2]}");
  // A key never, even with white space before its colon.
  CHECK(copied(R"({"caf\u00c3\u00a9" : "caf\u00c3\u00a9"})") ==
        "{\"caf\\u00c3\\u00a9\" : \"caf\xC3\xA9\"}");
  // Raw characters U+0080-U+00FF count as their bytes too ("Ã©" is é's damage).
  CHECK(copied("[\"\xC3\x83\xC2\xA9\"]") == "[\"\xC3\xA9\"]");
  // Escapes below U+0080 stay escaped (a quote, a control character); so do short escapes.
  CHECK(copied(R"(["\u0022\u00c3\u00a9\"\n"])") == "[\"\\u0022\xC3\xA9\\\"\\n\"]");
  // Not the damage: bytes that are not UTF-8, a character past U+00FF, a real "Ã" next to a
  // raw euro sign, nothing above ASCII, a broken escape. Copied as they are.
  for (const std::string as_is :
       {R"(["\u00c3"])", R"(["\u00c3\u00a9\u20ac"])", "[\"\xC3\x83 \xE2\x82\xAC\"]",
        R"(["plain", ""])", R"(["\u00c3\u00a9\x"])", R"(["\u00c3\u00a9\u00"])"}) {
    INFO(as_is);
    CHECK(copied(as_is) == as_is);
  }
  // Without the check, bytes that do not spell UTF-8 are written as they are (the parser then
  // refuses the text, and it is copied again with the check).
  std::string unchecked(16, '\0');
  unchecked.resize(copy_repairing_json_strings(R"(["\u00c3"])", unchecked.data(), false));
  CHECK(unchecked == "[\"\xC3\"]");
  // An unterminated string is copied to the end, repaired or not.
  CHECK(copied(R"(["caf\u00c3\u00a9)") == R"(["caf\u00c3\u00a9)");
  CHECK(copied(R"(["a\)") == R"(["a\)");
  // Long runs of plain text around the escapes (copied sixteen bytes at a time).
  const std::string words = "the quick brown fox jumps over the lazy dog ";
  CHECK(copied("[\"" + words + "\\u00c3\\u00a9" + words + words + "\"]") ==
        "[\"" + words + "\xC3\xA9" + words + words + "\"]");
}

TEST_CASE("a file prepared with the other choice of repair is parsed again", "[json]") {
  const std::string text = R"({"messages": [{"content": "caf\u00c3\u00a9"}], "n": 1})";
  for (const bool prepared_repairing : {false, true}) {
    for (const bool later : {false, true}) {
      string_stream in(text);
      const auto file = prepare_json(in, prepared_repairing, later);
      CHECK(parse_pending(*file) == later);
      parse_prepared(*file);
      CHECK_FALSE(parse_pending(*file));
      for (const bool repair : {false, true}) {
        INFO("prepared repairing " << prepared_repairing << ", later " << later << ", repair "
                                   << repair);
        json_stream_options options;
        options.repair_latin1_mojibake = repair;
        seen got;
        seen expected;
        json_failure failure;
        const auto bytes = prepared_stream(file, &in);
        REQUIRE(stream_json(
            *bytes, options,
            [&](std::string_view path, json&& value, bool element) {
              got.paths.emplace_back(path);
              got.values.push_back(std::move(value));
              got.elements.push_back(element);
            },
            failure, 1, nullptr, file));
        REQUIRE(stream(text, expected, failure, options));
        CHECK(got.values == expected.values);
        CHECK(got.values[0]["content"] == (repair ? "café" : "cafÃ©"));
      }
    }
  }
}

TEST_CASE("repairing while reading: Facebook's damage only", "[json]") {
  json_stream_options options;
  options.repair_latin1_mojibake = true;
  seen out;
  json_failure failure;
  REQUIRE(stream(R"(["Fran\u00c3\u00a7ais", "\u00f0\u009f\u0098\u0082", "\u00c3", "caf\u00e9",
                   "Ã©", "Ã© €", "\u00c3\u00a9\u20ac", "x"])",
                 out, failure, options));
  // The root array's elements are visited one by one.
  const std::vector<json> expected = {"Français", "😂", "Ã", "café", "é", "Ã© €", "Ã©€", "x"};
  CHECK(out.values == expected);
  // Off, nothing is repaired.
  seen plain;
  REQUIRE(stream(R"(["Fran\u00c3\u00a7ais"])", plain, failure));
  CHECK(plain.values[0] == "FranÃ§ais");
}

TEST_CASE("integers read straight from the buffer equal the general path", "[json]") {
  for (const std::string number :
       {"0", "-0", "7", "-7", "123456789012345678", "-123456789012345678", "1234567890123456789",
        "18446744073709551615", "-9223372036854775808", "1.5", "1e3", "-0.0", "12E-1"}) {
    const std::string text = "[" + number + ", " + number + "]";
    seen fast;
    seen reference;
    json_failure failure;
    json_stream_options options;
    INFO(number);
    REQUIRE(stream(text, fast, failure, options));
    options.use_nlohmann = true;
    REQUIRE(stream(text, reference, failure, options));
    CHECK(fast.values == reference.values);
    REQUIRE(fast.values.size() == 2);
    CHECK(fast.values[0].type() == reference.values[0].type());
  }
}

namespace {

struct run_result {
  seen visits;
  bool ok = false;
  json_failure failure;
};

run_result run(const std::string& text, json_stream_options options, std::size_t chunk) {
  run_result out;
  string_stream in(text, chunk);
  out.ok = stream_json(
      in, options,
      [&](std::string_view path, json&& value, bool element) {
        out.visits.paths.emplace_back(path);
        out.visits.values.push_back(std::move(value));
        out.visits.elements.push_back(element);
      },
      out.failure);
  return out;
}

// A byte_stream that fails after `good` bytes, as a damaged archive entry does.
class failing_stream final : public byte_stream {
 public:
  failing_stream(std::string text, std::size_t good) : text_(std::move(text)), good_(good) {}
  std::size_t read(char* buffer, std::size_t size) override {
    if (at_ >= good_) throw textkit::error(textkit::origin{"x.zip/a.json"}, "corrupt entry");
    const std::size_t count = std::min({size, good_ - at_, std::size_t{4096}});
    std::memcpy(buffer, text_.data() + at_, count);
    at_ += count;
    return count;
  }

 private:
  std::string text_;
  std::size_t good_;
  std::size_t at_ = 0;
};

// Two runs over the same input agree exactly: outcome, failure and its place, every visit.
void check_same(const run_result& got, const run_result& expected) {
  CHECK(got.ok == expected.ok);
  CHECK(got.failure.line == expected.failure.line);
  CHECK(got.failure.column == expected.failure.column);
  CHECK(got.failure.message == expected.failure.message);
  CHECK(got.visits.paths == expected.visits.paths);
  CHECK(got.visits.values == expected.visits.values);
  CHECK(got.visits.elements == expected.visits.elements);
}

std::string many_messages(int count) {
  std::string text = "{\"participants\":[{\"name\":\"A\"}],\"messages\":[";
  for (int i = 0; i < count; ++i) {
    if (i > 0) text += ",\n";
    text += "{\"sender_name\":\"S\\u00c3\\u00a9\",\"timestamp_ms\":" + std::to_string(1000 + i) +
            ",\"content\":\"message " + std::to_string(i) + "\",\"reactions\":[{\"r\":1}]}";
  }
  return text + "],\"title\":\"T\"}";
}

}  // namespace

TEST_CASE("parsing ahead on a second thread visits what the serial path visits", "[json]") {
  std::vector<std::string> documents = {
      many_messages(3000),                    // many batches, bounded in flight
      many_messages(3000).substr(0, 200000),  // truncated in the middle
      R"([{"a":[1,[2,[3]]],"b":{"c":{"d":"\ud83d\ude00"}}}, 0, "s", false])",
      "[1,]",
      "{\"a\" 1}",
      "[\"ok\",\n \"caf\xE9\"]",
      "\n\n  [tru",
      "",
      std::string(json_max_depth + 1, '[') + std::string(json_max_depth + 1, ']'),
  };
  std::string huge_record = "[{\"a\": 1}, {\"n\": [";
  while (huge_record.size() < json_max_record + 64) huge_record += "0,0,0,0,0,0,0,0,";
  documents.push_back(huge_record + "0]}]");
  for (const std::string& text : documents) {
    for (std::size_t chunk : {std::size_t{7}, std::size_t{1} << 16}) {
      json_stream_options options;
      options.skip_keys = {"reactions"};
      options.repair_latin1_mojibake = true;
      const run_result serial = run(text, options, chunk);
      options.parse_ahead = true;
      const run_result ahead = run(text, options, chunk);
      INFO(text.substr(0, 80));
      check_same(ahead, serial);
    }
  }
}

TEST_CASE("parsed whole by simdjson, a file visits what streaming visits", "[json]") {
  std::vector<std::string> documents = {
      many_messages(3000),
      many_messages(3000).substr(0, 200000),  // truncated: json_reader parses it again, places it
      R"([{"a":[1,[2,[3]]],"b":{"c":{"d":"\ud83d\ude00"}}}, 0, "s", false, null])",
      R"({"n": [0, -0, 1, -1, 18446744073709551615, -9223372036854775808, 1.5, -0.0, 1e3,
               [{"k": 1, "k": 2}]]})",
      R"([18446744073709551616, -9223372036854775809, 1e400])",  // simdjson refuses these
      "\xEF\xBB\xBF[\"after a byte order mark\"]",
      R"(["\u00c3\u00a9", "\u00c3", "Ã©", "\u0000x", "caf\u00e9"])",
      "[1,]",
      "[\"ok\",\n \"caf\xE9\"]",
      "\n\n  [tru",
      "",
      std::string(json_max_depth, '[') + std::string(json_max_depth, ']'),
      std::string(json_max_depth + 1, '[') + std::string(json_max_depth + 1, ']'),
  };
  // Past json_whole_limit: streamed, the bytes read to find that out included.
  std::string large = many_messages(1);
  large.insert(large.find("\"title\""), "\"pad\":\"" + std::string(json_whole_limit, 'x') + "\",");
  documents.push_back(large);
  for (const std::string& text : documents) {
    for (const bool repair : {false, true}) {
      json_stream_options options;
      options.skip_keys = {"reactions"};
      options.repair_latin1_mojibake = repair;
      options.parse_whole = false;
      const run_result streamed = run(text, options, 1 << 16);
      options.parse_whole = true;
      const run_result whole = run(text, options, 1 << 16);
      INFO(text.substr(0, 80));
      check_same(whole, streamed);
    }
  }
  // The numbers keep their kinds (an integer stays an integer; 1.5 a double), not only values.
  const run_result numbers = run(documents[3], json_stream_options{}, 1 << 16);
  REQUIRE(numbers.ok);
  REQUIRE(numbers.visits.values.size() == 10);
  CHECK(numbers.visits.values[2].is_number_unsigned());
  CHECK(numbers.visits.values[4].get<std::uint64_t>() == UINT64_MAX);
  CHECK(numbers.visits.values[5].get<std::int64_t>() == INT64_MIN);
  CHECK(numbers.visits.values[6].is_number_float());
  CHECK(numbers.visits.values[8].is_number_float());
  CHECK(numbers.visits.values[9] == json::parse(R"([{"k": 2}])"));  // a key twice: the last
}

namespace {

// What a run with a json_record_reader gives, in the order the calling thread saw it: visits
// ("v <path> <value>") and the reader's records ("r <text>").
struct reader_run {
  std::vector<std::string> events;
  std::size_t read_ahead = 0;  // records the reader made on the parsing thread
  bool ok = false;
};

reader_run run_with_reader(const std::string& text, bool parse_ahead, bool slow_visitor) {
  struct collect final : textkit::emitter {
    reader_run& out;
    explicit collect(reader_run& into) : out(into) {}
    void emit(textkit::record&& made) override { out.events.push_back("r " + made.text); }
  };
  reader_run result;
  collect calling(result);
  std::atomic<std::size_t> read_ahead = 0;
  const std::thread::id caller = std::this_thread::get_id();
  // Takes the messages of even time; reads each into a record of its content (repaired already).
  const json_record_reader reader{
      [](std::string_view path, const simdjson::dom::element& value) {
        return path == "/messages" && value["timestamp_ms"].get_int64().value() % 2 == 0;
      },
      [&](std::string_view, const simdjson::dom::element& value, textkit::emitter& to) {
        if (std::this_thread::get_id() != caller) ++read_ahead;
        textkit::record made;
        made.text = std::string(value["content"].get_string().value()) + " / " +
                    std::string(value["sender_name"].get_string().value());
        to.emit(std::move(made));
      },
      &calling};
  json_stream_options options;
  options.skip_keys = {"reactions"};
  options.repair_latin1_mojibake = true;
  options.parse_ahead = parse_ahead;
  string_stream in(text, 1 << 16);
  json_failure failure;
  result.ok = stream_json(
      in, options,
      [&](std::string_view path, json&& value, bool) {
        if (slow_visitor) std::this_thread::sleep_for(std::chrono::microseconds(200));
        result.events.push_back("v " + std::string(path) + " " + value.dump());
      },
      failure, 1, &reader);
  result.read_ahead = read_ahead;
  return result;
}

}  // namespace

TEST_CASE("a json_record_reader's records come in their turn, read on either thread", "[json]") {
  const std::string text = many_messages(3000);
  const reader_run serial = run_with_reader(text, false, false);
  REQUIRE(serial.ok);
  // The participant, 1,500 messages read, 1,500 built, and the title.
  REQUIRE(serial.events.size() == 1 + 3000 + 1);
  CHECK(serial.events[0] == "v /participants {\"name\":\"A\"}");
  CHECK(serial.events[1] == "r message 0 / Sé");
  CHECK(serial.events[2].substr(0, 13) == "v /messages {");
  CHECK(serial.events.back() == "v /title \"T\"");
  CHECK(serial.read_ahead == 0);
  // With a slow visitor the parsing thread reads records too; the order stays the same.
  const reader_run ahead = run_with_reader(text, true, true);
  CHECK(ahead.ok);
  CHECK(ahead.events == serial.events);
  CHECK(ahead.read_ahead > 0);
  CHECK(ahead.read_ahead < 1500);  // not all: the first batches go before the visitor lags
  // A file streamed (truncated: simdjson refuses it) has no records for the reader: all built.
  const reader_run cut = run_with_reader(text.substr(0, 100000), true, false);
  CHECK_FALSE(cut.ok);
  CHECK(std::none_of(cut.events.begin(), cut.events.end(),
                     [](const std::string& event) { return event[0] == 'r'; }));
}

TEST_CASE("parsing ahead: the visitor's and the stream's exceptions come through in order",
          "[json]") {
  json_stream_options options;
  options.parse_ahead = true;
  const std::string text = many_messages(5000);
  // A visitor that throws (a cancelled run, a step failing) stops the parser thread.
  {
    string_stream in(text, 1 << 16);
    json_failure failure;
    int visited = 0;
    CHECK_THROWS_WITH(stream_json(
                          in, options,
                          [&](std::string_view, json&&, bool) {
                            if (++visited == 700) throw std::runtime_error("stop here");
                          },
                          failure),
                      "stop here");
    CHECK(visited == 700);
  }
  // A read failure half-way: everything before it is visited first, then the error is thrown.
  {
    failing_stream in(text, text.size() / 2);
    json_failure failure;
    std::vector<std::int64_t> times;
    CHECK_THROWS_WITH(stream_json(
                          in, options,
                          [&](std::string_view path, json&& value, bool) {
                            if (path == "/messages") times.push_back(value["timestamp_ms"]);
                          },
                          failure),
                      "x.zip/a.json: corrupt entry");
    REQUIRE(times.size() > 1000);
    for (std::size_t i = 0; i < times.size(); ++i) CHECK(times[i] == 1000 + std::int64_t(i));
  }
}
