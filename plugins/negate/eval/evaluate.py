#!/usr/bin/env python3
"""Agreement of the negate plugin with the reference sets in ../shared/data/negation/.

  plugins/negate/eval/evaluate.py TEXTKIT [DATA_DIR] [--mode logic|verb|both] [--errors N]
                                  [--half all|dev|held-out] [--failures FILE.tsv] [--classes]
                                  [--per sentence|record] [--min-suite S] [--min-hossain H]

Prints, for each mode:
- the pass rate on the Python package negate's own test suite (negate_cases.tsv: input,
  expected, contractions flag; each case runs with contractions as its flag says);
- agreement with the 2,602 human main-verb negations of Hossain et al. (2020), exact and
  contraction-insensitive (n't and not, can't and cannot, won't and will not compare equal).

Hossain's pairs are split in two halves by the first byte of the SHA-256 of the affirmative
sentence (even: development, odd: held-out; 1,306 and 1,296 pairs). Rules are developed by
reading the development half's disagreements only; the held-out half measures how well they
carry over. --half all (the default) prints the whole set and both halves.

--classes sorts the Hossain disagreements of the chosen half into rough classes (where the
annotators put the negation compared with us, what else they changed) by the heuristics of
disagreement_class(); the counts are approximate, a reading aid, not a measurement.

--per record runs negate with `per: record` (one negation per record, in its first sentence
that can be negated), as each pair of these sets is one statement; the default, `per:
sentence`, negates every sentence of a pair that holds several.

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


SUBORDINATORS = {"if", "when", "while", "because", "although", "though", "unless", "after",
                 "before", "since", "once", "until", "whereas"}
REPORT_VERB = re.compile(
    r"\b(said|says|say|think|thinks|thought|believes?|believed|knows?|knew|felt|feels?|found|"
    r"finds?|hoped?|hopes|expects?|expected|claims?|claimed|estimates?|estimated|concluded?|"
    r"concludes|warns?|warned|shows?|showed|suggests?|suggested|reports?|reported|notes?|noted|"
    r"states?|stated|reveals?|revealed|realized?|realizes|establish(?:es|ed)?|reflects?|seems?|"
    r"announced?|told|surmised|offers?)\b", re.I)
NEGATION_WORDS = {"not", "n't", "do", "does", "did", "never"}
CLAUSE_WORDS = re.compile(r"\b(that|which|who|whom|whose|where|when|as|till|until|because|while|"
                          r"if|since|after|before|whereas)\b")


def wordnet_knowledge(wordnet="/usr/share/wordnet"):
    """(lemma -> [noun and adjective count, verb count] from SemCor's counts, the set of words
    WordNet knows: lemmas of index.* and the forms of *.exc)."""
    usage, known = {}, set()
    counts = os.path.join(wordnet, "cntlist.rev")
    if os.path.isfile(counts):
        with open(counts, encoding="utf-8") as f:
            for line in f:
                key, _, count = line.split()
                lemma, pos = key.split("%")[0], key.split("%")[1][0]
                entry = usage.setdefault(lemma, [0, 0])
                entry[1 if pos == "2" else 0] += int(count) if pos in "1235" else 0
    for name in ("index.noun", "index.verb", "index.adj", "index.adv", "noun.exc", "verb.exc",
                 "adj.exc"):
        path = os.path.join(wordnet, name)
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                known.update(line.split(" ", 1)[0] for line in f if not line.startswith(" "))
    return usage, known


def is_known(word, known):
    """Whether WordNet knows the word or a regular inflection of it (or it is a function word)."""
    if not known or not word.isalpha() or len(word) < 3:
        return True
    stems = {word, word[:-1], word[:-2], word[:-3], word[:-3] + "e", word[:-2] + "e",
             word[:-3] + "y"}
    return bool(stems & known) or word in {"the", "and", "for", "not", "but", "you", "its", "was",
                                           "were", "are", "has", "had", "his", "her", "their",
                                           "this", "that", "with", "from", "into", "they", "she"}


def disagreement_class(source, expected, got, usage, known):
    """A rough class for one disagreement on Hossain's pairs (see --classes)."""
    def words(s):
        return re.findall(r"[\w'$%.,-]+|\S", s.lower().replace("n't", " n't"))

    def first_difference(a, b):
        i = 0
        while i < min(len(a), len(b)) and a[i] == b[i]:
            i += 1
        return i

    ws, we, wg = words(source), words(expected), words(got)
    if got.strip() == source.strip():
        return "passed through: no clause analysed"
    if any(not is_known(w, known) for w in we if w not in ws):
        return "annotators misspelt a word (\"trackimportant\", \"dis nottance\")"
    kept = re.search(r"\b(?:does|did) not (?:\w+ly )?(\w+)", expected)
    if kept and kept.group(1) in ws and re.search(r"(s|ed)$", kept.group(1)) and kept.group(1) not in wg:
        return "annotators kept the inflection after do-support"
    if re.search(r"[.!?\"]\s+[A-Z]", source.strip()):
        return "several sentences: annotators negated one"
    if re.search(r"\b(is|are) not \w+ing\b", expected) and not re.search(r"\b(is|are) \w+ing\b", source):
        return "fragment: annotators added a copula"
    de, dg = first_difference(ws, we), first_difference(ws, wg)
    if ws and ws[0] in SUBORDINATORS and de < dg:
        return "a leading subordinate clause: annotators negated it"
    if de > dg and REPORT_VERB.search(" ".join(ws[dg:de + 1])):
        return "report verb: annotators negated its complement, we the verb"
    if dg > de and REPORT_VERB.search(" ".join(ws[de:dg + 1])):
        return "report verb: annotators negated the verb, we its complement"
    if re.search(r"\bto not\b", expected) and not re.search(r"\bto not\b", got):
        return "annotators negated an infinitive"
    if de > dg and CLAUSE_WORDS.search(" ".join(ws[dg:de])):
        return "annotators negated an embedded clause"
    if dg > de and (CLAUSE_WORDS.search(" ".join(ws[de:dg])) or "and" in ws[de:dg]):
        return "we negated an embedded or second clause"
    verb = re.search(r"\b(?:do|does|did) not (\w+)", got)
    if verb and not re.search(r"\b(?:do|does|did) not " + verb.group(1), expected):
        w = verb.group(1)
        for lemma in (w, w[:-1], w[:-2]):
            if lemma in usage:
                if usage[lemma][0] > usage[lemma][1]:
                    return "we read a noun as the verb"
                break
    if sorted(we) == sorted(wg):
        return "word order: adverbs and the negation"
    if len(we) < len(wg) and set(we) <= set(wg):
        return "annotators dropped a word (even, much, also, ...)"
    if re.search(r"\bnot \w+(ed|en|wn|rn)\b", expected) and re.search(r"\bdid not\b", got):
        return "a participle (headline passive) we read as a past tense"
    if set(we) ^ set(wg) <= {"do", "does", "did", "has", "have", "had", "is", "are", "was", "were"} | set(ws):
        return "tense or agreement (does/did, has/have) or a verb's form"
    return "other"


def print_classes(failures):
    usage, known = wordnet_knowledge()
    classes = {}
    for kind, source, expected, got in failures:
        if kind == "hossain":
            name = disagreement_class(source, expected, got, usage, known)
            classes.setdefault(name, []).append(source)
    print("  disagreements by class (heuristic):")
    for name, sources in sorted(classes.items(), key=lambda kv: -len(kv[1])):
        print(f"    {len(sources):4d}  {name}")


def read_tsv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def evaluate(textkit, data_dir, mode, errors, workdir, half="all", failures_file=None,
             classes=False, per="sentence"):
    suite = read_tsv(os.path.join(data_dir, "negate_cases.tsv"))
    hossain = read_tsv(os.path.join(data_dir, "hossain2020_affirmative_negated_pairs.tsv"))
    figures = {}
    failures = []
    passed = 0
    for flag in ("true", "false"):
        cases = [c for c in suite if c["contractions_flag"] == flag]
        got = run_textkit(textkit, [c["input"] for c in cases],
                          {"mode": mode, "contractions": flag == "true", "per": per}, workdir)
        for c, g in zip(cases, got):
            if same(g, c["expected"]):
                passed += 1
            else:
                failures.append(("suite", c["input"], c["expected"], g))
    figures["suite"] = (passed, len(suite))
    got = run_textkit(textkit, [p["affirmative"] for p in hossain],
                      {"mode": mode, "contractions": False, "per": per}, workdir)
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
    print(f"mode {mode}{', per record' if per == 'record' else ''}:")
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
    if classes:
        print_classes(failures)
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
    parser.add_argument("--classes", action="store_true",
                        help="sort the Hossain disagreements into rough classes, with counts")
    parser.add_argument("--per", choices=["sentence", "record"], default="sentence",
                        help="negate's per option: every sentence, or one negation per record")
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
                                    args.half, failures_file, args.classes, args.per))
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
