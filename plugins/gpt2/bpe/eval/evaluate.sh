#!/usr/bin/env bash
# Exact token ids of textkit's GPT-2 tokenizer against tiktoken's "gpt2" encoding (npm tiktoken,
# the Rust implementation OpenAI ships, as WASM) on at least 10 MB of varied text built by
# make_corpus.py: English prose, code, Japanese, emoji, odd white space, random Unicode, and
# <|endoftext|> between documents. Prints a table by category; exits 1 on any mismatch.
#
#   plugins/gpt2/bpe/eval/evaluate.sh [--build DIR] [--work DIR] [--mb N]
#     --build DIR   textkit build tree with bin/gpt2_bpe_encode (default build/, or $TEXTKIT_BUILD_DIR)
#     --work DIR    scratch folder for tiktoken, the corpus and the ids (default: a new one in /tmp,
#                   removed afterwards); never inside the repository
#     --mb N        corpus size in millions of bytes (default 12)
# Needs python3, node, and npm or curl (tiktoken is installed into the scratch folder), and GPT-2's
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
    -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
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
python3 "$here/compare.py" "$work/docs.jsonl" "$work/ours.ids" "$work/peer.ids"
