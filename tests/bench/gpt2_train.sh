#!/usr/bin/env bash
# GPT-2 training speed (issue 6): textkit's gpt2.train against nanoGPT's train.py (on Debian's
# python3-torch, the same libtorch underneath) and llm.c's train_gpt2.c (CPU, OpenMP), on the 124M
# configuration with windows of 256 tokens, batch 4, fp32, the same threads; then textkit's peak
# memory fine-tuning 124M at block 1024, batch 1.
#
# Usage: tests/bench/gpt2_train.sh [--steps N] [--rounds N] [--threads N] [--nanogpt DIR]
#          [--llmc DIR] [--peers DIR] [--python PATH] [--no-nanogpt] [--no-llmc] [--no-memory]
#          [--textkit PATH] [--strict]
#   --steps N      optimizer steps per side and round (default 6); the first is left out
#   --rounds N     rounds, each running the three sides in turn; medians (default 1)
#   --threads N    threads of every side (default 2)
#   --nanogpt DIR  a checkout of github.com/karpathy/nanoGPT (default $NANOGPT_DIR, else cloned)
#   --llmc DIR     a checkout of github.com/karpathy/llm.c (default $LLMC_DIR, else cloned)
#   --peers DIR    where the peers are cloned and built, outside the repository (default
#                  $TEXTKIT_BENCH_PEERS, else ~/.cache/textkit-bench/gpt2, shared with
#                  gpt2_generate.sh)
#   --python PATH  the Python with Debian's torch (default /usr/bin/python3)
#   --strict       exit 1 when a target is missed (by default only a failed run fails)
# Neither peer is part of textkit: they are fetched and built here, at run time, never committed.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "$0")/common.sh"

steps=6
rounds=1
threads=2
nanogpt_dir=${NANOGPT_DIR:-}
llmc_dir=${LLMC_DIR:-}
peers=${TEXTKIT_BENCH_PEERS:-${XDG_CACHE_HOME:-$HOME/.cache}/textkit-bench/gpt2}
python=/usr/bin/python3
use_nanogpt=1
use_llmc=1
use_memory=1
textkit_arg=
strict=0
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) steps=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --nanogpt) nanogpt_dir=$2; shift 2 ;;
    --llmc) llmc_dir=$2; shift 2 ;;
    --peers) peers=$2; shift 2 ;;
    --python) python=$2; shift 2 ;;
    --no-nanogpt) use_nanogpt=0; shift ;;
    --no-llmc) use_llmc=0; shift ;;
    --no-memory) use_memory=0; shift ;;
    --textkit) textkit_arg=$2; shift 2 ;;
    --strict) strict=1; shift ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    *) bench_fail "gpt2_train: unknown argument $1 (see --help)" ;;
  esac
done
[ "$steps" -ge 3 ] || bench_fail "gpt2_train: --steps must be at least 3"

textkit=$(find_textkit "$textkit_arg")
random_model=$(build_tool "$textkit" gpt2_random_model)
require_gnu_time
vocab=$(gpt2_vocab)
here=$bench_root/tests/bench
tools=$here/gpt2_peers.py

# The commits these figures were measured with; a given checkout is used as it is.
nanogpt_repo=https://github.com/karpathy/nanoGPT
nanogpt_commit=3adf61e154c3fe3fca428ad6bc3818b27a3b8291
llmc_repo=https://github.com/karpathy/llm.c
llmc_commit=f1e2ace651495b74ae22d45d1723443fd00ecd3a

clone_peer() {
  local name=$1 repo=$2 commit=$3
  local dir=$peers/src/$name
  if [ ! -d "$dir/.git" ]; then
    echo "gpt2_train: cloning $repo into $dir" >&2
    mkdir -p "$peers/src"
    git clone --quiet "$repo" "$dir" >&2 || bench_fail "could not clone $repo (no network? pass --$name DIR)"
    git -C "$dir" checkout --quiet "$commit" >&2
  fi
  echo "$dir"
}

load() { cut -d' ' -f1 /proc/loadavg; }

# textkit sets OMP_WAIT_POLICY=PASSIVE for itself unless the user did (spinning OpenMP threads
# stall each other on a loaded machine); the peers get the same policy, so threads compare.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}

mkdir -p "$bench_data/gpt2" "$peers"
work=$(mktemp -d "$bench_data/gpt2/train.XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- Weights and data ------------------------------------------------------------------------
model=$bench_data/gpt2/124M
llmc_bin=$bench_data/gpt2/gpt2_124M.bin
if [ ! -s "$model/model.safetensors" ]; then
  echo "gpt2_train: writing a random 124M model (seed 1) into $model" >&2
  rm -rf "$model"
  "$random_model" "$model" 12 12 768 1024 50257 1
  cp "$vocab/encoder.json" "$vocab/vocab.bpe" "$model/"
fi
# The training text: the sample corpora, as records of gpt2.train and, tokenized by textkit's
# gpt2.tokenize (documents separated by <|endoftext|>), as the uint16 ids nanoGPT and llm.c read.
corpus=$bench_root/corpora
cat >"$work/tokenize.json" <<EOF
{"textkit": 1, "steps": [
  {"use": "read.txt", "with": {"path": "$corpus/tales", "split": "paragraph"}},
  {"use": "read.txt", "with": {"path": "$corpus/samples/text", "split": "paragraph"}},
  {"use": "gpt2.tokenize", "with": {"tokenizer": "$vocab", "end_of_text": true}},
  {"use": "write.jsonl", "with": {"path": "$work/tokens.jsonl"}}]}
EOF
"$textkit" run "$work/tokenize.json" --progress none
"$python" - "$work/tokens.jsonl" "$work/data/textkit" <<'EOF'
import array, json, os, sys
ids = array.array("H")
for line in open(sys.argv[1]):
    ids.extend(json.loads(line)["meta"]["tokens"])
os.makedirs(sys.argv[2], exist_ok=True)
for name in ("train.bin", "val.bin"):
    with open(os.path.join(sys.argv[2], name), "wb") as f:
        ids.tofile(f)
print(f"gpt2_train: {len(ids)} tokens of the sample corpora", file=sys.stderr)
EOF

# --- Peers -----------------------------------------------------------------------------------
if [ "$use_nanogpt" = 1 ]; then
  "$python" -c "import torch, numpy" 2>/dev/null ||
    bench_fail "$python has no torch or numpy (apt-get install python3-torch; ./setup.sh bench installs it)"
  [ -n "$nanogpt_dir" ] || nanogpt_dir=$(clone_peer nanogpt "$nanogpt_repo" "$nanogpt_commit")
  [ -f "$nanogpt_dir/train.py" ] || bench_fail "no train.py in $nanogpt_dir"
  # train.py reads configurator.py and data/<dataset>/ from the working directory.
  ln -sf "$nanogpt_dir/configurator.py" "$work/configurator.py"
fi
if [ "$use_llmc" = 1 ]; then
  [ -n "$llmc_dir" ] || llmc_dir=$(clone_peer llmc "$llmc_repo" "$llmc_commit")
  [ -f "$llmc_dir/train_gpt2.c" ] || bench_fail "no train_gpt2.c in $llmc_dir"
  llmc=$peers/gpt2_llmc_train
  # llm.c's own Makefile flags for its CPU build (-Ofast -march=native, OpenMP).
  if [ ! -x "$llmc" ] || [ "$here/gpt2_llmc_train.c" -nt "$llmc" ] ||
    [ "$llmc_dir/train_gpt2.c" -nt "$llmc" ]; then
    echo "gpt2_train: building llm.c's train_gpt2.c into $llmc" >&2
    cc -Ofast -march=native -fopenmp -Wno-unused-result -I "$llmc_dir" -o "$llmc" \
      "$here/gpt2_llmc_train.c" -lm
  fi
  if [ ! -s "$llmc_bin" ] || [ "$tools" -nt "$llmc_bin" ] || [ "$model/model.safetensors" -nt "$llmc_bin" ]; then
    echo "gpt2_train: converting to llm.c's format: $llmc_bin" >&2
    python3 "$tools" llmc "$model" "$llmc_bin"
  fi
fi

# --- One side each ---------------------------------------------------------------------------
# Each prints "<median ms per step> <first step's loss>", the median over steps 2..N.

# Per-step times from the moments gpt2.train's progress lines ("step k/N [...]: loss L, ...")
# reach stderr, each written right after its step's update: the same wall time per iteration
# as nanoGPT's "time" and llm.c's clock.
run_textkit() {
  rm -rf "$work/tk-model"
  cat >"$work/train.json" <<EOF
{"textkit": 1, "steps": [
  {"use": "read.txt", "with": {"path": "$corpus/tales", "split": "paragraph"}},
  {"use": "read.txt", "with": {"path": "$corpus/samples/text", "split": "paragraph"}},
  {"use": "gpt2.train", "with": {"path": "$work/tk-model", "model": "$model", "steps": $steps,
    "block_size": 256, "batch_size": 4, "learning_rate": 1e-4, "validation": 0,
    "eval_windows": 1, "log_every": 1, "threads": $threads}}]}
EOF
  { "$textkit" run "$work/train.json" --progress none 2>&1 >/dev/null || echo "FAILED $?"; } |
    while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done >"$work/textkit.log"
  if grep -q "^[0-9.]* FAILED" "$work/textkit.log"; then
    cat "$work/textkit.log" >&2
    bench_fail "textkit's training failed"
  fi
  awk '
    { sub(/ warning: [^:]*: /, " ") }
    $2 == "step" && $4 ~ /\]:$/ && $5 == "loss" {
      split($3, k, "/")
      if (k[1] == 1) { first = $6; sub(/,/, "", first) }
      if (k[1] > 1) print ($1 - prev) * 1000
      prev = $1
    }
    END { print "loss", first > "/dev/stderr" }' "$work/textkit.log" 2>"$work/textkit.loss" |
    median | tr '\n' ' '
  awk '{ print $2 }' "$work/textkit.loss"
}

run_nanogpt() {
  rm -rf "$work/nanogpt-out"
  (cd "$work" && OMP_NUM_THREADS=$threads "$python" "$nanogpt_dir/train.py" --dataset=textkit \
    --device=cpu --dtype=float32 --compile=False --batch_size=4 --block_size=256 \
    --gradient_accumulation_steps=1 --bias=True --dropout=0.0 --eval_iters=1 \
    --eval_interval=1000000 --always_save_checkpoint=False --log_interval=1 \
    --max_iters="$((steps - 1))" --warmup_iters=0 --out_dir="$work/nanogpt-out" \
    >"$work/nanogpt.log" 2>&1) ||
    { cat "$work/nanogpt.log" >&2; bench_fail "nanoGPT's train.py failed"; }
  # iter 0's time includes train.py's first evaluation: left out with the first step.
  awk '/^iter [0-9]+: loss/ { i = $2 + 0; ms = $6; sub(/ms,?/, "", ms); if (i >= 1) print ms }' \
    "$work/nanogpt.log" | median | tr '\n' ' '
  awk '/^iter 0: loss/ { l = $4; sub(/,/, "", l); print l }' "$work/nanogpt.log"
}

run_llmc() {
  OMP_NUM_THREADS=$threads "$llmc" "$llmc_bin" "$work/data/textkit/train.bin" 4 256 "$steps" \
    >"$work/llmc.log" 2>&1 || { cat "$work/llmc.log" >&2; bench_fail "llm.c failed"; }
  awk '/^llm.c: median step/ { ms = $4 } /^step 1: loss/ { l = $4; sub(/,/, "", l) }
    END { print ms, l }' "$work/llmc.log"
}

tps() { awk -v ms="$1" 'BEGIN { printf "%.1f", 1024 / (ms / 1000) }'; }

declare -a tk_ms ng_ms lc_ms
for round in $(seq 1 "$rounds"); do
  echo "gpt2_train: round $round: textkit (load $(load))" >&2
  read -r ms loss < <(run_textkit)
  tk_ms+=("$ms")
  echo "  textkit: $(fmt "$ms" 1) ms/step, $(tps "$ms") tokens/s, first loss $loss (load $(load))"
  if [ "$use_nanogpt" = 1 ]; then
    echo "gpt2_train: round $round: nanoGPT (load $(load))" >&2
    read -r ms loss < <(run_nanogpt)
    ng_ms+=("$ms")
    echo "  nanoGPT: $(fmt "$ms" 1) ms/step, $(tps "$ms") tokens/s, first loss $loss (load $(load))"
  fi
  if [ "$use_llmc" = 1 ]; then
    echo "gpt2_train: round $round: llm.c (load $(load))" >&2
    read -r ms loss < <(run_llmc)
    lc_ms+=("$ms")
    echo "  llm.c:   $(fmt "$ms" 1) ms/step, $(tps "$ms") tokens/s, first loss $loss (load $(load))"
  fi
done

missed=0
tk=$(printf '%s\n' "${tk_ms[@]}" | median)
line="train 124M, block 256, batch 4, fp32, $threads threads, $rounds round(s) of $steps steps: textkit $(tps "$tk") tokens/s"
fastest=
if [ "$use_nanogpt" = 1 ]; then
  ng=$(printf '%s\n' "${ng_ms[@]}" | median)
  line+=", nanoGPT $(tps "$ng") (textkit/nanoGPT $(awk -v a="$ng" -v b="$tk" 'BEGIN { printf "%.2f", a / b }'))"
  fastest=$ng
fi
if [ "$use_llmc" = 1 ]; then
  lc=$(printf '%s\n' "${lc_ms[@]}" | median)
  line+=", llm.c $(tps "$lc") (textkit/llm.c $(awk -v a="$lc" -v b="$tk" 'BEGIN { printf "%.2f", a / b }'))"
  if [ -z "$fastest" ] || awk -v a="$lc" -v b="$fastest" 'BEGIN { exit !(a < b) }'; then fastest=$lc; fi
fi
if [ -n "$fastest" ]; then
  ratio=$(awk -v a="$fastest" -v b="$tk" 'BEGIN { printf "%.2f", a / b }')
  v=$(verdict "$ratio" ">=" 1)
  [ "$v" = met ] || missed=1
  line+="; against the faster $ratio (target >= 1: $v)"
fi
echo "$line (load $(load))"

# --- Memory: fine-tuning 124M at block 1024, batch 1 ------------------------------------------
if [ "$use_memory" = 1 ]; then
  rm -rf "$work/tk-model"
  cat >"$work/finetune.json" <<EOF
{"textkit": 1, "steps": [
  {"use": "read.txt", "with": {"path": "$corpus/tales", "split": "paragraph"}},
  {"use": "gpt2.train", "with": {"path": "$work/tk-model", "model": "$model", "steps": 2,
    "block_size": 1024, "batch_size": 1, "validation": 0, "eval_windows": 1, "threads": $threads}}]}
EOF
  /usr/bin/time -f "%e %M" -o "$work/time" "$textkit" run "$work/finetune.json" --progress none \
    2>"$work/finetune.log" || { cat "$work/finetune.log" >&2; bench_fail "fine-tuning failed"; }
  read -r seconds kb <"$work/time"
  mb=$(mb_of_kb "$kb")
  v=$(verdict "$mb" "<" 4096)
  [ "$v" = met ] || missed=1
  echo "train memory: textkit fine-tuning 124M, block 1024, batch 1, 2 steps and a checkpoint: peak RSS $mb MB in $(fmt "$seconds" 1) s (target < 4096 MB: $v) (load $(load))"
fi

if [ "$strict" = 1 ] && [ "$missed" = 1 ]; then exit 1; fi
exit 0
