# Shared by tests/mpi/run_*_mpi_tests.sh, the MPI determinism tests: the same command run without
# mpirun with 1 and 2 threads and under `mpirun -n 1`, `-n 2` (and `-n 3`) must write
# byte-identical files, because every random stream is keyed by the seed and the work item
# (simulation, replicate, region), never by the rank or thread, and rank 0 assembles the results
# in work-item order.
#
# Usage in a test script:
#   source "$(dirname "$0")/lib.sh"
#   mpi_setup "$@"                    # AGGLO [MPIRUN]; sets agglo, root, work, launch, failures
#   cases=("name|variants|arguments" …)
#   mpi_check_cases SEED [COMMAND…]   # runs and compares every case
#   mpi_finish "label"                # prints the verdict, exits 1 on any failure
#
# A case is "name|variants|arguments": {ROOT} in the arguments is replaced by the source tree;
# variants are tN (N threads without mpirun) and nK (mpirun -n K with 1 thread per rank, 2 for
# n3), and t1, which must come first, is the reference. Runs as root in CI, hence
# --allow-run-as-root; --oversubscribe lets 3 ranks share 2 cores.

mpi_setup() {
  agglo=${1:?usage: $(basename "$0") AGGLO [MPIRUN]}
  local mpirun=${2:-mpirun}
  [ -n "$mpirun" ] || mpirun=mpirun
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  launch=("$mpirun" --allow-run-as-root --oversubscribe)
  failures=0
}

mpi_check_cases() {  # SEED [COMMAND…]
  local seed=$1
  shift
  local c name variants argtext v how threads out rc
  local -a args cmd
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
      out="$work/$name-$v"
      if [ -z "$how" ]; then cmd=("$agglo"); else cmd=("${launch[@]}" -n "$how" "$agglo"); fi
      "${cmd[@]}" --quiet --threads "$threads" --seed "$seed" "$@" "${args[@]}" -o "$out" >"$out.log" 2>&1
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
        echo "FAIL $name/$v differs from 1 thread without mpirun:"
        head -20 "$out.diff"
        failures=$((failures + 1))
      fi
    done
  done
}

mpi_finish() {  # LABEL
  if [ "$failures" -ne 0 ]; then
    echo "$failures $1 MPI check(s) failed"
    exit 1
  fi
  echo "all $1 MPI checks passed"
}
