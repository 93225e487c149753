#!/usr/bin/env bash
# MPI determinism test for the distance-based measures (issue 5): `agglo kdensity`,
# `agglo mfunction` and `agglo ripley --simulations`, run without mpirun with 1 and 2 threads
# and under `mpirun -n 1`, `-n 2` (and `-n 3` for kdensity), must write byte-identical files.
# Simulation s draws from the stream (seed, s) whatever rank or thread runs it, and rank 0
# assembles the simulated curves in simulation order before computing the bands.
#
#   bash tests/mpi/run_spatial_mpi_tests.sh BUILD/agglo [mpirun]
#
# Runs as root in CI, hence --allow-run-as-root; --oversubscribe lets 3 ranks share 2 cores.
set -u
agglo=${1:?usage: run_spatial_mpi_tests.sh AGGLO [MPIRUN]}
mpirun=${2:-mpirun}
[ -n "$mpirun" ] || mpirun=mpirun
here=$(cd "$(dirname "$0")" && pwd)
points="$here/../cli/good/dist_points.csv"
lonlat="$here/../cli/good/dist_lonlat.csv"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
launch=("$mpirun" --allow-run-as-root --oversubscribe)
failures=0

# name | variants | arguments. Variants: tN = N threads without mpirun, nK = mpirun -n K
# (1 thread per rank, 2 for n3); t1 is the reference.
cases=(
  "kdensity|t1 t2 n1 n2 n3|kdensity --establishments $points --industry LOC --weight employees --simulations 101 --max-distance 300"
  "kdensity_bivariate_lonlat|t1 n2|kdensity --establishments $lonlat --industry A --neighbour-industry B --null labels --simulations 40"
  "mfunction|t1 t2 n2|mfunction --establishments $points --industry LOC --max-distance 200 --simulations 41"
  "ripley|t1 n2|ripley --establishments $points --industry RND --simulations 39"
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
    "${cmd[@]}" --quiet --threads "$threads" --seed 13 "${args[@]}" -o "$out" >"$out.log" 2>&1
    rc=$?
    if [ $rc -ne 0 ]; then
      echo "FAIL $name/$v: exit $rc ($(tr '\n' ' ' <"$out.log" | cut -c1-300))"
      failures=$((failures + 1))
      continue
    fi
    if [ "$v" = t1 ]; then
      ls "$out"/*.csv >/dev/null 2>&1 || { echo "FAIL $name/t1: no CSV written"; failures=$((failures + 1)); }
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
if [ $failures -ne 0 ]; then
  echo "$failures spatial MPI check(s) failed"
  exit 1
fi
echo "all spatial MPI checks passed"
