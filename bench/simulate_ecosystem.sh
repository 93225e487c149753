#!/usr/bin/env bash
# Simulation benchmarks (issue 8), each under /usr/bin/time -v (wall time, peak RSS):
#  1. ecosystem model with 1,000,000 firms (100 regions × 10,000, scale=250): agent-updates per
#     second, from two runs of S1 and S2 steps so that set-up time cancels:
#     rate = (updates(S2) − updates(S1)) / (wall(S2) − wall(S1)); updates = the runs' agent_updates.
#     The same with institutions and ties on (a university, a research centre and a cluster
#     organisation in the focal region of 10,000 firms: recruitment, ~20,000 member ties carrying
#     innovations, partner boosts) to show what the extended model costs.
#  2. Schelling "large" declaration (8,000 agents, 100×100, min_happy 8, radius 2; run until all
#     are happy, at most 20 steps) for R replicates: steps per second = Σ steps_run / wall.
#  3. Schelling "small" declaration (1,000 agents, 40×40, 3, radius 1) likewise.
# The machine is shared and noisy (other builds run on the same 2 cores): each timed run first
# waits (bench/lib/idle.sh, at most WAIT_IDLE s) for ≥ 85 % idle CPUs and the idle share is
# printed; treat the figures as lower bounds for rates and upper bounds for times.
#
# Environment: AGGLO_BIN=/tmp/build-simulate/agglo THREADS=2 S1=5 S2=25 R=200
#              RESULTS=<repo>/bench/results/simulate_ecosystem.txt
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
AGGLO_BIN=${AGGLO_BIN:-$ROOT/build/agglo}
THREADS=${THREADS:-2}
S1=${S1:-5}; S2=${S2:-25}; R=${R:-200}
RESULTS=${RESULTS:-$ROOT/bench/results/simulate_ecosystem.txt}
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
# shellcheck source=lib/idle.sh
source "$ROOT/bench/lib/idle.sh"

timed() {  # label, command… → prints "wall_s rss_mb idle_pct cpu_s" (cpu = user + system)
  local label=$1; shift
  local idle
  idle=$(wait_idle)
  /usr/bin/time -v "$@" > "$TMP/$label.out" 2> "$TMP/$label.time"
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$TMP/$label.time")
  rss=$(awk -F': ' '/Maximum resident set size/{printf "%.1f", $2/1024}' "$TMP/$label.time")
  cpu=$(awk -F': ' '/User time|System time/{s+=$2} END{printf "%.2f", s}' "$TMP/$label.time")
  echo "$wall $rss $idle $cpu"
}
sum_col() {  # csv, column name → sum
  awk -F, -v c="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==c) k=i; next} {s+=$k} END{printf "%.0f", s}' "$1"
}

ECO="regions=100,scale=250,n_focal=40,n_other=40"
{
  echo "# agglo simulate benchmarks — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, --threads $THREADS"
  echo "# machine shared with other builds: rates are lower bounds"
  eco_rate() {  # label, extra params → one line per run and the rate
    local label=$1 params=$2
    read -r w1 r1 i1 c1 < <(timed "$label"1 "$AGGLO_BIN" --threads "$THREADS" simulate --model ecosystem --param "$params" --steps "$S1" -o "$TMP/${label}1")
    read -r w2 r2 i2 c2 < <(timed "$label"2 "$AGGLO_BIN" --threads "$THREADS" simulate --model ecosystem --param "$params" --steps "$S2" -o "$TMP/${label}2")
    u1=$(sum_col "$TMP/${label}1/runs.csv" agent_updates); u2=$(sum_col "$TMP/${label}2/runs.csv" agent_updates)
    firms=$(awk -F, 'NR==1{for(i=1;i<=NF;i++) if($i=="firms") k=i; next} {print $k}' "$TMP/${label}2/runs.csv")
    rate=$(awk -v a="$u1" -v b="$u2" -v x="$w1" -v y="$w2" 'BEGIN{printf "%.1f", (b-a)/(y-x)/1e6}')
    echo "$label: steps $S1 → wall ${w1} s, peak RSS ${r1} MB (${i1} % idle before); steps $S2 → wall ${w2} s, peak RSS ${r2} MB (${i2} % idle)"
    echo "$label: agent updates $u1 → $u2, firms at the end $firms"
    echo "$label: ${rate} million agent-updates per second (difference of the two runs)"
    # On a loaded machine wall time counts other jobs' time slices; CPU time (user + system)
    # does not: updates per CPU-second × THREADS is what THREADS idle cores would give.
    echo "$label: $(awk -v a="$u1" -v b="$u2" -v x="$c1" -v y="$c2" -v t="$THREADS" 'BEGIN{printf "%.1f", (b-a)/(y-x)/1e6}') million agent-updates per CPU-second (× $THREADS threads = $(awk -v a="$u1" -v b="$u2" -v x="$c1" -v y="$c2" -v t="$THREADS" 'BEGIN{printf "%.1f", t*(b-a)/(y-x)/1e6}') M/s on idle cores)"
  }
  eco_rate "ecosystem 1M firms" "$ECO"
  eco_rate "ecosystem 1M firms + institutions and ties" "$ECO,universities=1,research_centres=1,cluster_orgs=1"
  read -r w3 r3 i3 _ < <(timed sl "$AGGLO_BIN" --threads "$THREADS" simulate --model schelling --param width=100,height=100,agents=8000,min_happy=8,radius=2 --steps 20 --replicates "$R" -o "$TMP/sl")
  s3=$(sum_col "$TMP/sl/runs.csv" steps_run)
  echo "schelling large: $R runs, $s3 steps in ${w3} s → $(awk -v s="$s3" -v w="$w3" 'BEGIN{printf "%.0f", s/w}') steps/s ($(awk -v s="$s3" -v w="$w3" -v r="$R" 'BEGIN{printf "%.2f", w/r*1000}') ms per run, 2 threads over replicates), peak RSS ${r3} MB (${i3} % idle before)"
  read -r w4 r4 i4 _ < <(timed ss "$AGGLO_BIN" --threads "$THREADS" simulate --model schelling --steps 20 --replicates "$R" -o "$TMP/ss")
  s4=$(sum_col "$TMP/ss/runs.csv" steps_run)
  echo "schelling small: $R runs, $s4 steps in ${w4} s → $(awk -v s="$s4" -v w="$w4" 'BEGIN{printf "%.0f", s/w}') steps/s ($(awk -v s="$s4" -v w="$w4" -v r="$R" 'BEGIN{printf "%.2f", w/r*1000}') ms per run), peak RSS ${r4} MB (${i4} % idle before)"
} | tee "$RESULTS"
