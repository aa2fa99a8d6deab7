#!/usr/bin/env bash
# negate benchmark (figures in docs/plugins/negate.md): sentences per second on a ~10,000-word story,
# with --threads 1 and with all threads; target at least 50 sentences/s per core.
# The story is corpora/tales/*.txt and the English texts of corpora/samples/text concatenated until
# it holds
# --words words (the same bytes on every run), read paragraph by paragraph. Per core is judged on
# CPU time (user + system of the whole run, start-up and dictionary loading included), which a
# busy machine does not distort the way it distorts wall time.
# Usage: tests/bench/negate.sh [--words N] [--runs N] [--textkit PATH] [--strict]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
source "$here/common.sh"

words=10000
runs=3
textkit_arg=""
strict=0
while [ $# -gt 0 ]; do
  case "$1" in
    --words) words=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --textkit) textkit_arg=$2; shift 2 ;;
    --strict) strict=1; shift ;;
    -h | --help) sed -n '2,7p' "$0"; exit 0 ;;
    *) bench_fail "unknown option $1" ;;
  esac
done
textkit=$(find_textkit "$textkit_arg")
require_gnu_time
mkdir -p "$bench_data"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

story="$bench_data/negate-story-${words}w.txt"
if [ ! -s "$story" ]; then
  sources=("$bench_root"/corpora/tales/*.txt "$bench_root"/corpora/samples/text/blog-learning-to-run.txt
    "$bench_root"/corpora/samples/text/diary-2019-11-03.txt "$bench_root"/corpora/samples/text/posts-short.txt)
  : > "$story.tmp"
  while [ "$(wc -w < "$story.tmp")" -lt "$words" ]; do
    for f in "${sources[@]}"; do
      cat "$f" >> "$story.tmp"
      printf '\n\n' >> "$story.tmp"
    done
  done
  mv "$story.tmp" "$story"
fi

cat > "$work/bench.json" <<JSON
{ "textkit": 1, "steps": [
  { "use": "read.txt", "with": { "path": "$story", "split": "paragraph" } },
  { "use": "negate", "with": { "scope": "story" } },
  { "use": "write.txt", "with": { "path": "$work/out.txt" } } ] }
JSON

cores=$(nproc)
echo "negate: $(wc -w < "$story") words, $cores cores, median of $runs runs"
missed=0
for threads in 1 "$cores"; do
  rates=()
  cpu_rates=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%U %S" -o "$work/time" \
      "$textkit" run "$work/bench.json" --progress none --threads "$threads" 2> "$work/err"
    sentences=$(sed -n 's/.*negate: \([0-9]*\) sentences.*/\1/p' "$work/err")
    seconds=$(awk '$1 == "negate" { print $5 }' "$work/err")
    rates+=("$(awk -v n="$sentences" -v s="$seconds" 'BEGIN { printf "%.1f", n / (s > 0 ? s : 0.001) }')")
    cpu_rates+=("$(awk -v n="$sentences" '{ printf "%.1f", n / ($1 + $2) }' "$work/time")")
  done
  rate=$(printf '%s\n' "${rates[@]}" | median)
  cpu_rate=$(printf '%s\n' "${cpu_rates[@]}" | median)
  per_core=$(awk -v r="$rate" -v t="$threads" 'BEGIN { printf "%.1f", r / t }')
  v=$(verdict "$cpu_rate" ">=" 50)
  [ "$v" = met ] || missed=1
  echo "  --threads $threads: $sentences sentences in the negate step: $(fmt "$rate" 1) sentences/s" \
    "wall ($per_core per thread); $cpu_rate sentences per CPU-second of the whole run" \
    "(target >= 50 per core: $v)"
done
[ "$strict" = 1 ] && [ "$missed" = 1 ] && exit 1
exit 0
