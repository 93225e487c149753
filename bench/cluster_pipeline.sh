#!/usr/bin/env bash
# Issue 3 benchmark: the whole cluster pipeline on the national synthetic economy —
# relatedness matrices, the clustering parameter grid, validation scores (define-clusters) and
# the cluster map of every county (cluster-map) — timed with peak memory, the recovered
# clusters scored against the planted ones (adjusted Rand index), and the scaling with the
# number of industries (the same pipeline on 25 %, 50 % and 100 % of the industries).
#
#   bench/cluster_pipeline.sh
#
# Environment (defaults): AGGLO_BENCH_DIR=/tmp/agglo_bench  AGGLO_BIN=<repo>/build/agglo
#   RESULTS=<repo>/bench/results/cluster_pipeline.csv
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
AGGLO_BIN=${AGGLO_BIN:-$ROOT/build/agglo}
DIR=${AGGLO_BENCH_DIR:-/tmp/agglo_bench}
RESULTS=${RESULTS:-$ROOT/bench/results/cluster_pipeline.csv}
mkdir -p "$DIR" "$(dirname "$RESULTS")"
NAT=$DIR/national
[[ -s $NAT/employment.csv ]] || "$AGGLO_BIN" synth --preset national -o "$NAT" -q
[[ -s $RESULTS ]] || echo "date,industries_share,industries,step,seconds,peak_rss_mb,ari_traded,load1" > "$RESULTS"

# Peak RSS (MB) and wall seconds of a command, from GNU time.
measure() {
  local log=$DIR/time.log
  /usr/bin/time -v "$@" > /dev/null 2> "$log"
  local secs rss
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$log")
  echo "$secs $rss"
}

# The adjusted Rand index of define-clusters' traded assignment against the planted clusters
# (Hubert & Arabie 1985), in plain Python so no extra package is needed.
ari() {
  /usr/bin/python3 - "$1" "$NAT/truth_industries.csv" <<'PY'
import csv, sys
from collections import Counter
from math import comb
got = {r["industry"]: r["cluster"] for r in csv.DictReader(open(sys.argv[1])) if r.get("kind", "traded") == "traded"}
truth = {r["industry"]: r["cluster_id"] for r in csv.DictReader(open(sys.argv[2])) if r["kind"] == "traded"}
keys = [k for k in got if k in truth]
pairs = Counter((got[k], truth[k]) for k in keys)
a = Counter(got[k] for k in keys); b = Counter(truth[k] for k in keys)
index = sum(comb(v, 2) for v in pairs.values())
ea = sum(comb(v, 2) for v in a.values()); eb = sum(comb(v, 2) for v in b.values())
expected = ea * eb / comb(len(keys), 2)
print(f"{(index - expected) / ((ea + eb) / 2 - expected):.4f}")
PY
}

printf '%-8s %-10s %-16s %8s %10s %s\n' share industries step seconds "peak MB" ARI
for share in 25 50 100; do
  sub=$DIR/pipeline_$share
  mkdir -p "$sub"
  # Every k-th industry (deterministic), with all its rows.
  awk -F, -v s="$share" 'NR==1{print; next} {if(!($2 in keep)){n++; keep[$2]=((n*s)%100 < s)} if(keep[$2]) print}' \
    "$NAT/employment.csv" > "$sub/employment.csv"
  n_ind=$(awk -F, 'NR>1{print $2}' "$sub/employment.csv" | sort -u | wc -l)
  read -r s1 r1 < <(measure "$AGGLO_BIN" define-clusters --employment "$sub/employment.csv" -o "$sub/clusters.csv")
  score=$(ari "$sub/clusters.csv")
  read -r s2 r2 < <(measure "$AGGLO_BIN" cluster-map --employment "$sub/employment.csv" --clusters "$sub/clusters.csv" -o "$sub/map.csv")
  load=$(cut -d' ' -f1 /proc/loadavg)
  now=$(date -Iseconds)
  printf '%-8s %-10s %-16s %8s %10s %s\n' "$share%" "$n_ind" define-clusters "$s1" "$r1" "$score"
  printf '%-8s %-10s %-16s %8s %10s\n' "$share%" "$n_ind" cluster-map "$s2" "$r2"
  printf '%-8s %-10s %-16s %8s %10s\n' "$share%" "$n_ind" total "$(echo "$s1 + $s2" | bc)" "$(( r1 > r2 ? r1 : r2 ))"
  echo "$now,$share,$n_ind,define-clusters,$s1,$r1,$score,$load" >> "$RESULTS"
  echo "$now,$share,$n_ind,cluster-map,$s2,$r2,,$load" >> "$RESULTS"
done
