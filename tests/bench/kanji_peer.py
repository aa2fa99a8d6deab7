#!/usr/bin/env python3
"""The work of `kanji.info` over all jōyō kanji, written plainly in Python (standard library
only), as the benchmark's peer: read KANJIDIC2 (gzipped XML) and RADKFILE (EUC-JP), score every
pair of jōyō kanji for visual similarity with the same formula (stroke-weighted component
overlap, stroke closeness, SKIP and four-corner codes), keep the 6 best at >= 0.45, and write one JSON line per
kanji. No meaning neighbours and no learning order: the peer does less than textkit.

Usage: kanji_peer.py KANJIDIC2_XML_GZ RADKFILE OUT.jsonl
"""
import gzip
import json
import sys
import xml.etree.ElementTree as ET


def main(kanjidic, radkfile, out_path):
    kanji = {}
    for ch in ET.parse(gzip.open(kanjidic)).getroot().iter("character"):
        grade = ch.findtext("misc/grade")
        if grade is None or not 1 <= int(grade) <= 8:
            continue
        k = {"text": ch.findtext("literal"), "strokes": int(ch.findtext("misc/stroke_count")),
             "skip": "", "misclass": set(), "corner": "", "elements": set(),
             "on": [], "kun": [], "meanings": []}
        for q in ch.iter("q_code"):
            if q.get("qc_type") == "skip":
                if q.get("skip_misclass"):
                    k["misclass"].add(q.text)
                else:
                    k["skip"] = q.text
            elif q.get("qc_type") == "four_corner" and not k["corner"]:
                k["corner"] = q.text[:4]
        for r in ch.iter("reading"):
            if r.get("r_type") == "ja_on":
                k["on"].append(r.text)
            elif r.get("r_type") == "ja_kun":
                k["kun"].append(r.text)
        k["meanings"] = [m.text for m in ch.iter("meaning") if m.get("m_lang") is None]
        kanji[k["text"]] = k
    stand_ins = dict(zip("化个刈込尚忙扎汁犯艾邦阡老杰礼疔初買滴｜ノ",
                         ["亻", "𠆢", "刂", "辶", "⺌", "忄", "扌", "氵", "犭", "艹", "⻏", "阝",
                          "耂", "灬", "礻", "疒", "衤", "罒", "啇", "丨", "丿"]))
    element = None
    element_strokes = {}
    with open(radkfile, encoding="euc_jp") as f:
        for line in f:
            if line.startswith("#"):
                continue
            if line.startswith("$"):
                fields = line.split()
                element = stand_ins.get(fields[1], fields[1])
                element_strokes[element] = max(1, int(fields[2]))
                continue
            for c in line.strip():
                if c in kanji:
                    kanji[c]["elements"].add(element)
    for k in kanji.values():
        parts = k["elements"] - {k["text"]}
        k["parts"] = parts if parts else set(k["elements"])
        k["weight"] = sum(element_strokes[e] for e in k["parts"])
        s = k["skip"].split("-") if k["skip"] else []
        k["skip_parts"] = s if len(s) == 3 else None
    all_kanji = list(kanji.values())
    with open(out_path, "w", encoding="utf-8") as out:
        for a in all_kanji:
            scored = []
            for b in all_kanji:
                if b is a:
                    continue
                shared = sum(element_strokes[e] for e in a["parts"] & b["parts"])
                either = a["weight"] + b["weight"] - shared
                overlap = shared / either if either else 0.0
                gap = abs(a["strokes"] - b["strokes"])
                strokes = 1.0 / (1.0 + gap)
                skip = (a["skip"] and a["skip"] == b["skip"]) or b["skip"] in a["misclass"] \
                    or a["skip"] in b["misclass"]
                corner = a["corner"] and a["corner"] == b["corner"]
                sa, sb = a["skip_parts"], b["skip_parts"]
                same_side = bool(shared and sa and sb and sa[0] in "123" and sa[0] == sb[0]
                                 and sa != sb and (sa[1] == sb[1] or sa[2] == sb[2]))
                score = min(1.0, 0.7 * overlap + 0.15 * strokes + 0.1 * bool(skip or same_side)
                            + 0.15 * bool(corner))
                if gap <= 1 and corner and skip:
                    score = max(score, 0.6 + 0.2 * strokes)
                if score >= 0.45:
                    scored.append((-score, b["text"]))
            scored.sort()
            out.write(json.dumps({"text": a["text"], "meta": {
                "on": a["on"], "kun": a["kun"], "meanings": a["meanings"],
                "strokes": a["strokes"], "components": sorted(a["elements"] - {a["text"]}),
                "similar": [t for _, t in scored[:6]]}}, ensure_ascii=False) + "\n")
    return len(all_kanji)


if __name__ == "__main__":
    print(main(*sys.argv[1:4]))
