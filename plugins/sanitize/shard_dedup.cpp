#include "shard_dedup.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include "textkit/error.h"
#include "textkit/hash.h"

namespace textkit::sanitize {
namespace {

constexpr std::string_view kMagic = "textkit-sanitize-signatures 1\n";

std::string_view mode_name(dedup_mode mode) { return mode == dedup_mode::near ? "near" : "exact"; }

json settings_json(const signature_settings& s) {
  json out = {{"dedup", mode_name(s.mode)}, {"dedup_scope", s.by_label ? "label" : "all"}};
  if (s.mode == dedup_mode::near) {
    out["near_threshold"] = s.minhash.threshold;
    out["near_shingle"] = s.minhash.shingle;
    out["near_permutations"] = s.minhash.permutations;
  }
  return out;
}

std::size_t entry_size(const signature_settings& s) {
  std::size_t size = 3 * sizeof(std::uint64_t);
  if (s.mode == dedup_mode::near)
    size += static_cast<std::size_t>(s.minhash.permutations) * sizeof(std::uint32_t);
  return size;
}

void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
std::uint64_t get_u64(const char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}
std::uint32_t get_u32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

/// Reads a file's header: the settings it was written with. `offset` ends after the header.
signature_settings read_header(const std::string& file, std::istream& in, std::uint64_t& offset) {
  std::string magic(kMagic.size(), '\0');
  if (!in.read(magic.data(), static_cast<std::streamsize>(magic.size())) || magic != kMagic)
    throw error(file + ": not a sanitize signature file (written by sanitize's `signatures`)");
  std::string line;
  if (!std::getline(in, line)) throw error(file + ": truncated in its header");
  offset = kMagic.size() + line.size() + 1;
  signature_settings s;
  try {
    const json header = json::parse(line);
    s.mode = header.at("dedup").get<std::string>() == "near" ? dedup_mode::near : dedup_mode::exact;
    s.by_label = header.at("dedup_scope").get<std::string>() == "label";
    if (s.mode == dedup_mode::near) {
      s.minhash.threshold = header.at("near_threshold").get<double>();
      s.minhash.shingle = header.at("near_shingle").get<int>();
      s.minhash.permutations = header.at("near_permutations").get<int>();
      if (s.minhash.permutations < 1 || s.minhash.permutations > 4096)
        throw error("near_permutations out of range");
    }
  } catch (const std::exception& e) {
    throw error(file + ":2: a bad settings line: " + e.what());
  }
  return s;
}

bool same_settings(const signature_settings& a, const signature_settings& b) {
  return settings_json(a) == settings_json(b);
}

}  // namespace

std::uint64_t record_key(const record& r) {
  const auto id = r.meta.find("id");
  if (id != r.meta.end() && !id->is_null()) {
    const std::string text = id->is_string() ? id->get<std::string>() : id->dump();
    return fnv1a(text, fnv1a(std::string_view("id\0", 3)));
  }
  return fnv1a(r.text, fnv1a(std::string_view("text\0", 5)));
}

signature_writer::signature_writer(const std::string& path, const signature_settings& settings)
    : out_(path), settings_(settings) {
  out_.write(kMagic);
  out_.write(settings_json(settings_).dump() + "\n");
}

void signature_writer::add(std::uint64_t key, std::uint64_t scope, std::uint64_t exact,
                           const signature& near) {
  entry_.clear();
  put_u64(entry_, key);
  put_u64(entry_, scope);
  put_u64(entry_, exact);
  if (settings_.mode == dedup_mode::near) {
    const auto n = static_cast<std::size_t>(settings_.minhash.permutations);
    for (std::size_t i = 0; i < n; ++i) put_u32(entry_, i < near.size() ? near[i] : 0xFFFFFFFFU);
  }
  out_.write(entry_);
}

void signature_writer::commit() { out_.commit(); }

std::vector<std::string> in_shard_order(std::vector<std::string> files) {
  static const std::regex shard_name(R"(\.shard-(\d+)-of-(\d+))");
  std::map<unsigned long, std::string> by_shard;
  unsigned long count = 0;
  for (const auto& file : files) {
    std::smatch m;
    const std::string name = std::filesystem::path(file).filename().string();
    if (!std::regex_search(name, m, shard_name)) return files;  // not shard outputs: as given
    const unsigned long index = std::stoul(m[1].str());
    const unsigned long of = std::stoul(m[2].str());
    if (count != 0 && of != count) {
      throw error(file + ": a signature file of " + std::to_string(of) + " shards among files of " +
                  std::to_string(count));
    }
    count = of;
    if (!by_shard.emplace(index, file).second)
      throw error(file + ": shard " + std::to_string(index) + " given twice");
  }
  for (unsigned long i = 0; i < count; ++i) {
    if (!by_shard.contains(i)) {
      throw error("the signatures of shard " + std::to_string(i) + " of " + std::to_string(count) +
                  " are missing (found " + std::to_string(by_shard.size()) +
                  " files): its duplicates would stay");
    }
  }
  std::vector<std::string> ordered;
  for (auto& [index, file] : by_shard) ordered.push_back(std::move(file));
  return ordered;
}

cross_shard_decisions::cross_shard_decisions(std::vector<std::string> files) {
  // The indexes live while the files are replayed; afterwards only the counts per key are kept.
  exact_index exact;
  std::unique_ptr<near_index> near;
  for (const auto& file : in_shard_order(std::move(files))) replay(file, exact, near);
}

void cross_shard_decisions::replay(const std::string& file, exact_index& exact,
                                   std::unique_ptr<near_index>& near) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw error(file + ": cannot open: " + std::strerror(errno));
  std::uint64_t offset = 0;
  const signature_settings s = read_header(file, in, offset);
  if (files_ == 0) {
    settings_ = s;
  } else if (!same_settings(settings_, s)) {
    throw error(file + ": written with other dedup settings (" + settings_json(s).dump() +
                ") than the files before it (" + settings_json(settings_).dump() + ")");
  }
  ++files_;
  if (settings_.mode == dedup_mode::near && !near)
    near = std::make_unique<near_index>(settings_.minhash);

  const std::size_t size = entry_size(settings_);
  std::string entry(size, '\0');
  signature sig(settings_.mode == dedup_mode::near
                    ? static_cast<std::size_t>(settings_.minhash.permutations)
                    : 0);
  while (in.read(entry.data(), static_cast<std::streamsize>(size))) {
    const std::uint64_t key = get_u64(entry.data());
    const std::uint64_t scope = get_u64(entry.data() + 8);
    const std::uint64_t hash = get_u64(entry.data() + 16);
    counts& c = by_key_[key];
    ++entries_;
    offset += size;
    if (exact.seen_or_add(scoped_hash(hash, scope))) {
      ++c.drop_exact;
      continue;
    }
    if (near) {
      for (std::size_t i = 0; i < sig.size(); ++i) sig[i] = get_u32(entry.data() + 24 + 4 * i);
      double similarity = 0;
      if (near->seen_or_add(sig, scope, similarity)) {
        ++c.drop_near;
        continue;
      }
    }
    ++c.keep;
  }
  if (in.gcount() != 0) {
    throw error(file + ": truncated at byte " + std::to_string(offset) + " (an entry of " +
                std::to_string(size) + " bytes is cut off)");
  }
}

cross_shard_decisions::outcome cross_shard_decisions::take(std::uint64_t key) {
  const auto it = by_key_.find(key);
  if (it == by_key_.end()) return outcome::unknown;
  counts& c = it->second;
  if (c.keep > 0) {
    --c.keep;
    return outcome::keep;
  }
  if (c.drop_near > 0) {
    --c.drop_near;
    return outcome::drop_near;
  }
  if (c.drop_exact > 0) {
    --c.drop_exact;
    return outcome::drop_exact;
  }
  return outcome::unknown;
}

std::uint64_t cross_shard_decisions::unclaimed() const {
  std::uint64_t n = 0;
  for (const auto& [key, c] : by_key_) n += c.keep + c.drop_exact + c.drop_near;
  return n;
}

}  // namespace textkit::sanitize
