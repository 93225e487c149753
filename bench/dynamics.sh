#!/usr/bin/env bash
# Dynamics benchmark (issue 18), side by side in one run:
#   cox   Cox model (Efron ties) on N = 2,000,000 establishment spells with K = 20 covariates,
#         end to end from CSV: `agglo survival` vs R's survival::coxph (read.csv + coxph; the R
#         script also reports its read and fit times apart)
#   did   Callaway–Sant'Anna on 3,000 regions × 20 years with 1,000 multiplier-bootstrap draws:
#         `agglo evaluate did`. The reference implementation (R's did) is not packaged for Debian
#         and cannot be installed here (no CRAN access), so this row has no comparison.
# Each run under /usr/bin/time -v on THREADS cores; appends
# tool,workload,wall_s,max_rss_mb,threads,rows,covariates to RESULTS and prints the ratio and the
# largest coefficient difference between agglo and R.
#
#   bench/dynamics.sh          (N=2000000 K=20 UNITS=3000 YEARS=20 B=1000 THREADS=2)
#
# Data: bench/dynamics_data.py (seeded), written once into AGGLO_BENCH_DIR.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
AGGLO_BIN=${AGGLO_BIN:-$ROOT/build/agglo}
PYTHON=${PYTHON:-/usr/bin/python3}
DIR=${AGGLO_BENCH_DIR:-/tmp/agglo_bench_dynamics}
THREADS=${THREADS:-2}
N=${N:-2000000}; K=${K:-20}; UNITS=${UNITS:-3000}; YEARS=${YEARS:-20}; B=${B:-1000}
RESULTS=${RESULTS:-$ROOT/bench/results/dynamics_runs.txt}
mkdir -p "$DIR" "$(dirname "$RESULTS")"
SPELLS=$DIR/spells_${N}x${K}.csv
PANEL=$DIR/panel_${UNITS}x${YEARS}.csv
[[ -s $SPELLS ]] || { echo "writing $SPELLS" >&2; "$PYTHON" "$ROOT/bench/dynamics_data.py" spells "$SPELLS" "$N" "$K" 7; }
[[ -s $PANEL ]] || { echo "writing $PANEL" >&2; "$PYTHON" "$ROOT/bench/dynamics_data.py" panel "$PANEL" "$UNITS" "$YEARS" 7; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$SPELLS" > /dev/null
[[ -s $RESULTS ]] || echo "tool,workload,wall_s,max_rss_mb,threads,rows,covariates" > "$RESULTS"

run() {  # name workload threads rows cols command...
  local name=$1 work=$2 threads=$3 rows=$4 cols=$5; shift 5
  local log=$DIR/time_$name.log
  /usr/bin/time -v "$@" > "$DIR/out_$name.txt" 2> "$log" || echo "$name FAILED (exit $?)"
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
  echo "$name,$work,$wall,$rss,$threads,$rows,$cols" >> "$RESULTS"
  printf '%-14s %-22s %8.2f s %8s MB\n' "$name" "$work" "$wall" "$rss"
  eval "T_$name=$wall"
}
COV=$(seq -s, 1 "$K" | sed 's/\([0-9]\+\)/x\1/g')
run agglo cox-efron "$THREADS" "$N" "$K" "$AGGLO_BIN" survival --spells "$SPELLS" --time duration --event exited \
  --covariates "$COV" --threads "$THREADS" -o "$DIR/agglo_cox.csv" --quiet
run R cox-efron 1 "$N" "$K" Rscript "$ROOT/bench/dynamics_cox.R" "$SPELLS" "$K" "$DIR/r_cox.csv"
cat "$DIR/out_R.txt"
echo "ratio R / agglo (cox, end to end): $(awk -v a="$T_agglo" -v r="$T_R" 'BEGIN{printf "%.1f", r/a}')"
"$PYTHON" - "$DIR/agglo_cox.csv" "$DIR/r_cox.csv" <<'PY'
import sys, pandas as pd
a, r = pd.read_csv(sys.argv[1]), pd.read_csv(sys.argv[2])
print("max |estimate difference| %.2e, max |se difference| %.2e" % ((a.estimate - r.estimate).abs().max(), (a.std_error - r.std_error).abs().max()))
PY
run agglo_did cs-did-bootstrap "$THREADS" "$((UNITS * YEARS))" 1 "$AGGLO_BIN" evaluate did --panel "$PANEL" --unit unit --time year \
  --outcome y --cohort cohort --bootstrap "$B" --threads "$THREADS" -o "$DIR/agglo_did" --quiet
echo "did: $(grep -m1 '"att_simple"' "$DIR/agglo_did/summary.json")  (R did: not installable here, no comparison)"
