#!/usr/bin/env python3
"""Agreement of the negate plugin with the reference sets in ../shared/data/negation/.

  plugins/negate/eval/evaluate.py TEXTKIT [DATA_DIR] [--mode logic|verb|both] [--errors N]
                                  [--half all|dev|held-out] [--failures FILE.tsv]
                                  [--min-suite S] [--min-hossain H]

Prints, for each mode:
- the pass rate on the Python package negate's own test suite (negate_cases.tsv: input,
  expected, contractions flag; each case runs with contractions as its flag says);
- agreement with the 2,602 human main-verb negations of Hossain et al. (2020), exact and
  contraction-insensitive (n't and not, can't and cannot, won't and will not compare equal).

Hossain's pairs are split in two halves by the first byte of the SHA-256 of the affirmative
sentence (even: development, odd: held-out; 1,306 and 1,296 pairs). Rules are developed by
reading the development half's disagreements only; the held-out half measures how well they
carry over. --half all (the default) prints the whole set and both halves.

Comparison ignores case of the first letter and surrounding whitespace only. Exits 1 when a
figure is below its minimum (checked on --mode's first mode), 77 (ctest: skipped) when the data
folder is absent: the data is not part of the project, its licences differ.
"""
import argparse
import csv
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

SKIP = 77

CONTRACTIONS = [
    (r"\bcan't\b", "cannot"), (r"\bwon't\b", "will not"), (r"\bshan't\b", "shall not"),
    (r"\bain't\b", "is not"), (r"n't\b", " not"), (r"\bcan not\b", "cannot"),
    (r"'s not\b", " is not"), (r"'m\b", " am"), (r"'re\b", " are"), (r"'ve\b", " have"), (r"'ll\b", " will"),
]


def uncontracted(text):
    text = text.replace("\u2019", "'").lower()
    for pattern, repl in CONTRACTIONS:
        text = re.sub(pattern, repl, text)
    return re.sub(r"\s+", " ", text).strip()


def same(a, b):
    a, b = a.strip(), b.strip()
    return a[:1].lower() + a[1:] == b[:1].lower() + b[1:]


def run_textkit(textkit, texts, options, workdir):
    """read.jsonl -> negate(options) -> write.jsonl; the output texts, in order."""
    source = os.path.join(workdir, "in.jsonl")
    target = os.path.join(workdir, "out.jsonl")
    with open(source, "w", encoding="utf-8") as f:
        for t in texts:
            f.write(json.dumps({"text": t}, ensure_ascii=False) + "\n")
    pipeline = {
        "textkit": 1,
        "steps": [
            {"use": "read.jsonl", "with": {"path": source}},
            {"use": "negate", "with": dict(options, keep_original=False)},
            {"use": "write.jsonl", "with": {"path": target}},
        ],
    }
    pipeline_file = os.path.join(workdir, "eval.json")
    with open(pipeline_file, "w", encoding="utf-8") as f:
        json.dump(pipeline, f)
    subprocess.run([textkit, "run", pipeline_file, "--progress", "none"], check=True,
                   stderr=subprocess.DEVNULL)
    with open(target, encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f]


def half_of(affirmative):
    """ "dev" or "held-out": a fixed split by a hash of the sentence, the same on every machine."""
    return "dev" if hashlib.sha256(affirmative.encode("utf-8")).digest()[0] % 2 == 0 else "held-out"


def read_tsv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def evaluate(textkit, data_dir, mode, errors, workdir, half="all", failures_file=None):
    suite = read_tsv(os.path.join(data_dir, "negate_cases.tsv"))
    hossain = read_tsv(os.path.join(data_dir, "hossain2020_affirmative_negated_pairs.tsv"))
    figures = {}
    failures = []
    passed = 0
    for flag in ("true", "false"):
        cases = [c for c in suite if c["contractions_flag"] == flag]
        got = run_textkit(textkit, [c["input"] for c in cases],
                          {"mode": mode, "contractions": flag == "true"}, workdir)
        for c, g in zip(cases, got):
            if same(g, c["expected"]):
                passed += 1
            else:
                failures.append(("suite", c["input"], c["expected"], g))
    figures["suite"] = (passed, len(suite))
    got = run_textkit(textkit, [p["affirmative"] for p in hossain],
                      {"mode": mode, "contractions": False}, workdir)
    halves = ["all", "dev", "held-out"] if half == "all" else [half]
    counts = {h: [0, 0, 0] for h in halves}  # exact, contraction-insensitive, total
    for p, g in zip(hossain, got):
        which = half_of(p["affirmative"])
        for h in halves:
            if h != "all" and h != which:
                continue
            counts[h][2] += 1
            counts[h][0] += same(g, p["negated"])
            counts[h][1] += uncontracted(g) == uncontracted(p["negated"])
        if (half in ("all", which)) and uncontracted(g) != uncontracted(p["negated"]):
            failures.append(("hossain", p["affirmative"], p["negated"], g))
    exact, loose, total = counts[half]
    figures["hossain_exact"] = (exact, total)
    figures["hossain_loose"] = (loose, total)
    print(f"mode {mode}:")
    print(f"  {'negate test suite:':<42}{passed}/{len(suite)} = {passed / len(suite):.1%}")
    for h in halves:
        e, l, t = counts[h]
        name = {"all": "Hossain pairs", "dev": "  development half", "held-out": "  held-out half"}[h]
        if half != "all":
            name = f"Hossain pairs, {h} half"
        print(f"  {name + ', exact:':<42}{e}/{t} = {e / t:.1%}")
        print(f"  {name + ', no contraction:':<42}{l}/{t} = {l / t:.1%}")
    for kind, source, expected, got_text in failures[:errors]:
        print(f"  [{kind}] {source}\n      expected: {expected}\n      got:      {got_text}")
    if failures_file:
        with open(failures_file, "w", encoding="utf-8") as f:
            f.write("set\tinput\texpected\tgot\n")
            for row in failures:
                f.write("\t".join(row) + "\n")
    return figures


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_data = os.path.normpath(os.path.join(here, "../../../../shared/data/negation"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("textkit")
    parser.add_argument("data_dir", nargs="?", default=default_data)
    parser.add_argument("--mode", choices=["logic", "verb", "both"], default="both")
    parser.add_argument("--errors", type=int, default=0, help="print the first N disagreements")
    parser.add_argument("--half", choices=["all", "dev", "held-out"], default="all",
                        help="which half of Hossain's pairs to score (and list disagreements of)")
    parser.add_argument("--failures", metavar="FILE",
                        help="write the disagreements (set, input, expected, got) as TSV; with "
                             "--mode both, the mode's name is put before the extension")
    parser.add_argument("--min-suite", type=float, default=0.0)
    parser.add_argument("--min-hossain", type=float, default=0.0,
                        help="minimum contraction-insensitive agreement on Hossain's pairs")
    args = parser.parse_args()
    if not os.path.isfile(os.path.join(args.data_dir, "negate_cases.tsv")):
        print(f"no evaluation data in {args.data_dir}: skipped", file=sys.stderr)
        return SKIP
    modes = ["verb", "logic"] if args.mode == "both" else [args.mode]
    with tempfile.TemporaryDirectory() as workdir:
        results = []
        for m in modes:
            failures_file = args.failures
            if failures_file and len(modes) > 1:
                root, ext = os.path.splitext(failures_file)
                failures_file = f"{root}.{m}{ext}"
            results.append(evaluate(args.textkit, args.data_dir, m, args.errors, workdir,
                                    args.half, failures_file))
    first = results[0]
    suite_rate = first["suite"][0] / first["suite"][1]
    hossain_rate = first["hossain_loose"][0] / first["hossain_loose"][1]
    if suite_rate < args.min_suite or hossain_rate < args.min_hossain:
        print(f"below the minimum: suite {suite_rate:.3f} (min {args.min_suite}), Hossain "
              f"{hossain_rate:.3f} (min {args.min_hossain})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
