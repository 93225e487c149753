#!/usr/bin/env bash
# Command-line contract tests for agglo (DESIGN.md, "Command-line contract").
#
#   bash tests/cli/run_cli_tests.sh <path-to-agglo> <source-dir>
#
# Most cases are data: tests/cli/cases.tsv (its header explains the columns) and any
# tests/cli/cases_*.tsv (one per module, same columns, read in name order) over the small
# input files in tests/cli/bad and tests/cli/good. A few cases need more than one command
# (determinism, Ctrl-C, a file larger than one read block) and are written out at the end.
# Prints one PASS/FAIL line per case, then "N passed, M failed"; exits 1 if any failed.
# Needs only bash and coreutils.
set -u

if [ $# -lt 2 ]; then
  echo "usage: $0 <path-to-agglo> <source-dir>" >&2
  exit 2
fi
AGGLO=$1
SRC=$2
case $AGGLO in /*) ;; *) AGGLO=$PWD/$AGGLO ;; esac
SRC=$(cd "$SRC" 2>/dev/null && pwd) || { echo "source dir not found: $2" >&2; exit 2; }
HERE=$SRC/tests/cli
BAD=$HERE/bad
GOOD=$HERE/good
CASES=$HERE/cases.tsv
CASE_TIMEOUT=${AGGLO_CLI_TEST_TIMEOUT:-120}   # seconds per command

if [ ! -x "$AGGLO" ]; then echo "agglo binary not found or not executable: $AGGLO" >&2; exit 2; fi
if [ ! -f "$CASES" ]; then echo "cases file not found: $CASES" >&2; exit 2; fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/agglo-cli-tests.XXXXXX") || exit 2
BG_PID=""
cleanup() {
  if [ -n "$BG_PID" ]; then kill -KILL "$BG_PID" 2>/dev/null; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PASSED=0
FAILED=0
FAILED_NAMES=()
# Failure details of the current case, one message per line.
REASONS=""
reason() { REASONS+="$*"$'\n'; }

# Prints the captured output of the last command (stdout then stderr), cut to 40 lines.
show_output() {
  local n
  n=$(cat "$1" "$2" | wc -l)
  echo "    --- output (stdout, then stderr) ---"
  cat "$1" "$2" | head -n 40 | sed_free_indent
  if [ "$n" -gt 40 ]; then echo "    … ($n lines)"; fi
}
sed_free_indent() { while IFS= read -r line || [ -n "$line" ]; do printf '    %s\n' "$line"; done; }

report() {  # name [command exit-expected exit-actual stdout-file stderr-file]
  local name=$1
  if [ -z "$REASONS" ]; then
    PASSED=$((PASSED + 1))
    echo "PASS $name"
  else
    FAILED=$((FAILED + 1))
    FAILED_NAMES+=("$name")
    echo "FAIL $name"
    if [ $# -ge 6 ]; then
      echo "    command: $2"
      echo "    exit: expected $3, got $4"
    fi
    printf '%s' "$REASONS" | sed_free_indent
    if [ $# -ge 6 ]; then show_output "$5" "$6"; fi
  fi
  REASONS=""
}

# contains FILE SUBSTRING: exact (fixed-string) search without grep.
contains() {
  local text
  text=$(cat "$1" 2>/dev/null; printf x)
  text=${text%x}
  [[ $text == *"$2"* ]]
}

subst() {  # substitutes the placeholders of one word
  local w=$1
  w=${w//\{DIR\}/$BAD}
  w=${w//\{GOOD\}/$GOOD}
  w=${w//\{OUT\}/$OUT}
  printf '%s' "$w"
}

# check_substrings FILE SPEC: SPEC is '|'-separated; '!x' means x must be absent.
check_substrings() {
  local file=$1 spec=$2 item what
  [ "$spec" = "-" ] || [ -z "$spec" ] && return 0
  local IFS='|'
  local -a items
  read -r -a items <<< "$spec"
  unset IFS
  for item in "${items[@]}"; do
    [ -z "$item" ] && continue
    if [ "${item:0:1}" = "!" ]; then
      what=$(subst "${item:1}")
      if contains "$file" "$what"; then reason "output of $3 contains '$what' but must not"; fi
    else
      what=$(subst "$item")
      if ! contains "$file" "$what"; then reason "output of $3 lacks '$what'"; fi
    fi
  done
}

# Entries of a directory (hidden ones included), sorted, comma-separated.
entries() { (cd "$1" && LC_ALL=C ls -A | tr '\n' ',' | sed_free_strip); }
sed_free_strip() { local s; s=$(cat); printf '%s' "${s%,}"; }

check_no_temp_files() {  # DIR: no ".NAME.tmp-*" anywhere below
  local -a left
  shopt -s globstar dotglob nullglob
  left=("$1"/**/.*.tmp-*)
  shopt -u globstar dotglob nullglob
  if [ ${#left[@]} -gt 0 ]; then reason "temporary files left behind: ${left[*]:0:5}"; fi
}

exit_matches() {  # expected-spec actual
  local e
  local IFS='|'
  for e in $1; do [ "$e" = "$2" ] && return 0; done
  return 1
}

# ---------------------------------------------------------------------------------------------
# Data-driven cases

run_case() {
  local name=$1 want_exit=$2 args=$3 expect=$4 outfiles=${5:--} outcheck=${6:--}
  local case_dir=$WORK/case.$name
  OUT=$case_dir/out
  mkdir -p "$OUT" "$case_dir/cwd"
  local -a words=() argv=()
  [ "$args" != "-" ] && read -r -a words <<< "$args"
  local w
  for w in "${words[@]}"; do argv+=("$(subst "$w")"); done
  local so=$case_dir/stdout se=$case_dir/stderr all=$case_dir/all
  (cd "$case_dir/cwd" && timeout "$CASE_TIMEOUT" "$AGGLO" "${argv[@]}" >"$so" 2>"$se" </dev/null)
  local got=$?
  cat "$so" "$se" >"$all"
  [ "$got" = 124 ] && reason "timed out after ${CASE_TIMEOUT}s"
  exit_matches "$want_exit" "$got" || reason "wrong exit code"
  check_substrings "$all" "$expect" "the command"
  check_no_temp_files "$OUT"
  check_no_temp_files "$case_dir/cwd"
  case $outfiles in
    -) ;;
    none)
      if [ -n "$(ls -A "$OUT")" ]; then reason "{OUT} should be empty but holds: $(entries "$OUT")"; fi ;;
    *)
      local want have
      want=$(printf '%s' "$outfiles" | tr ',' '\n' | LC_ALL=C sort | tr '\n' ',' | sed_free_strip)
      have=$(entries "$OUT")
      [ "$want" = "$have" ] || reason "{OUT} holds '$have', expected '$want'" ;;
  esac
  if [ "$outcheck" != "-" ]; then
    local f=${outcheck%%:*} spec=${outcheck#*:}
    if [ ! -f "$OUT/$f" ]; then reason "{OUT}/$f was not written"
    else check_substrings "$OUT/$f" "$spec" "{OUT}/$f"; fi
  fi
  local cmd="agglo"
  for w in "${argv[@]}"; do cmd+=" $w"; done
  report "$name" "$cmd" "$want_exit" "$got" "$so" "$se"
}

for cases_file in "$CASES" "$HERE"/cases_*.tsv; do
  [ -f "$cases_file" ] || continue
  while IFS=$'\t' read -r name want_exit args expect outfiles outcheck || [ -n "${name:-}" ]; do
    case $name in ''|'#'*) continue ;; esac
    run_case "$name" "$want_exit" "$args" "$expect" "${outfiles:--}" "${outcheck:--}"
  done < "$cases_file"
done

# ---------------------------------------------------------------------------------------------
# Cases that need more than one command

# run_quiet OUTFILE-PREFIX args…: runs agglo with a timeout, stdout/stderr into PREFIX.{out,err}.
run_quiet() {
  local p=$1; shift
  timeout "$CASE_TIMEOUT" "$AGGLO" "$@" >"$p.out" 2>"$p.err" </dev/null
}
expect_exit() {  # what expected actual prefix
  if [ "$2" != "$3" ]; then
    reason "$1: exit expected $2, got $3"
    reason "$(head -n 20 "$4.out" "$4.err" 2>/dev/null)"
  fi
}

# The corpus must reach the program byte for byte (a checkout that converts line ends would
# silently turn the CRLF, BOM and no-final-newline cases into plain ones).
corpus_bytes() {
  local n
  n=$(tr -dc '\r' < "$GOOD/crlf.csv" | wc -c)
  [ "$n" = 4 ] || reason "good/crlf.csv should hold 4 CR bytes, has $n (line ends converted?)"
  [ "$(head -c 3 "$GOOD/bom.csv" | od -An -tx1 | tr -d ' \n')" = efbbbf ] || reason "good/bom.csv lost its BOM"
  [ "$(tail -c 1 "$GOOD/no_final_newline.csv" | od -An -tx1 | tr -d ' \n')" = 30 ] || reason "good/no_final_newline.csv gained a newline"
  [ -f "$BAD/empty.csv" ] && [ ! -s "$BAD/empty.csv" ] || reason "bad/empty.csv is missing or not empty"
  [ "$(tr -dc '\377' < "$BAD/emp_invalid_utf8.csv" | wc -c)" = 1 ] || reason "bad/emp_invalid_utf8.csv lost its 0xFF byte"
  report corpus_bytes_intact
}

synth_deterministic() {
  local d=$WORK/synth
  mkdir -p "$d"
  local rc
  run_quiet "$d/a" synth --preset tiny --seed 5 -o "$d/A"; rc=$?
  expect_exit "synth --seed 5 (1st)" 0 $rc "$d/a"
  run_quiet "$d/b" synth --preset tiny --seed 5 -o "$d/B"; rc=$?
  expect_exit "synth --seed 5 (2nd)" 0 $rc "$d/b"
  if [ -z "$REASONS" ]; then
    [ -n "$(ls -A "$d/A")" ] || reason "synth wrote an empty directory"
    diff -r "$d/A" "$d/B" >"$d/diff" 2>&1 || reason "same seed, different files: $(head -c 400 "$d/diff")"
  fi
  report synth_same_seed_identical

  run_quiet "$d/t1" --threads 1 synth --preset tiny --seed 5 -o "$d/T1"; rc=$?
  expect_exit "synth --threads 1" 0 $rc "$d/t1"
  run_quiet "$d/t2" --threads 2 synth --preset tiny --seed 5 -o "$d/T2"; rc=$?
  expect_exit "synth --threads 2" 0 $rc "$d/t2"
  if [ -z "$REASONS" ]; then
    diff -r "$d/T1" "$d/T2" >"$d/diff" 2>&1 || reason "--threads 1 and 2 differ: $(head -c 400 "$d/diff")"
  fi
  report synth_threads_1_vs_2_identical

  run_quiet "$d/c" synth --preset tiny --seed 6 -o "$d/C"; rc=$?
  expect_exit "synth --seed 6" 0 $rc "$d/c"
  if [ -z "$REASONS" ] && diff -r -q "$d/A" "$d/C" >/dev/null 2>&1; then
    reason "seed 5 and seed 6 gave identical directories"
  fi
  report synth_other_seed_differs

  # What synth writes must pass validate.
  if [ -d "$d/A" ]; then
    run_quiet "$d/v" validate --employment "$d/A/employment.csv" --establishments "$d/A/establishments.csv" \
      --exports "$d/A/exports.csv" --nodes "$d/A/nodes.csv" --edges "$d/A/edges.csv" --responses "$d/A/responses.csv"
    rc=$?
    expect_exit "validate of synth output" 0 $rc "$d/v"
  else
    reason "no synth output to validate"
  fi
  check_no_temp_files "$d"
  report synth_output_validates
}

# A failed run must not touch what an earlier run wrote at the same place.
failed_synth_keeps_previous_output() {
  local d=$WORK/keep rc
  mkdir -p "$d/x"
  echo previous > "$d/x/keep.txt"
  run_quiet "$d/r" synth --preset tiny --data-dir /nonexistent/agglo-data -o "$d/x"; rc=$?
  exit_matches "3|4" "$rc" || expect_exit "synth with a bad --data-dir" 4 $rc "$d/r"
  [ "$(cat "$d/x/keep.txt" 2>/dev/null)" = previous ] || reason "the earlier output $d/x/keep.txt was lost"
  [ "$(LC_ALL=C ls -A "$d")" = "$(printf 'r.err\nr.out\nx')" ] || reason "unexpected entries: $(ls -A "$d" | tr '\n' ' ')"
  check_no_temp_files "$d"
  report failed_synth_keeps_previous_output
}

# Ctrl-C: exit 130, no output, no temporary directory. `when` is "early" (0.5 s in: during
# generation) or "writing" (as soon as the temporary output directory appears).
sigint_test() {
  local when=$1 name=$2
  local d=$WORK/sigint-$when
  mkdir -p "$d"
  # Job control on, so the background job does not start with SIGINT ignored.
  set -m
  "$AGGLO" synth --preset national -o "$d/nat" >"$d/r.out" 2>"$d/r.err" </dev/null &
  BG_PID=$!
  set +m
  local i sent=0
  if [ "$when" = early ]; then
    sleep 0.5
  else
    for ((i = 0; i < 1200; i++)); do
      compgen -G "$d/.nat.tmp-*" >/dev/null && break
      kill -0 "$BG_PID" 2>/dev/null || break
      sleep 0.05
    done
    sleep 0.1
  fi
  if kill -0 "$BG_PID" 2>/dev/null; then
    kill -INT "$BG_PID" && sent=1
  fi
  local waited=0
  while kill -0 "$BG_PID" 2>/dev/null && [ $waited -lt $((CASE_TIMEOUT * 10)) ]; do sleep 0.1; waited=$((waited + 1)); done
  if kill -0 "$BG_PID" 2>/dev/null; then
    kill -KILL "$BG_PID" 2>/dev/null
    reason "still running ${CASE_TIMEOUT}s after SIGINT"
  fi
  wait "$BG_PID"
  local rc=$?
  BG_PID=""
  if [ $sent = 0 ]; then
    echo "PASS $name (skipped: synth finished with exit $rc before the signal could be sent)"
    PASSED=$((PASSED + 1))
    REASONS=""
    return
  fi
  expect_exit "synth --preset national interrupted ($when)" 130 $rc "$d/r"
  [ -e "$d/nat" ] && reason "output $d/nat exists after Ctrl-C"
  check_no_temp_files "$d"
  report "$name"
}

# A file larger than one 4 MiB read block: line numbers stay right across blocks and
# problems in every block are reported.
big_file_line_numbers() {
  local d=$WORK/big f rc
  mkdir -p "$d"
  f=$d/big.csv
  {
    printf 'region,industry,employment,note\n'                # line 1
    printf 'R0,x,1,"two\nlines"\n'                            # lines 2-3
    seq -f "R%.0f,x,1,a longer note to pass 8 MiB" 1 150000  # lines 4-150003
    printf 'B1,x,oops,n\n'                                    # line 150004
    seq -f "R%.0f,x,1,a longer note to pass 8 MiB" 150001 300000  # lines 150005-300004
    printf 'B2\377,x,1,n\n'                                   # line 300005
    seq -f "R%.0f,x,1,a longer note to pass 8 MiB" 300001 450000  # lines 300006-450005
    printf 'B3,x,-7,n\n'                                      # line 450006
    printf 'B4,,1,n\n'                                        # line 450007: empty industry
  } > "$f"
  local size
  size=$(wc -c < "$f")
  [ "$size" -gt $((8 << 20)) ] || reason "test file is only $size bytes; want more than two blocks"
  run_quiet "$d/r" validate --employment "$f" -o "$d/p.csv"; rc=$?
  expect_exit "validate of a big file" 3 $rc "$d/r"
  local s
  for s in "4 problems" "$f:150004:3" "$f:300005:1" "$f:450006:3" "$f:450007:2"; do
    contains "$d/r.out" "$s" || contains "$d/r.err" "$s" || reason "output lacks '$s'"
  done
  contains "$d/p.summary.json" '"rows": 450005' || reason "p.summary.json lacks '\"rows\": 450005'"
  [ "$(wc -l < "$d/p.csv")" = 5 ] || reason "p.csv should have a header and 4 problems: $(cat "$d/p.csv")"
  report big_file_line_numbers_across_blocks
}

corpus_bytes
synth_deterministic
failed_synth_keeps_previous_output
sigint_test early sigint_during_generation
sigint_test writing sigint_during_writing
big_file_line_numbers

echo
if [ "$FAILED" -gt 0 ]; then echo "failed: ${FAILED_NAMES[*]}"; fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
