#!/usr/bin/env bash
# Generation benchmark of the national synthetic economy (agglo synth --preset national).
#
#   bench/synth_national.sh
#
# For each thread count in THREADS and each of RUNS runs: `agglo synth --preset national -o DIR`
# under /usr/bin/time -v. Reports every table's rows (as agglo prints them), generation + write
# wall time, peak RSS ("Maximum resident set size") and output size; checks that every run wrote
# byte-identical files (the same preset and seed must give the same files for any --threads).
# Appends one row per table and run to RESULTS (long format; the run's seconds, peak RSS and
# total output size repeat on each of its rows).
#
# Environment (defaults): AGGLO_BENCH_DIR=/tmp/agglo_bench  AGGLO_BIN=<repo>/build/agglo
#   THREADS="2 1"  RUNS=2  SEED=(agglo's default)  RESULTS=<repo>/bench/results/synth_national.csv
#   AGGLO_COMMIT=<git HEAD>  label of the measured engine in RESULTS
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
AGGLO_BIN=${AGGLO_BIN:-$ROOT/build/agglo}
DIR=${AGGLO_BENCH_DIR:-/tmp/agglo_bench}
THREADS=${THREADS:-2 1}
RUNS=${RUNS:-2}
SEED=${SEED:-}
RESULTS=${RESULTS:-$ROOT/bench/results/synth_national.csv}

[[ -x "$AGGLO_BIN" ]] || { echo "no agglo binary at $AGGLO_BIN (build first: ninja -C build)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "needs GNU time at /usr/bin/time" >&2; exit 2; }
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd -P)
case "$DIR/" in "$(cd "$ROOT" && pwd -P)/"*) echo "AGGLO_BENCH_DIR must be outside the repository" >&2; exit 2 ;; esac
mkdir -p "$(dirname "$RESULTS")"
[[ -s $RESULTS ]] || echo "date,preset,seed,threads,run,table,rows,table_mb,seconds,peak_rss_mb,output_mb,identical,commit" > "$RESULTS"
# Which engine was measured (AGGLO_COMMIT overrides, e.g. for a saved copy of an older build).
commit=${AGGLO_COMMIT:-}
if [[ -z $commit ]]; then
  commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  git -C "$ROOT" diff --quiet HEAD -- src include 2>/dev/null || commit="$commit+dirty"
fi

date=$(date -Iseconds)
ref_sum=""
printf '%-8s %-4s %9s %12s %10s %s\n' threads run seconds "peak RSS MB" "output MB" "identical to first run"
for t in $THREADS; do
  for ((r = 1; r <= RUNS; r++)); do
    out=$DIR/synth_national_t${t}
    rm -rf "$out"
    seed_args=()
    [[ -n $SEED ]] && seed_args=(--seed "$SEED")
    /usr/bin/time -v -o "$DIR/synth.time" "$AGGLO_BIN" synth --preset national --threads "$t" \
      "${seed_args[@]}" --progress never -o "$out" > "$DIR/synth.out" 2> "$DIR/synth.err" \
      || { echo "agglo synth failed:" >&2; cat "$DIR/synth.err" >&2; exit 1; }
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
             for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$DIR/synth.time")
    rss_mb=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$DIR/synth.time")
    out_mb=$(du -sb "$out" | awk '{ printf "%.1f", $1 / 1e6 }')
    sum=$(cd "$out" && cat $(ls | sort) | md5sum | cut -d' ' -f1)
    [[ -z $ref_sum ]] && ref_sum=$sum
    same=$([[ $sum == "$ref_sum" ]] && echo yes || echo no)
    printf '%-8s %-4s %9s %12s %10s %s\n' "$t" "$r" "$secs" "$rss_mb" "$out_mb" "$same"
    # "establishments.csv        2000101 rows" → table,rows,MB
    while read -r file rows _; do
      mb=$(stat -c %s "$out/$file" | awk '{ printf "%.2f", $1 / 1e6 }')
      echo "$date,national,${SEED:-default},$t,$r,${file%.csv},$rows,$mb,$secs,$rss_mb,$out_mb,$same,$commit" >> "$RESULTS"
    done < <(grep -E '^[A-Za-z_]+\.csv +[0-9]+ rows' "$DIR/synth.out")
  done
done
echo
echo "tables of the national preset (last run):"
grep -E '^[A-Za-z_]+\.csv +[0-9]+ rows' "$DIR/synth.out" | while read -r file rows _; do
  printf '  %-24s %10s rows %9s MB\n' "$file" "$rows" "$(stat -c %s "$out/$file" | awk '{ printf "%.1f", $1 / 1e6 }')"
done
echo "appended to $RESULTS"
