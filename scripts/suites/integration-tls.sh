#!/usr/bin/env bash
# Integration test of the generated database layer's connection security against real servers:
# the generated app/db.py and migrations/env.py are never weaker than libpq with the same URL.
#
# 1. The Debian trixie rootfs of scripts/lib/servers.sh (srv_rootfs) provides Python 3.13 with SQLAlchemy,
#    SQLModel, asyncpg, psycopg (libpq 17), Alembic, FastAPI, uvicorn, httpx, pytest, PgBouncer, openssl and
#    ca-certificates. ROOTFS=/path reuses one.
# 2. The library is packed (TARBALL=/path reuses a tarball) and two services are created from it:
#    the default (asyncpg) and one with driver psycopg.
# 3. A throwaway CA and a server certificate for "localhost" and "db.itest" (a name of 127.0.0.1
#    added to the rootfs' /etc/hosts while the test runs; never for the address 127.0.0.1), made here
#    with openssl. PostgreSQL (host binaries; TLS; scram-sha-256, plus an md5 role and a plain
#    listener for sslmode=disable) and PgBouncer (from the rootfs; TLS to clients) serve it, on free
#    ports of 127.0.0.1.
# 4. pytest in the rootfs, for each service: the TLS rules without a server
#    (test/integration/test_tls_policy.py), then each URL against the real servers, compared with
#    libpq itself (test/integration/test_tls_servers.py).
# 5. Alembic and the app of each service follow the same rules: `alembic upgrade head` and one
#    request through uvicorn for each case.
# 6. Figures: the cost of a connection per sslmode and driver (test/integration/bench_tls.py).
#
# Everything it starts is stopped by PID and everything it creates is removed on exit (trap).
# Prints PASS/FAIL lines and a final line "N passed, N failed"; exits non-zero on any failure. With
# TEST_REPORTS set, writes $TEST_REPORTS/integration-tls.xml (counted by scripts/summarize-tests.js).
# scripts/test runs it as the suite "tls" with TLS_SHORT=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

PACK_DIR=${PACK_DIR:-$ROOT/.tmp/pack-integration-tls}
# srv_rootfs, srv_in_rootfs, srv_bouncer_conf, srv_new_service, srv_resynth (with SRV_PROJEN_CACHE set, the
# run's suites share one projen new); PG_BIN
# shellcheck source=scripts/lib/servers.sh
. "$ROOT/scripts/lib/servers.sh"
# TLS_SHORT=1 (scripts/test): the benchmark makes 5 connections per sslmode instead of 50 (its figures are
# rougher; it is no check). Every check runs either way.
TLS_SHORT=${TLS_SHORT:-0}
if [ "$TLS_SHORT" = 1 ]; then BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-5}; else BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-50}; fi
SERVICE=orders-api
PACKAGE=orders
OTHER_HOST=db.itest

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }
check() { # check "name" command...: passes when the command succeeds
  local name=$1
  shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}
T0=$(date +%s)
step() { echo; echo "== $* ($(($(date +%s) - T0))s)"; }

for cmd in openssl runuser chroot npm python3; do
  command -v "$cmd" >/dev/null || { echo "integration-tls: $cmd is required" >&2; exit 2; }
done
for bin in initdb pg_ctl postgres psql; do
  [ -x "$PG_BIN/$bin" ] || { echo "integration-tls: PostgreSQL's $bin not found in $PG_BIN (set PG_BIN)" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "integration-tls: needs root (chroot, an unprivileged user for postgres)" >&2; exit 2; }

# ---------------------------------------------------------------- state and teardown
RUN_ID=uvsvc-tls-$$
WORK=$(mktemp -d "/tmp/$RUN_ID.XXXXXX")
IN_ROOT=/srv/$RUN_ID            # services, certificates and configs, as seen inside the rootfs
SOCK_IN_ROOT=/run/$RUN_ID       # Postgres' Unix socket, shared with PgBouncer in the rootfs
PG_USER=
PG_DATA=$WORK/pgdata
PG_LOG=$WORK/postgres.log
PG_STARTED=0
BOUNCER_PID=
APP_PID=
HOSTS_SAVED=0

cleanup() {
  local rc=$?
  set +e
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
  [ -n "$BOUNCER_PID" ] && kill "$BOUNCER_PID" 2>/dev/null && wait "$BOUNCER_PID" 2>/dev/null
  [ "$PG_STARTED" = 1 ] && runuser -u "$PG_USER" -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
  [ "$HOSTS_SAVED" = 1 ] && cp "$WORK/hosts.orig" "$ROOTFS/etc/hosts"
  [ -d "$ROOTFS" ] && rm -rf "${ROOTFS:?}$IN_ROOT" "${ROOTFS:?}$SOCK_IN_ROOT"
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do port_free "$1" || return 0; sleep 0.1; done; return 1; }
PG_PORT=$(free_port)
BOUNCER_PORT=$(free_port)
APP_PORT=$(free_port)
while [ "$BOUNCER_PORT" = "$PG_PORT" ]; do BOUNCER_PORT=$(free_port); done
while [ "$APP_PORT" = "$PG_PORT" ] || [ "$APP_PORT" = "$BOUNCER_PORT" ]; do APP_PORT=$(free_port); done

# ---------------------------------------------------------------- rootfs
step "Debian trixie rootfs: $ROOTFS"
SRV_WORK=$WORK srv_rootfs || exit 2
echo "$(chroot "$ROOTFS" python3 --version); $(chroot "$ROOTFS" pgbouncer --version | head -1);" \
  "libpq $(chroot "$ROOTFS" python3 -c 'import psycopg; print(psycopg.pq.version())')"
cp "$ROOTFS/etc/hosts" "$WORK/hosts.orig"
HOSTS_SAVED=1
printf '127.0.0.1\t%s\n' "$OTHER_HOST" >>"$ROOTFS/etc/hosts"

# ---------------------------------------------------------------- the services
step "Pack the library; create $SERVICE from the tarball (asyncpg) and a copy with driver psycopg"
if [ -z "${TARBALL:-}" ]; then
  npx projen compile >"$WORK/compile.log" 2>&1 || { tail -30 "$WORK/compile.log" >&2; exit 1; }
  rm -rf "$PACK_DIR" && mkdir -p "$PACK_DIR"
  npm pack --pack-destination "$PACK_DIR" --silent >/dev/null
  TARBALL=$(ls "$PACK_DIR"/*.tgz)
fi
SVC_ASYNCPG=$WORK/new/asyncpg/$SERVICE
SVC_PSYCOPG=$WORK/new/psycopg/$SERVICE
srv_new_service "$SVC_ASYNCPG" "$SERVICE" --app "$PACKAGE.main:api"
sed -i "s/new UvPythonService({/&\n  pythonVersion: '3.13',/" "$SVC_ASYNCPG/.projenrc.ts"
srv_resynth "$SVC_ASYNCPG"
mkdir -p "$(dirname "$SVC_PSYCOPG")"
cp -a "$SVC_ASYNCPG" "$SVC_PSYCOPG"
(cd "$SVC_PSYCOPG" &&
  sed -i -E "s/^import \{ (.*) \} from (['\"])projen-uv-service(['\"]);/import { \1, DatabaseDriver } from \2projen-uv-service\3;/" .projenrc.ts &&
  sed -i "s/new UvPythonService({/&\n  databaseOptions: { driver: DatabaseDriver.PSYCOPG },/" .projenrc.ts &&
  CI=true npx projen) >"$WORK/psycopg.log" 2>&1 || { cat "$SVC_PSYCOPG/.projenrc.ts"; tail -30 "$WORK/psycopg.log" >&2; exit 1; }
check "the default service uses asyncpg and verifies other machines (VERIFY_SERVER = True)" \
  grep -qz 'DRIVER = "asyncpg".*VERIFY_SERVER = True' "$SVC_ASYNCPG/$PACKAGE/db.py"
check "the second service uses psycopg (databaseOptions.driver in .projenrc.ts)" \
  grep -q '^DRIVER = "psycopg"' "$SVC_PSYCOPG/$PACKAGE/db.py"
POOLED_ENV=$(sed -n 's/^POOLED_URL_ENV = "\(.*\)"$/\1/p' "$SVC_ASYNCPG/$PACKAGE/db.py")
DIRECT_ENV=$(sed -n 's/^DIRECT_URL_ENV = "\(.*\)"$/\1/p' "$SVC_ASYNCPG/$PACKAGE/db.py")
check "the local URLs of .env.example say sslmode=disable and point at 127.0.0.1" \
  test "$(grep -c "^[A-Z_]*=postgresql://[^@]*@127\.0\.0\.1:[0-9]*/[a-z]*?sslmode=disable$" "$SVC_ASYNCPG/.env.example")" = 2

mkdir -p "$ROOTFS$IN_ROOT" "$ROOTFS$SOCK_IN_ROOT"
for driver in asyncpg psycopg; do
  mkdir -p "$ROOTFS$IN_ROOT/$driver"
  tar -C "$WORK/new/$driver/$SERVICE" --exclude=node_modules -cf - . | tar -C "$ROOTFS$IN_ROOT/$driver" -xf -
done
mkdir -p "$ROOTFS$IN_ROOT/itest"
cp "$ROOT"/test/integration/{tls_support.py,test_tls_policy.py,test_tls_servers.py,bench_tls.py} "$ROOTFS$IN_ROOT/itest/"

# ---------------------------------------------------------------- CA and server certificate
step "A throwaway CA and a server certificate for localhost and $OTHER_HOST (openssl)"
TLS=$WORK/tls
mkdir -p "$TLS"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=uvsvc itest CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$TLS/ca.key" -out "$TLS/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$TLS/server.key" -out "$TLS/server.csr" 2>/dev/null
cat >"$TLS/server.ext" <<EOF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,DNS:$OTHER_HOST
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid,issuer
EOF
openssl x509 -req -in "$TLS/server.csr" -CA "$TLS/ca.crt" -CAkey "$TLS/ca.key" -set_serial "0x$(openssl rand -hex 8)" \
  -days 1 -extfile "$TLS/server.ext" -out "$TLS/server.crt" 2>/dev/null
check "the server certificate chains to the test CA" openssl verify -CAfile "$TLS/ca.crt" "$TLS/server.crt"
check "the server certificate names localhost and $OTHER_HOST, not 127.0.0.1" \
  test "$(openssl x509 -in "$TLS/server.crt" -noout -ext subjectAltName | tail -1 | tr -d ' ')" = "DNS:localhost,DNS:$OTHER_HOST"
CA_IN_ROOT=$IN_ROOT/tls/ca.crt
mkdir -p "$ROOTFS$IN_ROOT/tls"
cp "$TLS/ca.crt" "$ROOTFS$CA_IN_ROOT"
chmod -R a+rX "$ROOTFS$IN_ROOT"

# ---------------------------------------------------------------- PostgreSQL
step "PostgreSQL on 127.0.0.1:$PG_PORT (TLS and plain; scram-sha-256; role app_md5 with md5)"
if id postgres >/dev/null 2>&1; then
  PG_USER=postgres
else
  useradd --system --no-create-home --shell /usr/sbin/nologin uvsvc-itest-pg 2>/dev/null || true
  PG_USER=uvsvc-itest-pg
fi
DB_PASSWORD=$(openssl rand -hex 16)
MD5_PASSWORD=$(openssl rand -hex 16)
DB_NAME=appdb
mkdir -p "$PG_DATA" "$WORK/pgtls"
cp "$TLS/server.key" "$TLS/server.crt" "$WORK/pgtls/"
chmod 700 "$PG_DATA" "$WORK/pgtls"
chmod 600 "$WORK/pgtls/server.key"
touch "$PG_LOG"
chown -R "$PG_USER" "$PG_DATA" "$WORK/pgtls" "$PG_LOG" "$ROOTFS$SOCK_IN_ROOT"
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
log_line_prefix = '%m [%p] host=%r user=%u '
EOF
cat >"$PG_DATA/pg_hba.conf" <<EOF
# admin over the socket; app: scram over the socket (PgBouncer), TLS or plain on 127.0.0.1 only;
# app_md5: md5 over TLS (an endpoint that cannot bind a login to the TLS channel)
local     all  postgres                trust
local     all  app                     scram-sha-256
hostssl   all  app        127.0.0.1/32 scram-sha-256
hostnossl all  app        127.0.0.1/32 scram-sha-256
hostssl   all  app_md5    127.0.0.1/32 md5
EOF
runuser -u "$PG_USER" -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >/dev/null
PG_STARTED=1
admin() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$ROOTFS$SOCK_IN_ROOT" -p "$PG_PORT" -U postgres -d postgres "$@"; }
admin -c "CREATE ROLE app LOGIN PASSWORD '$DB_PASSWORD'" -c "CREATE DATABASE $DB_NAME OWNER app" \
  -c "SET password_encryption = 'md5'" -c "CREATE ROLE app_md5 LOGIN PASSWORD '$MD5_PASSWORD'" \
  -c "GRANT ALL ON DATABASE $DB_NAME TO app_md5"
"$PG_BIN/postgres" --version

# ---------------------------------------------------------------- PgBouncer
step "PgBouncer on 127.0.0.1:$BOUNCER_PORT (transaction mode, TLS to clients, scram-sha-256)"
BOUNCER_DIR=$IN_ROOT/pgbouncer
mkdir -p "$ROOTFS$BOUNCER_DIR"
cp "$TLS/server.key" "$TLS/server.crt" "$ROOTFS$BOUNCER_DIR/"
SRV_DBS=("$DB_NAME app")
SRV_ROLES=("app $DB_PASSWORD")
SRV_BOUNCER_MAX_CLIENTS=100 SRV_BOUNCER_STATS_PERIOD=60 \
  srv_bouncer_conf "$ROOTFS$BOUNCER_DIR" "$BOUNCER_DIR" "$BOUNCER_PORT" "$SOCK_IN_ROOT" "$PG_PORT"
chroot --userspec="$SRV_BOUNCER_UID" "$ROOTFS" /usr/sbin/pgbouncer -q "$BOUNCER_DIR/pgbouncer.ini" &
BOUNCER_PID=$!
check "PgBouncer is listening" wait_port "$BOUNCER_PORT"

# ---------------------------------------------------------------- pytest
ITEST_ENV=("ITEST_CA=$CA_IN_ROOT" "ITEST_PASSWORD=$DB_PASSWORD" "ITEST_MD5_PASSWORD=$MD5_PASSWORD"
  "ITEST_DBNAME=$DB_NAME" "ITEST_PG_PORT=$PG_PORT" "ITEST_BOUNCER_PORT=$BOUNCER_PORT" "ITEST_OTHER_HOST=$OTHER_HOST"
  "DB_MODULE=$PACKAGE.db")
for driver in asyncpg psycopg; do
  step "pytest in the rootfs, $driver service: TLS rules, then every URL against the servers and libpq"
  out=$(srv_in_rootfs nobody "$IN_ROOT/itest" "${ITEST_ENV[@]}" "PYTHONPATH=$IN_ROOT/$driver:$IN_ROOT/itest" -- \
    python3 -m pytest -p no:cacheprovider -v --tb=short -rfE test_tls_policy.py test_tls_servers.py 2>&1) || true
  while read -r test result; do
    if [ "$result" = PASSED ]; then pass "$driver: $test"; else fail "$driver: $test ($result)"; fi
  done < <(sed -n 's/^\(test_[^ ]*\) \(PASSED\|FAILED\|ERROR\|SKIPPED\).*/\1 \2/p' <<<"$out")
  grep -q ' passed' <<<"$(tail -1 <<<"$out")" || fail "$driver: pytest ran"
  if grep -q -E '^(FAILED|ERROR) ' <<<"$out"; then sed -n '/= FAILURES =/,$p' <<<"$out" | head -120; fi
done

# ---------------------------------------------------------------- Alembic and the app
# URL for the services: target host query -> postgresql://app:...@host:port/db?query
svc_url() {
  local port=$PG_PORT
  [ "$1" = pgbouncer ] && port=$BOUNCER_PORT
  echo "postgresql://app:$DB_PASSWORD@$2:$port/$DB_NAME${3:+?$3}"
}
# alembic_case DRIVER NAME URL ok|refused PATTERN: alembic upgrade head with only the direct URL set
alembic_case() {
  local driver=$1 name=$2 url=$3 expect=$4 pattern=${5:-}
  local out rc
  out=$(srv_in_rootfs nobody "$IN_ROOT/$driver" "$DIRECT_ENV=$url" -- python3 -m alembic upgrade head 2>&1) && rc=0 || rc=$?
  if [ "$expect" = ok ]; then
    check "$driver alembic, $name: migrates" test "$rc" -eq 0
  else
    check "$driver alembic, $name: refused, saying: $pattern" test "$rc" -ne 0 -a -n "$(grep -F -- "$pattern" <<<"$out")"
    tail -1 <<<"$out" | cut -c1-600 | sed 's/^/     /' # the error as Alembic's user sees it last
  fi
  [ "$rc" -eq 0 ] || [ "$expect" != ok ] || tail -5 <<<"$out"
}
# app_case DRIVER NAME URL ok|refused PATTERN: uvicorn with only the pooled URL set, then GET /items
app_case() {
  local driver=$1 name=$2 url=$3 expect=$4 pattern=${5:-}
  local status=none
  srv_rootfs_cmd nobody "$IN_ROOT/$driver" "$POOLED_ENV=$url" -- \
    python3 -m uvicorn "$PACKAGE.main:api" --host 127.0.0.1 --port "$APP_PORT" --no-access-log
  "${SRV_CMD[@]}" >"$WORK/app.log" 2>&1 &
  APP_PID=$!
  if wait_port "$APP_PORT"; then
    status=$(srv_in_rootfs nobody / -- python3 -c 'import httpx, sys; print(httpx.get(sys.argv[1], timeout=30).status_code)' \
      "http://127.0.0.1:$APP_PORT/items" 2>&1 | tail -1)
  fi
  kill "$APP_PID" 2>/dev/null
  wait "$APP_PID" 2>/dev/null || true
  APP_PID=
  if [ "$expect" = ok ]; then
    check "$driver app, $name: GET /items answers 200" test "$status" = 200
    [ "$status" = 200 ] || tail -5 "$WORK/app.log"
  else
    check "$driver app, $name: refused (status $status), its log says: $pattern" \
      test "$status" != 200 -a -n "$(grep -F -- "$pattern" "$WORK/app.log")"
  fi
}
CA_Q="sslrootcert=$CA_IN_ROOT"
NEON="sslmode=require&channel_binding=require"
BINDING="asks for channel_binding=require, which asyncpg cannot do"

step "Alembic and the app of the asyncpg service"
alembic_case asyncpg "Neon URL, certificate not trusted" "$(svc_url postgres localhost "$NEON")" refused "$DIRECT_ENV: connection refused: the server localhost could not be authenticated"
alembic_case asyncpg "Neon URL + sslrootcert=<test CA>, host localhost" "$(svc_url postgres localhost "$NEON&$CA_Q")" ok
alembic_case asyncpg "Neon URL + sslrootcert=<test CA>, host 127.0.0.1 (not in the certificate)" "$(svc_url postgres 127.0.0.1 "$NEON&$CA_Q")" refused "IP address mismatch"
alembic_case asyncpg "verify-full with the system trust store" "$(svc_url postgres localhost "sslmode=verify-full&sslrootcert=system")" refused "certificate verify failed"
alembic_case asyncpg "sslmode=disable on localhost" "$(svc_url postgres localhost "sslmode=disable")" ok
app_case asyncpg "Neon URL, certificate not trusted" "$(svc_url pgbouncer localhost "$NEON")" refused "$BINDING"
app_case asyncpg "Neon URL + sslrootcert=<test CA>, host localhost" "$(svc_url pgbouncer localhost "$NEON&$CA_Q")" ok
app_case asyncpg "Neon URL + sslrootcert=<test CA>, host 127.0.0.1" "$(svc_url pgbouncer 127.0.0.1 "$NEON&$CA_Q")" refused "IP address mismatch"
app_case asyncpg "verify-full with the system trust store" "$(svc_url pgbouncer localhost "sslmode=verify-full&sslrootcert=system")" refused "certificate verify failed"
app_case asyncpg "sslmode=require to another machine (the floor)" "$(svc_url pgbouncer "$OTHER_HOST" "sslmode=require")" refused "verifyServerCertificate (.projenrc.ts"
app_case asyncpg "sslmode=disable on localhost (Postgres' plain listener)" "$(svc_url postgres localhost "sslmode=disable")" ok

step "Alembic and the app of the psycopg service"
alembic_case psycopg "Neon URL, channel binding with Postgres (SCRAM-SHA-256-PLUS)" "$(svc_url postgres localhost "$NEON")" ok
alembic_case psycopg "Neon URL through PgBouncer (no channel binding)" "$(svc_url pgbouncer localhost "$NEON")" refused "channel binding is required"
alembic_case psycopg "verify-full with the system trust store" "$(svc_url postgres localhost "sslmode=verify-full&sslrootcert=system")" refused "certificate verify failed"
alembic_case psycopg "sslmode=disable on localhost" "$(svc_url postgres localhost "sslmode=disable")" ok
app_case psycopg "Neon URL, channel binding with Postgres" "$(svc_url postgres localhost "$NEON")" ok
app_case psycopg "Neon URL through PgBouncer (no channel binding)" "$(svc_url pgbouncer localhost "$NEON")" refused "channel binding is required"
app_case psycopg "verify-full + sslrootcert=<test CA> through PgBouncer" "$(svc_url pgbouncer localhost "sslmode=verify-full&$CA_Q")" ok
app_case psycopg "verify-full with the system trust store" "$(svc_url pgbouncer localhost "sslmode=verify-full&sslrootcert=system")" refused "certificate verify failed"
app_case psycopg "sslmode=require to another machine (the floor)" "$(svc_url pgbouncer "$OTHER_HOST" "sslmode=require")" refused "verifyServerCertificate (.projenrc.ts"

# ---------------------------------------------------------------- figures
step "Cost of a connection per sslmode ($BENCH_CONNECTIONS sequential connections each, Postgres over TCP)"
srv_in_rootfs nobody "$IN_ROOT/itest" "${ITEST_ENV[@]}" "PYTHONPATH=$IN_ROOT/itest" -- \
  python3 bench_tls.py "$BENCH_CONNECTIONS" 2>&1 | tee "$WORK/bench.out" || fail "the connection benchmark ran"

echo
echo "== Summary"
echo "$passed passed, $failed failed"
if [ -n "${TEST_REPORTS:-}" ]; then
  mkdir -p "$TEST_REPORTS"
  printf '<testsuites name="integration-tls" tests="%d" failures="%d" errors="0"></testsuites>\n' \
    "$((passed + failed))" "$failed" >"$TEST_REPORTS/integration-tls.xml"
fi
[ "$failed" -eq 0 ]
