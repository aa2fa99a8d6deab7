# shellcheck shell=bash
# Helpers shared by the benchmark scripts (sourced, not run).
# shellcheck disable=SC2034 # the variables are for the scripts that source this file

bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bench_data=$bench_root/tests/bench/data

bench_fail() {
  echo "bench: $*" >&2
  exit 1
}

# The textkit to measure: --textkit, else $TEXTKIT_BIN, else the build tree's.
find_textkit() {
  local given=$1
  local candidate=${given:-${TEXTKIT_BIN:-${TEXTKIT_BUILD_DIR:-$bench_root/build}/bin/textkit}}
  [ -x "$candidate" ] || bench_fail "no textkit at $candidate (build first: ./setup.sh build)"
  echo "$candidate"
}

# A program the build makes beside textkit (a test or benchmark tool): its path, or a failure
# naming the target to build.
build_tool() {
  local tool
  tool=$(dirname "$1")/$2
  [ -x "$tool" ] || bench_fail "no $tool (build the target $2)"
  echo "$tool"
}

# GPT-2's vocabulary folder (encoder.json, vocab.bpe), which ./setup.sh build fetches.
gpt2_vocab() {
  local vocab=$bench_root/third_party/gpt2-vocab
  [ -f "$vocab/encoder.json" ] || bench_fail "no GPT-2 vocabulary in $vocab (./setup.sh build fetches it)"
  echo "$vocab"
}

# GNU time prints "%e %M"; busybox and BSD time do not.
require_gnu_time() {
  if ! /usr/bin/time -f "%e" true >/dev/null 2>&1; then
    bench_fail "needs GNU time at /usr/bin/time (apt-get install time)"
  fi
}

# The median of the numbers on stdin, one a line.
median() {
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print 0; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    print m }'
}

# "met" or "MISSED" for `value op target`, op one of >= <= <.
verdict() {
  awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
    ok = (op == ">=") ? v >= t : (op == "<=") ? v <= t : v < t
    print ok ? "met" : "MISSED" }'
}

# Formats a number with `digits` decimals.
fmt() {
  awk -v v="$1" -v d="${2:-0}" 'BEGIN { printf "%.*f", d, v }'
}

# Kilobytes (as GNU time's %M) as megabytes (2^20 bytes), one decimal.
mb_of_kb() {
  awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'
}
