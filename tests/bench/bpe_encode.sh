#!/usr/bin/env bash
# GPT-2 tokenizer encode throughput, single thread: textkit's bpe_tokenizer (gpt2_bpe_encode)
# against npm tiktoken (OpenAI's Rust tokenizer compiled to WASM, "gpt2" encoding) on the same
# documents, in one run. Both sides time encode() alone: loading the vocabulary and reading the
# documents are outside the clock on both. Target (issue 5): at least 3x tiktoken, on wall time;
# each side's CPU time is printed too (a steadier figure on a busy machine; node's includes V8's
# background threads).
#
# Usage: tests/bench/bpe_encode.sh [--mb N] [--runs N] [--textkit PATH] [--strict]
#   --mb N        size of each input in millions of bytes (default 12)
#   --runs N      timed runs of each side per input, after one untimed warm-up; medians (default 5)
#   --strict      exit 1 when the target is missed (by default only a wrong result fails)
# Inputs: "mixed", the tokenizer's evaluation corpus (plugins/gpt2/bpe/eval/make_corpus.py:
# English, code, Japanese, emoji, odd white space, random Unicode); "records", the text of the
# gen_jsonl.awk records the other benchmarks use (social posts in many scripts). Needs node and
# npm or curl; tiktoken goes into a scratch folder below tests/bench/data/ (gitignored).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "$0")/common.sh"

mb=12
runs=5
textkit_arg=
strict=0
while [ $# -gt 0 ]; do
  case "$1" in
    --mb) mb=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --textkit) textkit_arg=$2; shift 2 ;;
    --strict) strict=1; shift ;;
    -h | --help) sed -n '2,18p' "$0"; exit 0 ;;
    *) bench_fail "bpe_encode: unknown argument $1 (see --help)" ;;
  esac
done

textkit=$(find_textkit "$textkit_arg")
encoder=$(build_tool "$textkit" gpt2_bpe_encode)
vocab=$(gpt2_vocab)
command -v node >/dev/null || bench_fail "bpe_encode: needs node (apt-get install nodejs)"
eval_dir=$bench_root/plugins/gpt2/bpe/eval

mkdir -p "$bench_data"
"$eval_dir/install_tiktoken.sh" "$bench_data/tiktoken" ||
  bench_fail "bpe_encode: could not install npm tiktoken (no network?)"
work=$(mktemp -d "$bench_data/bpe.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The documents of each input, one JSON string a line.
python3 "$eval_dir/make_corpus.py" "$work/mixed.jsonl" --mb "$mb" \
  --shared "$bench_root/../shared/data" 2>/dev/null
LC_ALL=C awk -v mb="$mb" -f "$bench_root/tests/bench/gen_jsonl.awk" |
  python3 -c 'import json, sys
for line in sys.stdin:
    print(json.dumps(json.loads(line)["text"], ensure_ascii=False))' >"$work/records.jsonl"

# Prints "median_wall_seconds median_cpu_seconds tokens bytes" of one side's output ("run i: W s
# cpu C s" lines, then totals), leaving out the first run (the warm-up: WASM compilation, page
# faults).
summarise() {
  awk '/^run / && $2 != "1:" { print $3 }' "$1" | median | tr '\n' ' '
  awk '/^run / && $2 != "1:" { print $6 }' "$1" | median | tr '\n' ' '
  awk '/^tokens / { print $2, $4 }' "$1"
}

missed=0
echo "bpe_encode: $encoder against tiktoken $(node -p "require('$bench_data/tiktoken/node_modules/tiktoken/package.json').version") (WASM), $runs run(s) each after a warm-up, medians; MB = 10^6 bytes" >&2
for input in mixed records; do
  docs=$work/$input.jsonl
  "$encoder" "$vocab" "$docs" --runs $((runs + 1)) >"$work/textkit.out" ||
    bench_fail "gpt2_bpe_encode failed on $docs"
  node "$eval_dir/tiktoken_peer.js" "$bench_data/tiktoken/node_modules" "$docs" \
    --runs $((runs + 1)) >"$work/tiktoken.out" || bench_fail "tiktoken failed on $docs"
  read -r s_textkit cpu_textkit tokens_textkit bytes < <(summarise "$work/textkit.out")
  read -r s_tiktoken cpu_tiktoken tokens_tiktoken _ < <(summarise "$work/tiktoken.out")
  [ "$tokens_textkit" = "$tokens_tiktoken" ] ||
    bench_fail "$input: textkit made $tokens_textkit tokens, tiktoken $tokens_tiktoken"
  mb_s_textkit=$(awk -v b="$bytes" -v s="$s_textkit" 'BEGIN { print (s > 0 ? b / 1e6 / s : 0) }')
  mb_s_tiktoken=$(awk -v b="$bytes" -v s="$s_tiktoken" 'BEGIN { print (s > 0 ? b / 1e6 / s : 0) }')
  ratio=$(awk -v a="$mb_s_textkit" -v b="$mb_s_tiktoken" 'BEGIN { print (b > 0 ? a / b : 0) }')
  cpu_ratio=$(awk -v a="$cpu_textkit" -v b="$cpu_tiktoken" 'BEGIN { print (a > 0 ? b / a : 0) }')
  result=$(verdict "$ratio" ">=" 3)
  [ "$result" = met ] || missed=1
  echo "bpe_encode $input $(fmt "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" 1)MB" \
    "($tokens_textkit tokens, same count on both): textkit $(fmt "$mb_s_textkit" 1) MB/s" \
    "($(fmt "$s_textkit" 3) s), tiktoken $(fmt "$mb_s_tiktoken" 1) MB/s ($(fmt "$s_tiktoken" 3) s)," \
    "ratio $(fmt "$ratio" 2) (target >= 3: $result); CPU time $(fmt "$cpu_textkit" 3) s and" \
    "$(fmt "$cpu_tiktoken" 3) s, ratio $(fmt "$cpu_ratio" 2)"
done

if [ "$strict" = 1 ] && [ "$missed" = 1 ]; then
  echo "bpe_encode: the target was missed" >&2
  exit 1
fi
