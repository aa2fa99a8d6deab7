// The option spec: validation reports every problem, defaults apply, paths resolve.
#include <catch2/catch.hpp>

#include "textkit/options.h"

using textkit::json;
using textkit::option_spec;
using textkit::option_type;

namespace {

std::vector<option_spec> specs() {
  return {
      {.name = "path", .type = option_type::path, .doc = "Input", .required = true},
      {.name = "min_chars",
       .type = option_type::integer,
       .default_value = 0,
       .doc = "Shortest",
       .min = 0,
       .max = 1000},
      {.name = "urls",
       .type = option_type::string,
       .default_value = "keep",
       .doc = "URLs",
       .allowed = {"keep", "drop", "replace"}},
      {.name = "kinds",
       .type = option_type::string_list,
       .default_value = json::array(),
       .doc = "Kinds",
       .allowed = {"post", "comment"}},
      {.name = "ratio", .type = option_type::number, .default_value = 0.5, .doc = "A ratio"},
  };
}

std::string messages(const std::vector<textkit::option_problem>& problems) {
  std::string out;
  for (const auto& p : problems) out += p.pointer + ": " + p.message + "\n";
  return out;
}

}  // namespace

TEST_CASE("check_options reports every problem at once, each with its pointer") {
  const json given = {
      {"min_chars", "ten"}, {"urls", "dorp"}, {"kinds", {"post", "coment"}}, {"min_char", 3}};
  const auto problems = textkit::check_options(specs(), given);
  const std::string text = messages(problems);
  CAPTURE(text);
  REQUIRE(problems.size() == 5);
  CHECK(text.find("/min_chars: expected integer, got \"ten\"") != std::string::npos);
  CHECK(text.find("/urls: expected one of \"keep\", \"drop\", \"replace\", got \"dorp\" (did you "
                  "mean \"drop\"?)") != std::string::npos);
  CHECK(text.find("/kinds/1: expected one of \"post\", \"comment\", got \"coment\"") !=
        std::string::npos);
  CHECK(text.find("/min_char: unknown option \"min_char\" (did you mean \"min_chars\"?)") !=
        std::string::npos);
  CHECK(text.find("missing required option \"path\"") != std::string::npos);
}

TEST_CASE("check_options checks ranges and accepts whole floats as integers") {
  CHECK(textkit::check_options(specs(), {{"path", "x"}, {"min_chars", 10.0}}).empty());
  const auto problems = textkit::check_options(specs(), {{"path", "x"}, {"min_chars", 5000}});
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message == "must be at most 1000, got 5000");
  CHECK(textkit::check_options(specs(), {{"path", "x"}, {"min_chars", 1.5}}).size() == 1);
}

TEST_CASE("a plugin's own option check runs after the type check, with pointers into the value") {
  int calls = 0;
  // Accepts only words without digits: what a regex or key check would do.
  const auto no_digits = [&calls](const json& list) {
    ++calls;
    std::vector<textkit::option_problem> problems;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto word = list[i].get<std::string>();
      if (word.find_first_of("0123456789") != std::string::npos)
        problems.push_back({"/" + std::to_string(i), "\"" + word + "\" has a digit"});
    }
    return problems;
  };
  const std::vector<option_spec> checked = {textkit::checked_by(
      textkit::make_option("words", option_type::string_list, json::array(), "Words"), no_digits)};

  CHECK(messages(textkit::check_options(checked, {{"words", {"ok", "b4d", "fine", "2"}}})) ==
        "/words/1: \"b4d\" has a digit\n/words/3: \"2\" has a digit\n");
  // A single string stands for a one-element list; its problem is the option's own.
  CHECK(messages(textkit::check_options(checked, {{"words", "r2d2"}})) ==
        "/words: \"r2d2\" has a digit\n");
  // A value of the wrong type never reaches the plugin's check.
  calls = 0;
  CHECK(messages(textkit::check_options(checked, {{"words", 3}})) ==
        "/words: expected list of strings, got 3\n");
  CHECK(calls == 0);
  // The run refuses it too, with the same words.
  CHECK_THROWS_WITH(textkit::options(checked, {{"words", {"x1"}}}, "/tmp"),
                    Catch::Contains("/words/0: \"x1\" has a digit"));
}

TEST_CASE("options apply defaults and resolve paths against the pipeline's folder") {
  const textkit::options opts(specs(), {{"path", "data/in.txt"}, {"kinds", "post"}},
                              "/home/me/pipelines");
  CHECK(opts.get_path("path") == "/home/me/pipelines/data/in.txt");
  CHECK(opts.get_int("min_chars") == 0);
  CHECK(opts.get_string("urls") == "keep");
  CHECK(opts.get_strings("kinds") == std::vector<std::string>{"post"});
  CHECK(opts.get_number("ratio") == 0.5);

  const textkit::options stdin_opts(specs(), {{"path", "-"}}, "/x");
  CHECK(stdin_opts.get_path("path") == "-");
  const textkit::options absolute(specs(), {{"path", "/data/a.txt"}}, "/x");
  CHECK(absolute.get_path("path") == "/data/a.txt");
}

TEST_CASE("options refuse invalid input with the first problem") {
  CHECK_THROWS_WITH(textkit::options(specs(), {{"path", 3}}, "/"), "/path: expected path, got 3");
}
