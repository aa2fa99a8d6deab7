#!/usr/bin/env bash
# A full disk, simulated by a file-size limit (ulimit -f): the run fails with a clear error naming
# the file, exit status 1, and leaves neither a partial output nor a temporary file; an earlier
# output stays as it was.
#   tests/faults/file-size-limit.sh TEXTKIT
set -euo pipefail
textkit=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir -p out
echo "an earlier run" > out/big.txt
python3 -c "
for i in range(100000): print(i, 'the quick brown fox jumps over the lazy dog')" > input.txt
cat > p.json <<'JSON'
{"textkit": 1, "steps": [
  {"use": "read.txt", "with": {"path": "input.txt", "split": "line"}},
  {"use": "write.txt", "with": {"path": "out/big.txt"}}]}
JSON
status=0
(ulimit -f 256; "$textkit" run p.json --progress none) 2> stderr || status=$?
cat stderr
[ "$status" -eq 1 ] || { echo "exit status $status, expected 1" >&2; exit 1; }
grep -q "out/big.txt" stderr || { echo "the error does not name out/big.txt" >&2; exit 1; }
grep -qi "file too large" stderr || { echo "the error does not say the file is too large" >&2; exit 1; }
[ "$(cat out/big.txt)" = "an earlier run" ] || { echo "the earlier output was changed" >&2; exit 1; }
leftovers=$(find out -name '.*' -type f)
[ -z "$leftovers" ] || { echo "temporary files left behind: $leftovers" >&2; exit 1; }
echo "file-size-limit: clear error, earlier output intact, no temporary file"
