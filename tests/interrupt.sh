#!/usr/bin/env bash
# Ctrl-C during a run: textkit stops cleanly with exit status 130 and leaves no output, neither the
# file nor a temporary beside it, and an earlier output file stays as it was.
#   tests/interrupt.sh TEXTKIT
set -euo pipefail
textkit=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/p.json" <<'JSON'
{"textkit": 1, "steps": [
  {"use": "read.txt", "with": {"path": "-", "split": "line"}},
  {"use": "write.txt", "with": {"path": "out/lines.txt"}}]}
JSON
mkdir -p "$work/out"
echo "an earlier run" > "$work/out/lines.txt"
# Some lines, then a pipe that stays open: textkit is waiting for more input when Ctrl-C comes.
mkfifo "$work/feed"
"$textkit" run "$work/p.json" --progress none < "$work/feed" 2> "$work/stderr" &
pid=$!
exec 3> "$work/feed"
printf 'one\ntwo\nthree\n' >&3
sleep 0.5
kill -INT "$pid"
status=0
wait "$pid" || status=$?
exec 3>&-
cat "$work/stderr"
[ "$status" -eq 130 ] || { echo "exit status $status, expected 130" >&2; exit 1; }
grep -q "stopped by the user" "$work/stderr" || { echo "no 'stopped by the user' message" >&2; exit 1; }
[ "$(cat "$work/out/lines.txt")" = "an earlier run" ] || { echo "the earlier output was changed" >&2; exit 1; }
[ "$(ls -A "$work/out")" = "lines.txt" ] || { echo "left behind: $(ls -A "$work/out")" >&2; exit 1; }
echo "ok: exit 130, no output written"
