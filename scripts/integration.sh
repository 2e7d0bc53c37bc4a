#!/usr/bin/env bash
# Integration test of the generated database layer against real servers (no mocks).
#
# 1. A Debian trixie rootfs (debootstrap) provides Python 3.13 with SQLAlchemy, SQLModel, asyncpg,
#    Alembic, FastAPI, uvicorn, httpx, pytest, and PgBouncer: PyPI is not reachable here.
#    ROOTFS=/path reuses a rootfs; otherwise one is built once and cached in .tmp/rootfs-trixie.
# 2. The library is packed and a service is created from the tarball (`projen new --from`).
# 3. PostgreSQL (host binaries, TLS with a self-signed certificate made here) and PgBouncer (from the
#    rootfs, transaction mode, max_prepared_statements, TLS to clients) listen on 127.0.0.1 only.
# 4. `alembic upgrade head` runs with only the direct URL set; the app (uvicorn) with only the pooled
#    URL set; both URLs as Neon writes them (sslmode=require&channel_binding=require).
# 5. CRUD round trip and concurrent requests through the app; proof that the migration bypassed
#    PgBouncer and the app went through it; the generated tests and URL checks run with pytest.
#
# Everything it starts is stopped, and everything it creates is removed, on exit (trap).
# Prints a summary and a final line "N passed, N failed"; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

ROOTFS=${ROOTFS:-$ROOT/.tmp/rootfs-trixie}
PACK_DIR=${PACK_DIR:-$ROOT/.tmp/pack-integration}
PG_BIN=${PG_BIN:-$(dirname "$(readlink -f "$(command -v initdb || echo /usr/lib/postgresql/15/bin/initdb)")")}
PG_PORT=${PG_PORT:-55432}
BOUNCER_PORT=${BOUNCER_PORT:-56432}
APP_PORT=${APP_PORT:-58000}
CONCURRENT=${CONCURRENT:-100}
SERVICE=orders-api
PACKAGE=orders
DEBIAN_PACKAGES=python3,python3-sqlalchemy,python3-sqlmodel,python3-asyncpg,python3-alembic,python3-fastapi,python3-uvicorn,python3-httpx,python3-pytest,pgbouncer,openssl

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1" >&2; }
check() { # check "name" command...: passes when the command succeeds
  local name=$1
  shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}
step() { echo; echo "== $*"; }
seconds_since() { echo $(($(date +%s) - $1)); }

for cmd in openssl runuser chroot npm; do
  command -v "$cmd" >/dev/null || { echo "integration: $cmd is required" >&2; exit 2; }
done
for bin in initdb pg_ctl postgres psql; do
  [ -x "$PG_BIN/$bin" ] || command -v "$bin" >/dev/null || { echo "integration: PostgreSQL's $bin not found (PG_BIN=$PG_BIN)" >&2; exit 2; }
done
PSQL=$(command -v psql || echo "$PG_BIN/psql")
[ "$(id -u)" = 0 ] || { echo "integration: needs root (chroot, an unprivileged user for postgres)" >&2; exit 2; }

# ---------------------------------------------------------------- state and teardown
RUN_ID=uvsvc-itest-$$
WORK=$(mktemp -d "/tmp/$RUN_ID.XXXXXX")
IN_ROOT=/srv/$RUN_ID            # the service and configs, as seen inside the rootfs
SOCK_IN_ROOT=/run/$RUN_ID       # Postgres' Unix socket, shared with PgBouncer in the rootfs
PG_USER=
PG_DATA=$WORK/pgdata
PG_LOG=$WORK/pglog/postgres.log
PG_STARTED=0
BOUNCER_PID=
APP_PID=
PROC_MOUNTED=0

cleanup() {
  local rc=$?
  set +e
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
  [ -n "$BOUNCER_PID" ] && kill "$BOUNCER_PID" 2>/dev/null && wait "$BOUNCER_PID" 2>/dev/null
  [ "$PG_STARTED" = 1 ] && runuser -u "$PG_USER" -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
  [ "$PROC_MOUNTED" = 1 ] && umount "$ROOTFS/proc"
  [ -d "$ROOTFS" ] && rm -rf "${ROOTFS:?}$IN_ROOT" "${ROOTFS:?}$SOCK_IN_ROOT"
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Sets ROOTFS_CMD to a command run in the rootfs as an unprivileged user, in a directory, with a clean
# environment plus the given VAR=value assignments: rootfs_cmd USER DIR VAR=value... -- command...
# chroot and env exec the command, so a background job's $! is the command's own pid.
rootfs_cmd() {
  local user=$1 dir=$2
  shift 2
  local env=(PATH=/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1)
  while [ "$1" != "--" ]; do env+=("$1"); shift; done
  shift
  ROOTFS_CMD=(chroot --userspec="$user" "$ROOTFS" /usr/bin/env -i "${env[@]}" /usr/bin/env -C "$dir" "$@")
}
in_rootfs() { rootfs_cmd "$@"; "${ROOTFS_CMD[@]}"; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_open() { ! port_free "$1"; }
for p in "$PG_PORT" "$BOUNCER_PORT" "$APP_PORT"; do
  port_free "$p" || { echo "integration: port $p on 127.0.0.1 is in use; set PG_PORT/BOUNCER_PORT/APP_PORT" >&2; exit 2; }
done

T0=$(date +%s)

# ---------------------------------------------------------------- rootfs
step "Debian trixie rootfs: $ROOTFS"
rootfs_ok() {
  [ -x "$ROOTFS/usr/bin/python3" ] && [ -x "$ROOTFS/usr/sbin/pgbouncer" ] &&
    chroot "$ROOTFS" python3 -c 'import sqlalchemy, sqlmodel, asyncpg, alembic, fastapi, uvicorn, httpx, pytest' 2>/dev/null
}
if rootfs_ok; then
  echo "reusing it"
else
  command -v debootstrap >/dev/null || { echo "integration: debootstrap is required to build the rootfs (apt-get install debootstrap)" >&2; exit 2; }
  [ ! -e "$ROOTFS" ] || { echo "integration: $ROOTFS exists but lacks the packages; remove it or set ROOTFS" >&2; exit 2; }
  t=$(date +%s)
  partial="$ROOTFS.partial-$$"
  mkdir -p "$(dirname "$ROOTFS")"
  debootstrap --variant=minbase --include="$DEBIAN_PACKAGES" trixie "$partial" >"$WORK/debootstrap.log" 2>&1 ||
    { tail -20 "$WORK/debootstrap.log" >&2; rm -rf "$partial"; exit 2; }
  mv "$partial" "$ROOTFS"
  echo "debootstrap took $(seconds_since "$t")s"
  rootfs_ok || { echo "integration: the new rootfs lacks a package" >&2; exit 2; }
fi
chroot "$ROOTFS" python3 -c 'import sys; assert sys.version_info[:2] == (3, 13), sys.version'
bouncer_version=$(chroot "$ROOTFS" pgbouncer --version | head -1)
echo "$bouncer_version; $(chroot "$ROOTFS" python3 --version)"
version_ge() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -1)" = "$2" ]; }
check "PgBouncer is 1.22 or newer (prepared statements in transaction mode)" \
  version_ge "$(cut -d' ' -f2 <<<"$bouncer_version")" 1.22
# asyncio needs no /proc; mount it only if this rootfs lacks what Python needs from it.
if ! chroot "$ROOTFS" python3 -c 'import asyncio, ssl; asyncio.run(asyncio.sleep(0))' 2>/dev/null; then
  mount -t proc proc "$ROOTFS/proc" && PROC_MOUNTED=1
fi

# ---------------------------------------------------------------- the service
step "Pack the library and create $SERVICE from the tarball"
t=$(date +%s)
if [ -z "${TARBALL:-}" ]; then
  npx projen compile >"$WORK/compile.log" 2>&1 || { tail -30 "$WORK/compile.log" >&2; exit 1; }
  rm -rf "$PACK_DIR" && mkdir -p "$PACK_DIR"
  npm pack --pack-destination "$PACK_DIR" --silent >/dev/null
  TARBALL=$(ls "$PACK_DIR"/*.tgz)
fi
mkdir -p "$WORK/new/$SERVICE"
SVC=$WORK/new/$SERVICE
# pythonVersion goes through .projenrc.ts (the CLI would read 3.13 as a number), as a user edits it.
(cd "$SVC" && CI=true "$ROOT/node_modules/.bin/projen" new --from "$TARBALL" uv-python-service \
  --name "$SERVICE" --no-git --app "$PACKAGE.main:api" &&
  sed -i "s/new UvPythonService({/&\n  pythonVersion: '3.13',/" .projenrc.ts && CI=true npx projen) >"$WORK/new.log" 2>&1 ||
  { tail -30 "$WORK/new.log" >&2; exit 1; }
check "the service targets Python 3.13, as the rootfs has" grep -qx '3.13' "$SVC/.python-version"
echo "created in $(seconds_since "$t")s"
check "the service has the managed database files" \
  test -f "$SVC/$PACKAGE/db.py" -a -f "$SVC/alembic.ini" -a -f "$SVC/migrations/env.py" -a -f "$SVC/compose.yaml"
POOLED_ENV=$(sed -n 's/^POOLED_URL_ENV = "\(.*\)"$/\1/p' "$SVC/$PACKAGE/db.py")
DIRECT_ENV=$(sed -n 's/^DIRECT_URL_ENV = "\(.*\)"$/\1/p' "$SVC/$PACKAGE/db.py")
echo "pooled URL in \$$POOLED_ENV, direct URL in \$$DIRECT_ENV"

mkdir -p "$ROOTFS$IN_ROOT" "$ROOTFS$SOCK_IN_ROOT"
tar -C "$SVC" --exclude=node_modules -cf - . | tar -C "$ROOTFS$IN_ROOT" -xf -
mkdir -p "$ROOTFS$IN_ROOT/itest"
cp "$ROOT/test/integration/client.py" "$ROOT/test/integration/test_db_urls.py" "$ROOTFS$IN_ROOT/itest/"
chmod -R a+rX "$ROOTFS$IN_ROOT"

# ---------------------------------------------------------------- TLS and PostgreSQL
step "PostgreSQL on 127.0.0.1:$PG_PORT (TLS, log_connections)"
if id postgres >/dev/null 2>&1; then
  PG_USER=postgres
else
  useradd --system --no-create-home --shell /usr/sbin/nologin uvsvc-itest-pg 2>/dev/null || true
  PG_USER=uvsvc-itest-pg
fi
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
  -keyout "$WORK/server.key" -out "$WORK/server.crt" 2>/dev/null
DB_PASSWORD=$(openssl rand -hex 16)
DB_NAME=appdb
mkdir -p "$PG_DATA" "$WORK/pgtls" "$WORK/pglog"
cp "$WORK/server.key" "$WORK/server.crt" "$WORK/pgtls/"
chmod 700 "$PG_DATA" "$WORK/pgtls"
chmod 600 "$WORK/pgtls/server.key"
chown -R "$PG_USER" "$PG_DATA" "$WORK/pgtls" "$WORK/pglog" "$ROOTFS$SOCK_IN_ROOT"
chmod 755 "$WORK" "$ROOTFS$SOCK_IN_ROOT"
runuser -u "$PG_USER" -- "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=reject \
  >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; exit 1; }
cat >>"$PG_DATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$ROOTFS$SOCK_IN_ROOT'
ssl = on
ssl_cert_file = '$WORK/pgtls/server.crt'
ssl_key_file = '$WORK/pgtls/server.key'
password_encryption = 'scram-sha-256'
log_connections = on
log_line_prefix = '%m [%p] host=%r db=%d user=%u '
EOF
cat >"$PG_DATA/pg_hba.conf" <<EOF
# admin over the socket; the app role: scram over the socket (PgBouncer) or TLS on 127.0.0.1 only
local   all  postgres                trust
local   all  app                     scram-sha-256
hostssl all  app       127.0.0.1/32  scram-sha-256
EOF
runuser -u "$PG_USER" -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >/dev/null
PG_STARTED=1
admin() { "$PSQL" -X -q -v ON_ERROR_STOP=1 -h "$ROOTFS$SOCK_IN_ROOT" -p "$PG_PORT" -U postgres -d postgres "$@"; }
admin -c "CREATE ROLE app LOGIN PASSWORD '$DB_PASSWORD'" -c "CREATE DATABASE $DB_NAME OWNER app"
"$PG_BIN/postgres" --version

# ---------------------------------------------------------------- PgBouncer
step "PgBouncer on 127.0.0.1:$BOUNCER_PORT (transaction mode, TLS to clients)"
BOUNCER_UID=$(chroot "$ROOTFS" id -u postgres 2>/dev/null || echo 65534)
BOUNCER_DIR=$IN_ROOT/pgbouncer
mkdir -p "$ROOTFS$BOUNCER_DIR"
cp "$WORK/server.key" "$WORK/server.crt" "$ROOTFS$BOUNCER_DIR/"
printf '"app" "%s"\n' "$DB_PASSWORD" >"$ROOTFS$BOUNCER_DIR/userlist.txt"
cat >"$ROOTFS$BOUNCER_DIR/pgbouncer.ini" <<EOF
[databases]
$DB_NAME = host=$SOCK_IN_ROOT port=$PG_PORT dbname=$DB_NAME
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $BOUNCER_DIR/userlist.txt
stats_users = app
pool_mode = transaction
max_prepared_statements = 100
default_pool_size = 10
max_client_conn = 500
client_tls_sslmode = require
client_tls_key_file = $BOUNCER_DIR/server.key
client_tls_cert_file = $BOUNCER_DIR/server.crt
logfile = $BOUNCER_DIR/pgbouncer.log
stats_period = 1
EOF
chown -R "$BOUNCER_UID" "$ROOTFS$BOUNCER_DIR"
chmod 600 "$ROOTFS$BOUNCER_DIR/server.key" "$ROOTFS$BOUNCER_DIR/userlist.txt"
chroot --userspec="$BOUNCER_UID" "$ROOTFS" /usr/sbin/pgbouncer -q "$BOUNCER_DIR/pgbouncer.ini" &
BOUNCER_PID=$!
for _ in $(seq 50); do port_free "$BOUNCER_PORT" || break; sleep 0.1; done
bouncer_admin() { # a command on PgBouncer's admin console, over TLS
  PGPASSWORD=$DB_PASSWORD PGSSLMODE=require "$PSQL" -X -A -F ' ' -h 127.0.0.1 -p "$BOUNCER_PORT" -U app pgbouncer -c "$1"
}
bouncer_stat() { # total transactions PgBouncer served for the database (stats refresh every second)
  sleep 1.2
  bouncer_admin 'SHOW STATS' | awk -v db="$DB_NAME" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == "total_xact_count") col = i }
    $1 == db { n = $col }
    END { if (col) print n + 0 }'
}
check "PgBouncer answers its admin console over TLS, pool_mode transaction" \
  grep -qx 'pool_mode transaction [a-z]* yes' <(bouncer_admin 'SHOW CONFIG')
check "PgBouncer reports its transaction count" test -n "$(bouncer_stat)"

POOLED_URL="postgresql://app:$DB_PASSWORD@127.0.0.1:$BOUNCER_PORT/$DB_NAME?sslmode=require&channel_binding=require"
DIRECT_URL="postgres://app:$DB_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME?sslmode=require&channel_binding=require"
tcp_connections() { grep -c "host=127.0.0.1(.*connection authorized: user=app database=$DB_NAME.*SSL enabled" "$PG_LOG" || true; }
socket_connections() { grep -c "host=\[local\].*connection authorized: user=app database=$DB_NAME" "$PG_LOG" || true; }

# ---------------------------------------------------------------- migrations: direct URL only
step "Migrations over the direct URL only"
out=$(in_rootfs nobody "$IN_ROOT" "$POOLED_ENV=$POOLED_URL" -- python3 -m alembic upgrade head 2>&1) && rc=0 || rc=$?
check "alembic refuses to run without $DIRECT_ENV, naming it (no fallback to the pooler)" \
  test "$rc" -ne 0 -a -n "$(grep -F "$DIRECT_ENV is not set" <<<"$out")"
xacts_before=$(bouncer_stat)
tcp_before=$(tcp_connections)
sockets_before=$(socket_connections)
t=$(date +%s)
check "alembic upgrade head succeeds with only $DIRECT_ENV set" \
  in_rootfs nobody "$IN_ROOT" "$DIRECT_ENV=$DIRECT_URL" -- python3 -m alembic upgrade head
echo "migration took $(seconds_since "$t")s"
check "the item table and alembic_version exist" \
  test "$(admin -d "$DB_NAME" -A -t -c "SELECT count(*) FROM pg_tables WHERE tablename IN ('item', 'alembic_version')")" = 2
check "the migration did not go through PgBouncer (its transaction count is unchanged)" \
  test "$(bouncer_stat)" = "$xacts_before"
check "PgBouncer opened no server connection during the migration (no [local] login)" \
  test "$(socket_connections)" = "$sockets_before"
check "the migration reached Postgres directly over TLS (log_connections)" \
  test "$(tcp_connections)" -gt "$tcp_before"
check "the models match the migrations (alembic check)" \
  in_rootfs nobody "$IN_ROOT" "$DIRECT_ENV=$DIRECT_URL" -- python3 -m alembic check

# ---------------------------------------------------------------- the app: pooled URL only
step "The app over the pooled URL only"
out=$(in_rootfs nobody "$IN_ROOT" -- timeout 20 python3 -m uvicorn "$PACKAGE.main:api" --host 127.0.0.1 --port "$APP_PORT" 2>&1) && rc=0 || rc=$?
check "the app refuses to start without $POOLED_ENV, naming it" \
  test "$rc" -ne 0 -a -n "$(grep -F "$POOLED_ENV is not set" <<<"$out")"
sockets_before=$(socket_connections)
tcp_before=$(tcp_connections)
rootfs_cmd nobody "$IN_ROOT" "$POOLED_ENV=$POOLED_URL" -- \
  python3 -m uvicorn "$PACKAGE.main:api" --host 127.0.0.1 --port "$APP_PORT" --no-access-log
"${ROOTFS_CMD[@]}" >"$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 100); do port_free "$APP_PORT" || break; sleep 0.1; done
check "the app is listening" port_open "$APP_PORT"
xacts_before=$(bouncer_stat)
in_rootfs nobody "$IN_ROOT/itest" -- python3 client.py "http://127.0.0.1:$APP_PORT" "$CONCURRENT" >"$WORK/client.out" 2>&1 || true
cat "$WORK/client.out"
passed=$((passed + $(grep -c '^PASS ' "$WORK/client.out" || true)))
failed=$((failed + $(grep -c '^FAIL ' "$WORK/client.out" || true)))
grep -q '^SUMMARY ' "$WORK/client.out" || fail "the HTTP client finished (see above)"
check "the app's traffic went through PgBouncer (its transaction count grew)" \
  test "$(bouncer_stat)" -gt "$xacts_before"
check "Postgres saw the app only via PgBouncer's socket, never a direct TCP connection" \
  test "$(socket_connections)" -gt "$sockets_before" -a "$(tcp_connections)" = "$tcp_before"
check "no prepared-statement error in the app log" \
  test -z "$(grep -i -E 'prepared statement|DuplicatePreparedStatement|InvalidSQLStatementName' "$WORK/app.log")"
check "no error in PgBouncer's log" \
  test -z "$(grep -E ' (ERROR|FATAL) ' "$ROOTFS$BOUNCER_DIR/pgbouncer.log")"

# ---------------------------------------------------------------- pytest: generated tests, URL checks
step "pytest in the rootfs: the generated tests and the db module's URL handling"
pytest_out=$(in_rootfs nobody "$IN_ROOT" "$POOLED_ENV=$POOLED_URL" "ITEST_POOLED_URL=$POOLED_URL" \
  "ITEST_CA=$BOUNCER_DIR/server.crt" "ITEST_DBNAME=$DB_NAME" "DB_MODULE=$PACKAGE.db" "PYTHONPATH=$IN_ROOT" -- \
  python3 -m pytest -p no:cacheprovider -q -rs tests itest/test_db_urls.py 2>&1) && rc=0 || rc=$?
echo "$pytest_out" | tail -15
check "the generated tests pass against PgBouncer (none skipped)" \
  test "$rc" -eq 0 -a -z "$(grep -i skipped <<<"$pytest_out")"

# ---------------------------------------------------------------- summary
summary=$(sed -n 's/^SUMMARY //p' "$WORK/client.out")
echo
echo "== Summary"
echo "concurrent load: ${summary:-not run} (through uvicorn -> PgBouncer (transaction mode, TLS) -> PostgreSQL)"
echo "PgBouncer transactions served: $(bouncer_stat); total time $(seconds_since "$T0")s"
echo "$passed passed, $failed failed"
if [ -n "${TEST_REPORTS:-}" ]; then # counted with the jest suites by scripts/summarize-tests.js
  mkdir -p "$TEST_REPORTS"
  printf '<testsuites name="integration" tests="%d" failures="%d" errors="0"></testsuites>\n' \
    "$((passed + failed))" "$failed" >"$TEST_REPORTS/integration.xml"
fi
[ "$failed" -eq 0 ]
