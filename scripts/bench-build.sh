#!/usr/bin/env bash
# Cold full builds of generated sites, against the "floor" program in the same run.
#
#   scripts/bench-build.sh [SIZES...]        (default: 1000 10000)
#
# For each size N: generates a corpus with crates/galley-corpus (cached
# under /dev/shm), then alternates runs of `floor full-hl` and `galley build`
# (output on tmpfs, previous output removed first so every build is cold),
# RUNS of each (default 5), and prints the median wall times, the median of the
# per-round ratios galley/floor (each galley run against the floor run of the
# same round, which alternates which of the two goes first: on a shared
# machine the load drifts between rounds), the same for
# CPU time (user + system, steadier than wall time there), and galley's peak
# memory (max RSS, from /usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
. scripts/corpus.sh
# The floor program is the yardstick from the shared benchmark material.
shared=../shared/bench
[ -d "$shared" ] || { echo "missing $shared (the shared benchmark material beside the checkout)" >&2; exit 1; }
scratch=/dev/shm/galley-bench
mkdir -p "$scratch"

# The floor, built once in a scratch copy (the shared folder is read-only).
if [ ! -x "$scratch/floor/target/release/floor" ]; then
  rm -rf "$scratch/floor" && cp -r "$shared/floor" "$scratch/floor" && chmod -R u+w "$scratch/floor"
  (cd "$scratch/floor" && cargo build --release --quiet)
fi
cargo build --release --locked --quiet
galley=$PWD/target/release/galley
floor=$scratch/floor/target/release/floor

# The middle value; for an even count, the mean of the two middle ones.
median() { sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2] + a[NR/2+1]) / 2}'; }

for n in "${sizes[@]}"; do
  site=$(corpus_site "$n")
  floor_times=(); galley_times=(); galley_rss=(); ratios=(); cpu_ratios=()
  run_floor() {
    rm -rf "$scratch/out-floor" && mkdir -p "$scratch/out-floor"
    floor_t=$( { /usr/bin/time -f '%e %U %S' "$floor" full-hl "$site/content" "$scratch/out-floor" >/dev/null; } 2>&1 | tail -1)
  }
  run_galley() {
    rm -rf "$scratch/out-galley"
    galley_t=$( { /usr/bin/time -f '%e %M %U %S' "$galley" --root "$site" build --output "$scratch/out-galley" >/dev/null; } 2>&1 | tail -1)
  }
  for run in $(seq "${RUNS:-5}"); do
    # The floor first in odd rounds, galley first in even ones: a run is
    # affected by the one just before it (see scripts/ab-build.sh).
    if [ $((run % 2)) -eq 1 ]; then run_floor; run_galley; else run_galley; run_floor; fi
    floor_times+=("${floor_t%% *}")
    floor_cpu=$(awk '{ print $2 + $3 }' <<<"$floor_t")
    read -r wall rss user system <<<"$galley_t"
    galley_times+=("$wall"); galley_rss+=("$rss")
    ratios+=("$(awk -v g="$wall" -v f="${floor_times[-1]}" 'BEGIN { printf "%.3f", g / f }')")
    cpu_ratios+=("$(awk -v u="$user" -v s="$system" -v f="$floor_cpu" 'BEGIN { printf "%.3f", (u + s) / f }')")
  done
  f=$(printf '%s\n' "${floor_times[@]}" | median)
  g=$(printf '%s\n' "${galley_times[@]}" | median)
  rss=$(printf '%s\n' "${galley_rss[@]}" | sort -n | tail -1)
  ratio=$(printf '%s\n' "${ratios[@]}" | median)
  cpu_ratio=$(printf '%s\n' "${cpu_ratios[@]}" | median)
  files=$(find "$scratch/out-galley" -type f | wc -l)
  awk -v n="$n" -v f="$f" -v g="$g" -v r="$ratio" -v rss="$rss" -v files="$files" 'BEGIN {
    printf "%7d articles: galley %.2f s (%d files), floor full-hl %.2f s, ratio %.2f (median of rounds), galley peak RSS %.0f MB\n", n, g, files, f, r, rss / 1024 }'
  echo "         per-round ratios: ${ratios[*]}"
  echo "         CPU time ratio (median of rounds): $cpu_ratio; per round: ${cpu_ratios[*]}"
done
