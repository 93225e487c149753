#!/usr/bin/env bash
# Spatial econometric models: `agglo spatial-model` vs R spatialreg, side by side in one run
# (issue 19). Cases:
#   1. the 3,191 US counties (queen contiguity, 3 islands kept, y = log area, x = lat, lon):
#      SAR and SEM by maximum likelihood against spatialreg's method "Matrix" (sparse Cholesky, its
#      fastest exact method here; R_EIGEN=1 adds its default "eigen", which takes many minutes),
#      and by GMM against stsls(robust = TRUE) and GMerrorsar;
#   2. 100,000 synthetic regions (bench/spatial_model_data.py, 6 nearest neighbours, planted
#      rho = 0.5): ML against spatialreg's "LU" (the exact method for asymmetric W);
#   3. 1,000,000 synthetic regions: GMM against stsls / GMerrorsar.
# R gets at most $R_TIMEOUT seconds per case.
#
#   bash bench/spatial_model.sh [AGGLO_BINARY]   (N_SYN=100000 N_GMM=1000000 R_TIMEOUT=900 R_EIGEN=0 R_REUSE=0)
#
# Timing. spatialreg is timed inside R around the fitting call only (reading, weights and
# nb2listw not counted). agglo reports the same span with --timings ("fit": estimation, standard
# errors and impacts with 1,000 draws); the whole process (reading, weights, fit, CSV) is shown
# beside it. The ratio compares fit with fit (for the counties: medians of REPEAT alternating runs).
# Results: bench/results/spatial_model.txt.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$HERE/..
AGGLO=${1:-$ROOT/build/agglo}
WORK=${WORK:-/tmp/agglo-bench-spatial-model}
R_TIMEOUT=${R_TIMEOUT:-900}
N_SYN=${N_SYN:-100000}
N_GMM=${N_GMM:-1000000}
OUT=$HERE/results/spatial_model.txt
TOPO=$ROOT/data/geo/us_counties_economic_areas_msas.topojson
VALS=$ROOT/tests/reference/spatial_model/county_values.csv
mkdir -p "$WORK" "$HERE/results"

# run_agglo NAME ARGS...: whole-process seconds to $WORK/NAME.wall, the summary in $WORK/NAME/.
run_agglo() {
  local name=$1; shift
  /usr/bin/time -f "%e" -o "$WORK/$name.wall" "$AGGLO" --threads 2 --quiet --timings spatial-model "$@" -o "$WORK/$name" \
    > "$WORK/$name.log" 2>&1 || { echo "agglo failed ($name): $(tail -3 "$WORK/$name.log")" >&2; exit 1; }
}
js() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); v=d
for k in sys.argv[2].split('.'): v=v[k]
print(f'{v:.4g}' if isinstance(v, float) else v)" "$WORK/$1/summary.json" "$2"; }
rfield() { awk -v m="$2" -v c="$3" '$1 == m {print $c}' "$WORK/$1" 2>/dev/null; }
ratio() { if [ -n "$1" ] && [ -n "$2" ]; then /usr/bin/python3 -c "print(f'{float(\"$1\")/float(\"$2\"):.1f}')"; else echo "-"; fi; }
# R_REUSE=1 keeps R's logs of an earlier run in $WORK (to re-time agglo alone).
rrun() {
  local log=$1; shift
  if [ "${R_REUSE:-0}" = 1 ] && [ -s "$WORK/$log" ]; then return; fi
  timeout "$R_TIMEOUT" Rscript "$HERE/spatial_model_reference.R" "$@" > "$WORK/$log" 2>/dev/null || true
}

CTY=(--regions "$TOPO" --layer counties --id fips --values "$VALS" --y log_area --x lat,lon --weights queen --islands keep)
# The counties' fits take tenths of a second, where a shared machine's noise is ±15 %: each side
# runs REPEAT times, alternating, and the median is reported.
REPEAT=${REPEAT:-5}
median_of() { /usr/bin/python3 -c "import statistics,sys; print(statistics.median(float(v) for v in sys.argv[1:]))" "$@"; }
echo "counties: agglo and spatialreg Matrix, gmm ($REPEAT times each)" >&2
for rep in $(seq "$REPEAT"); do
  for m in sar sem; do
    run_agglo "cty_${m}_r$rep" "${CTY[@]}" --model $m
    run_agglo "cty_gmm_${m}_r$rep" "${CTY[@]}" --model $m --estimator gmm
  done
  rrun "r_cty_matrix.log_r$rep" counties "$TOPO" "$VALS" Matrix
  rrun "r_cty_gmm.log_r$rep" counties "$TOPO" "$VALS" gmm
done
# Medians: the estimates are the same in every repetition, so rep 1's summary carries the median
# fit seconds, and the .wall file the median whole-process seconds.
for name in cty_sar cty_sem cty_gmm_sar cty_gmm_sem; do
  rm -rf "$WORK/$name"; cp -r "$WORK/${name}_r1" "$WORK/$name"
  med=$(median_of $(for rep in $(seq "$REPEAT"); do js "${name}_r$rep" seconds.fit; done))
  /usr/bin/python3 -c "import json,sys; p=sys.argv[1]; d=json.load(open(p)); d['seconds']['fit']=float(sys.argv[2]); json.dump(d, open(p, 'w'))" \
    "$WORK/$name/summary.json" "$med"
  median_of $(for rep in $(seq "$REPEAT"); do cat "$WORK/${name}_r$rep.wall"; done) > "$WORK/$name.wall"
done
for log in r_cty_matrix.log r_cty_gmm.log; do
  for m in sar sem; do
    echo "$m $(median_of $(for rep in $(seq "$REPEAT"); do rfield "${log}_r$rep" $m 2; done)) $(rfield "${log}_r1" $m 3) $(rfield "${log}_r1" $m 4)"
  done > "$WORK/$log"
done
if [ "${R_EIGEN:-0}" = 1 ]; then echo "counties: spatialreg eigen" >&2; rrun r_cty_eigen.log counties "$TOPO" "$VALS" eigen; fi

echo "synthetic $N_SYN and $N_GMM: data" >&2
[ -s "$WORK/syn.csv" ] || /usr/bin/python3 "$HERE/spatial_model_data.py" "$N_SYN" "$WORK/syn.csv" 1
[ -s "$WORK/syn_gmm.csv" ] || /usr/bin/python3 "$HERE/spatial_model_data.py" "$N_GMM" "$WORK/syn_gmm.csv" 1
SYN=(--id id --y yv --x x1,x2 --weights knn --k 6)
echo "synthetic: agglo" >&2
for m in sar sem; do
  run_agglo "syn_$m" --regions "$WORK/syn.csv" "${SYN[@]}" --model $m
  run_agglo "gmm_$m" --regions "$WORK/syn_gmm.csv" "${SYN[@]}" --model $m --estimator gmm
done
echo "synthetic: spatialreg LU, gmm (timeout ${R_TIMEOUT}s each)" >&2
rrun r_syn_lu.log synthetic "$WORK/syn.csv" LU
rrun r_syn_gmm.log synthetic "$WORK/syn_gmm.csv" gmm

{
  echo "# bench/spatial_model.sh — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); spatialreg $(Rscript -e 'cat(format(packageVersion("spatialreg")))' 2>/dev/null)"
  echo "# case | model | estimator | agglo fit s | agglo process s | agglo estimate | spatialreg | R fit s | R estimate | R s / agglo fit s"
  line() {  # line CASE MODEL ESTIMATOR AGGLO_NAME R_LOG R_LABEL
    local par; par=$([ "$2" = sar ] && echo rho || echo lambda)
    local a; a=$(js "$4" seconds.fit); local rs; rs=$(rfield "$5" "$2" 2)
    echo "$1 | $2 | $3 | $a | $(cat "$WORK/$4.wall") | $(js "$4" $par) | $6 | ${rs:-not finished in ${R_TIMEOUT}s} | $(rfield "$5" "$2" 3) | $(ratio "$rs" "$a")"
  }
  for m in sar sem; do line "counties 3191 queen" $m ml "cty_$m" r_cty_matrix.log Matrix; done
  if [ "${R_EIGEN:-0}" = 1 ]; then for m in sar sem; do line "counties 3191 queen" $m ml "cty_$m" r_cty_eigen.log eigen; done; fi
  for m in sar sem; do line "counties 3191 queen" $m gmm "cty_gmm_$m" r_cty_gmm.log "stsls/GMerrorsar"; done
  for m in sar sem; do line "synthetic $N_SYN knn6" $m ml "syn_$m" r_syn_lu.log LU; done
  for m in sar sem; do line "synthetic $N_GMM knn6" $m gmm "gmm_$m" r_syn_gmm.log "stsls/GMerrorsar"; done
} | tee "$OUT"
