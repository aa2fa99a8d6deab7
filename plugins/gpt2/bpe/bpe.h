// gpt2 - GPT-2's byte-level BPE tokenizer: loading (Hugging Face vocab.json + merges.txt, OpenAI
// encoder.json + vocab.bpe), encoding identical to OpenAI's encoder and tiktoken's "gpt2",
// decoding, saving, and training a new vocabulary of a chosen size. No libtorch here: the
// tokenizer builds and loads without it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace textkit {
class atomic_output;
}

namespace textkit::gpt2 {

/// The special token that separates documents; encode() turns it into eot_id().
inline constexpr std::string_view end_of_text = "<|endoftext|>";

struct train_options;

/// An immutable byte-level BPE vocabulary with its merge ranks. encode(), decode() and
/// token_bytes() are const and safe to call from several threads at once. Copies share the tables.
class bpe_tokenizer {
 public:
  /// Reads a folder holding vocab.json and merges.txt (Hugging Face) or, failing that,
  /// encoder.json and vocab.bpe (OpenAI). Throws textkit::error naming the file, and the line or
  /// position, of any problem.
  static bpe_tokenizer load(const std::filesystem::path& folder);
  /// Reads a vocabulary (JSON object: token in GPT-2's byte-to-unicode spelling -> id) and its
  /// merges (one "left right" pair a line, highest priority first; a "#version" first line is
  /// skipped). Every merge's parts and result must be in the vocabulary, and so must all 256 bytes.
  static bpe_tokenizer load(const std::filesystem::path& vocab,
                            const std::filesystem::path& merges);

  /// The ids of `text`. Each "<|endoftext|>" becomes eot_id() (when the vocabulary has it); the
  /// rest is split with GPT-2's pre-tokenization pattern and each piece merged by rank. Bytes that
  /// are not valid UTF-8 are encoded too (each counts as a "other" character), so
  /// decode(encode(x)) == x for any bytes.
  [[nodiscard]] std::vector<std::int32_t> encode(std::string_view text) const;
  /// The same, appended to `out`.
  void encode(std::string_view text, std::vector<std::int32_t>& out) const;
  /// Appends the ids of `text` with "<|endoftext|>" read as ordinary text (seven tokens for GPT-2),
  /// as tiktoken's encode_ordinary: for text that must not end a document where it says so.
  void encode_ordinary(std::string_view text, std::vector<std::int32_t>& out) const;
  /// The number of tokens encode(text) returns, without building the vector.
  [[nodiscard]] std::size_t count(std::string_view text) const;

  /// The bytes of the tokens, joined. A cut in the middle of a character (the ids of a sample cut
  /// at a token limit) leaves an incomplete UTF-8 sequence at the end: check with
  /// textkit::find_invalid_utf8 before using the text as a record's. Throws textkit::error for an
  /// id outside [0, vocab_size()).
  [[nodiscard]] std::string decode(std::span<const std::int32_t> ids) const;
  /// The raw bytes of one token (empty for an id outside the vocabulary), valid as long as the
  /// tokenizer (or a copy) lives: what streaming output and stop strings need.
  [[nodiscard]] std::string_view token_bytes(std::int32_t id) const;

  /// The id of "<|endoftext|>", or -1 when the vocabulary has none.
  [[nodiscard]] std::int32_t eot_id() const;
  /// One more than the largest id.
  [[nodiscard]] std::int32_t vocab_size() const;
  /// The number of merges.
  [[nodiscard]] std::size_t merge_count() const;

  /// Writes vocab.json (ids in order) and merges.txt ("#version: 0.2" first) into `folder`, each
  /// file appearing whole or not at all (textkit::atomic_output), in the layout Hugging Face's
  /// GPT2Tokenizer reads (GPT-2's own vocabulary comes out with merges.txt byte-identical to
  /// OpenAI's vocab.bpe and vocab.json equal to encoder.json).
  void save(const std::filesystem::path& folder) const;
  /// The same into outputs the caller opened (and commits): a sink opens them before any record
  /// flows, so that an unwritable folder fails the run at once.
  void save(atomic_output& vocab_json, atomic_output& merges_txt) const;

  /// Trains a new byte-level BPE on `texts` (see bpe_trainer for a streaming interface).
  static bpe_tokenizer train(std::span<const std::string_view> texts, const train_options& options);

  struct tables;  // tables.h, private to the library

 private:
  explicit bpe_tokenizer(std::shared_ptr<const tables> t) : tables_(std::move(t)) {}
  friend class bpe_trainer;

  std::shared_ptr<const tables> tables_;
};

/// Settings of a BPE training.
struct train_options {
  /// The size of the result: 256 byte tokens, the tokens merges made, and "<|endoftext|>" last.
  std::int32_t vocab_size = 50257;
  /// A pair seen fewer times than this is never merged (the vocabulary may come out smaller).
  std::int64_t min_frequency = 2;
  /// Called after each merge with (new tokens so far, new tokens wanted: vocab_size - 257);
  /// returning false stops training (textkit::error is thrown), and so does anything it throws
  /// (textkit::cancelled on Ctrl-C). May be empty.
  std::function<bool(std::size_t, std::size_t)> progress;
};

/// Byte-level BPE training in two phases: add() texts (they are pre-tokenized at once, only the
/// count of each distinct piece is kept, so memory grows with the vocabulary of the corpus, not
/// its size), then train(). Each merge is the most frequent adjacent pair over all pieces weighted
/// by their counts (as Hugging Face's BpeTrainer chooses), ties broken by the smaller ids, so the
/// result is deterministic.
class bpe_trainer {
 public:
  bpe_trainer();
  ~bpe_trainer();
  bpe_trainer(const bpe_trainer&) = delete;
  bpe_trainer& operator=(const bpe_trainer&) = delete;

  /// Counts the pieces of `text`; "<|endoftext|>" separates, it is not counted as text.
  void add(std::string_view text);
  /// Distinct pieces counted so far.
  [[nodiscard]] std::size_t distinct_pieces() const;
  /// Throws textkit::error when vocab_size < 257 or progress asked to stop.
  [[nodiscard]] bpe_tokenizer train(const train_options& options) const;

 private:
  struct counts;
  std::unique_ptr<counts> counts_;
};

}  // namespace textkit::gpt2
