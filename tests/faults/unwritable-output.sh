#!/usr/bin/env bash
# An output folder that exists but cannot be written: every step that writes files must fail
# before any work starts (no record read, exit status 1, an error naming the folder), not after
# reading the whole input or training for hours. As root, which writes anywhere, the pipelines
# run as the user nobody (setpriv).
#   tests/faults/unwritable-output.sh TEXTKIT
set -euo pipefail
textkit=$1
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
chmod 755 "$work"
cd "$work"
mkdir locked
chmod 555 locked
python3 -c "
for i in range(2000): print(f'Paragraph {i}: the quick brown fox jumps over the lazy dog.\n')" > input.txt
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  run_as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
# The test itself must not pass because nobody cannot read the program or the input.
"${run_as[@]}" "$textkit" plugins > plugins.txt
"${run_as[@]}" cat input.txt > /dev/null

# Each case: the plugin it needs, and its step, writing into locked/.
cases=(
  'write.txt|{"use": "write.txt", "with": {"path": "locked/out.txt"}}'
  'write.jsonl|{"use": "write.jsonl", "with": {"path": "locked/out.jsonl"}}'
  'write.csv|{"use": "write.csv", "with": {"path": "locked/out.csv"}}'
  'write.html|{"use": "write.html", "with": {"path": "locked/out.html"}}'
  'write.anki|{"use": "write.anki", "with": {"path": "locked/out.tsv"}}'
  'write.dot|{"use": "write.dot", "with": {"path": "locked/out.dot"}}'
  'sanitize|{"use": "sanitize", "with": {"stats": "locked/stats.json"}}'
  'sanitize|{"use": "sanitize", "with": {"rejects": "locked/rejects.jsonl"}}'
  'gpt2.bpe|{"use": "gpt2.bpe", "with": {"path": "locked", "vocab_size": 300}}'
  'gpt2.train|{"use": "gpt2.train", "with": {"path": "locked", "init": {"n_layer": 1, "n_head": 1, "n_embd": 8, "block_size": 16, "vocab_size": 300}, "steps": 1000}}'
  'gpt2.train|{"use": "gpt2.train", "with": {"path": "locked/model", "init": {"n_layer": 1, "n_head": 1, "n_embd": 8, "block_size": 16, "vocab_size": 300}, "steps": 1000}}'
)
tested=0
failures=0
for entry in "${cases[@]}"; do
  plugin=${entry%%|*}
  step=${entry#*|}
  cut -f1 plugins.txt | grep -qxF "$plugin" || continue
  tested=$((tested + 1))
  cat > pipeline.json <<JSON
{"textkit": 1, "steps": [
  {"use": "read.txt", "with": {"path": "input.txt", "split": "paragraph"}},
  $step]}
JSON
  status=0
  "${run_as[@]}" "$textkit" run pipeline.json --progress json > /dev/null 2> events.jsonl || status=$?
  # The summary event: the error, and how many records the first step had produced.
  verdict=$(python3 - "$status" <<'PY'
import json, sys
status = int(sys.argv[1])
summary = None
for line in open("events.jsonl"):
    try:
        event = json.loads(line)
    except ValueError:
        continue
    if event.get("event") == "summary":
        summary = event
if summary is None:
    print(f"exit status {status} and no summary")
elif status != 1:
    print(f"exit status {status}, expected 1")
elif "locked" not in summary.get("error", ""):
    print(f"the error does not name the folder: {summary.get('error')!r}")
elif summary["steps"][0]["out"] != 0:
    print(f"failed only after reading {summary['steps'][0]['out']} records: {summary['error']}")
else:
    print("ok " + summary["error"])
PY
)
  if [ "${verdict%% *}" = ok ]; then
    echo "$plugin: ${verdict#ok }"
  else
    echo "FAIL $step: $verdict" >&2
    cat events.jsonl >&2
    failures=$((failures + 1))
  fi
done
[ "$tested" -gt 0 ] || { echo "no plugin that writes files found" >&2; exit 1; }
[ "$failures" -eq 0 ] || exit 1
echo "unwritable-output: $tested steps, each failed before reading a record"
