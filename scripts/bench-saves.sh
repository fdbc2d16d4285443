#!/usr/bin/env bash
# Save-to-reload latency of `galley serve` for every kind of save, on a
# generated 10,000-article site: one table row per kind.
#
#   [KINDS="title date …"] [SAVES=20] scripts/bench-saves.sh [N]     (default N = 10000)
#
# Starts the release `galley serve` on the corpus once, then for each kind of
# save (body, title, date, tags, author, draft, stub, new, deleted; see
# tests/browser/reload-latency.mjs for what each does) connects to the event
# stream like the saved article's open page, saves SAVES times and times each save from the
# write returning to the reload event arriving. Prints the median and the
# worst per kind, and the server's resident memory at the end.
# GALLEY=path/to/binary measures another build; GALLEY_BENCH_PORT sets the port.
# SEARCH=1 also holds the search index: waits until it is built before the
# saves (and prints the memory then), and after the saves samples the memory
# for SETTLE seconds (default 90) while the index is built again; the peak
# printed is the server's high-water mark over the whole run.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
. scripts/corpus.sh
# SITE=dir measures a copy (a bench that edits the shared corpus would disturb others).
site=${SITE:-$(corpus_site "$n")}
port=${GALLEY_BENCH_PORT:-1198}
kinds=${KINDS:-body title date tags author draft stub new deleted}
if [ -z "${GALLEY:-}" ]; then
  cargo build --release --locked --quiet
  GALLEY=target/release/galley
fi
log=$(mktemp)
results=$(mktemp)
"$GALLEY" --root "$site" serve --port "$port" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$log" "$results"' EXIT
for _ in $(seq 1 600); do
  grep -q "serving" "$log" && break
  kill -0 $server 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
rss_mb() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$server/status"; }
if [ -n "${SEARCH:-}" ]; then
  until curl -sf -o /dev/null "http://127.0.0.1:$port/search/index.json"; do
    kill -0 $server 2>/dev/null || { cat "$log"; exit 1; }
    sleep 1
  done
  echo "search index built; serve's resident memory: $(rss_mb) MB"
fi
# The article in the middle of the list, or the first after it that no page
# links to (it is made a draft, and its neighbours are deleted).
linked=$(grep -rhoE '\]\([^) ]+\.md\)' "$site/content" | sed -E 's|.*/||; s|^\]\(||; s|\)$||' | sort -u)
article=$(find "$site/content/articles" -maxdepth 1 -name "*.md" | sort | tail -n +"$((n / 2))" \
  | while read -r f; do grep -qxF "$(basename "$f")" <<<"$linked" || { echo "$f"; break; }; done || true)
# The article's page, as the client says it shows it (default permalink, base path /).
day=$(sed -n 's/^date: \([0-9-]*\).*/\1/p' "$article" | head -1)
page="/${day:0:4}/${day:5:2}/$(basename "$article" .md)/"
for kind in $kinds; do
  node tests/browser/reload-latency.mjs --events "http://127.0.0.1:$port/__galley/events" \
    --page "$page" --markdown "$article" --saves "${SAVES:-20}" --kind "$kind" --json >>"$results"
  # The restored files rebuild too: let that finish before the next kind.
  sleep 3
done
resident=$(rss_mb)
if [ -n "${SEARCH:-}" ]; then
  most=0
  for _ in $(seq 1 "${SETTLE:-90}"); do
    now=$(rss_mb); [ "$now" -gt "$most" ] && most=$now
    sleep 1
  done
  echo "after the saves, while the index is built again: at most $most MB, $(rss_mb) MB at the end"
  echo "serve's peak resident memory over the run: $(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$server/status") MB"
fi
python3 - "$results" "$n" "$resident" <<'PY'
import json, statistics, sys
print(f"save → reload event at an SSE client, {sys.argv[2]} articles, ms")
print(f"| kind    | saves | median | worst |")
print(f"|---------|------:|-------:|------:|")
for line in open(sys.argv[1]):
    row = json.loads(line)
    times = row["times"]
    print(f"| {row['kind']:<7} | {len(times):5} | {statistics.median(times):6.1f} | {max(times):5.1f} |")
print(f"serve's resident memory at the end: {sys.argv[3]} MB")
PY
