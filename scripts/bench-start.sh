#!/usr/bin/env bash
# How soon `galley serve` answers, and how much memory it holds, on a
# generated site:
#
#   [RUNS=3] scripts/bench-start.sh [N]          (default N = 10000 articles)
#
# Each run starts the release `galley serve` on the corpus and requests one
# article page (the one in the middle of the file list) every 10 ms from the
# moment the process is started until it is answered with 200: that time is
# "first article page", with the CPU time (user + system, all threads) the
# server had used by then: on a machine busy with other work the wall time
# grows, the CPU time much less. Then the home page and the search page are
# requested once each (their times are printed too), and the server's
# resident memory (VmRSS) is read 2 s later. Prints one row per run.
# GALLEY=path/to/binary measures another build; GALLEY_BENCH_PORT sets the port.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
. scripts/corpus.sh
site=${SITE:-$(corpus_site "$n")}
port=${GALLEY_BENCH_PORT:-1197}
if [ -z "${GALLEY:-}" ]; then
  cargo build --release --locked --quiet
  GALLEY=target/release/galley
fi
article=$(find "$site/content/articles" -maxdepth 1 -name "*.md" | sort | sed -n "$((n / 2))p")
day=$(sed -n 's/^date: \([0-9-]*\).*/\1/p' "$article" | head -1)
page="/${day:0:4}/${day:5:2}/$(basename "$article" .md)/"
url="http://127.0.0.1:$port"
now_ms() { date +%s%3N; }
fetch_ms() { # prints the milliseconds one GET takes, or fails
  local t0 t1
  t0=$(now_ms)
  curl -sf -o /dev/null --max-time 60 "$1" || return 1
  t1=$(now_ms)
  echo $((t1 - t0))
}
echo "galley serve on $n articles ($GALLEY), article $page"
echo "| run | first article page, ms | CPU by then, ms | home then, ms | search page then, ms | resident memory, MB |"
echo "|----:|----------------------:|----------------:|--------------:|--------------------:|--------------------:|"
for run in $(seq 1 "${RUNS:-3}"); do
  log=$(mktemp)
  started=$(now_ms)
  "$GALLEY" --root "$site" serve --port "$port" >"$log" 2>&1 &
  server=$!
  until curl -sf -o /dev/null --max-time 60 "$url$page"; do
    kill -0 $server 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.01
  done
  first=$(($(now_ms) - started))
  # utime + stime, in clock ticks, are fields 14 and 15 (after the command's parentheses).
  cpu=$(sed 's/.*) //' "/proc/$server/stat" | awk -v hz="$(getconf CLK_TCK)" '{print int(($12 + $13) * 1000 / hz)}')
  home=$(fetch_ms "$url/")
  search=$(fetch_ms "$url/search/")
  sleep 2
  resident=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$server/status")
  kill $server
  wait $server 2>/dev/null || true
  rm -f "$log"
  echo "| $run | $first | $cpu | $home | $search | $resident |"
done
