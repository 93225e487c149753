#!/usr/bin/env bash
# Centralities against igraph (issue 21, item 3): `agglo network` — every measure, exact
# betweenness and closeness by agglo's parallel Brandes pass — on 1 and 2 threads, side by side in
# one run with igraph's single-threaded exact betweenness and closeness (python-igraph 0.10, the C
# library agglo called before) on the same graph, with the values checked against igraph's.
#
#   bench/network_centrality.sh
#
# Data (seeded, bench/network_graph.py): NODES = 20,000 nodes, TIES = 100,000 ties (a little
# under after duplicates), communities of 100, 90 % of ties inside, undirected; nodes × ties
# ≤ the default exact budget (2·10⁹), so `--betweenness auto` is exact and closeness computed.
# Runs, each under /usr/bin/time -v after waiting for an idle machine (≥ 85 % idle, at most
# WAIT_IDLE s; the idle share seen is recorded):
#   agglo:threads1 / agglo:threads2   agglo network, defaults (all measures, governance included)
#   igraph:betweenness+closeness      bench/network_centrality_igraph.py: Graph.betweenness()
#                                     then Graph.closeness(), timed apart inside the process
# Checks: nodes.csv of the two agglo runs byte-identical; max relative difference of betweenness
# and closeness against igraph over all nodes. Goal: agglo (all measures) ≥ 2× faster than
# igraph's betweenness alone on 2 cores.
# Appends to RESULTS and writes bench/results/network_centrality_<commit>.txt.
#
# Environment: AGGLO_BIN=<repo>/build/agglo PYTHON=/usr/bin/python3 NODES=20000 TIES=100000
#              AGGLO_BENCH_DIR=/tmp/agglo_bench_centrality WAIT_IDLE=600
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
AGGLO_BIN=${AGGLO_BIN:-$ROOT/build/agglo}
PYTHON=${PYTHON:-/usr/bin/python3}
DIR=${AGGLO_BENCH_DIR:-/tmp/agglo_bench_centrality}
NODES=${NODES:-20000}; TIES=${TIES:-100000}
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
RESULTS=${RESULTS:-$ROOT/bench/results/network_centrality.csv}
REPORT=$ROOT/bench/results/network_centrality_$COMMIT.txt
G=$DIR/g_${NODES}_${TIES}
mkdir -p "$DIR" "$(dirname "$RESULTS")"
[[ -s $G/edges.csv ]] || "$PYTHON" "$ROOT/bench/network_graph.py" "$NODES" "$TIES" 100 1 "$G"
cat "$G"/*.csv > /dev/null  # warm cache
"$PYTHON" -c "import igraph" || { echo "python3-igraph missing (scripts/setup.sh installs it)" >&2; exit 1; }
source "$ROOT/bench/lib/idle.sh"  # idle_pct, wait_idle

[[ -s $RESULTS ]] || echo "commit,date,tool,workload,wall_s,max_rss_mb,cpu_s,idle_pct_before,load_avg" > "$RESULTS"
{
  echo "# network centrality benchmark, commit $COMMIT, $(date -u +%FT%TZ), graph $G"
  echo "# tool wall_s max_rss_mb cpu_s idle_pct_before load_avg_1min"
} | tee "$REPORT"
run() {  # name command...
  local name=$1; shift
  local log=$DIR/time_${name//[:+]/_}.log idle load
  idle=$(wait_idle)
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -v "$@" > "$DIR/out_${name//[:+]/_}.txt" 2> "$log"
  local wall rss cpu
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
  cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {printf "%.2f", s}' "$log")
  echo "$name $wall $rss $cpu $idle $load" | tee -a "$REPORT"
  echo "$COMMIT,$(date -u +%FT%TZ),$name,${NODES}x${TIES},$wall,$rss,$cpu,$idle,$load" >> "$RESULTS"
  eval "T_${name//[:+]/_}=$wall"
}
rm -rf "$DIR/o1" "$DIR/o2"
run agglo:threads1 "$AGGLO_BIN" --threads 1 --quiet --timings network --nodes "$G/nodes.csv" --edges "$G/edges.csv" -o "$DIR/o1"
run agglo:threads2 "$AGGLO_BIN" --threads 2 --quiet --timings network --nodes "$G/nodes.csv" --edges "$G/edges.csv" -o "$DIR/o2"
run igraph:betweenness+closeness "$PYTHON" "$ROOT/bench/network_centrality_igraph.py" "$G/nodes.csv" "$G/edges.csv" "$DIR/o2/nodes.csv"
{
  for t in 1 2; do
    echo "# phases (s) agglo:threads$t: $("$PYTHON" -c "import json,sys; print(json.load(open(sys.argv[1]))['seconds'])" "$DIR/o$t/summary.json")"
  done
  echo "# betweenness_method: $("$PYTHON" -c "import json,sys; print(json.load(open(sys.argv[1]))['betweenness_method'])" "$DIR/o2/summary.json")"
  if cmp -s "$DIR/o1/nodes.csv" "$DIR/o2/nodes.csv"; then echo "# nodes.csv byte-identical on 1 and 2 threads: yes"; else echo "# nodes.csv byte-identical on 1 and 2 threads: NO"; fi
  echo "# igraph: $(cat "$DIR/out_igraph_betweenness_closeness.txt")"
  "$PYTHON" - "$DIR/out_igraph_betweenness_closeness.txt" "$T_agglo_threads1" "$T_agglo_threads2" <<'PY'
import json, sys
ig = json.loads(open(sys.argv[1]).read()); t1, t2 = float(sys.argv[2]), float(sys.argv[3])
b = ig["betweenness_s"]
print(f"# ratio igraph betweenness ({b:.1f} s) / agglo network all measures: "
      f"1 thread {b / t1:.2f}x, 2 threads {b / t2:.2f}x (goal >= 2x on 2 threads: "
      f"{'met' if b / t2 >= 2 else 'NOT met'}); igraph betweenness + closeness {b + ig['closeness_s']:.1f} s")
PY
} | tee -a "$REPORT"
