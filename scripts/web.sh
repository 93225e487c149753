#!/usr/bin/env bash
# Installs the dashboard's npm packages exactly as web/package-lock.json pins them and builds
# it with Vite into web/dist, which `agglo serve` serves and `agglo report` inlines.
# Idempotent: npm ci runs only when the lock file changed since the last install, the build
# only when a source is newer than web/dist.
set -euo pipefail
cd "$(dirname "$0")/../web"
if ! command -v npm >/dev/null 2>&1; then
  echo "web: npm not found (scripts/setup.sh installs nodejs and npm); the dashboard is not built" >&2
  exit 1
fi
stamp=node_modules/.agglo-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "web: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
if [ ! -f dist/index.html ] || [ -n "$(find index.html vite.config.js src package-lock.json -newer dist/index.html -print -quit)" ]; then
  echo "web: vite build"
  npx --no-install vite build --logLevel warn
fi
echo "web: dashboard built in web/dist"
