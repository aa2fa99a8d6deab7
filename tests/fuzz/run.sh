#!/usr/bin/env bash
# Runs one fuzz target: first its regression inputs (each once: an input that once crashed must
# not crash again), then fuzzing for a number of seconds from the seed corpus.
#   tests/fuzz/run.sh TARGET_EXE NAME REGRESSIONS_DIR SEED_DIR WORK_DIR SECONDS
# A crash leaves its input as WORK_DIR/crash-* (or leak-*, timeout-*, oom-*): copy it into
# tests/fuzz/regressions/NAME/ with the fix, so that it is replayed forever after.
set -euo pipefail
exe=$1 name=$2 regressions=$3 seeds=$4 work=$5 seconds=$6
mkdir -p "$work/corpus"
# Leaks are findings too; the libraries' own one-time allocations are not ours to fix.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:intercept_tls_get_addr=0}
common=(-rss_limit_mb=2048 -timeout=20 -max_len=1048576 "-artifact_prefix=$work/")
if compgen -G "$regressions/*" > /dev/null; then
  echo "fuzz.$name: replaying $(ls "$regressions" | wc -l) regression inputs"
  "$exe" "${common[@]}" "$regressions"/*
fi
echo "fuzz.$name: fuzzing for $seconds s"
status=0
"$exe" "${common[@]}" -max_total_time="$seconds" -print_final_stats=1 "$work/corpus" "$seeds" \
  > "$work/log" 2>&1 || status=$?
grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb)|DONE|ERROR|SUMMARY|^==[0-9]+==" "$work/log" || true
if [ $status -ne 0 ]; then
  tail -n 60 "$work/log"
  echo "fuzz.$name: FAILED (exit $status); the input is in $work/" >&2
fi
exit $status
