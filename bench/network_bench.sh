#!/usr/bin/env bash
# Network benchmark (issue 6): agglo network on a planted-partition graph of 1,000,000 ties,
# and agglo vs networkx on Burt's constraint and effective size, side by side in one run.
#
#   bench/network_bench.sh
#
# Data (seeded, bench/network_graph.py): BIG = 200,000 nodes, 1,000,000 ties, communities of
# 100 (the brokerage groups), 90 % of ties inside; NX = 2,000 nodes, 10,000 ties (NX_NODES,
# NX_TIES): networkx 2.8's effective_size copies the whole graph for every ego network
# (ego_graph(..., undirected=True) calls G.to_undirected()), so it is O(n·m) — 0.45 s per node
# at 10,000 nodes / 50,000 ties, over an hour for that graph. Runs, each under /usr/bin/time -v after waiting for an idle
# machine (≥ 85 % idle, at most WAIT_IDLE s):
#   agglo:local+leiden   BIG, --betweenness none --no-governance: degree, strength, closeness
#                        (skipped above the exact budget), eigenvector, coreness, constraint,
#                        effective size, brokerage with z-scores, Leiden, bridges/cut points
#   agglo:default        BIG, defaults: + sampled betweenness (256 sources) and the multi-level
#                        measures with sampled cross-cluster brokerage
#   agglo:nx-graph       NX, defaults (exact betweenness and closeness)
#   networkx:nx-graph    NX, nx.constraint + nx.effective_size (bench/network_networkx.py), which
#                        also checks every value against agglo's
# Appends to RESULTS and writes the report to bench/results/network_<commit>.txt.
#
# Environment: AGGLO_BIN=<repo>/build/agglo PYTHON=/usr/bin/python3 THREADS=2
#              AGGLO_BENCH_DIR=/tmp/agglo_bench_network WAIT_IDLE=600
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
AGGLO_BIN=${AGGLO_BIN:-$ROOT/build/agglo}
PYTHON=${PYTHON:-/usr/bin/python3}
DIR=${AGGLO_BENCH_DIR:-/tmp/agglo_bench_network}
THREADS=${THREADS:-2}
WAIT_IDLE=${WAIT_IDLE:-600}
NX_NODES=${NX_NODES:-2000}; NX_TIES=${NX_TIES:-10000}
SKIP_BIG=${SKIP_BIG:-0}   # 1: only the side-by-side networkx comparison
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
RESULTS=${RESULTS:-$ROOT/bench/results/network_runs.txt}
REPORT=$ROOT/bench/results/network_$COMMIT.txt
mkdir -p "$DIR" "$(dirname "$RESULTS")"
[[ -s $DIR/big/edges.csv ]] || "$PYTHON" "$ROOT/bench/network_graph.py" 200000 1000000 100 1 "$DIR/big"
NXD=$DIR/nx_${NX_NODES}_${NX_TIES}
[[ -s $NXD/edges.csv ]] || "$PYTHON" "$ROOT/bench/network_graph.py" "$NX_NODES" "$NX_TIES" 50 2 "$NXD"
cat "$DIR"/big/*.csv "$NXD"/*.csv > /dev/null  # warm cache

source "$ROOT/bench/lib/idle.sh"  # idle_pct, wait_idle

{
  echo "# network benchmark, commit $COMMIT, $(date -u +%FT%TZ), threads $THREADS"
  echo "# tool workload wall_s max_rss_mb cpu_s idle_pct_before"
} | tee "$REPORT"
run() {  # name command...
  local name=$1; shift
  local log=$DIR/time_${name//:/_}.log idle
  idle=$(wait_idle)
  /usr/bin/time -v "$@" > "$DIR/out_${name//:/_}.txt" 2> "$log"
  local wall rss cpu
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
  cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {printf "%.2f", s}' "$log")
  echo "$name $wall $rss $cpu $idle" | tee -a "$REPORT"
  echo "$COMMIT $name $wall $rss $cpu $idle $THREADS" >> "$RESULTS"
  eval "T_${name//[:+-]/_}=$wall"
}
rm -rf "$DIR/o_nx"; ((SKIP_BIG)) || rm -rf "$DIR/o_local" "$DIR/o_default"
if ((SKIP_BIG == 0)); then
run agglo:local+leiden "$AGGLO_BIN" --threads "$THREADS" --quiet --timings network --nodes "$DIR/big/nodes.csv" --edges "$DIR/big/edges.csv" --betweenness none --no-governance -o "$DIR/o_local"
run agglo:default "$AGGLO_BIN" --threads "$THREADS" --quiet network --nodes "$DIR/big/nodes.csv" --edges "$DIR/big/edges.csv" -o "$DIR/o_default"
fi
run agglo:nx-graph "$AGGLO_BIN" --threads "$THREADS" --quiet network --nodes "$NXD/nodes.csv" --edges "$NXD/edges.csv" -o "$DIR/o_nx"
run networkx:nx-graph "$PYTHON" "$ROOT/bench/network_networkx.py" "$NXD/edges.csv" "$DIR/o_nx/nodes.csv"
{
  if ((SKIP_BIG == 0)); then
  echo "# phases (s) agglo:local+leiden: $("$PYTHON" -c "import json,sys; print(json.load(open(sys.argv[1]))['seconds'])" "$DIR/o_local/summary.json")"
  echo "# phases (s) agglo:default: $("$PYTHON" -c "import json,sys; print(json.load(open(sys.argv[1]))['seconds'])" "$DIR/o_default/summary.json")"
  echo "# modularity (Leiden, 1M ties): $("$PYTHON" -c "import json,sys; print(json.load(open(sys.argv[1]))['modularity'])" "$DIR/o_local/summary.json")"
  fi
  echo "# phases (s) agglo:nx-graph: $("$PYTHON" -c "import json,sys; print(json.load(open(sys.argv[1]))['seconds'])" "$DIR/o_nx/summary.json")"
  echo "# networkx: $(cat "$DIR/out_networkx_nx-graph.txt")"
  "$PYTHON" - "$DIR/out_networkx_nx-graph.txt" "$DIR/o_nx/summary.json" "$T_networkx_nx_graph" "$T_agglo_nx_graph" <<'PY'
import json, sys
nx = json.load(open(sys.argv[1])); ag = json.load(open(sys.argv[2]))
nx_s = nx["constraint_s"] + nx["effective_size_s"]; ag_s = ag["seconds"]["structural_holes"]
print(f"# constraint + effective size: networkx {nx_s:.2f} s, agglo {ag_s:.4f} s -> ratio {nx_s / ag_s:.0f}x")
print(f"# whole processes: networkx {float(sys.argv[3]):.2f} s (load + two measures), agglo {float(sys.argv[4]):.2f} s (every measure) -> ratio {float(sys.argv[3]) / float(sys.argv[4]):.1f}x")
PY
} | tee -a "$REPORT"
