// furigana - UTF-8, script classes and kana conversions.
#include "text.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <array>
#include <string_view>
#include <unordered_map>

namespace textkit::furigana {

namespace {

char32_t katakana_to_hiragana(char32_t c) {
  if (c == U'ヵ') return U'か';
  if (c == U'ヶ') return U'け';
  if (c >= 0x30A1 && c <= 0x30F4) return c - 0x60;
  return c;
}

// Decodes valid UTF-8, passing each code point through `convert`.
template <typename converter>
std::u32string decode(std::string_view text, converter convert) {
  std::u32string out;
  // Japanese text is mostly 3 bytes a code point: this reserves no more than it needs there.
  out.reserve(text.size() / 3 + 1);
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    char32_t c = byte;
    std::size_t length = 1;
    if (byte >= 0xF0) {
      c = byte & 0x07;
      length = 4;
    } else if (byte >= 0xE0) {
      c = byte & 0x0F;
      length = 3;
    } else if (byte >= 0xC0) {
      c = byte & 0x1F;
      length = 2;
    }
    // Defensive: a truncated sequence ends the text rather than reading past it.
    if (i + length > text.size()) break;
    for (std::size_t k = 1; k < length; ++k) {
      c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    out.push_back(convert(c));
    i += length;
  }
  return out;
}

}  // namespace

std::u32string to_code_points(std::string_view text) {
  return decode(text, [](char32_t c) { return c; });
}

std::u32string hiragana_code_points(std::string_view utf8) {
  return decode(utf8, katakana_to_hiragana);
}

std::string to_utf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (const char32_t c : text) append_utf8(out, c);
  return out;
}

std::size_t count_code_points(std::string_view text) {
  std::size_t count = 0;
  for (const char byte : text) count += (static_cast<unsigned char>(byte) & 0xC0) != 0x80;
  return count;
}

bool is_rare_han(char32_t c) {
  UErrorCode status = U_ZERO_ERROR;
  return uscript_getScript(static_cast<UChar32>(c), &status) == USCRIPT_HAN && U_SUCCESS(status);
}

bool has_kanji(std::u32string_view text) {
  for (const char32_t c : text) {
    if (is_kanji(c)) return true;
  }
  return false;
}

bool is_kana_only(std::u32string_view text) {
  if (text.empty()) return false;
  for (const char32_t c : text) {
    if (!is_kana(c)) return false;
  }
  return true;
}

std::u32string to_hiragana(std::u32string_view text) {
  std::u32string out(text);
  for (char32_t& c : out) c = katakana_to_hiragana(c);
  return out;
}

std::string to_hiragana(std::string_view utf8) {
  return to_utf8(to_hiragana(to_code_points(utf8)));
}

std::u32string to_katakana(std::u32string_view text) {
  std::u32string out(text);
  for (char32_t& c : out) {
    if (c >= 0x3041 && c <= 0x3094) c += 0x60;
  }
  return out;
}

std::string to_katakana(std::string_view utf8) {
  return to_utf8(to_katakana(to_code_points(utf8)));
}

namespace {

// One kana (or a kana and a small ya/yu/yo/vowel) to Hepburn.
const std::unordered_map<std::u32string, std::string>& hepburn_table() {
  static const std::unordered_map<std::u32string, std::string> table = [] {
    std::unordered_map<std::u32string, std::string> t;
    const std::pair<std::u32string_view, std::string_view> entries[] = {
        {U"あ", "a"},     {U"い", "i"},     {U"う", "u"},     {U"え", "e"},     {U"お", "o"},
        {U"か", "ka"},    {U"き", "ki"},    {U"く", "ku"},    {U"け", "ke"},    {U"こ", "ko"},
        {U"さ", "sa"},    {U"し", "shi"},   {U"す", "su"},    {U"せ", "se"},    {U"そ", "so"},
        {U"た", "ta"},    {U"ち", "chi"},   {U"つ", "tsu"},   {U"て", "te"},    {U"と", "to"},
        {U"な", "na"},    {U"に", "ni"},    {U"ぬ", "nu"},    {U"ね", "ne"},    {U"の", "no"},
        {U"は", "ha"},    {U"ひ", "hi"},    {U"ふ", "fu"},    {U"へ", "he"},    {U"ほ", "ho"},
        {U"ま", "ma"},    {U"み", "mi"},    {U"む", "mu"},    {U"め", "me"},    {U"も", "mo"},
        {U"や", "ya"},    {U"ゆ", "yu"},    {U"よ", "yo"},    {U"ら", "ra"},    {U"り", "ri"},
        {U"る", "ru"},    {U"れ", "re"},    {U"ろ", "ro"},    {U"わ", "wa"},    {U"ゐ", "i"},
        {U"ゑ", "e"},     {U"を", "o"},     {U"ん", "n"},     {U"が", "ga"},    {U"ぎ", "gi"},
        {U"ぐ", "gu"},    {U"げ", "ge"},    {U"ご", "go"},    {U"ざ", "za"},    {U"じ", "ji"},
        {U"ず", "zu"},    {U"ぜ", "ze"},    {U"ぞ", "zo"},    {U"だ", "da"},    {U"ぢ", "ji"},
        {U"づ", "zu"},    {U"で", "de"},    {U"ど", "do"},    {U"ば", "ba"},    {U"び", "bi"},
        {U"ぶ", "bu"},    {U"べ", "be"},    {U"ぼ", "bo"},    {U"ぱ", "pa"},    {U"ぴ", "pi"},
        {U"ぷ", "pu"},    {U"ぺ", "pe"},    {U"ぽ", "po"},    {U"ゔ", "vu"},    {U"ぁ", "a"},
        {U"ぃ", "i"},     {U"ぅ", "u"},     {U"ぇ", "e"},     {U"ぉ", "o"},     {U"ゃ", "ya"},
        {U"ゅ", "yu"},    {U"ょ", "yo"},    {U"ゎ", "wa"},    {U"きゃ", "kya"}, {U"きゅ", "kyu"},
        {U"きょ", "kyo"}, {U"しゃ", "sha"}, {U"しゅ", "shu"}, {U"しょ", "sho"}, {U"ちゃ", "cha"},
        {U"ちゅ", "chu"}, {U"ちょ", "cho"}, {U"にゃ", "nya"}, {U"にゅ", "nyu"}, {U"にょ", "nyo"},
        {U"ひゃ", "hya"}, {U"ひゅ", "hyu"}, {U"ひょ", "hyo"}, {U"みゃ", "mya"}, {U"みゅ", "myu"},
        {U"みょ", "myo"}, {U"りゃ", "rya"}, {U"りゅ", "ryu"}, {U"りょ", "ryo"}, {U"ぎゃ", "gya"},
        {U"ぎゅ", "gyu"}, {U"ぎょ", "gyo"}, {U"じゃ", "ja"},  {U"じゅ", "ju"},  {U"じょ", "jo"},
        {U"ぢゃ", "ja"},  {U"ぢゅ", "ju"},  {U"ぢょ", "jo"},  {U"びゃ", "bya"}, {U"びゅ", "byu"},
        {U"びょ", "byo"}, {U"ぴゃ", "pya"}, {U"ぴゅ", "pyu"}, {U"ぴょ", "pyo"}, {U"しぇ", "she"},
        {U"ちぇ", "che"}, {U"じぇ", "je"},  {U"てぃ", "ti"},  {U"でぃ", "di"},  {U"とぅ", "tu"},
        {U"どぅ", "du"},  {U"ふぁ", "fa"},  {U"ふぃ", "fi"},  {U"ふぇ", "fe"},  {U"ふぉ", "fo"},
        {U"うぃ", "wi"},  {U"うぇ", "we"},  {U"うぉ", "wo"},  {U"ゔぁ", "va"},  {U"ゔぃ", "vi"},
        {U"ゔぇ", "ve"},  {U"ゔぉ", "vo"},  {U"つぁ", "tsa"}, {U"てゅ", "tyu"}, {U"でゅ", "dyu"},
        {U"いぇ", "ye"},  {U"くぁ", "kwa"},
    };
    for (const auto& [kana, latin] : entries) t.emplace(kana, latin);
    return t;
  }();
  return table;
}

char32_t with_macron(char vowel) {
  switch (vowel) {
    case 'a':
      return U'ā';
    case 'i':
      return U'ī';
    case 'u':
      return U'ū';
    case 'e':
      return U'ē';
    case 'o':
      return U'ō';
    default:
      return 0;
  }
}

}  // namespace

std::string to_romaji(std::u32string_view kana) {
  const std::u32string text = to_hiragana(kana);
  const auto& table = hepburn_table();
  std::string out;
  bool double_next = false;
  for (std::size_t i = 0; i < text.size();) {
    const char32_t c = text[i];
    if (c == U'っ') {
      double_next = true;
      ++i;
      continue;
    }
    if (c == U'ー') {
      // The long mark lengthens the vowel just written: replace it with its macron form.
      if (!out.empty()) {
        const char32_t macron = with_macron(out.back());
        if (macron != 0) {
          out.pop_back();
          append_utf8(out, macron);
        }
      }
      ++i;
      continue;
    }
    std::string latin;
    std::size_t used = 0;
    if (i + 1 < text.size()) {
      if (auto it = table.find(text.substr(i, 2)); it != table.end()) {
        latin = it->second;
        used = 2;
      }
    }
    if (used == 0) {
      if (auto it = table.find(text.substr(i, 1)); it != table.end()) {
        latin = it->second;
        used = 1;
      }
    }
    if (used == 0) {  // not kana: kept as it is
      double_next = false;
      append_utf8(out, c);
      ++i;
      continue;
    }
    if (double_next) {
      // Hepburn writes っち as tch, elsewhere the consonant doubles.
      out += latin.starts_with("ch") ? 't' : latin[0];
      double_next = false;
    }
    if (latin == "n" && i + 1 < text.size()) {
      const auto next = table.find(text.substr(i + 1, 1));
      if (next != table.end() &&
          std::string_view("aiueoy").find(next->second[0]) != std::string_view::npos) {
        latin = "n'";
      }
    }
    out += latin;
    i += used;
  }
  // A final っ (あっ) is a glottal stop Hepburn does not write.
  return out;
}

}  // namespace textkit::furigana
