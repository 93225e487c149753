#!/usr/bin/env bash
# Spatial lag (SAR) and spatial error (SEM) models by maximum likelihood: `agglo spatial-model`
# vs R spatialreg (lagsarlm, errorsarlm), side by side in one run (issue 19).
#   1. the 3,191 US counties (queen contiguity, 3 islands kept, y = log area, x = lat, lon);
#      spatialreg with method "Matrix" (sparse Cholesky; its fastest exact method here) and
#      "eigen" (its default);
#   2. 100,000 synthetic regions (bench/spatial_model_data.py, 6 nearest neighbours, planted
#      rho = 0.5); spatialreg with method "LU" (sparse LU, the exact method for asymmetric W),
#      given at most $R_TIMEOUT seconds.
# GMM/IV (Kelejian–Prucha) on 1,000,000 regions is not implemented in agglo yet: not run.
#
#   bash bench/spatial_model.sh [AGGLO_BINARY]
#
# agglo is timed as a whole process (read, weights, fit, standard errors, impacts with 1,000
# draws, CSV) with /usr/bin/time; spatialreg inside R around the fitting call only (reading and
# weights not counted; its standard errors: analytic for n <= 1500, else a numerical Hessian), so
# the ratio favours R. Results: bench/results/spatial_model.txt.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$HERE/..
AGGLO=${1:-$ROOT/build/agglo}
WORK=${WORK:-/tmp/agglo-bench-spatial-model}
R_TIMEOUT=${R_TIMEOUT:-900}
N_SYN=${N_SYN:-100000}
OUT=$HERE/results/spatial_model.txt
TOPO=$ROOT/data/geo/us_counties_economic_areas_msas.topojson
VALS=$ROOT/tests/reference/spatial_model/county_values.csv
mkdir -p "$WORK" "$HERE/results"

secs() { /usr/bin/time -f "%e" -o "$WORK/t" "$@" > /dev/null 2>&1 && cat "$WORK/t"; }
field() { /usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }

echo "counties: agglo" >&2
for m in sar sem; do
  eval "A_CTY_$m=$(secs "$AGGLO" --threads 2 --quiet spatial-model --regions "$TOPO" --layer counties --id fips --values "$VALS" \
    --y log_area --x lat,lon --model $m --weights queen --islands keep -o "$WORK/cty_$m")"
done
echo "counties: spatialreg Matrix" >&2
Rscript "$HERE/spatial_model_reference.R" counties "$TOPO" "$VALS" Matrix > "$WORK/r_cty_matrix.log" 2>/dev/null
echo "counties: spatialreg eigen" >&2
Rscript "$HERE/spatial_model_reference.R" counties "$TOPO" "$VALS" eigen > "$WORK/r_cty_eigen.log" 2>/dev/null

echo "synthetic $N_SYN: data" >&2
/usr/bin/python3 "$HERE/spatial_model_data.py" "$N_SYN" "$WORK/syn.csv" 1
echo "synthetic: agglo" >&2
for m in sar sem; do
  eval "A_SYN_$m=$(secs "$AGGLO" --threads 2 --quiet spatial-model --regions "$WORK/syn.csv" --id id --y yv --x x1,x2 --model $m \
    --weights knn --k 6 -o "$WORK/syn_$m")"
done
echo "synthetic: spatialreg LU (timeout ${R_TIMEOUT}s)" >&2
timeout "$R_TIMEOUT" Rscript "$HERE/spatial_model_reference.R" synthetic "$WORK/syn.csv" LU > "$WORK/r_syn_lu.log" 2>/dev/null || true

rline() { awk -v m="$2" '$1 == m {print $3}' "$1"; }
rsecs() { awk -v m="$2" '$1 == m {print $2}' "$1"; }
ratio() { if [ -n "$1" ] && [ -n "$2" ]; then /usr/bin/python3 -c "print(f'{float(\"$1\")/float(\"$2\"):.1f}')"; else echo "-"; fi; }
{
  echo "# bench/spatial_model.sh — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs; spatialreg $(Rscript -e 'cat(format(packageVersion("spatialreg")))' 2>/dev/null)"
  echo "# case | model | agglo s | agglo estimate | spatialreg method | R s | R estimate | R s / agglo s"
  for m in sar sem; do
    par=$([ $m = sar ] && echo rho || echo lambda)
    a=$(eval echo \$A_CTY_$m); ae=$(field "$WORK/cty_$m/summary.json" $par)
    for meth in matrix eigen; do
      echo "counties 3191 queen | $m | $a | $ae | $meth | $(rsecs "$WORK/r_cty_$meth.log" $m) | $(rline "$WORK/r_cty_$meth.log" $m) | $(ratio "$(rsecs "$WORK/r_cty_$meth.log" $m)" "$a")"
    done
  done
  for m in sar sem; do
    par=$([ $m = sar ] && echo rho || echo lambda)
    a=$(eval echo \$A_SYN_$m); ae=$(field "$WORK/syn_$m/summary.json" $par)
    rs=$(rsecs "$WORK/r_syn_lu.log" $m)
    echo "synthetic $N_SYN knn6 | $m | $a | $ae | LU | ${rs:-not finished in ${R_TIMEOUT}s} | $(rline "$WORK/r_syn_lu.log" $m) | $(ratio "$rs" "$a")"
  done
  echo "GMM (Kelejian-Prucha) on 1,000,000 regions: not implemented in agglo (not run)"
} | tee "$OUT"
