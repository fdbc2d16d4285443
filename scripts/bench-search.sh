#!/usr/bin/env bash
# Search benchmarks, with a release binary of this checkout:
#
#   scripts/bench-search.sh [BUILD_ARTICLES] [QUERY_ARTICLES]    (defaults: 10000 100000)
#
# 1. What the index adds to a cold `galley build` of BUILD_ARTICLES generated
#    articles: the same binary builds the site with search on and with
#    `search: false`, alternating which goes first each round (RUNS rounds,
#    default 10; output on tmpfs, as scripts/ab-build.sh does), and prints the
#    medians and the median of the per-round ratios; then the index's size.
# 2. Queries on QUERY_ARTICLES generated articles, built under the sub-path
#    /archive/ and served statically on localhost: the rarest word of the
#    index, and the two most common ones, each in a cold headless Chromium page
#    (a fresh context per run, QUERY_RUNS runs, default 5), timed from
#    navigation start to the first result on the page, with the bytes the
#    browser's network log says were transferred (index pieces and script;
#    and everything, page and stylesheets included). Prints the index's size.
#
# Needs Debian's chromium and Node (tests/browser's playwright-core, installed
# on first use). Generated sites are kept in /dev/shm/galley-bench.
set -euo pipefail
cd "$(dirname "$0")/.."
build_n=${1:-10000}
query_n=${2:-100000}
shared=../shared/bench
scratch=/dev/shm/galley-bench
mkdir -p "$scratch"
cargo build --release --quiet
galley=$(realpath target/release/galley)
[ -d tests/browser/node_modules/playwright-core ] || (cd tests/browser && npm ci --no-audit --no-fund --silent)

site() { # N -> path of a generated site with N articles
  local dir=$scratch/site-$1
  [ -f "$dir/site.yaml" ] || python3 "$shared/gen_corpus.py" "$dir" "$1" >/dev/null
  echo "$dir"
}

index_size() { # OUTPUT_DIR -> "N files, B bytes" of its search/ index (the page excluded)
  find "$1/search" -type f ! -name index.html -printf '%s\n' | awk '{n++; b+=$1} END {printf "%d files, %d bytes (%.1f MB)", n, b, b/1048576}'
}

# ---------------------------------------------------------------- 1. build cost
on=$(site "$build_n")
off=$scratch/site-$build_n-nosearch
if [ ! -f "$off/site.yaml" ]; then
  mkdir -p "$off"
  cp -r "$on/content" "$off/"
  { cat "$on/site.yaml"; echo "search: false"; } >"$off/site.yaml"
fi
log=$(mktemp)
trap 'rm -f "$log"; rm -rf "$scratch/out-search-bench"' EXIT
for round in $(seq "${RUNS:-10}"); do
  if [ $((round % 2)) -eq 1 ]; then order="on off"; else order="off on"; fi
  for which in $order; do
    if [ "$which" = on ]; then root=$on; else root=$off; fi
    rm -rf "$scratch/out-search-bench"
    out=$( { /usr/bin/time -f 'time %e %U %S %M' "$galley" --root "$root" build \
      --output "$scratch/out-search-bench" >/dev/null; } 2>&1)
    echo "$round $which $(grep '^time' <<<"$out")" >>"$log"
  done
done
echo "== build of $build_n articles, search on vs search: false (${RUNS:-10} rounds, alternated)"
python3 - "$log" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    rnd, which, _, wall, user, system, rss = line.split()
    rows.setdefault(which, {})[rnd] = dict(wall=float(wall), cpu=float(user) + float(system), rss=int(rss) / 1024)
for which in ("off", "on"):
    runs = list(rows[which].values())
    print(f"search {which:3}: wall {statistics.median(r['wall'] for r in runs):.3f} s, "
          f"cpu {statistics.median(r['cpu'] for r in runs):.3f} s, peak {statistics.median(r['rss'] for r in runs):.0f} MB")
for key in ("wall", "cpu"):
    ratios = [rows["on"][r][key] / rows["off"][r][key] for r in rows["on"] if r in rows["off"]]
    print(f"on/off {key}: median of {len(ratios)} rounds {statistics.median(ratios):.3f} "
          f"(range {min(ratios):.2f}-{max(ratios):.2f})")
PY
"$galley" --root "$on" build --output "$scratch/out-search-bench" >/dev/null
echo "index at $build_n articles: $(index_size "$scratch/out-search-bench")"

# -------------------------------------------------------------- 2. queries
big=$(site "$query_n")
out=$scratch/out-$query_n
echo "== $query_n articles"
rm -rf "$out"
/usr/bin/time -f 'build: %e s wall, %M KB peak' "$galley" --root "$big" build --base-url /archive/ --output "$out"
echo "index at $query_n articles: $(index_size "$out")"
# The rarest word and the two most common ones, read from the index itself.
words=$(python3 - "$out/search/t" <<'PY'
import os, sys
def varint(b, p):
    value = shift = 0
    while True:
        byte = b[p]; p += 1
        value |= (byte & 0x7f) << shift; shift += 7
        if byte < 0x80:
            return value, p
counts = []
for name in os.listdir(sys.argv[1]):
    b = open(os.path.join(sys.argv[1], name), "rb").read()
    p = 0
    while p < len(b):
        n, p = varint(b, p); word = b[p:p + n].decode(); p += n
        size, p = varint(b, p); end = p + size
        titles, q = varint(b, p)
        for _ in range(titles):
            _, q = varint(b, q)
        count, _ = varint(b, q)
        if word.isalpha() and len(word) >= 4:
            counts.append((count, word))
        p = end
counts.sort()
print(counts[0][1])
print(f"{counts[-1][1]} {counts[-2][1]}")
print(f"# rarest: {counts[0][1]} in {counts[0][0]} articles; commonest: "
      f"{counts[-1][1]} in {counts[-1][0]}, {counts[-2][1]} in {counts[-2][0]}", file=sys.stderr)
PY
)
rare=$(sed -n 1p <<<"$words")
common=$(sed -n 2p <<<"$words")
node tests/browser/search-bench.mjs --dir "$out" --prefix /archive/ --runs "${QUERY_RUNS:-5}" \
  --query "$rare" --query "$common"
