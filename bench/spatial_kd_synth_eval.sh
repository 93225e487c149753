#!/usr/bin/env bash
# Kd on a synthetic economy with planted truth: `agglo kdensity` (199 DO simulations, 0–100 km)
# on every industry of `agglo synth --preset tiny` with at least 40 establishments, compared
# with truth_industries.csv (localised = planted site-scale localisation). Prints one row per
# industry and the confusion counts, precision and recall overall and by kind (traded/local).
#   bash bench/spatial_kd_synth_eval.sh [AGGLO_BINARY]   → bench/results/spatial_kd_synth.txt
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
AGGLO=${1:-$HERE/../build/agglo}
WORK=${WORK:-/tmp/agglo-bench-kd-synth}
mkdir -p "$WORK" "$HERE/results"
[[ -f $WORK/tiny/establishments.csv ]] || "$AGGLO" synth --preset tiny --quiet -o "$WORK/tiny/"
D=$WORK/tiny
awk -F, 'NR > 1 { c[$2]++ } END { for (k in c) if (c[k] >= 40) print k }' "$D/establishments.csv" | sort > "$WORK/industries.txt"
{
  echo "industry,establishments,kind,truth_localised,truth_scale_km,flagged,peak_excess_km"
  while read -r ind; do
    t=$(grep "^$ind," "$D/truth_industries.csv" | cut -d, -f3,4,5)
    "$AGGLO" --quiet --threads 2 kdensity --establishments "$D/establishments.csv" --industry "$ind" \
      --simulations 199 --max-distance 100 -o "$WORK/kd_$ind/" > /dev/null
    /usr/bin/python3 -c "
import json; s = json.load(open('$WORK/kd_$ind/summary.json'))
print('$ind', s['establishments'], '$t', int(s['localised']), s.get('peak_excess_distance', ''), sep=',')"
  done < "$WORK/industries.txt"
} > "$WORK/eval.csv"
/usr/bin/python3 - "$WORK/eval.csv" <<'PY' | tee "$HERE/results/spatial_kd_synth.txt"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(f"# bench/spatial_kd_synth_eval.sh: agglo kdensity on synth --preset tiny, {len(rows)} industries with >= 40 establishments, 199 DO simulations, 0-100 km")
for sel in ("all", "traded", "local"):
    R = [r for r in rows if sel == "all" or r["kind"] == sel]
    c = {k: sum(1 for r in R if (r["truth_localised"] == "1") == t and (r["flagged"] == "1") == f) for k, t, f in
         (("tp", True, True), ("fp", False, True), ("fn", True, False), ("tn", False, False))}
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else float("nan")
    rec = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else float("nan")
    print(f"{sel:7s} n={len(R):3d} tp={c['tp']} fp={c['fp']} fn={c['fn']} tn={c['tn']} precision={p:.3f} recall={rec:.3f}")
PY
