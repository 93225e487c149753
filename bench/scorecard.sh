#!/usr/bin/env bash
# Benchmark of the composite index's uncertainty analysis at the size of issue 14:
# 3,000 regions × 67 clusters × 17 criteria, 10,000 Monte-Carlo draws, 2 threads.
#
#   bash bench/scorecard.sh [draws] [threads]
#
# Data: bench/scorecard_data.py (seeded, synthetic; written to $AGGLO_BENCH_DIR, default
# /tmp/agglo_bench/scorecard, never into the repository). Runs
#   agglo index --indicators … --tree … --by cluster --uncertainty N --node-scores inner
# under /usr/bin/time -v and appends wall time, CPU time, peak RSS and the load average to
# bench/results/scorecard.csv with the engine's commit.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
AGGLO=${AGGLO:-$ROOT/build/agglo}
DRAWS=${1:-10000}
THREADS=${2:-2}
DIR=${AGGLO_BENCH_DIR:-/tmp/agglo_bench}/scorecard
mkdir -p "$DIR"
if [ ! -f "$DIR/indicators.csv" ]; then /usr/bin/python3 "$HERE/scorecard_data.py" "$DIR" 3000 67 14; fi
cat "$DIR/indicators.csv" > /dev/null  # warm page cache
LOAD=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
rm -rf "$DIR/out"
/usr/bin/time -v "$AGGLO" index --indicators "$DIR/indicators.csv" --tree "$DIR/tree.csv" --by cluster \
  --uncertainty "$DRAWS" --threads "$THREADS" --node-scores inner -o "$DIR/out" --quiet 2> "$DIR/time.txt"
WALL=$(grep "Elapsed (wall clock)" "$DIR/time.txt" | awk '{print $NF}' | awk -F: '{ if (NF == 3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
USER_S=$(grep "User time" "$DIR/time.txt" | awk '{print $NF}')
SYS_S=$(grep "System time" "$DIR/time.txt" | awk '{print $NF}')
RSS_MB=$(grep "Maximum resident" "$DIR/time.txt" | awk '{printf "%.0f", $NF/1024}')
RESULTS=$ROOT/bench/results/scorecard.csv
[ -f "$RESULTS" ] || echo "date,regions,clusters,criteria,draws,threads,wall_s,cpu_s,peak_rss_mb,load1_5_15,commit" > "$RESULTS"
CPU=$(echo "$USER_S + $SYS_S" | bc)
echo "$(date -u +%Y-%m-%dT%H:%M:%S),3000,67,17,$DRAWS,$THREADS,$WALL,$CPU,$RSS_MB,$LOAD,$COMMIT" >> "$RESULTS"
echo "index with $DRAWS draws on $THREADS threads: ${WALL} s wall, ${CPU} s CPU, ${RSS_MB} MB peak RSS (load $LOAD)"
