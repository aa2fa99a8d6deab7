// Okurigana split and per-kanji alignment.
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

#include "align.h"
#include "text.h"

using namespace textkit::furigana;

namespace {

// Parts as "base[reading]" joined, for comparing.
std::string show(std::u32string_view word, const std::vector<ruby_part>& parts) {
  std::string out;
  for (const ruby_part& p : parts) {
    out += to_utf8(word.substr(p.begin, p.end - p.begin)) + "[" + to_utf8(p.reading) + "]";
  }
  return out;
}

std::string okurigana(std::u32string_view word, std::u32string_view reading) {
  const auto parts = split_okurigana(word, reading);
  return parts ? show(word, *parts) : "(none)";
}

const kanji_dictionary& kanjidic() {
  static const auto loaded = kanji_dictionary::load(std::string(default_kanjidic));
  return *loaded;
}

const word_dictionary& edict() {
  static const auto loaded = word_dictionary::load(std::string(default_edict));
  return *loaded;
}

std::string per_kanji(std::u32string_view run, std::u32string_view reading) {
  return show(run, align_kanji(run, reading, kanjidic(), &edict()));
}

const learned_readings& learned() {
  static const auto loaded = learned_readings::load(std::string(default_edict), kanjidic());
  return *loaded;
}

// As the plugin aligns with granularity kanji: with the readings learned from EDICT.
std::string per_kanji_learned(std::u32string_view run, std::u32string_view reading) {
  return show(run, align_kanji(run, reading, kanjidic(), &edict(), &learned()));
}

}  // namespace

TEST_CASE("okurigana split off the reading", "[align]") {
  CHECK(okurigana(U"見習う", U"みならう") == "見習[みなら]");
  CHECK(okurigana(U"食べる", U"たべる") == "食[た]");
  CHECK(okurigana(U"取り扱い", U"とりあつかい") == "取[と]扱[あつか]");
  CHECK(okurigana(U"木ノ葉", U"このは") == "木[こ]葉[は]");
  CHECK(okurigana(U"見る", U"みた") == "(none)");
}

TEST_CASE("voicing helpers", "[align]") {
  CHECK(to_utf8(voiced(U"はる")) == "ばる");
  CHECK(to_utf8(half_voiced(U"ほん")) == "ぽん");
  CHECK(to_utf8(voiced(U"かみ")) == "がみ");
  CHECK(voiced(U"あめ").empty());
}

TEST_CASE("per-kanji alignment with rendaku, small tsu and groups", "[align]") {
  CHECK(per_kanji(U"頑張", U"がんば") == "頑[がん]張[ば]");
  CHECK(per_kanji(U"一ヶ月", U"いっかげつ") == "一[いっ]ヶ[か]月[げつ]");
  CHECK(per_kanji(U"仮名", U"がな") == "仮[が]名[な]");
  CHECK(per_kanji(U"今日", U"きょう") == "今日[きょう]");
  CHECK(per_kanji(U"大人", U"おとな") == "大人[おとな]");
  CHECK(per_kanji(U"人々", U"ひとびと") == "人[ひと]々[びと]");
  CHECK(per_kanji(U"抑抑", U"そもそも") == "抑[そも]抑[そも]");
  CHECK(per_kanji(U"東京湾", U"とうきょうわん") == "東[とう]京[きょう]湾[わん]");
  CHECK(per_kanji(U"日本刀", U"にほんとう") == "日本[にほん]刀[とう]");
  CHECK(per_kanji(U"御母", U"おかあ") == "御[お]母[かあ]");
  CHECK(per_kanji(U"御坊", U"おぼ") == "御[お]坊[ぼ]");  // a dropped long vowel
  CHECK(per_kanji(U"捗捗", U"はかばか") == "捗[はか]捗[ばか]");
  CHECK(per_kanji(U"芝生", U"しばふ") == "芝生[しばふ]");
  CHECK(per_kanji(U"時々", U"ときどき") == "時[とき]々[どき]");
}

TEST_CASE("readings learned from EDICT by elimination", "[align]") {
  // 所 そ: KANJIDIC2 lacks it; 余所, 楽所, 獄所, 所作 ... show it beside kanji they do not share.
  const auto so = learned().find(U'所');
  CHECK(std::find(so.begin(), so.end(), U"そ") != so.end());
  CHECK(per_kanji_learned(U"余所者", U"よそもの") == "余[よ]所[そ]者[もの]");
  CHECK(per_kanji_learned(U"余所", U"よそ") == "余[よ]所[そ]");
  CHECK(per_kanji(U"余所", U"よそ") == "余所[よそ]");  // without them, the EDICT word stays whole
  // A jukujikun word teaches its leftover only beside the same kanji: it stays whole.
  const auto shita = learned().find(U'下');
  CHECK(std::find(shita.begin(), shita.end(), U"へ") == shita.end());
  CHECK(per_kanji_learned(U"下手", U"へた") == "下手[へた]");
  CHECK(per_kanji_learned(U"明日", U"あした") == "明日[あした]");
  CHECK(per_kanji_learned(U"今日", U"きょう") == "今日[きょう]");
  CHECK(per_kanji_learned(U"大人", U"おとな") == "大人[おとな]");
  CHECK(per_kanji_learned(U"時計", U"とけい") == "時計[とけい]");
  CHECK(per_kanji_learned(U"草履", U"ぞうり") == "草履[ぞうり]");
  CHECK(per_kanji_learned(U"田舎", U"いなか") == "田舎[いなか]");
  // Learned readings cost more than KANJIDIC2's own.
  CHECK(per_kanji_learned(U"東京湾", U"とうきょうわん") == "東[とう]京[きょう]湾[わん]");
  CHECK(per_kanji_learned(U"日本刀", U"にほんとう") == "日本[にほん]刀[とう]");
}

TEST_CASE("kun readings with their okurigana left out", "[align]") {
  // 取.る 引.く 受.ける: the continuative stem, in per-kanji alignment only.
  CHECK(per_kanji(U"取引", U"とりひき") == "取[とり]引[ひき]");
  CHECK(per_kanji(U"受付", U"うけつけ") == "受[うけ]付[つけ]");
  CHECK(per_kanji(U"割引", U"わりびき") == "割[わり]引[びき]");
  CHECK(per_kanji(U"乗物", U"のりもの") == "乗[のり]物[もの]");
  CHECK(per_kanji_learned(U"受取人", U"うけとりにん") == "受[うけ]取[とり]人[にん]");
  CHECK_FALSE(reads_as(U"取引", U"とりひき", kanjidic()));  // reads_as keeps to the plain readings
}
