#!/usr/bin/env bash
# Python module overhead (issue 15): the same work through `agglo` (the CLI) and through
# `import agglo` on the national preset — goal: Python within 5 % of the CLI — and a
# 2-million-row DataFrame passed in against reading the same CSV — goal: cheaper.
#
#   bench/python_overhead.sh
#
# Data: `agglo synth --preset national` (2,001,726 establishments, 705,278 employment rows),
# written once into AGGLO_BENCH_DIR. Waits for an idle machine (bench/lib/idle.sh), then runs
# bench/python_overhead.py (its docstring says what is timed) and appends to RESULTS.
#
# Environment: AGGLO_BIN=<repo>/build/agglo  PYTHON=/usr/bin/python3
#              AGGLO_PY=<repo>/build/python (the built package)  REPEATS=5
#              AGGLO_BENCH_DIR=/tmp/agglo_bench_python  RESULTS=<repo>/bench/results/python_overhead.csv
#              AGGLO_BENCH_CASES=network,dbscan (only these cases; add "fresh", "dataframe" for parts 1b, 2)
#              WAIT_IDLE=600 (seconds to wait for an idle machine)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
AGGLO_BIN=${AGGLO_BIN:-$ROOT/build/agglo}
AGGLO_PY=${AGGLO_PY:-$ROOT/build/python}
PYTHON=${PYTHON:-/usr/bin/python3}
DIR=${AGGLO_BENCH_DIR:-/tmp/agglo_bench_python}
REPEATS=${REPEATS:-5}
RESULTS=${RESULTS:-$ROOT/bench/results/python_overhead.csv}
source "$ROOT/bench/lib/idle.sh"

mkdir -p "$DIR/work"
if [[ ! -s $DIR/national/establishments.csv ]]; then
  echo "agglo synth --preset national -o $DIR/national" >&2
  "$AGGLO_BIN" synth --preset national -o "$DIR/national" --quiet
fi
IDLE=$(wait_idle)
echo "machine ${IDLE}% idle; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
AGGLO_COMMIT=$COMMIT AGGLO_IDLE=$IDLE PYTHONPATH=$AGGLO_PY \
  "$PYTHON" "$ROOT/bench/python_overhead.py" "$AGGLO_BIN" "$DIR/national" "$DIR/work" "$REPEATS" "$RESULTS"
