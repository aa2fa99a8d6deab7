#!/usr/bin/env bash
# JSONL throughput: textkit (read.jsonl -> write.jsonl) against `jq -c .` on the same file, run
# alternately, plus textkit's peak memory on a small and a large file (it should not grow with the
# input: records stream).
#
# Usage: tests/bench/jsonl_throughput.sh [--size MB] [--small MB] [--runs N] [--textkit PATH]
#                                        [--threads N] [--strict]
#   --size MB     the large file, in millions of bytes (default 1000)
#   --small MB    the small file, for the memory comparison (default 100)
#   --runs N      runs of each program per file, alternating; medians are reported (default 3)
#   --strict      exit 1 when a target is missed (by default only a wrong result fails)
# Data files are generated once into tests/bench/data/ (gitignored), deterministically.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "$0")/common.sh"

size=1000
small=100
runs=3
textkit_arg=
threads=
strict=0
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size=$2; shift 2 ;;
    --small) small=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --textkit) textkit_arg=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --strict) strict=1; shift ;;
    -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
    *) bench_fail "jsonl_throughput: unknown argument $1 (see --help)" ;;
  esac
done

textkit=$(find_textkit "$textkit_arg")
require_gnu_time
have_jq=1
command -v jq >/dev/null || have_jq=0
[ "$have_jq" = 1 ] || echo "jsonl: jq is not installed (apt-get install jq): textkit alone" >&2

# Generates (once) `mb` million bytes of records; prints the file's path.
data_file() {
  local mb=$1
  local file=$bench_data/records-${mb}MB.jsonl
  if [ ! -s "$file" ] || [ "$bench_root/tests/bench/gen_jsonl.awk" -nt "$file" ]; then
    mkdir -p "$bench_data"
    echo "jsonl: generating $file" >&2
    LC_ALL=C awk -v mb="$mb" -f "$bench_root/tests/bench/gen_jsonl.awk" >"$file.tmp"
    mv "$file.tmp" "$file"
  fi
  echo "$file"
}

# Outputs go beside the data (not to /tmp, which may be in memory).
mkdir -p "$bench_data"
work=$(mktemp -d "$bench_data/run.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Runs a command under GNU time; appends "seconds kilobytes" to the file `into`.
measure() {
  local into=$1
  shift
  if ! /usr/bin/time -f "%e %M" -o "$work/time" "$@" 2>"$work/stderr"; then
    cat "$work/stderr" >&2
    bench_fail "failed: $*"
  fi
  cat "$work/time" >>"$into"
}

# Benchmarks one file; sets mb_s_textkit, mb_s_jq, rss_textkit (kB), rss_jq.
bench_file() {
  local file=$1
  local bytes lines
  bytes=$(stat -c %s "$file")
  lines=$(wc -l <"$file")
  cat >"$work/pipeline.json" <<EOF
{
  "textkit": 1,
  "steps": [
    { "use": "read.jsonl", "with": { "path": "$file" } },
    { "use": "write.jsonl", "with": { "path": "$work/textkit.jsonl" } }
  ]
}
EOF
  local textkit_cmd=("$textkit" run "$work/pipeline.json" --progress none)
  [ -n "$threads" ] && textkit_cmd+=(--threads "$threads")
  : >"$work/textkit.times"
  : >"$work/jq.times"
  cat "$file" >/dev/null  # the first run should not pay for the page cache alone

  local i
  for ((i = 1; i <= runs; i++)); do
    measure "$work/textkit.times" "${textkit_cmd[@]}"
    local out_lines
    out_lines=$(wc -l <"$work/textkit.jsonl")
    [ "$out_lines" -eq "$lines" ] ||
      bench_fail "textkit wrote $out_lines records of $lines from $file"
    rm -f "$work/textkit.jsonl"
    if [ "$have_jq" = 1 ]; then
      # shellcheck disable=SC2016 # expanded by the inner shell
      measure "$work/jq.times" sh -c 'exec jq -c . "$1" >"$2"' jq "$file" "$work/jq.jsonl"
      rm -f "$work/jq.jsonl"
    fi
  done

  local mb seconds
  mb=$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')
  seconds=$(awk '{ print $1 }' "$work/textkit.times" | median)
  mb_s_textkit=$(awk -v mb="$mb" -v s="$seconds" 'BEGIN { print (s > 0 ? mb / s : 0) }')
  rss_textkit=$(awk '{ print $2 }' "$work/textkit.times" | median)
  seconds_textkit=$seconds
  mb_s_jq=0
  rss_jq=0
  seconds_jq=0
  if [ "$have_jq" = 1 ]; then
    seconds_jq=$(awk '{ print $1 }' "$work/jq.times" | median)
    mb_s_jq=$(awk -v mb="$mb" -v s="$seconds_jq" 'BEGIN { print (s > 0 ? mb / s : 0) }')
    rss_jq=$(awk '{ print $2 }' "$work/jq.times" | median)
  fi
}

missed=0
report_file() {
  local label=$1
  if [ "$have_jq" = 0 ]; then
    echo "jsonl $label: textkit $(fmt "$mb_s_textkit") MB/s ($(fmt "$seconds_textkit" 2) s)"
    return
  fi
  local ratio result
  ratio=$(awk -v a="$mb_s_textkit" -v b="$mb_s_jq" 'BEGIN { print (b > 0 ? a / b : 0) }')
  result=$(verdict "$ratio" ">=" 2)
  [ "$result" = met ] || missed=1
  echo "jsonl $label: textkit $(fmt "$mb_s_textkit") MB/s ($(fmt "$seconds_textkit" 2) s)," \
    "jq $(fmt "$mb_s_jq") MB/s ($(fmt "$seconds_jq" 2) s), ratio $(fmt "$ratio" 2)" \
    "(target >= 2: $result)"
}

echo "jsonl: $textkit, $runs run(s) each, medians; MB = 10^6 bytes" >&2
small_file=$(data_file "$small")
large_file=$(data_file "$size")

bench_file "$small_file"
rss_small=$rss_textkit
rss_jq_small=$rss_jq
report_file "${small}MB"

bench_file "$large_file"
rss_large=$rss_textkit
rss_jq_large=$rss_jq
report_file "${size}MB"

rss_ratio=$(awk -v a="$rss_large" -v b="$rss_small" 'BEGIN { print (b > 0 ? a / b : 0) }')
rss_result=$(verdict "$rss_ratio" "<=" 1.10)
[ "$rss_result" = met ] || missed=1
line="rss: textkit peak $(mb_of_kb "$rss_small") MB at ${small}MB, $(mb_of_kb "$rss_large") MB"
line+=" at ${size}MB, ratio $(fmt "$rss_ratio" 2) (target <= 1.10: $rss_result)"
[ "$have_jq" = 1 ] &&
  line+="; jq $(mb_of_kb "$rss_jq_small") MB and $(mb_of_kb "$rss_jq_large") MB"
echo "$line"

if [ "$strict" = 1 ] && [ "$missed" = 1 ]; then
  echo "jsonl: a target was missed" >&2
  exit 1
fi
