#!/usr/bin/env python3
"""Near-dedup evaluation: recall and precision of `sanitize` with dedup "near" on planted pairs.

Builds a corpus of --records JSONL records (default 50,000): originals drawn from a Zipf-distributed
vocabulary, then edited copies of some of them at known Jaccard similarities (on the same 5-word
shingles sanitize uses; the true similarity of every pair is computed exactly, not assumed). Runs
textkit (read.jsonl -> sanitize -> write.jsonl, with a rejects file) and scores what it dropped:

  recall    = planted copies with true Jaccard >= threshold + margin that were dropped
              / all such copies
  precision = dropped records that are planted copies with true Jaccard >= threshold
              / dropped records, less the copies with true Jaccard in [threshold - margin, threshold)

Pairs within `margin` (default 0.05) of the threshold, on either side, are planted and reported,
but scored neither way: with 128 permutations the estimate has a standard error of about 0.035
there, so any MinHash deduplicator drops some of them and keeps others. The strict precision (every
drop of a copy below the threshold counted as wrong) is printed too, and the per-level table shows
the whole curve.

Usage: near_dedup_eval.py --textkit build/bin/textkit [--records 50000] [--threshold 0.8]
                          [--work DIR] [--keep]
Exit status 0 when recall >= 0.95 and precision >= 0.99, 1 otherwise.
"""
import argparse
import bisect
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

SHINGLE = 5


def make_vocabulary(rng, size):
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(letters) for _ in range(rng.randint(2, 10))))
    return sorted(words)


def zipf_sampler(rng, vocabulary, s=1.0):
    weights = [1.0 / (rank + 1) ** s for rank in range(len(vocabulary))]
    total = 0.0
    cumulative = []
    for w in weights:
        total += w
        cumulative.append(total)

    def sample(n):
        return [vocabulary[bisect.bisect_left(cumulative, rng.random() * total)] for _ in range(n)]

    return sample


def shingles(words):
    if len(words) < SHINGLE:
        return {tuple(words)}
    return {tuple(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def jaccard(a, b):
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb)


def edited_copy(rng, words, target, sample):
    """A copy of `words` with replaced words spread out, as close to `target` as it gets."""
    n_shingles = max(1, len(words) - SHINGLE + 1)
    # Each replaced word (at least SHINGLE apart from the next) turns SHINGLE shared shingles into
    # SHINGLE new ones on each side: J = (S - 5k) / (S + 5k).
    k = max(1, round(n_shingles * (1 - target) / (SHINGLE * (1 + target))))
    copy = list(words)
    positions = rng.sample(range(len(words)), min(k, len(words)))
    replacements = sample(len(positions))
    for p, w in zip(positions, replacements):
        copy[p] = w + "x"  # never equal to the word it replaces
    return copy


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--textkit", required=True)
    parser.add_argument("--records", type=int, default=50000)
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--margin", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--work", default=None, help="folder for the corpus and outputs")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    vocabulary = make_vocabulary(rng, 30000)
    sample = zipf_sampler(rng, vocabulary)
    levels = [0.3, 0.5, 0.6, 0.7, 0.75, 0.82, 0.85, 0.9, 0.95, 0.98]
    copies_per_level = args.records // 5 // len(levels)
    n_originals = args.records - copies_per_level * len(levels)

    originals = [sample(rng.randint(40, 400)) for _ in range(n_originals)]
    # Each copied original is copied once, so the only similar pairs are the planted ones. An
    # original is drawn until the edit lands within 0.03 of the level (a short text cannot be
    # edited into a 0.98 copy: one changed word is already 5 of its shingles).
    unused = list(range(n_originals))
    rng.shuffle(unused)
    planted = []  # (copy words, original index, true Jaccard, level)
    for level in levels:
        for _ in range(copies_per_level):
            for attempt in range(200):
                pick = rng.randrange(len(unused))
                index = unused[pick]
                copy = edited_copy(rng, originals[index], level, sample)
                similarity = jaccard(originals[index], copy)
                if abs(similarity - level) <= 0.03 or attempt == 199:
                    break
            unused[pick] = unused[-1]
            unused.pop()
            planted.append((copy, index, similarity, level))
    rng.shuffle(planted)

    work = args.work or tempfile.mkdtemp(prefix="near-dedup-eval-")
    os.makedirs(os.path.join(work, "out"), exist_ok=True)
    corpus = os.path.join(work, "corpus.jsonl")
    truth = {}
    with open(corpus, "w") as f:
        for i, words in enumerate(originals):
            f.write(json.dumps({"text": " ".join(words), "meta": {"doc": f"o{i}"}}) + "\n")
        for j, (words, index, similarity, level) in enumerate(planted):
            truth[f"c{j}"] = (similarity, level)
            f.write(json.dumps({"text": " ".join(words), "meta": {"doc": f"c{j}"}}) + "\n")
    size_mb = os.path.getsize(corpus) / 1e6

    pipeline = os.path.join(work, "eval.json")
    with open(pipeline, "w") as f:
        json.dump({"textkit": 1, "steps": [
            {"use": "read.jsonl", "with": {"path": "corpus.jsonl"}},
            {"use": "sanitize", "with": {"dedup": "near", "near_threshold": args.threshold,
                                         "rejects": "out/rejects.jsonl"}},
            {"use": "write.jsonl", "with": {"path": "out/kept.jsonl"}}]}, f)
    start = time.time()
    subprocess.run([args.textkit, "run", pipeline, "--progress", "none"], check=True,
                   stderr=subprocess.DEVNULL)
    seconds = time.time() - start

    dropped = []
    with open(os.path.join(work, "out", "rejects.jsonl")) as f:
        for line in f:
            r = json.loads(line)
            dropped.append((r["meta"]["doc"], r["reason"]))

    per_level = {level: [0, 0] for level in levels}  # level -> [dropped, planted]
    for doc, (similarity, level) in truth.items():
        per_level[level][1] += 1
    true_positive = 0
    false_positive = 0
    dropped_docs = set()
    for doc, reason in dropped:
        dropped_docs.add(doc)
        if doc in truth and truth[doc][0] >= args.threshold:
            true_positive += 1
        else:
            false_positive += 1
        if doc in truth:
            per_level[truth[doc][1]][0] += 1
    above = [doc for doc, (s, _) in truth.items() if s >= args.threshold + args.margin]
    near = [doc for doc, (s, _) in truth.items()
            if args.threshold <= s < args.threshold + args.margin]
    just_below = {doc for doc, (s, _) in truth.items()
                  if args.threshold - args.margin <= s < args.threshold}
    found = sum(1 for doc in above if doc in dropped_docs)
    near_found = sum(1 for doc in near if doc in dropped_docs)
    below_found = sum(1 for doc in just_below if doc in dropped_docs)
    recall = found / len(above) if above else 0.0
    scored = true_positive + false_positive - below_found
    precision = true_positive / scored if scored else 1.0
    strict_precision = true_positive / (true_positive + false_positive) if dropped else 1.0

    print(f"near-dedup eval: {n_originals + len(planted)} records ({size_mb:.1f} MB), "
          f"{len(planted)} planted copies, threshold {args.threshold}, textkit {seconds:.1f} s")
    print("  level  true-Jaccard-range  dropped/planted")
    for level in levels:
        sims = [s for s, l in truth.values() if l == level]
        d, p = per_level[level]
        print(f"  {level:5.2f}  {min(sims):.3f}-{max(sims):.3f}        {d:5d}/{p:<5d} "
              f"({d / p:.3f})")
    print(f"  recall    {recall:.4f} ({found}/{len(above)} copies with Jaccard >= "
          f"{args.threshold + args.margin:.2f}) (target >= 0.95: "
          f"{'met' if recall >= 0.95 else 'MISSED'})")
    print(f"  precision {precision:.4f} ({true_positive} of {scored} scored drops are copies with "
          f"Jaccard >= {args.threshold}) (target >= 0.99: "
          f"{'met' if precision >= 0.99 else 'MISSED'})")
    print(f"  near the threshold: {near_found}/{len(near)} copies with Jaccard in "
          f"[{args.threshold}, {args.threshold + args.margin:.2f}) dropped, {below_found}/"
          f"{len(just_below)} in [{args.threshold - args.margin:.2f}, {args.threshold}) "
          f"(not scored); strict precision {strict_precision:.4f}")
    if not args.keep and args.work is None:
        shutil.rmtree(work)
    return 0 if recall >= 0.95 and precision >= 0.99 else 1


if __name__ == "__main__":
    sys.exit(main())
