#!/usr/bin/env bash
# textkit lint exits 2 on a pipeline with problems and 0 on a good one.
set -u
textkit=$1
cd "$(dirname "$0")/.."
"$textkit" lint tests/lint/three-mistakes.json 2>/dev/null
status=$?
[ $status -eq 2 ] || { echo "lint of a bad pipeline exited $status, expected 2" >&2; exit 1; }
"$textkit" lint examples/quickstart.json || { echo "lint of the quickstart failed" >&2; exit 1; }
echo ok
