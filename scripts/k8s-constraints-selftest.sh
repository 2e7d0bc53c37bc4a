#!/usr/bin/env bash
# Self-test of scripts/k8s-constraints.sh, offline: a service with `kubernetes: true` synthesized from this
# checkout, a private dockerd (own data-root, exec-root and socket; no bridge, no iptables, no forwarding),
# a STAND-IN runtime image (the generated runtime stage's app package, alembic.ini, migrations, USER and CMD
# on Debian trixie's Python stack imported from ROOTFS, since uv and PyPI are not reachable), PostgreSQL from
# the host binaries on 127.0.0.1 (a free port, run as nobody). Then:
#   - the generated manifests pass (the Job's alembic upgrade head exits 0, the readiness probe answers 200),
#     with the host network and with --network none (probe in the container's network namespace);
#   - manifests the image cannot live with fail: another probe path, another port, runAsNonRoot with uid 0,
#     another migration command.
# The Docker integration suite (scripts/suites/docker-integration.sh) runs k8s-constraints.sh on the real image.
# Everything started is stopped by pid; the host's network settings are compared before and after.
#
#   ROOTFS=/var/tmp/projen-uv-service-0/<checkout hash>/rootfs-trixie scripts/k8s-constraints-selftest.sh
#   (the rootfs scripts/suites/integration.sh builds; its path is in the suite's first lines)
set -euo pipefail
docker() { /usr/bin/docker "$@"; }
export DOCKER=/usr/bin/docker
cd "$(dirname "$0")/.."
ROOTFS=${ROOTFS:?set ROOTFS to a debootstrap trixie rootfs with the python3-* stack (see GUIDE.md)}
T=$(mktemp -d /tmp/k8s-selftest.XXXXXX)
SVC=$T/svc
DOCKERD_PID=''
PG_PID=''
# shellcheck disable=SC2317 # run by the EXIT trap
stop() {
  set +e
  if [ -n "$DOCKERD_PID" ]; then
    for c in $(docker -H "unix://$T/docker.sock" ps -aq); do docker -H "unix://$T/docker.sock" rm -f "$c" >/dev/null; done
    kill "$DOCKERD_PID"; for _ in $(seq 50); do [ -d "/proc/$DOCKERD_PID" ] || break; sleep 0.2; done
  fi
  if [ -n "$PG_PID" ]; then kill "$PG_PID"; for _ in $(seq 50); do [ -d "/proc/$PG_PID" ] || break; sleep 0.2; done; fi
  grep -o " $T/[^ ]*" /proc/mounts | sort -r | while read -r m; do umount "$m"; done
  rm -rf "$T"
}
trap stop EXIT
NET_BEFORE=$(ip -br addr; ip route; cat /proc/sys/net/ipv4/ip_forward; iptables -S 2>/dev/null)

cat >"$T/gen.ts" <<TS
import { UvPythonService } from '$PWD/src';
process.env.PROJEN_DISABLE_POST = 'true';
new UvPythonService({ name: 'orders-api', outdir: '$SVC', kubernetes: true,
  ciOptions: { imageName: 'acme/orders-api' }, kubernetesOptions: { imageTag: 'sha-1a2b3c4' } }).synth();
TS
node_modules/.bin/tsx "$T/gen.ts"

/usr/sbin/dockerd --data-root "$T/data" --exec-root "$T/exec" --pidfile "$T/dockerd.pid" --host "unix://$T/docker.sock" \
  --bridge=none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false >"$T/dockerd.log" 2>&1 &
DOCKERD_PID=$!
export DOCKER_HOST=unix://$T/docker.sock DOCKER_CONFIG=$T/config DOCKER_BUILDKIT=1
mkdir -p "$DOCKER_CONFIG"
for _ in $(seq 300); do docker version >/dev/null 2>&1 && break; sleep 0.1; done
echo "dockerd $(docker version -f '{{.Server.Version}}') pid $DOCKERD_PID"

t=$SECONDS
tar -C "$ROOTFS" -c . | docker import - uvsvc-k8s/rootfs >/dev/null
echo "rootfs imported in $((SECONDS - t))s"

# The stand-in runtime image: what the generated runtime stage holds (the app package, alembic.ini and the
# migrations in /app, owned by the configured uid:gid, USER uid:gid, the same CMD), on the trixie Python stack
# instead of a uv-built virtualenv (uv and PyPI are not reachable here).
uidgid=$(sed -n 's/^USER //p' "$SVC/Dockerfile")
cmd=$(sed -n 's/^CMD //p' "$SVC/Dockerfile" | tail -1)
ctx=$T/ctx; mkdir -p "$ctx"
cp -a "$SVC/app" "$SVC/alembic.ini" "$SVC/migrations" "$ctx/"
cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM uvsvc-k8s/rootfs
RUN printf '#!/bin/sh\nexec python3 -m uvicorn "\$@"\n' >/usr/local/bin/uvicorn \
 && printf '#!/bin/sh\nexec python3 -m alembic "\$@"\n' >/usr/local/bin/alembic \
 && chmod 755 /usr/local/bin/uvicorn /usr/local/bin/alembic \
 && groupadd --system --gid ${uidgid#*:} app && useradd --system --uid ${uidgid%:*} --gid ${uidgid#*:} --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app
WORKDIR /app
COPY --chown=$uidgid app ./app
COPY --chown=$uidgid alembic.ini ./
COPY --chown=$uidgid migrations ./migrations
ENV PYTHONUNBUFFERED=1
USER $uidgid
CMD $cmd
DOCKERFILE
docker build --network=none -q -t uvsvc-k8s/runtime "$ctx" >/dev/null
echo "stand-in runtime image built (USER $uidgid, CMD $cmd)"

# PostgreSQL 15 on 127.0.0.1, a free port, as nobody.
PG_BIN=/usr/lib/postgresql/15/bin
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$T/pg"; chown nobody "$T/pg"; chmod 755 "$T"
runuser -u nobody -- "$PG_BIN/initdb" -D "$T/pg/data" -U postgres --auth=trust >/dev/null
runuser -u nobody -- "$PG_BIN/postgres" -D "$T/pg/data" -h 127.0.0.1 -p "$PORT" -k "$T/pg" >"$T/pg/log" 2>&1 &
PG_PID=$!
for _ in $(seq 100); do "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PORT" -q && break; sleep 0.1; done
"$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qc "create role app login" -c "create database app owner app"
echo "postgres pid $PG_PID on 127.0.0.1:$PORT"

pooled=$(grep -o 'name: [A-Z_]*URL[A-Z_]*' "$SVC/deploy/k8s/service.yaml" | head -1 | cut -d' ' -f2)
direct=$(grep -o 'name: [A-Z_]*URL[A-Z_]*' "$SVC/deploy/k8s/migrate-job.yaml" | head -1 | cut -d' ' -f2)
export "$pooled=postgresql://app@127.0.0.1:$PORT/app" "$direct=postgresql://app@127.0.0.1:$PORT/app"

echo "== the generated manifests"
rc=0
scripts/k8s-constraints.sh uvsvc-k8s/runtime "$SVC/deploy/k8s" || rc=$?
echo "exit $rc"
"$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d app -Atc "select version_num from alembic_version" | sed 's/^/alembic_version: /'

echo "== the Deployment alone, no network (the probe runs in the container's network namespace)"
nd=$T/nonet; cp -a "$SVC/deploy/k8s" "$nd"; chmod -R u+w "$nd"; rm "$nd/migrate-job.yaml"
NETWORK=none scripts/k8s-constraints.sh uvsvc-k8s/runtime "$nd" || rc=$?
echo "exit $rc"

# Manifests the image cannot live with must fail.
bad() { # label, sed expression on a copy of the manifests
  local d=$T/bad; rm -rf "$d"; cp -a "$SVC/deploy/k8s" "$d"; chmod -R u+w "$d"; sed -i "$2" "$d"/*.yaml
  echo "== $1"
  if PROBE_TIMEOUT=${PROBE_TIMEOUT_BAD:-15} scripts/k8s-constraints.sh uvsvc-k8s/runtime "$d"; then echo "UNEXPECTED: passed"; rc=1; else echo "failed, as it must"; fi
}
bad "readiness probe on another path" 's|path: /health|path: /nope|'
bad "container port and probes on another port" 's|port: 8000|port: 8001|; s|containerPort: 8000|containerPort: 8001|'
bad "runAsNonRoot with uid 0" 's|runAsUser: 10001|runAsUser: 0|'
bad "another migration command" 's|- upgrade|- upgrayedd|'

NET_AFTER=$(ip -br addr; ip route; cat /proc/sys/net/ipv4/ip_forward; iptables -S 2>/dev/null)
if [ "$NET_BEFORE" = "$NET_AFTER" ]; then echo "host network settings unchanged"; else echo "HOST NETWORK CHANGED"; rc=1; fi
exit $rc
