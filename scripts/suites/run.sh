#!/usr/bin/env bash
# Runs one root suite as scripts/test does: `bash scripts/suites/run.sh NAME`, which is what the projen task
# `npx projen test:NAME` runs (one definition per suite; scripts/test runs every suite through its task).
# The packed library is $TARBALL, else the tarball of `npx projen pack:tarball` in .tmp/pack (this script
# does not pack: scripts/test packs once before its suites start). JUnit-style counts go to $TEST_REPORTS
# (default test-reports/). The suites, with the settings scripts/test gives them:
#   integration      scripts/suites/integration.sh
#   tls              scripts/suites/integration-tls.sh, TLS_SHORT=1 unless set (5 connections per bench row)
#   docker           scripts/suites/docker-integration.sh
#   runtime          scripts/suites/integration-runtime.sh
#   restart          scripts/suites/integration-restart.sh
#   getting-started  scripts/suites/getting-started.sh
#   workspace-db     scripts/suites/integration-workspace-db.sh
#   ci-test-job      scripts/suites/ci-test-job.sh
#   bench            scripts/bench/bench-service.sh, BENCH_SHORT=1 unless set (2 s per cell; no report)
# Every one needs root (chroot, an unprivileged PostgreSQL user, a private dockerd).
set -euo pipefail
cd "$(dirname "$0")/../.."
name=${1:-}
case $name in
  integration) script=scripts/suites/integration.sh ;;
  tls) script=scripts/suites/integration-tls.sh && export TLS_SHORT=${TLS_SHORT:-1} ;;
  docker) script=scripts/suites/docker-integration.sh ;;
  runtime) script=scripts/suites/integration-runtime.sh ;;
  restart) script=scripts/suites/integration-restart.sh ;;
  getting-started) script=scripts/suites/getting-started.sh ;;
  workspace-db) script=scripts/suites/integration-workspace-db.sh ;;
  ci-test-job) script=scripts/suites/ci-test-job.sh ;;
  bench) script=scripts/bench/bench-service.sh && export BENCH_SHORT=${BENCH_SHORT:-1} ;;
  *)
    echo "run.sh: unknown suite '$name': expected integration, tls, docker, runtime, restart, getting-started, workspace-db, ci-test-job or bench" >&2
    exit 2
    ;;
esac
if [ -z "${TARBALL:-}" ]; then
  for f in "$PWD"/.tmp/pack/projen-uv-service-*.tgz; do [ ! -f "$f" ] || TARBALL=$f; done
  [ -n "$TARBALL" ] || { echo "run.sh: no packed library in .tmp/pack: run \`npx projen pack:tarball\` first (or set TARBALL)" >&2; exit 2; }
fi
export TARBALL
[ "$name" = bench ] || export TEST_REPORTS=${TEST_REPORTS:-$PWD/test-reports}
exec bash "$script"
