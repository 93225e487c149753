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
# beside it. The ratio compares fit with fit. Results: bench/results/spatial_model.txt.
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
  /usr/bin/time -f "%e" -o "$WORK/$name.wall" "$AGGLO" --threads 2 --quiet --timings spatial-model "$@" -o "$WORK/$name" > /dev/null 2>&1
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
echo "counties: agglo" >&2
for m in sar sem; do
  run_agglo "cty_$m" "${CTY[@]}" --model $m
  run_agglo "cty_gmm_$m" "${CTY[@]}" --model $m --estimator gmm
done
echo "counties: spatialreg Matrix, gmm" >&2
rrun r_cty_matrix.log counties "$TOPO" "$VALS" Matrix
rrun r_cty_gmm.log counties "$TOPO" "$VALS" gmm
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
