#!/usr/bin/env bash
# Furigana speed and memory, whole process, on the same 2,000 lines of Japanese: textkit's furigana
# (ruby output) against kuroshiro (npm kuroshiro + kuroshiro-analyzer-kuromoji, installed into a
# temporary folder) and against the bare `mecab` command (IPADIC, morphemes only). Targets (issue
# 8): textkit at least 20x faster than kuroshiro, and within 2x of mecab.
#
# Usage: tests/bench/furigana.sh [--runs N] [--lines N] [--input FILE] [--textkit PATH]
#                                [--no-kuroshiro] [--strict]
#   --runs N       timed runs of each tool (default 3; the median is reported)
#   --lines N      lines of input (default 2000), cycled from --input
#   --input FILE   Japanese text (default corpora/japanese/sample.txt)
#   --strict       exit 1 when a target is missed
# Needs GNU time, mecab and mecab-ipadic-utf8; kuroshiro needs node and npm (network for npm).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "$0")/common.sh"

runs=3
lines=2000
input=$bench_root/corpora/japanese/sample.txt
textkit_arg=
kuroshiro=1
strict=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --lines) lines=$2; shift 2 ;;
    --input) input=$2; shift 2 ;;
    --textkit) textkit_arg=$2; shift 2 ;;
    --no-kuroshiro) kuroshiro=0; shift ;;
    --strict) strict=1; shift ;;
    -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
    *) bench_fail "furigana: unknown argument $1 (see --help)" ;;
  esac
done

textkit=$(realpath "$(find_textkit "$textkit_arg")")
require_gnu_time
dictionary=/var/lib/mecab/dic/ipadic-utf8
command -v mecab >/dev/null || bench_fail "furigana: needs the mecab command (apt-get install mecab)"
[ -f "$dictionary/sys.dic" ] || bench_fail "furigana: needs $dictionary (apt-get install mecab-ipadic-utf8)"
[ -s "$input" ] || bench_fail "furigana: no input at $input"

work=$(mktemp -d "${TMPDIR:-/tmp}/textkit-furigana.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The same lines for every tool: the input's non-empty lines, cycled to $lines.
grep -v '^[[:space:]]*$' "$input" | awk -v n="$lines" '{ l[NR] = $0 } END {
  for (i = 0; i < n; i++) print l[i % NR + 1] }' >"$work/input.txt"
chars=$(wc -m <"$work/input.txt")

cat >"$work/pipeline.json" <<'JSON'
{
  "textkit": 1,
  "steps": [
    { "use": "read.txt", "with": { "path": "input.txt", "split": "line", "trim": false } },
    { "use": "furigana", "with": { "format": "ruby" } },
    { "use": "write.txt", "with": { "path": "textkit.out" } }
  ]
}
JSON

if [ "$kuroshiro" = 1 ]; then
  command -v node >/dev/null && command -v npm >/dev/null ||
    bench_fail "furigana: kuroshiro needs node and npm (apt-get install nodejs npm), or pass --no-kuroshiro"
  echo "furigana: installing kuroshiro into $work/kuroshiro (npm)" >&2
  npm install --silent --no-audit --no-fund --prefix "$work/kuroshiro" \
    kuroshiro@1.2.0 kuroshiro-analyzer-kuromoji@1.1.0 >/dev/null 2>&1 ||
    bench_fail "furigana: npm install kuroshiro failed (no network?); pass --no-kuroshiro"
  cat >"$work/kuroshiro/run.js" <<'JS'
// Reads lines, writes each as kuroshiro furigana (ruby HTML), as textkit's step does.
const fs = require("fs");
const loaded = require("kuroshiro");
const Kuroshiro = loaded.default || loaded;
const KuromojiAnalyzer = require("kuroshiro-analyzer-kuromoji");
(async () => {
  const kuroshiro = new Kuroshiro();
  await kuroshiro.init(new KuromojiAnalyzer());
  const lines = fs.readFileSync(process.argv[2], "utf8").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const out = [];
  for (const line of lines) out.push(await kuroshiro.convert(line, { mode: "furigana", to: "hiragana" }));
  fs.writeFileSync(process.argv[3], out.join("\n") + "\n");
})();
JS
fi

# "seconds kilobytes" of one run of a command, run in $work. The seconds from the clock in
# nanoseconds: GNU time's %e has 10 ms steps, and these runs take tens of milliseconds (a ratio
# of 0.08 s to 0.04 s read 2.0 where the times were 145 ms and 32 ms).
measure() {
  local start end
  start=$(date +%s%N)
  (cd "$work" && /usr/bin/time -f "%M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt") ||
    { cat "$work/stderr.txt" >&2; bench_fail "furigana: failed: $*"; }
  end=$(date +%s%N)
  printf '%s %s\n' "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')" \
    "$(cat "$work/time.txt")"
}

# Median seconds and peak kilobytes over $runs runs (after one warm-up run).
median_of() {
  measure "$@" >/dev/null
  local i seconds=() kb=()
  for ((i = 0; i < runs; i++)); do
    read -r s k < <(measure "$@")
    seconds+=("$s")
    kb+=("$k")
  done
  printf '%s %s\n' "$(printf '%s\n' "${seconds[@]}" | median)" "$(printf '%s\n' "${kb[@]}" | median)"
}

read -r textkit_s textkit_kb < <(median_of "$textkit" run pipeline.json --progress none)
read -r mecab_s mecab_kb < <(median_of sh -c "mecab -d $dictionary < input.txt > mecab.out")
kuroshiro_s=
if [ "$kuroshiro" = 1 ]; then
  read -r kuroshiro_s kuroshiro_kb < <(median_of node kuroshiro/run.js input.txt kuroshiro.out)
fi

echo "furigana: $lines lines, $chars characters, median of $runs runs, whole process"
printf '  %-28s %8s s %8s MB\n' "textkit furigana (ruby)" "$(fmt "$textkit_s" 3)" "$(mb_of_kb "$textkit_kb")"
printf '  %-28s %8s s %8s MB\n' "mecab (morphemes only)" "$(fmt "$mecab_s" 3)" "$(mb_of_kb "$mecab_kb")"
status=0
ratio_mecab=$(awk -v a="$textkit_s" -v b="$mecab_s" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
if [ -n "$kuroshiro_s" ]; then
  printf '  %-28s %8s s %8s MB\n' "kuroshiro (furigana)" "$(fmt "$kuroshiro_s" 3)" "$(mb_of_kb "$kuroshiro_kb")"
  ratio_kuroshiro=$(awk -v a="$kuroshiro_s" -v b="$textkit_s" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')
  verdict_kuroshiro=$(verdict "$ratio_kuroshiro" ">=" 20)
  echo "  kuroshiro / textkit: ${ratio_kuroshiro}x (target >= 20x: $verdict_kuroshiro)"
  [ "$verdict_kuroshiro" = met ] || status=1
fi
verdict_mecab=$(verdict "$ratio_mecab" "<=" 2)
echo "  textkit / mecab:     ${ratio_mecab}x (target <= 2x: $verdict_mecab)"
[ "$verdict_mecab" = met ] || status=1
[ "$strict" = 1 ] && exit $status
exit 0
