#!/usr/bin/env bash
# Checks that docs/plugins/<name>.md starts with what `textkit inspect <name> --markdown` generates
# from the plugin's option spec, for every plugin textkit finds; anything after the line
# "<!-- end of generated part -->" is written by hand and kept.
#   tests/check-plugin-docs.sh TEXTKIT DOCS_DIR           check (fails when out of step)
#   tests/check-plugin-docs.sh TEXTKIT DOCS_DIR --update  regenerate the generated parts
set -euo pipefail
textkit=$1
dir=$2
mode=${3:-check}
marker='<!-- end of generated part -->'
status=0
mkdir -p "$dir"
for name in $("$textkit" plugins --names); do
  file="$dir/$name.md"
  generated=$("$textkit" inspect "$name" --markdown)
  written=""
  if [ -f "$file" ] && grep -qF "$marker" "$file"; then
    written=$(sed -n "/$marker/,\$p" "$file" | tail -n +2)
  fi
  if [ "$mode" = "--update" ]; then
    { printf '%s\n\n%s\n' "$generated" "$marker"; [ -n "$written" ] && printf '%s\n' "$written"; } > "$file.tmp"
    mv "$file.tmp" "$file"
    continue
  fi
  if [ ! -f "$file" ]; then
    echo "docs: $file is missing" >&2
    status=1
    continue
  fi
  current=$(sed "/$marker/,\$d" "$file")
  if [ "$current" != "$generated" ]; then
    diff -u <(printf '%s\n' "$current") <(printf '%s\n' "$generated") | sed "s|^|$name.md: |" >&2 || true
    status=1
  fi
done
if [ $status -ne 0 ]; then
  echo "docs/plugins is out of step with the plugins' option specs; regenerate with:" >&2
  echo "  tests/check-plugin-docs.sh $textkit docs/plugins --update" >&2
fi
exit $status
