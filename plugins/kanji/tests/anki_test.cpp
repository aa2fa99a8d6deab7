// Anki's text import rules: headers, escaping, stable GUIDs.
#include <catch2/catch.hpp>

#include "anki.h"
#include "edict_lookup.h"

using namespace textkit::kanji;

TEST_CASE("the header sets the separator and html first, then columns with tabs") {
  anki_file_header header;
  header.notetype = "Basic";
  header.deck = "Japanese::Words";
  header.columns = {"Front", "Back", "Tags", "GUID"};
  header.tags_column = 3;
  header.guid_column = 4;
  CHECK(anki_header(header) ==
        "#separator:tab\n#html:true\n#notetype:Basic\n#deck:Japanese::Words\n"
        "#columns:Front\tBack\tTags\tGUID\n#guid column:4\n#tags column:3\n");
}

TEST_CASE("text fields escape HTML, tabs and line breaks") {
  CHECK(anki_field_from_text("a < b & c > d") == "a &lt; b &amp; c &gt; d");
  CHECK(anki_field_from_text("one\ttwo") == "one&#9;two");
  CHECK(anki_field_from_text("one\ntwo\r\nthree") == "one<br>two<br>three");
  CHECK(anki_field_from_text("\"quoted\"") == "&quot;quoted&quot;");
  CHECK(anki_field_from_text("#1 word") == "&#35;1 word");
  CHECK(anki_field_from_text("C# and F#") == "C# and F#");
  CHECK(anki_field_from_text("<b>語</b>") == "&lt;b&gt;語&lt;/b&gt;");
}

TEST_CASE("HTML fields keep their markup but lose tabs and line breaks") {
  CHECK(anki_field_from_html("<ruby>語<rt>ご</rt></ruby>\tx\ny") ==
        "<ruby>語<rt>ご</rt></ruby>&#9;x<br>y");
  CHECK(anki_field_from_html("\"a\"") == "&quot;a\"");
}

TEST_CASE("a line never holds a raw tab or line break inside a field") {
  const std::string line =
      anki_line({anki_field_from_text("a\tb"), anki_field_from_text("c\nd"), "e"});
  CHECK(line == "a&#9;b\tc<br>d\te\n");
}

TEST_CASE("GUIDs are stable and differ between kinds and keys") {
  CHECK(anki_guid("word", "語") == anki_guid("word", "語"));
  CHECK(anki_guid("word", "語") != anki_guid("kanji", "語"));
  CHECK(anki_guid("word", "語") != anki_guid("word", "言語"));
  CHECK(anki_guid("word", "語").size() == 18);
}

TEST_CASE("EDICT lines give reading, glosses without tags, and the common mark") {
  std::string headword;
  edict_entry entry;
  REQUIRE(parse_edict_line("言語 [げんご] /(n) language/(P)/", headword, entry));
  CHECK(headword == "言語");
  CHECK(entry.reading == "げんご");
  CHECK(entry.meanings == std::vector<std::string>{"language"});
  CHECK(entry.common);
  REQUIRE(parse_edict_line("ごご /(n-adv,n-t) (1) afternoon/(2) p.m./EntL1234X/", headword, entry));
  CHECK(entry.reading == "ごご");
  CHECK(entry.meanings == std::vector<std::string>{"afternoon", "p.m."});
  CHECK_FALSE(entry.common);
  CHECK_FALSE(parse_edict_line("garbage", headword, entry));
}

TEST_CASE("EDICT look-up finds words in the EUC-JP file") {
  const auto found = edict_lookup("/usr/share/edict/edict", {"言語", "勉強", "存在しない語だよ"});
  REQUIRE(found.contains("言語"));
  CHECK(found.at("言語").front().reading == "げんご");
  CHECK(found.at("言語").front().common);
  REQUIRE(found.contains("勉強"));
  CHECK_FALSE(found.contains("存在しない語だよ"));
}

TEST_CASE("example sentences end after 。！？ and the quote that closes there") {
  CHECK(split_sentences("春が来た。桜が咲く！  本当？\n二行目") ==
        std::vector<std::string>{"春が来た。", "桜が咲く！", "本当？", "二行目"});
  CHECK(split_sentences("「行こう。」彼は立った。") ==
        std::vector<std::string>{"「行こう。」", "彼は立った。"});
  CHECK(split_sentences("彼は「行こう。」と言った。次。") ==
        std::vector<std::string>{"彼は「行こう。」と言った。", "次。"});
  CHECK(split_sentences("Really? Yes!") == std::vector<std::string>{"Really?", "Yes!"});
  CHECK(split_sentences("").empty());
}
