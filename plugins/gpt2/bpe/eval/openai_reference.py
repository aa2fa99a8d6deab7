#!/usr/bin/env python3
"""OpenAI's original GPT-2 encoder (the algorithm of openai/gpt-2 src/encoder.py, which Hugging
Face's GPT2Tokenizer copies), written out again as the independent reference for vocabularies that
tiktoken does not ship: ones gpt2.bpe trained. Reads vocab.json + merges.txt, encodes documents
(one JSON string a line) and writes their ids, one document a line, space separated.

  openai_reference.py TOKENIZER_DIR DOCS.jsonl OUT.ids

Needs the `regex` module (Debian: python3-regex) for \\p{L} and \\p{N}. <|endoftext|> in a
document is the special token, as Hugging Face's tokenizer treats it (its text is split there first).
"""
import json
import sys

import regex


def bytes_to_unicode():
    bs = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
          + list(range(ord("®"), ord("ÿ") + 1)))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def get_pairs(word):
    return set(zip(word, word[1:]))


class encoder:
    def __init__(self, vocab, merges):
        self.encoder = vocab
        self.byte_encoder = bytes_to_unicode()
        self.bpe_ranks = dict(zip(merges, range(len(merges))))
        self.cache = {}
        self.pat = regex.compile(
            r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")

    def bpe(self, token):
        if token in self.cache:
            return self.cache[token]
        word = tuple(token)
        pairs = get_pairs(word)
        if not pairs:
            return token
        while True:
            bigram = min(pairs, key=lambda pair: self.bpe_ranks.get(pair, float("inf")))
            if bigram not in self.bpe_ranks:
                break
            first, second = bigram
            new_word = []
            i = 0
            while i < len(word):
                try:
                    j = word.index(first, i)
                except ValueError:
                    new_word.extend(word[i:])
                    break
                new_word.extend(word[i:j])
                i = j
                if word[i] == first and i < len(word) - 1 and word[i + 1] == second:
                    new_word.append(first + second)
                    i += 2
                else:
                    new_word.append(word[i])
                    i += 1
            word = tuple(new_word)
            if len(word) == 1:
                break
            pairs = get_pairs(word)
        word = " ".join(word)
        self.cache[token] = word
        return word

    def encode(self, text):
        special = "<|endoftext|>"
        if special in self.encoder and special in text:
            ids = []
            for i, part in enumerate(text.split(special)):
                if i > 0:
                    ids.append(self.encoder[special])
                ids.extend(self.encode_ordinary(part))
            return ids
        return self.encode_ordinary(text)

    def encode_ordinary(self, text):
        ids = []
        for token in regex.findall(self.pat, text):
            token = "".join(self.byte_encoder[b] for b in token.encode("utf-8"))
            ids.extend(self.encoder[t] for t in self.bpe(token).split(" "))
        return ids


def main():
    folder, docs_path, out_path = sys.argv[1:4]
    with open(f"{folder}/vocab.json", encoding="utf-8") as f:
        vocab = json.load(f)
    with open(f"{folder}/merges.txt", encoding="utf-8") as f:
        merges = [tuple(line.split()) for line in f.read().split("\n")[1:] if line]
    enc = encoder(vocab, merges)
    with open(docs_path, encoding="utf-8") as docs, open(out_path, "w") as out:
        for line in docs:
            if line.strip():
                out.write(" ".join(map(str, enc.encode(json.loads(line)))) + "\n")


if __name__ == "__main__":
    main()
