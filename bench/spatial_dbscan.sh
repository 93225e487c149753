#!/usr/bin/env bash
# DBSCAN on 1,000,000 establishments: `agglo dbscan` vs sklearn.cluster.DBSCAN, side by side in
# one run, on 2 threads each. Reports wall time and peak RSS (/usr/bin/time -v) of each whole
# process (read CSV, cluster, write labels), the ratio, and the adjusted Rand index between the
# two labelings. Goal of issue 5: under 3 s on 2 cores.
#
#   bash bench/spatial_dbscan.sh [AGGLO_BINARY] [EPS_KM] [MIN_POINTS]
# Needs /usr/bin/python3 with sklearn and pandas (Debian: apt-get install python3-sklearn).
# Data: the first 1,000,000 establishments of `agglo synth --preset national` (lon/lat,
# planted clusters at known distance scales). Results: bench/results/spatial_dbscan.txt.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
AGGLO=${1:-$HERE/../build/agglo}
EPS=${2:-1}
MINPTS=${3:-10}
N=1000000
WORK=${WORK:-/tmp/agglo-bench-spatial}
OUT=$HERE/results/spatial_dbscan.txt
mkdir -p "$WORK" "$HERE/results"
if [[ ! -f $WORK/est.csv ]]; then
  "$AGGLO" synth --preset national --quiet -o "$WORK/national/"
  head -n $((N + 1)) "$WORK/national/establishments.csv" > "$WORK/est.csv"
  rm -rf "$WORK/national"
fi

peak() { awk -F': ' '/Maximum resident set size/ {print $2}' "$1"; }
wall() { awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$1" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }'; }

/usr/bin/time -v "$AGGLO" --threads 2 --quiet dbscan --establishments "$WORK/est.csv" --eps "$EPS" \
  --min-points "$MINPTS" -o "$WORK/agglo.csv" 2> "$WORK/agglo.time"
/usr/bin/time -v /usr/bin/python3 "$HERE/spatial_dbscan_sklearn.py" "$WORK/est.csv" "$EPS" "$MINPTS" 2 \
  "$WORK/sklearn.txt" > "$WORK/sklearn.log" 2> "$WORK/sklearn.time"
ARI=$(/usr/bin/python3 "$HERE/spatial_dbscan_compare.py" "$WORK/agglo.csv" "$WORK/sklearn.txt")

AW=$(wall "$WORK/agglo.time"); SW=$(wall "$WORK/sklearn.time")
AR=$(peak "$WORK/agglo.time"); SR=$(peak "$WORK/sklearn.time")
{
  echo "# bench/spatial_dbscan.sh — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, $(uname -m)"
  echo "# $N establishments (agglo synth --preset national, first $N rows), lon/lat, eps = $EPS km, min-points = $MINPTS, 2 threads / n_jobs = 2"
  echo "# sklearn $(/usr/bin/python3 -c 'import sklearn; print(sklearn.__version__)'): metric=haversine, ball_tree; agglo: grid on unit vectors, exact haversine test"
  printf '%-10s %10s %14s\n' tool wall_s peak_rss_MB
  printf '%-10s %10.2f %14.0f\n' agglo "$AW" "$(echo "$AR / 1024" | bc -l)"
  printf '%-10s %10.2f %14.0f\n' sklearn "$SW" "$(echo "$SR / 1024" | bc -l)"
  printf 'ratio sklearn/agglo: wall %.1f×, peak RSS %.1f×\n' "$(echo "$SW / $AW" | bc -l)" "$(echo "$SR / $AR" | bc -l)"
  echo "agglo:   $(/usr/bin/python3 -c "import json; s = json.load(open('$WORK/agglo.summary.json')); print(f\"clusters {s['clusters']}, noise {s['noise']}\")")"
  echo "sklearn: $(cat "$WORK/sklearn.log")"
  echo "$ARI"
} | tee "$OUT"
