#!/usr/bin/env bash
# Data-parallel GPT-2 training (issue 11): gpt2.train's tokens/s as one process and as two ranks
# over torch.distributed (Gloo on the loopback), each process on one core (threads 1, pinned with
# taskset when there is one), the same model and per-process batch; the all-reduce time per step
# as the trainer measures it; and the scaling efficiency, 2-rank tokens/s / (2 x 1-process).
#
# Usage: tests/bench/gpt2_distributed.sh [--steps N] [--rounds N] [--shape "L H C"]
#          [--block N] [--batch N] [--textkit PATH]
#   --steps N      optimizer steps per run (default 10); the first is left out
#   --rounds N     rounds, each running one process then two ranks; medians (default 1)
#   --shape L H C  layers, heads, width of the random model (default "6 6 384": 30M parameters
#                  with GPT-2's 50,257 tokens, 120 MB of gradients to all-reduce per step)
#   --block N      tokens per window (default 128)
#   --batch N      windows per process and step (default 4)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "$0")/common.sh"

steps=10
rounds=1
shape="6 6 384"
block=128
batch=4
textkit_arg=
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) steps=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --shape) shape=$2; shift 2 ;;
    --block) block=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --textkit) textkit_arg=$2; shift 2 ;;
    -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
    *) bench_fail "gpt2_distributed: unknown argument $1 (see --help)" ;;
  esac
done
[ "$steps" -ge 3 ] || bench_fail "gpt2_distributed: --steps must be at least 3"

textkit=$(find_textkit "$textkit_arg")
random_model=$(build_tool "$textkit" gpt2_random_model)
vocab=$(gpt2_vocab)
command -v python3 >/dev/null || bench_fail "needs python3 (to find a free port)"
corpus=$bench_root/corpora
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
load() { cut -d' ' -f1 /proc/loadavg; }
cores=$(nproc)
pin() {  # pin CORE COMMAND...: on that core when taskset is there
  local core=$1
  shift
  if command -v taskset >/dev/null && [ "$cores" -ge 2 ]; then taskset -c "$core" "$@"; else "$@"; fi
}

mkdir -p "$bench_data/gpt2"
work=$(mktemp -d "$bench_data/gpt2/distributed.XXXXXX")
trap 'rm -rf "$work"' EXIT

read -r layers heads width <<<"$shape"
model=$work/base
"$random_model" "$model" "$layers" "$heads" "$width" "$block" 50257 1
cp "$vocab/encoder.json" "$vocab/vocab.bpe" "$model/"

# pipeline FILE FOLDER: the training pipeline (rank and world size come from the environment).
pipeline() {
  cat >"$1" <<EOF
{"textkit": 1, "steps": [
  {"use": "read.txt", "with": {"path": "$corpus/tales", "split": "paragraph"}},
  {"use": "read.txt", "with": {"path": "$corpus/samples/text", "split": "paragraph"}},
  {"use": "gpt2.train", "with": {"path": "$2", "model": "$model", "steps": $steps,
    "block_size": $block, "batch_size": $batch, "learning_rate": 1e-4, "validation": 0,
    "eval_windows": 1, "log_every": 1, "threads": 1, "distributed": {"timeout_s": 120}}}]}
EOF
}

# Stamps each stderr line of a run with the time it arrived.
stamped() { while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done; }

# The median ms between consecutive step lines (steps 2..N) of a stamped log.
step_ms() {
  awk '{ sub(/ warning: [^:]*: /, " ") }
    $2 == "step" && $4 ~ /\]:$/ && $5 == "loss" {
      split($3, k, "/"); if (k[1] > 1) print ($1 - prev) * 1000; prev = $1 }' "$1" | median
}
# The medians over steps 2..N of the all-reduce ms and of the ms waiting for the slowest rank
# before it (each step line reports its own with log_every 1).
allreduce_ms() {
  local field
  for field in 1 2; do
    awk -v f=$field '/ step [0-9]+\/[0-9]+ .*all-reduce/ && !/ step 1\// {
        match($0, /all-reduce [0-9.]+ ms\/step \(and [0-9.]+ ms waiting/)
        split(substr($0, RSTART, RLENGTH), w, " ")
        print (f == 1) ? w[2] : w[5] }' "$1" | median
  done | tr '\n' ' '
}

run_one() {
  rm -rf "$work/one"
  pipeline "$work/one.json" "$work/one"
  { pin 0 "$textkit" run "$work/one.json" --progress none 2>&1 >/dev/null || echo "FAILED $?"; } |
    stamped >"$work/one.log"
  grep -q " FAILED" "$work/one.log" && { cat "$work/one.log" >&2; bench_fail "one process failed"; }
  step_ms "$work/one.log"
}

run_two() {
  rm -rf "$work/two" "$work/two.log" "$work/rank1.log"
  pipeline "$work/two.json" "$work/two"
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  export WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=$port
  { RANK=0 pin 0 "$textkit" run "$work/two.json" --progress none 2>&1 >/dev/null || echo "FAILED $?"; } |
    stamped >"$work/two.log" &
  local lead=$!
  RANK=1 pin 1 "$textkit" run "$work/two.json" --progress none >/dev/null 2>"$work/rank1.log" ||
    { cat "$work/rank1.log" >&2; bench_fail "rank 1 failed"; }
  wait "$lead"
  unset WORLD_SIZE MASTER_ADDR MASTER_PORT
  grep -q " FAILED" "$work/two.log" && { cat "$work/two.log" >&2; bench_fail "rank 0 failed"; }
  echo "$(step_ms "$work/two.log") $(allreduce_ms "$work/two.log")"
}

params=$(python3 -c "
L, C, T, V = $layers, $width, $block, 50257
print(V * C + T * C + L * (12 * C * C + 13 * C) + 2 * C)")
echo "gpt2_distributed: ${layers} layers x ${width} wide ($params parameters), block $block," \
  "batch $batch per process, $steps steps, threads 1 per process, $cores cores" >&2
declare -a one_ms two_ms reduce_ms wait_ms
for round in $(seq 1 "$rounds"); do
  echo "gpt2_distributed: round $round: one process (load $(load))" >&2
  ms=$(run_one)
  one_ms+=("$ms")
  echo "  1 process: $(fmt "$ms" 1) ms/step" >&2
  echo "gpt2_distributed: round $round: two ranks (load $(load))" >&2
  read -r ms reduce wait < <(run_two)
  two_ms+=("$ms")
  reduce_ms+=("$reduce")
  wait_ms+=("$wait")
  echo "  2 ranks:   $(fmt "$ms" 1) ms/step, all-reduce $(fmt "$reduce" 1) ms/step," \
    "waiting for the slowest rank $(fmt "$wait" 1) ms/step" >&2
done
one=$(printf '%s\n' "${one_ms[@]}" | median)
two=$(printf '%s\n' "${two_ms[@]}" | median)
reduce=$(printf '%s\n' "${reduce_ms[@]}" | median)
wait=$(printf '%s\n' "${wait_ms[@]}" | median)
tokens=$((batch * block))
awk -v one="$one" -v two="$two" -v reduce="$reduce" -v wait="$wait" -v t="$tokens" -v p="$params" \
  -v shape="${layers}x${width}" -v block="$block" -v batch="$batch" 'BEGIN {
  r1 = t / (one / 1000); r2 = 2 * t / (two / 1000)
  printf "train %s (%d parameters), block %d, batch %d per process, 1 thread each:\n", shape, p, block, batch
  printf "  1 process: %.1f ms/step, %.0f tokens/s\n", one, r1
  printf "  2 ranks:   %.1f ms/step, %.0f tokens/s; all-reduce %.1f ms/step (%.1f%% of a step, %.0f MB of gradients), waiting for the slowest rank %.1f ms/step\n", two, r2, reduce, 100 * reduce / two, p * 4 / 1e6, wait
  printf "  scaling efficiency: %.2f (2-rank tokens/s / (2 x 1-process tokens/s))\n", r2 / (2 * r1) }'
