#!/usr/bin/env bash
# Shipped experiment (issue 8): a tipping point and hysteresis in cluster formation as the
# "Grants and Subsidies" lever of the focal region varies, and policy mixes ranked by the least
# budget that reaches critical mass. Writes to ${1:-ecosystem_grant_hysteresis}/; the results
# recorded in README.md were produced with `bash ecosystem_grant_hysteresis.sh` (seed default).
set -euo pipefail
AGGLO=${AGGLO:-agglo}
"$AGGLO" --threads 2 simulate --model ecosystem --param regions=9,scale=10,congestion=0.3 \
  --sweep grant=0:5:21 --hysteresis --replicates 8 --steps 300 -o "${1:-ecosystem_grant_hysteresis}"
