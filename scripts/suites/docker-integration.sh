#!/usr/bin/env bash
# Docker integration suite: the generated Dockerfile built on real BuildKit and its images run for real,
# offline, for the default service and for a non-default one (other port, Python minor, uv release, app
# package and module, health path, tests dir, migrations dir, psycopg with a client pool, variable names,
# user name, uid and gid).
#
# 1. A private dockerd (Debian's docker.io; scripts/lib/docker.sh): own data-root, exec-root and socket in
#    a temp dir, no bridge, no iptables, no forwarding. Builds run with --network=none.
# 2. Local stand-ins under the names the Dockerfiles use (nothing can be pulled): python:<X.Y>-slim is the
#    Debian trixie rootfs (Python 3.13, python3-* packages) imported into Docker; ghcr.io/astral-sh/uv:<v>
#    holds /uv and /uvx scripts (scripts/lib/standin/uv.py) that do what the Dockerfile asks of uv and
#    fail where uv would (missing or stale uv.lock, unknown flags, uv_build bounds, missing module or
#    readme). uv.lock is written by that stand-in (`uv lock`): uv itself is not available here.
#    The Dockerfile is built without its `# syntax=` line (that frontend image cannot be pulled).
# 3. One "pod": a container with --network=none whose network namespace (loopback only) holds PostgreSQL
#    (host binaries, TLS, SCRAM), PgBouncer (rootfs; transaction mode, TLS to clients) and every container
#    the suite runs (--network=container:pod). The images keep their own CMD (uvicorn on 0.0.0.0 and the
#    service's port) without listening on any host interface; the database ports are picked at run time.
# 4. Per service: build the runtime and testing targets (timed); the runtime user is the configured
#    non-root uid:gid; `alembic upgrade head` from the runtime image over the direct URL; the testing image's
#    pytest passes against PgBouncer (nothing skipped); the runtime image serves on the pooled URL: the
#    image's own HEALTHCHECK command run in the container succeeds, CRUD round trip, concurrent writes all
#    committed (counted in PostgreSQL), traffic through PgBouncer; `docker stop -t <grace period>` with a write
#    held in flight by a lock exits 0 within the grace period (uvicorn cancels it at its
#    --timeout-graceful-shutdown) and the app logs its shutdown; after a source-only change the
#    `--no-install-project` layer is CACHED and the project layer is rebuilt. The default service has
#    `kubernetes: true`: its runtime image also runs under its rendered manifests' constraints
#    (scripts/k8s-constraints.sh: the migration Job, then the Deployment's readiness probe).
# 5. The daemon and everything started are stopped by pid, and their state removed; the host's network
#    settings are compared before and after.
#
# 6. A uv workspace (scripts/lib/docker-workspace.sh): two services and one library; each service's runtime
#    image is built from the workspace root context, one of them imports the library and calls it in a
#    route; after a change of the library's source only, that service's dependency layer is CACHED and its
#    project layer rebuilt, while the other service's build is fully CACHED.
#
# Figures: build seconds, image size over its base, writes per second, cached steps of the workspace rebuilds. Ends with "N passed, N failed"; with
# TEST_REPORTS set, writes $TEST_REPORTS/docker.xml (counted by scripts/summarize-tests.js).
# Environment: TARBALL (packed library; packed here if unset), ROOTFS, PG_BIN, WRITES (default 100), READS (20),
# DOCKER_SUITE_PARTS (default "services workspace": which parts run).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/lib/checks.sh
source scripts/lib/checks.sh
# shellcheck source=scripts/lib/servers.sh
source scripts/lib/servers.sh
# shellcheck source=scripts/lib/docker.sh
source scripts/lib/docker.sh
# shellcheck source=scripts/lib/docker-workspace.sh
source scripts/lib/docker-workspace.sh

PARTS=" ${DOCKER_SUITE_PARTS:-services workspace} "
has_part() { [[ $PARTS == *" $1 "* ]]; }

WRITES=${WRITES:-100}
READS=${READS:-20}

checks_init docker
srv_need_root "dockerd, chroot and an unprivileged user for postgres"
srv_need_cmd openssl "apt-get install openssl" runuser "util-linux" chroot "coreutils" nsenter "util-linux" \
  npm "Node.js 20" ip "apt-get install iproute2"
srv_init docker-itest
HOST_NET_BEFORE=$(docker_host_state)

on_suite_exit() { # after the teardown: nothing of the daemon is left, the host network is as it was
  local rc=$1
  if [ -n "$DOCKERD_PID" ]; then
    check "dockerd (pid $DOCKERD_PID) has stopped" test ! -d "/proc/$DOCKERD_PID"
    check "no containerd or shim of the private daemon is left" test -z "$(_docker_orphans)"
    check "the daemon's state directory is removed" test ! -e "$DOCKER_DIR"
    check "the host's addresses, routes, ip_forward and iptables rules are unchanged" \
      test "$(docker_host_state)" = "$HOST_NET_BEFORE"
  fi
  checks_finish "$rc"
}

T0=$(date +%s)

# ---------------------------------------------------------------- the two services
SERVICES=()
DOCKERFILES=()
if has_part services; then
step "Services from the packed library"
srv_tarball
DEFAULT_DIR=$SRV_WORK/svc/orders-api
srv_new_service "$DEFAULT_DIR" orders-api
# The non-default service, as a user makes it from a new one: options in .projenrc.ts, the default samples
# removed, synth (a copy of the first service saves a second npm install of the projen toolchain).
OTHER_DIR=$SRV_WORK/svc/billing-api
cp -a "$DEFAULT_DIR" "$OTHER_DIR"
cat >"$OTHER_DIR/.projenrc.ts" <<EOF
import { DatabaseDriver, PoolStrategy, UvPythonService } from "projen-uv-service";
const project = new UvPythonService({
  toolchainDeps: ["projen-uv-service@file:$TARBALL"],
  name: "billing-api",
  pythonVersion: "3.13",
  uvVersion: "0.9.9",
  app: "billing.server:application",
  port: 9100,
  healthPath: "/healthz",
  testsDir: "checks",
  databaseOptions: {
    driver: DatabaseDriver.PSYCOPG,
    poolStrategy: PoolStrategy.CLIENT_POOL,
    pooledUrlEnv: "BILLING_DB_POOLED",
    directUrlEnv: "BILLING_DB_DIRECT",
    migrationsDir: "db/migrations",
  },
  dockerOptions: { userName: "billing", uid: 20002, gid: 20003 },
});
project.synth();
EOF
rm -rf "${OTHER_DIR:?}/app" "$OTHER_DIR/tests" "$OTHER_DIR/migrations"
srv_resynth "$OTHER_DIR"
# The default service targets Python 3.13 (the stand-in base image is the rootfs' Python: Debian trixie has
# no 3.14; its asyncpg is 0.30) and also renders its Kubernetes manifests (deploy/k8s): its runtime image is run under their
# constraints by scripts/k8s-constraints.sh below.
sed -i "s/new UvPythonService({/&\n  pythonVersion: '3.13',\n  deps: ['asyncpg>=0.30'],\n  kubernetes: true,\n  ciOptions: { imageName: 'uvsvc-itest\/orders-api' },/" "$DEFAULT_DIR/.projenrc.ts"
srv_resynth "$DEFAULT_DIR"
check "orders-api: kubernetes: true renders deploy/k8s/service.yaml and migrate-job.yaml" \
  test -f "$DEFAULT_DIR/deploy/k8s/service.yaml" -a -f "$DEFAULT_DIR/deploy/k8s/migrate-job.yaml"
echo "services created in $(seconds_since "$T0")s"

# What each service's options say, as the suite expects to find it in the images.
# The pooled URL of the psycopg service leaves out channel_binding=require: libpq enforces it and PgBouncer
# offers no SCRAM channel binding (Neon's pooler does); its direct URL keeps it (PostgreSQL offers it).
#  name        dir           module file        app module                  port health   uid   gid   pooled var        direct var            pooled URL query
SERVICES=(
  "orders-api  $DEFAULT_DIR  app/main.py        app.main:app                8000 /health  10001 10001 DATABASE_URL      DATABASE_URL_UNPOOLED sslmode=require&channel_binding=require"
  "billing-api $OTHER_DIR    billing/server.py  billing.server:application  9100 /healthz 20002 20003 BILLING_DB_POOLED BILLING_DB_DIRECT     sslmode=require"
)
for entry in "${SERVICES[@]}"; do
  read -r _ dir _ <<<"$entry"
  DOCKERFILES+=("$dir/Dockerfile")
done
fi

WS_DIR=$SRV_WORK/ws
if has_part workspace; then
  step "Workspace of two services and a library"
  t=$(date +%s)
  ws_generate "$WS_DIR"
  mapfile -t -O "${#DOCKERFILES[@]}" DOCKERFILES < <(ws_dockerfiles "$WS_DIR")
  echo "workspace created in $(seconds_since "$t")s"
fi

# ---------------------------------------------------------------- daemon and stand-in images
step "Private dockerd and the stand-in images"
t=$(date +%s)
srv_rootfs
docker_start
echo "dockerd $(dk version -f '{{.Server.Version}}') on $DOCKER_HOST (pid $DOCKERD_PID)"
check "the private daemon runs without a bridge network" test -z "$(dk network ls -q -f driver=bridge)"
base_tags=()
uv_versions=()
for dockerfile in "${DOCKERFILES[@]}"; do
  base_tags+=("$(awk '$1 == "FROM" && $2 ~ /^python:/ { print $2; exit }' "$dockerfile")")
  uv_versions+=("$(sed -n 's|^COPY --from=ghcr.io/astral-sh/uv:\([^ ]*\) .*|\1|p' "$dockerfile")")
done
mapfile -t base_tags < <(printf '%s\n' "${base_tags[@]}" | sort -u)
mapfile -t uv_versions < <(printf '%s\n' "${uv_versions[@]}" | sort -u)
docker_standin_python "$ROOTFS" "${base_tags[@]}"
for v in "${uv_versions[@]}"; do docker_standin_uv "$v"; done
echo "stand-ins ${base_tags[*]}, uv ${uv_versions[*]} ready in $(seconds_since "$t")s"
check "the stand-in python image runs Python 3.13 and the uv stand-in's packages" \
  dk run --rm --network=none "${base_tags[0]}" python -c '
import sys, packaging, fastapi, sqlmodel, alembic, uvicorn, asyncpg, psycopg
assert sys.version_info[:2] == (3, 13), sys.version'

# uv.lock for a service: written by the uv stand-in (its `uv lock`), run in the stand-in python image.
uv_lock() { # dir uv-version python-image
  dk run --rm --network=none -v "$1:/src" -v "$SRV_WORK/standin-uv-$2/uv:/usr/local/bin/uv:ro" -w /src "$3" \
    python3 /usr/local/bin/uv lock >/dev/null 2>&1
}

# ---------------------------------------------------------------- the pod: database servers
if has_part services; then
step "PostgreSQL and PgBouncer in the pod's network namespace"
dk run -d --network=none --name uvsvc-pod "${base_tags[0]}" sleep infinity >/dev/null
POD_PID=$(dk inspect -f '{{.State.Pid}}' uvsvc-pod)
SRV_NETNS=/proc/$POD_PID/ns/net
check "the pod's network namespace has only the loopback interface" \
  test "$(nsenter --net="$SRV_NETNS" -- ip -o link | awk -F': ' '{print $2}' | tr '\n' ' ')" = "lo "
srv_pg_start
declare -A DB_PASSWORD
for entry in "${SERVICES[@]}"; do
  read -r name _ <<<"$entry"
  db=${name//-/_}
  DB_PASSWORD[$db]=$(openssl rand -hex 16)
  srv_pg_add_db "$db" "${db}_app" "${DB_PASSWORD[$db]}"
done
# Any database name: the testing images' tests reach a database of their own (<db>_test) through PgBouncer.
SRV_BOUNCER_ANY_DB=1 srv_bouncer_start
# The containers trust the two self-signed certificates explicitly: a CA bundle of PostgreSQL's and
# PgBouncer's certificate, mounted read-only and named by PGSSLROOTCERT (which the generated db.py and
# env.py read as libpq does). The URLs keep Neon's shape, so channel_binding=require makes the asyncpg
# service verify the server (verify-full) against it; the psycopg service's libpq checks it (verify-ca).
cat "$SRV_WORK/pgtls/server.crt" "$ROOTFS$SRV_BOUNCER_CERT" >"$SRV_WORK/ca-bundle.crt"
chmod 644 "$SRV_WORK/ca-bundle.crt"
CA_IN_CONTAINER=/etc/uvsvc-itest-ca.crt
CA_ARGS=(-v "$SRV_WORK/ca-bundle.crt:$CA_IN_CONTAINER:ro" -e "PGSSLROOTCERT=$CA_IN_CONTAINER")
echo "$("$PG_BIN/postgres" --version) on 127.0.0.1:$SRV_PG_PORT; $(chroot "$ROOTFS" pgbouncer --version | head -1) on 127.0.0.1:$SRV_BOUNCER_PORT (in the pod)"
mkdir -p "$ROOTFS/srv/$SRV_RUN_ID/client"
cp test/integration/client.py "$ROOTFS/srv/$SRV_RUN_ID/client/"
chmod -R a+rX "$ROOTFS/srv/$SRV_RUN_ID/client"
fi

# ---------------------------------------------------------------- per service
build_id_of() { # log, text of a RUN step: the BuildKit step id (#N) that ran it
  grep -F -- "$2" "$1" | grep -m1 -o '^#[0-9]*'
}

run_service() {
  local name dir module_file app port health uid gid pooled_env direct_env pooled_query driver
  read -r name dir module_file app port health uid gid pooled_env direct_env pooled_query <<<"$1"
  driver=$(sed -n 's/^DRIVER = "\(.*\)"$/\1/p' "$dir/${module_file%/*}/db.py")
  local db=${name//-/_}
  local role=${db}_app password=${DB_PASSWORD[$db]}
  local image=uvsvc-itest/$name base uv_version t out rc
  base=$(awk '$1 == "FROM" && $2 ~ /^python:/ { print $2; exit }' "$dir/Dockerfile")
  uv_version=$(sed -n 's|^COPY --from=ghcr.io/astral-sh/uv:\([^ ]*\) .*|\1|p' "$dir/Dockerfile")
  step "$name: build ($base, uv $uv_version, $driver, port $port, uid $uid)"
  docker_offline_dockerfile "$dir/Dockerfile" "$SRV_WORK/$name.Dockerfile"
  check "$name: the offline copy differs from the Dockerfile only by the # syntax= line" \
    test "$(diff "$dir/Dockerfile" "$SRV_WORK/$name.Dockerfile" | grep -c '^[<>]')" = 1

  if [ "$name" = orders-api ]; then # the stand-in uv is strict where uv is: no lock, stale lock
    out=$SRV_WORK/$name.nolock.log
    if docker_build "$out" -f "$SRV_WORK/$name.Dockerfile" --target runtime "$dir"; then
      fail "$name: without uv.lock the build fails"
    else
      # BuildKit stops first: the RUN bind-mounts uv.lock.
      check "$name: without uv.lock the build fails (the uv.lock bind mount of the dependency step)" \
        grep -Eq '"/uv.lock" not found|Unable to find lockfile' "$out"
    fi
    uv_lock "$dir" "$uv_version" "$base"
    cp "$dir/pyproject.toml" "$SRV_WORK/pyproject.keep"
    sed -i 's/^dependencies = \[/&\n  "httpx>=0.27",/' "$dir/pyproject.toml"
    out=$SRV_WORK/$name.stale.log
    if docker_build "$out" -f "$SRV_WORK/$name.Dockerfile" --target runtime "$dir"; then
      fail "$name: with a stale uv.lock the build fails"
    else
      # shellcheck disable=SC2016 # backquotes of uv's message
      check "$name: with a stale uv.lock (a dependency added) the build fails at uv sync --locked" \
        grep -q 'needs to be updated, but `--locked` was provided' "$out"
    fi
    cp "$SRV_WORK/pyproject.keep" "$dir/pyproject.toml"
    # The stand-in on its own, on a copy of the service: it fails where uv fails.
    dk run --rm --network=none -v "$dir:/src:ro" -v "$SRV_WORK/standin-uv-$uv_version/uv:/usr/local/bin/uv:ro" \
      -v "$SRV_ROOT/test/integration/uv-standin-checks.sh:/uv-standin-checks.sh:ro" \
      -v "$SRV_ROOT/test/integration/uv-standin-lib.sh:/uv-standin-lib.sh:ro" "$base" \
      sh /uv-standin-checks.sh >"$SRV_WORK/standin-checks.out" 2>&1 || true
    cat "$SRV_WORK/standin-checks.out"
    count_client_output "$SRV_WORK/standin-checks.out"
    grep -q '^[A-Z]* uv stand-in: a missing module' "$SRV_WORK/standin-checks.out" || fail "the uv stand-in checks ran to their end"
  else
    uv_lock "$dir" "$uv_version" "$base"
  fi

  t=$(date +%s)
  out=$SRV_WORK/$name.runtime.log
  if docker_build "$out" -f "$SRV_WORK/$name.Dockerfile" --target runtime -t "$image:runtime" "$dir"; then
    pass "$name: the runtime target builds on BuildKit (offline)"
  else
    fail "$name: the runtime target builds on BuildKit (offline)"
    tail -30 "$out" >&2
    return 0
  fi
  figure "$name runtime build (s)" "$(seconds_since "$t")"
  t=$(date +%s)
  out=$SRV_WORK/$name.testing.log
  if docker_build "$out" -f "$SRV_WORK/$name.Dockerfile" --target testing -t "$image:testing" "$dir"; then
    pass "$name: the testing target builds"
  else
    fail "$name: the testing target builds"
    tail -30 "$out" >&2
  fi
  figure "$name testing build, after runtime (s)" "$(seconds_since "$t")"
  local size base_size
  size=$(docker_image_size "$image:runtime")
  base_size=$(docker_image_size "$base")
  figure "$name runtime image over its base $base (KiB)" "$(((size - base_size) / 1024))"

  step "$name: image configuration"
  check "$name: the image's USER is $uid:$gid" test "$(dk image inspect -f '{{.Config.User}}' "$image:runtime")" = "$uid:$gid"
  # shellcheck disable=SC2016 # a Go template
  check "$name: the image exposes $port/tcp" \
    test "$(dk image inspect -f '{{range $p, $_ := .Config.ExposedPorts}}{{$p}} {{end}}' "$image:runtime")" = "$port/tcp "
  # One container of the runtime image (with its own USER and WORKDIR) reports what the checks below read.
  local facts
  facts=$(dk run --rm --network=none -v "$SRV_ROOT/test/integration/image-facts.sh:/image-facts.sh:ro" \
    "$image:runtime" sh /image-facts.sh "$app" 2>&1) || true
  check "$name: a container of the runtime image runs as uid $uid, gid $gid (not root)" grep -qx "ids=$uid:$gid" <<<"$facts"
  check "$name: the runtime image holds no uv" grep -qx 'uv=' <<<"$facts"
  check "$name: the runtime venv has uvicorn and alembic, and no pytest (no dev group)" \
    test "$(grep '^script=' <<<"$facts" | tr '\n' ' ')" = "script=uvicorn script=alembic "
  check "$name: $app imports from the venv's site-packages (installed, not editable)" \
    grep -Eq "^app_file=/app/.venv/lib/python3\.[0-9]+/site-packages/.* app_attr=True$" <<<"$facts"
  check "$name: nothing under /app is writable by the runtime user (find /app -writable prints nothing)" grep -qx 'writable=' <<<"$facts"
  check "$name: the venv's bytecode is compiled at build time" grep -Eq '^pyc=/app/\.venv/.+\.pyc$' <<<"$facts"
  [ "$CHECKS_FAILED" = 0 ] || echo "$facts" >&2

  step "$name: migrations from the runtime image over the direct URL"
  local direct pooled xacts tcp_before
  direct=$(srv_url postgresql "$role" "$password" "$SRV_PG_PORT" "$db")
  pooled=$(srv_url postgresql "$role" "$password" "$SRV_BOUNCER_PORT" "$db" "$pooled_query")
  tcp_before=$(srv_pg_log_count "host=127\.0\.0\.1\(.*connection authorized: user=$role database=$db .*SSL enabled")
  xacts=$(srv_bouncer_xacts "$db" "$role" "$password")
  check_out "$name: alembic upgrade head runs from the runtime image with only $direct_env set" 'Running upgrade' \
    dk run --rm --network=container:uvsvc-pod "${CA_ARGS[@]}" -e "$direct_env=$direct" "$image:runtime" alembic upgrade head
  check "$name: the item table and alembic_version exist" \
    test "$(srv_pg_admin -d "$db" -A -t -c "SELECT count(*) FROM pg_tables WHERE tablename IN ('item', 'alembic_version')")" = 2
  check "$name: the migration reached PostgreSQL directly over TLS" \
    test "$(srv_pg_log_count "host=127\.0\.0\.1\(.*connection authorized: user=$role database=$db .*SSL enabled")" -gt "$tcp_before"
  check "$name: the migration did not go through PgBouncer" test "$(srv_bouncer_xacts "$db" "$role" "$password")" = "$xacts"

  step "$name: the testing image's pytest, against PgBouncer"
  # Both URLs: the generated tests make a database of their own over the direct one, the app reaches it through PgBouncer.
  out=$(dk run --rm --network=container:uvsvc-pod "${CA_ARGS[@]}" -e "$pooled_env=$pooled" -e "$direct_env=$direct" \
    "$image:testing" 2>&1) && rc=0 || rc=$?
  if [ "$rc" = 0 ]; then tail -3 <<<"$out"; else tail -40 <<<"$out"; fi
  check "$name: the testing image's pytest passes with nothing skipped" \
    test "$rc" = 0 -a -n "$(grep -E '^=+ [0-9]+ passed' <<<"$out")" -a -z "$(grep -i skipped <<<"$out")"

  step "$name: the runtime image on the pooled URL"
  local container=uvsvc-$name
  # (docker warns that IPv4 forwarding is off: the daemon runs with --ip-forward=false on purpose)
  # DB_STATEMENT_TIMEOUT_SECONDS past the grace period: the docker stop check below holds a write that long.
  dk run -d --network=container:uvsvc-pod --name "$container" "${CA_ARGS[@]}" -e "$pooled_env=$pooled" \
    -e DB_STATEMENT_TIMEOUT_SECONDS=300 "$image:runtime" \
    2> >(grep -v 'IPv4 forwarding is disabled' >&2) >/dev/null
  if srv_wait_port "$port" 30; then pass "$name: the image's CMD serves on port $port"; else
    fail "$name: the image's CMD serves on port $port"
    dk logs "$container" 2>&1 | tail -20 >&2
    return 0
  fi
  # shellcheck disable=SC2016 # an awk program
  check "$name: the server process (pid 1) runs as uid $uid" \
    test "$(dk exec "$container" awk '/^Uid:/ { print $2 }' /proc/1/status)" = "$uid"
  local hc
  mapfile -t hc < <(dk image inspect -f '{{range .Config.Healthcheck.Test}}{{println .}}{{end}}' "$image:runtime")
  check "$name: the image has an exec-form HEALTHCHECK on $health, port $port" \
    test "${hc[0]:-}" = CMD -a -n "$(grep -F "'http://127.0.0.1:' + os.environ.get('PORT', '$port') + '$health'" <<<"${hc[*]:1}")"
  check "$name: the image's own HEALTHCHECK command succeeds inside the container" dk exec "$container" "${hc[@]:1}"
  dk exec "$container" python -c 'import sys; print(sys.version)' | sed "s/^/$name: Python in the container: /"

  xacts=$(srv_bouncer_xacts "$db" "$role" "$password")
  srv_in_rootfs nobody "/srv/$SRV_RUN_ID/client" -- python3 client.py "http://127.0.0.1:$port" \
    --writes "$WRITES" --reads "$READS" --health "$health" >"$SRV_WORK/$name.client.out" 2>&1 || true
  sed "s/^\(PASS\|FAIL\) /&$name: /" "$SRV_WORK/$name.client.out" >"$SRV_WORK/$name.client.named"
  cat "$SRV_WORK/$name.client.named"
  count_client_output "$SRV_WORK/$name.client.named"
  if ! grep -q '^SUMMARY ' "$SRV_WORK/$name.client.out" || grep -q '^FAIL ' "$SRV_WORK/$name.client.out"; then
    grep -q '^SUMMARY ' "$SRV_WORK/$name.client.out" || fail "$name: the HTTP client finished"
    echo "$name: the app's log:" >&2
    dk logs "$container" 2>&1 | tail -30 | sed 's/^/    | /' >&2
  fi
  figure "$name writes per second (app -> PgBouncer -> PostgreSQL, $WRITES concurrent)" \
    "$(sed -n 's/.*writes_per_second=\([0-9]*\).*/\1/p' "$SRV_WORK/$name.client.out")"
  check "$name: PostgreSQL holds all $WRITES concurrent writes (committed)" \
    test "$(srv_pg_admin -d "$db" -A -t -c "SELECT count(*) FROM item WHERE name LIKE 'load %'")" = "$WRITES"
  check "$name: the app's traffic went through PgBouncer" test "$(srv_bouncer_xacts "$db" "$role" "$password")" -gt "$xacts"
  check "$name: no error in the app's log" test -z "$(dk logs "$container" 2>&1 | grep -E 'Traceback|ERROR|prepared statement')"
  # docker stop with the service's grace period (compose.yaml's stop_grace_period) while a write waits on a
  # lock that is never released: uvicorn's --timeout-graceful-shutdown cancels it, so the image's own CMD
  # exits 0 before the kill (a CMD without it waits for the request and is killed: 137).
  local grace locker writer took
  grace=$(sed -n 's/^ *stop_grace_period: *\([0-9]*\)s$/\1/p' "$dir/compose.yaml" | head -1)
  grace=${grace:-30}
  (srv_pg_admin -d "$db" -c "SET application_name = 'locker'; BEGIN; LOCK TABLE item IN SHARE MODE; SELECT pg_sleep(300); COMMIT;" \
    >/dev/null 2>&1) &
  locker=$!
  sleep 1
  srv_in_rootfs nobody / -- python3 -c 'import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=b"{\"name\": \"stop\"}", headers={"content-type": "application/json"}), timeout=120)' \
    "http://127.0.0.1:$port/items" >/dev/null 2>&1 &
  writer=$!
  for _ in $(seq 100); do
    [ "$(srv_pg_admin -d "$db" -A -t -c "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name <> 'locker'")" -gt 0 ] && break
    sleep 0.1
  done
  t=$(date +%s)
  dk stop -t "$grace" "$container" >/dev/null
  took=$(seconds_since "$t")
  figure "$name docker stop with a request in flight (s)" "$took"
  check "$name: docker stop -t $grace with a write in flight: the container exits 0 within the grace period (exit $(dk inspect -f '{{.State.ExitCode}}' "$container") after ${took}s)" \
    test "$(dk inspect -f '{{.State.ExitCode}}' "$container")" = 0 -a "$took" -le "$grace"
  check "$name: the app logged its shutdown (the cancelled request, then uvicorn's last line)" \
    test -n "$(dk logs "$container" 2>&1 | grep 'Cancel 1 running task')" -a -n "$(dk logs "$container" 2>&1 | grep 'Finished server process')"
  srv_pg_admin -d "$db" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'locker'" >/dev/null 2>&1 || true
  wait "$locker" "$writer" 2>/dev/null || true
  dk rm "$container" >/dev/null

  if [ -f "$dir/deploy/k8s/service.yaml" ]; then
    step "$name: the runtime image under its Kubernetes manifests' constraints (scripts/k8s-constraints.sh)"
    # The pod spec mounts no CA bundle: these URLs ask for TLS without verification (sslmode=require to
    # the loopback address is not raised to verify-full), which the constraints under test do not concern.
    local k8s_pooled k8s_direct
    k8s_pooled=$(srv_url postgresql "$role" "$password" "$SRV_BOUNCER_PORT" "$db" sslmode=require)
    k8s_direct=$(srv_url postgresql "$role" "$password" "$SRV_PG_PORT" "$db" sslmode=require)
    t=$(date +%s)
    env "$pooled_env=$k8s_pooled" "$direct_env=$k8s_direct" DOCKER="$DOCKER_CLI" NETWORK=container:uvsvc-pod \
      KEEP_LOGS="$SRV_WORK/$name.k8s-containers.log" bash scripts/k8s-constraints.sh "$image:runtime" "$dir/deploy/k8s" \
      >"$SRV_WORK/$name.k8s.out" 2>&1 && rc=0 || rc=$?
    cat "$SRV_WORK/$name.k8s.out"
    sed -n "s/^ok - /PASS $name: k8s: /p; s/^not ok - /FAIL $name: k8s: /p" "$SRV_WORK/$name.k8s.out" >"$SRV_WORK/$name.k8s.named"
    count_client_output "$SRV_WORK/$name.k8s.named"
    check "$name: scripts/k8s-constraints.sh passes (exit 0, at least the Job and the readiness probe)" \
      test "$rc" = 0 -a "$(grep -c '^PASS' "$SRV_WORK/$name.k8s.named")" -ge 2
    [ "$rc" = 0 ] || tail -30 "$SRV_WORK/$name.k8s-containers.log" 2>/dev/null | sed 's/^/    | /' >&2
    figure "$name k8s-constraints run (s)" "$(seconds_since "$t")"
  fi

  step "$name: a source-only change reuses the dependency layer"
  echo "# source-only change $(date +%s%N)" >>"$dir/$module_file"
  t=$(date +%s)
  out=$SRV_WORK/$name.rebuild.log
  if docker_build "$out" -f "$SRV_WORK/$name.Dockerfile" --target runtime -t "$image:runtime" "$dir"; then
    figure "$name runtime rebuild after a source-only change (s)" "$(seconds_since "$t")"
    local deps_step project_step
    deps_step=$(build_id_of "$out" 'uv sync --locked --no-install-project --no-dev')
    project_step=$(build_id_of "$out" 'uv sync --locked --no-dev --no-editable')
    check "$name: the uv sync --no-install-project step is CACHED" grep -qx "$deps_step CACHED" "$out"
    check "$name: the project's uv sync step ran again" test -n "$project_step" -a -z "$(grep -x "$project_step CACHED" "$out")"
  else
    fail "$name: the runtime target rebuilds after a source-only change"
    tail -30 "$out" >&2
  fi
}

for entry in "${SERVICES[@]}"; do run_service "$entry"; done
if has_part workspace; then ws_run "$WS_DIR"; fi
figure "docker suite total (s)" "$(seconds_since "$T0")"
checks_done
