#!/usr/bin/env bash
# Runs every importer over the real export files in ../shared/data/exports (files from public
# projects' test suites, see their README for provenance) and checks what comes out: the number of
# records, that each run succeeds, that text holds no leftover HTML entities or Facebook mojibake.
#   evaluate_real_exports.sh TEXTKIT EXPORTS_DIR
# Exits 77 (ctest: skipped) when EXPORTS_DIR is absent: a user's clone has no ../shared.
set -euo pipefail
textkit=$1
exports=$2
[ -d "$exports" ] || { echo "no $exports: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

# check NAME PLUGIN PATH EXPECTED_COUNT [OPTIONS_JSON]
check() {
  local name=$1 plugin=$2 path=$3 expected=$4 extra=${5:-}
  [ -e "$path" ] || { echo "  $name: $path missing, not checked"; return; }
  cat > "$work/$name.json" <<JSON
{ "textkit": 1, "steps": [
  { "use": "$plugin", "with": { "path": "$path"${extra:+, $extra} } },
  { "use": "write.jsonl", "with": { "path": "$work/$name.jsonl" } } ] }
JSON
  if ! "$textkit" run "$work/$name.json" --progress none 2>"$work/$name.err"; then
    echo "FAIL $name: the run failed: $(head -1 "$work/$name.err")"
    status=1
    return
  fi
  local count
  count=$(wc -l < "$work/$name.jsonl")
  if [ "$count" -ne "$expected" ]; then
    echo "FAIL $name: $count records, expected $expected"
    status=1
  elif grep -qE '&(amp|lt|gt|quot|#[0-9]+);|Ã©|Ã¨|â€' "$work/$name.jsonl"; then
    echo "FAIL $name: entities or mojibake left in the text:"
    grep -E '&(amp|lt|gt|quot|#[0-9]+);|Ã©|Ã¨|â€' "$work/$name.jsonl" | head -3
    status=1
  else
    echo "ok   $name: $count records"
  fi
}

x=$exports/twitter
# 29 tweet objects: 6 retweets left out by default.
check twitter-x-2026 import.twitter "$x/x-2026-milahu104-data-tweets.js.excerpt" 23
check twitter-x-2026-with-retweets import.twitter "$x/x-2026-milahu104-data-tweets.js.excerpt" 29 '"retweets": "include"'
check twitter-grailbird-zip import.twitter "$x/perkeep-legacy-grailbird-camlistore_test.zip" 2
w=$exports/wordpress
check wordpress-jekyll-import import.wordpress "$w/jekyll-import-sitetitle.wordpress.2025-01-19.000.xml" 8
check wordpress-importer-valid-wxr-1.1 import.wordpress "$w/wpimporter-valid-wxr-1.1.xml" 3
check wordpress-importer-small-export import.wordpress "$w/wpimporter-small-export.xml" 10
check wordpress-all-statuses import.wordpress "$w/wpimporter-small-export.xml" 12 '"status": ["publish", "draft", "private", "pending", "future"]'
check tumblr-api-v2 import.tumblr "$exports/tumblr" 4

# The Facebook files there are JSON Schemas of the 2019 layout, not data: the importer must say
# it found no posts, not crash or invent records.
if "$textkit" run <(printf '{"textkit":1,"steps":[{"use":"import.facebook","with":{"path":"%s"}},{"use":"write.jsonl","with":{"path":"%s"}}]}' "$exports/facebook" "$work/fb.jsonl") --progress none 2>"$work/fb.err"; then
  echo "FAIL facebook-schemas: expected 'no Facebook posts' from JSON Schemas"
  status=1
elif grep -q "no Facebook posts, comments or messages found" "$work/fb.err"; then
  echo "ok   facebook-schemas: refused with a clear message (they are schemas, not data)"
else
  echo "FAIL facebook-schemas: $(head -1 "$work/fb.err")"
  status=1
fi
exit $status
