// Fuzzes the fast path of html_to_text and decode_entities against gumbo: whenever the scan
// answers, its answer must be gumbo's, byte for byte (abort otherwise, with both on stderr). The
// first byte picks html_to_text's options; the rest is the fragment.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "html_text_paths.h"

namespace {

void require_same(std::string_view what, std::string_view input, const std::string& fast,
                  const std::string& full) {
  if (fast == full) return;
  std::fprintf(stderr,
               "%.*s: the fast path and gumbo differ\ninput: [%.*s]\nfast:  [%s]\ngumbo: [%s]\n",
               static_cast<int>(what.size()), what.data(), static_cast<int>(input.size()),
               input.data(), fast.c_str(), full.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace paths = textkit::common::html_paths;
  if (size == 0) return 0;
  textkit::common::html_text_options options;
  options.keep_link_urls = (data[0] & 1U) != 0;
  options.list_bullets = (data[0] & 2U) != 0;
  options.image_alt = (data[0] & 4U) != 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (const auto fast = paths::html_to_text_fast(input, options)) {
    require_same("html_to_text", input, *fast, paths::html_to_text_full(input, options));
  }
  if (const auto fast = paths::decode_entities_fast(input)) {
    require_same("decode_entities", input, *fast, paths::decode_entities_full(input));
  }
  return 0;
}
