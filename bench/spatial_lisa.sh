#!/usr/bin/env bash
# LISA and Getis–Ord G* with conditional permutations on the 3,191 US counties (queen
# contiguity, row-standardised; value log(area km²)): `agglo hotspots` vs R spdep
# (localmoran_perm, localG_perm), side by side in one run, 2 cores each. Goal of issue 5: LISA
# with 9,999 permutations on 3,000 regions in under 1 s on 2 cores.
#
#   bash bench/spatial_lisa.sh [AGGLO_BINARY] [PERMUTATIONS]
#
# agglo is timed as a whole process (read the TopoJSON through GDAL, build queen contiguity,
# Gi*, local and global Moran, permutations, write CSV) with /usr/bin/time -v (wall, peak RSS).
# spdep is timed inside R around the permutation call only (reading, poly2nb and nb2listw are
# not counted), so the ratio favours R; its peak RSS is that of the whole R process. Both with 2
# cores (agglo --threads 2; spdep set.coresOption(2)). Results: bench/results/spatial_lisa.txt.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$HERE/..
AGGLO=${1:-$ROOT/build/agglo}
R=${2:-9999}
WORK=${WORK:-/tmp/agglo-bench-lisa}
OUT=$HERE/results/spatial_lisa.txt
TOPO=$ROOT/data/geo/us_counties_economic_areas_msas.topojson
VALS=$ROOT/tests/reference/spatial_hotspots/county_values.csv
mkdir -p "$WORK" "$HERE/results"
source "$HERE/lib/idle.sh"

peak() { awk -F': ' '/Maximum resident set size/ {print $2}' "$1"; }
cpu() { awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$1"; }
wall() { awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$1" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }'; }

run_agglo() {  # $1 = statistic
  /usr/bin/time -v "$AGGLO" --threads 2 --quiet hotspots --regions "$TOPO" --layer counties --id fips \
    --values "$VALS" --value log_area --weights queen --statistic "$1" --permutations "$R" \
    -o "$WORK/agglo_$1/" 2> "$WORK/agglo_$1.time"
}

IDLE1=$(wait_idle); run_agglo lisa
IDLE2=$(wait_idle); run_agglo gi
IDLE3=$(wait_idle)
/usr/bin/time -v Rscript "$HERE/spatial_lisa.R" "$TOPO" "$VALS" "$R" 2 > "$WORK/r.log" 2> "$WORK/r.time"

AL=$(wall "$WORK/agglo_lisa.time"); AG=$(wall "$WORK/agglo_gi.time")
ALR=$(peak "$WORK/agglo_lisa.time"); RR=$(peak "$WORK/r.time")
RL=$(awk '/^localmoran_perm/ {print $2}' "$WORK/r.log"); RG=$(awk '/^localG_perm/ {print $2}' "$WORK/r.log")
RLC=$(awk '/^localmoran_perm/ {print $3}' "$WORK/r.log"); RGC=$(awk '/^localG_perm/ {print $3}' "$WORK/r.log")
RSIG=$(awk '/^significant_folded/ {print $2}' "$WORK/r.log")
ASIG=$(awk -F, 'NR > 1 && $14 != "" && $14 <= 0.05 {c++} END {print c + 0}' "$WORK/agglo_lisa/hotspots.csv")
{
  echo "# bench/spatial_lisa.sh — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, $(uname -m); idle before runs: ${IDLE1}% ${IDLE2}% ${IDLE3}%"
  echo "# 3,191 US counties (data/geo TopoJSON), queen contiguity (18,848 links, 3 islands), row weights, value log(area_km2), $R conditional permutations, 2 cores"
  echo "# agglo: whole process (GDAL read + weights + all statistics + CSV); spdep $(Rscript -e 'cat(format(packageVersion("spdep")))' 2>/dev/null): the permutation call only"
  printf '%-32s %8s %8s %12s\n' run wall_s cpu_s peak_rss_MB
  printf '%-32s %8.2f %8.2f %12.0f\n' "agglo hotspots --statistic lisa" "$AL" "$(cpu "$WORK/agglo_lisa.time")" "$(echo "$ALR / 1024" | bc -l)"
  printf '%-32s %8.2f %8.2f %12.0f\n' "agglo hotspots --statistic gi" "$AG" "$(cpu "$WORK/agglo_gi.time")" "$(echo "$(peak "$WORK/agglo_gi.time") / 1024" | bc -l)"
  printf '%-32s %8.2f %8.2f %12.0f\n' "spdep localmoran_perm" "$RL" "$RLC" "$(echo "$RR / 1024" | bc -l)"
  printf '%-32s %8.2f %8.2f %12s\n' "spdep localG_perm" "$RG" "$RGC" "(same R)"
  printf 'ratio spdep/agglo: LISA %.1f× wall, %.1f× cpu; G* %.1f× wall, %.1f× cpu\n' "$(echo "$RL / $AL" | bc -l)" \
    "$(echo "$RLC / $(cpu "$WORK/agglo_lisa.time")" | bc -l)" "$(echo "$RG / $AG" | bc -l)" "$(echo "$RGC / $(cpu "$WORK/agglo_gi.time")" | bc -l)"
  echo "regions with folded pseudo p <= 0.05 (LISA): agglo $ASIG, spdep $RSIG"
} | tee "$OUT"
