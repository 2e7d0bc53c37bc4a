#!/usr/bin/env bash
# Packs the compiled library into $PACK_DIR (default .tmp/pack), replacing any older tarball there.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${PACK_DIR:-.tmp/pack}"
rm -rf "$dir"
mkdir -p "$dir"
npm pack --pack-destination "$dir" --silent
