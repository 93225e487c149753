#!/usr/bin/env bash
# MPI determinism test for `agglo simulate` (issue 8): the same sweep, run without mpirun with 1
# and 2 threads, and under `mpirun -n 1`, `-n 2` (and `-n 3`), must write byte-identical files.
# Each run's random streams are keyed by (seed, replicate), never by rank or thread, and rank 0
# assembles the tables in task order, so the rank count may not change a single byte.
#
#   bash tests/mpi/run_mpi_tests.sh BUILD/agglo [mpirun]
#
# The runner and its conventions: tests/mpi/lib.sh.
set -u
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mpi_setup "$@"

# name | variants | simulate arguments. One plain sweep (points × replicates dealt as tasks; also
# on 3 ranks, which deal unevenly), one hysteresis sweep (replicate chains dealt as tasks), one
# replicate set without a sweep (steps table), and the ecosystem's policy mixes tried out by
# simulation (one distributed experiment per mix), and the ecosystem on real regions (California's
# counties with institutions: replicates with the per-region table; a hysteresis sweep on small
# regions with establishments, firm ties and institutions). Variants: tN = N threads without mpirun,
# nK = mpirun -n K (1 thread per rank, 2 for n3); t1 is the reference.
cases=(
  "sweep|t1 t2 n1 n2 n3|--model granovetter --sweep sd=5:25:9 --replicates 5"
  "hysteresis|t1 t2 n1 n2|--model brenner --sweep alpha=0.5:3:11 --hysteresis --replicates 5 --steps 300"
  "replicates|t1 n2|--model arthur --replicates 7 --steps 200"
  "mixes|t1 n2|--model ecosystem --replicates 2 --steps 60 --mix-replicates 4"
  "regions|t1 t2 n2|--model ecosystem --regions {ROOT}/data/experiments/ca_counties.csv --focal 06019 --institutions {ROOT}/data/experiments/ca_institutions.csv --param scale=2,ell=40 --replicates 3 --steps 60"
  "regions_ties|t1 n2|--model ecosystem --regions {ROOT}/tests/cli/good/sim_regions.csv --focal A --establishments {ROOT}/tests/cli/good/sim_establishments.csv --ties {ROOT}/tests/cli/good/sim_ties.csv --institutions {ROOT}/tests/cli/good/sim_institutions.csv --param ell=30,network=1 --sweep grant=0:3:4 --hysteresis --replicates 3 --steps 40"
)

mpi_check_cases 11 simulate

# A usage error on every rank ends the job with exit status 2 rather than hanging.
timeout 30 "${launch[@]}" -n 2 "$agglo" --quiet simulate --model brenner --sweep nope=0:1:3 -o "$work/bad" \
  >"$work/bad.log" 2>&1
rc=$?
if [ $rc -eq 0 ] || [ $rc -eq 124 ]; then
  echo "FAIL usage error under mpirun -n 2: exit $rc (0 = not reported, 124 = hung)"; failures=$((failures + 1))
else
  echo "ok   usage error under mpirun -n 2 ends the job (exit $rc)"
fi
[ -e "$work/bad" ] && { echo "FAIL a failed run left output behind"; failures=$((failures + 1)); }

mpi_finish simulate
