#!/usr/bin/env bash
# Where a request's time goes in the generated service and in the hand-written peer of
# scripts/bench/bench-service.sh: cProfile of PROFILE_REQUESTS (default 2000) POST /items and GET /items/{id},
# each served in-process by the app (scripts/bench/bench-profile.py), on the benchmark's own stack: Debian
# trixie's Python in the rootfs, PgBouncer in transaction mode with TLS and SCRAM, PostgreSQL 15 (see
# scripts/lib/servers.sh). Prints the time per request with and without the profiler and the profiled
# time by package, for both apps in one run. Figures are printed, never asserted.
#
#   PROFILE_REQUESTS  requests per profile (default 2000); ROOTFS, TARBALL as scripts/bench/bench-service.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/lib/servers.sh
. scripts/lib/servers.sh
N=${PROFILE_REQUESTS:-2000}

se_init
trap se_cleanup EXIT
trap 'exit 130' INT TERM
se_rootfs
se_create_service
se_variant default ""
mkdir -p "$ROOTFS$SE_IN_ROOT/peer"
cp scripts/bench/bench-peer.py "$ROOTFS$SE_IN_ROOT/peer/bench_peer.py"
cp scripts/bench/bench-profile.py "$ROOTFS$SE_IN_ROOT/peer/bench_profile.py"
cp scripts/bench/bench-profile.py "$ROOTFS$SE_IN_ROOT/default/bench_profile.py"
chmod -R a+rX "$ROOTFS$SE_IN_ROOT"
se_start_postgres
se_start_pgbouncer
se_migrate default
se_admin -c "INSERT INTO item (name, description) SELECT 'seed ' || g, 'seeded' FROM generate_series(1, 1000) g"

for route in post item; do
  se_step "cProfile, $N requests of $route, in-process"
  (se_in_rootfs nobody "$SE_IN_ROOT/default" "$POOLED_ENV=$POOLED_URL" -- python3 bench_profile.py "$SE_PACKAGE.main:api" "$route" "$N") >/dev/null
  (se_in_rootfs nobody "$SE_IN_ROOT/peer" "DATABASE_URL=$POOLED_URL" -- python3 bench_profile.py bench_peer:app "$route" "$N") >/dev/null
done
