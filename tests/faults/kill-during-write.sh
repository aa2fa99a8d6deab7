#!/usr/bin/env bash
# SIGKILL at random moments while textkit writes: every output must then be either the previous
# complete file or the new complete file, never a mix or a truncated one (outputs are written to a
# temporary file, synced, and renamed into place).
#   tests/faults/kill-during-write.sh TEXTKIT [RUNS]
set -euo pipefail
textkit=$1
runs=${2:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir -p out
# Two inputs whose outputs differ everywhere; large enough that writing takes a while.
python3 - <<'PY'
import random
random.seed(1)
words = "apple river stone cloud lantern meadow copper whisper harbor violet".split()
for name, offset in (("old.txt", 0), ("new.txt", 1)):
    with open(name, "w") as f:
        for i in range(100000):
            f.write(f"{i + offset} " + " ".join(random.choice(words) for _ in range(12)) + "\n")
PY
pipeline() {
  cat <<JSON
{"textkit": 1, "steps": [
  {"use": "read.txt", "with": {"path": "$1", "split": "line"}},
  {"use": "write.jsonl", "with": {"path": "out/records.jsonl"}},
  {"use": "write.txt", "with": {"path": "out/lines.txt", "endoftext": true}}]}
JSON
}
pipeline old.txt > old.json
pipeline new.txt > new.json
"$textkit" run new.json --progress none 2> /dev/null
cp out/records.jsonl new.records.jsonl
cp out/lines.txt new.lines.txt
"$textkit" run old.json --progress none 2> /dev/null
cp out/records.jsonl old.records.jsonl
cp out/lines.txt old.lines.txt
start=$(date +%s%N)
"$textkit" run new.json --progress none 2> /dev/null
full_ms=$(( ($(date +%s%N) - start) / 1000000 ))
"$textkit" run old.json --progress none 2> /dev/null

killed=0
for run in $(seq 1 "$runs"); do
  delay_ms=$(( RANDOM % (full_ms + full_ms / 2 + 1) ))
  "$textkit" run new.json --progress none 2> /dev/null &
  pid=$!
  sleep "$(awk -v ms="$delay_ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
  if kill -KILL "$pid" 2> /dev/null; then killed=$((killed + 1)); fi
  wait "$pid" 2> /dev/null || true
  for output in records.jsonl lines.txt; do
    if ! cmp -s "out/$output" "old.$output" && ! cmp -s "out/$output" "new.$output"; then
      echo "run $run (killed after ${delay_ms} ms): out/$output is neither the old nor the new complete file" >&2
      exit 1
    fi
  done
  # Put the old files back for the next run (half of the runs start from them).
  if [ $((run % 2)) -eq 0 ]; then cp old.records.jsonl out/records.jsonl; cp old.lines.txt out/lines.txt; fi
done
echo "kill-during-write: $runs runs ($killed killed while running, full run ${full_ms} ms): every output whole"
