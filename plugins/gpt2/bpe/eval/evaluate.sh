#!/usr/bin/env bash
# Exact token ids of textkit's GPT-2 tokenizer against tiktoken's "gpt2" encoding (npm tiktoken,
# the Rust implementation OpenAI ships, as WASM) on at least 10 MB of varied text built by
# make_corpus.py: English prose, code, Japanese, emoji, odd white space, random Unicode, and
# <|endoftext|> between documents. Then a vocabulary that tiktoken does not know: gpt2.bpe trains
# 8,000 tokens on half the documents, and the other half is encoded with it by textkit and by
# openai_reference.py (OpenAI's original algorithm, as Hugging Face's GPT2Tokenizer runs it).
# Prints a table by category for each; exits 1 on any mismatch.
#
#   plugins/gpt2/bpe/eval/evaluate.sh [--build DIR] [--work DIR] [--mb N]
#     --build DIR   textkit build tree with bin/gpt2_bpe_encode (default build/, or $TEXTKIT_BUILD_DIR)
#     --work DIR    scratch folder for tiktoken, the corpus and the ids (default: a new one in /tmp,
#                   removed afterwards); never inside the repository
#     --mb N        corpus size in millions of bytes (default 12)
# Needs python3 (with the regex module for the second part: Debian python3-regex), node, and npm or curl (tiktoken is installed into the scratch folder), and GPT-2's
# vocabulary (./setup.sh fetches it into third_party/gpt2-vocab/). Uses ../shared/data when present.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
build=${TEXTKIT_BUILD_DIR:-$root/build}
work=
mb=12
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --mb) mb=$2; shift 2 ;;
    -h | --help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "evaluate: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
encoder=$build/bin/gpt2_bpe_encode
vocab=$root/third_party/gpt2-vocab
[ -x "$encoder" ] || { echo "evaluate: no $encoder (cmake --build $build --target gpt2_bpe_encode)" >&2; exit 1; }
[ -f "$vocab/encoder.json" ] || { echo "evaluate: no GPT-2 vocabulary in $vocab: run ./setup.sh build" >&2; exit 1; }
if [ -z "$work" ]; then
  work=$(mktemp -d /tmp/gpt2-bpe-eval.XXXXXX)
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"

"$here/install_tiktoken.sh" "$work"
echo "evaluate: building a ${mb} MB corpus" >&2
python3 "$here/make_corpus.py" "$work/docs.jsonl" --mb "$mb" --shared "$root/../shared/data"
"$encoder" "$vocab" "$work/docs.jsonl" --ids "$work/ours.ids" | sed 's/^/textkit: /' >&2
node "$here/tiktoken_peer.js" "$work/node_modules" "$work/docs.jsonl" --ids "$work/peer.ids" |
  sed 's/^/tiktoken: /' >&2
status=0
echo "== GPT-2's vocabulary: textkit against tiktoken (gpt2)"
python3 "$here/compare.py" "$work/docs.jsonl" "$work/ours.ids" "$work/peer.ids" || status=1

echo "== a vocabulary gpt2.bpe trained (8000 tokens, half the documents): textkit against OpenAI's algorithm"
if ! python3 -c "import regex" 2>/dev/null; then
  echo "evaluate: skipped: python3 has no regex module (apt-get install python3-regex)"
  exit $status
fi
# Even documents train, odd ones are encoded; random code points stay out (the regex module's
# Unicode tables are not ICU's).
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
docs = open(f"{work}/docs.jsonl", encoding="utf-8").read().split("\n")
cats = open(f"{work}/docs.jsonl.categories").read().split()
with open(f"{work}/train.jsonl", "w") as train, open(f"{work}/held.jsonl", "w") as held, \
        open(f"{work}/held.jsonl.categories", "w") as held_cats:
    for i, (doc, cat) in enumerate(zip(docs, cats)):
        if cat == "unicode":
            continue
        if i % 2 == 0:
            train.write(json.dumps({"text": json.loads(doc)}) + "\n")
        else:
            held.write(doc + "\n")
            held_cats.write(cat + "\n")
PY
cat >"$work/train.json" <<JSON
{ "textkit": 1, "steps": [
  { "use": "read.jsonl", "with": { "path": "$work/train.jsonl" } },
  { "use": "gpt2.bpe", "with": { "path": "$work/trained", "vocab_size": 8000 } } ] }
JSON
"$build/bin/textkit" run "$work/train.json" --progress none 2>&1 | grep -v '^ ' | sed 's/^/textkit: /' >&2
"$encoder" "$work/trained" "$work/held.jsonl" --ids "$work/trained-ours.ids" | sed 's/^/textkit: /' >&2
python3 "$here/openai_reference.py" "$work/trained" "$work/held.jsonl" "$work/trained-reference.ids"
python3 "$here/compare.py" "$work/held.jsonl" "$work/trained-ours.ids" "$work/trained-reference.ids" ||
  status=1
exit $status
