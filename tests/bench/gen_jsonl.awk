# Writes about `mb` million bytes of JSONL records, the same bytes on every machine and every awk:
#   LC_ALL=C awk -v mb=100 -f gen_jsonl.awk > records.jsonl
# Each record looks like an imported post or message: {"text": one to three paragraphs of varied
# length, with UTF-8 (accents, CJK, Cyrillic, Greek, emoji) and JSON escapes (\" \\ \n \t \uXXXX
# \/), "meta": {"id", "source", "label", "created", "by_me", "tags": [...]}}.
# The random numbers come from our own Park-Miller generator (exact in double arithmetic), not from
# awk's rand(), whose sequence differs between mawk, gawk and busybox.

function next_random() {
  seed = (seed * 16807) % 2147483647
  return seed
}

# A whole number in [0, n).
function pick(n) {
  return next_random() % n
}

function sentence(    count, s, i) {
  count = 3 + pick(16)
  s = capital[pick(ncapital)]
  for (i = 1; i < count; i++) s = s " " word[pick(nword)]
  return s punct[pick(npunct)]
}

function paragraph(    kind, count, p, i) {
  # Lengths as found in real exports: many one-liners (tweets, chat), some short posts, a few long
  # ones (blog posts, notes).
  kind = pick(10)
  if (kind < 4) count = 1
  else if (kind < 7) count = 2 + pick(4)
  else count = 6 + pick(18)
  p = sentence()
  for (i = 1; i < count; i++) p = p " " sentence()
  return p
}

function two(n) {
  return n < 10 ? "0" n : n
}

BEGIN {
  if (mb == "") mb = 100
  seed = 20240601
  target = mb * 1000000

  # Words as they appear inside a JSON string: quotes, backslashes and control characters escaped.
  nword = split("the of and to a in is it you that he was for on are with as I his they be at " \
    "one have this from or had by hot word but what some we can out other were all there when up " \
    "use your how said an each she which do their time if will way about many then them write " \
    "would like so these her long make thing see him two has look more day could go come did " \
    "number sound no most people my over know water than call first who may down side been now " \
    "find any new work part take get place made live where after back little only round man year " \
    "came show every good me give our under name very through just form sentence great think say " \
    "help low line differ turn cause much mean before move right boy old too same tell does set " \
    "three want air well also play small end put home read hand port large spell add even land " \
    "here must big high such follow act why ask men change went light kind off need house picture " \
    "try us again animal point mother world near build self earth father tonight tomorrow " \
    "café naïve résumé Zoë Straße façade jalapeño smörgåsbord coöperate piñata " \
    "日本語 東京 ありがとう 漢字 привет спасибо Ελληνικά καλημέρα שלום مرحبا 😀 👍🏽 🎉 ❤️ — … " \
    "“quoted” ‘single’ \\\"really\\\" \\\"so\\\" C:\\\\Users\\\\me back\\\\slash tab\\there " \
    "line\\nbreak \\u00e9t\\u00e9 \\u2603 \\ud83d\\ude00 a\\/b <b>bold</b> &amp; 50% $9.99 " \
    "https://example.com/a?b=1&c=2 www.example.org/path @someone @friend_42 #tbt #nofilter " \
    "lol omg btw :) :-( ;-) ok OK!! 2019 10:30 3rd", word, " ")
  for (i = 1; i <= nword; i++) word[i - 1] = word[i]

  ncapital = split("The It I We You They She He This There What When Why How So But And Today " \
    "Yesterday Honestly Maybe Also Well Café Zoë Привет 東京では Okay Wow", capital, " ")
  for (i = 1; i <= ncapital; i++) capital[i - 1] = capital[i]

  npunct = split(". . . . . ! ? ... !! ?! .\\n :) . .", punct, " ")
  for (i = 1; i <= npunct; i++) punct[i - 1] = punct[i]

  nlabel = split("mine friends work blog archive", label, " ")
  nsource = split("import.facebook import.twitter import.tumblr import.wordpress import.discord " \
    "read.txt", source, " ")
  ntag = split("travel food music family work politics books cats code photos quotes tbt " \
    "日記 café", tag, " ")

  # A pool of paragraphs, combined differently in every record: generating each record's text
  # afresh would make this script, not the program measured, the slow part.
  npool = 4096
  for (i = 0; i < npool; i++) pool[i] = paragraph()

  written = 0
  for (n = 1; written < target; n++) {
    text = pool[pick(npool)]
    k = pick(10)
    if (k >= 6) text = text "\\n\\n" pool[pick(npool)]
    if (k >= 9) text = text "\\n\\n" pool[pick(npool)]

    tags = ""
    ntags = pick(4)
    for (i = 0; i < ntags; i++) tags = tags (i ? "," : "") "\"" tag[1 + pick(ntag)] "\""

    created = sprintf("%d-%s-%sT%s:%s:%sZ", 2008 + pick(16), two(1 + pick(12)), two(1 + pick(28)),
      two(pick(24)), two(pick(60)), two(pick(60)))

    line = sprintf("{\"text\":\"%s\",\"meta\":{\"id\":\"%09d\",\"source\":\"%s\",\"label\":\"%s\"," \
      "\"created\":\"%s\",\"by_me\":%s,\"tags\":[%s]}}", text, n, source[1 + pick(nsource)],
      label[1 + pick(nlabel)], created, pick(3) ? "true" : "false", tags)
    print line
    written += length(line) + 1
  }
}
