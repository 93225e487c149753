#!/usr/bin/env bash
# MPI determinism test for the distance-based measures (issue 5): `agglo kdensity`,
# `agglo mfunction` and `agglo ripley --simulations`, run without mpirun with 1 and 2 threads
# and under `mpirun -n 1`, `-n 2` (and `-n 3` for kdensity), must write byte-identical files.
# Simulation s draws from the stream (seed, s) whatever rank or thread runs it, and rank 0
# assembles the simulated curves in simulation order before computing the bands.
#
#   bash tests/mpi/run_spatial_mpi_tests.sh BUILD/agglo [mpirun]
#
# The runner and its conventions: tests/mpi/lib.sh.
set -u
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mpi_setup "$@"

# name | variants | arguments. Variants: tN = N threads without mpirun, nK = mpirun -n K
# (1 thread per rank, 2 for n3); t1 is the reference.
cases=(
  "kdensity|t1 t2 n1 n2 n3|kdensity --establishments {ROOT}/tests/cli/good/dist_points.csv --industry LOC --weight employees --simulations 101 --max-distance 300"
  "kdensity_bivariate_lonlat|t1 n2|kdensity --establishments {ROOT}/tests/cli/good/dist_lonlat.csv --industry A --neighbour-industry B --null labels --simulations 40"
  "mfunction|t1 t2 n2|mfunction --establishments {ROOT}/tests/cli/good/dist_points.csv --industry LOC --max-distance 200 --simulations 41"
  "ripley|t1 n2|ripley --establishments {ROOT}/tests/cli/good/dist_points.csv --industry RND --simulations 39"
)

mpi_check_cases 13
mpi_finish spatial
