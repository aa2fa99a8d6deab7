#!/usr/bin/env bash
# Builds examples/plugins/regex-replace against an *installed* textkit, the way a user outside the
# textkit tree would, and checks that textkit finds and runs it:
#   1. cmake --install BUILD_DIR into a temporary prefix;
#   2. configures and builds the example with -DCMAKE_PREFIX_PATH=<prefix>;
#   3. runs read.txt -> regex.replace -> write.jsonl with --plugin-dir and checks the output;
#   4. `textkit inspect regex.replace` through TEXTKIT_PLUGIN_PATH;
#   5. an invalid pattern fails before any record flows, naming the offset;
#   6. installs the plugin into the prefix: found with no flag, and example.json runs.
# Usage: tests/out_of_tree_plugin.sh SOURCE_DIR BUILD_DIR
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 SOURCE_DIR BUILD_DIR" >&2
  exit 2
fi
source_dir=$(cd "$1" && pwd)
build_dir=$(cd "$2" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/textkit-oot.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
plugin_build=$work/build
log=$work/log

fail() {
  echo "out_of_tree_plugin: FAIL: $*" >&2
  exit 1
}

# Runs a command quietly; on failure shows its output and stops.
quiet() {
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    fail "command failed: $*"
  fi
}

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

# --- 1. install textkit --------------------------------------------------------------------------
quiet cmake --install "$build_dir" --prefix "$prefix"
textkit=$prefix/bin/textkit
[ -x "$textkit" ] || fail "cmake --install did not produce $textkit"
[ -f "$prefix/lib/cmake/textkit/textkitConfig.cmake" ] ||
  fail "cmake --install did not install lib/cmake/textkit/textkitConfig.cmake"

# --- 2. build the plugin against the installed textkit only -------------------------------------
quiet cmake -S "$source_dir/examples/plugins/regex-replace" -B "$plugin_build" "${generator[@]}" \
  "${launcher[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_PREFIX_PATH="$prefix"
quiet cmake --build "$plugin_build"
plugin_dir=$plugin_build/lib/textkit/plugins
[ -f "$plugin_dir/textkit_regex_replace.so" ] ||
  fail "textkit_add_plugin did not put textkit_regex_replace.so in $plugin_dir"

# --- 3. run it ------------------------------------------------------------------------------------
cat >"$work/input.txt" <<'EOF'
Meet me at 10:30 near the café.

Sent from my iPhone

SENT FROM MY PHONE

Back at 7:05, ÉTÉ oblige.
EOF

cat >"$work/pipeline.json" <<'EOF'
{
  "textkit": 1,
  "steps": [
    { "use": "read.txt", "with": { "path": "input.txt" } },
    { "name": "times", "use": "regex.replace",
      "with": { "pattern": "(\\d+):(\\d+)", "replacement": "$1h$2" } },
    { "name": "signatures", "use": "regex.replace",
      "with": { "pattern": "^sent from my \\w+$", "case_insensitive": true, "drop_empty": true } },
    { "name": "seasons", "use": "regex.replace",
      "with": { "pattern": "été", "case_insensitive": true, "replacement": "summer" } },
    { "use": "write.jsonl", "with": { "path": "out.jsonl" } }
  ]
}
EOF

# Prints the "text" of each JSONL line (the test texts hold no quotes or backslashes).
texts_of() {
  sed -n 's/.*"text" *: *"\([^"]*\)".*/\1/p' "$1"
}

expected=$'Meet me at 10h30 near the café.\nBack at 7h05, summer oblige.'

quiet env -u TEXTKIT_PLUGIN_PATH "$textkit" run "$work/pipeline.json" --progress none \
  --plugin-dir "$plugin_dir"
[ -f "$work/out.jsonl" ] || fail "the pipeline wrote no $work/out.jsonl"
actual=$(texts_of "$work/out.jsonl")
if [ "$actual" != "$expected" ]; then
  echo "--- expected" >&2
  echo "$expected" >&2
  echo "--- got (out.jsonl)" >&2
  cat "$work/out.jsonl" >&2
  fail "regex.replace output differs"
fi

# --set reaches the plugin's options by step name.
rm -f "$work/out.jsonl"
# shellcheck disable=SC2016 # $1 and $2 are the plugin's group references
quiet env -u TEXTKIT_PLUGIN_PATH "$textkit" run "$work/pipeline.json" --progress none \
  --plugin-dir "$plugin_dir" --set 'times.replacement=$2 past $1'
grep -q 'Meet me at 30 past 10 near' "$work/out.jsonl" ||
  fail "--set times.replacement did not reach regex.replace: $(cat "$work/out.jsonl")"

# --- 4. inspect -----------------------------------------------------------------------------------
quiet env TEXTKIT_PLUGIN_PATH="$plugin_dir" "$textkit" inspect regex.replace
for word in pattern replacement case_insensitive drop_empty field; do
  grep -q "$word" "$log" || { cat "$log" >&2; fail "textkit inspect regex.replace does not show \"$word\""; }
done

# --- 5. a bad pattern fails before any record flows, naming ICU's error and the offset ----------
rm -f "$work/out.jsonl"
status=0
env -u TEXTKIT_PLUGIN_PATH "$textkit" run "$work/pipeline.json" --progress none \
  --plugin-dir "$plugin_dir" --set 'times.pattern=(\d+:(\d+)' >"$log" 2>&1 || status=$?
[ "$status" -ne 0 ] || fail "an invalid pattern did not fail the run"
if ! grep -q 'U_REGEX_MISMATCHED_PAREN.*offset' "$log"; then
  cat "$log" >&2
  fail "the error for an invalid pattern does not name ICU's error and the offset"
fi
[ ! -e "$work/out.jsonl" ] || fail "a failed run left $work/out.jsonl behind"
# The option's own check: lint finds it too, at the --set argument.
status=0
env -u TEXTKIT_PLUGIN_PATH "$textkit" lint "$work/pipeline.json" --plugin-dir "$plugin_dir" \
  --set 'times.pattern=(\d+:(\d+)' >"$log" 2>&1 || status=$?
if [ "$status" -ne 2 ] || ! grep -q 'times.pattern.*U_REGEX_MISMATCHED_PAREN.*offset' "$log"; then
  cat "$log" >&2
  fail "textkit lint does not report the invalid pattern (exit $status)"
fi

# --- 6. installed beside textkit's own plugins, it is found with no flag -------------------------
quiet cmake --install "$plugin_build" --prefix "$prefix"
[ -f "$prefix/lib/textkit/plugins/textkit_regex_replace.so" ] ||
  fail "cmake --install of the plugin did not put it in $prefix/lib/textkit/plugins"
quiet env -u TEXTKIT_PLUGIN_PATH "$textkit" plugins
grep -q 'regex.replace' "$log" || { cat "$log" >&2; fail "textkit plugins does not list regex.replace"; }

# The example pipeline as shipped, run from a copy so that its output stays in the temporary tree.
example=$work/examples/plugins/regex-replace
mkdir -p "$example"  # no out/: writers create their folder
cp "$source_dir/examples/plugins/regex-replace/example.json" \
  "$source_dir/examples/plugins/regex-replace/sample.txt" "$example/"
quiet env -u TEXTKIT_PLUGIN_PATH "$textkit" run "$example/example.json" --progress none
out=$work/out/regex-replace.jsonl
[ -f "$out" ] || fail "example.json wrote no $out"
grep -q '<email>' "$out" || fail "example.json did not hide e-mail addresses: $(cat "$out")"
! grep -qi 'sent from my' "$out" || fail "example.json kept a signature line: $(cat "$out")"
[ "$(grep -c . "$out")" -eq 3 ] || fail "example.json should write 3 records: $(cat "$out")"

echo "out_of_tree_plugin: ok (built against $prefix, found by --plugin-dir, TEXTKIT_PLUGIN_PATH" \
  "and once installed)"
