#!/usr/bin/env bash
# Integration test of the generated database layer against real servers (no mocks).
#
# 1. A Debian trixie rootfs (debootstrap) provides Python 3.13 with SQLAlchemy, SQLModel, asyncpg,
#    Alembic, FastAPI, uvicorn, httpx, pytest, and PgBouncer: PyPI is not reachable here.
#    ROOTFS=/path reuses a rootfs; otherwise one is built once and kept in servers.sh's $SRV_STATE_DIR.
# 2. A service is created from the packed library (`projen new --from <tarball>`), Python 3.13.
# 3. PostgreSQL (host binaries, TLS with a self-signed certificate made here) and PgBouncer (from the
#    rootfs, transaction mode, max_prepared_statements, TLS to clients) listen on 127.0.0.1 only, on
#    ports picked free at run time (scripts/lib/servers.sh).
# 4. `alembic upgrade head` runs with only the direct URL set; the app (uvicorn) with only the pooled
#    URL set; both URLs as Neon writes them (sslmode=require&channel_binding=require), plus sslrootcert=
#    naming a bundle of the two self-signed certificates (channel_binding=require makes the generated code
#    verify the server). The same URL without the bundle is refused.
# 5. CRUD round trip and concurrent requests through the app; a property test (Hypothesis, test/integration/
#    no_5xx.py) sends random JSON bodies, ids and query strings to every sample route and finds no 5xx;
#    proof that the migration bypassed PgBouncer and the app went through it; the generated tests (their
#    own database, made over the direct URL and reached through PgBouncer) and URL checks run with pytest.
#
# Everything it starts is stopped, and everything it creates is removed, on exit (trap).
# Prints a summary and a final line "N passed, N failed"; exits non-zero on any failure. With TEST_REPORTS
# set, writes $TEST_REPORTS/integration.xml (counted by scripts/summarize-tests.js).
# Environment: TARBALL (packed library; packed here if unset), ROOTFS, PG_BIN, CONCURRENT (default 100),
# PROPERTY_EXAMPLES (Hypothesis examples per route, default 200).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/lib/checks.sh
source scripts/lib/checks.sh
# shellcheck source=scripts/lib/servers.sh
source scripts/lib/servers.sh

CONCURRENT=${CONCURRENT:-100}
PROPERTY_EXAMPLES=${PROPERTY_EXAMPLES:-200}
SERVICE=orders-api
PACKAGE=orders

checks_init integration
srv_need_root "chroot, and an unprivileged user for postgres"
srv_need_cmd openssl "apt-get install openssl" runuser "util-linux" chroot "coreutils" npm "Node.js 20"
srv_init itest
on_suite_exit() { checks_finish "$1"; }
T0=$(date +%s)

# ---------------------------------------------------------------- rootfs
step "Debian trixie rootfs: $ROOTFS"
srv_rootfs
bouncer_version=$(chroot "$ROOTFS" pgbouncer --version | head -1)
echo "$bouncer_version; $(chroot "$ROOTFS" python3 --version)"
check "the rootfs runs Python 3.13" chroot "$ROOTFS" python3 -c 'import sys; assert sys.version_info[:2] == (3, 13), sys.version'
version_ge() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -1)" = "$2" ]; }
check "PgBouncer is 1.22 or newer (prepared statements in transaction mode)" \
  version_ge "$(cut -d' ' -f2 <<<"$bouncer_version")" 1.22
# asyncio needs no /proc; mount it only if this rootfs lacks what Python needs from it.
if ! chroot "$ROOTFS" python3 -c 'import asyncio, ssl; asyncio.run(asyncio.sleep(0))' 2>/dev/null; then
  mount -t proc proc "$ROOTFS/proc" && srv_defer umount "$ROOTFS/proc"
fi

# ---------------------------------------------------------------- the service
step "Pack the library and create $SERVICE from the tarball"
t=$(date +%s)
srv_tarball
SVC=$SRV_WORK/new/$SERVICE
srv_new_service "$SVC" "$SERVICE" --app "$PACKAGE.main:api"
# pythonVersion goes through .projenrc.ts (the CLI would read 3.13 as a number), as a user edits it.
sed -i "s/new UvPythonService({/&\n  pythonVersion: '3.13',/" "$SVC/.projenrc.ts"
srv_resynth "$SVC"
check "the service targets Python 3.13, as the rootfs has" grep -qx '3.13' "$SVC/.python-version"
echo "created in $(seconds_since "$t")s"
check "the service has the managed database files" \
  test -f "$SVC/$PACKAGE/db.py" -a -f "$SVC/alembic.ini" -a -f "$SVC/migrations/env.py" -a -f "$SVC/compose.yaml"
POOLED_ENV=$(sed -n 's/^POOLED_URL_ENV = "\(.*\)"$/\1/p' "$SVC/$PACKAGE/db.py")
DIRECT_ENV=$(sed -n 's/^DIRECT_URL_ENV = "\(.*\)"$/\1/p' "$SVC/$PACKAGE/db.py")
echo "pooled URL in \$$POOLED_ENV, direct URL in \$$DIRECT_ENV"

IN_ROOT=/srv/$SRV_RUN_ID/app # the service, as seen inside the rootfs
mkdir -p "$ROOTFS$IN_ROOT"
srv_defer rm -rf "$ROOTFS/srv/$SRV_RUN_ID"
tar -C "$SVC" --exclude=node_modules -cf - . | tar -C "$ROOTFS$IN_ROOT" -xf -
mkdir -p "$ROOTFS$IN_ROOT/itest"
cp test/integration/client.py test/integration/test_db_urls.py test/integration/no_5xx.py "$ROOTFS$IN_ROOT/itest/"
chmod -R a+rX "$ROOTFS/srv/$SRV_RUN_ID"

# ---------------------------------------------------------------- PostgreSQL and PgBouncer
step "PostgreSQL (TLS, log_connections) and PgBouncer (transaction mode, TLS to clients)"
srv_pg_start
DB_NAME=appdb
DB_ROLE=app
DB_PASSWORD=$(openssl rand -hex 16)
srv_pg_add_db "$DB_NAME" "$DB_ROLE" "$DB_PASSWORD"
# The generated tests make a database of their own ($DB_NAME_test) and reach it through PgBouncer too.
SRV_BOUNCER_ANY_DB=1 srv_bouncer_start
echo "$("$PG_BIN/postgres" --version) on 127.0.0.1:$SRV_PG_PORT; PgBouncer on 127.0.0.1:$SRV_BOUNCER_PORT"
check "PgBouncer answers its admin console over TLS, pool_mode transaction" \
  grep -qx 'pool_mode transaction [a-z]* yes' <(srv_bouncer_admin "$DB_ROLE" "$DB_PASSWORD" 'SHOW CONFIG')
bouncer_stat() { srv_bouncer_xacts "$DB_NAME" "$DB_ROLE" "$DB_PASSWORD"; }
check "PgBouncer reports its transaction count" test -n "$(bouncer_stat)"

# The clients trust the two self-signed certificates explicitly: a CA bundle of PostgreSQL's and PgBouncer's
# certificate inside the rootfs, named by sslrootcert= in Neon-shaped URLs (channel_binding=require makes the
# generated code verify the server: verify-full against this bundle).
CA_IN_ROOT=/srv/$SRV_RUN_ID/ca-bundle.crt
cat "$SRV_WORK/pgtls/server.crt" "$ROOTFS$SRV_BOUNCER_CERT" >"$ROOTFS$CA_IN_ROOT"
chmod 644 "$ROOTFS$CA_IN_ROOT"
NEON_QUERY="sslmode=require&channel_binding=require"
POOLED_URL=$(srv_url postgresql "$DB_ROLE" "$DB_PASSWORD" "$SRV_BOUNCER_PORT" "$DB_NAME" "$NEON_QUERY&sslrootcert=$CA_IN_ROOT")
DIRECT_URL=$(srv_url postgres "$DB_ROLE" "$DB_PASSWORD" "$SRV_PG_PORT" "$DB_NAME" "$NEON_QUERY&sslrootcert=$CA_IN_ROOT")
DIRECT_URL_NO_CA=$(srv_url postgres "$DB_ROLE" "$DB_PASSWORD" "$SRV_PG_PORT" "$DB_NAME" "$NEON_QUERY")
tcp_connections() { srv_pg_log_count "host=127\.0\.0\.1\(.*connection authorized: user=$DB_ROLE database=$DB_NAME .*SSL enabled"; }
socket_connections() { srv_pg_log_count "host=\[local\].*connection authorized: user=$DB_ROLE database=$DB_NAME( |$)"; }

# ---------------------------------------------------------------- migrations: direct URL only
step "Migrations over the direct URL only"
out=$(srv_in_rootfs nobody "$IN_ROOT" "$POOLED_ENV=$POOLED_URL" -- python3 -m alembic upgrade head 2>&1) && rc=0 || rc=$?
check "alembic refuses to run without $DIRECT_ENV, naming it (no fallback to the pooler)" \
  test "$rc" -ne 0 -a -n "$(grep -F "$DIRECT_ENV is not set" <<<"$out")"
out=$(srv_in_rootfs nobody "$IN_ROOT" "$DIRECT_ENV=$DIRECT_URL_NO_CA" -- python3 -m alembic upgrade head 2>&1) && rc=0 || rc=$?
check "alembic refuses the Neon-shaped URL without a CA for the self-signed certificate (channel_binding=require: verify-full)" \
  test "$rc" -ne 0 -a -n "$(grep -iE 'certificate' <<<"$out")" -a \
  "$(srv_pg_admin -d "$DB_NAME" -A -t -c "SELECT count(*) FROM pg_tables WHERE tablename = 'alembic_version'")" = 0
[ "$rc" -ne 0 ] || tail -5 <<<"$out" >&2
xacts_before=$(bouncer_stat)
tcp_before=$(tcp_connections)
sockets_before=$(socket_connections)
t=$(date +%s)
check "alembic upgrade head succeeds with only $DIRECT_ENV set" \
  srv_in_rootfs nobody "$IN_ROOT" "$DIRECT_ENV=$DIRECT_URL" -- python3 -m alembic upgrade head
echo "migration took $(seconds_since "$t")s"
check "the item table and alembic_version exist" \
  test "$(srv_pg_admin -d "$DB_NAME" -A -t -c "SELECT count(*) FROM pg_tables WHERE tablename IN ('item', 'alembic_version')")" = 2
check "the migration did not go through PgBouncer (its transaction count is unchanged)" \
  test "$(bouncer_stat)" = "$xacts_before"
check "PgBouncer opened no server connection during the migration (no [local] login)" \
  test "$(socket_connections)" = "$sockets_before"
check "the migration reached Postgres directly over TLS (log_connections)" \
  test "$(tcp_connections)" -gt "$tcp_before"
check "the models match the migrations (alembic check)" \
  srv_in_rootfs nobody "$IN_ROOT" "$DIRECT_ENV=$DIRECT_URL" -- python3 -m alembic check

# ---------------------------------------------------------------- the app: pooled URL only
step "The app over the pooled URL only"
APP_PORT=$(srv_free_port)
out=$(srv_in_rootfs nobody "$IN_ROOT" -- timeout 20 python3 -m uvicorn "$PACKAGE.main:api" --host 127.0.0.1 --port "$APP_PORT" 2>&1) && rc=0 || rc=$?
check "the app refuses to start without $POOLED_ENV, naming it" \
  test "$rc" -ne 0 -a -n "$(grep -F "$POOLED_ENV is not set" <<<"$out")"
sockets_before=$(socket_connections)
tcp_before=$(tcp_connections)
srv_rootfs_cmd nobody "$IN_ROOT" "$POOLED_ENV=$POOLED_URL" -- \
  python3 -m uvicorn "$PACKAGE.main:api" --host 127.0.0.1 --port "$APP_PORT" --no-access-log
"${SRV_CMD[@]}" >"$SRV_WORK/app.log" 2>&1 &
APP_PID=$!
srv_defer _srv_stop_pid "$APP_PID"
check "the app is listening on 127.0.0.1:$APP_PORT" srv_wait_port "$APP_PORT" 20 "$APP_PID"
xacts_before=$(bouncer_stat)
srv_in_rootfs nobody "$IN_ROOT/itest" -- python3 client.py "http://127.0.0.1:$APP_PORT" \
  --writes $((CONCURRENT / 2)) --reads $((CONCURRENT - CONCURRENT / 2)) >"$SRV_WORK/client.out" 2>&1 || true
cat "$SRV_WORK/client.out"
count_client_output "$SRV_WORK/client.out"
grep -q '^SUMMARY ' "$SRV_WORK/client.out" || fail "the HTTP client finished (see above)"
check "the app's traffic went through PgBouncer (its transaction count grew)" \
  test "$(bouncer_stat)" -gt "$xacts_before"
check "Postgres saw the app only via PgBouncer's socket, never a direct TCP connection" \
  test "$(socket_connections)" -gt "$sockets_before" -a "$(tcp_connections)" = "$tcp_before"
# Random JSON bodies, ids and query strings at every sample route (Hypothesis): never a 5xx.
srv_in_rootfs nobody "$IN_ROOT/itest" -- python3 no_5xx.py "http://127.0.0.1:$APP_PORT" --examples "$PROPERTY_EXAMPLES" \
  >"$SRV_WORK/no_5xx.out" 2>&1 || true
cat "$SRV_WORK/no_5xx.out"
count_client_output "$SRV_WORK/no_5xx.out"
grep -q '^SUMMARY property test' "$SRV_WORK/no_5xx.out" || fail "the property test ran to its end (see above)"
check "no prepared-statement error in the app log" \
  test -z "$(grep -i -E 'prepared statement|DuplicatePreparedStatement|InvalidSQLStatementName' "$SRV_WORK/app.log")"
check "no error in PgBouncer's log" test -z "$(grep -E ' (ERROR|FATAL) ' "$SRV_BOUNCER_LOG")"

# ---------------------------------------------------------------- pytest: generated tests, URL checks
step "pytest in the rootfs: the generated tests and the db module's URL handling"
pytest_out=$(srv_in_rootfs nobody "$IN_ROOT" "$POOLED_ENV=$POOLED_URL" "$DIRECT_ENV=$DIRECT_URL" "ITEST_POOLED_URL=$POOLED_URL" \
  "ITEST_CA=$SRV_BOUNCER_CERT" "ITEST_DBNAME=$DB_NAME" "DB_MODULE=$PACKAGE.db" "PYTHONPATH=$IN_ROOT" -- \
  python3 -m pytest -p no:cacheprovider -q -rs tests itest/test_db_urls.py 2>&1) && rc=0 || rc=$?
echo "$pytest_out" | tail -15
check "the generated tests pass against PgBouncer (none skipped)" \
  test "$rc" -eq 0 -a -z "$(grep -i skipped <<<"$pytest_out")"

# ---------------------------------------------------------------- figures
figure "concurrent load (uvicorn -> PgBouncer (transaction mode, TLS) -> PostgreSQL)" \
  "$(sed -n 's/^SUMMARY //p' "$SRV_WORK/client.out")"
figure "PgBouncer transactions served" "$(bouncer_stat)"
figure "integration suite total (s)" "$(seconds_since "$T0")"
checks_done
