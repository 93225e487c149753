#!/usr/bin/env bash
# Installs every dependency of agglo from Debian 12 packages. Idempotent: packages already
# installed are skipped, and apt-get runs only when something is missing.
set -euo pipefail

PACKAGES=(
  # toolchain
  g++ cmake ninja-build pkg-config make
  # libraries (headers): CLI, formatting, JSON, number parsing, threads, linear algebra,
  # spatial index, graphs, geodata, storage
  libcli11-dev libfmt-dev nlohmann-json3-dev libfast-float-dev libtbb-dev libabsl-dev libxxhash-dev
  libeigen3-dev libspectra-dev libnanoflann-dev libigraph-dev
  # linear programmes (benefit-of-the-doubt weights of the composite index)
  libglpk-dev
  # F and normal distributions of the time-series tests (Boost.Math, header-only; src/stats/time_series.cpp)
  libboost-dev
  libgdal-dev gdal-bin libsqlite3-dev zlib1g-dev
  # PostGIS as an input source (tests start a private server: tests/io/run_postgis_tests.sh)
  postgresql-15 postgresql-15-postgis-3
  # MPI for distributed sweeps and replicates (optional at build time; tests use 1 and 2 ranks)
  libopenmpi-dev openmpi-bin
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # the Python module (pybind11 extension built against Debian's /usr/bin/python3), its tests,
  # progress bars and GeoDataFrame conversion, and `pip install .` into a venv
  pybind11-dev python3-dev python3-venv python3-pytest python3-tqdm python3-geopandas
  python3-setuptools python3-wheel python3-pip
  # compiler cache: makes rebuilds in fresh build trees cheap
  ccache
  # reference implementations used side by side in benchmarks (run with /usr/bin/python3)
  python3-numpy python3-pandas python3-networkx python3-statsmodels python3-sklearn
  # igraph's single-threaded exact betweenness and closeness, the peer of bench/network_centrality.sh
  python3-igraph
  # R reference implementations for the spatial benchmarks (spatstat Kest, dbscan::hdbscan,
  # spdep localmoran_perm) and the scripts that regenerate the spatial test references
  r-base-core r-cran-spatstat r-cran-dbscan r-cran-spdep
  # R survival::coxph, the reference of the Cox model (tests/reference/dynamics/cox_reference.R)
  # and the other side of bench/dynamics.sh
  r-cran-survival
  # MatchIt, the reference of evaluate match (tests/reference/dynamics/matching_reference.R)
  r-cran-matchit
  # spatialreg (lagsarlm, errorsarlm, impacts): reference values and benchmark of spatial-model
  r-cran-spatialreg
  # `agglo serve` (apps/server): the HTTP server library and what its Debian build links
  libcpp-httplib-dev libssl-dev libbrotli-dev
  # the dashboard's browser tests and the report test (headless, never a browser download),
  # fonts for readable screenshots, and the load test of the server (bench/serve_load.sh, wrk)
  chromium fonts-dejavu-core wrk
  # the static file server the load test compares agglo serve with
  busybox
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${#missing[@]} Debian package(s): ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all Debian packages present"
fi

# The dashboard (web/): node and npm (Debian's nodejs/npm when no node is installed; a node
# that ships its own npm is kept), then npm ci from the lock file and the Vite build.
if ! command -v npm >/dev/null 2>&1; then
  echo "setup: installing nodejs and npm"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
fi
bash "$(dirname "$0")/web.sh"
