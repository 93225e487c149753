#!/usr/bin/env bash
# Runs every example of `agglo index`, `agglo scorecard` and `agglo recommend --help` as the
# binary prints it, on the bundled data it names (data/, tests/ of the source tree, and tiny/
# made here by `agglo synth --preset tiny -o tiny/`). Each example runs in a directory of its
# own. Checks: exit 0, and that the example shows its method at work:
#   index      every unit has a rank; with --uncertainty, rank intervals that are not all equal
#   scorecard  at least one strength and one weakness, and a missing.csv
#   recommend  at least one recommendation and an action plan
#
#   bash tests/cli/run_scorecard_examples.sh <path-to-agglo> <source-dir>
set -u
if [ $# -lt 2 ]; then
  echo "usage: $0 <path-to-agglo> <source-dir>" >&2
  exit 2
fi
AGGLO=$1
case $AGGLO in /*) ;; *) AGGLO=$PWD/$AGGLO ;; esac
SRC=$(cd "$2" && pwd) || exit 2
WORK=$(mktemp -d "${TMPDIR:-/tmp}/agglo-scorecard-examples.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2
"$AGGLO" --quiet synth --preset tiny -o tiny/ || { echo "FAIL synth"; exit 1; }
passed=0
failed=0
n=0
for cmd in index scorecard recommend; do
  examples=$("$AGGLO" "$cmd" --help | awk '/^Examples:/ { on = 1; next } on && /^$/ { exit } on { sub(/^ +/, ""); print }')
  if [ -z "$examples" ]; then
    echo "FAIL $cmd: no examples in --help"
    failed=$((failed + 1))
    continue
  fi
  while IFS= read -r ex; do
    n=$((n + 1))
    dir=$WORK/ex$n
    mkdir -p "$dir"
    ln -s "$WORK/tiny" "$dir/tiny"
    ln -s "$SRC/data" "$dir/data"
    ln -s "$SRC/tests" "$dir/tests"
    args=${ex#agglo }
    # shellcheck disable=SC2086
    (cd "$dir" && "$AGGLO" $args > stdout 2> stderr)
    rc=$?
    why=""
    if [ $rc -ne 0 ]; then
      why="exit $rc"
    else
      out=$(echo "$args" | sed -n 's/.*-o \([^ ]*\).*/\1/p')
      case $cmd in
        index)
          f=$dir/$out/index.csv
          if [ ! -s "$f" ]; then why="no index.csv"
          elif awk -F, 'NR > 1 && $3 == 0 { bad = 1 } END { exit !bad }' "$f"; then why="a unit without rank"
          elif grep -q -- "--uncertainty" <<< "$args" && ! awk -F, 'NR > 1 && $4 != $6 { hit = 1 } END { exit !hit }' "$f"; then
            why="rank intervals all of zero width"
          fi ;;
        scorecard)
          f=$dir/$out/scorecard.csv
          if ! grep -q ",strength," "$f" 2>/dev/null || ! grep -q ",weakness," "$f"; then why="no strength or no weakness"
          elif [ ! -s "$dir/$out/missing.csv" ]; then why="no missing.csv"; fi ;;
        recommend)
          base=${out%.*}
          if [ "${out##*.}" = "csv" ]; then
            [ "$(wc -l < "$dir/$out")" -gt 1 ] || why="no recommendation"
            [ -s "$dir/$base.action_plan.csv" ] || why="no action plan"
          else
            grep -q '"action_plan"' "$dir/$out" || why="no action plan in the JSON"
          fi ;;
      esac
    fi
    if [ -z "$why" ]; then
      echo "PASS $cmd#$n: $ex"
      passed=$((passed + 1))
    else
      echo "FAIL $cmd#$n: $ex ($why)"
      sed 's/^/    /' "$dir/stderr" | head -5
      failed=$((failed + 1))
    fi
  done <<< "$examples"
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
