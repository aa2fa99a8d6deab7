#!/usr/bin/env bash
# Start-up cost: how long a trivial pipeline (read.txt -> write.txt on a 100-line file) and
# `textkit plugins --names` take, and proof that neither maps libtorch: plugins are discovered from
# an ELF section without being loaded, and a run loads only the plugins its pipeline uses.
#
# Usage: tests/bench/startup.sh [--runs N] [--textkit PATH] [--strict]
#   --runs N    timed runs of each command (default 20), after 3 warm-up runs
#   --strict    exit 1 when the time target is missed (libtorch being loaded always fails)
# Uses hyperfine when installed, else a shell loop (which adds a fork to each run).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "$0")/common.sh"

runs=20
textkit_arg=
strict=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --textkit) textkit_arg=$2; shift 2 ;;
    --strict) strict=1; shift ;;
    # Options meant for jsonl_throughput.sh, when run.sh passes everything on.
    --size | --small | --threads) shift 2 ;;
    -h | --help) sed -n '2,10p' "$0"; exit 0 ;;
    *) bench_fail "startup: unknown argument $1 (see --help)" ;;
  esac
done

textkit=$(find_textkit "$textkit_arg")
work=$(mktemp -d "${TMPDIR:-/tmp}/textkit-startup.XXXXXX")
trap 'rm -rf "$work"' EXIT

for ((i = 1; i <= 100; i++)); do
  echo "Line $i of a small file, with a café and a 😀 in it."
done >"$work/input.txt"
cat >"$work/pipeline.json" <<'EOF'
{
  "textkit": 1,
  "steps": [
    { "use": "read.txt", "with": { "path": "input.txt" } },
    { "use": "write.txt", "with": { "path": "output.txt" } }
  ]
}
EOF

# Mean wall time of a command in milliseconds, over $runs runs.
mean_ms() {
  if command -v hyperfine >/dev/null; then
    hyperfine --style none --shell none --warmup 3 --runs "$runs" \
      --export-json "$work/hyperfine.json" -- "$(printf '%q ' "$@")" >/dev/null 2>&1 ||
      bench_fail "startup: failed: $*"
    # The first "mean" in hyperfine's JSON is the command's, in seconds.
    sed -n 's/.*"mean": *\([0-9.eE+-]*\).*/\1/p' "$work/hyperfine.json" | head -n 1 |
      awk '{ printf "%.1f", $1 * 1000 }'
    return
  fi
  local i start end
  for ((i = 0; i < 3; i++)); do "$@" >/dev/null 2>&1 || bench_fail "startup: failed: $*"; done
  start=$(date +%s%N)
  for ((i = 0; i < runs; i++)); do "$@" >/dev/null 2>&1; done
  end=$(date +%s%N)
  awk -v ns=$((end - start)) -v n="$runs" 'BEGIN { printf "%.1f", ns / n / 1e6 }'
}

# The shared objects a command maps, from the dynamic loader's own account (dlopen included).
loaded_objects() {
  rm -f "$work"/ld.*
  LD_DEBUG=files LD_DEBUG_OUTPUT=$work/ld "$@" >/dev/null 2>&1 || bench_fail "startup: failed: $*"
  sed -n 's/.*file=\([^ ]*\).*\[.*/\1/p' "$work"/ld.* | sort -u
}

run_cmd=("$textkit" run "$work/pipeline.json" --progress none)
# Lists the names found on the search path: discovery alone, which must load no plugin. (A bare
# `textkit plugins` loads each plugin to show its version and summary, libtorch included.)
list_cmd=("$textkit" plugins --names)

"${run_cmd[@]}" 2>"$work/stderr" || { cat "$work/stderr" >&2; bench_fail "startup: the pipeline failed"; }
cmp -s "$work/output.txt" "$work/input.txt" ||
  echo "startup: note: output.txt differs from input.txt (write.txt separators?)" >&2

how="$runs runs"
command -v hyperfine >/dev/null && how+=", hyperfine" || how+=", shell loop"
run_ms=$(mean_ms "${run_cmd[@]}")
list_ms=$(mean_ms "${list_cmd[@]}")
result=$(verdict "$run_ms" "<" 50)
echo "startup: textkit run (read.txt -> write.txt, 100 lines) mean $run_ms ms ($how)" \
  "(target < 50 ms: $result)"
echo "startup: textkit plugins --names mean $list_ms ms"

# Which plugins would bring libtorch in, were they loaded?
plugin_dir=$(dirname "$textkit")/../lib/textkit/plugins
torch_plugins=()
for so in "$plugin_dir"/*.so; do
  [ -e "$so" ] || continue
  if readelf -d "$so" 2>/dev/null | grep -q 'NEEDED.*torch'; then torch_plugins+=("$(basename "$so")"); fi
done

torch_loaded=0
for label in run "plugins --names"; do
  if [ "$label" = run ]; then
    objects=$(loaded_objects "${run_cmd[@]}")
  else
    objects=$(loaded_objects "${list_cmd[@]}")
  fi
  plugins=$(echo "$objects" | sed -n 's|^\(.*/\)\{0,1\}\(textkit_[^/]*\.so\)$|\2|p' | sort -u | paste -sd ' ')
  if echo "$objects" | grep -q 'libtorch'; then
    torch_loaded=1
    echo "startup: textkit $label LOADS libtorch (plugins mapped: ${plugins:-none})"
  else
    echo "startup: textkit $label does not load libtorch (plugins mapped: ${plugins:-none})"
  fi
done
if [ ${#torch_plugins[@]} -gt 0 ]; then
  echo "startup: plugins linking libtorch in $plugin_dir: ${torch_plugins[*]}"
else
  echo "startup: no plugin in $plugin_dir links libtorch (the gpt2 plugin is not built), so the" \
    "libtorch check proves little here"
fi

[ "$torch_loaded" = 0 ] || bench_fail "startup: libtorch must not be loaded for these commands"
if [ "$strict" = 1 ] && [ "$result" != met ]; then
  echo "startup: the time target was missed" >&2
  exit 1
fi
