#!/usr/bin/env bash
# Complexity benchmark: agglo complexity vs a straightforward numpy implementation of the same
# formulas (bench/bench_complexity.py; np.linalg.eig on one year, as py-ecomplexity does).
#
#   bench/complexity.sh
#
# Data: a synthetic panel of L=250 locations × P=5,000 products × YEARS=20 (seeded; written
# once by bench_complexity.py synth into AGGLO_BENCH_DIR). Runs, each under /usr/bin/time -v:
#   agglo:all-years:compact   every measure for all years, writing eci,pci,coi (+ summary)
#   agglo:all-years:full      every measure and every table (rca, density… are L·P·years rows)
#   agglo:one-year            --year 2019, every table
#   numpy:one-year            bench_complexity.py numpy (same formulas, dense numpy)
# Appends tool,workload,wall_s,max_rss_mb,threads,…,idle_pct to RESULTS and prints the ratio.
# Before each run it waits (at most WAIT_IDLE s) for the CPUs to be ≥ 85 % idle and records
# the idle share it saw: the machine is shared, and a busy one makes every figure an upper bound.
# agglo's own split (seconds reading the CSV / analysing) is printed from its summary.json.
# The run writing every cell table (25 M rows each of rca and density: minutes and ~9 GB)
# is left out unless FULL=1.
#
# Environment: AGGLO_BIN=<repo>/build/agglo  PYTHON=/usr/bin/python3  AGGLO_BENCH_DIR=/tmp/agglo_bench
#              THREADS=2  L=250 P=5000 YEARS=20  RESULTS=<repo>/bench/results/complexity.csv
#              WAIT_IDLE=600  FULL=0
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
AGGLO_BIN=${AGGLO_BIN:-$ROOT/build/agglo}
PYTHON=${PYTHON:-/usr/bin/python3}
DIR=${AGGLO_BENCH_DIR:-/tmp/agglo_bench_complexity}
THREADS=${THREADS:-2}
L=${L:-250}; P=${P:-5000}; YEARS=${YEARS:-20}
RESULTS=${RESULTS:-$ROOT/bench/results/complexity.csv}
mkdir -p "$DIR" "$(dirname "$RESULTS")"
DATA=$DIR/complexity_${L}x${P}x${YEARS}.csv
if [[ ! -s $DATA ]]; then
  echo "writing $DATA" >&2
  "$PYTHON" "$ROOT/bench/bench_complexity.py" synth "$DATA" "$L" "$P" "$YEARS" 7
fi
cat "$DATA" > /dev/null  # warm cache
LAST=$((2000 + YEARS - 1))
WAIT_IDLE=${WAIT_IDLE:-600}
FULL=${FULL:-0}
[[ -s $RESULTS ]] || echo "tool,workload,wall_s,max_rss_mb,threads,locations,products,years,idle_pct" > "$RESULTS"

source "$ROOT/bench/lib/idle.sh"  # idle_pct, wait_idle

run() {  # name workload command...
  local name=$1 workload=$2; shift 2
  local log=$DIR/time_$name.log idle
  idle=$(wait_idle)
  /usr/bin/time -v "$@" > "$DIR/out_$name.txt" 2> "$log"
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
  echo "$name,$workload,$wall,$rss,$THREADS,$L,$P,$YEARS,$idle" >> "$RESULTS"
  printf '%-28s %-10s %8.2f s %8s MB  (machine %s%% idle before)\n' "$name" "$workload" "$wall" "$rss" "$idle"
  eval "T_$(echo "$name" | tr ':-' '__')=$wall"
}

rm -rf "$DIR/cx_compact" "$DIR/cx_full" "$DIR/cx_one"
run agglo:all-years:compact all-years "$AGGLO_BIN" --threads "$THREADS" --quiet --timings complexity --exports "$DATA" --tables eci,pci,coi,dynamics -o "$DIR/cx_compact"
split() {  # agglo's own timing split from a summary.json
  "$PYTHON" -c "import json,sys; s=json.load(open(sys.argv[1]))['seconds']; print('  read %.2f s, analyse %.2f s, total %.2f s' % (s['load'], s['analyse'], s['total']))" "$1"
}
split "$DIR/cx_compact/summary.json"
if [[ $FULL == 1 ]]; then
  run agglo:all-years:full all-years "$AGGLO_BIN" --threads "$THREADS" --quiet --timings complexity --exports "$DATA" -o "$DIR/cx_full"
fi
run agglo:one-year one-year "$AGGLO_BIN" --threads "$THREADS" --quiet --timings complexity --exports "$DATA" --year "$LAST" -o "$DIR/cx_one"
run agglo:one-year:compact one-year "$AGGLO_BIN" --threads "$THREADS" --quiet --timings complexity --exports "$DATA" --year "$LAST" --tables eci,pci,coi -o "$DIR/cx_one_c"
OMP_NUM_THREADS=$THREADS OPENBLAS_NUM_THREADS=$THREADS run numpy:one-year one-year "$PYTHON" "$ROOT/bench/bench_complexity.py" numpy "$DATA" "$LAST"
cat "$DIR/out_numpy:one-year.txt"
awk -v a="$T_agglo_one_year_compact" -v n="$T_numpy_one_year" 'BEGIN {printf "numpy / agglo (one year, compact) = %.1f×\n", n / a}'
