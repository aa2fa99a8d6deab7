// Okurigana split and per-kanji alignment.
#include <catch2/catch.hpp>

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
