#!/usr/bin/env bash
# GPT-2 generation speed (issue 5): textkit's gpt2.generate against llm.c's train_gpt2.c (CPU) and
# ggml's examples/gpt-2, on the same random 124M weights: batch 1, a 64-token prompt, 256 new
# tokens, fp32, with 1 and 2 threads, rounds alternating between the three; the memory read
# bandwidth measured in each round and textkit's speed as a fraction of the bound it sets (bytes of
# weights a decoded token reads / bandwidth); textkit's batch-8 throughput and peak memory.
#
# Usage: tests/bench/gpt2_generate.sh [--rounds N] [--llmc-rounds N] [--threads "1 2"]
#          [--llmc DIR] [--ggml DIR] [--peers DIR] [--no-llmc] [--no-ggml] [--no-verify]
#          [--textkit PATH] [--strict]
#   --rounds N       rounds of textkit and ggml per thread count; medians (default 3)
#   --llmc-rounds N  rounds of llm.c (it recomputes the whole text per token: minutes; default 1)
#   --llmc DIR       a checkout of github.com/karpathy/llm.c (default $LLMC_DIR, else cloned)
#   --ggml DIR       a checkout of github.com/ggml-org/ggml (default $GGML_DIR, else cloned)
#   --peers DIR      where the peers are cloned and built, outside the repository (default
#                    $TEXTKIT_BENCH_PEERS, else ~/.cache/textkit-bench/gpt2)
#   --no-verify      skip the checks that the three programs compute the same model
#   --strict         exit 1 when a target is missed (by default only a wrong result fails)
# Neither peer is part of textkit: they are fetched and built here, at run time, never committed.
# Model files (~1.5 GB) are written once into tests/bench/data/gpt2/ (gitignored).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "$0")/common.sh"

rounds=3
llmc_rounds=1
thread_counts="1 2"
llmc_dir=${LLMC_DIR:-}
ggml_dir=${GGML_DIR:-}
peers=${TEXTKIT_BENCH_PEERS:-${XDG_CACHE_HOME:-$HOME/.cache}/textkit-bench/gpt2}
use_llmc=1
use_ggml=1
verify=1
textkit_arg=
strict=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --llmc-rounds) llmc_rounds=$2; shift 2 ;;
    --threads) thread_counts=$2; shift 2 ;;
    --llmc) llmc_dir=$2; shift 2 ;;
    --ggml) ggml_dir=$2; shift 2 ;;
    --peers) peers=$2; shift 2 ;;
    --no-llmc) use_llmc=0; shift ;;
    --no-ggml) use_ggml=0; shift ;;
    --no-verify) verify=0; shift ;;
    --textkit) textkit_arg=$2; shift 2 ;;
    --strict) strict=1; shift ;;
    -h | --help) sed -n '2,22p' "$0"; exit 0 ;;
    *) bench_fail "gpt2_generate: unknown argument $1 (see --help)" ;;
  esac
done

textkit=$(find_textkit "$textkit_arg")
random_model=$(build_tool "$textkit" gpt2_random_model)
require_gnu_time
vocab=$(gpt2_vocab)
here=$bench_root/tests/bench
tools=$here/gpt2_peers.py

# The commits these figures were measured with; a given checkout is used as it is.
llmc_repo=https://github.com/karpathy/llm.c
llmc_commit=f1e2ace651495b74ae22d45d1723443fd00ecd3a
ggml_repo=https://github.com/ggml-org/ggml
ggml_commit=9a4acb374565f4146b8d6eb1cffdcd7d437d1ba2

# Clones `repo` at `commit` into the peers folder unless it is there; prints the folder.
clone_peer() {
  local name=$1 repo=$2 commit=$3
  local dir=$peers/src/$name
  if [ ! -d "$dir/.git" ]; then
    echo "gpt2: cloning $repo into $dir" >&2
    mkdir -p "$peers/src"
    git clone --quiet "$repo" "$dir" >&2 || bench_fail "could not clone $repo (no network? pass --$name DIR)"
    git -C "$dir" checkout --quiet "$commit" >&2
  fi
  echo "$dir"
}

mkdir -p "$bench_data/gpt2" "$peers"
work=$(mktemp -d "$bench_data/gpt2/run.XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- Weights: one random 124M model, in the three formats -----------------------------------
model=$bench_data/gpt2/124M
llmc_bin=$bench_data/gpt2/gpt2_124M.bin
ggml_bin=$bench_data/gpt2/ggml-model-f32.bin
if [ ! -s "$model/model.safetensors" ]; then
  echo "gpt2: writing a random 124M model (seed 1) into $model" >&2
  rm -rf "$model"
  "$random_model" "$model" 12 12 768 1024 50257 1
  cp "$vocab/encoder.json" "$vocab/vocab.bpe" "$model/"
fi
if [ ! -s "$llmc_bin" ] || [ "$tools" -nt "$llmc_bin" ] || [ "$model/model.safetensors" -nt "$llmc_bin" ]; then
  echo "gpt2: converting to llm.c's format: $llmc_bin" >&2
  python3 "$tools" llmc "$model" "$llmc_bin"
fi
if [ ! -s "$ggml_bin" ] || [ "$tools" -nt "$ggml_bin" ] || [ "$model/model.safetensors" -nt "$ggml_bin" ]; then
  echo "gpt2: converting to ggml's format: $ggml_bin" >&2
  python3 "$tools" ggml "$model" "$vocab" "$ggml_bin"
fi

# --- Programs: the bandwidth probe, llm.c through its driver, ggml's example -----------------
membw=$peers/gpt2_membw
if [ ! -x "$membw" ] || [ "$here/gpt2_membw.cpp" -nt "$membw" ]; then
  c++ -O3 -march=native -fopenmp -o "$membw" "$here/gpt2_membw.cpp"
fi
if [ "$use_llmc" = 1 ]; then
  [ -n "$llmc_dir" ] || llmc_dir=$(clone_peer llmc "$llmc_repo" "$llmc_commit")
  [ -f "$llmc_dir/train_gpt2.c" ] || bench_fail "no train_gpt2.c in $llmc_dir"
  llmc=$peers/gpt2_llmc_driver
  # llm.c's own Makefile flags for its CPU build (-Ofast -march=native, OpenMP).
  if [ ! -x "$llmc" ] || [ "$here/gpt2_llmc_driver.c" -nt "$llmc" ] ||
    [ "$llmc_dir/train_gpt2.c" -nt "$llmc" ]; then
    echo "gpt2: building llm.c's train_gpt2.c into $llmc" >&2
    cc -Ofast -march=native -fopenmp -Wno-unused-result -I "$llmc_dir" -o "$llmc" \
      "$here/gpt2_llmc_driver.c" -lm
  fi
fi
if [ "$use_ggml" = 1 ]; then
  [ -n "$ggml_dir" ] || ggml_dir=$(clone_peer ggml "$ggml_repo" "$ggml_commit")
  [ -f "$ggml_dir/examples/gpt-2/main-backend.cpp" ] || bench_fail "no examples/gpt-2 in $ggml_dir"
  ggml=$peers/ggml-build/bin/gpt-2-backend
  if [ ! -x "$ggml" ]; then
    echo "gpt2: building ggml's gpt-2 example into $peers/ggml-build" >&2
    cmake -S "$ggml_dir" -B "$peers/ggml-build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DGGML_NATIVE=ON -DGGML_BUILD_EXAMPLES=ON -DGGML_BUILD_TESTS=OFF >"$peers/ggml-configure.log"
    cmake --build "$peers/ggml-build" --target gpt-2-backend >"$peers/ggml-build.log"
  fi
fi

# --- The prompt: 64 tokens for every program --------------------------------------------------
prompt="The old house stood at the end of a long road that ran through the hills and down to the"
prompt+=" river where the children of the town would play in the summer and the men would fish in"
prompt+=" the early morning before the sun was up and the birds were still asleep in the tall trees"
prompt+=" by the water, and the dogs slept"
printf '%s\n' "$prompt" >"$work/prompt.txt"
cat >"$work/tokenize.json" <<EOF
{"textkit": 1, "steps": [
  {"use": "read.txt", "with": {"path": "$work/prompt.txt", "split": "whole"}},
  {"use": "gpt2.tokenize", "with": {"tokenizer": "$vocab"}},
  {"use": "write.jsonl", "with": {"path": "$work/prompt.jsonl"}}]}
EOF
"$textkit" run "$work/tokenize.json" --progress none 2>"$work/stderr" ||
  { cat "$work/stderr" >&2; bench_fail "textkit could not tokenize the prompt"; }
read -r -a prompt_ids < <(python3 -c 'import json, sys
print(*json.loads(open(sys.argv[1]).readline())["meta"]["tokens"])' "$work/prompt.jsonl")
[ "${#prompt_ids[@]}" = 64 ] || bench_fail "the prompt is ${#prompt_ids[@]} tokens, not 64"

new_tokens=256

# Writes a gpt2.generate pipeline: generate.json MODEL THREADS N [EXTRA OPTIONS]
write_pipeline() {
  local file=$1 model_path=$2 threads=$3 n=$4 extra=${5:-}
  cat >"$file" <<EOF
{"textkit": 1, "steps": [
  {"use": "gpt2.generate", "with": {"model": "$model_path", "tokenizer": "$vocab",
    "prompt": "$prompt", "max_tokens": $new_tokens, "stop": [], "seed": 1, "threads": $threads,
    "n": $n, "batch_size": $n $extra}},
  {"use": "write.jsonl", "with": {"path": "$work/samples.jsonl"}}]}
EOF
}

# Runs textkit on a pipeline under GNU time; prints "tokens_per_second peak_kB".
run_textkit() {
  /usr/bin/time -f "%M" -o "$work/time" "$textkit" run "$1" --progress none 2>"$work/stderr" ||
    { cat "$work/stderr" >&2; bench_fail "textkit failed on $1"; }
  local rate
  rate=$(grep -o '([0-9.]* tokens/s)' "$work/stderr" | tr -d '(' | awk '{ print $1 }')
  [ -n "$rate" ] || { cat "$work/stderr" >&2; bench_fail "textkit printed no tokens/s"; }
  echo "$rate $(cat "$work/time")"
}

# Runs ggml's example; prints tokens/s over prompt evaluation, 256 evaluations and samples.
run_ggml() {
  local threads=$1 out=$work/ggml.out
  "$ggml" -m "$ggml_bin" -p "$prompt" -n "$new_tokens" -t "$threads" -b 64 -c 1024 -s 1 \
    --ignore-eos >"$out" 2>"$work/stderr" || { cat "$work/stderr" >&2; bench_fail "ggml failed"; }
  grep -q "number of tokens in prompt = 64," "$out" || bench_fail "ggml's prompt is not 64 tokens"
  awk -v n="$new_tokens" '/sample time =/ { s = $5 } /predict time =/ { p = $5 }
    END { print (s + p > 0 ? n / ((s + p) / 1000) : 0) }' "$out"
}

# Runs llm.c through the driver; prints tokens/s over its generation loop.
run_llmc() {
  OMP_NUM_THREADS=$1 "$llmc" "$llmc_bin" "$new_tokens" "$work/llmc.ids" "${prompt_ids[@]}" \
    >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; bench_fail "llm.c failed"; }
  grep -o '([0-9.]* tokens/s)' "$work/stderr" | tr -d '(' | awk '{ print $1 }'
}

load() { cut -d' ' -f1 /proc/loadavg; }

# --- Same model everywhere: the checks ----------------------------------------------------------
if [ "$verify" = 1 ]; then
  # textkit reads the llm.c file as the folder: the same sampled text for the same seed.
  check_tokens=32
  saved_new_tokens=$new_tokens
  new_tokens=$check_tokens
  write_pipeline "$work/folder.json" "$model" 2 1
  run_textkit "$work/folder.json" >/dev/null
  python3 -c 'import json, sys; print(json.loads(open(sys.argv[1]).readline())["text"], end="")' \
    "$work/samples.jsonl" >"$work/folder.txt"
  write_pipeline "$work/llmc-file.json" "$llmc_bin" 2 1
  run_textkit "$work/llmc-file.json" >/dev/null
  python3 -c 'import json, sys; print(json.loads(open(sys.argv[1]).readline())["text"], end="")' \
    "$work/samples.jsonl" >"$work/llmc-file.txt"
  cmp -s "$work/folder.txt" "$work/llmc-file.txt" ||
    bench_fail "textkit samples differ between $model and $llmc_bin"
  echo "gpt2 check: textkit on $llmc_bin: the same $check_tokens sampled tokens as on the folder" >&2

  # Greedy decoding: textkit, llm.c and ggml must pick the same tokens.
  write_pipeline "$work/greedy.json" "$model" 2 1 ', "temperature": 0'
  run_textkit "$work/greedy.json" >/dev/null
  python3 -c 'import json, sys; print(json.loads(open(sys.argv[1]).readline())["text"], end="")' \
    "$work/samples.jsonl" >"$work/greedy-textkit.txt"
  if [ "$use_llmc" = 1 ]; then
    OMP_NUM_THREADS=2 "$llmc" "$llmc_bin" "$check_tokens" "$work/greedy.ids" --greedy \
      "${prompt_ids[@]}" >/dev/null 2>"$work/stderr" ||
      { cat "$work/stderr" >&2; bench_fail "llm.c failed"; }
    python3 "$tools" text "$vocab" "$work/greedy.ids" >"$work/greedy-llmc.txt"
    cmp -s "$work/greedy-textkit.txt" "$work/greedy-llmc.txt" ||
      bench_fail "greedy: llm.c's $check_tokens tokens differ from textkit's ($work kept)"
    echo "gpt2 check: llm.c, greedy: the same $check_tokens tokens as textkit" >&2
  fi
  if [ "$use_ggml" = 1 ]; then
    "$ggml" -m "$ggml_bin" -p "$prompt" -n "$check_tokens" -t 2 -b 64 -c 1024 -s 1 --top_k 1 \
      --ignore-eos >"$work/ggml-greedy.out" 2>"$work/stderr" ||
      { cat "$work/stderr" >&2; bench_fail "ggml failed"; }
    grep -q "number of tokens in prompt = 64, first 8 tokens: ${prompt_ids[*]:0:8} " \
      "$work/ggml-greedy.out" || bench_fail "ggml tokenizes the prompt differently"
    python3 "$tools" ggml-text "$work/ggml-greedy.out" "$prompt" >"$work/greedy-ggml.txt"
    cmp -s "$work/greedy-textkit.txt" "$work/greedy-ggml.txt" ||
      bench_fail "greedy: ggml's $check_tokens tokens differ from textkit's"
    echo "gpt2 check: ggml, greedy: the same $check_tokens tokens as textkit" >&2
  fi
  new_tokens=$saved_new_tokens
fi

# --- Rounds ---------------------------------------------------------------------------------------
echo "gpt2: 124M fp32 random weights, batch 1, 64-token prompt, $new_tokens new tokens;" \
  "$rounds round(s) (llm.c $llmc_rounds); medians; load = 1-minute load average before each run" >&2
# Bytes of weights a decoded token reads: every layer, the final LayerNorm, and wte as the output
# projection (wpe: one row). In MB (10^6 bytes).
weights_mb=$(awk 'BEGIN { C = 768; L = 12; V = 50257
  print 4 * (L * (12 * C * C + 13 * C) + 2 * C + V * C + C) / 1e6 }')
: >"$work/results"  # lines: figure threads value load
for ((r = 1; r <= rounds; r++)); do
  for t in $thread_counts; do
    l=$(load)
    bw=$("$membw" 1024 5 "$t" | awk '{ sub("median=", "", $4); print $4 }')
    echo "membw $t $bw $l" >>"$work/results"
    write_pipeline "$work/b1.json" "$model" "$t" 1
    l=$(load)
    read -r rate rss < <(run_textkit "$work/b1.json")
    {
      echo "textkit $t $rate $l"
      echo "rss1 $t $rss $l"
      echo "bound $t $(awk -v r="$rate" -v b="$bw" -v w="$weights_mb" 'BEGIN { print r / (b * 1000 / w) }') $l"
    } >>"$work/results"
    if [ "$use_ggml" = 1 ]; then
      l=$(load)
      echo "ggml $t $(run_ggml "$t") $l" >>"$work/results"
    fi
    if [ "$use_llmc" = 1 ] && [ "$r" -le "$llmc_rounds" ]; then
      l=$(load)
      echo "llmc $t $(run_llmc "$t") $l" >>"$work/results"
    fi
    write_pipeline "$work/b8.json" "$model" "$t" 8
    l=$(load)
    read -r rate rss < <(run_textkit "$work/b8.json")
    { echo "batch8 $t $rate $l"; echo "rss8 $t $rss $l"; } >>"$work/results"
    echo "gpt2: round $r, $t thread(s) done (load $(load))" >&2
  done
done

# The median value of a figure at a thread count, and the range of the loads it was measured at.
value() { awk -v f="$1" -v t="$2" '$1 == f && $2 == t { print $3 }' "$work/results" | median; }
loads() {
  awk -v f="$1" -v t="$2" '$1 == f && $2 == t { print $4 }' "$work/results" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (v[1] == v[NR]) print v[1]; else print v[1] "-" v[NR] }'
}
all_values() { awk -v f="$1" -v t="$2" '$1 == f && $2 == t { printf "%s ", $3 }' "$work/results"; }

missed=0
for t in $thread_counts; do
  tk=$(value textkit "$t")
  line="gpt2 generate $t thread(s): textkit $(fmt "$tk" 1) tok/s (load $(loads textkit "$t"))"
  for peer in ggml llmc; do
    name=$peer
    [ "$peer" = llmc ] && name=llm.c
    [ "$(value "$peer" "$t")" != 0 ] || continue
    pv=$(value "$peer" "$t")
    ratio=$(awk -v a="$tk" -v b="$pv" 'BEGIN { print (b > 0 ? a / b : 0) }')
    result=$(verdict "$ratio" ">=" 1)
    [ "$result" = met ] || missed=1
    line+=", $name $(fmt "$pv" 2) tok/s (load $(loads "$peer" "$t")), textkit/$name $(fmt "$ratio" 2) (target > 1: $result)"
  done
  echo "$line"
  echo "gpt2 generate $t thread(s), every round: textkit $(all_values textkit "$t")| ggml $(all_values ggml "$t")| llm.c $(all_values llmc "$t")" >&2
  bw=$(value membw "$t")
  fraction=$(value bound "$t")
  result=$(verdict "$fraction" ">=" 0.6)
  [ "$result" = met ] || missed=1
  echo "gpt2 bound $t thread(s): read bandwidth $(fmt "$bw" 1) GB/s (load $(loads membw "$t")), $(fmt "$weights_mb" 1) MB of weights per token:" \
    "bound $(fmt "$(awk -v b="$bw" -v w="$weights_mb" 'BEGIN { print b * 1000 / w }')" 1) tok/s; textkit at $(fmt "$(awk -v f="$fraction" 'BEGIN { print 100 * f }')")% of it, each round against that round's bandwidth (target >= 60%: $result)"
  echo "gpt2 batch 8 $t thread(s): textkit $(fmt "$(value batch8 "$t")" 1) tok/s (8 samples of $new_tokens tokens; load $(loads batch8 "$t"))"
done
rss1=$(awk '$1 == "rss1" { print $3 }' "$work/results" | sort -g | tail -1)
rss8=$(awk '$1 == "rss8" { print $3 }' "$work/results" | sort -g | tail -1)
result=$(verdict "$rss1" "<" 1048576)
[ "$result" = met ] || missed=1
echo "gpt2 rss: textkit peak $(mb_of_kb "$rss1") MB at batch 1 (target < 1024 MB: $result), $(mb_of_kb "$rss8") MB at batch 8"

if [ "$strict" = 1 ] && [ "$missed" = 1 ]; then
  echo "gpt2: a target was missed" >&2
  exit 1
fi
