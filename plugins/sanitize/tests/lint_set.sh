#!/usr/bin/env bash
# A bad pattern given with --set is reported at the --set argument, not at the file's
# drop_patterns (whose element 1 is the file's own, also bad, and replaced here).
#   lint_set.sh TEXTKIT   (run from plugins/sanitize/tests)
set -uo pipefail
out=$("$1" lint pipelines/bad_pattern.json --set 'sanitize.drop_patterns=["ok", "(open"]' 2>&1)
expected='--set sanitize.drop_patterns=["ok", "(open"]: /steps/1/with/drop_patterns/1: "(open" is not an ICU regular expression'
if [[ "$out" != *"$expected"* ]]; then
  echo "FAIL: expected [$expected] in:"
  echo "$out"
  exit 1
fi
echo ok
