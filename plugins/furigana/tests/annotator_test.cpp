// The whole annotation: MeCab, the reading rules, skip rules and every output format.
#include <catch2/catch.hpp>

#include "annotator.h"
#include "render.h"
#include "text.h"

using namespace textkit::furigana;

namespace {

std::shared_ptr<const kanji_dictionary> kanjidic() {
  static const auto loaded = kanji_dictionary::load(std::string(default_kanjidic));
  return loaded;
}

std::shared_ptr<const word_dictionary> edict() {
  static const auto loaded = word_dictionary::load(std::string(default_edict));
  return loaded;
}

annotator_config base_config() {
  annotator_config config;
  config.kanji = kanjidic();
  config.words = edict();
  return config;
}

std::string annotate(std::string_view text, output_format format = output_format::anki,
                     annotator_config config = base_config()) {
  const bool merge = config.split == granularity::word;
  const annotator a(std::move(config));
  std::string out;
  render(a.annotate(text), format, merge, out);
  return out;
}

std::string per_kanji(std::string_view text) {
  annotator_config config = base_config();
  config.split = granularity::kanji;
  return annotate(text, output_format::anki, std::move(config));
}

}  // namespace

TEST_CASE("okurigana stays outside the reading", "[annotate]") {
  CHECK(annotate("見習う") == "見習[みなら]う");
  CHECK(annotate("食べる") == "食[た]べる");
  CHECK(annotate("人間です") == "人間[にんげん]です");
}

TEST_CASE("granularity kanji reads each kanji, groups where the reading does not split",
          "[annotate]") {
  CHECK(per_kanji("振り仮名") == "振[ふ]り 仮[が] 名[な]");
  CHECK(per_kanji("頑張る") == "頑[がん] 張[ば]る");
  CHECK(per_kanji("今日は") == "今日[きょう]は");
  CHECK(per_kanji("大人") == "大人[おとな]");
  CHECK(per_kanji("人々") == "人[ひと] 々[びと]");
}

TEST_CASE("numbers and counters", "[annotate]") {
  CHECK(annotate("一人で") == "一人[ひとり]で");
  CHECK(annotate("二人") == "二人[ふたり]");
  CHECK(annotate("二十日") == "二十日[はつか]");
  CHECK(annotate("3本") == "3 本[ぼん]");
  CHECK(annotate("6本") == "6 本[ぽん]");
  CHECK(annotate("3月") == "3 月[がつ]");
  CHECK(annotate("３月") == "３ 月[がつ]");
  CHECK(annotate("三百円") == "三百[さんびゃく] 円[えん]");
  CHECK(annotate("6本", output_format::hiragana) == "ろっぽん");
}

TEST_CASE("a number MeCab keeps with its counter splits where the number ends", "[annotate]") {
  CHECK(annotate("十一月に") == "十一[じゅういち] 月[がつ]に");
  CHECK(annotate("三十分") == "三十[さんじゅっ] 分[ぷん]");
  // Words of one numeral stay one ruby, words that do not split stay whole.
  CHECK(annotate("一番上の兄") == "一番上[いちばんうえ]の 兄[あに]");
  CHECK(annotate("十分だ") == "十分[じゅうぶん]だ");
}

TEST_CASE("two numerals in a row are \"one or two\", each read on its own", "[annotate]") {
  CHECK(annotate("一二歩進む") == "一[いち] 二[に] 歩[ほ] 進[すす]む");
  CHECK(annotate("二三日休む") == "二[に] 三[さん] 日[にち] 休[やす]む");
  CHECK(annotate("四五人") == "四[し] 五[ご] 人[にん]");
  CHECK(annotate("十二本") == "十二[じゅうに] 本[ほん]");
}

TEST_CASE("一日 after a month is the first of it", "[annotate]") {
  CHECK(annotate("三月一日", output_format::hiragana) == "さんがつついたち");
  CHECK(annotate("十一月一日", output_format::hiragana) == "じゅういちがつついたち");
  CHECK(annotate("一日かかる", output_format::hiragana) == "いちにちかかる");
}

TEST_CASE("何 counts like a number", "[annotate]") {
  CHECK(annotate("何本") == "何[なん] 本[ぼん]");
  CHECK(annotate("何百万") == "何百万[なんびゃくまん]");
}

TEST_CASE("々 is a kanji", "[annotate]") {
  CHECK(annotate("人々") == "人々[ひとびと]");
  CHECK(per_kanji("時々") == "時[とき] 々[どき]");
}

TEST_CASE("invalid UTF-8 and odd input never crash", "[annotate]") {
  CHECK_NOTHROW(annotate("\xff\xfe漢字\xc3"));
  CHECK_NOTHROW(annotate(""));
  CHECK_NOTHROW(annotate(std::string(5000, 'a')));
  CHECK_NOTHROW(annotate("々々ヶヶ〆"));
  CHECK(annotate("🍣を食べる😀") == "🍣を 食[た]べる😀");
}

TEST_CASE("numbers in digits get a reading unless skipped", "[annotate]") {
  annotator_config config = base_config();
  config.skip_numbers = false;
  CHECK(annotate("6本", output_format::anki, config) == "6[ろっ] 本[ぽん]");
}

TEST_CASE("katakana words get hiragana only when kana are not skipped", "[annotate]") {
  CHECK(annotate("パン") == "パン");
  annotator_config config = base_config();
  config.skip_kana = false;
  CHECK(annotate("パン", output_format::anki, config) == "パン[ぱん]");
}

TEST_CASE("known kanji get no reading", "[annotate]") {
  annotator_config config = base_config();
  config.known_kanji = {U'日', U'本'};
  CHECK(annotate("日本の漢字", output_format::anki, config) == "日本の 漢字[かんじ]");
}

TEST_CASE("compounds MeCab splits are read as the common word", "[annotate]") {
  CHECK(annotate("一人") == "一人[ひとり]");
  annotator_config config = base_config();
  config.join_compounds = false;
  config.words = nullptr;
  CHECK(annotate("今日は晴れ", output_format::anki, config) == "今日[きょう]は 晴[は]れ");
}

TEST_CASE("compounds EDICT has only as rare words, with one reading", "[annotate]") {
  CHECK(annotate("彼は卑怯者だ") == "彼[かれ]は 卑怯者[ひきょうもの]だ");
  CHECK(annotate("地毛が黒い") == "地毛[じげ]が 黒[くろ]い");
  CHECK(annotate("小悪魔みたいだ") == "小悪魔[こあくま]みたいだ");
  CHECK(annotate("琥珀色の空") == "琥珀色[こはくいろ]の 空[そら]");
  CHECK(annotate("持ち札を見せる", output_format::hiragana) == "もちふだをみせる");
}

TEST_CASE("words MeCab does not know", "[annotate]") {
  // In EDICT as a rare word.
  CHECK(annotate("仔馬が走る") == "仔馬[こうま]が 走[はし]る");
  // Not in EDICT: kanji by kanji, with an on reading.
  CHECK(annotate("社販で買う") == "社[しゃ] 販[はん]で 買[か]う");
  // Before okurigana: the EDICT verb or adjective they spell (癒やす いやす), conjugated too.
  CHECK(annotate("傷を癒やす") == "傷[きず]を 癒[い]やす");
  CHECK(annotate("心が癒やされる", output_format::hiragana) == "こころがいやされる");
}

TEST_CASE("々 in a run MeCab cuts", "[annotate]") {
  // Not in IPADIC nor EDICT: kanji by kanji, 々 repeating the one before.
  CHECK(annotate("去々年、学んだ") == "去々年[きょきょねん]、 学[まな]んだ");
  // Words IPADIC has stay as they were.
  CHECK(annotate("時々雨") == "時々[ときどき] 雨[あめ]");
}

TEST_CASE("後 after a verb is あと", "[annotate]") {
  CHECK(annotate("食べた後で話す") == "食[た]べた 後[あと]で 話[はな]す");
  CHECK(annotate("泳ぎ切った後、休んだ", output_format::hiragana) == "およぎきったあと、やすんだ");
  CHECK(annotate("三日後に会う") == "三日[みっか] 後[ご]に 会[あ]う");
}

TEST_CASE("この辺 is このへん", "[annotate]") {
  CHECK(annotate("その辺で待って") == "その 辺[へん]で 待[ま]って");
  CHECK(annotate("どの辺ですか", output_format::hiragana) == "どのへんですか");
  CHECK(annotate("この辺りは静か", output_format::hiragana) == "このあたりはしずか");
}

TEST_CASE("中 after a stretch of time is じゅう", "[annotate]") {
  CHECK(annotate("一日中寝ていた", output_format::hiragana) == "いちにちじゅうねていた");
  CHECK(annotate("一年中暑い", output_format::hiragana) == "いちねんじゅうあつい");
  CHECK(annotate("会議中です", output_format::hiragana) == "かいぎちゅうです");
}

TEST_CASE("user words win over MeCab", "[annotate]") {
  annotator_config config = base_config();
  config.user_words[U"日本"] = U"にっぽん";
  config.user_words[U"桜子"] = U"さくらこ";
  CHECK(annotate("日本の桜子", output_format::anki, config) == "日本[にっぽん]の 桜子[さくらこ]");
}

TEST_CASE("every output format", "[annotate]") {
  CHECK(annotate("漢字を読む", output_format::ruby) ==
        "<ruby>漢字<rt>かんじ</rt></ruby>を<ruby>読<rt>よ</rt></ruby>む");
  CHECK(annotate("漢字を読む", output_format::anki) == "漢字[かんじ]を 読[よ]む");
  CHECK(annotate("漢字を読む", output_format::aozora) == "｜漢字《かんじ》を｜読《よ》む");
  CHECK(annotate("漢字を読む", output_format::hiragana) == "かんじをよむ");
  CHECK(annotate("漢字を読む", output_format::katakana) == "カンジヲヨム");
  CHECK(annotate("東京へ行きます。", output_format::romaji) == "tōkyō e ikimasu.");
  CHECK(annotate("取り扱い", output_format::anki) == "取り扱[とりあつか]い");
}

TEST_CASE("non-Japanese text passes through untouched", "[annotate]") {
  CHECK(annotate("Hello, world!  <b>x</b>") == "Hello, world!  <b>x</b>");
  CHECK(annotate("I love 寿司 a lot") == "I love 寿司[すし] a lot");
  CHECK(annotate("a < b & 漢字", output_format::ruby) ==
        "a &lt; b &amp; <ruby>漢字<rt>かんじ</rt></ruby>");
  CHECK(annotate("한국어 Ελληνικά") == "한국어 Ελληνικά");
}

TEST_CASE("a missing dictionary names the package to install", "[annotate]") {
  annotator_config config;
  config.mecab_dictionary = "/nonexistent/ipadic";
  CHECK_THROWS_WITH(annotator(config), Catch::Contains("mecab-ipadic-utf8"));
  CHECK_THROWS_WITH(kanji_dictionary::load("/nonexistent/kanjidic2.xml.gz"),
                    Catch::Contains("kanjidic-xml"));
  CHECK_THROWS_WITH(word_dictionary::load("/nonexistent/edict"), Catch::Contains("edict"));
}

TEST_CASE("a noun suffix after a word gets a ruby of its own", "[annotate]") {
  const auto aozora = [](std::string_view text) { return annotate(text, output_format::aozora); };
  // One IPADIC word: the word and its suffix, not a lone kanji and a word (黄 + 熱病).
  CHECK(aozora("黄熱病にかかる") == "｜黄熱《おうねつ》｜病《びょう》にかかる");
  // MeCab's prefix + noun where EDICT has the word before the suffix (同業 + 者, 教会 + 派).
  CHECK(aozora("同業者に聞く") == "｜同業《どうぎょう》｜者《しゃ》に｜聞《き》く");
  CHECK(aozora("長老教会派の人") ==
        "｜長老《ちょうろう》｜教会《きょうかい》｜派《は》の｜人《ひと》");
  // A word joined from MeCab's tokens (総 + 力戦).
  CHECK(aozora("総力戦に臨む") == "｜総力《そうりょく》｜戦《せん》に｜臨《のぞ》む");
  // A prefix before a word stays one when what it makes with the next kanji is no word.
  CHECK(aozora("各政党の案") == "｜各《かく》｜政党《せいとう》の｜案《あん》");
  CHECK(aozora("非常識だ") == "｜非《ひ》｜常識《じょうしき》だ");
}

TEST_CASE("a word of numbers and counters MeCab keeps whole splits at each number", "[annotate]") {
  const auto aozora = [](std::string_view text) { return annotate(text, output_format::aozora); };
  CHECK(aozora("五十歩百歩だ") == "｜五十《ごじゅっ》｜歩《ぽ》｜百《ひゃっ》｜歩《ぽ》だ");
  // 色 is no counter: the idiom stays one word.
  CHECK(aozora("十人十色だ") == "｜十人十色《じゅうにんといろ》だ");
}

TEST_CASE("a noun written without its last okurigana reads as EDICT's spelling", "[annotate]") {
  // 綿入 is not in EDICT, 綿入れ わたいれ is (MeCab: 綿 めん + 入 いり).
  CHECK(annotate("重い綿入を脱ぐ", output_format::aozora) ==
        "｜重《おも》い｜綿《わた》｜入《いれ》を｜脱《ぬ》ぐ");
}

TEST_CASE("a verb's stem before a verb in kana reads as EDICT's compound verb", "[annotate]") {
  // MeCab: 潜り くぐり + こむ; EDICT: 潜りこむ もぐりこむ.
  CHECK(annotate("穴に潜りこんだ", output_format::hiragana) == "あなにもぐりこんだ");
  CHECK(annotate("穴に潜りこむ") == "穴[あな]に 潜[もぐ]りこむ");
}

TEST_CASE("a kanji before a verb reads as EDICT's verb made of both", "[annotate]") {
  // MeCab: 相 しょう (a suffix) + 通じる; EDICT: 相通ずる あいつうずる (〜じる is also 〜ずる).
  CHECK(annotate("心が相通じる", output_format::hiragana) == "こころがあいつうじる");
  // No such verb in EDICT: MeCab's reading stays.
  CHECK(annotate("彼と相談する", output_format::hiragana) == "かれとそうだんする");
}
