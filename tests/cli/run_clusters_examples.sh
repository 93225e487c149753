#!/usr/bin/env bash
# Runs every example of the --help of define-clusters, relatedness and cluster-map, as printed
# by the binary, in that order and in one directory (cluster-map's examples read clusters.csv
# and relatedness.csv written by the first two), on the bundled data they name: a synthetic
# economy made here with `agglo synth --preset tiny --seed 7 -o tiny/` (the examples' tiny/),
# and data/ and tests/ of the source tree. Checks: exit 0, and that the example shows its method
# at work:
#   define-clusters  the dartboard test finds traded and local industries, and traded clusters
#                    named after benchmark clusters (or, with --traded-rule gini / --industries,
#                    traded and local clusters)
#   relatedness      some pairs written
#   cluster-map      some strong region-clusters (a GeoPackage: written); with clusters.csv the
#                    map carries its labels
#
#   bash tests/cli/run_clusters_examples.sh <path-to-agglo> <source-dir>
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
WORK=$(mktemp -d "${TMPDIR:-/tmp}/agglo-clusters-examples.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2
"$AGGLO" --quiet synth --preset tiny --seed 7 -o tiny/ || { echo "FAIL synth"; exit 1; }
ln -s "$SRC/data" data
ln -s "$SRC/tests" tests

passed=0
failed=0
n=0
for cmd in define-clusters relatedness cluster-map; do
  examples=$("$AGGLO" "$cmd" --help | awk '/^Examples:/ { on = 1; next } on && /^$/ { exit } on { sub(/^ +/, ""); print }')
  if [ -z "$examples" ]; then
    echo "FAIL $cmd: no examples in --help"
    failed=$((failed + 1))
    continue
  fi
  while IFS= read -r ex; do
    n=$((n + 1))
    name="$cmd#$n"
    read -r -a words <<<"$ex"
    if [ "${words[0]}" != agglo ]; then
      echo "FAIL $name: not an agglo command line: $ex"
      failed=$((failed + 1))
      continue
    fi
    "$AGGLO" "${words[@]:1}" >"stdout.$n" 2>"stderr.$n"
    rc=$?
    if [ $rc -ne 0 ]; then
      echo "FAIL $name: exit $rc: $ex"
      sed 's/^/    /' "stderr.$n" | head -5
      failed=$((failed + 1))
      continue
    fi
    # the output named by -o (file or directory)
    out=""
    for ((k = 1; k < ${#words[@]}; k++)); do [ "${words[k-1]}" = -o ] && out=${words[k]}; done
    stem=${out%.csv}
    stem=${stem%.gpkg}
    summary="$stem.summary.json"
    [ -d "$out" ] && summary="$out/summary.json"
    why=""
    case $cmd in
      define-clusters)
        grep -Eq '"traded": [1-9]' "$summary" && grep -Eq '"local": [1-9]' "$summary" || why="no traded/local split"
        case $ex in
          *--traded-rule* | *--industries*) ;;
          *) grep -Eq '"from_benchmark": [1-9]' "$summary" || why="no cluster named after a benchmark cluster" ;;
        esac ;;
      relatedness)
        [ "$(wc -l <"$out")" -gt 10 ] || why="fewer than 10 pairs" ;;
      cluster-map)
        if [ "${out%.gpkg}" != "$out" ]; then
          [ -s "$out" ] || why="no GeoPackage written"
        else
          grep -Eq '"strong": [1-9]' "$summary" || why="no strong region-cluster"
        fi
        case $ex in
          *"--clusters clusters.csv"*)
            if [ -f "$out" ]; then head -1 "$out" | grep -q ',label' || why="the map lacks the clusters' labels"; fi ;;
        esac ;;
    esac
    if [ -n "$why" ]; then
      echo "FAIL $name: $why: $ex"
      failed=$((failed + 1))
      continue
    fi
    echo "PASS $name: $ex"
    passed=$((passed + 1))
  done <<<"$examples"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
