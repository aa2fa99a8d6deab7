#!/usr/bin/env bash
# kanji.info over all 2,136 jōyō kanji, with look-alikes (every pair scored) and meaning
# neighbours computed, whole process: warm (KANJIDIC2 table already in the cache) against cold
# (empty cache: the gzipped XML parsed), against the same run without similarity, and against a
# plain Python script doing the look-alike part (tests/bench/kanji_peer.py). Target (issue 9):
# warm under 2 s.
#
# Usage: tests/bench/kanji.sh [--runs N] [--textkit PATH] [--no-python] [--strict]
#   --runs N      timed runs of each (default 3; the median is reported)
#   --no-python   leave out the Python peer
#   --strict      exit 1 when the target is missed
# Needs GNU time and the Debian packages kanjidic-xml and xjdic.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "$0")/common.sh"

runs=3
textkit_arg=
python=1
strict=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --textkit) textkit_arg=$2; shift 2 ;;
    --no-python) python=0; shift ;;
    --strict) strict=1; shift ;;
    -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
    *) bench_fail "kanji: unknown argument $1 (see --help)" ;;
  esac
done

textkit=$(realpath "$(find_textkit "$textkit_arg")")
require_gnu_time
kanjidic=/usr/share/edict/kanjidic2.xml.gz
radkfile=/var/lib/xjdic/radkfile
[ -f "$kanjidic" ] || bench_fail "kanji: needs $kanjidic (apt-get install kanjidic-xml)"
[ -f "$radkfile" ] || bench_fail "kanji: needs $radkfile (apt-get install xjdic)"

work=$(mktemp -d "${TMPDIR:-/tmp}/textkit-bench-kanji.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/cache"
printf '' > "$work/empty.txt"
pipeline() {  # name, similar, related
  cat > "$work/$1.json" <<JSON
{ "textkit": 1, "steps": [
  { "use": "read.txt", "with": { "path": "empty.txt" } },
  { "use": "kanji.info", "with": { "kanji": "all jōyō", "similar": $2, "related": $3 } },
  { "use": "write.jsonl", "with": { "path": "$1.jsonl" } } ] }
JSON
}
pipeline full 6 5
pipeline bare 0 0

# Seconds of one textkit run with the cache folder $2 ("fresh": emptied first).
run_textkit() {
  local name=$1 cache=$2
  [ "$cache" = fresh ] && rm -rf "$work/cache" && mkdir -p "$work/cache"
  XDG_CACHE_HOME="$work/cache" /usr/bin/time -f "%e %M %U %S" -o "$work/time" \
    "$textkit" run "$work/$name.json" --progress none 2>"$work/stderr" ||
    { cat "$work/stderr" >&2; bench_fail "kanji: textkit run $name failed"; }
  local records
  records=$(wc -l < "$work/$name.jsonl")
  [ "$records" -eq 2136 ] || bench_fail "kanji: $name wrote $records records, expected 2136"
  cat "$work/time"
}

cold=() warm=() warm_cpu=() bare=() peer=() peer_cpu=() rss=0
for _ in $(seq "$runs"); do
  cold+=("$(run_textkit full fresh | cut -d' ' -f1)")
  read -r seconds kb user system < <(run_textkit full kept)
  warm+=("$seconds")
  warm_cpu+=("$(awk -v u="$user" -v s="$system" 'BEGIN { print u + s }')")
  rss=$kb
  bare+=("$(run_textkit bare kept | cut -d' ' -f1)")
  if [ "$python" = 1 ]; then
    /usr/bin/time -f "%e %U %S" -o "$work/time" python3 "$(dirname "$0")/kanji_peer.py" \
      "$kanjidic" "$radkfile" "$work/peer.jsonl" > "$work/peer.count"
    [ "$(cat "$work/peer.count")" -eq 2136 ] || bench_fail "kanji: the Python peer saw $(cat "$work/peer.count") kanji"
    read -r seconds user system < "$work/time"
    peer+=("$seconds")
    peer_cpu+=("$(awk -v u="$user" -v s="$system" 'BEGIN { print u + s }')")
  fi
done
warm_s=$(printf '%s\n' "${warm[@]}" | median)
warm_cpu_s=$(printf '%s\n' "${warm_cpu[@]}" | median)
cold_s=$(printf '%s\n' "${cold[@]}" | median)
bare_s=$(printf '%s\n' "${bare[@]}" | median)
met=$(verdict "$warm_s" "<" 2)
echo "kanji.info all jōyō (2136) with similarity: warm $(fmt "$warm_s" 2) s (target < 2 s: $met; CPU $(fmt "$warm_cpu_s" 2) s), cold $(fmt "$cold_s" 2) s, peak RSS $(mb_of_kb "$rss") MB"
echo "kanji.info all jōyō without similarity: warm $(fmt "$bare_s" 2) s; similarity costs $(fmt "$(awk -v a="$warm_s" -v b="$bare_s" 'BEGIN { print a - b }')" 2) s"
if [ "$python" = 1 ]; then
  peer_s=$(printf '%s\n' "${peer[@]}" | median)
  peer_cpu_s=$(printf '%s\n' "${peer_cpu[@]}" | median)
  echo "python peer (look-alikes only, standard library): $(fmt "$peer_s" 2) s (CPU $(fmt "$peer_cpu_s" 2) s); ratio python/textkit-warm $(fmt "$(awk -v p="$peer_s" -v t="$warm_s" 'BEGIN { print p / t }')" 1), python/textkit-cold $(fmt "$(awk -v p="$peer_s" -v t="$cold_s" 'BEGIN { print p / t }')" 1)"
fi
[ "$strict" = 1 ] && [ "$met" != met ] && exit 1
exit 0
