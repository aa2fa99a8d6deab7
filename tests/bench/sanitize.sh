#!/usr/bin/env bash
# sanitize benchmarks (see README.md, "sanitize.sh"):
#  1. all rules on with exact dedup, textkit against tests/bench/sanitize_peer.py (the same rules
#     in Python: re, unicodedata, html, hashlib), side by side on the same 1 GB of JSONL;
#  2. near dedup at 100 MB, 500 MB and 1 GB: time per 100 MB and peak memory.
# Usage: tests/bench/sanitize.sh [--size MB] [--near-sizes "100 500 1000"] [--threads N]
#                                [--textkit PATH] [--python PATH] [--skip-python] [--quick] [--strict]
#   --quick   --size 100 --near-sizes "10 50 100": a smoke test of the script
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
source "$here/common.sh"

size=1000
near_sizes="100 500 1000"
threads=""
textkit_arg=""
python=python3
skip_python=0
strict=0
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size=$2; shift 2 ;;
    --near-sizes) near_sizes=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --textkit) textkit_arg=$2; shift 2 ;;
    --python) python=$2; shift 2 ;;
    --skip-python) skip_python=1; shift ;;
    --quick) size=100; near_sizes="10 50 100"; shift ;;
    --strict) strict=1; shift ;;
    -h | --help) sed -n '2,9p' "$0"; exit 0 ;;
    *) bench_fail "unknown option $1" ;;
  esac
done
textkit=$(find_textkit "$textkit_arg")
require_gnu_time
thread_args=()
[ -n "$threads" ] && thread_args=(--threads "$threads")
mkdir -p "$bench_data"
missed=0

# The input: records-<MB>MB.jsonl from gen_jsonl.awk, made once (the same bytes everywhere).
input_of() {
  local file="$bench_data/records-$1MB.jsonl"
  if [ ! -s "$file" ]; then
    echo "bench: generating $file" >&2
    LC_ALL=C awk -v mb="$1" -f "$here/gen_jsonl.awk" > "$file.tmp"
    mv "$file.tmp" "$file"
  fi
  echo "$file"
}

# measure OUTFILE CMD...: runs CMD under GNU time; prints "wall_seconds peak_kb cpu_seconds".
measure() {
  local out=$1
  shift
  local stats
  stats=$(mktemp)
  /usr/bin/time -f "%e %M %U %S" -o "$stats" "$@" > "$out"
  awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$stats"
  rm -f "$stats"
}

pipeline_for() {  # pipeline_for INPUT OUTPUT DEDUP EXTRA_JSON
  cat <<EOF
{ "textkit": 1, "steps": [
  { "use": "read.jsonl", "with": { "path": "$1" } },
  { "use": "sanitize", "with": { $4 "dedup": "$3" } },
  { "use": "write.jsonl", "with": { "path": "$2" } } ] }
EOF
}

# The options that mirror sanitize_peer.py, rule for rule.
all_rules='"urls": "replace", "redact": true, "hashtags": "strip", "drop_patterns": ["(?i)^rt @"],
  "min_chars": 5, "max_chars": 20000, "min_words": 2, "max_words": 5000, "fits": "tweet",
  "scripts": ["Latn", "Cyrl", "Grek", "Hebr", "Arab", "Jpan", "Hani", "Kore"],'

# ---- 1. all rules, exact dedup, against Python ---------------------------------------------------
input=$(input_of "$size")
bytes=$(stat -c %s "$input")
# A folder of its own, beside the data (not /tmp, which may be in memory), so two runs never
# delete each other's outputs.
work=$(mktemp -d "$bench_data/sanitize-work.XXXXXX")
trap 'rm -rf "$work"' EXIT
pipeline_for "$input" "$work/textkit.jsonl" exact "$all_rules" > "$work/all.json"
read -r t_wall t_kb t_cpu < <(measure /dev/null "$textkit" run "$work/all.json" --progress none "${thread_args[@]}")
t_records=$(wc -l < "$work/textkit.jsonl")
pipeline_for "$input" "$work/textkit-lang.jsonl" exact "$all_rules \"languages\": [\"en\"], \"unknown_language\": \"keep\"," > "$work/lang.json"
read -r l_wall l_kb l_cpu < <(measure /dev/null "$textkit" run "$work/lang.json" --progress none "${thread_args[@]}")
echo "sanitize all rules ${size}MB: textkit $(fmt "$(awk -v b="$bytes" -v t="$t_wall" 'BEGIN { print b / 1e6 / t }')" 1) MB/s" \
  "(${t_wall} s wall, ${t_cpu} s CPU, peak $(mb_of_kb "$t_kb") MB, kept $t_records records);" \
  "with languages (CLD2) too: ${l_wall} s wall, ${l_cpu} s CPU"
if [ "$skip_python" -eq 0 ]; then
  read -r p_wall p_kb p_cpu < <(measure "$work/python.jsonl" "$python" "$here/sanitize_peer.py" < "$input")
  p_records=$(wc -l < "$work/python.jsonl")
  ratio=$(awk -v p="$p_wall" -v t="$t_wall" 'BEGIN { print p / t }')
  cpu_ratio=$(awk -v p="$p_cpu" -v t="$t_cpu" 'BEGIN { print p / t }')
  v=$(verdict "$ratio" ">=" 10)
  [ "$v" = met ] || missed=1
  echo "sanitize all rules ${size}MB: python $(fmt "$(awk -v b="$bytes" -v t="$p_wall" 'BEGIN { print b / 1e6 / t }')" 1) MB/s" \
    "(${p_wall} s wall, ${p_cpu} s CPU, peak $(mb_of_kb "$p_kb") MB, kept $p_records records);" \
    "ratio $(fmt "$ratio" 1) wall (target >= 10: $v), $(fmt "$cpu_ratio" 1) CPU"
fi
rm -f "$work"/*.jsonl

# ---- 2. near dedup: time per 100 MB and peak memory --------------------------------------------
for mb in $near_sizes; do
  input=$(input_of "$mb")
  pipeline_for "$input" "$work/near.jsonl" near "" > "$work/near.json"
  read -r n_wall n_kb n_cpu < <(measure /dev/null "$textkit" run "$work/near.json" --progress none "${thread_args[@]}")
  kept=$(wc -l < "$work/near.jsonl")
  per100=$(awk -v t="$n_wall" -v m="$mb" 'BEGIN { print t * 100 / m }')
  v=$(verdict "$n_kb" "<" $((2 * 1024 * 1024)))
  [ "$v" = met ] || missed=1
  echo "sanitize near dedup ${mb}MB: ${n_wall} s wall (${n_cpu} s CPU), $(fmt "$per100" 2) s per 100 MB," \
    "peak $(mb_of_kb "$n_kb") MB (target < 2048 MB: $v), kept $kept records"
  rm -f "$work/near.jsonl"
done
rm -rf "$work"
if [ "$missed" -ne 0 ] && [ "$strict" -eq 1 ]; then exit 1; fi
exit 0
