#!/usr/bin/env bash
# Distance-based measures (issue 5): `agglo kdensity` and `agglo ripley` side by side with R.
#   1. Kd of an industry of 2,000 establishments among 20,000 sites, 1,000 DO counterfactuals,
#      local and global bands (goal: < 5 s on 2 cores), vs an R re-implementation of dbmss's
#      Kdhat (dbmss is not in Debian; bench/spatial_kd_reference.R) run with fewer simulations
#      (R_SIMS) and compared per simulation;
#   2. unweighted Kd over all pairs of 100,000 points (goal: < 10 s), the K-density alone; R's
#      dist() would need a 40 GB vector there, so R runs the same estimator on 10,000 points;
#   3. Ripley's K with the three corrections on 5,000 uniform points vs spatstat's Kest.
# Each line: wall time and peak RSS (/usr/bin/time -v) of the whole process, ratio R/agglo, and
# the largest difference between the two curves relative to the curve's peak.
#
#   bash bench/spatial_kd.sh [AGGLO_BINARY]
# Results: bench/results/spatial_kd.txt. The machine is shared: each timed run first waits (at
# most WAIT_IDLE s) for idle CPUs and the idle share it saw is recorded.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
AGGLO=${1:-$HERE/../build/agglo}
R_SIMS=${R_SIMS:-10}
WORK=${WORK:-/tmp/agglo-bench-kd}
OUT=$HERE/results/spatial_kd.txt
source "$HERE/lib/idle.sh"
mkdir -p "$WORK" "$HERE/results"
[[ -f $WORK/sites20k.csv ]] || /usr/bin/python3 "$HERE/spatial_kd_data.py" 20000 2000 "$WORK/sites20k.csv" 1
[[ -f $WORK/all100k.csv ]] || /usr/bin/python3 "$HERE/spatial_kd_data.py" 100000 100000 "$WORK/all100k.csv" 2
[[ -f $WORK/all10k.csv ]] || head -n 10001 "$WORK/all100k.csv" > "$WORK/all10k.csv"
if [[ ! -f $WORK/csr5k.csv ]]; then
  /usr/bin/python3 -c "
import numpy as np; g = np.random.default_rng(3); x, y = g.uniform(0, 1, 5000), g.uniform(0, 1, 5000)
open('$WORK/csr5k.csv', 'w').write('id,industry,x,y\n' + ''.join(f'p{i},A,{x[i]:.9f},{y[i]:.9f}\n' for i in range(5000)))"
fi

peak() { awk -F': ' '/Maximum resident set size/ {print $2 / 1024}' "$1"; }
wall() { awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$1" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }'; }
timed() { local tag=$1; shift; local idle; idle=$(wait_idle); echo "$idle" > "$WORK/$tag.idle"; /usr/bin/time -v "$@" > "$WORK/$tag.log" 2> "$WORK/$tag.time"; }
# largest |a − b| / max |b|: gap FILE_A COL_A FILE_B COL_B (0-based columns, rows in order)
gap() { /usr/bin/python3 -c "
import csv, math
a = [float(r[$2]) for r in list(csv.reader(open('$1')))[1:] if r[$2] not in ('', 'NA', 'NaN')]
b = [float(r[$4]) for r in list(csv.reader(open('$3')))[1:] if r[$4] not in ('', 'NA', 'NaN')]
n = min(len(a), len(b)); print(f'{max(abs(a[i] - b[i]) for i in range(n)) / max(abs(v) for v in b[:n]):.2e}')"; }

# 1. Kd, 2,000 of 20,000 sites, 1,000 simulations, DO default range (median site distance)
timed kd1 "$AGGLO" --threads 2 --quiet kdensity --establishments "$WORK/sites20k.csv" --industry REF \
  --simulations 1000 -o "$WORK/kd1"
RMAX=$(/usr/bin/python3 -c "import json; print(json.load(open('$WORK/kd1/summary.json'))['max_distance'])")
timed kd1r Rscript "$HERE/spatial_kd_reference.R" "$WORK/sites20k.csv" REF "$RMAX" 101 "$R_SIMS" "$WORK/kd1r.csv"
# 2. all pairs of 100,000 points (agglo) and 10,000 points (both)
timed kd2 "$AGGLO" --threads 2 --quiet kdensity --establishments "$WORK/all100k.csv" --industry REF \
  --no-envelope --max-distance 100 -o "$WORK/kd2"
timed kd3 "$AGGLO" --threads 2 --quiet kdensity --establishments "$WORK/all10k.csv" --industry REF \
  --no-envelope --max-distance 100 -o "$WORK/kd3"
timed kd3r Rscript "$HERE/spatial_kd_reference.R" "$WORK/all10k.csv" REF 100 101 0 "$WORK/kd3r.csv"
# 3. Ripley's K vs spatstat Kest
timed k4 "$AGGLO" --threads 2 --quiet ripley --establishments "$WORK/csr5k.csv" --window 0,0,1,1 \
  --max-distance 0.1 --points 101 -o "$WORK/k4.csv"
timed k4r Rscript "$HERE/spatial_kest_reference.R" "$WORK/csr5k.csv" 0.1 101 "$WORK/k4r.csv"

RSIM=$(sed -n 's/.*simulations [0-9.]* s (\([0-9.]*\) s each).*/\1/p' "$WORK/kd1r.log")
{
  echo "# bench/spatial_kd.sh — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, $(uname -m), agglo --threads 2; $(R --version | head -1)"
  echo "# R columns: an R re-implementation of dbmss's Kdhat (dbmss is not packaged in Debian), and spatstat's Kest"
  printf '%-52s %9s %9s %11s %6s\n' run wall_s rss_MB ratio_R/ag idle%
  row() { printf '%-52s %9.2f %9.0f %11s %6s\n' "$1" "$(wall "$WORK/$2.time")" "$(peak "$WORK/$2.time")" "$3" "$(cat "$WORK/$2.idle")"; }
  row "agglo kdensity 2k of 20k sites, 1000 sims + bands" kd1 ""
  row "R Kd re-impl. same data, $R_SIMS sims" kd1r ""
  AW=$(wall "$WORK/kd1.time")
  echo "  per simulation: R $RSIM s; agglo ≤ $(echo "$AW / 1000" | bc -l | cut -c1-6) s (whole run / 1000)  → R/agglo ≈ $(echo "$RSIM / ($AW / 1000)" | bc -l | cut -c1-6)×;" \
       "R for 1000 sims ≈ $(echo "$RSIM * 1000" | bc -l | cut -c1-7) s"
  echo "  observed curve: max |agglo − R| / peak = $(gap "$WORK/kd1r.csv" 1 "$WORK/kd1/kdensity.csv" 1); Γ = $(/usr/bin/python3 -c "import json; s = json.load(open('$WORK/kd1/summary.json')); print(round(s['gamma'], 6), 'localised' if s['localised'] else '', 'bandwidth', round(s['bandwidth'], 4), 'max_distance', round(s['max_distance'], 3))")"
  row "agglo kdensity all pairs of 100,000 points" kd2 ""
  row "agglo kdensity all pairs of 10,000 points" kd3 ""
  row "R Kd re-impl. all pairs of 10,000 points" kd3r "$(echo "$(wall "$WORK/kd3r.time") / $(wall "$WORK/kd3.time")" | bc -l | cut -c1-6)×"
  echo "  10,000-point curve: max |agglo − R| / peak = $(gap "$WORK/kd3r.csv" 1 "$WORK/kd3/kdensity.csv" 1)"
  row "agglo ripley 5,000 points, 3 corrections" k4 ""
  row "spatstat Kest 5,000 points, 3 corrections" k4r "$(echo "$(wall "$WORK/k4r.time") / $(wall "$WORK/k4.time")" | bc -l | cut -c1-6)×"
  echo "  K isotropic: max |agglo − spatstat| / peak = $(gap "$WORK/k4r.csv" 3 "$WORK/k4.csv" 4), border $(gap "$WORK/k4r.csv" 1 "$WORK/k4.csv" 2)"
  echo "  R logs: $(cat "$WORK/kd1r.log") | $(cat "$WORK/kd3r.log") | $(cat "$WORK/k4r.log")"
} | tee "$OUT"
