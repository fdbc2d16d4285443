#!/usr/bin/env bash
# Save-to-reload latency of `galley serve` on a generated 10,000-article site.
#
#   [KIND=body|title] scripts/bench-serve.sh [N]         (default N = 10000 articles, KIND=body)
#
# Starts the release `galley serve` on the corpus, connects to its event
# stream like an open page, saves one article 20 times (appending a line to its
# body) and prints each time from the write returning to the reload event
# arriving, then the median and the worst (tests/browser/reload-latency.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
. scripts/corpus.sh
site=$(corpus_site "$n")
port=${GALLEY_BENCH_PORT:-1199}
# GALLEY=path/to/binary measures another build of galley (e.g. an older commit's).
if [ -z "${GALLEY:-}" ]; then
  cargo build --release --locked --quiet
  GALLEY=target/release/galley
fi
log=$(mktemp)
"$GALLEY" --root "$site" serve --port "$port" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 600); do
  grep -q "serving" "$log" && break
  kill -0 $server 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
article=$(ls "$site"/content/articles/*.md | sort | sed -n "$((n / 2))p")
cp "$article" "$log.orig"
node tests/browser/reload-latency.mjs --events "http://127.0.0.1:$port/__galley/events" --markdown "$article" --saves 20 --kind "${KIND:-body}"
cp "$log.orig" "$article" && rm -f "$log.orig"
