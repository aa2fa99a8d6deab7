#!/usr/bin/env python3
"""How many classic look-alike pairs kanji.info finds: for each pair of confusable_pairs.txt,
whether each kanji lists the other among its look-alikes (meta.similar, compared with all jōyō
kanji, the plugin's defaults unless --similar / --similar-min say otherwise).

Usage: lookalikes.py TEXTKIT [--similar N] [--similar-min X] [--min-found F]
Prints recall (pairs found in at least one direction, and in both) and the pairs missed; exits 1
when the share found in at least one direction is below --min-found (default 0: never).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("textkit")
    parser.add_argument("--similar", type=int, default=6)
    parser.add_argument("--similar-min", type=float, default=0.45)
    parser.add_argument("--min-found", type=float, default=0.0)
    args = parser.parse_args()
    pairs = []
    with open(os.path.join(HERE, "confusable_pairs.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                pairs.append((line[0], line[1]))
    kanji = sorted({k for pair in pairs for k in pair})
    with tempfile.TemporaryDirectory() as work:
        open(os.path.join(work, "empty.txt"), "w").close()
        pipeline = {"textkit": 1, "steps": [
            {"use": "read.txt", "with": {"path": "empty.txt"}},
            {"use": "kanji.info", "with": {"kanji": ["".join(kanji)], "related": 0,
                                           "similar": args.similar,
                                           "similar_min": args.similar_min}},
            {"use": "write.jsonl", "with": {"path": "out.jsonl"}}]}
        with open(os.path.join(work, "p.json"), "w", encoding="utf-8") as f:
            json.dump(pipeline, f, ensure_ascii=False)
        subprocess.run([args.textkit, "run", os.path.join(work, "p.json"), "--progress", "none"],
                       check=True, stderr=subprocess.DEVNULL)
        similar = {}
        with open(os.path.join(work, "out.jsonl"), encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                similar[record["text"]] = record["meta"].get("similar", [])
    either = both = 0
    missed = []
    for a, b in pairs:
        ab, ba = b in similar.get(a, []), a in similar.get(b, [])
        either += ab or ba
        both += ab and ba
        if not (ab or ba):
            missed.append(a + b)
    n = len(pairs)
    print(f"look-alike pairs found: {either}/{n} ({100 * either / n:.0f}%) in at least one "
          f"direction, {both}/{n} ({100 * both / n:.0f}%) both ways "
          f"(similar {args.similar}, similar_min {args.similar_min})")
    print("missed: " + " ".join(missed))
    if either / n < args.min_found:
        print(f"below --min-found {args.min_found}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
