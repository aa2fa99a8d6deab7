// Tests of read.jsonl's fast path and write.jsonl's string writer: both must agree with
// nlohmann::json, byte for byte, on what is valid and what it means.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>

#include "io_common.h"
#include "json_scan.h"

using nlohmann::json;
using textkit::io_plugins::append_json_string;
using textkit::io_plugins::decode_json_string;
using textkit::io_plugins::skip_json_value;

namespace {

// Decodes `literal` both ways; checks that they accept the same and decode to the same.
void check_like_nlohmann(const std::string& literal) {
  INFO("literal: " << literal);
  const json expected = json::parse(literal, nullptr, false);
  std::size_t pos = 0;
  std::string decoded;
  const bool ok = decode_json_string(literal, pos, decoded);
  REQUIRE(ok == !expected.is_discarded());
  if (!ok) return;
  CHECK(decoded == expected.get<std::string>());
  CHECK(pos == literal.size());
}

}  // namespace

TEST_CASE("decode_json_string decodes what nlohmann::json decodes") {
  for (const char* literal : {
           R"("")",
           R"("plain ascii, long enough to take the eight-byte path")",
           R"("escapes \" \\ \/ \b \f \n \r \t")",
           R"("\u00e9t\u00e9 \u2603 \ud83d\ude00 \u0000 \u001F")",
           "\"caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80 raw UTF-8\"",
           "\"\x7F del is allowed\"",
       }) {
    check_like_nlohmann(literal);
  }
}

TEST_CASE("decode_json_string rejects what nlohmann::json rejects") {
  for (const char* literal : {
           R"("no closing quote)",
           "\"raw\ttab\"",
           "\"raw\nnewline\"",
           R"("bad escape \x")",
           R"("short \u12")",
           R"("not hex \u12g4")",
           R"("lone high \ud83d")",
           R"("lone high then text \ud83dabc")",
           R"("lone low \ude00")",
           R"("high then high \ud83d\ud83d")",
           "\"bad byte \xFF\"",
           "\"overlong \xC0\xAF\"",
           "\"surrogate \xED\xA0\x80\"",
           "\"cut \xE6\x97\"",
           R"("ends in backslash \)",
       }) {
    check_like_nlohmann(literal);
  }
}

TEST_CASE("decode_json_string stops at the closing quote") {
  const std::string line = R"({"text":"a\"b","x":1})";
  std::size_t pos = 8;
  std::string decoded;
  REQUIRE(decode_json_string(line, pos, decoded));
  CHECK(decoded == "a\"b");
  CHECK(line.substr(pos) == R"(,"x":1})");
}

TEST_CASE("skip_json_value finds the end of a value") {
  const std::string line = R"({"a":{"b":["}",1,{"c":"\"]"}]},"n":-1.5e3,"t":true,"s":"x"})";
  std::size_t pos = 5;
  REQUIRE(skip_json_value(line, pos));
  CHECK(line.substr(5, pos - 5) == R"({"b":["}",1,{"c":"\"]"}]})");
  pos = line.find("-1.5");
  const std::size_t start = pos;
  REQUIRE(skip_json_value(line, pos));
  CHECK(line.substr(start, pos - start) == "-1.5e3");
  pos = line.find("true");
  REQUIRE(skip_json_value(line, pos));
  CHECK(line[pos] == ',');
  std::size_t open = 0;
  CHECK_FALSE(skip_json_value(R"({"a":[1,2)", open));
}

TEST_CASE("append_json_string writes what nlohmann::json writes") {
  for (const std::string& text : {
           std::string(),
           std::string("plain ascii, long enough to take the eight-byte path"),
           std::string("quote \" backslash \\ slash / newline \n tab \t cr \r"),
           std::string("\b\f\x01\x1F\x7F"),
           std::string("nul \0 inside", 12),
           std::string("caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80 mixed \"\n"),
       }) {
    std::string written = "prefix";
    REQUIRE(append_json_string(written, text));
    CHECK(written == "prefix" + json(text).dump());
  }
}

TEST_CASE("append_json_string refuses invalid UTF-8 and appends nothing") {
  std::string written = "prefix";
  CHECK_FALSE(append_json_string(written, "ok \xC3\x28 not"));
  CHECK_FALSE(append_json_string(written, "surrogate \xED\xA0\x80"));
  CHECK(written == "prefix");
}
