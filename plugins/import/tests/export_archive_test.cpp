#include "export_archive.h"

#include <catch2/catch.hpp>

#include <fstream>

#include "test_support.h"
#include "textkit/error.h"

using namespace textkit::import;
using textkit::import::testing::scratch;
using textkit::import::testing::write_zip;

namespace {

struct walk_log {
  std::vector<std::string> read;
  std::vector<std::string> refused;
  std::string contents;
};

walk_log walk_all(export_archive& archive) {
  walk_log log;
  archive.walk([](const archive_entry_info&) { return entry_choice::read; },
               [&](const archive_entry_info& entry, byte_stream& in) {
                 log.read.push_back(entry.path);
                 log.contents += read_all(in, 1 << 30, entry.path);
               },
               [&](const archive_entry_info& entry, const std::string& why) {
                 log.refused.push_back(entry.path + ": " + why);
               });
  return log;
}

}  // namespace

TEST_CASE("entry names that climb out or are absolute are refused", "[archive]") {
  CHECK(unsafe_entry_reason("../../x").find("..") != std::string::npos);
  CHECK(unsafe_entry_reason("a/../../x").find("..") != std::string::npos);
  CHECK(unsafe_entry_reason("a\\..\\x").find("..") != std::string::npos);
  CHECK(unsafe_entry_reason("/etc/passwd") == "absolute path");
  CHECK(unsafe_entry_reason("C:/x") == "absolute path");
  CHECK(unsafe_entry_reason("posts/your_posts_1.json").empty());
  CHECK(unsafe_entry_reason("a..b/c").empty());
  CHECK(clean_entry_name("./a//b/") == "a/b");
}

TEST_CASE("a zip is read in place, unsafe entries never opened", "[archive]") {
  const auto dir = scratch("zip_unsafe");
  write_zip(dir / "x.zip", {{"good/a.json", "[1]"},
                            {"../../evil.json", "[2]"},
                            {"/abs.json", "[3]"},
                            {"good/b.json", "[4]"}});
  export_archive archive((dir / "x.zip").string());
  CHECK(archive.is_archive());
  const walk_log log = walk_all(archive);
  CHECK(log.read == std::vector<std::string>{"good/a.json", "good/b.json"});
  CHECK(log.contents == "[1][4]");
  REQUIRE(log.refused.size() == 2);
  CHECK(log.refused[0].find("unsafe entry name refused") != std::string::npos);
  // Nothing was written anywhere: the archive is never unpacked.
  CHECK_FALSE(std::filesystem::exists(dir / "evil.json"));
  CHECK_FALSE(std::filesystem::exists(dir.parent_path().parent_path() / "evil.json"));
}

TEST_CASE("a zip bomb is refused with a clear message", "[archive]") {
  const auto dir = scratch("zip_bomb");
  write_zip(dir / "bomb.zip", {{"messages/message_1.json", std::string(64u << 20, '0')}});
  CHECK(std::filesystem::file_size(dir / "bomb.zip") < (1u << 20));
  export_archive archive((dir / "bomb.zip").string());
  try {
    walk_all(archive);
    FAIL("the bomb was read");
  } catch (const textkit::error& failure) {
    CHECK(failure.where().file == "messages/message_1.json");
    CHECK(failure.message().find("zip bomb") != std::string::npos);
  }
}

TEST_CASE("a total size bound holds whatever the ratio", "[archive]") {
  const auto dir = scratch("zip_total");
  write_zip(dir / "big.zip", {{"a.json", std::string(3u << 20, 'x')}});
  archive_limits limits;
  limits.max_total = 1u << 20;
  export_archive archive((dir / "big.zip").string(), limits);
  // Refused by the size it declares, before a byte is unpacked.
  const walk_log log = walk_all(archive);
  CHECK(log.read.empty());
  REQUIRE(log.refused.size() == 1);
  CHECK(log.refused[0].find("declares 3 MiB unpacked (a zip bomb?)") != std::string::npos);
}

TEST_CASE("an archive of too many entries is refused before its entries are read",
          "[archive][limits]") {
  const auto dir = scratch("zip_entries");
  std::vector<std::pair<std::string, std::string>> entries;
  for (int i = 0; i < 1001; ++i) entries.emplace_back("e/" + std::to_string(i) + ".json", "");
  write_zip(dir / "many.zip", entries);
  write_zip(dir / "many.tar.gz", entries, true);
  archive_limits limits;
  limits.max_entries = 1000;
  // A zip says how many entries it holds at its end: refused from that, before libarchive reads
  // its central directory into memory.
  export_archive zip((dir / "many.zip").string(), limits);
  CHECK_THROWS_WITH(
      walk_all(zip),
      Catch::EndsWith(": refused: the archive declares 1001 entries, more than 1000"));
  // A tar says nothing in advance: refused at the entry past the bound, after 1000 were seen.
  export_archive tar((dir / "many.tar.gz").string(), limits);
  std::size_t seen = 0;
  CHECK_THROWS_WITH(tar.walk(
                        [&](const archive_entry_info&) {
                          ++seen;
                          return entry_choice::skip;
                        },
                        [](const archive_entry_info&, byte_stream&) {},
                        [](const archive_entry_info&, const std::string&) {}),
                    Catch::EndsWith(": refused: the archive holds more than 1000 entries"));
  CHECK(seen == 1000);
  // At the bound both are read.
  limits.max_entries = 1001;
  export_archive zip_at_bound((dir / "many.zip").string(), limits);
  CHECK(walk_all(zip_at_bound).read.size() == 1001);
  export_archive tar_at_bound((dir / "many.tar.gz").string(), limits);
  CHECK(walk_all(tar_at_bound).read.size() == 1001);
}

TEST_CASE("a zip64 end record declaring millions of entries is refused at the default bound",
          "[archive][limits]") {
  // No entries at all, only end records that declare 5,000,000 of them: zip64's end record, its
  // locator, and the classic record saying 0xFFFF (see zip64 in PKWARE's APPNOTE 4.3.14-16).
  std::string bytes = "PK\x07\x08";  // a spanned-archive marker, so the file reads as a zip
  const auto put = [&](std::uint64_t value, int size) {
    for (int i = 0; i < size; ++i) bytes.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
  };
  const std::uint64_t zip64_end_at = bytes.size();
  bytes += "PK\x06\x06";
  put(44, 8);             // size of the rest of the record
  put(45, 2);             // version made by
  put(45, 2);             // version needed
  put(0, 4);              // this disk
  put(0, 4);              // disk of the central directory
  put(5000000, 8);        // entries on this disk
  put(5000000, 8);        // entries in all
  put(0, 8);              // central directory size
  put(0, 8);              // its offset
  bytes += "PK\x06\x07";  // the zip64 locator
  put(0, 4);
  put(zip64_end_at, 8);
  put(1, 4);
  bytes += "PK\x05\x06";  // the classic end record
  put(0, 4);
  put(0xFFFF, 2);
  put(0xFFFF, 2);
  put(0xFFFFFFFF, 4);
  put(0xFFFFFFFF, 4);
  put(0, 2);
  const auto dir = scratch("zip64_entries");
  std::ofstream(dir / "forged.zip", std::ios::binary) << bytes;
  export_archive archive((dir / "forged.zip").string());
  REQUIRE(archive.is_archive());
  CHECK_THROWS_WITH(
      walk_all(archive),
      Catch::EndsWith(": refused: the archive declares 5000000 entries, more than 1048576"));
}

TEST_CASE("an empty zip has no entries; a folder is walked sorted; a file is one entry",
          "[archive]") {
  const auto dir = scratch("walk");
  write_zip(dir / "empty.zip", {});
  export_archive empty((dir / "empty.zip").string());
  CHECK(empty.is_archive());
  CHECK(walk_all(empty).read.empty());

  std::filesystem::create_directories(dir / "f/b");
  std::ofstream(dir / "f/b/2.json") << "2";
  std::ofstream(dir / "f/a.json") << "1";
  std::ofstream(dir / "f/.DS_Store") << "x";
  export_archive folder((dir / "f").string());
  CHECK(walk_all(folder).read == std::vector<std::string>{"a.json", "b/2.json"});

  export_archive file((dir / "f/a.json").string());
  CHECK_FALSE(file.is_archive());
  CHECK(walk_all(file).read == std::vector<std::string>{"a.json"});

  CHECK_THROWS_WITH(export_archive((dir / "missing").string()),
                    Catch::Contains("no such file or folder"));
}

TEST_CASE("peek_stream shows the head and still reads everything", "[archive]") {
  textkit::import::testing::string_stream in("window.YTD.tweets.part0 = [1]");
  peek_stream peek(in, 10);
  CHECK(peek.head() == "window.YTD");
  peek.skip(26);
  CHECK(read_all(peek, 100, "x") == "[1]");
}

TEST_CASE("a folder's file is mapped whole when its last page leaves room for the padding",
          "[archive]") {
  const auto dir = scratch("mapped");
  std::filesystem::create_directories(dir / "f");
  const std::size_t page = 4096;  // sysconf(_SC_PAGESIZE) on x86-64 Linux
  // Sizes: room to spare; exactly a page (no byte after it is mapped); 10 bytes short of a page
  // (fewer than 64 left); empty; and one past the limit given.
  const std::vector<std::size_t> sizes = {100, page, page - 10, 0, 3 * page + 1};
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    std::ofstream(dir / "f" / (std::to_string(i) + ".json"), std::ios::binary)
        << std::string(sizes[i], static_cast<char>('a' + i));
  }
  export_archive folder((dir / "f").string());
  std::vector<bool> mapped;
  folder.walk([](const archive_entry_info&) { return entry_choice::read; },
              [&](const archive_entry_info& entry, byte_stream& in) {
                const std::size_t i = std::stoul(entry.path.substr(0, entry.path.find('.')));
                peek_stream peek(in, 16);
                const auto whole = peek.map_whole(3 * page, 64);
                mapped.push_back(whole != nullptr);
                if (whole != nullptr) {
                  // The whole file from its first byte (the head peeked too), then nothing more.
                  CHECK(whole->bytes() == std::string(sizes[i], static_cast<char>('a' + i)));
                  CHECK(whole->bytes().data()[sizes[i]] == '\0');  // the padding is readable
                  CHECK(peek.read(nullptr, 0) == 0);
                  char byte = 0;
                  CHECK(peek.read(&byte, 1) == 0);
                } else {
                  CHECK(read_all(peek, 1 << 20, entry.path) ==
                        std::string(sizes[i], static_cast<char>('a' + i)));
                }
              },
              [](const archive_entry_info&, const std::string&) {});
  CHECK(mapped == std::vector<bool>{true, false, false, false, false});
  // A single file's walk counts the bytes mapped as consumed, as if read.
  export_archive file((dir / "f/0.json").string());
  file.walk([](const archive_entry_info&) { return entry_choice::read; },
            [&](const archive_entry_info&, byte_stream& in) {
              CHECK(in.map_whole(3 * page, 64) != nullptr);
              CHECK(file.consumed() == sizes[0]);
            },
            [](const archive_entry_info&, const std::string&) {});
  // Once read from, a peek_stream no longer maps.
  export_archive again((dir / "f").string());
  again.walk(
      [](const archive_entry_info& entry) {
        return entry.path == "0.json" ? entry_choice::read : entry_choice::skip;
      },
      [&](const archive_entry_info&, byte_stream& in) {
        peek_stream peek(in, 16);
        char byte = 0;
        REQUIRE(peek.read(&byte, 1) == 1);
        CHECK(peek.map_whole(3 * page, 64) == nullptr);
      },
      [](const archive_entry_info&, const std::string&) {});
}
