#include "words.h"

#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/utext.h>

#include <stdexcept>

#include "textkit_common/near_dup.h"

namespace textkit::novelty {
namespace {

constexpr std::uint64_t word_seed = 0x6E6F76656C747977ULL;  // "noveltyw"

bool is_ascii(std::string_view text) noexcept {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

struct word_splitter::icu_state {
  std::unique_ptr<icu::BreakIterator> words;
  const icu::Normalizer2* fold = nullptr;
  UText* text = nullptr;

  icu_state() {
    UErrorCode status = U_ZERO_ERROR;
    words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    fold = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU word breaking is unavailable");
  }
  ~icu_state() {
    if (text != nullptr) utext_close(text);
  }
  icu_state(const icu_state&) = delete;
  icu_state& operator=(const icu_state&) = delete;
};

word_splitter::word_splitter() : icu_(std::make_unique<icu_state>()) {}
word_splitter::~word_splitter() = default;

std::string word_splitter::fold(std::string_view word) {
  std::string out;
  fold_into(word, out);
  return out;
}

void word_splitter::fold_into(std::string_view word, std::string& out) {
  out.clear();
  if (is_ascii(word)) {
    for (const char c : word) out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
    return;
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::StringByteSink<std::string> sink(&out);
  icu_->fold->normalizeUTF8(0,
                            icu::StringPiece(word.data(), static_cast<std::int32_t>(word.size())),
                            sink, nullptr, status);
  if (U_FAILURE(status)) out.assign(word);
}

void word_splitter::split(std::string_view text, word_list& out) {
  out.clear();
  UErrorCode status = U_ZERO_ERROR;
  icu_->text =
      utext_openUTF8(icu_->text, text.data(), static_cast<std::int64_t>(text.size()), &status);
  icu_->words->setText(icu_->text, status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU could not read the text");
  icu::BreakIterator& it = *icu_->words;
  std::int32_t begin = it.first();
  for (std::int32_t end = it.next(); end != icu::BreakIterator::DONE;
       begin = end, end = it.next()) {
    if (it.getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue;  // spaces, punctuation, symbols
    const std::string_view word =
        text.substr(static_cast<std::size_t>(begin), static_cast<std::size_t>(end - begin));
    fold_into(word, folded_);
    out.hashes.push_back(common::hash_bytes(folded_, word_seed));
    out.begins.push_back(static_cast<std::uint32_t>(begin));
    out.ends.push_back(static_cast<std::uint32_t>(end));
  }
}

std::uint64_t ngram_hash(std::span<const std::uint64_t> words) noexcept {
  std::uint64_t h = words.size();
  for (const std::uint64_t w : words) h = common::hash_combine(h, w);
  return h == 0 ? 1 : h;
}

}  // namespace textkit::novelty
