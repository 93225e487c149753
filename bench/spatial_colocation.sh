#!/usr/bin/env bash
# Co-location patterns: `agglo colocation` vs the textbook join-based miner of Huang, Shekhar &
# Xiong (2004) written in Python (bench/spatial_colocation_reference.py: scipy cKDTree for the
# neighbour pairs, row-instance tables joined level by level). There is no Debian package for
# co-location mining, so this is the tool a user would otherwise write. Side by side in one
# run, each whole process (read CSV, mine, write) timed with /usr/bin/time -v (wall, peak RSS);
# agglo on 2 threads. Reports the ratio and the agreement (same prevalent patterns, largest
# participation-index difference).
#
#   bash bench/spatial_colocation.sh [AGGLO_BINARY] [DISTANCE] [MIN_PREVALENCE] [MAX_SIZE]
# Data: bench/spatial_colocation_data.py — 100,000 establishments of 50 industries in a
# 50 km × 50 km square (x,y in km, 25 districts as the region column) with four planted groups
# of co-located industries; the 20,000-establishment run uses the first 20,000 rows (a random
# subsample). The reference is also tried on all 100,000 with a time limit (REF_LIMIT s,
# default 900); it holds every row instance in memory and had reached 15.6 GB after 600 s on the
# recorded run — set REF_100K=0 to skip it on a machine with less memory.
# Results: bench/results/spatial_colocation.txt.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib/idle.sh"
AGGLO=${1:-$HERE/../build/agglo}
D=${2:-0.3}
THETA=${3:-0.1}
K=${4:-4}
REF_LIMIT=${REF_LIMIT:-900}
WORK=${WORK:-/tmp/agglo-bench-colocation}
OUT=$HERE/results/spatial_colocation.txt
mkdir -p "$WORK" "$HERE/results"
if [[ ! -f $WORK/est100k.csv ]]; then
  /usr/bin/python3 "$HERE/spatial_colocation_data.py" 100000 50 1 "$WORK/est100k.csv"
  head -n 20001 "$WORK/est100k.csv" > "$WORK/est20k.csv"
fi

peak() { awk -F': ' '/Maximum resident set size/ {print $2}' "$1"; }
wall() { awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$1" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }'; }
row() { printf '%-22s %10.2f %14.0f\n' "$1" "$(wall "$2")" "$(echo "$(peak "$2") / 1024" | bc -l)"; }
ratio() { printf '%s: wall %.1f×, peak RSS %.1f×\n' "$1" "$(echo "$(wall "$3") / $(wall "$2")" | bc -l)" "$(echo "$(peak "$3") / $(peak "$2")" | bc -l)"; }

# --min-support 1: the reference implements the plain definition of Huang et al. (2004).
run_agglo() {  # name csv threads extra-args…
  local name=$1 csv=$2 threads=$3; shift 3
  /usr/bin/time -v "$AGGLO" --threads "$threads" --quiet colocation --establishments "$csv" --distance "$D" \
    --min-prevalence "$THETA" --min-support 1 --max-size "$K" "$@" -o "$WORK/$name.csv" 2> "$WORK/$name.time"
}
run_ref() {  # name csv
  local rc=0
  # time(1) outside timeout(1), so a run stopped at the limit still reports its time and peak RSS.
  /usr/bin/time -v timeout "$REF_LIMIT" /usr/bin/python3 "$HERE/spatial_colocation_reference.py" "$2" "$D" "$THETA" "$K" \
    "$WORK/$1.csv" > "$WORK/$1.log" 2> "$WORK/$1.time" || rc=$?
  return $rc
}

IDLE1=$(wait_idle)
run_agglo agglo20k "$WORK/est20k.csv" 2
run_ref ref20k "$WORK/est20k.csv"
IDLE2=$(wait_idle)
run_agglo agglo100k "$WORK/est100k.csv" 2
run_agglo agglo100k_1thread "$WORK/est100k.csv" 1
run_agglo agglo100k_by "$WORK/est100k.csv" 2 --by region
REF100=ok
if [[ ${REF_100K:-1} == 0 ]]; then REF100="skipped (REF_100K=0)"; else
run_ref ref100k "$WORK/est100k.csv" || REF100="stopped at the ${REF_LIMIT} s limit (peak RSS by then $(echo "$(peak "$WORK/ref100k.time") / 1024" | bc) MB)"
fi

{
  echo "# bench/spatial_colocation.sh — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, $(uname -m); idle before runs: ${IDLE1}%, ${IDLE2}%"
  echo "# distance = $D km, min-prevalence = $THETA, max-size = $K; agglo --threads 2 (1 where noted); reference: Python $(/usr/bin/python3 -c 'import sys; print(sys.version.split()[0])'), scipy $(/usr/bin/python3 -c 'import scipy; print(scipy.__version__)'), one thread"
  printf '%-22s %10s %14s\n' run wall_s peak_rss_MB
  row "agglo 20k" "$WORK/agglo20k.time"
  row "reference 20k" "$WORK/ref20k.time"
  row "agglo 100k" "$WORK/agglo100k.time"
  row "agglo 100k, 1 thread" "$WORK/agglo100k_1thread.time"
  row "agglo 100k --by region" "$WORK/agglo100k_by.time"
  if [[ $REF100 == ok ]]; then row "reference 100k" "$WORK/ref100k.time"; else echo "reference 100k         $REF100"; fi
  echo "(wall times are of whole processes on a shared 2-core machine; idle shares above say how loaded it was)"
  ratio "ratio reference/agglo, 20k" "$WORK/agglo20k.time" "$WORK/ref20k.time"
  [[ $REF100 == ok ]] && ratio "ratio reference/agglo, 100k" "$WORK/agglo100k.time" "$WORK/ref100k.time"
  echo "20k:  $(/usr/bin/python3 "$HERE/spatial_colocation_compare.py" "$WORK/agglo20k.csv" "$WORK/ref20k.csv")"
  echo "      reference: $(cat "$WORK/ref20k.log")"
  if [[ $REF100 == ok ]]; then
    echo "100k: $(/usr/bin/python3 "$HERE/spatial_colocation_compare.py" "$WORK/agglo100k.csv" "$WORK/ref100k.csv")"
    echo "      reference: $(cat "$WORK/ref100k.log")"
  fi
  if cmp -s "$WORK/agglo100k.csv" "$WORK/agglo100k_1thread.csv" && cmp -s "$WORK/agglo100k.participation.csv" "$WORK/agglo100k_1thread.participation.csv"; then
    echo "agglo 100k: 1 and 2 threads byte-identical"
  else
    echo "agglo 100k: 1 and 2 threads DIFFER"
  fi
  echo "agglo 100k summary: $(/usr/bin/python3 -c "
import json; s = json.load(open('$WORK/agglo100k.summary.json'))
lv = s['scopes'][0]['levels']
print(f\"{s['neighbour_pairs']} neighbour pairs; \" + '; '.join(f\"size {l['size']}: {l['candidates']} candidates, {l['pruned_by_bound']} pruned by the bound, {l['prevalent']} prevalent\" for l in lv))")"
  echo "agglo 100k --by region: $(/usr/bin/python3 -c "
import json; s = json.load(open('$WORK/agglo100k_by.summary.json'))
print(f\"{s['subregions']} districts, {s['subregion_patterns']} district patterns, {s['subregion_patterns_not_citywide']} not prevalent city-wide (share {s['share_not_citywide']:.2f})\")")"
} | tee "$OUT"
