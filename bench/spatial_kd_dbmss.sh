#!/usr/bin/env bash
# Kd against dbmss itself (issue 21, item 4): `agglo kdensity` and R dbmss's Kdhat / KdEnvelope
# side by side on the same data — an industry of 2,000 establishments among 20,000 sites
# (bench/spatial_kd_data.py), the same 101 distances, 999 simulations, global envelope.
#
# dbmss is not packaged in Debian and CRAN is not reachable, so it is built from its public
# repository into a scratch library, for this benchmark only:
#   DBMSS_SRC  a git clone of github.com/EricMarcon/dbmss (default: the fetched mirror
#              /work/.mirror/EricMarcon+dbmss/repo, a bare mirror, or a work tree); the commit is
#              pinned to d02b83b, release 2.9-2 (August 2024, the CRAN version of the time): later
#              versions import doFuture, which Debian 12 lacks (and the development versions
#              between, e.g. 2.9-2.9103, fail in Kdhat's argument check).
#   Its other dependencies come from Debian (r-cran-rcppparallel, -cubature, -ggplot2, -reshape2,
#   -rlang, -tibble, -spatstat*); the script installs the missing ones with apt-get when root.
#
#   bash bench/spatial_kd_dbmss.sh [AGGLO_BINARY]        (SIMS=99 AGGLO_SIMS=999)
# Both tools run SIMS simulations (dbmss takes about 1.5 s per simulation here, so 999 would take
# 25 minutes); agglo also runs AGGLO_SIMS, the figure for DO's usual 1,000.
# Results: bench/results/spatial_kd_dbmss.txt: wall times (agglo: whole process; dbmss: the
# Kdhat and KdEnvelope calls), their ratio, and the largest gap between the two observed curves
# relative to the curve's peak. dbmss's defaults are kept (for 20,000 points it bins distances,
# Approximate = 1), so its curve differs from the exact one by its binning.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
AGGLO=${1:-$HERE/../build/agglo}
SIMS=${SIMS:-99}
AGGLO_SIMS=${AGGLO_SIMS:-999}
WORK=${WORK:-/tmp/agglo-bench-kd-dbmss}
DBMSS_SRC=${DBMSS_SRC:-/work/.mirror/EricMarcon+dbmss/repo}
DBMSS_COMMIT=d02b83b
OUT=$HERE/results/spatial_kd_dbmss.txt
mkdir -p "$WORK" "$HERE/results"

# ---- dbmss into $WORK/rlib
if ! Rscript -e "suppressMessages(library(dbmss, lib.loc = '$WORK/rlib'))" > /dev/null 2>&1; then
  DEPS="r-cran-rcpp r-cran-rcppparallel r-cran-cubature r-cran-ggplot2 r-cran-reshape2 r-cran-rlang r-cran-tibble r-cran-spatstat"
  missing=$(for p in $DEPS; do dpkg -s "$p" > /dev/null 2>&1 || echo "$p"; done)
  if [ -n "$missing" ]; then
    [ "$(id -u)" = 0 ] || { echo "install first: apt-get install $missing" >&2; exit 1; }
    apt-get install -y $missing > "$WORK/apt.log"
  fi
  [ -d "$DBMSS_SRC" ] || { echo "no dbmss source at $DBMSS_SRC (set DBMSS_SRC to a clone of github.com/EricMarcon/dbmss)" >&2; exit 1; }
  rm -rf "$WORK/dbmss_src" && mkdir -p "$WORK/dbmss_src" "$WORK/rlib"
  GIT_DIR=$DBMSS_SRC; [ -d "$DBMSS_SRC/.git" ] && GIT_DIR=$DBMSS_SRC/.git
  git --git-dir="$GIT_DIR" archive "$DBMSS_COMMIT" | tar -x -C "$WORK/dbmss_src"
  R CMD INSTALL -l "$WORK/rlib" "$WORK/dbmss_src" > "$WORK/dbmss_install.log" 2>&1
fi

[[ -f $WORK/sites20k.csv ]] || /usr/bin/python3 "$HERE/spatial_kd_data.py" 20000 2000 "$WORK/sites20k.csv" 1
secs() { /usr/bin/time -f "%e %M" -o "$WORK/t" "$@" > /dev/null 2>&1; cat "$WORK/t"; }
KD=(--threads 2 --quiet --timings kdensity --establishments "$WORK/sites20k.csv" --industry REF)
read -r A_ENV A_ENV_MEM < <(secs "$AGGLO" "${KD[@]}" --simulations "$SIMS" -o "$WORK/agglo_env")
read -r A_ENV2 A_ENV2_MEM < <(secs "$AGGLO" "${KD[@]}" --simulations "$AGGLO_SIMS" -o "$WORK/agglo_env2")
RMAX=$(/usr/bin/python3 -c "import json; print(json.load(open('$WORK/agglo_env/summary.json'))['max_distance'])")
read -r A_DEF A_DEF_MEM < <(secs "$AGGLO" "${KD[@]}" --no-envelope -o "$WORK/agglo_default")
read -r A_OBS A_OBS_MEM < <(secs "$AGGLO" "${KD[@]}" --no-envelope --max-distance "$RMAX" -o "$WORK/agglo_obs")
Rscript "$HERE/spatial_kd_dbmss.R" "$WORK/rlib" "$WORK/sites20k.csv" REF "$RMAX" 101 "$SIMS" "$WORK/dbmss.csv" > "$WORK/dbmss.log" 2>&1
D_OBS=$(awk '$1 == "observed" {print $2}' "$WORK/dbmss.log")
D_EXACT=$(awk '$1 == "observed_exact" {print $2}' "$WORK/dbmss.log")
D_ENV=$(awk '$1 == "envelope" {print $2}' "$WORK/dbmss.log")
# gap COLUMN: largest |agglo kd − dbmss COLUMN| / max dbmss COLUMN over the common distances
gap() { /usr/bin/python3 -c "
import csv
a = {round(float(r['distance']), 6): float(r['kd']) for r in csv.DictReader(open('$WORK/agglo_obs/kdensity.csv'))}
b = [(round(float(r['distance']), 6), float(r['$1'])) for r in csv.DictReader(open('$WORK/dbmss.csv'))]
peak = max(v for _, v in b); print(f'{max(abs(a[d] - v) for d, v in b if d in a) / peak:.2e}')"; }
ratio() { /usr/bin/python3 -c "print(f'{float(\"$1\")/float(\"$2\"):.1f}')"; }
{
  echo "# bench/spatial_kd_dbmss.sh — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); dbmss $(Rscript -e "cat(format(packageVersion('dbmss', lib.loc = '$WORK/rlib')))" 2>/dev/null) ($DBMSS_COMMIT)"
  echo "# 2,000 REF establishments among 20,000 sites, 101 distances to $RMAX km (DO's default: the median site-pair distance), $SIMS simulations"
  echo "# agglo: whole process (reading included); dbmss: the Kdhat / KdEnvelope call (wmppp built before)"
  echo "# what | agglo s | agglo peak MB | dbmss s | dbmss s / agglo s"
  echo "observed Kd, same distances given (dbmss default: Approximate = 1) | $A_OBS | $((A_OBS_MEM / 1024)) | $D_OBS | $(ratio "$D_OBS" "$A_OBS")"
  echo "observed Kd, same distances, exact (dbmss Approximate = 0) | $A_OBS | $((A_OBS_MEM / 1024)) | $D_EXACT | $(ratio "$D_EXACT" "$A_OBS")"
  echo "observed Kd, agglo finding the default range itself (all 2e8 site pairs) | $A_DEF | $((A_DEF_MEM / 1024)) | - | -"
  echo "Kd + global envelope, $SIMS simulations (dbmss defaults) | $A_ENV | $((A_ENV_MEM / 1024)) | $D_ENV | $(ratio "$D_ENV" "$A_ENV")"
  echo "Kd + global envelope, $AGGLO_SIMS simulations | $A_ENV2 | $((A_ENV2_MEM / 1024)) | - | -"
  echo "largest |Kd agglo - Kd dbmss exact| / max: $(gap kd_exact); against dbmss's default (binned distances): $(gap kd)"
} | tee "$OUT"
