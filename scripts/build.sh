#!/usr/bin/env bash
# Configures (once) and builds agglo in build/. Quick when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${AGGLO_BUILD_DIR:-build}"
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  LAUNCHER=()
  # ccache, when installed (it is not required), makes rebuilds in fresh build trees cheap.
  if command -v ccache >/dev/null 2>&1; then LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release "${LAUNCHER[@]}"
fi
# Two jobs: the machine has two cores and the GDAL/TBB headers are memory-hungry.
cmake --build "$BUILD_DIR" -j "${AGGLO_JOBS:-2}"
