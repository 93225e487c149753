#!/usr/bin/env bash
# MPI determinism test for `agglo hotspots` (issue 5): the same analysis run without mpirun with
# 1 and 2 threads, and under `mpirun -n 1`, `-n 2` (and `-n 3`), must write byte-identical files.
# Region i's conditional permutations come from the stream (seed, "hotspots.conditional", i),
# never from the rank or thread; regions are dealt to ranks (i mod size) and rank 0 gathers
# them by index, so the rank count may not change a single byte.
#
#   bash tests/mpi/run_hotspots_mpi_tests.sh BUILD/agglo [mpirun]
#
# Runs as root in CI, hence --allow-run-as-root; --oversubscribe lets 3 ranks share 2 cores.
set -u
agglo=${1:?usage: run_hotspots_mpi_tests.sh AGGLO [MPIRUN]}
mpirun=${2:-mpirun}
[ -n "$mpirun" ] || mpirun=mpirun
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
launch=("$mpirun" --allow-run-as-root --oversubscribe)
failures=0

topo=$src/data/geo/us_counties_economic_areas_msas.topojson
vals=$src/tests/reference/spatial_hotspots/county_values.csv
points=$src/tests/cli/good/hot_points.csv
# name | variants | hotspots arguments. Variants: tN = N threads without mpirun, nK = mpirun -n K
# (1 thread per rank, 2 for n3); t1 is the reference.
cases=(
  "counties_queen_lisa|t1 t2 n1 n2 n3|--regions $topo --layer counties --id fips --values $vals --value log_area --permutations 499"
  "counties_knn_gi_fdr|t1 n2|--regions $vals --id fips --value log_area --weights knn --k 6 --statistic gi --fdr 0.05 --permutations 299"
  "points_band_binary|t1 t2 n2|--regions $points --value value --weights distance --distance 1.5 --transform binary --permutations 999"
)

for c in "${cases[@]}"; do
  IFS='|' read -r name variants argtext <<<"$c"
  read -r -a args <<<"$argtext"
  for v in $variants; do
    case $v in
      t*) how=""; threads=${v#t} ;;
      n3) how=3; threads=2 ;;
      n*) how=${v#n}; threads=1 ;;
    esac
    out="$work/$name-$v"
    if [ -z "$how" ]; then cmd=("$agglo"); else cmd=("${launch[@]}" -n "$how" "$agglo"); fi
    "${cmd[@]}" --quiet --threads "$threads" --seed 11 hotspots "${args[@]}" -o "$out" >"$out.log" 2>&1
    rc=$?
    if [ $rc -ne 0 ]; then
      echo "FAIL $name/$v: exit $rc ($(tr '\n' ' ' <"$out.log" | cut -c1-300))"
      failures=$((failures + 1))
      continue
    fi
    if [ "$v" = t1 ]; then
      [ -s "$out/hotspots.csv" ] || { echo "FAIL $name/t1: no hotspots.csv written"; failures=$((failures + 1)); }
      continue
    fi
    if diff -r "$work/$name-t1" "$out" >"$out.diff"; then
      echo "ok   $name: $v identical to 1 thread without mpirun ($(ls "$out" | tr '\n' ' '))"
    else
      echo "FAIL $name/$v differs from 1 thread without mpirun:"; head -20 "$out.diff"
      failures=$((failures + 1))
    fi
  done
done

if [ $failures -gt 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "all hotspots MPI cases identical"
