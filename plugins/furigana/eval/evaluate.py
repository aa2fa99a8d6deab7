#!/usr/bin/env python3
"""Accuracy of the furigana plugin on the gold sets in ../shared/data/furigana/.

  plugins/furigana/eval/evaluate.py TEXTKIT [GOLD_DIR] [--errors N] [--misses]
                                    [--min-accuracy A] [--min-per-kanji K]
  plugins/furigana/eval/evaluate.py --baseline mecab [GOLD_DIR]

Exits 1 when the word accuracy is below A (default 0.96, the issue's target) or fewer than K
per-kanji cases are right (default: all); ctest passes the figures measured when the test was
written, so that it guards against regressions.

- gold_ita.tsv: strict per-word accuracy, the figure the issue's target (0.96) and its reference
  figures (kuroshiro 0.924, MeCab + IPADIC 0.926) are given in. A gold word (start:end:reading,
  the whole word with its okurigana) is right when
    1. no ruby of ours crosses its edges: a ruby over a run of kanji that a gold edge cuts (we write
       夏休[なつやす]み where the gold has 夏 + 休み) gives no reading for either part, so both
       gold words are wrong; rubies finer than the gold word are fine (夏[なつ]休[やす]み for the
       gold 夏休み reads なつやすみ), and
    2. its reading, made of our rubies and of its other characters as written (katakana as
       hiragana), is the gold reading exactly.
  Rubies are per run of kanji (meta.furigana), so an edge can only cut a ruby inside kanji.
  `--baseline mecab` scores the bare `mecab` command (IPADIC, each word's kanji runs matched
  against its reading as kuroshiro does) with the same function: it gives 1518/1640 = 0.9256, the
  0.926 of the issue, so this is the metric the reference figures were measured with. The
  "relaxed" figure printed beside (the README of ../shared/data: the right reading over different
  word boundaries: a crossed gold word counts when its reading occurs in our reading of the
  smallest span around it that no ruby crosses; MeCab 0.955) is for information, not the target.
- `--misses` lists every wrong gold word by class: boundary (rule 1), number (the word has a
  numeral or follows one: a number or its counter), reading (the rest).
- gold_perkanji.tsv: per-kanji alignment of a given word and reading (passed as a user word,
  granularity kanji), compared with the JmdictFurigana solution.

The gold files are not part of the project (their licences differ): without them the script says so
and exits 77, which ctest reports as skipped.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

SKIP = 77


def hiragana(text):
    return "".join(chr(ord(c) - 0x60) if 0x30A1 <= ord(c) <= 0x30F6 else c for c in text)


def run_textkit(textkit, records, options, workdir):
    """Runs read.jsonl -> furigana(options) -> write.jsonl; returns the output records."""
    source = os.path.join(workdir, "in.jsonl")
    target = os.path.join(workdir, "out.jsonl")
    with open(source, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    pipeline = {
        "textkit": 1,
        "steps": [
            {"use": "read.jsonl", "with": {"path": source}},
            {"use": "furigana", "with": dict(options, spans=True)},
            {"use": "write.jsonl", "with": {"path": target}},
        ],
    }
    pipeline_file = os.path.join(workdir, "eval.json")
    with open(pipeline_file, "w", encoding="utf-8") as f:
        json.dump(pipeline, f, ensure_ascii=False)
    subprocess.run([textkit, "run", pipeline_file, "--progress", "none"], check=True)
    with open(target, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def reading_of(sentence, spans, start, end):
    """Our reading of sentence[start:end], or None when a ruby of ours crosses an edge."""
    out = []
    by_start = {s: (e, r) for s, e, r in spans}
    for s, e, _ in spans:
        if (s < start < e) or (s < end < e):
            return None
    i = start
    while i < end:
        if i in by_start:
            e, r = by_start[i]
            out.append(r)
            i = e
        else:
            out.append(hiragana(sentence[i]))
            i += 1
    return "".join(out)


NUMERALS = set("0123456789０１２３４５６７８９〇一二三四五六七八九十百千万億兆何")


def read_gold_words(gold_dir):
    """The rows of gold_ita.tsv: (id, sentence, [(start, end, reading)])."""
    rows = []
    with open(os.path.join(gold_dir, "gold_ita.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 5:
                continue
            words = []
            for item in fields[4].split(";"):
                if item:
                    start, end, reading = item.split(":", 2)
                    words.append((int(start), int(end), reading))
            rows.append((fields[0], fields[2], words))
    return rows


def covering_span(spans, start, end):
    """The smallest span around [start, end) whose edges no ruby of ours crosses."""
    moved = True
    while moved:
        moved = False
        for s, e, _ in spans:
            if s < start < e:
                start, moved = s, True
            if s < end < e:
                end, moved = e, True
    return start, end


def score_words(rows, spans_per_row):
    """Strict and relaxed counts, and the wrong words as (class, word, gold, ours, sentence)."""
    total = strict = relaxed = 0
    misses = []
    for (_, sentence, words), spans in zip(rows, spans_per_row):
        for start, end, expected in words:
            total += 1
            expected = hiragana(expected)
            got = reading_of(sentence, spans, start, end)
            if got == expected:
                strict += 1
                relaxed += 1
                continue
            text = sentence[start:end]
            if got is None:
                kind = "boundary"
                wide = reading_of(sentence, spans, *covering_span(spans, start, end))
                if wide is not None and expected in wide:
                    relaxed += 1
            elif any(c in NUMERALS for c in sentence[max(start - 1, 0):end]):
                kind = "number"
            else:
                kind = "reading"
            misses.append((kind, text, expected, got, sentence))
    return total, strict, relaxed, misses


def print_word_figures(name, total, strict, relaxed, misses, show_errors, by_class):
    crossed = sum(1 for m in misses if m[0] == "boundary")
    print(f"{name}: strict per-word accuracy {strict}/{total} = {strict / total:.4f} "
          f"({crossed} wrong by word boundary); relaxed {relaxed}/{total} = {relaxed / total:.4f}")
    for kind, text, expected, got, sentence in misses[:show_errors]:
        print(f"  {text}\t{expected}\t{got}\t{sentence}")
    if by_class:
        for cls in ("boundary", "number", "reading"):
            of_class = [m for m in misses if m[0] == cls]
            print(f"{cls}: {len(of_class)}")
            for _, text, expected, got, sentence in of_class:
                print(f"  {text}\tgold {expected}\tours {got}\t{sentence}")


def evaluate_words(textkit, gold_dir, workdir, show_errors, by_class):
    rows = read_gold_words(gold_dir)
    records = [{"text": sentence, "meta": {"id": key}} for key, sentence, _ in rows]
    results = run_textkit(textkit, records, {"format": "anki"}, workdir)
    spans = [[tuple(s) for s in r["meta"].get("furigana", [])] for r in results]
    total, strict, relaxed, misses = score_words(rows, spans)
    print_word_figures("gold_ita.tsv", total, strict, relaxed, misses, show_errors, by_class)
    return strict / total


KANJI_RUN = re.compile("([\u3400-\u9fff\uf900-\ufaff々〆ヶ]+)")


def kuroshiro_spans(surface, reading, offset):
    """Rubies of one word as kuroshiro places them: each run of kanji is a group of the regular
    expression matched against the word's reading, the kana between them match themselves."""
    parts = [p for p in KANJI_RUN.split(surface) if p]
    if not any(KANJI_RUN.fullmatch(p) for p in parts):
        return []
    pattern = "".join("(.+?)" if KANJI_RUN.fullmatch(p) else "(" + re.escape(hiragana(p)) + ")"
                      for p in parts)
    match = re.fullmatch(pattern, hiragana(reading))
    if not match:
        return [(offset, offset + len(surface), hiragana(reading))]
    spans, at = [], offset
    for part, group in zip(parts, match.groups()):
        if KANJI_RUN.fullmatch(part):
            spans.append((at, at + len(part), group))
        at += len(part)
    return spans


def evaluate_mecab_baseline(gold_dir, show_errors, by_class):
    """The reference: the bare mecab command with IPADIC, scored as our output is."""
    rows = read_gold_words(gold_dir)
    text = "".join(sentence + "\n" for _, sentence, _ in rows)
    output = subprocess.run(["mecab", "-d", "/var/lib/mecab/dic/ipadic-utf8"], input=text,
                            capture_output=True, text=True, check=True).stdout
    spans_per_row, spans, at, row = [], [], 0, 0
    for line in output.split("\n"):
        if line == "EOS":
            spans_per_row.append(spans)
            spans, at, row = [], 0, row + 1
            continue
        if not line:
            continue
        surface, _, feature = line.partition("\t")
        fields = feature.split(",")
        reading = fields[7] if len(fields) > 7 else surface
        found = rows[row][1].find(surface, at)
        start = found if found >= 0 else at
        spans.extend(kuroshiro_spans(surface, reading, start))
        at = start + len(surface)
    total, strict, relaxed, misses = score_words(rows, spans_per_row)
    print_word_figures("gold_ita.tsv, bare mecab + IPADIC", total, strict, relaxed, misses,
                       show_errors, by_class)


def evaluate_per_kanji(textkit, gold_dir, workdir, show_errors):
    cases = []
    with open(os.path.join(gold_dir, "gold_perkanji.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 4:
                cases.append(fields)
    # One run per batch of distinct words (the same word may come with two readings).
    right = 0
    errors = []
    pending = list(cases)
    while pending:
        batch, rest, seen = [], [], set()
        for case in pending:
            (rest if case[1] in seen else batch).append(case)
            seen.add(case[1])
        pending = rest
        words = {c[1]: c[2] for c in batch}
        results = run_textkit(textkit, [{"text": c[1]} for c in batch],
                              {"granularity": "kanji", "words": words, "format": "anki"}, workdir)
        for case, result in zip(batch, results):
            expected = set()
            for part in case[3].split(";"):
                where, reading = part.split(":")
                first, _, last = where.partition("-")
                expected.add((int(first), int(last or first) + 1, reading))
            got = {tuple(s) for s in result["meta"].get("furigana", [])}
            if got == expected:
                right += 1
            else:
                errors.append(f"{case[0]} {case[1]} {case[2]}: expected {case[4]}, got {result['text']}")
    print(f"gold_perkanji.tsv: {right}/{len(cases)} per-kanji cases right")
    for e in errors[:show_errors]:
        print("  " + e)
    return right, len(cases)


def option(name, default):
    if name in sys.argv:
        return sys.argv[sys.argv.index(name) + 1]
    return default


def main():
    args, skip_next = [], False
    for a in sys.argv[1:]:
        if skip_next:
            skip_next = False
        elif a == "--misses":
            continue
        elif a.startswith("--"):
            skip_next = True
        else:
            args.append(a)
    by_class = "--misses" in sys.argv
    show_errors = int(option("--errors", 0))
    min_accuracy = float(option("--min-accuracy", 0.96))
    min_per_kanji = option("--min-per-kanji", None)
    baseline = option("--baseline", None)
    if baseline not in (None, "mecab"):
        print(f"unknown baseline {baseline!r}: only mecab", file=sys.stderr)
        return 2
    if not args and baseline is None:
        print(__doc__, file=sys.stderr)
        return 2
    here = os.path.dirname(os.path.abspath(__file__))
    default_gold = os.path.join(here, "..", "..", "..", "..", "shared", "data", "furigana")
    gold_args = args if baseline else args[1:]
    gold_dir = gold_args[0] if gold_args else os.environ.get("FURIGANA_GOLD", default_gold)
    if not os.path.isfile(os.path.join(gold_dir, "gold_ita.tsv")):
        print(f"skipped: no gold data at {os.path.normpath(gold_dir)}")
        return SKIP
    if baseline:
        evaluate_mecab_baseline(gold_dir, show_errors, by_class)
        return 0
    textkit = os.path.abspath(args[0])
    with tempfile.TemporaryDirectory() as workdir:
        accuracy = evaluate_words(textkit, gold_dir, workdir, show_errors, by_class)
        right, total = evaluate_per_kanji(textkit, gold_dir, workdir, show_errors)
    needed = total if min_per_kanji is None else int(min_per_kanji)
    return 0 if accuracy >= min_accuracy and right >= needed else 1


if __name__ == "__main__":
    sys.exit(main())
