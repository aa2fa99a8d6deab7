#!/usr/bin/env bash
# End to end, through `textkit run`: a Facebook export whose message files are large enough
# (over 1 MiB) to be parsed on a second thread gives the same records with --threads 2 as with
# --threads 1; so does a truncated one, with the same error at the same place, and under
# on_error "skip" the same report and the same records.
#   parse_ahead.sh TEXTKIT
set -euo pipefail
textkit=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Two threads of 12,000 messages each (about 2.5 MB a file), Facebook's \u00XX damage included.
make_thread() {  # folder seed
  mkdir -p "$1"
  awk -v seed="$2" 'BEGIN {
    printf "{\n  \"participants\": [{\"name\": \"Ana Mu\\u00c3\\u00b1oz\"}, {\"name\": \"Zo\\u00c3\\u00ab\"}],\n  \"messages\": [\n"
    for (i = 0; i < 12000; i++) {
      if (i > 0) printf ",\n"
      printf "    {\n      \"sender_name\": \"%s\",\n      \"timestamp_ms\": %d,\n", (i % 3 ? "Ana Mu\\u00c3\\u00b1oz" : "Zo\\u00c3\\u00ab"), 1600000000000 - i * 61000 - seed
      printf "      \"content\": \"message %d of %d: caf\\u00c3\\u00a9 \\u00f0\\u009f\\u0099\\u0082 d\\u00c3\\u00a9j\\u00c3\\u00a0 vu\",\n", i, seed
      printf "      \"reactions\": [{\"reaction\": \"\\u00e2\\u009d\\u00a4\", \"actor\": \"Ana\"}]\n    }"
    }
    printf "\n  ],\n  \"title\": \"Ana\",\n  \"thread_path\": \"inbox/ana_%d\"\n}\n", seed
  }' > "$1/message_1.json"
}
make_thread "$work/export/your_facebook_activity/messages/inbox/ana_1" 1
make_thread "$work/export/your_facebook_activity/messages/inbox/zoe_2" 2
size=$(stat -c %s "$work/export/your_facebook_activity/messages/inbox/ana_1/message_1.json")
[ "$size" -gt $((1 << 20)) ] || { echo "FAIL: the generated file is only $size bytes"; exit 1; }

run() {  # name threads on_error -> $work/name.jsonl, $work/name.err, exit status in $work/name.rc
  cat > "$work/$1.json" <<JSON
{ "textkit": 1, "steps": [
  { "use": "import.facebook", "on_error": "$3", "with": { "path": "$work/export" } },
  { "use": "write.jsonl", "with": { "path": "$work/$1.jsonl" } } ] }
JSON
  set +e
  "$textkit" run "$work/$1.json" --threads "$2" --progress none 2> "$work/$1.err"
  echo $? > "$work/$1.rc"
  set -e
}
fail() { echo "FAIL: $*"; exit 1; }

run one 1 fail
run two 2 fail
[ "$(cat "$work/one.rc")" = 0 ] && [ "$(cat "$work/two.rc")" = 0 ] || fail "a run failed: $(cat "$work/one.err" "$work/two.err")"
[ "$(wc -l < "$work/two.jsonl")" -eq 24000 ] || fail "$(wc -l < "$work/two.jsonl") records, not 24000"
cmp -s "$work/one.jsonl" "$work/two.jsonl" || fail "--threads 1 and --threads 2 wrote different records"
grep -q '"text":"message 0 of 1: café 🙂 déjà vu"' "$work/two.jsonl" || fail "the mojibake was not repaired"

# Truncated in the middle of the second thread's file: the same error, at the same place.
truncated=$work/export/your_facebook_activity/messages/inbox/zoe_2/message_1.json
head -c 1500000 "$truncated" > "$work/cut" && mv "$work/cut" "$truncated"
run cut_one 1 fail
run cut_two 2 fail
[ "$(cat "$work/cut_two.rc")" = 1 ] || fail "a truncated file did not fail the run"
grep -q 'zoe_2/message_1\.json:[0-9]*:[0-9]*: unexpected end of input' "$work/cut_two.err" ||
  fail "no place in: $(cat "$work/cut_two.err")"
diff <(grep message_1 "$work/cut_one.err") <(grep message_1 "$work/cut_two.err") > /dev/null ||
  fail "the errors differ: $(cat "$work/cut_one.err" "$work/cut_two.err")"
[ ! -e "$work/cut_two.jsonl" ] || fail "a failed run left its output"
run skip_one 1 skip
run skip_two 2 skip
[ "$(cat "$work/skip_two.rc")" = 0 ] || fail "on_error skip failed: $(cat "$work/skip_two.err")"
cmp -s "$work/skip_one.jsonl" "$work/skip_two.jsonl" || fail "skip: the records differ"
[ "$(wc -l < "$work/skip_two.jsonl")" -gt 12000 ] || fail "skip: the messages before the cut are missing"
echo "ok: $(wc -l < "$work/two.jsonl") records, the same with 1 and 2 threads, truncated and skipped alike"
