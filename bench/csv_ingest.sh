#!/usr/bin/env bash
# CSV ingest benchmark: agglo validate vs pandas read_csv on the same ≥1 GB establishments file.
#
#   bench/csv_ingest.sh [compare|memory|all]        (default: compare)
#
# compare  builds FULL (COPIES × the national preset's establishments, ~1.1 GB, 24M rows) and
#          runs, side by side and interleaved, RUNS times each (TOOLS):
#            agglo:2       agglo validate --establishments FULL --threads 2
#            agglo:1       the same with --threads 1
#            pandas:dup    pd.read_csv(FULL, dtype={'id':str,'industry':str,'region':str})
#                          + df['id'].duplicated().any()   (same checks as validate: fair)
#            pandas:plain  the same read_csv without the duplicate check
# memory   agglo validate --threads 2 on HALF (COPIES/2 copies: half the rows and bytes) and on
#          WIDE (the HALF rows plus three ignored text columns, about FULL's size): if memory is
#          bounded by the data kept, peak RSS follows rows (HALF ≈ WIDE ≈ FULL/2), not bytes.
#
# Every run is timed with /usr/bin/time -v (wall clock, "Maximum resident set size"). Each file
# is read once with cat before timing, so every timed run is a warm-cache read (the page cache
# holds the file; 23 GB RAM). Rows are appended to RESULTS and a table is printed.
#
# Environment (defaults):
#   AGGLO_BENCH_DIR=/tmp/agglo_bench   where the data files go (never inside the repository)
#   AGGLO_BIN=<repo>/build/agglo       PYTHON=/usr/bin/python3 (Debian python3-pandas)
#   AGGLO_COMMIT=<git HEAD>            label of the measured engine in RESULTS
#   COPIES=12  RUNS=2  TIMEOUT=900 (seconds per run; a run that hits it is recorded as timeout)
#   TOOLS="agglo:2 agglo:1 pandas:dup pandas:plain"   MEMORY_TOOLS="agglo:2"
#   RESULTS=<repo>/bench/results/csv_ingest.csv
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODE=${1:-compare}
AGGLO_BIN=${AGGLO_BIN:-$ROOT/build/agglo}
PYTHON=${PYTHON:-/usr/bin/python3}
DIR=${AGGLO_BENCH_DIR:-/tmp/agglo_bench}
COPIES=${COPIES:-12}
RUNS=${RUNS:-2}
TIMEOUT=${TIMEOUT:-900}
TOOLS=${TOOLS:-agglo:2 agglo:1 pandas:dup pandas:plain}
MEMORY_TOOLS=${MEMORY_TOOLS:-agglo:2}
WAIT_IDLE=${WAIT_IDLE:-180}
RESULTS=${RESULTS:-$ROOT/bench/results/csv_ingest.csv}

case "$MODE" in compare|memory|all) ;; *) echo "usage: $0 [compare|memory|all]" >&2; exit 2 ;; esac
[[ -x "$AGGLO_BIN" ]] || { echo "no agglo binary at $AGGLO_BIN (build first: ninja -C build)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }
"$PYTHON" -c 'import pandas' || { echo "$PYTHON cannot import pandas (apt-get install python3-pandas)" >&2; exit 2; }
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd -P)
case "$DIR/" in "$(cd "$ROOT" && pwd -P)/"*) echo "AGGLO_BENCH_DIR must be outside the repository" >&2; exit 2 ;; esac

BASE_DIR=$DIR/national
BASE=$BASE_DIR/establishments.csv
RAW=$(mktemp "$DIR/csv_ingest.raw.XXXXXX")
trap 'rm -f "$RAW" "$RAW".*' EXIT

log() { printf '[csv_ingest] %s\n' "$*" >&2; }

# The national preset's establishments (2,000,101 rows, ~90 MB): the rows every file repeats.
make_base() {
  if [[ ! -s $BASE ]]; then
    log "generating the national preset into $BASE_DIR (agglo synth, ~10 s)"
    "$AGGLO_BIN" synth --preset national --threads 2 --quiet -o "$BASE_DIR" >/dev/null
  fi
}

# make_file OUT COPIES WIDE: the base rows COPIES times, streamed, ids rewritten e1 → e<k>_1 so
# every id stays unique; WIDE=1 appends three text columns that no spec asks for.
make_file() {
  local out=$1 copies=$2 wide=$3
  local meta="copies=$copies wide=$wide base=$(stat -c %s "$BASE")"
  if [[ -s $out && -f $out.meta && "$(cat "$out.meta")" == "$meta" ]]; then return; fi
  log "writing $out ($copies copies, wide=$wide)"
  local extra_h="" extra_r=""
  if [[ $wide == 1 ]]; then
    extra_h=",name,street,city"
    extra_r=",Acme Components LLC,1200 Industrial Pkwy,Springfield"
  fi
  {
    printf '%s%s\n' "$(head -n 1 "$BASE")" "$extra_h"
    for ((k = 0; k < copies; k++)); do
      tail -n +2 "$BASE" | sed -e "s/^e/e${k}_/" -e "s/\$/${extra_r}/"
    done
  } > "$out.tmp"
  mv "$out.tmp" "$out"
  printf '%s' "$meta" > "$out.meta"
}

source "$ROOT/bench/lib/idle.sh"  # idle_pct, wait_idle

# run_one LABEL FILE TOOL RUN: one timed run, one line appended to $RAW.
run_one() {
  local label=$1 file=$2 tool=$3 run=$4
  local kind=${tool%%:*} arg=${tool#*:} threads out tf status=ok rc=0 rows
  out=$RAW.out; tf=$RAW.time
  local idle=100
  ((WAIT_IDLE > 0)) && idle=$(wait_idle)
  case $kind in
    agglo)
      threads=$arg
      timeout "$TIMEOUT" /usr/bin/time -v -o "$tf" "$AGGLO_BIN" validate --establishments "$file" \
        --threads "$threads" --progress never >"$out" 2>"$RAW.err" || rc=$?
      rows=$(sed -n 's/.*: \([0-9]*\) rows;.*/\1/p' "$out" | head -n 1) ;;
    pandas)
      threads=1
      timeout "$TIMEOUT" /usr/bin/time -v -o "$tf" "$PYTHON" "$ROOT/bench/pandas_read.py" "$file" "$arg" \
        >"$out" 2>"$RAW.err" || rc=$?
      rows=$(sed -n 's/^rows=\([0-9]*\).*/\1/p' "$out") ;;
    *) echo "unknown tool $tool" >&2; exit 2 ;;
  esac
  if [[ $rc == 124 ]]; then status=timeout; elif [[ $rc != 0 ]]; then status=exit$rc; fi
  local secs rss cpu
  # "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.34" → seconds.
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
           for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$tf" 2>/dev/null || true)
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tf" 2>/dev/null || true)
  cpu=$(awk -F': ' '/(User|System) time \(seconds\)/ { s += $2 } END { print s }' "$tf" 2>/dev/null || true)
  [[ $status == timeout ]] && secs=$TIMEOUT
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$(stat -c %s "$file")" "$kind" \
    "$arg" "$threads" "$run" "${secs:-}" "${rss:-}" "${rows:-}" "$status" "${cpu:-}" "$idle" >> "$RAW"
  log "$(printf '%-6s %-13s run %s: %8ss (cpu %ss)  peak RSS %6s MB  rows %s  %s  (idle before: %s%%)' \
    "$label" "$tool" "$run" "${secs:-?}" "${cpu:-?}" "$(( ${rss:-0} / 1024 ))" "${rows:-?}" "$status" "$idle")"
  [[ $status == ok ]] || { log "stderr:"; tail -n 5 "$RAW.err" >&2; }
}

# bench_file LABEL FILE "TOOLS": RUNS rounds, tools interleaved within a round.
bench_file() {
  local label=$1 file=$2 tools=$3
  log "warming the page cache: cat $file"
  cat "$file" > /dev/null
  for ((r = 1; r <= RUNS; r++)); do
    for t in $tools; do run_one "$label" "$file" "$t" "$r"; done
  done
}

make_base
if [[ $MODE == compare || $MODE == all ]]; then
  make_file "$DIR/full.csv" "$COPIES" 0
  bench_file full "$DIR/full.csv" "$TOOLS"
fi
if [[ $MODE == memory || $MODE == all ]]; then
  make_file "$DIR/half.csv" $((COPIES / 2)) 0
  make_file "$DIR/wide.csv" $((COPIES / 2)) 1
  bench_file half "$DIR/half.csv" "$MEMORY_TOOLS"
  bench_file wide "$DIR/wide.csv" "$MEMORY_TOOLS"
fi

# Which engine was measured: the repository's commit, "+dirty" when engine sources differ from it.
# AGGLO_COMMIT overrides it (e.g. when AGGLO_BIN is a saved copy of an older build).
commit=${AGGLO_COMMIT:-}
if [[ -z $commit ]]; then
  commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  git -C "$ROOT" diff --quiet HEAD -- src include 2>/dev/null || commit="$commit+dirty"
fi
"$PYTHON" "$ROOT/bench/ingest_table.py" "$RAW" "$RESULTS" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$commit"
