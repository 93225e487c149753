#!/usr/bin/env bash
# README command 1: install, build, and run the main job (`agglo demo` on bundled data).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
./build/agglo demo -o agglo-demo "$@"
echo "open agglo-demo/report.html in a browser; agglo-demo/workspace.gpkg in QGIS"
