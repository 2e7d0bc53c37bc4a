#!/usr/bin/env bash
# Shows, with the private dockerd's BuildKit (offline), why ci.yml's publish job can push the very image the
# docker job tested: a rebuild of the same inputs whose every step is a cache hit exports the same image ID
# (config digest), while a rebuild that re-runs a step (no cache) exports another one, which publish's
# `verify` step would refuse. Prints the IDs side by side; exits 1 when the first two differ or the third
# does not. Needs root (dockerd).
set -euo pipefail
# shellcheck source=scripts/lib/servers.sh
. "$(dirname "$0")/lib/servers.sh"
srv_init image-identity
# shellcheck source=scripts/lib/docker.sh
. "$SRV_ROOT/scripts/lib/docker.sh"
srv_need_root
docker_start
ctx="$SRV_WORK/ctx"
mkdir -p "$ctx"
printf 'print("hello")\n' >"$ctx/app.py"
# No base image (nothing can be pulled): two copies. Their layers are the same bytes however they are
# built; an executed (uncached) step still gets a new creation time in the image's history, so a new ID.
printf 'FROM scratch\nCOPY app.py /app/app.py\nCOPY app.py /app/stamp\n' >"$ctx/Dockerfile"
build() { docker_build "$SRV_WORK/build.log" "$@" -t identity:test "$ctx" && dk image inspect --format '{{.Id}}' identity:test; }
first=$(build)
sleep 2
cached=$(build)
sleep 2
rebuilt=$(build --no-cache)
printf '%-34s %s\n' 'first build' "$first" 'same inputs, from the cache' "$cached" 'same inputs, --no-cache' "$rebuilt"
[ "$first" = "$cached" ] || { echo "FAIL: a fully cached rebuild exported another image" >&2; exit 1; }
[ "$first" != "$rebuilt" ] || echo "note: even an uncached rebuild of this Dockerfile is byte-identical (no timestamps in it)"
echo "PASS: a fully cached rebuild exports the same image ID"
