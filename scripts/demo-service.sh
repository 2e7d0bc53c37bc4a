#!/usr/bin/env bash
# Creates a demo service from the packed library of this checkout, the way a user would:
# `projen new --from <tarball> uv-python-service`, then a second synth with `npx projen`.
# Usage: demo-service.sh [name]   (folder: .demo/<name>; default name: orders-api)
# The folder is hidden on purpose: jsii-docgen collects every .jsii below the checkout except in
# dot-folders, and the demo's node_modules holds a build of this library that may be older.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
name="${1:-orders-api}"
tarball="$(ls "$root/${PACK_DIR:-.tmp/pack}"/projen-uv-service-*.tgz)"
dir="$root/.demo/$name"

rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
"$root/node_modules/.bin/projen" new --from "$tarball" uv-python-service --name "$name" --no-git
npx projen
echo
echo "Demo service created in .demo/$name. Managed files:"
node -e 'for (const f of require("./.projen/files.json").files) console.log("  " + f)'
