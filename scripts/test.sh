#!/usr/bin/env bash
# README command 2: install, build, and run every test (unit, data-driven cases, CLI contract).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
BUILD_DIR="${AGGLO_BUILD_DIR:-build}"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j 2 --timeout 900
