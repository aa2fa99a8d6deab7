#!/usr/bin/env bash
# End to end, through `textkit run`: Messenger messages read straight from simdjson's document (a
# file of up to 4 MiB, parsed whole) give the same records as the same messages built as json by
# the streaming reader (the same file padded past 4 MiB), with and without meta, on one thread
# and two; and the records are the right ones (each shape of message below).
#   messages_whole.sh TEXTKIT
set -euo pipefail
textkit=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# 12,000 messages cycling through the shapes Facebook writes (and a few it should not), then, when
# a padding size is given, a member that long after them.
make_thread() {  # file padding_bytes
  mkdir -p "$(dirname "$1")"
  awk -v padding="$2" 'BEGIN {
    printf "{\n  \"participants\": [{\"name\": \"Ana Mu\\u00c3\\u00b1oz\"}, {\"name\": \"Zo\\u00c3\\u00ab\"}],\n  \"messages\": [\n"
    for (i = 0; i < 12000; i++) {
      if (i > 0) printf ",\n"
      t = 1600000000000 - i * 61000
      v = i % 16
      if (v == 0) printf "    {\"sender_name\": \"Ana Mu\\u00c3\\u00b1oz\", \"timestamp_ms\": %.0f, \"content\": \"m%d caf\\u00c3\\u00a9 \\u00f0\\u009f\\u0099\\u0082\", \"reactions\": [{\"reaction\": \"x\"}]}", t, i
      if (v == 1) printf "    {\"senderName\": \"Zo\\u00c3\\u00ab\", \"timestamp\": %.0f, \"text\": \"m%d encrypted\", \"type\": \"Generic\"}", t / 1000, i
      if (v == 2) printf "    {\"sender_name\": \"Zo\\u00c3\\u00ab\", \"timestamp_ms\": %.0f, \"content\": \"\", \"text\": \"m%d from text\"}", t, i
      if (v == 3) printf "    {\"sender_name\": \"Zo\\u00c3\\u00ab\", \"timestamp_ms\": %.0f, \"content\": \"m%d unsent\", \"is_unsent\": true}", t, i
      if (v == 4) printf "    {\"sender_name\": \"Zo\\u00c3\\u00ab\", \"timestamp_ms\": %.0f, \"content\": \"m%d call\", \"call_duration\": 12}", t, i
      if (v == 5) printf "    {\"sender_name\": \"Zo\\u00c3\\u00ab\", \"timestamp_ms\": %.0f, \"content\": \"m%d typed call\", \"type\": \"Call\"}", t, i
      if (v == 6) printf "    {\"sender_name\": \"Zo\\u00c3\\u00ab\", \"timestamp_ms\": %.0f, \"content\": \"Zo\\u00c3\\u00ab sent a photo.\", \"photos\": [{\"uri\": \"p.jpg\"}]}", t
      if (v == 7) printf "    {\"sender_name\": \"Zo\\u00c3\\u00ab\", \"timestamp_ms\": %.0f, \"content\": \"m%d first\", \"content\": \"m%d last\"}", t, i, i
      if (v == 8) printf "    {\"sender_name\": \"Ana Mu\\u00c3\\u00b1oz\", \"timestamp_ms\": %.0f, \"content\": \"m%d \\u00c3 la carte\"}", t, i
      if (v == 9) printf "    {\"sender_name\": \"Ana Mu\\u00c3\\u00b1oz\", \"timestamp_ms\": \"%.0f\", \"content\": \"m%d string time\"}", t, i
      if (v == 10) printf "    {\"sender_name\": \"\", \"senderName\": \"Zo\\u00c3\\u00ab\", \"timestamp_ms\": %.0f, \"content\": \"m%d camel sender\"}", t, i
      if (v == 11) printf "    {\"sender_name\": \"Zo\\u00c3\\u00ab\", \"timestamp_ms\": %.0f, \"content\": 7, \"text\": \"m%d number content\"}", t, i
      if (v == 12) printf "    {\"sender_name\": \"Zo\\u00c3\\u00ab\", \"timestamp_ms\": %.0f, \"content\": \"You are now connected on Messenger\"}", t
      if (v == 13) printf "    {\"sender_name\": \"Zo\\u00c3\\u00ab\", \"timestamp_ms\": %.0f.5, \"content\": \"  m%d float time  \"}", t, i
      if (v == 14) printf "    {\"timestamp_ms\": %.0f, \"content\": \"m%d no sender\"}", t, i
      if (v == 15) printf "    {\"sender_name\": null, \"timestamp_ms\": %.0f, \"content\": \"m%d null sender\"}", t, i
    }
    printf "\n  ],\n  \"title\": \"Ana\""
    if (padding > 0) {
      printf ",\n  \"padding\": \""
      for (k = 0; k < padding / 64; k++) printf "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
      printf "\""
    }
    printf "\n}\n"
  }' > "$1"
}
inbox=your_facebook_activity/messages/inbox/ana_1
make_thread "$work/whole/$inbox/message_1.json" 0
make_thread "$work/streamed/$inbox/message_1.json" $((4500 * 1024))
whole_size=$(stat -c %s "$work/whole/$inbox/message_1.json")
streamed_size=$(stat -c %s "$work/streamed/$inbox/message_1.json")
if [ "$whole_size" -le $((1 << 20)) ] || [ "$whole_size" -gt $((4 << 20)) ]; then
  fail "the file parsed whole is $whole_size bytes (wanted 1-4 MiB)"
fi
[ "$streamed_size" -gt $((4 << 20)) ] || fail "the streamed file is only $streamed_size bytes"

run() {  # export threads writer output
  cat > "$work/run.json" <<JSON
{ "textkit": 1, "steps": [
  { "use": "import.facebook", "with": { "path": "$work/$1", "me": "Ana Muñoz" } },
  { "use": "$3", "with": { "path": "$work/$4" } } ] }
JSON
  "$textkit" run "$work/run.json" --threads "$2" --progress none 2> "$work/err" ||
    fail "textkit failed on $1 with $2 threads: $(cat "$work/err")"
}

for threads in 1 2; do
  run whole "$threads" write.jsonl "whole-$threads.jsonl"
  run streamed "$threads" write.jsonl "streamed-$threads.jsonl"
  cmp -s "$work/whole-$threads.jsonl" "$work/streamed-$threads.jsonl" ||
    fail "$threads threads: records differ: $(diff "$work/whole-$threads.jsonl" "$work/streamed-$threads.jsonl" | head -4)"
  run whole "$threads" write.txt "whole-$threads.txt"
  run streamed "$threads" write.txt "streamed-$threads.txt"
  cmp -s "$work/whole-$threads.txt" "$work/streamed-$threads.txt" ||
    fail "$threads threads: texts differ: $(diff "$work/whole-$threads.txt" "$work/streamed-$threads.txt" | head -4)"
done
cmp -s "$work/whole-1.jsonl" "$work/whole-2.jsonl" || fail "1 and 2 threads differ"

# The right records: 10 of the 16 shapes are someone's words, the others are Facebook's or no
# message at all (no sender); 12,000 messages are 750 rounds of the 16.
records=$(wc -l < "$work/whole-1.jsonl")
[ "$records" -eq $((750 * 10)) ] || fail "$records records"
expect() {  # the record's JSON must contain each string given
  local line
  line=$(grep -F "\"$1" "$work/whole-1.jsonl" | head -1)
  [ -n "$line" ] || fail "no record starting \"$1\""
  shift
  for part in "$@"; do
    [[ $line == *"$part"* ]] || fail "record $line lacks $part"
  done
}
expect 'm0 café 🙂' '"author":"Ana Muñoz"' '"by_me":true' '"created":"2020-09-13T12:26:40Z"' '"thread":"ana_1"'
expect 'm1 encrypted' '"author":"Zoë"' '"by_me":false' '"created":"2020-09-13T12:25:39Z"'
expect 'm2 from text'
expect 'm7 last'
expect 'm8 Ã la carte'
expect 'm9 string time' '"created":"2020-09-13T12:17:31Z"'
expect 'm10 camel sender' '"author":"Zoë"'
expect 'm11 number content'
expect 'm13 float time"'
expect 'm15 null sender'
! grep -F '"m15 null sender' "$work/whole-1.jsonl" | grep -qF '"author"' || fail "a null sender is no author"
for gone in 'm3 unsent' 'm4 call' 'm5 typed call' 'sent a photo' 'm7 first' 'connected on Messenger' \
  'm14 no sender'; do
  ! grep -qF "$gone" "$work/whole-1.jsonl" || fail "\"$gone\" should not be a record"
done
echo "ok: $records records, the same parsed whole and streamed, on 1 and 2 threads, with and without meta"
