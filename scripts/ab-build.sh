#!/usr/bin/env bash
# Two galley binaries against each other on one generated site, fairly.
#
#   scripts/ab-build.sh BINARY_A BINARY_B [ARTICLES]      (default: 10000; RUNS rounds, default 12)
#
# Each round builds the site (cold, output on tmpfs) with both binaries, A
# first in odd rounds and B first in even ones, so that neither always runs
# right after the other: a build's cost depends on what ran just before it.
# On the 2-core machine this was written on, touching 168 MB of fresh memory
# took 310 ms once and 22 ms when done again right after; there, the same
# binary run twice per round in fixed order (in four series with an
# allocator setting that changed nothing) gave medians up to 10% apart
# (five series of 7-15 rounds, four favouring the second run, one the
# first), which bounds what a whole-build comparison resolves. Compare the
# phases too (build --timings): they move less.
#
# Prints, for each binary, the median wall and CPU (user + system) time and
# the median of the phases `build --timings` prints, then the median of the per-round
# ratios B/A (wall and CPU).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n '2,19p' "$0" >&2; exit 2; }
a=$(realpath "$1"); b=$(realpath "$2"); n=${3:-10000}
. scripts/corpus.sh
scratch=/dev/shm/galley-bench
site=$(corpus_site "$n")
log=$(mktemp)
# A directory of this run's own, so that two comparisons at once do not
# build into each other's output.
output=$(mktemp -d "$scratch/out-ab.XXXXXX")
trap 'rm -f "$log"; rm -rf "$output"' EXIT

for round in $(seq "${RUNS:-12}"); do
  if [ $((round % 2)) -eq 1 ]; then order="A B"; else order="B A"; fi
  for which in $order; do
    if [ "$which" = A ]; then binary=$a; else binary=$b; fi
    rm -rf "$output"
    # Binaries older than `build --timings` read GALLEY_TIMINGS instead.
    flag=--timings
    "$binary" build --help | grep -q -- --timings || flag=
    out=$( { GALLEY_TIMINGS=1 /usr/bin/time -f 'time %e %U %S' "$binary" --root "$site" build $flag \
      --output "$output" >/dev/null; } 2>&1)
    echo "$round $which $(grep '^time' <<<"$out") $(grep -o '[a-z-]*=[0-9.]*' <<<"$out" | tr '\n' ' ')" >>"$log"
  done
done

python3 - "$log" <<'EOF'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    parts = line.split()
    rnd, which, wall, user, system = parts[0], parts[1], *map(float, parts[3:6])
    phases = {k: float(v) for k, v in re.findall(r'([a-z-]+)=([0-9.]+)', line)}
    rows.setdefault(which, {})[rnd] = dict(phases, wall_s=wall, cpu_s=user + system)
for which in ("A", "B"):
    runs = list(rows[which].values())
    keys = [k for k in runs[0] if k != "wall"]
    print(which, " ".join(f"{k}={statistics.median(r[k] for r in runs):.3f}" for k in keys))
for key in ("wall_s", "cpu_s"):
    ratios = [rows["B"][r][key] / rows["A"][r][key] for r in rows["A"] if r in rows["B"]]
    print(f"B/A {key[:-2]}: median of {len(ratios)} rounds {statistics.median(ratios):.3f}"
          f" (range {min(ratios):.2f}-{max(ratios):.2f})")
EOF
