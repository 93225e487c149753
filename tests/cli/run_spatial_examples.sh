#!/usr/bin/env bash
# Runs every example of the spatial commands' --help (dbscan hdbscan kdensity mfunction ripley
# colocation hotspots) as printed by the binary, on the bundled data they name: a synthetic economy
# made here with `agglo synth --preset tiny --seed 7 -o tiny/` (the examples' tiny/), and data/
# and tests/ of the source tree. Each example runs in a directory of its own; `mpirun -n K` is
# dropped (the MPI scripts in tests/mpi check that ranks change nothing). Checks: exit 0, no
# small-sample warning (an example must not rest on too few establishments or simulations), and
# that the example shows its method at work:
#   kdensity     "localised": true (false for 621991, the planted non-localised local industry)
#   mfunction    M above its global upper band at some distance
#   ripley       LOC (clumped) above the upper band of L at some distance, RND (uniform) never
#   dbscan, hdbscan  at least one cluster;  colocation  at least one pattern
#   hotspots     at least one significant region
#
#   bash tests/cli/run_spatial_examples.sh <path-to-agglo> <source-dir>
#
# Prints one PASS/FAIL line per example, then "N passed, M failed"; exits 1 if any failed.
set -u
if [ $# -lt 2 ]; then
  echo "usage: $0 <path-to-agglo> <source-dir>" >&2
  exit 2
fi
AGGLO=$1
case $AGGLO in /*) ;; *) AGGLO=$PWD/$AGGLO ;; esac
SRC=$(cd "$2" && pwd) || exit 2
WORK=$(mktemp -d "${TMPDIR:-/tmp}/agglo-spatial-examples.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2
"$AGGLO" --quiet synth --preset tiny --seed 7 -o tiny/ || { echo "FAIL synth"; exit 1; }

passed=0
failed=0
fail() {
  echo "FAIL $1: $2"
  sed 's/^/    /' "$3/stderr" | head -5
  failed=$((failed + 1))
}
# A CSV column's values by header name.
column() { awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } k { print $k }' "$1"; }
# 1 if column a exceeds column b on some row (empty cells skipped).
exceeds() {
  awk -F, -v a="$2" -v b="$3" 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == a) x = i; if ($i == b) y = i }; next }
    $x != "" && $y != "" && $x + 0 > $y + 0 { hit = 1 } END { print hit ? 1 : 0 }' "$1"
}

n=0
for cmd in dbscan hdbscan kdensity mfunction ripley colocation hotspots; do
  examples=$("$AGGLO" "$cmd" --help | awk '/^Examples:/ { on = 1; next } on && /^$/ { exit } on { sub(/^ +/, ""); print }')
  if [ -z "$examples" ]; then
    echo "FAIL $cmd: no examples in --help"
    failed=$((failed + 1))
    continue
  fi
  while IFS= read -r ex; do
    n=$((n + 1))
    name="$cmd#$n"
    dir=$WORK/ex$n
    mkdir -p "$dir"
    ln -s "$WORK/tiny" "$dir/tiny"
    ln -s "$SRC/data" "$dir/data"
    ln -s "$SRC/tests" "$dir/tests"
    line=${ex#mpirun -n [0-9] }
    read -r -a words <<<"$line"
    if [ "${words[0]}" != agglo ]; then
      echo "FAIL $name: not an agglo command line: $ex"
      failed=$((failed + 1))
      continue
    fi
    (cd "$dir" && "$AGGLO" "${words[@]:1}" >stdout 2>stderr)
    rc=$?
    if [ $rc -ne 0 ]; then
      fail "$name" "exit $rc: $ex" "$dir"
      continue
    fi
    if grep -q -e "fewer than 30" -e "simulations: a" "$dir/stderr"; then
      fail "$name" "small-sample warning: $ex" "$dir"
      continue
    fi
    summary=$(find "$dir" -name '*summary.json' -not -path '*/tests/*' -not -path '*/data/*' -not -path '*/tiny/*' | head -1)
    why=""
    case $cmd in
      kdensity)
        want='"localised": true'
        case $ex in *621991*) want='"localised": false' ;; esac
        grep -q "$want" "$summary" || why="summary lacks $want" ;;
      mfunction)
        m=$(find "$dir" -name 'm.csv' -o -name 'mfunction.csv' | head -1)
        [ "$(exceeds "$m" m global_upper)" = 1 ] || why="M never above its global upper band" ;;
      ripley)
        k=$(find "$dir" -name 'k.csv' -o -name 'ripley.csv' | head -1)
        hit=$(exceeds "$k" l_isotropic l_global_upper)
        case $ex in
          *"--industry LOC"*) [ "$hit" = 1 ] || why="clumped LOC never above the upper band of L" ;;
          *"--industry RND"*) [ "$hit" = 0 ] || why="uniform RND above the upper band of L" ;;
        esac ;;
      dbscan | hdbscan)
        grep -Eq '"clusters": [1-9]' "$summary" || why="no cluster" ;;
      colocation)
        grep -Eq '^ "patterns": [1-9]' "$summary" || why="no pattern" ;;
      hotspots)
        grep -Eq '"significant": [1-9]' "$summary" || why="no significant region" ;;
    esac
    if [ -n "$why" ]; then
      fail "$name" "$why: $ex" "$dir"
      continue
    fi
    echo "PASS $name: $ex"
    passed=$((passed + 1))
  done <<<"$examples"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
