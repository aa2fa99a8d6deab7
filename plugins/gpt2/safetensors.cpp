#include "safetensors.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "textkit/error.h"
#include "textkit/io.h"

namespace textkit::gpt2 {
namespace {

using json = nlohmann::json;

// A header larger than this is not a model file (the hub's largest models have a few MB).
constexpr std::uint64_t max_header_bytes = 100'000'000;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& message) {
  throw error(origin{path.string(), 0, 0}, message);
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    text += (i ? ", " : "") + std::to_string(shape[i]);
  }
  return text + "]";
}

std::uint64_t read_u64_le(const unsigned char* bytes) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | bytes[i];
  return value;
}

}  // namespace

std::int64_t tensor_info::elements() const {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

std::size_t dtype_size(std::string_view dtype) {
  if (dtype == "F64" || dtype == "I64" || dtype == "U64") return 8;
  if (dtype == "F32" || dtype == "I32" || dtype == "U32") return 4;
  if (dtype == "F16" || dtype == "BF16" || dtype == "I16" || dtype == "U16") return 2;
  if (dtype == "I8" || dtype == "U8" || dtype == "BOOL" || dtype == "F8_E4M3" || dtype == "F8_E5M2")
    return 1;
  return 0;
}

const tensor_info* safetensors_file::find(std::string_view name) const {
  for (const auto& t : tensors_) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

safetensors_file safetensors_file::open(const std::filesystem::path& path) {
  safetensors_file file;
  file.path_ = path;
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, std::filesystem::exists(path) ? "cannot open the file" : "no such file");
  in.seekg(0, std::ios::end);
  const auto file_size = static_cast<std::uint64_t>(in.tellg());
  in.seekg(0);
  unsigned char length_bytes[8];
  if (file_size < 8 || !in.read(reinterpret_cast<char*>(length_bytes), 8)) {
    fail(path, "truncated: " + std::to_string(file_size) +
                   " bytes, not even the 8-byte header length of a safetensors file");
  }
  const auto header_length = read_u64_le(length_bytes);
  if (header_length > max_header_bytes || header_length > file_size - 8) {
    fail(path, "the header length says " + std::to_string(header_length) +
                   " bytes but the file has " + std::to_string(file_size) +
                   " (truncated, or not a safetensors file)");
  }
  std::string header_text(header_length, '\0');
  if (!in.read(header_text.data(), static_cast<std::streamsize>(header_length))) {
    fail(path, "read error in the header");
  }
  json header;
  try {
    header = json::parse(header_text);
  } catch (const json::parse_error& e) {
    fail(path, "the JSON header (bytes 8.." + std::to_string(8 + header_length) +
                   ") does not parse: " + e.what());
  }
  if (!header.is_object()) fail(path, "the JSON header is not an object");

  const std::uint64_t data_start = 8 + header_length;
  const std::uint64_t data_size = file_size - data_start;
  for (const auto& [name, entry] : header.items()) {
    if (name == "__metadata__") {
      if (!entry.is_object()) fail(path, "__metadata__ is not an object");
      for (const auto& [key, value] : entry.items()) {
        if (!value.is_string()) fail(path, "__metadata__." + key + " is not a string");
        file.metadata_[key] = value.get<std::string>();
      }
      continue;
    }
    auto where = "tensor \"" + name + "\": ";
    if (!entry.is_object() || !entry.contains("dtype") || !entry.contains("shape") ||
        !entry.contains("data_offsets")) {
      fail(path, where + "expected an object with dtype, shape and data_offsets");
    }
    const auto& offsets = entry["data_offsets"];
    if (!entry["dtype"].is_string() || !entry["shape"].is_array() || !offsets.is_array() ||
        offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
        !offsets[1].is_number_unsigned()) {
      fail(path, where + "malformed dtype, shape or data_offsets");
    }
    tensor_info t;
    t.name = name;
    t.dtype = entry["dtype"].get<std::string>();
    for (const auto& d : entry["shape"]) {
      if (!d.is_number_unsigned()) fail(path, where + "shape holds something other than sizes");
      t.shape.push_back(d.get<std::int64_t>());
    }
    const auto size = dtype_size(t.dtype);
    if (size == 0) fail(path, where + "unknown dtype \"" + t.dtype + "\"");
    const auto begin = offsets[0].get<std::uint64_t>();
    const auto end = offsets[1].get<std::uint64_t>();
    if (begin > end || end > data_size) {
      fail(path, where + "data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
                     "] lie outside the " + std::to_string(data_size) +
                     " bytes of tensor data (truncated file?)");
    }
    const auto expected = static_cast<std::uint64_t>(t.elements()) * size;
    if (end - begin != expected) {
      fail(path, where + "holds " + std::to_string(end - begin) + " bytes, but " + t.dtype + " " +
                     shape_text(t.shape) + " needs " + std::to_string(expected));
    }
    t.offset = data_start + begin;
    t.size = end - begin;
    file.tensors_.push_back(std::move(t));
  }
  std::sort(file.tensors_.begin(), file.tensors_.end(),
            [](const auto& a, const auto& b) { return a.offset < b.offset; });
  for (std::size_t i = 1; i < file.tensors_.size(); ++i) {
    const auto& previous = file.tensors_[i - 1];
    if (previous.offset + previous.size > file.tensors_[i].offset) {
      fail(path, "tensors \"" + previous.name + "\" and \"" + file.tensors_[i].name + "\" overlap");
    }
  }
  return file;
}

void safetensors_file::read(const tensor_info& t, std::span<std::byte> out) const {
  if (out.size() != t.size) throw error("internal: wrong buffer size for tensor " + t.name);
  std::ifstream in(path_, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(t.offset));
  if (!in || !in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(t.size))) {
    fail(path_, "tensor \"" + t.name + "\": read error (did the file change while loading?)");
  }
}

std::vector<std::byte> safetensors_file::read(const tensor_info& t) const {
  std::vector<std::byte> bytes(t.size);
  read(t, bytes);
  return bytes;
}

void write_safetensors(const std::filesystem::path& path,
                       const std::vector<tensor_to_write>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  // nlohmann's ordered_json keeps insertion order: metadata first, then tensors as given.
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::uint64_t offset = 0;
  for (const auto& t : tensors) {
    const auto size = dtype_size(t.dtype);
    std::uint64_t elements = 1;
    for (auto d : t.shape) elements *= static_cast<std::uint64_t>(d);
    if (size == 0 || elements * size != t.bytes.size()) {
      throw error("internal: tensor " + t.name + " has " + std::to_string(t.bytes.size()) +
                  " bytes for " + t.dtype + " " + shape_text(t.shape));
    }
    header[t.name] = {{"dtype", t.dtype},
                      {"shape", t.shape},
                      {"data_offsets", {offset, offset + t.bytes.size()}}};
    offset += t.bytes.size();
  }
  auto text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  std::string length(8, '\0');
  for (int i = 0; i < 8; ++i) length[i] = static_cast<char>((text.size() >> (8 * i)) & 0xff);

  atomic_output out(path.string());
  out.write(length);
  out.write(text);
  for (const auto& t : tensors) {
    out.write(std::string_view(reinterpret_cast<const char*>(t.bytes.data()), t.bytes.size()));
  }
  out.commit();
}

}  // namespace textkit::gpt2
