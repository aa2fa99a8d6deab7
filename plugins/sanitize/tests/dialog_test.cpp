// dialog: time parsing, ordering, turns, splitting on silence and max_turns, the owner rule.
#include "dialog_threads.h"

#include <catch2/catch.hpp>

namespace tk = textkit::sanitize;
using textkit::json;

namespace {

tk::message msg(std::string author, std::string text, std::string created, bool owner = false) {
  static std::size_t order = 0;
  tk::message m;
  m.author = std::move(author);
  m.text = std::move(text);
  m.created = std::move(created);
  m.time = tk::parse_iso8601(m.created);
  m.by_owner = owner;
  m.order = order++;
  m.meta = {{"label", "chat"}};
  return m;
}

}  // namespace

TEST_CASE("ISO 8601 times and durations") {
  CHECK(tk::parse_iso8601("1970-01-01T00:00:00Z") == 0);
  CHECK(tk::parse_iso8601("2026-03-06T13:02:05Z") == 1772802125);
  CHECK(tk::parse_iso8601("2026-03-06T14:02:05+01:00") == 1772802125);
  CHECK(tk::parse_iso8601("2026-03-06T13:02:05.250Z") == 1772802125);
  CHECK(tk::parse_iso8601("2026-03-06") == 1772755200);
  CHECK_FALSE(tk::parse_iso8601("yesterday"));
  CHECK(tk::parse_duration("6h") == 21600);
  CHECK(tk::parse_duration("30m") == 1800);
  CHECK(tk::parse_duration(90) == 90);
  CHECK_FALSE(tk::parse_duration("soon"));
}

TEST_CASE("messages in time order, owner lines with - and others with >") {
  std::vector<tk::message> thread = {
      msg("Bob", "and you?", "2026-01-01T10:01:00Z"),
      msg("Me", "hi Bob\nhow are you", "2026-01-01T10:00:00Z", true),
      msg("Bob", "fine", "2026-01-01T10:00:30Z"),
      msg("Me", "great", "2026-01-01T10:02:00Z", true),
  };
  std::size_t left_out = 0;
  const auto out = tk::thread_to_dialogs(thread, "t1", {}, left_out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].text == "- hi Bob\n- how are you\n> fine\n> and you?\n- great");
  CHECK(out[0].meta["turns"] == 3);
  CHECK(out[0].meta["created"] == "2026-01-01T10:00:00Z");
  CHECK(out[0].meta["label"] == "chat");
  CHECK(out[0].meta["kind"] == "dialog");
}

TEST_CASE("a silence longer than gap, or max_turns, starts a new record") {
  std::vector<tk::message> thread = {
      msg("Me", "morning", "2026-01-01T08:00:00Z", true), msg("Ann", "hey", "2026-01-01T08:01:00Z"),
      msg("Me", "evening", "2026-01-01T20:00:00Z", true), msg("Ann", "yo", "2026-01-01T20:01:00Z"),
      msg("Me", "bye", "2026-01-01T20:02:00Z", true),
  };
  std::size_t left_out = 0;
  CHECK(tk::thread_to_dialogs(thread, "t", {}, left_out).size() == 2);
  tk::dialog_settings two_turns;
  two_turns.max_turns = 2;
  two_turns.gap_seconds = 0;
  const auto out = tk::thread_to_dialogs(thread, "t", two_turns, left_out);
  REQUIRE(out.size() == 3);
  CHECK(out[2].text == "- bye");
}

TEST_CASE("dialogs without the owner are left out unless asked; speaker names") {
  std::vector<tk::message> thread = {msg("Ann", "hello", "2026-01-01T08:00:00Z"),
                                     msg("Bob", "hi Ann", "2026-01-01T08:01:00Z")};
  std::size_t left_out = 0;
  CHECK(tk::thread_to_dialogs(thread, "t", {}, left_out).empty());
  CHECK(left_out == 1);
  tk::dialog_settings names;
  names.require_owner = false;
  names.names = true;
  const auto out = tk::thread_to_dialogs(thread, "t", names, left_out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].text == "Ann: hello\nBob: hi Ann");
  std::vector<tk::message> two_lines = {msg("Ann", "one\ntwo", "2026-01-01T08:00:00Z")};
  CHECK(tk::thread_to_dialogs(two_lines, "t", names, left_out)[0].text == "Ann: one\nAnn: two");
}
