#!/usr/bin/env bash
# Save-to-reload latency of `galley serve` for one kind of save:
#
#   [KIND=body|title|…] scripts/bench-serve.sh [N]       (default N = 10000 articles, KIND=body)
#
# scripts/bench-saves.sh with that one kind (20 saves; GALLEY=binary and
# GALLEY_BENCH_PORT as there).
set -euo pipefail
cd "$(dirname "$0")/.."
KINDS=${KIND:-body} exec scripts/bench-saves.sh "$@"
