#!/usr/bin/env bash
# MPI determinism test for `agglo simulate` (issue 8): the same sweep, run without mpirun with 1
# and 2 threads, and under `mpirun -n 1`, `-n 2` (and `-n 3`), must write byte-identical files.
# Each run's random streams are keyed by (seed, replicate), never by rank or thread, and rank 0
# assembles the tables in task order, so the rank count may not change a single byte.
#
#   bash tests/mpi/run_mpi_tests.sh BUILD/agglo [mpirun]
#
# Runs as root in CI, hence --allow-run-as-root; --oversubscribe lets 3 ranks share 2 cores.
set -u
agglo=${1:?usage: run_mpi_tests.sh AGGLO [MPIRUN]}
mpirun=${2:-mpirun}
[ -n "$mpirun" ] || mpirun=mpirun
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
launch=("$mpirun" --allow-run-as-root --oversubscribe)
failures=0

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

for c in "${cases[@]}"; do
  IFS='|' read -r name variants argtext <<<"$c"
  argtext=${argtext//\{ROOT\}/$root}
  read -r -a args <<<"$argtext"
  for v in $variants; do
    case $v in
      t*) how=""; threads=${v#t} ;;
      n3) how=3; threads=2 ;;
      n*) how=${v#n}; threads=1 ;;
    esac
    tag=$v
    out="$work/$name-$tag"
    if [ -z "$how" ]; then cmd=("$agglo"); else cmd=("${launch[@]}" -n "$how" "$agglo"); fi
    "${cmd[@]}" --quiet --threads "$threads" --seed 11 simulate "${args[@]}" -o "$out" >"$out.log" 2>&1
    rc=$?
    if [ $rc -ne 0 ]; then
      echo "FAIL $name/$tag: exit $rc ($(tr '\n' ' ' <"$out.log" | cut -c1-300))"
      failures=$((failures + 1))
      continue
    fi
    if [ "$tag" = t1 ]; then
      ls "$out"/*.csv >/dev/null 2>&1 || { echo "FAIL $name/t1: no CSV written"; failures=$((failures + 1)); }
      continue
    fi
    if diff -r "$work/$name-t1" "$out" >"$out.diff"; then
      echo "ok   $name: $tag identical to 1 thread without mpirun ($(ls "$out" | tr '\n' ' '))"
    else
      echo "FAIL $name/$tag differs from 1 thread without mpirun:"; head -20 "$out.diff"
      failures=$((failures + 1))
    fi
  done
done

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

if [ "$failures" -ne 0 ]; then
  echo "$failures MPI check(s) failed"
  exit 1
fi
echo "all MPI checks passed"
