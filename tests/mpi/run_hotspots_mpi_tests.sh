#!/usr/bin/env bash
# MPI determinism test for `agglo hotspots` (issue 5): the same analysis run without mpirun with
# 1 and 2 threads, and under `mpirun -n 1`, `-n 2` (and `-n 3`), must write byte-identical files.
# Region i's conditional permutations come from the stream (seed, "hotspots.conditional", i)
# (and, for --gi-permutation total, (seed, "hotspots.gi_total", i)),
# never from the rank or thread; regions are dealt to ranks (i mod size) and rank 0 gathers
# them by index, so the rank count may not change a single byte.
#
#   bash tests/mpi/run_hotspots_mpi_tests.sh BUILD/agglo [mpirun]
#
# The runner and its conventions: tests/mpi/lib.sh.
set -u
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mpi_setup "$@"

topo=$root/data/geo/us_counties_economic_areas_msas.topojson
vals=$root/tests/reference/spatial_hotspots/county_values.csv
points=$root/tests/cli/good/hot_points.csv
# name | variants | hotspots arguments. Variants: tN = N threads without mpirun, nK = mpirun -n K
# (1 thread per rank, 2 for n3); t1 is the reference.
cases=(
  "counties_queen_lisa|t1 t2 n1 n2 n3|--regions $topo --layer counties --id fips --values $vals --value log_area --permutations 499"
  "counties_knn_gi_fdr|t1 n2|--regions $vals --id fips --value log_area --weights knn --k 6 --statistic gi --fdr 0.05 --permutations 299"
  "points_band_binary|t1 t2 n2|--regions $points --value value --weights distance --distance 1.5 --transform binary --permutations 999"
  "counties_knn_gi_total_with|t1 t2 n3|--regions $vals --id fips --value log_area --weights knn --k 6 --statistic gi --gi-permutation total --sampling with --permutations 299"
)

mpi_check_cases 11 hotspots
mpi_finish hotspots
