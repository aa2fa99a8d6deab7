#!/usr/bin/env python3
"""Builds the evaluation corpus of the GPT-2 tokenizer: documents of varied text, one JSON string a
line, and beside it one category a line.

  make_corpus.py OUT.jsonl [--mb 12] [--shared ../shared/data] [--seed 5]

Categories (each capped so that none dominates; sizes in the report of evaluate.sh):
  english     prose: this repository's Markdown, ../shared/data (sentences of the negation sets),
              Debian's licence texts, READMEs and changelogs under /usr/share/doc
  code        this repository's sources, then C and C++ headers from /usr/include
  japanese    ../shared/data/furigana sentences, corpora/japanese, the Japanese of KANJIDIC2
              (/usr/share/edict/kanjidic2.xml.gz) and EDICT (/usr/share/edict/edict, EUC-JP)
  emoji       prose with emoji put in: single, skin tones, ZWJ families, flags, keycaps
  whitespace  prose with its white space changed: tabs, runs of spaces, \\r\\n, trailing spaces,
              NBSP, U+3000, NEL, U+2028, form feeds, leading and trailing blank lines
  unicode     random code points of every plane and category, between spaces and punctuation
  special     documents with <|endoftext|> between and inside them
Deterministic for a given machine (file lists are sorted, random choices seeded).
"""
import argparse
import glob
import gzip
import json
import os
import random
import re
import sys
import unicodedata

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))


def read_text(path):
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            return f.read().decode("utf-8")
    except (OSError, UnicodeDecodeError, EOFError):
        return None


def chunks(text, size):
    """Cuts text into documents of about `size` bytes, at line ends."""
    out, current, length = [], [], 0
    for line in text.splitlines(keepends=True):
        current.append(line)
        length += len(line.encode())
        if length >= size:
            out.append("".join(current))
            current, length = [], 0
    if current:
        out.append("".join(current))
    return out


class corpus:
    def __init__(self, budget_bytes):
        self.docs = []
        self.budget = budget_bytes

    def add(self, category, texts, cap_bytes, doc_size=8000):
        used = 0
        for text in texts:
            if text is None or not text.strip():
                continue
            for doc in chunks(text, doc_size):
                n = len(doc.encode())
                if used + n > cap_bytes:
                    return used
                self.docs.append((category, doc))
                used += n
        return used


def english_sources(shared):
    for path in sorted(glob.glob(os.path.join(ROOT, "**", "*.md"), recursive=True)):
        if "/build" not in path and "/third_party/" not in path and "node_modules" not in path:
            yield read_text(path)
    for path in sorted(glob.glob(os.path.join(shared, "negation", "*.tsv"))):
        text = read_text(path)
        if text:
            yield "\n".join(" ".join(line.split("\t")[:2]) for line in text.splitlines())
    for path in sorted(glob.glob("/usr/share/common-licenses/*")):
        yield read_text(path)
    docs = sorted(glob.glob("/usr/share/doc/**/*", recursive=True))
    for path in docs:
        name = os.path.basename(path).lower()
        if os.path.isfile(path) and (name.startswith("readme") or name.startswith("changelog")
                                     or name == "copyright" or name.endswith(".txt")):
            yield read_text(path)


def code_sources():
    for pattern in ("core/**/*.cpp", "core/**/*.h", "plugins/**/*.cpp", "plugins/**/*.h",
                    "**/CMakeLists.txt", "**/*.sh", "**/*.py"):
        for path in sorted(glob.glob(os.path.join(ROOT, pattern), recursive=True)):
            if "/build" not in path and "node_modules" not in path:
                yield read_text(path)
    for path in sorted(glob.glob("/usr/include/**/*.h", recursive=True)):
        yield read_text(path)
    for path in sorted(glob.glob("/usr/include/c++/**/*", recursive=True)):
        if os.path.isfile(path):
            yield read_text(path)


def japanese_sources(shared):
    text = read_text(os.path.join(shared, "furigana", "gold_ita.tsv"))
    if text:
        yield "\n".join(line.split("\t")[2] for line in text.splitlines()[1:] if line.count("\t") >= 2)
    yield read_text(os.path.join(ROOT, "corpora", "japanese", "sample.txt"))
    xml = read_text("/usr/share/edict/kanjidic2.xml.gz")
    if xml:
        # Readings and meanings as lines of text, without the XML.
        yield re.sub(r"<[^>]+>", " ", xml)
    try:
        with open("/usr/share/edict/edict", "rb") as f:
            yield f.read().decode("euc_jp", errors="replace")
    except OSError:
        pass


EMOJI = ["😀", "😂", "🥲", "👍", "👍🏽", "👍🏿", "🎉", "❤️", "🔥", "🙏🏻", "👨‍👩‍👧‍👦", "🧑🏿‍🚀",
         "🏳️‍🌈", "🇯🇵", "🇫🇷", "🇺🇸", "1️⃣", "#️⃣", "✨", "🤖", "🦀", "🍣", "☕", "🫠", "🧵"]


def with_emoji(text, rng):
    words = text.split(" ")
    out = []
    for w in words:
        out.append(w)
        if rng.random() < 0.15:
            e = "".join(rng.choice(EMOJI) for _ in range(rng.choice([1, 1, 2, 3])))
            out.append(e if rng.random() < 0.7 else e + rng.choice(["!", ".", "", "?!"]))
    return " ".join(out)


ODD_SPACE = ["\t", "  ", "   ", "\t\t", " \t", "\u00a0", "\u3000", "\u2009", "\u202f", "\u0085",
             "\u2028", "\f", "\v", "        "]


def with_odd_whitespace(text, rng):
    lines = text.split("\n")
    out = []
    for line in lines:
        line = re.sub(" ", lambda m: rng.choice(ODD_SPACE) if rng.random() < 0.1 else " ", line)
        if rng.random() < 0.3:
            line += " " * rng.randint(1, 4)
        if rng.random() < 0.2:
            line = rng.choice(["\t", "    ", "  ", "\u3000"]) + line
        out.append(line)
    sep = rng.choice(["\n", "\r\n", "\n\n", "\r\n\r\n", "\n \n", "\n\n\n"])
    doc = sep.join(out)
    if rng.random() < 0.5:
        doc += rng.choice(["\n", "\n\n", " ", "   \n", "\r\n", "\t"])
    if rng.random() < 0.2:
        doc = rng.choice(["\n", " ", "\n\n"]) + doc
    return doc


def random_unicode(rng, n):
    out = []
    while len(out) < n:
        plane = rng.choice([0, 0, 0, 1, 2])
        c = rng.randrange(0x20, 0x10000) + plane * 0x10000
        if 0xD800 <= c <= 0xDFFF:
            continue
        ch = chr(c)
        if unicodedata.category(ch) in ("Cn", "Co", "Cs"):
            continue
        out.append(ch)
        if rng.random() < 0.2:
            out.append(rng.choice([" ", " ", "  ", "\n", ", ", ". ", "'s ", "\t"]))
    return "".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--mb", type=float, default=12)
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared", "data"))
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    total = int(args.mb * 1e6)
    c = corpus(total)

    english = [t for t in english_sources(args.shared) if t]
    c.add("english", english, int(total * 0.30))
    c.add("code", code_sources(), int(total * 0.25))
    c.add("japanese", japanese_sources(args.shared), int(total * 0.15))
    prose = "\n\n".join(english[:400])
    paragraphs = [p for p in prose.split("\n\n") if len(p) > 40]
    rng.shuffle(paragraphs)
    c.add("emoji", (with_emoji(p, rng) for p in paragraphs), int(total * 0.08), 3000)
    c.add("whitespace", (with_odd_whitespace(p, rng) for p in paragraphs[::-1]), int(total * 0.12),
          3000)
    c.add("unicode", (random_unicode(rng, 2000) for _ in range(10000)), int(total * 0.06), 6000)
    c.add("special", ("<|endoftext|>".join(paragraphs[i:i + 3]) + rng.choice(["", "<|endoftext|>"])
                      for i in range(0, len(paragraphs), 3)), int(total * 0.04), 100000)

    with open(args.out, "w", encoding="utf-8") as out, \
            open(args.out + ".categories", "w") as cats:
        for category, doc in c.docs:
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
            cats.write(category + "\n")
    sizes = {}
    for category, doc in c.docs:
        sizes[category] = sizes.get(category, 0) + len(doc.encode())
    print(" ".join(f"{k} {v / 1e6:.2f} MB" for k, v in sizes.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
