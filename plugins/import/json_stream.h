// textkit import plugins - streaming JSON: a file of any size is read with a SAX parser
// (json_reader.h; nlohmann::json::sax_parse on request), and only its records (array elements) are
// built as values, one at a time, so memory stays flat on a 2 GB messages file.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "export_archive.h"
#include "textkit/plugin.h"
#include "textkit/record.h"

namespace simdjson::dom {
class element;
}

namespace textkit::import {

/// One record (an element of a streamed array, or a value built whole) is refused past this many
/// bytes of JSON: it is built in memory, where small JSON values take ten times their text.
inline constexpr std::uint64_t json_max_record = std::uint64_t{16} << 20;

/// Files up to this size are read whole and parsed with simdjson (json_stream_options::
/// parse_whole); larger ones are streamed. A Messenger file of 10,000 messages is a few MB. The
/// bound keeps memory low whatever the file holds: simdjson's index and tape take up to about 12
/// times a file of small numbers (one record of a 4 MiB "[1,1,1...]" peaks at 126 MB all told,
/// as streaming one of 5 MiB does). Below json_max_record and json_max_string, so no file parsed
/// whole can hold a record or a string streaming refuses.
inline constexpr std::size_t json_whole_limit = std::size_t{4} << 20;

/// One value found while streaming. `path` is the chain of object keys from the root, as a JSON
/// pointer ("/messages", "/response/posts", "" for the root); `element` says whether `value` is
/// one element of the array at `path` (a record candidate) or the whole value of the member at
/// `path` (a scalar or a small object deeper than the streamed levels).
using json_visitor = std::function<void(std::string_view path, json&& value, bool element)>;

/// Reads records of a file parsed whole (json_stream_options::parse_whole) straight from
/// simdjson's document into records, without building them as json: for the records that make
/// up most of an export (Messenger's messages), where building each as json costs more than all
/// the rest. `takes` says whether a record is one `read` handles. A record taken is given to
/// `read` in its turn instead of being built and visited; every other record, and every record
/// of a streamed file, goes to the visitor as usual, so `read` must make what the visitor would
/// make of the same record built. Only array elements are offered. Strings in the document are
/// as the visitor's values have them: repaired already when json_stream_options::
/// repair_latin1_mojibake asks for it.
///
/// Parsing ahead, `takes` runs on the parsing thread, and `read` on whichever thread has time:
/// both must touch nothing but the record and what they only read. `read` emits to the emitter
/// it is given; records it made on the parsing thread reach `out` in their turn, on the calling
/// thread, between the visits of the values around them.
struct json_record_reader {
  std::function<bool(std::string_view path, const simdjson::dom::element& record)> takes;
  std::function<void(std::string_view path, const simdjson::dom::element& record, emitter& to)>
      read;
  emitter* out = nullptr;
};

struct json_stream_options {
  /// Objects down to this depth are descended into and not built: their scalar members are
  /// visited one by one, their arrays element by element. 0 builds the root as one value.
  int stream_depth = 3;
  /// Members with these keys, directly inside an element, are skipped without being built (a
  /// message's "reactions"): less work, same result. A few keys, looked through in order.
  std::vector<std::string> skip_keys;
  /// The input is JavaScript ("window.YTD.tweets.part0 = [...]", "var x = {...};"): whatever
  /// follows the value is ignored.
  bool allow_trailing = false;
  /// Repair Facebook's mojibake (common::repair_latin1_mojibake_in_place) in every string value
  /// as it is read; done inside the reader, this costs less than decoding and repairing apart.
  bool repair_latin1_mojibake = false;
  /// Parse on a second thread while the caller visits: the same visits in the same order, the
  /// same failure. With parse_whole, the records (array elements) are built (or read by a
  /// json_record_reader) on whichever of the two threads has time. Worth it for files of a megabyte
  /// or more (a thread is started per file).
  bool parse_ahead = false;
  /// Read a file of up to json_whole_limit bytes whole and parse it with simdjson, then visit
  /// the same values in the same order as streaming would, built straight from simdjson's
  /// document (import.facebook -> write.txt over a 10,000-message file: 154 M instructions
  /// streamed, 122 M parsed whole). Input simdjson refuses is parsed again by the streaming
  /// reader, so failures and their places are the same.
  bool parse_whole = true;
  /// Parse with nlohmann::json::sax_parse instead of json_reader (the same handler, the same
  /// visits; several times slower). The tests compare the two.
  bool use_nlohmann = false;
};

/// A JSON syntax error (or invalid UTF-8 inside a string), with its place.
struct json_failure {
  std::uint64_t line = 0;
  std::uint64_t column = 0;
  std::string message;
};

/// Streams `in` through `visit`. False with `failure` filled when the JSON is broken (records
/// visited before the break have been visited). Exceptions from `visit` pass through.
/// `first_line` is the line the stream starts on (after a skipped JavaScript prefix).
/// A file read (up to json_whole_limit bytes) and parsed by simdjson ahead of its turn, on
/// another thread, as stream_json would have read and parsed it (see prepare_json).
struct prepared_json;

/// Reads `in` as stream_json reads a file it may parse whole: up to json_whole_limit + 1
/// bytes (or the file mapped: byte_stream::map_whole), parsed by simdjson when that is the whole
/// file, with its strings repaired first when `repair_latin1_mojibake` (as stream_json's options
/// will say: a file prepared otherwise is parsed again). A read failure is kept, to come out of
/// prepared_stream() where it happened.
/// With `parse_later`, only what needs `in` is done (the reading or mapping): the parse is left
/// to parse_prepared(), which may run on any thread once `in` is gone, and must have run before
/// the file is used.
std::shared_ptr<prepared_json> prepare_json(byte_stream& in, bool repair_latin1_mojibake,
                                            bool parse_later = false);

/// Whether a file prepare_json read with parse_later still waits for parse_prepared().
bool parse_pending(const prepared_json& prepared);
/// Parses a file prepare_json read with parse_later; nothing when there is nothing to parse.
void parse_prepared(prepared_json& prepared);

/// Whether prepare_json read the whole file (or failed reading it): nothing more is read from its
/// stream, which the walk may move past.
bool prepared_whole(const prepared_json& prepared);

/// The prepared file's bytes as a stream: what was read ahead, then the rest of `rest` (the file
/// being longer than json_whole_limit; `rest` must be the stream prepare_json read from), or
/// the read failure.
std::unique_ptr<byte_stream> prepared_stream(const std::shared_ptr<prepared_json>& prepared,
                                             byte_stream* rest);

/// With `reader`, records of a file parsed whole that reader.takes are read by it instead
/// (json_record_reader). With `prepared` (the same file, prepare_json'd), a file stream_json
/// would parse whole is not read nor parsed again: `in` then only serves to stream a file
/// simdjson refused.
bool stream_json(byte_stream& in, const json_stream_options& options, const json_visitor& visit,
                 json_failure& failure, std::uint64_t first_line = 1,
                 const json_record_reader* reader = nullptr,
                 const std::shared_ptr<prepared_json>& prepared = nullptr);

/// The first character of `head` that is not whitespace (or a UTF-8 byte order mark), or 0.
char first_json_char(std::string_view head);

/// For "window.YTD.tweets.part0 = [" and "var tumblr_api_read = {": the offset just past the
/// '=' of a JavaScript assignment at the start of `head`, or npos when `head` is not one.
std::size_t javascript_prefix_length(std::string_view head);

/// A string member of `object`, or empty.
std::string_view string_at(const json& object, std::string_view key);
/// An integer member (a JSON integer or a string of digits), or `fallback`. Never goes through a
/// double, so IDs past 2^53 survive.
std::int64_t integer_at(const json& object, std::string_view key, std::int64_t fallback = 0);
/// The same for a value already found.
std::int64_t integer_of(const json& value, std::int64_t fallback = 0);
/// The same for a value of simdjson's document (json_record_reader): the same number as
/// integer_of gives for the value built from it.
std::int64_t integer_of(const simdjson::dom::element& value, std::int64_t fallback = 0);
/// An ID member (integer or string) as a string of digits, exact; empty when absent.
std::string id_at(const json& object, std::string_view key);
/// A member, or a null value.
const json& member(const json& object, std::string_view key);

}  // namespace textkit::import
