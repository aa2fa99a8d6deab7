// Tests of the file helpers in textkit/io.h, which every reader and writer of the io family uses.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "textkit/error.h"
#include "textkit/io.h"

namespace fs = std::filesystem;

namespace {

// A fresh folder per test, removed afterwards.
class temp_folder {
 public:
  temp_folder() {
    std::string pattern = (fs::temp_directory_path() / "textkit-io-test-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~temp_folder() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
  }
  temp_folder(const temp_folder&) = delete;
  temp_folder& operator=(const temp_folder&) = delete;

  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }

  std::string write(const std::string& name, const std::string& bytes) const {
    const fs::path target = path_ / name;
    fs::create_directories(target.parent_path());
    std::ofstream(target, std::ios::binary) << bytes;
    return target.string();
  }

  [[nodiscard]] std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(path_)) {
      names.push_back(entry.path().filename().string());
    }
    return names;
  }

  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::vector<std::string> read_lines(const std::string& path) {
  textkit::line_reader reader(path);
  std::vector<std::string> lines;
  std::string_view line;
  while (reader.next(line)) lines.emplace_back(line);
  return lines;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string error_text(const std::function<void()>& action) {
  try {
    action();
  } catch (const textkit::error& failure) {
    return failure.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("line_reader strips CRLF and LF and keeps a last line without a newline") {
  temp_folder dir;
  const auto path = dir.write("a.txt", "one\r\ntwo\n\nthree");
  CHECK(read_lines(path) == std::vector<std::string>{"one", "two", "", "three"});
}

TEST_CASE("line_reader counts lines and bytes and knows the file size") {
  temp_folder dir;
  const auto path = dir.write("a.txt", "one\ntwo\n");
  textkit::line_reader reader(path);
  CHECK(reader.size() == 8);
  std::string_view line;
  REQUIRE(reader.next(line));
  REQUIRE(reader.next(line));
  CHECK(line == "two");
  CHECK(reader.line_number() == 2);
  CHECK(reader.bytes_read() == 8);
  CHECK_FALSE(reader.next(line));
  CHECK_FALSE(reader.next(line));
}

TEST_CASE("line_reader reads lines longer than its buffer and lines across buffer ends") {
  temp_folder dir;
  const std::string long_line(3 * 1024 * 1024 + 17, 'x');
  std::string content = "start\n" + long_line + "\n";
  // Many short lines, so some end exactly at or straddle the 1 MiB block boundaries.
  for (int i = 0; i < 200000; ++i) content += "line " + std::to_string(i) + "\n";
  content += long_line;
  const auto lines = read_lines(dir.write("big.txt", content));
  REQUIRE(lines.size() == 200003);
  CHECK(lines[0] == "start");
  CHECK(lines[1] == long_line);
  CHECK(lines[2] == "line 0");
  CHECK(lines[200001] == "line 199999");
  CHECK(lines[200002] == long_line);
}

TEST_CASE("line_reader drops a UTF-8 byte order mark at the start only") {
  temp_folder dir;
  const auto path = dir.write("bom.txt", "\xEF\xBB\xBFhello\n\xEF\xBB\xBFthere\n");
  CHECK(read_lines(path) == std::vector<std::string>{"hello", "\xEF\xBB\xBFthere"});
}

TEST_CASE("line_reader reads an empty file as no lines") {
  temp_folder dir;
  CHECK(read_lines(dir.write("empty.txt", "")).empty());
}

TEST_CASE("line_reader names the file when it cannot open it") {
  temp_folder dir;
  const auto missing = dir.file("missing.txt");
  const auto message = error_text([&] { textkit::line_reader reader(missing); });
  CHECK_THAT(message, Catch::Contains(missing) && Catch::Contains("No such file"));
  CHECK_THAT(error_text([&] { textkit::line_reader reader(dir.path().string()); }),
             Catch::Contains("is a folder"));
}

TEST_CASE("read_file returns the bytes unchanged") {
  temp_folder dir;
  const std::string content = std::string("a\r\nb\0c", 6) + std::string(2 * 1024 * 1024, 'z');
  CHECK(textkit::read_file(dir.write("f.bin", content)) == content);
  CHECK_THAT(error_text([&] { textkit::read_file(dir.file("nope")); }), Catch::Contains("nope"));
}

TEST_CASE("find_invalid_utf8 accepts well-formed UTF-8") {
  CHECK(textkit::find_invalid_utf8("") == std::string_view::npos);
  CHECK(textkit::find_invalid_utf8("plain ascii text, long enough for the fast path") ==
        std::string_view::npos);
  CHECK(textkit::find_invalid_utf8("caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80") ==
        std::string_view::npos);
  CHECK(textkit::find_invalid_utf8("\xF4\x8F\xBF\xBF") == std::string_view::npos);  // U+10FFFF
  CHECK(textkit::find_invalid_utf8("\xED\x9F\xBF") == std::string_view::npos);      // U+D7FF
  CHECK(textkit::find_invalid_utf8("\xEE\x80\x80") == std::string_view::npos);      // U+E000
}

TEST_CASE("find_invalid_utf8 finds the first bad byte") {
  CHECK(textkit::find_invalid_utf8("abc\xFF") == 3);
  CHECK(textkit::find_invalid_utf8("0123456789\x80") == 10);   // stray continuation byte
  CHECK(textkit::find_invalid_utf8("\xC0\xAF") == 0);          // overlong "/"
  CHECK(textkit::find_invalid_utf8("\xC1\xBF") == 0);          // overlong
  CHECK(textkit::find_invalid_utf8("\xE0\x80\xAF") == 0);      // overlong 3 bytes
  CHECK(textkit::find_invalid_utf8("\xF0\x80\x80\xAF") == 0);  // overlong 4 bytes
  CHECK(textkit::find_invalid_utf8("ok \xED\xA0\x80") == 3);   // surrogate U+D800
  CHECK(textkit::find_invalid_utf8("\xED\xBF\xBF") == 0);      // surrogate U+DFFF
  CHECK(textkit::find_invalid_utf8("\xF4\x90\x80\x80") == 0);  // U+110000
  CHECK(textkit::find_invalid_utf8("\xF5\x80\x80\x80") == 0);
  CHECK(textkit::find_invalid_utf8("caf\xC3") == 3);  // cut off at the end
  CHECK(textkit::find_invalid_utf8("\xE6\x97") == 0);
  CHECK(textkit::find_invalid_utf8("\xE6\x97\x41") == 0);  // continuation missing
}

TEST_CASE("expand_inputs lists a folder recursively, sorted, by extension, without hidden files") {
  temp_folder dir;
  dir.write("b.txt", "b");
  dir.write("a.TXT", "a");
  dir.write("sub/c.txt", "c");
  dir.write("sub/skip.md", "md");
  dir.write(".hidden.txt", "h");
  dir.write(".git/d.txt", "d");
  const auto root = dir.path().string();
  const auto files = textkit::expand_inputs(root, {".txt"});
  CHECK(files ==
        std::vector<std::string>{dir.file("a.TXT"), dir.file("b.txt"), dir.file("sub/c.txt")});
  CHECK(textkit::expand_inputs(root).size() == 4);
}

TEST_CASE("expand_inputs takes a file as is, - as stdin, and expands globs") {
  temp_folder dir;
  const auto md = dir.write("notes.md", "x");
  dir.write("x1.txt", "1");
  dir.write("x2.txt", "2");
  CHECK(textkit::expand_inputs(md, {".txt"}) == std::vector<std::string>{md});
  CHECK(textkit::expand_inputs("-") == std::vector<std::string>{"-"});
  CHECK(textkit::expand_inputs(dir.file("x*.txt")) ==
        std::vector<std::string>{dir.file("x1.txt"), dir.file("x2.txt")});
  // A file whose name looks like a pattern is still read as a file.
  const auto odd = dir.write("odd[1].txt", "o");
  CHECK(textkit::expand_inputs(odd) == std::vector<std::string>{odd});
}

TEST_CASE("expand_inputs names the path when nothing is there") {
  temp_folder dir;
  const auto missing = dir.file("missing");
  CHECK_THAT(error_text([&] { textkit::expand_inputs(missing); }),
             Catch::Contains(missing) && Catch::Contains("no such file or folder"));
  CHECK_THAT(error_text([&] { textkit::expand_inputs(dir.file("*.csv")); }),
             Catch::Contains("no file matches"));
  dir.write("only.md", "x");
  CHECK_THAT(error_text([&] { textkit::expand_inputs(dir.path().string(), {".txt"}); }),
             Catch::Contains("no files ending in .txt"));
}

TEST_CASE("atomic_output appears only on commit, with the usual file mode") {
  temp_folder dir;
  const auto target = dir.file("out.txt");
  {
    textkit::atomic_output out(target);
    out.write("hello ");
    out.write(std::string(3 * 1024 * 1024, 'x'));  // larger than the buffer: written through
    out.write(" bye");
    CHECK_FALSE(fs::exists(target));
    CHECK(out.bytes_written() == 6 + 3 * 1024 * 1024 + 4);
    out.commit();
  }
  CHECK(slurp(target) == "hello " + std::string(3 * 1024 * 1024, 'x') + " bye");
  CHECK(dir.entries() == std::vector<std::string>{"out.txt"});
  const mode_t mask = ::umask(022);
  ::umask(mask);
  struct stat st {};
  REQUIRE(::stat(target.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == (0666 & ~mask));
}

TEST_CASE("atomic_output destroyed without commit leaves the earlier file and no temporary") {
  temp_folder dir;
  const auto target = dir.write("out.txt", "earlier");
  {
    textkit::atomic_output out(target);
    out.write(std::string(5 * 1024 * 1024, 'y'));
  }
  CHECK(slurp(target) == "earlier");
  CHECK(dir.entries() == std::vector<std::string>{"out.txt"});
}

TEST_CASE("atomic_output removes what a killed writer of its target left, not a live one's") {
  temp_folder dir;
  const auto target = dir.file("out.txt");
  // A killed run's temporary file: nobody holds its lock.
  dir.write(".out.txt.tmp-Ab12Cd", "half of an old run");
  // Another target's, and a name that only looks alike: not ours to remove.
  dir.write(".other.txt.tmp-Ab12Cd", "another target");
  dir.write(".out.txt.tmp-Ab12Cd.keep", "not a temporary name");
  {
    textkit::atomic_output live(target);  // a writer still at work holds its lock
    live.write("live");
    {
      textkit::atomic_output second(target);
      second.write("second");
      second.commit();
    }
    // The old run's temporary is gone; live's is there (its commit below renames it).
    CHECK(dir.entries().size() == 4);  // out.txt, live's temporary, the other two
    live.commit();
  }
  CHECK(slurp(target) == "live");
  auto left = dir.entries();
  std::sort(left.begin(), left.end());
  CHECK(left ==
        std::vector<std::string>{".other.txt.tmp-Ab12Cd", ".out.txt.tmp-Ab12Cd.keep", "out.txt"});
}

TEST_CASE("atomic_output creates a missing folder") {
  temp_folder dir;
  const auto target = dir.file("new/folder/out.txt");
  textkit::atomic_output out(target);
  out.write("x");
  out.commit();
  CHECK(slurp(target) == "x");
}

TEST_CASE("atomic_output fails at once when it cannot write in the folder") {
  temp_folder dir;
  const auto file = dir.write("file.txt", "x");
  const auto under_file = file + "/out.txt";
  CHECK_THAT(error_text([&] { textkit::atomic_output out(under_file); }),
             Catch::Contains(under_file) && Catch::Contains("cannot create the folder"));
  CHECK_THAT(error_text([&] { textkit::atomic_output out(dir.path().string()); }),
             Catch::Contains("is a folder"));
  if (::geteuid() == 0) return;  // root writes anywhere
  const auto locked = dir.path() / "locked";
  fs::create_directory(locked);
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
  const auto target = (locked / "out.txt").string();
  CHECK_THAT(error_text([&] { textkit::atomic_output out(target); }),
             Catch::Contains(target) && Catch::Contains("Permission denied"));
  fs::permissions(locked, fs::perms::owner_all);
}
