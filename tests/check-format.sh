#!/usr/bin/env bash
# Fails when a C++ file tracked by git is not formatted by .clang-format.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files '*.cpp' '*.h' | grep -v '^examples/plugins/.*/build' || true)
[ -z "$files" ] && exit 0
# shellcheck disable=SC2086
if ! clang-format --dry-run --Werror $files; then
  echo "check-format: run clang-format -i on the files above" >&2
  exit 1
fi
