#!/usr/bin/env bash
# SIGKILL at random moments while gpt2.train trains a tiny model with a checkpoint every few steps.
# After each kill the model folder must hold no model, or a complete model that gpt2.generate
# loads, holding the weights of the last checkpoint (or, killed between the training state and the
# model, of the one before); and running the pipeline again must resume from the training state's
# step and end with exactly the model an uninterrupted run makes.
#   tests/faults/kill-during-train.sh TEXTKIT CORPUS_DIR [RUNS]
# CORPUS_DIR is corpora/samples/text. Needs the gpt2.train plugin (a build with libtorch).
set -euo pipefail
textkit=$1
corpus=$2
runs=${3:-3}
checkpoints="python3 $(cd "$(dirname "$0")" && pwd)/checkpoints.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

steps=200
save_every=5
cat > train.json <<JSON
{"textkit": 1, "steps": [
  {"use": "read.txt", "with": {"path": "$corpus/blog-learning-to-run.txt", "split": "paragraph", "label": "admired"}},
  {"use": "read.txt", "with": {"path": "$corpus/diary-2019-11-03.txt", "split": "paragraph", "label": "mine"}},
  {"use": "gpt2.train", "with": {"path": "out/model",
    "init": {"n_layer": 2, "n_head": 2, "n_embd": 32, "block_size": 32, "vocab_size": 320},
    "steps": $steps, "batch_size": 2, "save_every": $save_every, "log_every": 0, "threads": 1}}]}
JSON
cat > generate.json <<'JSON'
{"textkit": 1, "steps": [
  {"use": "gpt2.generate", "with": {"model": "out/model", "prompt": "I run", "max_tokens": 4, "seed": 1, "threads": 1}},
  {"use": "write.jsonl", "with": {"path": "samples.jsonl"}}]}
JSON
inspect() { $checkpoints inspect "$1" "$save_every" "$steps" checkpoints.json; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# The reference: an uninterrupted run, the weights of each checkpoint recorded as it is written
# (the run niced, so that the watcher is never late).
for attempt in 1 2 3; do
  rm -rf out watch.stop
  $checkpoints watch out/model watch.stop checkpoints.json &
  watcher=$!
  nice -n 10 "$textkit" run train.json --progress none 2> reference.log || { cat reference.log >&2; exit 1; }
  touch watch.stop
  wait "$watcher"
  recorded=$(python3 -c "import json; print(len(json.load(open('checkpoints.json'))))")
  # Every checkpoint must have been seen, or a kill's outcome could not be checked.
  [ "$recorded" -eq $((steps / save_every)) ] && break
  echo "saw $recorded of the $((steps / save_every)) checkpoints of the reference run" >&2
  [ "$attempt" -lt 3 ] || exit 1
done
[ "$(inspect out/model)" = "model step $steps; state step $steps" ] || { cat reference.log >&2; exit 1; }
cp out/model/model.safetensors reference.safetensors

# A second uninterrupted run, timed, and when its first checkpoint comes: most of a run is loading
# libtorch and reading the records, and most kills are aimed at the training after that.
rm -rf out
start=$(now_ms)
"$textkit" run train.json --progress none 2> timed.log &
pid=$!
first_ms=
while kill -0 "$pid" 2> /dev/null; do
  if [ -z "$first_ms" ] && [ -e out/model/training_state.safetensors ]; then
    first_ms=$(( $(now_ms) - start ))
  fi
  sleep 0.01
done
wait "$pid" || { cat timed.log >&2; exit 1; }
full_ms=$(( $(now_ms) - start ))
first_ms=${first_ms:-0}
cmp -s out/model/model.safetensors reference.safetensors ||
  { echo "two uninterrupted runs made different models" >&2; exit 1; }

declare -A outcomes=()
leftovers=0
for run in $(seq 1 "$runs"); do
  rm -rf out
  # One run in four is killed anywhere, the others while it trains and writes checkpoints.
  from=$(( run % 4 == 0 ? 0 : first_ms * 9 / 10 ))
  delay_ms=$(( from + (RANDOM * 32768 + RANDOM) % (full_ms - from + 1) ))
  "$textkit" run train.json --progress none 2> /dev/null &
  pid=$!
  sleep "$(awk -v ms="$delay_ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
  kill -KILL "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
  if ! outcome=$(inspect out/model); then
    echo "run $run (killed after ${delay_ms} ms of ${full_ms}): the model folder is neither without a model nor a checkpoint" >&2
    ls -la out/model >&2 || true
    exit 1
  fi
  outcomes[$outcome]=$(( ${outcomes[$outcome]:-0} + 1 ))
  if [ -d out ]; then leftovers=$(( leftovers + $(find out -name '.*.tmp-*' | wc -l) )); fi
  if [ "${outcome%%;*}" != "model none" ] &&
    ! "$textkit" run generate.json --progress none 2> generate.log; then
    echo "run $run: gpt2.generate cannot load the model left ($outcome):" >&2
    cat generate.log >&2
    exit 1
  fi
  # Again, to the end: resumed from the checkpoint, it must end where the uninterrupted run did.
  if ! "$textkit" run train.json --progress none 2> resume.log; then
    echo "run $run: the run after the kill ($outcome) failed:" >&2
    cat resume.log >&2
    exit 1
  fi
  state=${outcome#*; state }
  if [ "$state" = none ]; then
    expected="trained $steps steps ("
  else
    expected="trained $((steps - ${state#step })) steps from the checkpoint at ${state}"
  fi
  grep -qF "$expected" resume.log || {
    echo "run $run ($outcome): the rerun did not say \"$expected\":" >&2
    cat resume.log >&2
    exit 1
  }
  if ! cmp -s out/model/model.safetensors reference.safetensors; then
    echo "run $run ($outcome): the resumed run's model differs from the uninterrupted run's" >&2
    exit 1
  fi
done
summary=""
for outcome in "${!outcomes[@]}"; do summary+="${summary:+, }${outcomes[$outcome]}x ($outcome)"; done
echo "kill-during-train: $runs runs (a full run ${full_ms} ms, its first checkpoint at ${first_ms} ms); after the kills: $summary; each resumed to the uninterrupted run's model; killed writes left $leftovers hidden temporary files"
