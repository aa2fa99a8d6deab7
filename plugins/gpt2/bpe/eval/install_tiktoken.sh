#!/usr/bin/env bash
# Installs npm tiktoken 1.0.22 (OpenAI's tokenizer, Rust compiled to WASM; no dependencies) into
# DIR/node_modules, the peer of the GPT-2 tokenizer's evaluation and benchmark. Never into the
# repository. With npm when there is one, else the registry's tarball with curl, checked against
# the sha512 the registry publishes.
#   plugins/gpt2/bpe/eval/install_tiktoken.sh DIR
set -euo pipefail
dir=${1:?usage: install_tiktoken.sh DIR}
version=1.0.22
url=https://registry.npmjs.org/tiktoken/-/tiktoken-$version.tgz
sha512=PKvy1rVF1RibfF3JlXBSP0Jrcw2uq3yXdgcEXtKTYn3QJ/cBRBHDnrJ5jHky+MENZ6DIPwNUGWpkVx+7joCpNA==

if [ -f "$dir/node_modules/tiktoken/package.json" ] &&
  grep -q "\"version\": \"$version\"" "$dir/node_modules/tiktoken/package.json"; then
  exit 0
fi
command -v node >/dev/null || { echo "install_tiktoken: needs node (apt-get install nodejs)" >&2; exit 1; }
mkdir -p "$dir"
if command -v npm >/dev/null; then
  npm install --silent --no-audit --no-fund --prefix "$dir" "tiktoken@$version" >&2
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
curl -sSfL --retry 3 -o "$tmp/tiktoken.tgz" "$url"
expected=$(printf '%s' "$sha512" | base64 -d | od -An -v -tx1 | tr -d ' \n')
actual=$(sha512sum "$tmp/tiktoken.tgz" | cut -d' ' -f1)
[ "$expected" = "$actual" ] || { echo "install_tiktoken: $url does not have the pinned sha512" >&2; exit 1; }
mkdir -p "$dir/node_modules/tiktoken"
tar -xzf "$tmp/tiktoken.tgz" -C "$dir/node_modules/tiktoken" --strip-components=1
