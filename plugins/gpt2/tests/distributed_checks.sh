#!/usr/bin/env bash
# Data-parallel gpt2.train over torch.distributed, two `textkit run` processes on the loopback
# (one thread each), a tiny model trained from scratch on two texts of the samples corpus:
#   distributed_checks.sh TEXTKIT COMPARE CORPUS_DIR same|killed
# same:   both ranks end with the same weights, bit for bit, and those of one process with the
#         whole batch (2 ranks x 2 windows = 4) to 1e-5; rank 1 writes nothing into path.
# killed: a rank killed mid-run makes the other stop with an error naming the lost rank's master
#         address and the timeout, well within the timeout; both rerun resume from rank 0's last
#         checkpoint and end with the uninterrupted run's weights, bit for bit; a rank alone at
#         the rendezvous gives up after the timeout.
# COMPARE is gpt2_compare_models. Needs python3 for a free port.
set -euo pipefail
textkit=$1
compare=$2
corpus=$3
check=$4
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -9 "$pid" 2> /dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
mkdir rank0 rank1 single

fail() {
  echo "FAIL: $*" >&2
  for log in "$work"/*/*.log; do [ -f "$log" ] && { echo "== $log" >&2; tail -n 20 "$log" >&2; }; done
  exit 1
}

# pipeline FILE STEPS BATCH [DISTRIBUTED_JSON]: the training pipeline into FILE.
pipeline() {
  local distributed=""
  [ -n "${4:-}" ] && distributed=", \"distributed\": $4"
  cat > "$1" <<JSON
{"textkit": 1, "steps": [
  {"use": "read.txt", "with": {"path": "$corpus/blog-learning-to-run.txt", "split": "paragraph", "label": "admired"}},
  {"use": "read.txt", "with": {"path": "$corpus/diary-2019-11-03.txt", "split": "paragraph", "label": "mine"}},
  {"use": "gpt2.train", "with": {"path": "out/model",
    "init": {"n_layer": 2, "n_head": 2, "n_embd": 32, "block_size": 32, "vocab_size": 320},
    "steps": $2, "batch_size": $3, "save_every": $SAVE_EVERY, "log_every": $LOG_EVERY, "eval_every": $LOG_EVERY,
    "threads": 1$distributed}}]}
JSON
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_rank RANK PORT: one rank in the background, on its own copy of dist.json (so that
# rank1/out shows whether rank 1 wrote anything into path); its pid in pid_RANK.
start_rank() {
  cp dist.json "rank$1/dist.json"
  (cd "rank$1" && exec env RANK="$1" WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT="$2" \
    "$textkit" run dist.json --progress none 2> train.log) &
  eval "pid_$1=$!"
  pids+=($!)
}

# run_pair: both ranks of dist.json to the end, on a free port (another, if a process took it
# between the probe and the bind).
run_pair() {
  for attempt in 1 2 3; do
    local port
    port=$(free_port)
    start_rank 0 "$port"
    start_rank 1 "$port"
    local code0=0 code1=0
    wait "$pid_0" || code0=$?
    wait "$pid_1" || code1=$?
    if [ $code0 -eq 0 ] && [ $code1 -eq 0 ]; then return 0; fi
    grep -q "Address already in use" rank0/train.log || fail "ranks exited $code0 and $code1"
    echo "port $port taken, attempt $attempt" >&2
  done
  fail "no free port in 3 attempts"
}

if [ "$check" = same ]; then
  SAVE_EVERY=4
  LOG_EVERY=3
  pipeline dist.json 8 2 '{"timeout_s": 60, "rank_model": "rank-model"}'
  pipeline single/single.json 8 4
  (cd single && "$textkit" run single.json --progress none 2> train.log) || fail "one process"
  run_pair
  [ -f rank0/out/model/model.safetensors ] || fail "rank 0 wrote no model"
  [ ! -e rank1/out ] || fail "rank 1 wrote into path: $(find rank1/out)"
  grep -q "distributed: 2 ranks joined" rank0/train.log || fail "no rendezvous line"
  grep -qE "step 6/8 \[admired\+mine\]: loss [0-9.]+.*all-reduce [0-9.]+ ms/step \(and [0-9.]+ ms waiting for the slowest rank\)" rank0/train.log ||
    fail "no step line with the all-reduce time"
  grep -qE "distributed: 2 ranks, [0-9]+ tokens/s together; all-reduce of the gradients [0-9.]+ ms per step, and [0-9.]+ ms waiting" \
    rank0/train.log || fail "no distributed summary"
  grep -q "^.*rank 1 of 2: trained 8 steps" rank1/train.log || fail "no summary of rank 1"
  if grep -q "step 6/8" rank1/train.log; then fail "rank 1 reported steps"; fi
  # The losses one process and the ranks report are the same (validation split over the ranks).
  losses() { grep -o "loss per label.*" "$1" | sed 's/ ->.*//'; }
  [ "$(losses rank0/train.log)" = "$(losses single/train.log)" ] ||
    fail "start losses differ: $(losses rank0/train.log) against $(losses single/train.log)"
  "$compare" rank0/out/model rank1/rank-model 0 || fail "the ranks' weights differ"
  "$compare" rank0/out/model single/out/model 1e-5 || fail "2 ranks differ from one process"
  # The step lines report the loss of the whole batch: one process's, up to rounding.
  for step in 3 6; do
    a=$(grep -o "step $step/8 \[admired+mine\]: loss [0-9.]*" rank0/train.log | grep -o "[0-9.]*$")
    b=$(grep -o "step $step/8 \[admired+mine\]: loss [0-9.]*" single/train.log | grep -o "[0-9.]*$")
    awk -v a="$a" -v b="$b" 'BEGIN { d = a - b; exit !(d < 2e-4 && d > -2e-4) }' ||
      fail "step $step loss $a on 2 ranks, $b on one process"
  done
  # The state records the batch of all ranks: one process of batch 4 takes the 2 ranks' checkpoint.
  cp single/single.json rank0/single.json
  (cd rank0 && "$textkit" run single.json --progress none 2> resume.log) || fail "one process on the ranks' checkpoint"
  grep -q "trained 0 steps from the checkpoint at step 8" rank0/resume.log ||
    fail "one process of batch 4 did not take the checkpoint of 2 ranks of 2: $(cat rank0/resume.log)"

  # Bad ranks: refused when the pipeline starts, naming the option or the variable.
  code=0
  (cd rank1 && RANK=2 WORLD_SIZE=2 "$textkit" run dist.json --progress none 2> bad.log) || code=$?
  [ $code -eq 1 ] && grep -q "distributed: rank 2 is not below world_size 2" rank1/bad.log ||
    fail "rank 2 of 2 not refused (exit $code): $(cat rank1/bad.log)"
  code=0
  (cd rank1 && RANK=0 WORLD_SIZE=two "$textkit" run dist.json --progress none 2> bad.log) || code=$?
  [ $code -eq 1 ] && grep -q 'the environment variable WORLD_SIZE="two" (for distributed.world_size): expected an integer' rank1/bad.log ||
    fail "WORLD_SIZE=two not refused (exit $code): $(cat rank1/bad.log)"
  echo "ok: 2 ranks = one process with the whole batch"
elif [ "$check" = killed ]; then
  SAVE_EVERY=20
  LOG_EVERY=50
  timeout_s=20
  steps=600
  pipeline dist.json $steps 2 "{\"timeout_s\": $timeout_s}"
  # The reference: uninterrupted.
  run_pair
  cp rank0/out/model/model.safetensors reference.safetensors
  mkdir reference && cp rank0/out/model/config.json rank0/out/model/model.safetensors reference/
  rm -rf rank0/out

  # Rank 1 killed once rank 0 has written a checkpoint: rank 0 must stop with a clear error.
  port=$(free_port)
  start_rank 0 "$port"
  start_rank 1 "$port"
  for _ in $(seq 600); do
    [ -f rank0/out/model/training_state.safetensors ] && break
    kill -0 "$pid_0" 2> /dev/null || fail "rank 0 ended before its first checkpoint"
    sleep 0.05
  done
  [ -f rank0/out/model/training_state.safetensors ] || fail "no checkpoint within 30 s"
  kill -9 "$pid_1"
  killed_at=$(date +%s%N)
  code=0
  wait "$pid_0" || code=$?
  elapsed_ms=$((($(date +%s%N) - killed_at) / 1000000))
  [ $code -ne 0 ] || fail "rank 0 exited 0 after rank 1 was killed"
  [ $elapsed_ms -lt $((timeout_s * 1000)) ] || fail "rank 0 took ${elapsed_ms} ms to stop (timeout ${timeout_s} s)"
  grep -qE "distributed training, rank 0 of 2 \(master 127.0.0.1:$port, timeout $timeout_s s\): .* failed: " \
    rank0/train.log || fail "no clear error from rank 0"
  echo "rank 0 stopped ${elapsed_ms} ms after rank 1 was killed: $(grep -o 'distributed training, rank 0.*' rank0/train.log | head -c 300)"

  # Both again: they resume from rank 0's checkpoint and end where the uninterrupted run did.
  run_pair
  grep -qE "resuming from the checkpoint at step [1-9][0-9]* of $steps" rank0/train.log ||
    fail "rank 0 did not resume"
  grep -qE "trained [0-9]+ steps from the checkpoint at step [1-9]" rank0/train.log ||
    fail "no resumed summary"
  "$compare" rank0/out/model reference 0 || fail "the resumed run ends elsewhere"

  # A rank alone at the rendezvous gives up after the timeout.
  pipeline dist.json $steps 2 '{"timeout_s": 3}'
  rm -rf rank0/out
  port=$(free_port)
  started=$(date +%s%N)
  code=0
  (cd rank0 && RANK=0 WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=$port \
    "$textkit" run ../dist.json --progress none 2> train.log) || code=$?
  elapsed_ms=$((($(date +%s%N) - started) / 1000000))
  [ $code -ne 0 ] || fail "rank 0 alone exited 0"
  [ $elapsed_ms -lt 60000 ] || fail "rank 0 alone took ${elapsed_ms} ms"
  grep -qE "rank 0 of 2 \(master 127.0.0.1:$port, timeout 3 s\): the rendezvous of 2 ranks .* failed: " rank0/train.log ||
    fail "no rendezvous error"
  echo "alone at the rendezvous: stopped after ${elapsed_ms} ms: $(grep -o 'distributed training, rank 0.*' rank0/train.log | head -c 300)"
else
  echo "unknown check $check" >&2
  exit 2
fi
