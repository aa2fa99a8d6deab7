#include "json_stream.h"

#include "json_reader.h"
#include "textkit_common/mojibake.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <istream>
#include <memory>
#include <mutex>
#include <streambuf>
#include <thread>
#include <vector>

namespace textkit::import {
namespace {

// Pulls bytes from a byte_stream in large blocks for nlohmann's stream adapter, which reads one
// character at a time with sbumpc() (inline while the block lasts).
class stream_buffer final : public std::streambuf {
 public:
  explicit stream_buffer(byte_stream& in) : in_(in), buffer_(std::size_t{1} << 18) {}

 protected:
  int_type underflow() override {
    const std::size_t got = in_.read(buffer_.data(), buffer_.size());
    if (got == 0) return traits_type::eof();
    setg(buffer_.data(), buffer_.data(), buffer_.data() + got);
    return traits_type::to_int_type(buffer_[0]);
  }

 private:
  byte_stream& in_;
  std::vector<char> buffer_;
};

// nlohmann's SAX interface, building only what the importers look at (see json_stream.h).
class element_handler final : public json_reader_handler {
 public:
  element_handler(const json_stream_options& options, const json_visitor& visit)
      : options_(options), visit_(visit) {}

  bool null() override { return scalar(json(nullptr)); }
  bool boolean(bool value) override { return scalar(json(value)); }
  bool number_integer(json::number_integer_t value) override { return scalar(json(value)); }
  bool number_unsigned(json::number_unsigned_t value) override { return scalar(json(value)); }
  bool number_float(json::number_float_t value, const std::string&) override {
    return scalar(json(value));
  }
  bool string(std::string& value) override {
    // json_reader repairs as it reads; nlohmann's parser does not.
    if (options_.repair_latin1_mojibake && options_.use_nlohmann) {
      common::repair_latin1_mojibake_in_place(value);
    }
    return scalar(json(std::move(value)));
  }
  bool binary(json::binary_t&) { return true; }

  bool start_object(std::size_t) override { return open(true); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }

  /// Where the input is (bytes read), to bound a record being built; none with nlohmann.
  void measure_with(const json_reader* reader) { reader_ = reader; }
  /// Why the handler stopped the parse, or empty.
  [[nodiscard]] const std::string& refusal() const { return refusal_; }

  bool key(std::string& name) override {
    if (skipping_ > 0) return true;
    if (!building_.empty()) {
      // Inside an element: a key of the element itself may be one to skip.
      if (building_.size() == 1 && std::find(options_.skip_keys.begin(), options_.skip_keys.end(),
                                             name) != options_.skip_keys.end()) {
        skip_next_ = true;
        return true;
      }
      key_ = std::move(name);
      return true;
    }
    chain_.back().key = std::move(name);
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& failure) {
    message_ = failure.what();
    return false;
  }

  [[nodiscard]] const std::string& message() const { return message_; }

 private:
  struct level {
    bool is_object = true;
    std::string path;  // the pointer of this container
    std::string key;   // for an object: the member being read
  };

  // The pointer of the member (or, in an array, of the array) being read at the innermost level.
  [[nodiscard]] std::string member_path() const {
    const level& top = chain_.back();
    if (!top.is_object) return top.path;
    return top.path + "/" + top.key;
  }

  // A record larger than json_max_record is refused (checked as it grows).
  bool record_within_bound() {
    if (reader_ == nullptr || reader_->position() - record_start_ <= json_max_record) return true;
    refusal_ =
        "refused: a record larger than " + std::to_string(json_max_record >> 20) + " MiB of JSON";
    return false;
  }

  bool scalar(json&& value) {
    if (skipping_ > 0) return true;
    if (skip_next_) {
      skip_next_ = false;
      return true;
    }
    if (!building_.empty()) {
      insert(std::move(value));
      return record_within_bound();
    }
    if (chain_.empty()) {  // a scalar document
      visit_("", std::move(value), false);
      return true;
    }
    visit_(member_path(), std::move(value), !chain_.back().is_object);
    return true;
  }

  bool open(bool is_object) {
    if (skipping_ > 0) {
      ++skipping_;
      return true;
    }
    if (skip_next_) {
      skip_next_ = false;
      skipping_ = 1;
      return true;
    }
    if (!building_.empty()) {
      insert(is_object ? json::object() : json::array());
      return record_within_bound();
    }
    const int depth = static_cast<int>(chain_.size());
    const bool parent_is_array = !chain_.empty() && !chain_.back().is_object;
    // Elements of a streamed array are records: build each whole. So is anything too deep.
    if (parent_is_array || depth >= options_.stream_depth) {
      root_ = is_object ? json::object() : json::array();
      building_.push_back(&root_);
      record_start_ = reader_ != nullptr ? reader_->position() : 0;
      build_path_ = chain_.empty() ? std::string() : member_path();
      build_is_element_ = parent_is_array;
      return true;
    }
    std::string path = chain_.empty() ? std::string() : member_path();
    chain_.push_back(level{is_object, std::move(path), {}});
    return true;
  }

  bool close() {
    if (skipping_ > 0) {
      --skipping_;
      return true;
    }
    if (!building_.empty()) {
      if (!record_within_bound()) return false;
      building_.pop_back();
      if (building_.empty()) visit_(build_path_, std::move(root_), build_is_element_);
      return true;
    }
    chain_.pop_back();
    return true;
  }

  void insert(json&& value) {
    json& parent = *building_.back();
    const bool container = value.is_structured();
    json* slot = nullptr;
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      slot = &parent.back();
    } else {
      // A key seen twice keeps its last value, as nlohmann's parser does.
      auto& object = parent.get_ref<json::object_t&>();
      auto [at, inserted] = object.try_emplace(std::move(key_), std::move(value));
      if (!inserted) at->second = std::move(value);
      slot = &at->second;
    }
    if (container) building_.push_back(slot);
  }

  const json_stream_options& options_;
  const json_visitor& visit_;
  std::vector<level> chain_;
  std::vector<json*> building_;
  json root_;
  std::string build_path_;
  bool build_is_element_ = false;
  std::string key_;
  bool skip_next_ = false;
  int skipping_ = 0;
  std::string message_;
  const json_reader* reader_ = nullptr;
  std::uint64_t record_start_ = 0;
  std::string refusal_;
};

// "[json.exception.parse_error.101] parse error at line 3, column 17: syntax error while parsing
// value - unexpected end of input; expected ..." -> "unexpected end of input; expected ...",
// with the place taken from the message.
json_failure to_failure(const std::string& what, std::uint64_t first_line) {
  json_failure failure;
  std::string_view text = what;
  const std::size_t at_line = text.find("at line ");
  if (at_line != std::string_view::npos) {
    failure.line = std::stoull(std::string(text.substr(at_line + 8)));
    const std::size_t column = text.find("column ", at_line);
    if (column != std::string_view::npos) {
      failure.column = std::stoull(std::string(text.substr(column + 7)));
    }
  }
  if (failure.line > 0) failure.line += first_line - 1;
  const std::size_t colon = text.find(": ", at_line == std::string_view::npos ? 0 : at_line);
  if (colon != std::string_view::npos) text.remove_prefix(colon + 2);
  const std::size_t dash = text.find(" - ");
  if (text.substr(0, 6) == "syntax" && dash != std::string_view::npos) text.remove_prefix(dash + 3);
  failure.message = std::string(text);
  // "; last read: '<the bytes>'" repeats the input, possibly invalid UTF-8: the place says it.
  if (const std::size_t last = failure.message.find("; last read: '"); last != std::string::npos) {
    const std::size_t expected = failure.message.find("'; expected ", last);
    const std::size_t end =
        expected != std::string::npos ? expected + 1 : failure.message.rfind('\'');
    failure.message.erase(
        last, end == std::string::npos || end < last ? std::string::npos : end + 1 - last);
  }
  if (failure.message.find("ill-formed UTF-8") != std::string::npos ||
      failure.message.find("invalid string: ill-formed") != std::string::npos) {
    failure.message = "invalid UTF-8 (" + failure.message + ")";
  }
  return failure;
}

}  // namespace

namespace {

// A byte_stream over bytes already read, then the rest of another stream, or the exception that
// reading it threw.
class prefixed_stream final : public byte_stream {
 public:
  prefixed_stream(std::string_view prefix, byte_stream* rest, std::exception_ptr failed = nullptr)
      : prefix_(prefix), rest_(rest), failed_(std::move(failed)) {}
  std::size_t read(char* buffer, std::size_t size) override {
    if (!prefix_.empty()) {
      const std::size_t n = std::min(size, prefix_.size());
      std::memcpy(buffer, prefix_.data(), n);
      prefix_.remove_prefix(n);
      return n;
    }
    if (failed_) std::rethrow_exception(failed_);
    return rest_ != nullptr ? rest_->read(buffer, size) : 0;
  }

 private:
  std::string_view prefix_;
  byte_stream* rest_;
  std::exception_ptr failed_;
};

// Whether `text` may hold the number -0, which json_reader (as nlohmann) reads as a signed
// integer and simdjson as 0 alike: such a file is streamed. A "-0" inside a string only costs
// the speed.
bool may_hold_minus_zero(std::string_view text) {
  for (std::size_t at = text.find("-0"); at != std::string_view::npos;
       at = text.find("-0", at + 2)) {
    const char next = at + 2 < text.size() ? text[at + 2] : ' ';
    if (!(next >= '0' && next <= '9') && next != '.' && next != 'e' && next != 'E') return true;
  }
  return false;
}

// What parsing a file whole takes: the file's bytes and simdjson's parser, kept between files
// (a parser's buffers are as large as the largest file it parsed) and shared by the threads.
struct whole_parse {
  static constexpr std::size_t capacity = json_whole_limit + 1 + simdjson::SIMDJSON_PADDING;
  // Not zeroed: only the pages a file fills are ever touched.
  std::unique_ptr<char[]> bytes{new char[capacity]};
  // The file with its strings repaired (copy_repairing_json_strings), made when first needed.
  std::unique_ptr<char[]> repaired;
  simdjson::dom::parser parser{json_whole_limit};
  whole_parse() {
    // Nested as deep as json_reader allows, and no deeper.
    if (parser.allocate(0, json_max_depth) != simdjson::SUCCESS) throw std::bad_alloc();
  }
};

class whole_parse_pool {
 public:
  std::unique_ptr<whole_parse> take() {
    std::lock_guard lock(mutex_);
    if (free_.empty()) return std::make_unique<whole_parse>();
    auto taken = std::move(free_.back());
    free_.pop_back();
    return taken;
  }
  void give_back(std::unique_ptr<whole_parse> done) {
    std::lock_guard lock(mutex_);
    // One is in use at a time per running importer; a parser whose document was large keeps that
    // memory (see json_whole_limit), so few are kept.
    if (free_.size() < 2) free_.push_back(std::move(done));
  }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<whole_parse>> free_;
};

whole_parse_pool& pool() {
  static whole_parse_pool instance;
  return instance;
}

// A whole_parse that goes back to the pool when let go.
struct whole_parse_return {
  void operator()(whole_parse* done) const { pool().give_back(std::unique_ptr<whole_parse>(done)); }
};
using whole_parse_holder = std::unique_ptr<whole_parse, whole_parse_return>;

}  // namespace

struct prepared_json {
  whole_parse_holder held{pool().take().release()};
  std::shared_ptr<const mapped_bytes> mapped;  // the file, when mapped instead of read
  std::size_t length = 0;                      // bytes in mapped or else in held->bytes
  bool whole = false;                          // the file ended within json_whole_limit bytes
  std::exception_ptr failed;                   // reading failed after `length` bytes
  bool parsed = false;         // simdjson parsed the whole file: `root` is its document
  bool repaired = false;       // the document's strings are repaired (repair_latin1_mojibake)
  bool parse_pending = false;  // read whole, to be parsed by parse_prepared (with repair_asked)
  bool repair_asked = false;
  simdjson::dom::element root;

  [[nodiscard]] const char* bytes() const {
    return mapped != nullptr ? mapped->bytes().data() : held->bytes.get();
  }
  // Parses the file's `length` bytes (followed by simdjson's padding), its strings first repaired
  // with `repair`: simdjson then reads them without the escapes, and nothing repairs them after.
  void parse(bool repair) {
    const std::string_view text(bytes(), length);
    if (may_hold_minus_zero(text)) return;
    repaired = repair;
    if (!repair) {
      parsed = held->parser.parse(text.data(), text.size(), false).get(root) == simdjson::SUCCESS;
      return;
    }
    if (held->repaired == nullptr) held->repaired.reset(new char[whole_parse::capacity]);
    char* const copy = held->repaired.get();
    // Repaired first without checking that each string's bytes spell UTF-8: simdjson checks the
    // whole text anyway, and only when it finds something that is not is the text copied again
    // with the check (a string that is not the damage after all, or a file not UTF-8).
    simdjson::error_code outcome =
        held->parser.parse(copy, copy_repairing_json_strings(text, copy, false), false).get(root);
    if (outcome == simdjson::UTF8_ERROR) {
      outcome =
          held->parser.parse(copy, copy_repairing_json_strings(text, copy, true), false).get(root);
    }
    parsed = outcome == simdjson::SUCCESS;
  }
};

std::shared_ptr<prepared_json> prepare_json(byte_stream& in, bool repair_latin1_mojibake,
                                            bool parse_later) {
  auto file = std::make_shared<prepared_json>();
  const auto parse = [&] {
    if (parse_later) {
      file->parse_pending = true;
      file->repair_asked = repair_latin1_mojibake;
    } else {
      file->parse(repair_latin1_mojibake);
    }
  };
  // A file of a folder is mapped rather than read: no copy of its bytes.
  file->mapped = in.map_whole(json_whole_limit, simdjson::SIMDJSON_PADDING);
  if (file->mapped != nullptr) {
    file->length = file->mapped->bytes().size();
    file->whole = true;
    parse();
    return file;
  }
  char* bytes = file->held->bytes.get();
  // Read up to one byte past the limit: whether the file fits is known without its size.
  try {
    while (file->length <= json_whole_limit) {
      const std::size_t got = in.read(bytes + file->length, json_whole_limit + 1 - file->length);
      if (got == 0) break;
      file->length += got;
    }
  } catch (...) {
    file->failed = std::current_exception();
    return file;
  }
  if (file->length > json_whole_limit) return file;
  file->whole = true;
  parse();
  return file;
}

bool parse_pending(const prepared_json& prepared) { return prepared.parse_pending; }

void parse_prepared(prepared_json& prepared) {
  if (!prepared.parse_pending) return;
  prepared.parse(prepared.repair_asked);
  prepared.parse_pending = false;
}

bool prepared_whole(const prepared_json& prepared) {
  return prepared.whole || prepared.failed != nullptr;
}

std::unique_ptr<byte_stream> prepared_stream(const std::shared_ptr<prepared_json>& prepared,
                                             byte_stream* rest) {
  // The stream keeps the file (and its bytes) alive.
  class stream final : public byte_stream {
   public:
    stream(std::shared_ptr<prepared_json> file, byte_stream* rest)
        : file_(std::move(file)),
          bytes_(std::string_view(file_->bytes(), file_->length),
                 file_->whole || file_->failed ? nullptr : rest, file_->failed) {}
    std::size_t read(char* buffer, std::size_t size) override { return bytes_.read(buffer, size); }

   private:
    std::shared_ptr<prepared_json> file_;
    prefixed_stream bytes_;
  };
  return std::make_unique<stream>(prepared, rest);
}

namespace {

// A value of simdjson's parsed document as json: the value element_handler builds from the same
// text (non-negative integers unsigned, a key twice keeping its last value, strings repaired as
// json_reader repairs them, `skip_keys` dropped from the element's own members).
json build_value(simdjson::dom::element element, const json_stream_options& options, bool top) {
  using type = simdjson::dom::element_type;
  switch (element.type()) {
    case type::OBJECT: {
      json out = json::object();
      auto& members = out.get_ref<json::object_t&>();
      const simdjson::dom::object object = element.get_object().value_unsafe();
      for (const simdjson::dom::key_value_pair field : object) {
        if (top && std::find(options.skip_keys.begin(), options.skip_keys.end(), field.key) !=
                       options.skip_keys.end()) {
          continue;
        }
        json value = build_value(field.value, options, false);
        auto [at, inserted] = members.try_emplace(std::string(field.key), std::move(value));
        if (!inserted) at->second = std::move(value);  // try_emplace left it alone
      }
      return out;
    }
    case type::ARRAY: {
      json out = json::array();
      auto& items = out.get_ref<json::array_t&>();
      const simdjson::dom::array array = element.get_array().value_unsafe();
      items.reserve(array.size());  // exact below 2^24 elements, where the tape counts them
      for (const simdjson::dom::element item : array) {
        items.push_back(build_value(item, options, false));
      }
      return out;
    }
    case type::STRING:  // repaired already, when asked (prepared_json::parse)
      return json(std::string(element.get_string().value_unsafe()));
    case type::INT64: {
      const std::int64_t number = element.get_int64().value_unsafe();
      return number >= 0 ? json(static_cast<std::uint64_t>(number)) : json(number);
    }
    case type::UINT64:
      return json(element.get_uint64().value_unsafe());
    case type::DOUBLE:
      return json(element.get_double().value_unsafe());
    case type::BOOL:
      return json(element.get_bool().value_unsafe());
    case type::NULL_VALUE:
      break;
  }
  return json(nullptr);
}

// Where parse_input's visits go: values built, or, from a document parsed whole, records left
// to build (which parsing ahead may have the visiting thread build).
class whole_target {
 public:
  virtual ~whole_target() = default;
  virtual void built(std::string_view path, json&& value, bool element) = 0;
  virtual void record(std::string_view path, simdjson::dom::element value, bool element) = 0;
};

// The visits element_handler makes for the same text: objects above stream_depth descended into,
// their scalars visited one by one; arrays' elements, and containers at stream_depth, as records.
class document_walk {
 public:
  document_walk(const json_stream_options& options, whole_target& target)
      : options_(options), target_(target) {}

  void walk(simdjson::dom::element value, const std::string& path, int depth, bool in_array) {
    const bool container = value.is_object() || value.is_array();
    if (!container) {
      target_.built(path, build_value(value, options_, false), in_array);
    } else if (in_array || depth >= options_.stream_depth) {
      target_.record(path, value, in_array);
    } else if (value.is_object()) {
      std::string member;
      const simdjson::dom::object object = value.get_object().value_unsafe();
      for (const simdjson::dom::key_value_pair field : object) {
        member.assign(path).append("/").append(field.key);
        walk(field.value, member, depth + 1, false);
      }
    } else {
      const simdjson::dom::array array = value.get_array().value_unsafe();
      for (const simdjson::dom::element item : array) {
        walk(item, path, depth + 1, true);
      }
    }
  }

 private:
  const json_stream_options& options_;
  whole_target& target_;
};

// Whether `reader` takes the record `value` (an array element) instead of the visitor.
bool taken_by(const json_record_reader* reader, std::string_view path,
              const simdjson::dom::element& value, bool element) {
  return reader != nullptr && element && reader->takes && reader->takes(path, value);
}

// The serial target: everything built and visited at once (or read by `reader`).
class visiting_target final : public whole_target {
 public:
  visiting_target(const json_stream_options& options, const json_visitor& visit,
                  const json_record_reader* reader)
      : options_(options), visit_(visit), reader_(reader) {}
  void built(std::string_view path, json&& value, bool element) override {
    visit_(path, std::move(value), element);
  }
  void record(std::string_view path, simdjson::dom::element value, bool element) override {
    if (taken_by(reader_, path, value, element)) {
      reader_->read(path, value, *reader_->out);
    } else {
      visit_(path, build_value(value, options_, true), element);
    }
  }

 private:
  const json_stream_options& options_;
  const json_visitor& visit_;
  const json_record_reader* reader_;
};

// json_reader driving an element_handler over `in`. `where`, when given, is pointed at the reader
// while it parses.
bool parse_streaming(byte_stream& in, const json_stream_options& options, const json_visitor& visit,
                     json_failure& failure, std::uint64_t first_line, const json_reader** where) {
  element_handler handler(options, visit);
  json_reader reader(in);
  if (where != nullptr) *where = &reader;
  reader.repair_latin1_mojibake(options.repair_latin1_mojibake);
  handler.measure_with(&reader);
  json_syntax_error error;
  if (reader.parse(handler, options.allow_trailing, error)) return true;
  failure.line = error.line + first_line - 1;
  failure.column = error.column;
  failure.message = handler.refusal().empty() ? std::move(error.message) : handler.refusal();
  return false;
}

// The serial path, and the parsing thread's work: the visits go to `target`. A file of up to
// json_whole_limit bytes is read whole and parsed by simdjson, faster than json_reader (see
// json_stream_options::parse_whole); when simdjson refuses it (broken JSON, invalid UTF-8, a
// number past 64 bits, a byte order mark) json_reader parses the same bytes again, so a failure is
// json_reader's, with its place, and nothing was visited before. Larger files, and JavaScript
// (allow_trailing), are streamed by json_reader: memory stays flat whatever the file's size. A
// file that fails to read is streamed up to the failure. `where`, when given, is pointed at the
// reader while it streams; `keep`, when given, holds on to a document parsed whole (the records
// `target` was handed unbuilt live in it).
bool parse_input(byte_stream& in, const json_stream_options& options, whole_target& target,
                 json_failure& failure, std::uint64_t first_line,
                 const json_reader** where = nullptr,
                 std::shared_ptr<prepared_json>* keep = nullptr,
                 const std::shared_ptr<prepared_json>& prepared = nullptr) {
  const json_visitor visit = [&](std::string_view path, json&& value, bool element) {
    target.built(path, std::move(value), element);
  };
  if (options.allow_trailing || !options.parse_whole) {
    return parse_streaming(in, options, visit, failure, first_line, where);
  }
  if (prepared != nullptr && !prepared->parsed) {
    // `in` holds the same bytes (prepared_stream): json_reader parses them.
    return parse_streaming(in, options, visit, failure, first_line, where);
  }
  std::shared_ptr<prepared_json> file = prepared;
  if (file == nullptr || (file->parsed && file->repaired != options.repair_latin1_mojibake)) {
    // Not read yet, or parsed ahead with the other choice of repair: `in` holds the bytes.
    file = prepare_json(in, options.repair_latin1_mojibake);
  }
  if (!file->parsed) {
    // A damaged entry (what was read is visited first, then the failure comes, as streaming),
    // a file past json_whole_limit, or one simdjson refuses: json_reader parses it.
    const std::unique_ptr<byte_stream> again = prepared_stream(file, &in);
    return parse_streaming(*again, options, visit, failure, first_line, where);
  }
  document_walk(options, target).walk(file->root, std::string(), 0, false);
  if (keep != nullptr) *keep = std::move(file);
  return true;
}

// Thrown on the parsing thread when the visiting thread has stopped (its visitor threw).
struct parse_abandoned {};

// stream_json with the parse on a thread of its own: that thread reads, parses, repairs and
// builds the values (and later destroys them); the calling thread visits them, in the same order
// and with the same failure at the end as the serial path. Values travel in batches that go back
// to the parsing thread once visited, so what one thread allocates that thread frees (glibc frees
// memory of another thread's arena slowly), and at most `max_batches` are ever in flight.
class parse_ahead {
 public:
  parse_ahead(byte_stream& in, const json_stream_options& options, std::uint64_t first_line,
              const json_record_reader* reader, std::shared_ptr<prepared_json> prepared)
      : in_(in),
        options_(options),
        first_line_(first_line),
        record_reader_(reader),
        prepared_(std::move(prepared)) {}

  bool run(const json_visitor& visit, json_failure& failure) {
    std::thread parser([this] { parse(); });
    // However the visiting ends, the parser is told and joined before this returns or throws.
    struct joiner {
      parse_ahead& self;
      std::thread& parser;
      ~joiner() {
        {
          std::lock_guard lock(self.mutex_);
          self.abandoned_ = true;
        }
        self.changed_.notify_all();
        parser.join();
      }
    } join_parser{*this, parser};
    for (;;) {
      batch* next = nullptr;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return !full_.empty(); });
        next = full_.front();
        full_.pop_front();
      }
      for (item& visited : next->items) {
        if (visited.taken) {
          record_reader_->read(visited.path, visited.record, *record_reader_->out);
        } else if (visited.read) {
          // Read on the parsing thread: its records, in their turn.
          for (std::size_t i = visited.first_record; i < visited.end_record; ++i) {
            record_reader_->out->emit(std::move(next->records[i]));
          }
        } else if (visited.unbuilt) {
          // Built here, and so freed here.
          visit(visited.path, build_value(visited.record, options_, true), visited.element);
        } else {
          visit(visited.path, std::move(visited.value), visited.element);
        }
      }
      if (next->last) {
        if (next->unexpected) std::rethrow_exception(next->unexpected);
        failure = next->failure;
        return next->ok;
      }
      {
        std::lock_guard lock(mutex_);
        free_.push_back(next);
      }
      changed_.notify_all();
    }
  }

 private:
  struct item {
    std::string path;
    json value;
    bool element = false;
    // A record of a file parsed whole, left for the visiting thread to build, or to give to
    // the json_record_reader that takes it.
    bool unbuilt = false;
    bool taken = false;
    simdjson::dom::element record;
    // A record taken and read on the parsing thread: what it made is in the batch's records.
    bool read = false;
    std::size_t first_record = 0;
    std::size_t end_record = 0;
  };

  // On the parsing thread: where a json_record_reader's records go, into the batch being filled.
  class batch_records final : public emitter {
   public:
    explicit batch_records(parse_ahead& self) : self_(self) {}
    void emit(record&& made) override { self_.current_->records.push_back(std::move(made)); }

   private:
    parse_ahead& self_;
  };

  // The parsing thread's target for a file parsed whole: records are handed over unbuilt while
  // the visiting thread keeps up (it builds them), and built here while it has batches waiting,
  // so both threads stay busy; most of the work is building records.
  class collecting_target final : public whole_target {
   public:
    explicit collecting_target(parse_ahead& self) : self_(self) {}
    void built(std::string_view path, json&& value, bool element) override {
      item next;
      next.path = path;
      next.value = std::move(value);
      next.element = element;
      self_.add(std::move(next));
    }
    void record(std::string_view path, simdjson::dom::element value, bool element) override {
      item next;
      next.path = path;
      next.element = element;
      next.taken = taken_by(self_.record_reader_, path, value, element);
      next.unbuilt = !next.taken;
      next.record = value;
      self_.add(std::move(next));
    }

   private:
    parse_ahead& self_;
  };
  struct batch {
    std::vector<item> items;
    std::vector<record> records;  // made by a json_record_reader on the parsing thread
    bool last = false;
    bool ok = true;
    json_failure failure;
    std::exception_ptr unexpected;
  };
  static constexpr std::size_t max_batches = 3;
  static constexpr std::size_t batch_items = 256;
  static constexpr std::uint64_t batch_bytes = std::uint64_t{512} << 10;

  // On the parsing thread: a batch to fill, the values of its last round destroyed here.
  batch* take_free() {
    batch* taken = nullptr;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return abandoned_ || !free_.empty() || made_ < max_batches; });
      if (abandoned_) throw parse_abandoned{};
      if (!free_.empty()) {
        taken = free_.back();
        free_.pop_back();
      } else {
        batches_[made_] = std::make_unique<batch>();
        taken = batches_[made_++].get();
      }
    }
    taken->items.clear();
    taken->records.clear();
    return taken;
  }

  void hand_over(batch* full) {
    {
      std::lock_guard lock(mutex_);
      full_.push_back(full);
    }
    changed_.notify_all();
  }

  // On the parsing thread: `next` into the batch being filled, which goes when it has enough
  // values or holds batch_bytes of the input.
  void add(item&& next) {
    current_->items.push_back(std::move(next));
    const std::uint64_t position = reader_ != nullptr ? reader_->position() : 0;
    if (current_->items.size() < batch_items && position - batch_start_ < batch_bytes) return;
    bool behind = false;
    {
      std::lock_guard lock(mutex_);
      behind = !full_.empty();
    }
    if (behind) {
      batch_records made(*this);
      for (item& waiting : current_->items) {
        if (waiting.unbuilt) {
          waiting.value = build_value(waiting.record, options_, true);
          waiting.unbuilt = false;
        } else if (waiting.taken) {
          waiting.first_record = current_->records.size();
          record_reader_->read(waiting.path, waiting.record, made);
          waiting.end_record = current_->records.size();
          waiting.taken = false;
          waiting.read = true;
        }
      }
    }
    batch* full = current_;
    current_ = nullptr;  // the visiting thread's now: never touched again here
    hand_over(full);
    current_ = take_free();
    batch_start_ = position;
  }

  void parse() {
    try {
      current_ = take_free();
      collecting_target target(*this);
      json_failure failure;
      const bool ok =
          parse_input(in_, options_, target, failure, first_line_, &reader_, &document_, prepared_);
      current_->ok = ok;
      current_->failure = std::move(failure);
    } catch (const parse_abandoned&) {
      return;  // nobody is visiting any more
    } catch (...) {
      if (current_ == nullptr) {
        // No batch to carry the failure: wait for one (or for the end).
        try {
          current_ = take_free();
        } catch (const parse_abandoned&) {
          return;
        }
      }
      current_->unexpected = std::current_exception();
    }
    current_->last = true;
    hand_over(current_);
  }

  byte_stream& in_;
  const json_stream_options& options_;
  std::uint64_t first_line_;
  const json_record_reader* record_reader_;
  const json_reader* reader_ = nullptr;  // the parsing thread's, while it parses
  batch* current_ = nullptr;             // the parsing thread's batch being filled
  std::uint64_t batch_start_ = 0;
  std::shared_ptr<prepared_json> prepared_;
  // The document of a file parsed whole: unbuilt records point into it until the visiting
  // thread is done, so it goes back to the pool only with this object.
  std::shared_ptr<prepared_json> document_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<batch*> full_;
  std::vector<batch*> free_;
  std::array<std::unique_ptr<batch>, max_batches> batches_;
  std::size_t made_ = 0;
  bool abandoned_ = false;
};

}  // namespace

bool stream_json(byte_stream& in, const json_stream_options& options, const json_visitor& visit,
                 json_failure& failure, std::uint64_t first_line, const json_record_reader* reader,
                 const std::shared_ptr<prepared_json>& prepared) {
  if (!options.use_nlohmann) {
    if (options.parse_ahead) {
      return parse_ahead(in, options, first_line, reader, prepared).run(visit, failure);
    }
    visiting_target serial(options, visit, reader);
    return parse_input(in, options, serial, failure, first_line, nullptr, nullptr, prepared);
  }
  element_handler handler(options, visit);
  stream_buffer buffer(in);
  std::istream stream(&buffer);
  const bool ok =
      json::sax_parse(stream, &handler, json::input_format_t::json, !options.allow_trailing);
  if (ok) return true;
  failure = to_failure(handler.message(), first_line);
  return false;
}

char first_json_char(std::string_view head) {
  if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  const std::size_t at = head.find_first_not_of(" \t\r\n");
  return at == std::string_view::npos ? '\0' : head[at];
}

std::size_t javascript_prefix_length(std::string_view head) {
  const std::size_t equals = head.find('=');
  if (equals == std::string_view::npos || equals > 200) return std::string_view::npos;
  const std::string_view name = head.substr(0, equals);
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '$' || c == ' ' || c == '\t' || c == '\r' ||
                    c == '\n' || c == '\xEF' || c == '\xBB' || c == '\xBF';
    if (!ok) return std::string_view::npos;
  }
  if (name.find_first_not_of(" \t\r\n\xEF\xBB\xBF") == std::string_view::npos) {
    return std::string_view::npos;
  }
  return equals + 1;
}

const json& member(const json& object, std::string_view key) {
  static const json none;
  if (!object.is_object()) return none;
  const auto it = object.find(key);
  return it == object.end() ? none : *it;
}

std::string_view string_at(const json& object, std::string_view key) {
  const json& value = member(object, key);
  if (!value.is_string()) return {};
  return value.get_ref<const std::string&>();
}

std::int64_t integer_at(const json& object, std::string_view key, std::int64_t fallback) {
  return integer_of(member(object, key), fallback);
}

namespace {

// A string of up to 19 digits as a number, or `fallback`.
std::int64_t digits_value(std::string_view text, std::int64_t fallback) {
  if (text.empty() || text.size() > 19) return fallback;
  std::int64_t out = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return fallback;
    out = out * 10 + (c - '0');
  }
  return out;
}

}  // namespace

std::int64_t integer_of(const json& value, std::int64_t fallback) {
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_number_float()) return static_cast<std::int64_t>(value.get<double>());
  if (value.is_string()) return digits_value(value.get_ref<const std::string&>(), fallback);
  return fallback;
}

std::int64_t integer_of(const simdjson::dom::element& value, std::int64_t fallback) {
  using type = simdjson::dom::element_type;
  switch (value.type()) {
    case type::INT64:
      return value.get_int64().value_unsafe();
    case type::UINT64:  // as json's unsigned number read as signed
      return static_cast<std::int64_t>(value.get_uint64().value_unsafe());
    case type::DOUBLE:
      return static_cast<std::int64_t>(value.get_double().value_unsafe());
    case type::STRING:  // digits are the same repaired or not
      return digits_value(value.get_string().value_unsafe(), fallback);
    default:
      return fallback;
  }
}

std::string id_at(const json& object, std::string_view key) {
  const json& value = member(object, key);
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_unsigned()) return std::to_string(value.get<std::uint64_t>());
  if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
  return {};
}

}  // namespace textkit::import
