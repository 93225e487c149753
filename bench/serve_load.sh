#!/usr/bin/env bash
# Load test of `agglo serve` with wrk on loopback, beside a plain static file server serving
# the very same bytes (python3 -m http.server, threaded) as the reference: a small read
# endpoint (/api/layers/cluster_map_cluster_summary, JSON rows), the big attribute layer
# (/api/layers/cluster_map) and the GeoJSON of the county polygons
# (/api/layers/region_polygons). Bounded: each run lasts DURATION seconds (default 10) with
# 2 threads and CONNECTIONS connections (default 16); nothing but 127.0.0.1 is contacted.
#
# usage: bench/serve_load.sh [WORKSPACE]   (default: a tiny `agglo demo` in a scratch folder)
# Appends to bench/results/serve_load.csv and prints a Markdown table.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
agglo="${AGGLO:-$repo/build/agglo}"
duration="${DURATION:-10}"
connections="${CONNECTIONS:-16}"
command -v wrk >/dev/null || { echo "serve_load: wrk not found (scripts/setup.sh installs it)" >&2; exit 1; }
scratch="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$scratch"; }
trap cleanup EXIT

workspace="${1:-}"
if [ -z "$workspace" ]; then
  "$agglo" --quiet demo -o "$scratch/agglo-demo"
  workspace="$scratch/agglo-demo/workspace.gpkg"
fi

"$agglo" serve --workspace "$workspace" --port 0 > "$scratch/serve.out" 2>/dev/null &
pids+=($!)
for _ in $(seq 100); do [ -s "$scratch/serve.out" ] && break; sleep 0.1; done
base="$(head -1 "$scratch/serve.out" | sed 's/listening on //')"

# The reference serves files with the server's exact response bodies.
mkdir -p "$scratch/static"
layers=(cluster_map_cluster_summary cluster_map region_polygons)
for l in "${layers[@]}"; do curl -sf "$base/api/layers/$l" -o "$scratch/static/$l.json"; done
port=$(( 20000 + RANDOM % 20000 ))
(cd "$scratch/static" && exec python3 -m http.server "$port" --bind 127.0.0.1) > /dev/null 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/" -o /dev/null && break; sleep 0.1; done
bbport=$(( port + 1 ))
have_busybox=0
if command -v busybox >/dev/null && busybox httpd --help >/dev/null 2>&1; then
  busybox httpd -f -p "127.0.0.1:$bbport" -h "$scratch/static" &
  pids+=($!)
  have_busybox=1
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$bbport/${layers[0]}.json" -o /dev/null && break; sleep 0.1; done
fi

results="$repo/bench/results/serve_load.csv"
[ -f "$results" ] || echo "date,commit,load1,server,endpoint,bytes,duration_s,connections,requests_per_s,p50_ms,p75_ms,p90_ms,p99_ms,errors" > "$results"
commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"

# wrk's latency distribution → milliseconds.
ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); print v } else if (v ~ /s$/) { sub(/s$/, "", v); print v * 1000 } else print v }'; }
echo "| server | endpoint | bytes | req/s | p50 ms | p75 ms | p90 ms | p99 ms | errors |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
run() {
  local name="$1" url="$2" endpoint="$3" bytes="$4"
  local out; out="$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$url")"
  local rps p50 p75 p90 p99 errs
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p50="$(ms "$(awk '$1=="50%" {print $2}' <<<"$out")")"
  p75="$(ms "$(awk '$1=="75%" {print $2}' <<<"$out")")"
  p90="$(ms "$(awk '$1=="90%" {print $2}' <<<"$out")")"
  p99="$(ms "$(awk '$1=="99%" {print $2}' <<<"$out")")"
  errs="$(awk '/Non-2xx|Socket errors/ {s = s $0 "; "} END {print s}' <<<"$out" | tr ',' ' ')"
  echo "$(date -u +%FT%TZ),$commit,$(cut -d' ' -f1 /proc/loadavg),$name,$endpoint,$bytes,$duration,$connections,$rps,$p50,$p75,$p90,$p99,${errs:-0}" >> "$results"
  echo "| $name | $endpoint | $bytes | $rps | $p50 | $p75 | $p90 | $p99 | ${errs:-0} |"
}
for l in "${layers[@]}"; do
  bytes="$(stat -c %s "$scratch/static/$l.json")"
  run "agglo serve" "$base/api/layers/$l" "/api/layers/$l" "$bytes"
  if [ "$have_busybox" = 1 ]; then run "busybox httpd" "http://127.0.0.1:$bbport/$l.json" "/api/layers/$l" "$bytes"; fi
  run "python3 -m http.server" "http://127.0.0.1:$port/$l.json" "/api/layers/$l" "$bytes"
done
run "agglo serve" "$base/api/schema" "/api/schema" "$(curl -s "$base/api/schema" | wc -c)"
