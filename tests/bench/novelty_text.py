#!/usr/bin/env python3
"""Writes about `--mb` million bytes of English-like plain text for the filter.novelty benchmarks.

The same bytes on every machine (Python's Mersenne Twister with a fixed seed). Words are drawn from
a 60,000-word vocabulary of made-up words (shorter ones more frequent) with Zipf-Mandelbrot
frequencies, as in natural language; sentences of 4 to 30 words with commas and end punctuation;
paragraphs of 1 to 8 sentences separated by blank lines. About 6.4 bytes per word (English prose: about 6).
Unlike tests/bench/gen_jsonl.awk (whose records repeat most of their 8-word runs), nearly every
8-word run is new: the worst case for the n-gram index's memory, an upper bound for real text.

    python3 tests/bench/novelty_text.py --mb 1000 > reference.txt
"""
import argparse
import itertools
import random
import sys

ONSETS = ["", "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w",
          "y", "z", "br", "ch", "cl", "dr", "fl", "gr", "pl", "pr", "sh", "sl", "st", "th", "tr"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ee", "oo", "ou"]
CODAS = ["", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ck", "ng"]


def vocabulary(rng, size):
    seen = set()
    words = []
    while len(words) < size:
        rank = len(words)
        syllables = 1 if rank < 3000 else 2 if rank < 40000 else 3
        word = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
                       for _ in range(syllables))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, required=True, help="million bytes to write")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    words = vocabulary(rng, 60000)
    weights = list(itertools.accumulate(1.0 / (rank + 2.7) ** 1.05 for rank in range(len(words))))
    target = int(args.mb * 1_000_000)
    written = 0
    out = sys.stdout
    while written < target:
        sentences = []
        for _ in range(rng.randint(1, 8)):
            count = rng.randint(4, 30)
            chosen = rng.choices(words, cum_weights=weights, k=count)
            for i in range(3, count - 2, rng.randint(5, 12)):
                chosen[i] += ","
            chosen[0] = chosen[0].capitalize()
            sentences.append(" ".join(chosen) + rng.choice(".....?!"))
        paragraph = " ".join(sentences) + "\n\n"
        out.write(paragraph)
        written += len(paragraph.encode())


if __name__ == "__main__":
    main()
