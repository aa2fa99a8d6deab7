// textkit - a stable hash for ids, GUIDs and shards that must be the same on every machine,
// compiler and run (std::hash promises none of that).
#pragma once

#include <cstdint>
#include <string_view>

namespace textkit {

/// FNV-1a's 64-bit offset basis.
inline constexpr std::uint64_t fnv1a_basis = 14695981039346656037ULL;

/// FNV-1a, 64 bits, over `bytes`, continuing from `h` (chain calls to hash several pieces).
[[nodiscard]] inline std::uint64_t fnv1a(std::string_view bytes,
                                         std::uint64_t h = fnv1a_basis) noexcept {
  for (const char c : bytes) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return h;
}

}  // namespace textkit
