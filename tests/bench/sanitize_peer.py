#!/usr/bin/env python3
"""The peer of `sanitize` in tests/bench/sanitize.sh: the same rules, in the same order, in plain
Python with the standard library only (re, unicodedata, html, hashlib, json), as a user would write
them. Reads JSONL records on stdin, writes the kept ones as JSONL on stdout.

The rules and the options they mirror (see tests/bench/sanitize.sh for textkit's side):
  mojibake (cp1252/latin-1 round trip when the whole text maps back), HTML tags and entities,
  NFC, control and zero-width characters, boilerplate lines, drop_patterns ["(?i)^rt @"],
  urls replace, e-mails / phones / mentions replace (redact), hashtags strip, whitespace,
  min_chars 5 / max_chars 20000, min_words 2 / max_words 5000, fits tweet, scripts, exact dedup.
Where the standard library has no equivalent, the cheaper approximation is used (which favours
Python): characters are code points minus combining marks (textkit: ICU grapheme clusters), words
are \\w+ runs (textkit: ICU word breaks with dictionaries), a letter's script is the first word of
its Unicode name (textkit: ICU script property).
"""
import hashlib
import html
import json
import re
import sys
import unicodedata

NAME = r"[A-ZÀ-ÖØ-Þ][\w'’.\-]*(?: [A-ZÀ-ÖØ-Þ][\w'’.\-]*){0,3}"
WHOSE = r"(?:a|an|his|her|their|your|its|" + NAME + r"(?:'s|’s))"
BOILERPLATE = re.compile("(?:" + "|".join([
    NAME + r" (?:shared|posted) " + WHOSE +
    r" (?:link|photo|photos|video|post|memory|event|status|album|note|story|reel|live video|page)\.?",
    NAME + r" shared a link\.?",
    NAME + r" updated (?:his|her|their) (?:status|profile picture|cover photo|profile photo)\.?",
    NAME + r" changed (?:his|her|their) (?:profile picture|cover photo|profile photo|name)\.?",
    NAME + r" added (?:a new photo|a new video|\d+ new photos|\d+ new videos)(?: to .{1,80})?\.?",
    NAME + r" (?:was|is) (?:with|at|in) .{1,100}\.",
    NAME + r" (?:is|was) feeling .{1,60}\.?",
    NAME + r" wrote on " + NAME + r"(?:'s|’s) (?:timeline|wall)\.?",
    NAME + r" (?:commented on|replied to|reacted to|likes) " + WHOSE +
    r" (?:post|photo|video|comment|link|status)\.?",
    NAME + r" (?:is now friends with|became friends with) .{1,100}\.?",
    NAME + r" created (?:an|the) (?:event|group|poll)\b.{0,100}",
    NAME + r" joined (?:the group )?.{1,80}\.?",
    NAME + r" sent (?:an attachment|a photo|a sticker|a GIF|a link|a voice message|a video)\.?",
    r"(?:You|" + NAME + r") unsent a message\.?",
    NAME + r" (?:named the group|set the nickname|changed the group photo|left the group|"
    r"added .{1,80} to the group).{0,100}",
    NAME + r" reacted .{1,8} to your message\.?",
    r"Sent from my (?:iPhone|iPad|Android|BlackBerry|mobile device|Galaxy|Samsung|Huawei|"
    r"Windows Phone).{0,40}",
    r"This (?:message|post|comment|tweet) (?:was|has been) (?:deleted|removed|unsent)\.?",
]) + ")")
TRIGGERS = (" shared ", " posted ", " updated ", " changed ", " added ", " was ", " is ", " wrote ",
            " commented ", " replied ", " reacted ", " likes ", " friends ", "Sent from ",
            " deleted", " removed", " sent ", "unsent ", " named ", " set ", " left ", " feeling ",
            " created ", " joined ")
DROP_PATTERNS = [re.compile(r"(?i)^rt @")]

TAG = re.compile(r"<(?:[A-Za-z][A-Za-z0-9]*|/[A-Za-z][A-Za-z0-9]*|!--)[^>]*>")
BLOCK = re.compile(r"</?(?:p|div|h[1-6]|li|ul|ol|blockquote|pre|tr|table|hr)\b[^>]*>", re.I)
BR = re.compile(r"<br\s*/?>", re.I)
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u180e\u200b\u2060-\u2064\ufeff]")
URL = re.compile(r"(?<![\w@/.])(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\.)[!-~]+")
EMAIL = re.compile(r"(?<![@\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<![\w+\-./,$])(?:\+\d(?:[ .\-]?\(?\d+\)?){3,14}|\(?\d{3}\)?[ .\-]?\d{3}[ .\-]\d{4}"
                   r"|0\d(?:[ .\-]\d{2}){4})(?![\w])")
MENTION = re.compile(r"(?<![\w@!#$%&*])@\w{1,50}(?:@[A-Za-z0-9.-]+\.[A-Za-z]{2,})?")
HASHTAG = re.compile(r"(?<![\w&])#(\w*[^\W\d]\w*)")
SPACES = re.compile("[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\v\f]+")
WORD = re.compile(r"\w+")
KEY = re.compile(r"[\W_]+")
SCRIPTS = {"LATIN": "Latn", "CYRILLIC": "Cyrl", "GREEK": "Grek", "HEBREW": "Hebr", "ARABIC": "Arab",
           "HIRAGANA": "Jpan", "KATAKANA": "Jpan", "CJK": "Hani", "HANGUL": "Kore"}
ALLOWED_SCRIPTS = {"Latn", "Cyrl", "Grek", "Hebr", "Arab", "Jpan", "Hani", "Kore"}


def repair_mojibake(text):
    if "Ã" not in text and "Â" not in text and "â" not in text and "ð" not in text:
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            fixed = text.encode(codec).decode("utf-8")
            return fixed
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return text


def strip_html(text):
    if TAG.search(text):
        text = BR.sub("\n", text)
        text = BLOCK.sub("\n\n", text)
        text = TAG.sub("", text)
        return html.unescape(text)
    if "&" in text:
        return html.unescape(text)
    return text


def url_end(match):
    url = match.group(0)
    while url and url[-1] in ".,;:!?'*)]":
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def items(text):
    def url(m):
        kept = url_end(m)
        return "<URL>" + m.group(0)[len(kept):]
    text = URL.sub(url, text)
    text = EMAIL.sub("<EMAIL>", text)
    text = MENTION.sub("@user", text)
    text = PHONE.sub("<PHONE>", text)
    return HASHTAG.sub(r"\1", text)


def whitespace(text):
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    out = []
    blank = 0
    for line in text.split("\n"):
        line = SPACES.sub(" ", line).strip()
        if not line:
            if out:
                blank += 1
            continue
        if out:
            out.append("\n" * (min(blank, 1) + 1))
        out.append(line)
        blank = 0
    return "".join(out)


def characters(text):
    if text.isascii():
        return len(text) - text.count("\r\n")
    return sum(1 for c in text if not unicodedata.combining(c) and c not in "\u200d\ufe0f")


def tweet_weight(text):
    weight = 0
    for m in URL.finditer(text):
        weight += 23
    text = URL.sub("", text)
    for c in text:
        o = ord(c)
        if c in "\u200d\ufe0f" or 0x1F3FB <= o <= 0x1F3FF:
            continue
        weight += 1 if (o <= 0x10FF or 0x2000 <= o <= 0x200D or 0x2010 <= o <= 0x201F
                        or 0x2032 <= o <= 0x2037) else 2
    return weight


def dominant_script(text):
    if text.isascii():
        return "Latn" if any(c.isalpha() for c in text) else ""
    counts = {}
    for c in text:
        if c.isalpha():
            script = SCRIPTS.get(unicodedata.name(c, "").split(" ")[0], "Zyyy")
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return ""
    if counts.get("Jpan"):
        counts["Jpan"] += counts.pop("Hani", 0)
    return max(counts, key=counts.get)


def sanitize(text, seen):
    text = repair_mojibake(text)
    text = strip_html(text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = INVISIBLE.sub("", text)
    lines = text.split("\n")
    kept = [line for line in lines
            if not (len(line) <= 300 and any(t in line for t in TRIGGERS)
                    and BOILERPLATE.fullmatch(line.strip()))]
    if len(kept) != len(lines):
        text = "\n".join(kept)
        if not text.strip():
            return None
    if any(p.search(text) for p in DROP_PATTERNS):
        return None
    text = items(text)
    text = whitespace(text)
    if not text:
        return None
    n = characters(text)
    if n < 5 or n > 20000:
        return None
    words = len(WORD.findall(text))
    if words < 2 or words > 5000:
        return None
    if tweet_weight(text) > 280:
        return None
    script = dominant_script(text)
    if script and script not in ALLOWED_SCRIPTS:
        return None
    key = KEY.sub(" ", text.casefold()).strip() or text
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    if digest in seen:
        return None
    seen.add(digest)
    return text


def main():
    seen = set()
    out = sys.stdout
    for line in sys.stdin:
        record = json.loads(line)
        text = sanitize(record["text"], seen)
        if text is None:
            continue
        record["text"] = text
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
