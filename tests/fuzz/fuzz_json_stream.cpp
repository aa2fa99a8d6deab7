// Fuzzes import's streaming JSON seven ways on the same bytes: json_reader on the calling thread,
// json_reader on a second thread (parse_ahead), simdjson parsing the input whole on either
// (parse_whole, json_reader again when it refuses), the same with the file read and parsed
// beforehand (prepare_json, as an importer's walk one file ahead does), and
// nlohmann::json::sax_parse (with the mojibake repair applied after decoding). The first six must
// agree exactly: visits, order,
// failure and its place. nlohmann must visit the same values whenever both accept the input, and
// accept it whenever json_reader does, and the other way round (but see `comparable` below). Any
// difference aborts with both on stderr. The first byte picks the options and the chunk size.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <algorithm>
#include <cstring>
#include <memory>

#include "json_stream.h"

namespace {

using textkit::json;
using namespace textkit::import;

// The input handed out `chunk` bytes at a time, to cross the reader's buffer boundaries.
class chunked_stream final : public byte_stream {
 public:
  chunked_stream(std::string_view text, std::size_t chunk) : text_(text), chunk_(chunk) {}
  std::size_t read(char* buffer, std::size_t size) override {
    const std::size_t count = std::min({size, chunk_, text_.size() - at_});
    std::memcpy(buffer, text_.data() + at_, count);
    at_ += count;
    return count;
  }

 private:
  std::string_view text_;
  std::size_t chunk_;
  std::size_t at_ = 0;
};

struct outcome {
  std::vector<std::string> paths;
  std::vector<json> values;
  std::vector<bool> elements;
  bool ok = false;
  json_failure failure;
};

// With `prepared`, the input is first read (and parsed) by prepare_json, as an importer's walk
// one file ahead does, and stream_json reads the prepared file's stream.
outcome run(std::string_view input, json_stream_options options, std::size_t chunk,
            bool prepared = false) {
  outcome out;
  chunked_stream in(input, chunk);
  const auto visit = [&](std::string_view path, json&& value, bool element) {
    out.paths.emplace_back(path);
    out.values.push_back(std::move(value));
    out.elements.push_back(element);
  };
  if (!prepared) {
    out.ok = stream_json(in, options, visit, out.failure);
    return out;
  }
  const std::shared_ptr<prepared_json> file = prepare_json(in, options.repair_latin1_mojibake);
  const std::unique_ptr<byte_stream> bytes = prepared_stream(file, &in);
  out.ok = stream_json(*bytes, options, visit, out.failure, 1, nullptr, file);
  return out;
}

[[noreturn]] void differ(const char* what, std::string_view input, const outcome& a,
                         const outcome& b) {
  std::fprintf(stderr, "%s\ninput: [%.*s]\n", what, static_cast<int>(input.size()), input.data());
  for (const outcome* o : {&a, &b}) {
    std::fprintf(stderr, "ok %d, %zu visits, failure %llu:%llu %s\n", o->ok ? 1 : 0,
                 o->values.size(), static_cast<unsigned long long>(o->failure.line),
                 static_cast<unsigned long long>(o->failure.column), o->failure.message.c_str());
  }
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t flags = data[0];
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  json_stream_options options;
  options.repair_latin1_mojibake = (flags & 1U) != 0;
  options.allow_trailing = (flags & 2U) != 0;
  options.stream_depth = (flags >> 2) & 3U;
  if ((flags & 16U) != 0) options.skip_keys = {"reactions", "a"};
  const std::size_t chunk = (flags & 32U) != 0 ? 5 : 4096;

  const auto same = [](const outcome& a, const outcome& b) {
    return a.ok == b.ok && a.paths == b.paths && a.values == b.values && a.elements == b.elements &&
           a.failure.line == b.failure.line && a.failure.column == b.failure.column &&
           a.failure.message == b.failure.message;
  };
  options.parse_whole = false;
  const outcome serial = run(input, options, chunk);
  options.parse_ahead = true;
  const outcome ahead = run(input, options, chunk);
  if (!same(serial, ahead)) {
    differ("json_reader on one thread and parsing ahead differ", input, serial, ahead);
  }
  // Parsed whole by simdjson (json_reader again when simdjson refuses), on this thread and ahead.
  options.parse_whole = true;
  options.parse_ahead = false;
  const outcome whole = run(input, options, chunk);
  if (!same(serial, whole)) differ("streamed and parsed whole differ", input, serial, whole);
  options.parse_ahead = true;
  const outcome whole_ahead = run(input, options, chunk);
  if (!same(serial, whole_ahead)) {
    differ("streamed and parsed whole ahead differ", input, serial, whole_ahead);
  }
  // Read and parsed one file ahead (importer::walk_export), then visited on either thread.
  const outcome prepared_ahead = run(input, options, chunk, true);
  if (!same(serial, prepared_ahead)) {
    differ("streamed and prepared ahead differ", input, serial, prepared_ahead);
  }
  options.parse_ahead = false;
  const outcome prepared = run(input, options, chunk, true);
  if (!same(serial, prepared)) differ("streamed and prepared differ", input, serial, prepared);
  options.parse_whole = false;
  options.use_nlohmann = true;
  const outcome reference = run(input, options, chunk);
  // Where acceptance is not compared: json_reader's own bounds; trailing text allowed (a
  // JavaScript file), where nlohmann's parser may stop inside a token json_reader reads whole
  // ("00": 0, then junk); a NUL byte, which nlohmann takes for the end of the input.
  const bool comparable = serial.failure.message.rfind("refused", 0) != 0 &&
                          !options.allow_trailing && input.find('\0') == std::string_view::npos;
  if (comparable && serial.ok && !reference.ok) {
    differ("json_reader accepts what nlohmann refuses", input, serial, reference);
  }
  if (comparable && !serial.ok && reference.ok) {
    differ("json_reader refuses what nlohmann accepts", input, serial, reference);
  }
  if (serial.ok && reference.ok &&
      (serial.paths != reference.paths || serial.values != reference.values)) {
    differ("json_reader and nlohmann visit different values", input, serial, reference);
  }
  return 0;
}
