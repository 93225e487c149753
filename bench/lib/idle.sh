# Shared by the benchmark scripts (source it): the machine is shared, so each timed run first
# waits for idle CPUs and records how idle they were.
#
#   idle_pct         share of CPU time idle over the next second, from /proc/stat (0–100)
#   wait_idle        waits (at most $WAIT_IDLE s, default 600) until the CPUs are ≥ 85 % idle;
#                    prints the idle share it last saw; notes on stderr while it waits

idle_pct() {
  local a b
  a=$(awk '/^cpu / { print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
  sleep 1
  b=$(awk '/^cpu / { print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " ");
    d = y[2] - x[2]; printf "%.0f", (d > 0 ? 100 * (y[1] - x[1]) / d : 100) }'
}

wait_idle() {
  local waited=0 idle limit=${WAIT_IDLE:-600}
  idle=$(idle_pct)
  while ((idle < 85 && waited < limit)); do
    ((waited % 30 == 0)) && echo "machine busy (${idle}% idle), waiting…" >&2
    idle=$(idle_pct); waited=$((waited + 1))
  done
  echo "$idle"
}
