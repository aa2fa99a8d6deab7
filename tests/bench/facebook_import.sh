#!/usr/bin/env bash
# import.facebook -> write.txt on a generated Facebook export, side by side with a straightforward
# Python script doing the same work (json.load of each file, the latin-1/UTF-8 repair of every
# string, the posts', comments' and messages' text into one file), in one run.
#   tests/bench/facebook_import.sh [--size MB] [--runs N] [--threads N] [--textkit PATH] [--strict]
#   --size MB     size of the generated export (default 1100: just over 1 GB); --size 50 for a
#                 quick check of the script
#   --threads N   textkit's threads (default: all cores, as `textkit run` does)
# Prints, on stdout:
#   facebook 1103MB: textkit 21.0 s, python 48.0 s, ratio 2.3 (target >= 10: MISSED)
#   facebook cpu: textkit 20.1 s, python 46.2 s, ratio 2.3 (user+system seconds)
#   facebook rss: textkit peak 9.1 MB (target < 200 MB: met); python 66.0 MB
# Wall time is the figure with the target; CPU time is printed too, because on a shared machine
# wall time mostly measures the other processes.
# The export (posts/your_posts_N.json, comments/comments.json, messages/inbox/<thread>/
# message_N.json of about 10,000 messages each, as Facebook splits them; every string with
# Facebook's \u00XX mojibake) is generated once into tests/bench/data/ and reused.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
. "$here/common.sh"

size_mb=1100
runs=1
textkit_arg=""
threads_arg=()
strict=0
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size_mb=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --textkit) textkit_arg=$2; shift 2 ;;
    --threads) threads_arg=(--threads "$2"); shift 2 ;;
    --strict) strict=1; shift ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
    *) bench_fail "unknown option $1" ;;
  esac
done
textkit=$(find_textkit "$textkit_arg")
require_gnu_time
command -v python3 >/dev/null || bench_fail "needs python3 for the comparison"

export_dir=$bench_data/facebook-${size_mb}MB
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The generator: deterministic (a fixed seed), Facebook's layout and encoding, mixed languages.
generate() {
  python3 - "$1" "$2" <<'PY'
import json, os, random, sys
root, size_mb = sys.argv[1], int(sys.argv[2])
random.seed(20240101)
words = ("le la les un une est pas très café été où ça déjà naïve garçon bientôt "
         "the a and of to is in it that was for on are with as I his they be at one have this "
         "schön Grüße über Straße Mädchen weiß ne się że jak już może dziękuję "
         "🙂 😂 ❤️ 👍 — “quoted” it’s …").split()
names = ["Renée Dubois", "Marc Bernard", "Léa Martin", "Jürgen Groß", "Zoë Ødegaard", "Ana Muñoz"]
def sentence(n):
    return " ".join(random.choice(words) for _ in range(n))
def fb(s):  # Facebook's damage: each UTF-8 byte becomes its own code point
    return s.encode("utf-8").decode("latin-1")
def dump(path, value):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        json.dump(value, f, indent=2, ensure_ascii=True)
    return os.path.getsize(full)
os.makedirs(root, exist_ok=True)
dump("profile_information/profile_information.json", {"profile_v2": {"name": {"full_name": fb(names[0])}}})
total, t = 0, 1262304000
target = size_mb * 1000 * 1000
# A tenth posts and comments, the rest messages.
n = 1
while total < target // 10:
    posts = []
    for _ in range(5000):
        t += random.randint(100, 20000)
        posts.append({"timestamp": t, "data": [{"post": fb(sentence(random.randint(5, 60)))}, {"update_timestamp": t}],
                      "title": fb(names[0] + " updated her status.")})
    total += dump(f"your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_{n}.json", posts)
    n += 1
comments = [{"timestamp": t - i * 300, "data": [{"comment": {"timestamp": t - i * 300, "comment": fb(sentence(random.randint(3, 30))), "author": fb(names[0])}}],
             "title": fb(names[0] + " commented on a post.")} for i in range(20000)]
total += dump("your_facebook_activity/comments_and_reactions/comments.json", {"comments_v2": comments})
thread = 0
while total < target:
    thread += 1
    people = random.sample(names, 3)
    for part in (1, 2):
        messages = []
        for _ in range(10000):
            t -= random.randint(10, 600)
            m = {"sender_name": fb(random.choice(people)), "timestamp_ms": t * 1000 + random.randint(0, 999),
                 "content": fb(sentence(random.randint(2, 25))), "is_geoblocked_for_viewer": False}
            if random.random() < 0.1:
                m["reactions"] = [{"reaction": fb("👍"), "actor": fb(random.choice(people))}]
            messages.append(m)
        total += dump(f"your_facebook_activity/messages/inbox/thread{thread}_{thread * 7919}/message_{part}.json",
                      {"participants": [{"name": fb(p)} for p in people], "messages": messages,
                       "title": fb(", ".join(people)), "is_still_participant": True,
                       "thread_path": f"inbox/thread{thread}_{thread * 7919}", "magic_words": []})
print(total)
PY
}

# The comparison: what a user would write in Python.
baseline=$work/baseline.py
cat > "$baseline" <<'PY'
import json, os, sys
root, out_path = sys.argv[1], sys.argv[2]
def fix(s):
    try:
        return s.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return s
def repair(value):
    if isinstance(value, str):
        return fix(value)
    if isinstance(value, list):
        return [repair(v) for v in value]
    if isinstance(value, dict):
        return {k: repair(v) for k, v in value.items()}
    return value
with open(out_path, "w", encoding="utf-8") as out:
    for folder, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            if not name.endswith(".json"):
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                data = repair(json.load(f))
            if isinstance(data, list):
                for post in data:
                    for part in post.get("data", []):
                        if "post" in part:
                            out.write(part["post"] + "\n")
            elif "messages" in data:
                for m in data["messages"]:
                    if "content" in m:
                        out.write(m["content"] + "\n")
            elif "comments_v2" in data:
                for c in data["comments_v2"]:
                    for part in c.get("data", []):
                        if "comment" in part:
                            out.write(part["comment"]["comment"] + "\n")
PY

if [ ! -f "$export_dir/.complete" ]; then
  echo "bench: generating a ${size_mb} MB Facebook export in $export_dir (once)" >&2
  rm -rf "$export_dir"
  generate "$export_dir" "$size_mb" >/dev/null
  touch "$export_dir/.complete"
fi
bytes=$(du -sb "$export_dir" | cut -f1)

cat > "$work/pipeline.json" <<JSON
{ "textkit": 1, "steps": [
  { "use": "import.facebook", "with": { "path": "$export_dir" } },
  { "use": "write.txt", "with": { "path": "$work/textkit.txt" } } ] }
JSON

tk_times=() tk_rss=() tk_cpu=() py_times=() py_rss=() py_cpu=()
for _ in $(seq "$runs"); do
  /usr/bin/time -f "%e %M %U %S" -o "$work/tk.time" "$textkit" run "$work/pipeline.json" --progress none "${threads_arg[@]}" 2>/dev/null ||
    bench_fail "textkit failed on $export_dir"
  read -r s kb user sys < "$work/tk.time"; tk_times+=("$s"); tk_rss+=("$kb")
  tk_cpu+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')")
  /usr/bin/time -f "%e %M %U %S" -o "$work/py.time" python3 "$baseline" "$export_dir" "$work/python.txt" ||
    bench_fail "the Python baseline failed"
  read -r s kb user sys < "$work/py.time"; py_times+=("$s"); py_rss+=("$kb")
  py_cpu+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')")
done
tk_s=$(printf '%s\n' "${tk_times[@]}" | median)
py_s=$(printf '%s\n' "${py_times[@]}" | median)
tk_kb=$(printf '%s\n' "${tk_rss[@]}" | median)
py_kb=$(printf '%s\n' "${py_rss[@]}" | median)
tk_c=$(printf '%s\n' "${tk_cpu[@]}" | median)
py_c=$(printf '%s\n' "${py_cpu[@]}" | median)

# Same work: the same number of lines of text (textkit also drops Messenger's own notices, none
# of which the generator writes).
tk_lines=$(wc -l < "$work/textkit.txt")
py_lines=$(wc -l < "$work/python.txt")
[ "$tk_lines" -eq "$py_lines" ] || bench_fail "textkit wrote $tk_lines lines, python $py_lines"

ratio=$(awk -v p="$py_s" -v t="$tk_s" 'BEGIN { printf "%.1f", (t > 0 ? p / t : 0) }')
tk_mb=$(mb_of_kb "$tk_kb")
echo "facebook $((bytes / 1000000))MB: textkit $(fmt "$tk_s" 1) s, python $(fmt "$py_s" 1) s, ratio $ratio (target >= 10: $(verdict "$ratio" ">=" 10))"
cpu_ratio=$(awk -v p="$py_c" -v t="$tk_c" 'BEGIN { printf "%.1f", (t > 0 ? p / t : 0) }')
echo "facebook cpu: textkit $(fmt "$tk_c" 1) s, python $(fmt "$py_c" 1) s, ratio $cpu_ratio (user+system seconds)"
echo "facebook rss: textkit peak $tk_mb MB (target < 200 MB: $(verdict "$tk_mb" "<" 200)); python $(mb_of_kb "$py_kb") MB"
if [ $strict -eq 1 ]; then
  [ "$(verdict "$ratio" ">=" 10)" = met ] && [ "$(verdict "$tk_mb" "<" 200)" = met ] || exit 1
fi
