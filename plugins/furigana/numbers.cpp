// furigana - readings of numbers and counters.
//
// MeCab reads each numeral and counter on its own (三 サン, 本 ホン; 一 イチ, 人 ニン), so the
// sound changes between them (さんぼん, ひとり) are lost, and digits get no reading at all. The
// rules here are the standard ones from Japanese grammar references: the last unit of the number
// and the first sound of the counter decide between plain, geminated (いっ, ろっ, はっ, じゅっ,
// ひゃっ) and voiced (ぼん, ぽん) forms.
#include "numbers.h"

#include <array>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace textkit::furigana {
namespace {

int digit_value(char32_t c) {
  if (c >= U'0' && c <= U'9') return static_cast<int>(c - U'0');
  if (c >= U'０' && c <= U'９') return static_cast<int>(c - U'０');
  switch (c) {
    case U'〇':
    case U'零':
      return 0;
    case U'一':
      return 1;
    case U'二':
      return 2;
    case U'三':
      return 3;
    case U'四':
      return 4;
    case U'五':
      return 5;
    case U'六':
      return 6;
    case U'七':
      return 7;
    case U'八':
      return 8;
    case U'九':
      return 9;
    default:
      return -1;
  }
}

std::int64_t multiplier_value(char32_t c) {
  switch (c) {
    case U'十':
      return 10;
    case U'百':
      return 100;
    case U'千':
      return 1000;
    case U'万':
      return 10000;
    case U'億':
      return 100000000;
    case U'兆':
      return 1000000000000;
    default:
      return 0;
  }
}

// The value of `text`, written with digits, with kanji numerals positionally (三百二十) or digit
// by digit (二〇二六), or mixed (3万). Nothing when malformed or too big to read.
std::optional<std::int64_t> parse_number(std::u32string_view text) {
  if (text.empty() || text.size() > 16) return std::nullopt;
  std::int64_t total = 0;    // the completed 万 / 億 groups
  std::int64_t section = 0;  // below 万: completed 十 百 千 parts
  std::int64_t digits = -1;  // the digits read since the last multiplier (-1: none)
  for (const char32_t c : text) {
    if (const int d = digit_value(c); d >= 0) {
      digits = (digits < 0 ? 0 : digits) * 10 + d;
      continue;
    }
    const std::int64_t m = multiplier_value(c);
    if (m == 0) return std::nullopt;
    if (m < 10000) {
      section += (digits < 0 ? 1 : digits) * m;
    } else {
      total += (section + (digits < 0 ? 0 : digits) + (section == 0 && digits < 0 ? 1 : 0)) * m;
      section = 0;
    }
    digits = -1;
  }
  return total + section + (digits < 0 ? 0 : digits);
}

constexpr std::array<std::u32string_view, 10> digit_readings{
    U"ぜろ", U"いち", U"に", U"さん", U"よん", U"ご", U"ろく", U"なな", U"はち", U"きゅう"};

// A number's reading as units (さん, びゃく, に, じゅう), so that the counter's sound change can
// alter the last one. `tail` gets the last unit's value: 1-9 for a digit, else 10, 100, 1000,
// 10000 (万 or more).
std::vector<std::u32string> number_units(std::int64_t value, std::int64_t& tail) {
  std::vector<std::u32string> units;
  if (value == 0) {
    tail = 0;
    return {std::u32string(U"ぜろ")};
  }
  constexpr std::array<std::pair<std::int64_t, std::u32string_view>, 3> groups{
      {{1000000000000, U"ちょう"}, {100000000, U"おく"}, {10000, U"まん"}}};
  auto below_man = [&](std::int64_t part, bool before_group) {
    const std::int64_t thousands = part / 1000, hundreds = part / 100 % 10, tens = part / 10 % 10,
                       ones = part % 10;
    if (thousands == 1) {
      units.emplace_back(before_group ? U"いっせん" : U"せん");
      tail = 1000;
    } else if (thousands > 0) {
      units.emplace_back(thousands == 8 ? U"はっ" : digit_readings[thousands]);
      units.emplace_back(thousands == 3 ? U"ぜん" : U"せん");
      tail = 1000;
    }
    if (hundreds == 1) {
      units.emplace_back(U"ひゃく");
      tail = 100;
    } else if (hundreds > 0) {
      units.emplace_back(hundreds == 6   ? U"ろっ"
                         : hundreds == 8 ? U"はっ"
                                         : digit_readings[hundreds]);
      units.emplace_back(hundreds == 3                    ? U"びゃく"
                         : hundreds == 6 || hundreds == 8 ? U"ぴゃく"
                                                          : U"ひゃく");
      tail = 100;
    }
    if (tens > 0) {
      if (tens > 1) units.emplace_back(digit_readings[tens]);
      units.emplace_back(U"じゅう");
      tail = 10;
    }
    if (ones > 0) {
      units.emplace_back(digit_readings[ones]);
      tail = ones;
    }
  };
  std::int64_t rest = value;
  for (const auto& [size, name] : groups) {
    const std::int64_t part = rest / size;
    rest %= size;
    if (part == 0) continue;
    below_man(part, true);
    if (part == 1) units.back() = U"いち";  // 一万 いちまん, not まん
    units.emplace_back(name);
    tail = 10000;
  }
  if (rest > 0) below_man(rest, false);
  return units;
}

enum class row { none, h, k, s, t, fun };

struct counter_rule {
  std::u32string_view reading;
  row sound = row::none;
  std::u32string_view p_form;  // h-row counters after っ (ぽん), 分 (ぷん)
  std::u32string_view b_form;  // h-row counters after 3, 千, 万 (ぼん)
};

const std::unordered_map<std::u32string_view, counter_rule>& counter_rules() {
  static const std::unordered_map<std::u32string_view, counter_rule> rules{
      {U"本", {U"ほん", row::h, U"ぽん", U"ぼん"}},
      {U"歩", {U"ほ", row::h, U"ぽ", U"ぽ"}},
      {U"匹", {U"ひき", row::h, U"ぴき", U"びき"}},
      {U"杯", {U"はい", row::h, U"ぱい", U"ばい"}},
      {U"発", {U"はつ", row::h, U"ぱつ", U"ぱつ"}},
      {U"泊", {U"はく", row::h, U"ぱく", U"ぱく"}},
      {U"品", {U"ひん", row::h, U"ぴん", U"びん"}},
      {U"編", {U"へん", row::h, U"ぺん", U"ぺん"}},
      {U"遍", {U"へん", row::h, U"ぺん", U"べん"}},
      {U"票", {U"ひょう", row::h, U"ぴょう", U"びょう"}},
      {U"分", {U"ふん", row::fun, U"ぷん", U"ぷん"}},
      {U"分間", {U"ふんかん", row::fun, U"ぷんかん", U"ぷんかん"}},
      {U"個", {U"こ", row::k}},
      {U"回", {U"かい", row::k}},
      {U"階", {U"かい", row::k}},
      {U"ヶ月", {U"かげつ", row::k}},
      {U"ヵ月", {U"かげつ", row::k}},
      {U"か月", {U"かげつ", row::k}},
      {U"カ月", {U"かげつ", row::k}},
      {U"箇月", {U"かげつ", row::k}},
      {U"ヶ所", {U"かしょ", row::k}},
      {U"か所", {U"かしょ", row::k}},
      {U"箇所", {U"かしょ", row::k}},
      {U"ヶ国", {U"かこく", row::k}},
      {U"か国", {U"かこく", row::k}},
      {U"カ国", {U"かこく", row::k}},
      {U"件", {U"けん", row::k}},
      {U"軒", {U"けん", row::k}},
      {U"曲", {U"きょく", row::k}},
      {U"巻", {U"かん", row::k}},
      {U"課", {U"か", row::k}},
      {U"校", {U"こう", row::k}},
      {U"冊", {U"さつ", row::s}},
      {U"歳", {U"さい", row::s}},
      {U"才", {U"さい", row::s}},
      {U"足", {U"そく", row::s}},
      {U"着", {U"ちゃく", row::t}},
      {U"通", {U"つう", row::t}},
      {U"頭", {U"とう", row::t}},
      {U"点", {U"てん", row::t}},
      {U"週", {U"しゅう", row::s}},
      {U"週間", {U"しゅうかん", row::s}},
      {U"枚", {U"まい"}},
      {U"台", {U"だい"}},
      {U"番", {U"ばん"}},
      {U"番目", {U"ばんめ"}},
      {U"度", {U"ど"}},
      {U"秒", {U"びょう"}},
      {U"倍", {U"ばい"}},
      {U"号", {U"ごう"}},
      {U"円", {U"えん"}},
      {U"年", {U"ねん"}},
      {U"年間", {U"ねんかん"}},
      {U"時", {U"じ"}},
      {U"時間", {U"じかん"}},
      {U"月", {U"がつ"}},
      {U"日", {U"にち"}},
      {U"日間", {U"にちかん"}},
      {U"人", {U"にん"}},
      {U"名", {U"めい"}},
      {U"丁目", {U"ちょうめ"}},
      {U"位", {U"い"}},
      {U"列", {U"れつ"}},
      {U"階目", {U"かいめ"}},
      {U"回目", {U"かいめ"}},
      {U"度目", {U"どめ"}},
  };
  return rules;
}

// 一日 to 十日, 十四日, 二十日, 二十四日: the native readings of the days of the month.
std::u32string_view day_reading(std::int64_t value) {
  switch (value) {
    case 2:
      return U"ふつか";
    case 3:
      return U"みっか";
    case 4:
      return U"よっか";
    case 5:
      return U"いつか";
    case 6:
      return U"むいか";
    case 7:
      return U"なのか";
    case 8:
      return U"ようか";
    case 9:
      return U"ここのか";
    case 10:
      return U"とおか";
    case 14:
      return U"じゅうよっか";
    case 20:
      return U"はつか";
    case 24:
      return U"にじゅうよっか";
    default:
      return U"";
  }
}

std::u32string join(const std::vector<std::u32string>& units) {
  std::u32string out;
  for (const auto& unit : units) out += unit;
  return out;
}

// The geminated form of the last unit before a k/s/t/h-row counter, or empty when it keeps its
// plain form.
std::u32string_view geminated(std::int64_t tail, row sound) {
  switch (tail) {
    case 1:
      return U"いっ";
    case 6:
      return sound == row::h || sound == row::k || sound == row::fun ? U"ろっ" : U"";
    case 8:
      return U"はっ";
    case 10:
      return U"じゅっ";
    case 100:
      return sound == row::h || sound == row::k || sound == row::fun ? U"ひゃっ" : U"";
    default:
      return U"";
  }
}

}  // namespace

bool is_number_char(char32_t c) { return digit_value(c) >= 0 || multiplier_value(c) > 0; }

bool is_number(std::u32string_view text) {
  if (text.empty()) return false;
  for (const char32_t c : text) {
    if (!is_number_char(c)) return false;
  }
  return true;
}

bool is_counter(std::u32string_view word) { return counter_rules().contains(word); }

std::optional<counted_reading> read_number(std::u32string_view number, std::u32string_view counter,
                                           bool after_month) {
  // 何 ("how many") sounds like 三 to what follows: 何百 なんびゃく, 何本 なんぼん.
  const bool how_many = !number.empty() && number[0] == U'何';
  if (how_many) number.remove_prefix(1);
  std::optional<std::int64_t> value = how_many && number.empty() ? 3 : parse_number(number);
  if (!value) return std::nullopt;
  counted_reading out;
  std::int64_t tail = 0;
  std::vector<std::u32string> units = number_units(*value, tail);
  if (how_many) {
    if (number.empty()) {
      units = {U"なん"};
    } else {
      // Only 何 + 十/百/千/万...: read as 三 would be, with なん for さん (何百万 なんびゃくまん).
      std::int64_t scale = 1;
      for (const char32_t c : number) {
        if (multiplier_value(c) == 0) return std::nullopt;
        scale *= multiplier_value(c);
      }
      value = 3 * scale;
      units = number_units(*value, tail);
      units.front() = U"なん";
    }
  }
  const auto rule_it = counter_rules().find(counter);
  if (rule_it == counter_rules().end()) {
    out.number = join(units);
    return out;
  }
  const counter_rule& rule = rule_it->second;
  out.counter = rule.reading;
  const std::int64_t v = *value;
  // Words that do not split into number + counter.
  if (counter == U"人" && (v == 1 || v == 2) && !how_many) {
    out.whole = v == 1 ? U"ひとり" : U"ふたり";
    return out;
  }
  if (counter == U"日" && !how_many) {
    if (v == 1 && after_month) {
      out.whole = U"ついたち";
      return out;
    }
    if (const std::u32string_view day = day_reading(v); !day.empty()) {
      out.whole = day;
      return out;
    }
  }
  if (counter == U"歳" && v == 20 && !how_many) {
    out.whole = U"はたち";
    return out;
  }
  std::u32string& last = units.back();
  if (how_many && number.empty()) {
    // 何 + counter: なん before every counter, voicing h-row ones (なんぼん, なんぷん).
    if (rule.sound == row::h) out.counter = rule.b_form;
    if (rule.sound == row::fun) out.counter = rule.p_form;
    if (counter == U"階") out.counter = U"がい";
    if (counter == U"軒") out.counter = U"げん";
    if (counter == U"足") out.counter = U"ぞく";
    out.number = U"なん";
    return out;
  }
  if (tail == 4 && (counter == U"人" || counter == U"時" || counter == U"年" || counter == U"円" ||
                    counter == U"時間")) {
    last = U"よ";
  } else if (tail == 4 && counter == U"月") {
    last = U"し";
  } else if (tail == 7 && (counter == U"月" || counter == U"時" || counter == U"人")) {
    last = U"しち";
  } else if (tail == 9 && (counter == U"月" || counter == U"時")) {
    last = U"く";
  }
  if (rule.sound != row::none) {
    if (const std::u32string_view short_form = geminated(tail, rule.sound); !short_form.empty()) {
      last = short_form;
      if (!rule.p_form.empty()) out.counter = rule.p_form;
    } else if (rule.sound == row::h && (tail == 3 || tail == 1000 || tail == 10000)) {
      out.counter = rule.b_form;
    } else if (rule.sound == row::fun && (tail == 3 || tail == 4)) {
      out.counter = rule.p_form;
    }
    if (counter == U"階" && tail == 3) out.counter = U"がい";
    if (counter == U"軒" && tail == 3) out.counter = U"げん";
    if (counter == U"足" && tail == 3) out.counter = U"ぞく";
  }
  out.number = join(units);
  return out;
}

std::optional<approximate_reading> read_approximate(std::u32string_view number,
                                                    std::u32string_view counter) {
  constexpr std::u32string_view numerals = U"一二三四五六七八九";
  if (number.size() != 2 || numerals.find(number[0]) == std::u32string_view::npos) {
    return std::nullopt;
  }
  const int first = digit_value(number[0]);
  const int second = digit_value(number[1]);
  if (second != first + 1) return std::nullopt;
  // The first numeral in its short form, as these pairs are said (しご, しちはち, はっく).
  constexpr std::array<std::u32string_view, 9> short_forms{U"",   U"いち", U"に",   U"さん", U"し",
                                                           U"ご", U"ろく", U"しち", U"はっ"};
  approximate_reading out;
  out.first = short_forms[static_cast<std::size_t>(first)];
  const auto alone = read_number(number.substr(1), counter, false);
  if (!alone) return std::nullopt;
  if (alone->whole.empty()) {
    out.second = alone->number;
    out.counter = alone->counter;
  } else {
    // Not the words of one number (二三日 is にさんにち, not に + みっか): the counter as after
    // a number that has none (百日 ひゃくにち).
    out.second = digit_readings[static_cast<std::size_t>(second)];
    out.counter = read_number(U"百", counter, false)->counter;
  }
  if (second == 9) out.second = U"く";
  return out;
}

}  // namespace textkit::furigana
