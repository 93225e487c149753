#!/usr/bin/env bash
# Shipped experiment (issue 8): the productive-ecosystem model on real geography — the 58
# counties of California (data/experiments/ca_counties.csv, from data/geo/us_counties.csv:
# representative points, great-circle km) with Fresno County (06019) as the focal region, and
# institutions as agents (ca_institutions.csv: universities in Fresno, Yolo and Santa Clara, a
# research centre in Fresno, a cluster association in Santa Clara; levels illustrative).
# The "Grants and Subsidies" lever of Fresno is swept up and down (hysteresis), policy mixes are
# ranked by their least budget, and cluster_detected (the US Cluster Mapping strong rule on the
# simulated employment) is compared with the mean-field critical-mass flag in every run.
# A second run without the institutions file is the baseline.
# Writes ${1:-ecosystem_ca_counties}/ and ${1:-ecosystem_ca_counties}_baseline/; about 30 s on 2 cores.
set -euo pipefail
AGGLO=${AGGLO:-agglo}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${1:-ecosystem_ca_counties}
COMMON=(--threads 2 simulate --model ecosystem --regions "$HERE/ca_counties.csv" --focal 06019
        --param scale=10,n_other=3,ell=40,congestion=0.3 --sweep grant=0:5:21 --hysteresis --replicates 8 --steps 300)
${MPIRUN:-} "$AGGLO" "${COMMON[@]}" --institutions "$HERE/ca_institutions.csv" -o "$OUT"
${MPIRUN:-} "$AGGLO" "${COMMON[@]}" -o "${OUT}_baseline"
