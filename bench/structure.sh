#!/usr/bin/env bash
# Structure benchmark (issue 17): `agglo io` on a 1,000-industry table (Leontief and Ghosh
# inverses, linkages, multipliers, extraction of every single sector) and `agglo blocks` on
# 1,000 industry series × 40 years, against numpy / statsmodels doing the same work
# (bench/structure_reference.py), on THREADS cores. Each run under /usr/bin/time -v after waiting
# for an idle machine.
#
#   bench/structure.sh
#
# Data: `agglo synth-structure --blocks 200 --block-size 5 --decoys 0 --years 40` (seed 1):
# 1,000 industries, ~300,000 flows (dense inside blocks, 30 % sparse weak flows elsewhere), 40
# years of series. Results: bench/results/structure_<commit>.txt and appended to RESULTS.
#
# Environment: AGGLO_BIN=<repo>/build/agglo PYTHON=/usr/bin/python3 THREADS=2
#              AGGLO_BENCH_DIR=/tmp/agglo_bench_structure WAIT_IDLE=600
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
AGGLO_BIN=${AGGLO_BIN:-$ROOT/build/agglo}
PYTHON=${PYTHON:-/usr/bin/python3}
DIR=${AGGLO_BENCH_DIR:-/tmp/agglo_bench_structure}
THREADS=${THREADS:-2}
WAIT_IDLE=${WAIT_IDLE:-600}
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
RESULTS=${RESULTS:-$ROOT/bench/results/structure_runs.txt}
REPORT=$ROOT/bench/results/structure_$COMMIT.txt
mkdir -p "$DIR" "$(dirname "$RESULTS")"
export OMP_NUM_THREADS=$THREADS OPENBLAS_NUM_THREADS=$THREADS MKL_NUM_THREADS=$THREADS
[[ -s $DIR/data/flows.csv ]] || "$AGGLO_BIN" synth-structure --blocks 200 --block-size 5 --decoys 0 --years 40 \
  --regions 2 --seed 1 -o "$DIR/data" --quiet
cat "$DIR"/data/*.csv > /dev/null  # warm cache

source "$ROOT/bench/lib/idle.sh"  # idle_pct, wait_idle

{
  echo "# structure benchmark, commit $COMMIT, $(date -u +%FT%TZ), threads $THREADS"
  echo "# tool workload wall_s max_rss_mb cpu_s idle_pct_before"
} | tee "$REPORT"
run() {  # name command...
  local name=$1; shift
  local log=$DIR/time_${name//:/_}.log idle
  idle=$(wait_idle)
  /usr/bin/time -v "$@" > "$DIR/out_${name//:/_}.txt" 2> "$log"
  local wall rss cpu
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
  cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {printf "%.2f", s}' "$log")
  echo "$name $wall $rss $cpu $idle" | tee -a "$REPORT"
  echo "$COMMIT $name $wall $rss $cpu $idle $THREADS" >> "$RESULTS"
}
run agglo:io "$AGGLO_BIN" io --io "$DIR/data/flows.csv" --totals "$DIR/data/totals.csv" --threads "$THREADS" \
  -o "$DIR/agglo_io" --quiet
run numpy:io "$PYTHON" "$ROOT/bench/structure_reference.py" io "$DIR/data"
run agglo:blocks "$AGGLO_BIN" blocks --io "$DIR/data/flows.csv" --totals "$DIR/data/totals.csv" \
  --series "$DIR/data/series.csv" --threads "$THREADS" -o "$DIR/agglo_blocks" --quiet
run statsmodels:blocks "$PYTHON" "$ROOT/bench/structure_reference.py" blocks "$DIR/data"
# Agreement: the two io runs must give the same linkages and extraction losses.
"$PYTHON" - "$DIR" <<'PY' | tee -a "$REPORT"
import sys, pandas as pd, numpy as np
d = sys.argv[1]
a = pd.read_csv(f"{d}/agglo_io/linkages.csv", dtype={"industry": str})
b = pd.read_csv(f"{d}/data/py_io_linkages.csv", dtype={"industry": str})
e = pd.read_csv(f"{d}/agglo_io/extraction.csv", dtype={"industry": str})
f = pd.read_csv(f"{d}/data/py_io_extraction.csv", dtype={"industry": str})
print("# max |backward diff| %.3g, max |forward diff| %.3g, max rel extraction diff %.3g" % (
    np.abs(a.backward - b.backward).max(), np.abs(a.forward - b.forward).max(),
    (np.abs(e.total_loss - f.total_loss) / f.total_loss).max()))
print("# agglo blocks:", open(f"{d}/out_agglo_blocks.txt").read().strip() or "(quiet)")
print("# statsmodels:", open(f"{d}/out_statsmodels_blocks.txt").read().strip())
PY
