#!/usr/bin/env bash
# PostGIS as an input source (docs/input-formats.md, "GDAL sources"): starts a private
# PostgreSQL 15 + PostGIS 3 server (its own data directory, a Unix socket in a temporary
# directory, a private port, no TCP listener), loads the test establishments with ogr2ogr, and
# checks that every point command reads the PostGIS layer exactly as it reads the same points
# from a GeoPackage: byte-identical outputs for dbscan and concentrate, the same K-density verdict,
# and a clear error for an unknown table. The server is stopped and its files removed on exit.
#
#   bash tests/io/run_postgis_tests.sh <path-to-agglo> <source-dir>
#
# Exits 0 when every check passes, 1 when one fails. When PostgreSQL or PostGIS is not installed
# (scripts/setup.sh installs both) it says so and exits 77, which ctest reports as skipped.
set -u
AGGLO=$1
case $AGGLO in /*) ;; *) AGGLO=$PWD/$AGGLO ;; esac
SRC=$(cd "$2" && pwd) || exit 2
PGBIN=/usr/lib/postgresql/15/bin
if [ ! -x "$PGBIN/initdb" ] || [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
  echo "SKIP: PostgreSQL 15 with PostGIS 3 is not installed (scripts/setup.sh installs it)"
  exit 77
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/agglo-postgis.XXXXXX") || exit 2
PORT=$((20000 + RANDOM % 20000))
# initdb refuses to run as root: as root, the server runs as the postgres user.
AS=()
if [ "$(id -u)" -eq 0 ]; then
  AS=(runuser -u postgres --)
  chown postgres "$WORK"
fi
stop() {
  "${AS[@]}" "$PGBIN/pg_ctl" -D "$WORK/db" -m immediate stop >/dev/null 2>&1
  rm -rf "$WORK"
}
trap stop EXIT

"${AS[@]}" "$PGBIN/initdb" -D "$WORK/db" -U agglo --auth=trust >"$WORK/initdb.log" 2>&1 ||
  { echo "FAIL initdb"; cat "$WORK/initdb.log"; exit 1; }
"${AS[@]}" "$PGBIN/pg_ctl" -D "$WORK/db" -w -t 60 -l "$WORK/server.log" \
  -o "-p $PORT -k $WORK -c listen_addresses=''" start >/dev/null 2>&1 ||
  { echo "FAIL server start"; cat "$WORK/server.log"; exit 1; }
PSQL=("$PGBIN/psql" -h "$WORK" -p "$PORT" -U agglo -q -v ON_ERROR_STOP=1)
"${PSQL[@]}" -d postgres -c "CREATE DATABASE agglo_test" &&
  "${PSQL[@]}" -d agglo_test -c "CREATE EXTENSION postgis" ||
  { echo "FAIL create database"; exit 1; }

PG="PG:host=$WORK port=$PORT user=agglo dbname=agglo_test"
GPKG=$SRC/tests/cli/good/inputs/est_ct.gpkg
ogr2ogr -f PostgreSQL "$PG" "$GPKG" establishments -nln establishments -lco GEOMETRY_NAME=geom \
  >"$WORK/ogr.log" 2>&1 || { echo "FAIL ogr2ogr"; cat "$WORK/ogr.log"; exit 1; }

passed=0
failed=0
check() {  # name, condition (0 = pass), message
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "PASS $1"; else failed=$((failed + 1)); echo "FAIL $1: $3"; fi
}
run() { "$AGGLO" --quiet "$@" 2>"$WORK/stderr"; }

mkdir -p "$WORK/pg" "$WORK/gpkg"
run dbscan --establishments "$PG" --layer establishments --eps 2 --min-points 5 -o "$WORK/pg/d.csv"
rc=$?
run dbscan --establishments "$GPKG" --eps 2 --min-points 5 -o "$WORK/gpkg/d.csv"
cmp -s "$WORK/pg/d.csv" "$WORK/gpkg/d.csv"
check "dbscan from PostGIS equals dbscan from GeoPackage" $((rc + $?)) "exit $rc; $(head -c 300 "$WORK/stderr")"

run concentrate --establishments "$PG" --layer establishments -o "$WORK/pg/c.csv"
rc=$?
run concentrate --establishments "$GPKG" -o "$WORK/gpkg/c.csv"
cmp -s "$WORK/pg/c.csv" "$WORK/gpkg/c.csv"
check "concentrate from PostGIS equals concentrate from GeoPackage" $((rc + $?)) "exit $rc; $(head -c 300 "$WORK/stderr")"

run kdensity --establishments "$PG" --layer establishments --industry A --simulations 99 -o "$WORK/pg/k.csv"
rc=$?
run kdensity --establishments "$GPKG" --industry A --simulations 99 -o "$WORK/gpkg/k.csv"
cmp -s "$WORK/pg/k.csv" "$WORK/gpkg/k.csv"
check "kdensity from PostGIS equals kdensity from GeoPackage" $((rc + $?)) "exit $rc; $(head -c 300 "$WORK/stderr")"

run validate --establishments "$PG" --layer establishments
rc=$?
check "validate reads the PostGIS layer" $rc "exit $rc; $(head -c 300 "$WORK/stderr")"

run dbscan --establishments "$PG" --layer no_such_table --eps 2 --min-points 5 -o "$WORK/pg/x.csv"
rc=$?
[ $rc -eq 3 ] && grep -q "no_such_table" "$WORK/stderr" && [ ! -e "$WORK/pg/x.csv" ]
check "an unknown PostGIS table is invalid input (exit 3) naming it, and writes nothing" $? \
  "exit $rc; $(head -c 300 "$WORK/stderr")"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
