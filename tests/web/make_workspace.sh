#!/usr/bin/env bash
# The synthetic workspace the server, dashboard and report tests share: `agglo demo` on the
# tiny preset, written into the build tree (never the checkout).
# usage: make_workspace.sh AGGLO DIR
set -euo pipefail
agglo="$1"; dir="$2"
rm -rf "$dir/agglo-demo"
mkdir -p "$dir"
"$agglo" --quiet demo -o "$dir/agglo-demo"
test -f "$dir/agglo-demo/workspace.gpkg"
echo "workspace: $dir/agglo-demo/workspace.gpkg"
