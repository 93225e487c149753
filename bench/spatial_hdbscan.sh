#!/usr/bin/env bash
# HDBSCAN* benchmark (issue 5): `agglo hdbscan` on 1,000,000 establishments (goal: < 60 s and
# < 2 GB on 2 cores), then agglo and R's dbscan::hdbscan side by side at sizes R can hold
# (its mutual reachability distance matrix takes 8·n²/2 bytes, twice: 20,000 points ≈ 3.2 GB,
# 50,000 ≈ 20 GB, 100,000 ≈ 80 GB). Reports wall time and peak RSS (/usr/bin/time -v) of each
# whole process (read, cluster, write), the ratio, and the adjusted Rand index of the two
# partitions. agglo runs with --convention r-dbscan and min-samples = min-cluster-size =
# R's minPts, i.e. R's settings. scikit-learn in Debian 12 (1.2) has no HDBSCAN (added in
# 1.3), so R is the only reference.
#
#   bash bench/spatial_hdbscan.sh [AGGLO_BINARY]
# Environment: R_SIZES (default "5000 10000 20000"), MIN_CLUSTER_SIZE (1M run, default 50),
# MIN_SAMPLES (1M run, default 10), MINPTS (side by side, default 25), WAIT_IDLE (s).
# Data: the first rows of `agglo synth --preset national` (lon/lat, planted clusters); the
# first N rows are one compact region, so the small sizes still hold clusters.
# Results: bench/results/spatial_hdbscan.txt.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib/idle.sh"
AGGLO=${1:-$HERE/../build/agglo}
N=1000000
R_SIZES=${R_SIZES:-5000 10000 20000}
MCS=${MIN_CLUSTER_SIZE:-50}
MS=${MIN_SAMPLES:-10}
MINPTS=${MINPTS:-25}
WORK=${WORK:-/tmp/agglo-bench-hdbscan}
OUT=$HERE/results/spatial_hdbscan.txt
mkdir -p "$WORK" "$HERE/results"
if [[ ! -f $WORK/est1m.csv ]]; then
  "$AGGLO" synth --preset national --quiet -o "$WORK/national/"
  head -n $((N + 1)) "$WORK/national/establishments.csv" > "$WORK/est1m.csv"
  rm -rf "$WORK/national"
fi

peak_mb() { awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$1"; }
wall() { awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$1" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }'; }

{
  echo "# bench/spatial_hdbscan.sh — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, $(uname -m), $(free -g | awk '/Mem:/ {print $2}') GB RAM"
  echo "# R $(Rscript -e 'cat(R.version$major, R.version$minor, sep=".")'), dbscan $(Rscript -e 'cat(as.character(packageVersion("dbscan")))'); sklearn $(/usr/bin/python3 -c 'import sklearn; print(sklearn.__version__)') has no HDBSCAN"
  echo
  echo "## agglo hdbscan, $N establishments (lon/lat), --min-cluster-size $MCS --min-samples $MS, 2 threads"
  echo "idle before run: $(wait_idle)%"
  /usr/bin/time -v "$AGGLO" --threads 2 --quiet hdbscan --establishments "$WORK/est1m.csv" --min-cluster-size "$MCS" \
    --min-samples "$MS" -o "$WORK/agglo1m.csv" 2> "$WORK/agglo1m.time"
  echo "wall $(wall "$WORK/agglo1m.time") s, peak RSS $(peak_mb "$WORK/agglo1m.time") MB"
  /usr/bin/python3 -c "import json; s = json.load(open('$WORK/agglo1m.summary.json')); print(f\"clusters {s['clusters']}, noise {s['noise']}\")"
  echo
  echo "## side by side with R dbscan::hdbscan (minPts = $MINPTS; agglo --convention r-dbscan), 2 threads for agglo, R single-threaded"
  printf '%8s %10s %10s %10s %10s %9s   %s\n' n agglo_s agglo_MB R_s R_MB ratio agreement
  for n in $R_SIZES; do
    head -n $((n + 1)) "$WORK/est1m.csv" > "$WORK/est$n.csv"
    wait_idle > /dev/null
    /usr/bin/time -v "$AGGLO" --threads 2 --quiet hdbscan --establishments "$WORK/est$n.csv" --min-cluster-size "$MINPTS" \
      --convention r-dbscan -o "$WORK/agglo$n.csv" 2> "$WORK/agglo$n.time"
    wait_idle > /dev/null
    if /usr/bin/time -v timeout 1800 Rscript "$HERE/spatial_hdbscan_reference.R" "$WORK/est$n.csv" "$MINPTS" "$WORK/r$n.txt" \
      > "$WORK/r$n.log" 2> "$WORK/r$n.time"; then
      AW=$(wall "$WORK/agglo$n.time"); RW=$(wall "$WORK/r$n.time")
      printf '%8d %10.2f %10s %10.2f %10s %8.1fx   %s\n' "$n" "$AW" "$(peak_mb "$WORK/agglo$n.time")" "$RW" \
        "$(peak_mb "$WORK/r$n.time")" "$(echo "$RW / $AW" | bc -l)" \
        "$(/usr/bin/python3 "$HERE/spatial_hdbscan_compare.py" "$WORK/agglo$n.csv" "$WORK/r$n.txt")"
    else
      printf '%8d %10.2f %10s %10s %10s %9s   %s\n' "$n" "$(wall "$WORK/agglo$n.time")" "$(peak_mb "$WORK/agglo$n.time")" \
        failed "$(peak_mb "$WORK/r$n.time")" - "R: $(tail -n 1 "$WORK/r$n.log" "$WORK/r$n.time" | grep -v '^==' | head -n 2 | tr '\n' ' ')"
    fi
  done
} | tee "$OUT"
