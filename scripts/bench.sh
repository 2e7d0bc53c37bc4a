#!/usr/bin/env bash
# Prints speed and size figures of a generated service (no pass/fail: numbers for the changelog).
#  - resynth time: `npx projen` (tsx from the service's node_modules) vs the same file run through
#    `npx -y -p tsx` (what projen's own tsx runner does), median of N runs;
#  - library tarball size, the service's node_modules size.
# Usage: scripts/bench.sh [runs]   (default 5). Needs the packed tarball: npx projen pack:tarball
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-5}"
tarball="$(ls "$root/${PACK_DIR:-.tmp/pack}"/projen-uv-service-*.tgz)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/bench-api"
cd "$work/bench-api"
"$root/node_modules/.bin/projen" new --from "$tarball" uv-python-service --name bench-api --no-git >/dev/null 2>&1

median_ms() { # command...
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

resynth=$(median_ms npx projen)
tsx_local=$(median_ms node_modules/.bin/tsx .projenrc.ts)
tsx_npx=$(median_ms npx -y -p tsx -c 'tsx .projenrc.ts')
echo "runs: $runs (median)"
echo "npx projen (full resynth):                 ${resynth} ms"
echo ".projenrc.ts via node_modules/.bin/tsx:    ${tsx_local} ms"
echo ".projenrc.ts via npx -y -p tsx:            ${tsx_npx} ms"
echo "saved per synth by the local tsx:          $(( tsx_npx - tsx_local )) ms"
echo "library tarball:                           $(du -k "$tarball" | cut -f1) KiB"
echo "service node_modules (projen toolchain):   $(du -sk node_modules | cut -f1) KiB"
echo "service managed files:                     $(node -e 'console.log(require("./.projen/files.json").files.length)')"
