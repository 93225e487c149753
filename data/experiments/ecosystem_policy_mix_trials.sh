#!/usr/bin/env bash
# Shipped experiment (issue 8): every standard policy mix tried 40 times by the agent-based
# ecosystem model at the least budget its mean field needs, with the share of runs that end past
# the region's critical mass and a 95 % Wilson interval. Writes to ${1:-ecosystem_policy_mix_trials}/;
# the results in README.md were produced with `bash ecosystem_policy_mix_trials.sh`. Set
# MPIRUN="mpirun -n 2" (plus --allow-run-as-root as root) to spread the runs over MPI ranks:
# the files are byte-identical.
set -euo pipefail
AGGLO=${AGGLO:-agglo}
${MPIRUN:-} "$AGGLO" --seed 20240601 --threads 2 simulate --model ecosystem \
  --param regions=9,scale=10,congestion=0.3 --steps 300 --mix-replicates 40 \
  -o "${1:-ecosystem_policy_mix_trials}"
