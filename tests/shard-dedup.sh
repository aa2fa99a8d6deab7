#!/usr/bin/env bash
# `textkit run --shard` end to end, on a generated corpus with ids:
#   1. the union of --shard 0/3, 1/3 and 2/3 is the unsharded output, record for record;
#   2. sanitize's dedup across shards: each shard dedups itself and writes its signatures, then a
#      second pass over the shards' outputs (signatures_from) removes the duplicates planted in
#      different shards, and keeps what the unsharded run keeps;
#   3. that second pass refuses to run when a shard's signatures are missing.
# Usage: tests/shard-dedup.sh TEXTKIT
set -euo pipefail

textkit=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/textkit-shard.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

fail() {
  echo "shard-dedup: FAIL: $*" >&2
  exit 1
}

# 300 records of 60 words; the text of r5 copied under six more ids (exact duplicates), and r9's
# text with its last word changed under six more (near duplicates, Jaccard about 0.96).
python3 - <<'EOF'
import json, random
random.seed(7)
words = ("apple river stone cloud maple winter garden letter window silver market candle harbor "
         "meadow lantern forest pepper violin saddle mirror").split()
texts = [" ".join(random.choice(words) for _ in range(60)) + f" number{i}" for i in range(300)]
with open("in.jsonl", "w") as out:
    for i, t in enumerate(texts):
        out.write(json.dumps({"text": t, "meta": {"id": f"r{i}"}}) + "\n")
    for k in range(6):
        out.write(json.dumps({"text": texts[5], "meta": {"id": f"x{k}"}}) + "\n")
    for k in range(6):
        out.write(json.dumps({"text": texts[9][: texts[9].rindex(" ")] + f" changed{k}",
                              "meta": {"id": f"y{k}"}}) + "\n")
with open("groups.json", "w") as out:
    json.dump({"exact": texts[5], "near_prefix": texts[9][: texts[9].rindex(" ")]}, out)
EOF

cat >plain.json <<'EOF'
{ "textkit": 1, "steps": [
  { "use": "read.jsonl", "with": { "path": "in.jsonl" } },
  { "use": "write.jsonl", "with": { "path": "plain.jsonl" } } ] }
EOF
cat >dedup.json <<'EOF'
{ "textkit": 1, "steps": [
  { "use": "read.jsonl", "with": { "path": "in.jsonl" } },
  { "use": "sanitize", "with": { "dedup": "near", "signatures": "sig.bin" } },
  { "use": "write.jsonl", "with": { "path": "clean.jsonl" } } ] }
EOF
cat >join.json <<'EOF'
{ "textkit": 1, "steps": [
  { "use": "read.jsonl", "with": { "path": "clean.shard-*-of-3.jsonl" } },
  { "use": "sanitize", "with": { "signatures_from": "sig.shard-*-of-3.bin",
                                 "rejects": "joined.rejects.jsonl" } },
  { "use": "write.jsonl", "with": { "path": "joined.jsonl" } } ] }
EOF

run() { "$textkit" run "$@" --progress none >>log 2>&1 || { cat log >&2; fail "textkit run $*"; }; }

# --- 1. the union of the shards is the unsharded run ------------------------------------------
run plain.json
for i in 0 1 2; do run plain.json --shard "$i/3"; done
for i in 0 1 2; do
  [ -s "plain.shard-$i-of-3.jsonl" ] || fail "shard $i of 3 is empty or missing"
done
cat plain.shard-*-of-3.jsonl | sort >union.sorted
sort plain.jsonl >plain.sorted
cmp -s union.sorted plain.sorted || fail "the union of the 3 shards differs from the unsharded run"

# --- 2. dedup within each shard, then across shards by their signatures ------------------------
run dedup.json  # unsharded: the reference (writes sig.bin and clean.jsonl)
for i in 0 1 2; do run dedup.json --shard "$i/3"; done
for i in 0 1 2; do
  [ -s "sig.shard-$i-of-3.bin" ] || fail "shard $i wrote no signatures"
done
run join.json

python3 - <<'EOF' || fail "dedup across shards"
import json, sys
groups = json.load(open("groups.json"))
def load(path):
    return [json.loads(line) for line in open(path)]
def in_group(r, name):
    if name == "exact":
        return r["text"] == groups["exact"]
    return r["text"].startswith(groups["near_prefix"] + " ")
shards = [load(f"clean.shard-{i}-of-3.jsonl") for i in range(3)]
joined = load("joined.jsonl")
unsharded = load("clean.jsonl")
ok = True
for name in ("exact", "near"):
    per_shard = [sum(in_group(r, name) for r in s) for s in shards]
    # The test means something only when copies survive in at least two shards.
    if sum(1 for n in per_shard if n > 0) < 2:
        print(f"{name}: the planted copies all fell in one shard {per_shard}", file=sys.stderr)
        ok = False
    if max(per_shard) > 1:
        print(f"{name}: a shard kept {max(per_shard)} copies: no dedup within it", file=sys.stderr)
        ok = False
    got = sum(in_group(r, name) for r in joined)
    if got != 1:
        print(f"{name}: {got} copies after the second pass, expected 1", file=sys.stderr)
        ok = False
# The copy kept is the one in the lowest shard here, the first in input order unsharded: apart
# from which member of the near group stays, the texts kept are the unsharded run's.
outside = lambda rs: sorted(r["text"] for r in rs if not in_group(r, "near"))
if outside(joined) != outside(unsharded):
    print("the records kept differ from the unsharded run's", file=sys.stderr)
    ok = False
if len(joined) != len(unsharded):
    print(f"{len(joined)} records after the second pass, {len(unsharded)} unsharded", file=sys.stderr)
    ok = False
rejects = load("joined.rejects.jsonl")
dropped = sum(n for s in shards for n in [len(s)]) - len(joined)
if len(rejects) != dropped or not all("earlier shard" in r["detail"] for r in rejects):
    print(f"rejects: {len(rejects)} lines for {dropped} records dropped", file=sys.stderr)
    ok = False
sys.exit(0 if ok else 1)
EOF

# --- 3. a missing shard's signatures: refused, nothing written ---------------------------------
rm -f joined.jsonl
mv sig.shard-1-of-3.bin sig.missing
status=0
"$textkit" run join.json --progress none >missing.log 2>&1 || status=$?
[ "$status" -ne 0 ] || fail "the second pass ran without shard 1's signatures"
grep -q "signatures of shard 1 of 3 are missing" missing.log ||
  { cat missing.log >&2; fail "no clear message for the missing shard"; }
[ ! -e joined.jsonl ] || fail "a refused second pass wrote joined.jsonl"
echo "shard-dedup: ok"
