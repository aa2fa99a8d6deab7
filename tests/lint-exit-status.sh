#!/usr/bin/env bash
# textkit lint exits 2 on a pipeline with problems and 0 on a good one.
set -u
textkit=$1
cd "$(dirname "$0")/.."
"$textkit" lint tests/lint/three-mistakes.json 2>/dev/null
status=$?
[ $status -eq 2 ] || { echo "lint of a bad pipeline exited $status, expected 2" >&2; exit 1; }
# A good pipeline whose plugins every build has (the quickstart needs gpt2.train: libtorch).
"$textkit" lint examples/sanitize.json || { echo "lint of examples/sanitize.json failed" >&2; exit 1; }
echo ok
