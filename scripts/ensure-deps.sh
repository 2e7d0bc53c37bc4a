#!/usr/bin/env bash
# Installs the library's npm dependencies from package-lock.json when they are missing or stale. A
# node_modules that is a symlink (a worktree sharing another checkout's) is only unlinked before npm ci
# replaces it, so the other checkout's packages are left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/projen ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  if [ -L node_modules ]; then rm node_modules; fi
  npm ci --no-audit --no-fund
fi
