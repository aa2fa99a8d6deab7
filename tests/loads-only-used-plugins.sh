#!/usr/bin/env bash
# `textkit run` must load only the plugin libraries its pipeline uses: a pipeline of read.txt and
# write.txt must never map another plugin's library (a pipeline without GPT-2 never loads libtorch).
#   tests/loads-only-used-plugins.sh TEXTKIT EXTRA_PLUGIN_DIR
set -euo pipefail
textkit=$1
extra_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'one\ntwo\n' > "$work/in.txt"
cat > "$work/p.json" <<'JSON'
{"textkit": 1, "steps": [
  {"use": "read.txt", "with": {"path": "in.txt", "split": "line"}},
  {"use": "write.txt", "with": {"path": "out.txt"}}]}
JSON
LD_DEBUG=files "$textkit" run "$work/p.json" --plugin-dir "$extra_dir" --progress none 2> "$work/ld.log"
opened=$(grep -oE 'file=[^ ]*/textkit_[a-z0-9_]+\.so' "$work/ld.log" | sed 's|.*/||' | sort -u | tr '\n' ' ')
echo "plugin libraries opened: $opened"
[ "$opened" = "textkit_io.so " ] || { echo "expected only textkit_io.so to be loaded" >&2; exit 1; }
grep -q 'libtorch' "$work/ld.log" && { echo "libtorch was loaded" >&2; exit 1; }
[ "$(cat "$work/out.txt")" = "$(printf 'one\ntwo')" ] || { echo "wrong output" >&2; exit 1; }
echo "ok"
