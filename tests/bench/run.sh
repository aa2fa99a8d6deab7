#!/usr/bin/env bash
# Runs every benchmark: JSONL throughput and memory against jq, then start-up time.
# Usage: tests/bench/run.sh [--quick] [options of jsonl_throughput.sh]
#   --quick   small files and one run (--size 100 --small 10 --runs 1): a smoke test of the scripts
# Called by `./setup.sh bench`, which builds first and installs jq, time and hyperfine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

args=()
startup_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) args+=(--size 100 --small 10 --runs 1); startup_args+=(--runs 5); shift ;;
    --textkit) args+=("$1" "$2"); startup_args+=("$1" "$2"); shift 2 ;;
    --strict) args+=("$1"); startup_args+=("$1"); shift ;;
    -h | --help) sed -n '2,5p' "$0"; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done

status=0
"$here/jsonl_throughput.sh" "${args[@]}" || status=1
"$here/startup.sh" "${startup_args[@]}" || status=1
exit $status
