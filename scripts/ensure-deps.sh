#!/usr/bin/env bash
# Installs the library's npm dependencies from package-lock.json when they are missing or stale.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/projen ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
