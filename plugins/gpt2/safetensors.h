// The safetensors file format, read and written without libtorch: an 8-byte little-endian header
// length, a JSON header {"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__":
// {...}}, then the raw tensor bytes. https://github.com/huggingface/safetensors#format
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace textkit::gpt2 {

struct tensor_info {
  std::string name;
  std::string dtype;  ///< "F32", "F16", "BF16", "I64", ...
  std::vector<std::int64_t> shape;
  std::uint64_t offset = 0;  ///< from the start of the file; not necessarily aligned
  std::uint64_t size = 0;    ///< bytes

  [[nodiscard]] std::int64_t elements() const;
};

/// A safetensors file whose header has been read and checked: the header parses, every tensor's
/// dtype is known, its byte range lies inside the file, matches its shape, and does not overlap
/// another. Tensor bytes are read on demand, straight into the caller's buffer, so loading a model
/// never holds the file and the weights in memory at once. Every problem throws textkit::error
/// naming the file (and the tensor).
class safetensors_file {
 public:
  static safetensors_file open(const std::filesystem::path& path);

  /// Tensors in file order (by data offset).
  [[nodiscard]] const std::vector<tensor_info>& tensors() const { return tensors_; }
  [[nodiscard]] const tensor_info* find(std::string_view name) const;
  /// Reads the tensor's bytes into `out`, which holds exactly t.size bytes.
  void read(const tensor_info& t, std::span<std::byte> out) const;
  [[nodiscard]] std::vector<std::byte> read(const tensor_info& t) const;
  [[nodiscard]] const std::map<std::string, std::string>& metadata() const { return metadata_; }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::vector<tensor_info> tensors_;
  std::map<std::string, std::string> metadata_;
};

/// Bytes per element of a safetensors dtype, 0 when unknown.
[[nodiscard]] std::size_t dtype_size(std::string_view dtype);

struct tensor_to_write {
  std::string name;
  std::string dtype;
  std::vector<std::int64_t> shape;
  std::span<const std::byte> bytes;
};

/// Writes a safetensors file atomically (temporary file, then rename) in a canonical form: tensors
/// in the order given, packed without gaps, the header padded with spaces to a multiple of 8 bytes
/// as the reference implementation does, so reading and writing again gives identical bytes.
void write_safetensors(const std::filesystem::path& path,
                       const std::vector<tensor_to_write>& tensors,
                       const std::map<std::string, std::string>& metadata = {});

}  // namespace textkit::gpt2
