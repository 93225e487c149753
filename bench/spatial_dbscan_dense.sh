#!/usr/bin/env bash
# DBSCAN side by side with R's dbscan package and scikit-learn, on dense and sparse points
# (issue 21, item 1). One run measures, for each size N (default 300,000 and 3,000,000):
#   dense   — N points in 40 tight blobs (bench/spatial_dbscan_points.py), eps 0.3, minPts 10:
#             agglo on 1 and 2 threads, R dbscan::dbscan (single-threaded), sklearn DBSCAN with
#             n_jobs=1 (only up to SKLEARN_MAX points: at 3,000,000 dense points its
#             precomputed neighbourhoods need about 3·10⁸ indices, several GB);
#   sparse  — N uniform points (≈ 0.03 neighbours within eps: nearly all noise), agglo against
#             BEFORE, the binary of the previous implementation, when given;
#   lonlat  — the dense blobs on the sphere (km), agglo against BEFORE.
# Times: the clustering alone (agglo --timings "dbscan" seconds; R's system.time of dbscan();
# sklearn's fit), and the whole process (read CSV, cluster, write labels) under /usr/bin/time -v
# with its peak RSS. Labels of agglo and BEFORE are compared byte for byte; agglo against R and
# sklearn by the adjusted Rand index and the noise points (border points may differ: each tool
# has its own border rule).
#
#   bash bench/spatial_dbscan_dense.sh [AGGLO] [BEFORE]
# Env: SIZES="300000 3000000", SKLEARN_MAX=300000, WORK=/tmp/agglo-bench-dbscan.
# Results: appended to bench/results/spatial_dbscan_grid.csv, summary in
# bench/results/spatial_dbscan_grid.txt.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
AGGLO=${1:-$HERE/../build/agglo}
BEFORE=${2:-}
SIZES=${SIZES:-300000 3000000}
SKLEARN_MAX=${SKLEARN_MAX:-300000}
WORK=${WORK:-/tmp/agglo-bench-dbscan}
EPS=0.3
MP=10
CSV=$HERE/results/spatial_dbscan_grid.csv
TXT=$HERE/results/spatial_dbscan_grid.txt
mkdir -p "$WORK" "$HERE/results"
COMMIT=$(git -C "$HERE" rev-parse --short HEAD 2>/dev/null || echo unknown)
STAMP=$(date -u +%Y-%m-%dT%H:%MZ)
[[ -f $CSV ]] || echo "date,commit,load_start,load_end,case,n,tool,threads,cluster_s,wall_s,peak_rss_mb,clusters,noise,vs_agglo" > "$CSV"
LOAD0=$(cut -d' ' -f1 /proc/loadavg)

peak() { awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$1"; }
wall() { awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$1" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }'; }
ROWS=()
row() { ROWS+=("$1,$2,$3,$4,$5,$6,$7,$8,$9,${10}"); printf '%-7s %9s %-13s %2s  cluster %8s s  wall %7s s  %6s MB  clusters %5s noise %8s  %s\n' "$@"; }

agglo_run() {  # binary tag case file threads → row
  local bin=$1 tag=$2 case=$3 f=$4 t=$5 n=$6
  local out=$WORK/$tag-$case-$n-t$t
  /usr/bin/time -v "$bin" --threads "$t" --quiet --timings dbscan --establishments "$f" --eps $EPS \
    --min-points $MP -o "$out.csv" 2> "$out.time" || /usr/bin/time -v "$bin" --threads "$t" --quiet dbscan \
    --establishments "$f" --eps $EPS --min-points $MP -o "$out.csv" 2> "$out.time"
  local s c z
  s=$(/usr/bin/python3 -c "import json; print(json.load(open('$out.summary.json')).get('seconds', {}).get('dbscan', ''))")
  c=$(/usr/bin/python3 -c "import json; print(json.load(open('$out.summary.json'))['clusters'])")
  z=$(/usr/bin/python3 -c "import json; print(json.load(open('$out.summary.json'))['noise'])")
  local same=""
  if [[ $tag == before ]]; then
    cmp -s "$out.csv" "$WORK/agglo-$case-$n-t$t.csv" && same="labels byte-identical" || same="LABELS DIFFER"
  fi
  row "$case" "$n" "$tag" "$t" "${s:-}" "$(wall "$out.time")" "$(peak "$out.time")" "$c" "$z" "$same"
}

for N in $SIZES; do
  for kind in dense uniform lonlat; do
    [[ -f $WORK/$kind-$N.csv ]] || /usr/bin/python3 "$HERE/spatial_dbscan_points.py" $kind "$N" "$WORK/$kind-$N.csv"
  done
  D=$WORK/dense-$N.csv
  for t in 1 2; do agglo_run "$AGGLO" agglo dense "$D" $t "$N"; done
  [[ -n $BEFORE ]] && agglo_run "$BEFORE" before dense "$D" 2 "$N"
  # R dbscan
  /usr/bin/time -v Rscript "$HERE/spatial_dbscan_r.R" "$D" $EPS $MP "$WORK/r-$N.txt" > "$WORK/r-$N.log" 2> "$WORK/r-$N.time"
  RS=$(sed -E 's/.*dbscan\(\) ([0-9.]+) s.*/\1/' "$WORK/r-$N.log")
  RC=$(sed -E 's/.*clusters ([0-9]+),.*/\1/' "$WORK/r-$N.log"); RZ=$(sed -E 's/.*noise ([0-9]+).*/\1/' "$WORK/r-$N.log")
  row dense "$N" "R-dbscan" 1 "$RS" "$(wall "$WORK/r-$N.time")" "$(peak "$WORK/r-$N.time")" "$RC" "$RZ" \
    "$(/usr/bin/python3 "$HERE/spatial_dbscan_compare.py" "$WORK/agglo-dense-$N-t1.csv" "$WORK/r-$N.txt" | cut -d';' -f1,3 | tr ',' ' ')"
  if (( N <= SKLEARN_MAX )); then
    /usr/bin/time -v /usr/bin/python3 "$HERE/spatial_dbscan_sklearn_xy.py" "$D" $EPS $MP 1 "$WORK/sk-$N.txt" \
      > "$WORK/sk-$N.log" 2> "$WORK/sk-$N.time"
    SS=$(sed -E 's/.*fit ([0-9.]+) s.*/\1/' "$WORK/sk-$N.log")
    SC=$(sed -E 's/.*clusters ([0-9]+),.*/\1/' "$WORK/sk-$N.log"); SZ=$(sed -E 's/.*noise ([0-9]+).*/\1/' "$WORK/sk-$N.log")
    row dense "$N" "sklearn" 1 "$SS" "$(wall "$WORK/sk-$N.time")" "$(peak "$WORK/sk-$N.time")" "$SC" "$SZ" \
      "$(/usr/bin/python3 "$HERE/spatial_dbscan_compare.py" "$WORK/agglo-dense-$N-t1.csv" "$WORK/sk-$N.txt" | cut -d';' -f1,3 | tr ',' ' ')"
  fi
  for t in 1 2; do
    agglo_run "$AGGLO" agglo sparse "$WORK/uniform-$N.csv" $t "$N"
    [[ -n $BEFORE ]] && agglo_run "$BEFORE" before sparse "$WORK/uniform-$N.csv" $t "$N"
  done
  agglo_run "$AGGLO" agglo lonlat "$WORK/lonlat-$N.csv" 2 "$N"
  [[ -n $BEFORE ]] && agglo_run "$BEFORE" before lonlat "$WORK/lonlat-$N.csv" 2 "$N"
done
LOAD1=$(cut -d' ' -f1 /proc/loadavg)
{
  echo "# bench/spatial_dbscan_dense.sh — $STAMP, commit $COMMIT, $(nproc) CPUs, load average $LOAD0 at start, $LOAD1 at end"
  echo "# eps $EPS, minPts $MP; R dbscan $(Rscript -e 'cat(format(packageVersion("dbscan")))'), sklearn $(/usr/bin/python3 -c 'import sklearn; print(sklearn.__version__)') n_jobs=1"
  echo "case,n,tool,threads,cluster_s,wall_s,peak_rss_mb,clusters,noise,vs_agglo"
  for r in "${ROWS[@]}"; do echo "$r"; echo "$STAMP,$COMMIT,$LOAD0,$LOAD1,$r" >> "$CSV"; done
} > "$TXT"
cat "$TXT"
