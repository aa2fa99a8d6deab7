#!/usr/bin/env python3
"""Compares the token ids of two encoders, document by document, by category.

  compare.py DOCS.jsonl OURS.ids PEER.ids [--show 5]

DOCS.jsonl.categories names each document's category. Prints a table (documents, MB, tokens,
mismatched documents per category) and, for the first few mismatches, where the ids part and the
text around it. Exits 1 when any document differs.
"""
import argparse
import json
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("docs")
    parser.add_argument("ours")
    parser.add_argument("peer")
    parser.add_argument("--show", type=int, default=5)
    args = parser.parse_args()
    with open(args.docs, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    with open(args.docs + ".categories") as f:
        categories = f.read().split()
    with open(args.ours) as f:
        ours = f.read().split("\n")[: len(docs)]
    with open(args.peer) as f:
        peer = f.read().split("\n")[: len(docs)]
    if not (len(docs) == len(categories) == len(ours) == len(peer)):
        sys.exit(f"compare: {len(docs)} documents, {len(categories)} categories, "
                 f"{len(ours)} and {len(peer)} lines of ids")
    table = {}
    shown = 0
    for i, doc in enumerate(docs):
        row = table.setdefault(categories[i], [0, 0, 0, 0])
        row[0] += 1
        row[1] += len(doc.encode("utf-8"))
        row[2] += len(peer[i].split())
        if ours[i] == peer[i]:
            continue
        row[3] += 1
        if shown < args.show:
            shown += 1
            a, b = ours[i].split(), peer[i].split()
            k = next((j for j in range(min(len(a), len(b))) if a[j] != b[j]), min(len(a), len(b)))
            print(f"mismatch in document {i + 1} ({categories[i]}) at token {k}: "
                  f"ours {a[max(0, k - 3):k + 3]} peer {b[max(0, k - 3):k + 3]}")
    total = [sum(r[j] for r in table.values()) for j in range(4)]
    print(f"{'category':<12}{'docs':>8}{'MB':>9}{'tokens':>12}{'mismatched docs':>17}")
    for name, r in list(table.items()) + [("total", total)]:
        print(f"{name:<12}{r[0]:>8}{r[1] / 1e6:>9.2f}{r[2]:>12}{r[3]:>17}")
    identical = total[0] - total[3]
    print(f"identical ids: {identical} of {total[0]} documents, {total[1] / 1e6:.2f} MB, "
          f"{total[2]} tokens")
    return 1 if total[3] else 0


if __name__ == "__main__":
    sys.exit(main())
