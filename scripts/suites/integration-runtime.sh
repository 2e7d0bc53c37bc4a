#!/usr/bin/env bash
# Integration test: the generated service's runtime settings and timeouts, against real servers.
#
# In the se_ environment of scripts/lib/servers.sh (the service from the packed library on Debian trixie's
# Python stack, PgBouncer in transaction mode with TLS and SCRAM as Neon's pooler, PostgreSQL 15), for
# asyncpg and psycopg, with the client pool and with NullPool:
#
#  1. a write blocked by a lock another session holds is cut by DB_STATEMENT_TIMEOUT_SECONDS (set in the
#     environment: the settings are read) and answered with a JSON 504 within the bound, not a hang or a
#     500; then the same worker (pool of one connection: the very connection that was cut) writes again;
#  2. a migration that needs a lock another session holds fails fast (DB_MIGRATION_LOCK_TIMEOUT_SECONDS)
#     with a clear message, no hang, and succeeds once the lock is released;
#  3. a bad setting value (DB_POOL_SIZE=abc) stops startup with one line naming the variable, no traceback;
#     with 2 workers too, within seconds: the CMD's pre-flight (python -m <package>.settings) reads every
#     setting before uvicorn forks workers that would each exit on it and be restarted for ever;
#  4. /ready answers 200, then 503 (JSON) within READY_BOUND once PgBouncer is stopped, then 200 again once
#     it is back, while /health answers 200 throughout;
#  5. X-Request-ID abc-123 comes back in the response and in the request's JSON log line; one with spaces
#     or 129 characters long is replaced by a new one (32 hex digits); every line the app writes (uvicorn's
#     own too) parses as one JSON object;
#  6. X-Forwarded-For sets the request log's client only from a peer FORWARDED_ALLOW_IPS lists (a network);
#  7. SIGTERM to uvicorn while a write waits on a lock: a new connection is refused at once, the write
#     completes with 201 once the lock is released, and uvicorn ends within the grace period (compose's
#     stop_grace_period; by its own re-raised SIGTERM, 143: as a container's PID 1 it exits 0, which the
#     Docker suite checks); with the lock never released, uvicorn still ends within the grace period, its
#     --timeout-graceful-shutdown cancelling the request (a CMD without the flag waits for the request, past
#     the kill).
#
# Prints PASS/FAIL lines and a final "N passed, N failed" (scripts/lib/checks.sh; with TEST_REPORTS set, the
# JUnit report runtime.xml); exits non-zero on any failure, or when it stopped before its end.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/lib/servers.sh
. scripts/lib/servers.sh
# shellcheck source=scripts/lib/checks.sh
. scripts/lib/checks.sh

STATEMENT_TIMEOUT=3 # seconds, DB_STATEMENT_TIMEOUT_SECONDS
BOUND=8             # the answer must come within this (the timeout, asyncpg's 2 s margin, slack)
LOCK_TIMEOUT=2      # seconds, DB_MIGRATION_LOCK_TIMEOUT_SECONDS

checks_init runtime
se_init
LOCKER_PID=
release_lock() {
  [ -n "$LOCKER_PID" ] || return 0
  se_admin -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'locker'" >/dev/null 2>&1 || true
  wait "$LOCKER_PID" 2>/dev/null || true
  LOCKER_PID=
}
on_exit() {
  local rc=$?
  release_lock
  checks_finish "$rc" && rc=0 || rc=$?
  # errexit off first: under set -e the "(exit 1)" of a failed run would end the trap before se_cleanup,
  # leaving PostgreSQL and PgBouncer running (se_cleanup exits with the status $? holds).
  set +e
  (exit "$rc")
  se_cleanup
}
trap on_exit EXIT
trap 'exit 130' INT TERM
T0=$(date +%s)
se_rootfs
se_create_service

VARIANTS=("default|asyncpg, client pool (default)|")
VARIANTS+=("asyncpg-null|asyncpg, NullPool|{ poolStrategy: PoolStrategy.NULL_POOL }")
if [ "$SE_HAS_PSYCOPG" = 1 ]; then
  VARIANTS+=("psycopg-client|psycopg, client pool|{ driver: DatabaseDriver.PSYCOPG }")
  VARIANTS+=("psycopg-null|psycopg, NullPool|{ driver: DatabaseDriver.PSYCOPG, poolStrategy: PoolStrategy.NULL_POOL }")
fi
for v in "${VARIANTS[@]}"; do
  IFS='|' read -r name _ options <<<"$v"
  se_variant "$name" "$options"
done

se_start_postgres
se_start_pgbouncer
se_migrate default

# hold_lock MODE: another session takes a lock on item and keeps it until release_lock.
hold_lock() {
  (PGAPPNAME=locker se_admin -c "BEGIN; LOCK TABLE item IN $1 MODE; SELECT pg_sleep(120); COMMIT;") >/dev/null 2>&1 &
  LOCKER_PID=$!
  for _ in $(seq 100); do
    [ "$(se_admin -A -t -c "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'locker' AND l.relation = 'item'::regclass AND l.granted")" -gt 0 ] && return 0
    sleep 0.1
  done
  fail "the locking session did not get its lock"
}
post() { # name -> "status seconds" (status ERR: no answer within curl's 60 s)
  local out
  rm -f "$SE_WORK/body"
  out=$(curl -sS -o "$SE_WORK/body" -w '%{http_code} %{time_total}' -m 60 -H 'content-type: application/json' \
    -d "{\"name\": \"$1\"}" "http://127.0.0.1:$APP_PORT/items" 2>/dev/null) || out="ERR $(cut -d' ' -f2 <<<"${out:-0 60}")"
  echo "$out"
}

for v in "${VARIANTS[@]}"; do
  IFS='|' read -r name label _ <<<"$v"
  step "$label: a write blocked by a lock is cut by the statement timeout"
  SE_APP_ENV=("DB_STATEMENT_TIMEOUT_SECONDS=$STATEMENT_TIMEOUT" "DB_POOL_SIZE=1")
  se_start_app "$name" 1
  SE_APP_ENV=()
  read -r code _ <<<"$(post "before-$name")"
  check "$label: POST /items answers 201 before the lock ($code)" test "$code" = 201
  hold_lock SHARE # blocks every INSERT
  read -r code took <<<"$(post "blocked-$name")"
  body=$(cat "$SE_WORK/body" 2>/dev/null || true)
  figure "$label: blocked write answered" "$code in ${took}s"
  check "$label: the blocked write gets a 503/504 (got $code) within ${BOUND}s (took ${took}s)" \
    awk -v c="$code" -v t="$took" -v b="$BOUND" 'BEGIN { exit !((c == 503 || c == 504) && t + 0 <= b) }'
  check "$label: its answer is JSON with a detail ($body)" \
    python3 -c 'import json, sys; sys.exit(0 if "detail" in json.loads(sys.argv[1]) else 1)' "$body"
  release_lock
  ok=0
  for i in 1 2 3 4 5; do
    read -r code _ <<<"$(post "after-$name-$i")"
    [ "$code" = 201 ] && ok=$((ok + 1))
  done
  check "$label: the same worker (one pooled connection) then writes again: $ok of 5 writes 201" test "$ok" = 5
  check "$label: the app is still running (no restart)" kill -0 "$SE_APP_PID"
  se_stop_app
done

get() { # path [curl args...] -> "status seconds"; headers in $SE_WORK/headers, body in $SE_WORK/body
  local path=$1 out
  shift
  rm -f "$SE_WORK/body" "$SE_WORK/headers"
  out=$(curl -sS -o "$SE_WORK/body" -D "$SE_WORK/headers" -w '%{http_code} %{time_total}' -m 30 "$@" \
    "http://127.0.0.1:$APP_PORT$path" 2>/dev/null) || out="ERR 30"
  echo "$out"
}
request_id() { tr -d '\r' <"$SE_WORK/headers" | sed -n 's/^x-request-id: //Ip'; }
# wait_ready CODE: polls /ready until it answers CODE; prints the seconds it took, or "never" after 30 s.
wait_ready() {
  local t0 code
  t0=$(date +%s.%N)
  for _ in $(seq 300); do
    read -r code _ <<<"$(get /ready)"
    if [ "$code" = "$1" ]; then awk -v t="$t0" -v n="$(date +%s.%N)" 'BEGIN { printf "%.1f", n - t }'; return 0; fi
    [ "$(get /health | cut -d' ' -f1)" = 200 ] || HEALTH_FAILED=$((HEALTH_FAILED + 1))
    sleep 0.1
  done
  echo never
}
READY_TIMEOUT=1 # seconds, READY_TIMEOUT_SECONDS
READY_BOUND=5   # /ready must turn 503 within this after PgBouncer stops (the timeout, slack)
for v in "${VARIANTS[@]}"; do
  IFS='|' read -r name label _ <<<"$v"
  step "$label: /ready follows the database, /health does not; request ids; JSON log lines"
  SE_APP_ENV=("READY_TIMEOUT_SECONDS=$READY_TIMEOUT")
  se_start_app "$name" 1
  SE_APP_ENV=()
  log=$SE_WORK/app-$name-1.log
  HEALTH_FAILED=0
  read -r code _ <<<"$(get /ready)"
  check "$label: /ready answers 200 with the database up (got $code)" test "$code" = 200
  se_stop_pgbouncer
  took=$(wait_ready 503)
  figure "$label: /ready 503 after PgBouncer stopped" "${took}s"
  check "$label: /ready answers 503 within ${READY_BOUND}s of PgBouncer stopping (took $took s)" \
    awk -v t="$took" -v b="$READY_BOUND" 'BEGIN { exit !(t != "never" && t + 0 <= b) }'
  read -r code _ <<<"$(get /ready)"
  body=$(cat "$SE_WORK/body" 2>/dev/null || true)
  check "$label: its 503 is JSON with a detail ($code $body)" \
    python3 -c 'import json, sys; sys.exit(0 if sys.argv[1] == "503" and "detail" in json.loads(sys.argv[2]) else 1)' "$code" "$body"
  read -r code _ <<<"$(get /health)"
  check "$label: /health answers 200 while the database is away (got $code)" test "$code" = 200
  se_start_pgbouncer
  took=$(wait_ready 200)
  figure "$label: /ready 200 again after PgBouncer came back" "${took}s"
  check "$label: /ready answers 200 again once PgBouncer is back (took $took s)" test "$took" != never
  check "$label: /health answered 200 on every poll meanwhile ($HEALTH_FAILED failures)" test "$HEALTH_FAILED" = 0

  get /health -H 'X-Request-ID: abc-123' >/dev/null
  check "$label: X-Request-ID abc-123 comes back ($(request_id))" test "$(request_id)" = abc-123
  get /health -H 'X-Request-ID: has a space' >/dev/null
  spaced=$(request_id)
  check "$label: an X-Request-ID with spaces is replaced by a new one ($spaced)" grep -Eqx '[0-9a-f]{32}' <<<"$spaced"
  get /health -H "X-Request-ID: $(printf 'x%.0s' $(seq 129))" >/dev/null
  long=$(request_id)
  check "$label: an X-Request-ID of 129 characters is replaced by a new one ($long)" grep -Eqx '[0-9a-f]{32}' <<<"$long"
  get /items -H 'X-Request-ID: abc-123' >/dev/null
  se_stop_app
  # Every line the app wrote (uvicorn's startup and shutdown lines too) is one JSON object.
  check "$label: every line of the app's output parses as JSON ($(grep -c . "$log") lines)" python3 - "$log" <<'PY'
import json, sys
lines = [line for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
bad = [line for line in lines if not isinstance(json.loads(line) if line.lstrip().startswith("{") else None, dict)]
print("".join(bad[:5]), end="", file=sys.stderr)
sys.exit(1 if bad or not lines else 0)
PY
  check "$label: one JSON line per request carries abc-123 with method, path, status, duration" python3 - "$log" "$spaced" <<'PY'
import json, sys
lines = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip().startswith("{")]
mine = [line for line in lines if line.get("request_id") == "abc-123" and "status" in line]
paths = sorted((line["method"], line["path"], line["status"]) for line in mine)
ok = paths == [("GET", "/health", 200), ("GET", "/items", 200)]
ok = ok and all(line["duration_ms"] >= 0 for line in mine)
ok = ok and any(line.get("request_id") == sys.argv[2] for line in lines)
ok = ok and any(line.get("logger", "").startswith("uvicorn") for line in lines)
print(paths, file=sys.stderr)
sys.exit(0 if ok else 1)
PY
done

step "X-Forwarded-For is taken only from a peer in FORWARDED_ALLOW_IPS (a network: 127.0.0.2/32)"
# What dockerOptions.forwardedAllowIps writes into the image (ENV FORWARDED_ALLOW_IPS), here set directly;
# the peers differ by source address on the loopback (127.0.0.2 trusted, 127.0.0.1 not).
SE_APP_ENV=("FORWARDED_ALLOW_IPS=127.0.0.2/32")
se_start_app default 1
SE_APP_ENV=()
curl -sS -o /dev/null -m 10 --interface 127.0.0.2 -H 'X-Forwarded-For: 203.0.113.9' -H 'X-Request-ID: fwd-trusted' \
  "http://127.0.0.1:$APP_PORT/health" || true
curl -sS -o /dev/null -m 10 -H 'X-Forwarded-For: 203.0.113.10' -H 'X-Request-ID: fwd-untrusted' \
  "http://127.0.0.1:$APP_PORT/health" || true
se_stop_app
client_of() { # request id -> the client address of its request log line
  python3 - "$SE_WORK/app-default-1.log" "$1" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("{"):
        record = json.loads(line)
        if record.get("request_id") == sys.argv[2] and "status" in record:
            print(record.get("client"))
PY
}
trusted=$(client_of fwd-trusted)
untrusted=$(client_of fwd-untrusted)
check "from the trusted peer 127.0.0.2 the request log's client is X-Forwarded-For's 203.0.113.9 (got $trusted)" test "$trusted" = 203.0.113.9
check "from 127.0.0.1, not listed, X-Forwarded-For is ignored: the client is 127.0.0.1 (got $untrusted)" test "$untrusted" = 127.0.0.1

# The grace period of the service (dockerOptions.gracePeriodSeconds), as compose.yaml's stop_grace_period says it.
GRACE=$(sed -n 's/^ *stop_grace_period: *\([0-9]*\)s$/\1/p' "$ROOTFS$SE_IN_ROOT/default/compose.yaml" | head -1)
[ -n "$GRACE" ] || fail "compose.yaml states the grace period (stop_grace_period)"
GRACE=${GRACE:-30}
# wait_in_flight: the app's write waits on the locker's lock (in PostgreSQL: a backend other than the
# locker's waiting on a Lock), within 10 s.
wait_in_flight() {
  for _ in $(seq 100); do
    [ "$(se_admin -A -t -c "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name <> 'locker'")" -gt 0 ] && return 0
    sleep 0.1
  done
  se_admin -A -c "SELECT application_name, state, wait_event_type, wait_event, left(query, 60) FROM pg_stat_activity WHERE backend_type = 'client backend'" >&2 || true
  return 1
}
# wait_exit SECONDS: waits up to SECONDS for the app (uvicorn) to exit; sets EXIT_RC (its code, or
# "running") and EXIT_TOOK (seconds).
wait_exit() {
  local t0
  t0=$(date +%s.%N)
  for _ in $(seq $(($1 * 10))); do kill -0 "$SE_APP_PID" 2>/dev/null || break; sleep 0.1; done
  EXIT_TOOK=$(awk -v t="$t0" -v n="$(date +%s.%N)" 'BEGIN { printf "%.1f", n - t }')
  if kill -0 "$SE_APP_PID" 2>/dev/null; then EXIT_RC=running; return 0; fi
  EXIT_RC=0
  wait "$SE_APP_PID" || EXIT_RC=$?
  SE_APP_PID=
}
# sigterm_during_write NAME: the app (its statement timeout out of the way), a lock held on item, a POST
# /items in flight waiting on it (its "status seconds" in $SE_WORK/inflight, its PID in $inflight), then
# SIGTERM to uvicorn.
sigterm_during_write() {
  SE_APP_ENV=("DB_STATEMENT_TIMEOUT_SECONDS=300")
  se_start_app default 1
  SE_APP_ENV=()
  hold_lock SHARE
  post "$1" >"$SE_WORK/inflight" &
  inflight=$!
  check "a POST /items is in flight, waiting on the lock" wait_in_flight
  kill -TERM "$SE_APP_PID"
}
step "SIGTERM during a write held by a lock: the write finishes, uvicorn ends within the grace period (${GRACE}s)"
sigterm_during_write sigterm-released
sleep 0.5
rc=0
curl -sS -o /dev/null -m 5 "http://127.0.0.1:$APP_PORT/health" 2>/dev/null || rc=$?
check "after SIGTERM a new connection is refused (curl exit $rc; 7: refused)" test "$rc" = 7
sleep 1
release_lock
wait "$inflight" || true
read -r code took <<<"$(cat "$SE_WORK/inflight")"
figure "the in-flight write across SIGTERM" "$code in ${took}s"
check "the in-flight write completes with 201 (got $code)" test "$code" = 201
wait_exit "$GRACE"
figure "uvicorn exit after SIGTERM (request released)" "exit $EXIT_RC in ${EXIT_TOOK}s"
# uvicorn re-raises the stop signal once its shutdown is done: 143 here (as a container's PID 1, where a
# signal's default action does not apply, it exits 0; the Docker suite checks that); 137 would be a kill.
check "uvicorn ends by its own SIGTERM after the request (exit $EXIT_RC: 143, not 137 nor running) within the grace period of ${GRACE}s (after ${EXIT_TOOK}s)" \
  test "$EXIT_RC" = 143
check_out "the app logged its shutdown" 'Finished server process' cat "$SE_WORK/app-default-1.log"
se_stop_app

step "SIGTERM during a write that never gets its lock: uvicorn still ends within the grace period (${GRACE}s)"
sigterm_during_write sigterm-held
wait_exit $((GRACE + 5))
figure "uvicorn exit after SIGTERM (request held)" "exit $EXIT_RC in ${EXIT_TOOK}s"
check "uvicorn ends by its own SIGTERM within the grace period of ${GRACE}s with the request still held (exit $EXIT_RC after ${EXIT_TOOK}s)" \
  awk -v r="$EXIT_RC" -v t="$EXIT_TOOK" -v g="$GRACE" 'BEGIN { exit !(r == "143" && t + 0 <= g) }'
check_out "uvicorn cancelled the request at its --timeout-graceful-shutdown" 'Cancel 1 running task' \
  cat "$SE_WORK/app-default-1.log"
se_stop_app
release_lock
wait "$inflight" || true

step "a migration's lock_timeout fires against a held lock"
mig=$ROOTFS$SE_IN_ROOT/default/migrations/versions
cat >"$mig/0002_item_note.py" <<'EOF'
"""Adds item.note (the runtime suite's second revision)."""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("item", sa.Column("note", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("item", "note")
EOF
chmod a+r "$mig/0002_item_note.py"
hold_lock "ACCESS SHARE"
t=$(date +%s.%N)
rc=0
(se_in_rootfs nobody "$SE_IN_ROOT/default" "$DIRECT_ENV=$DIRECT_URL" "DB_MIGRATION_LOCK_TIMEOUT_SECONDS=$LOCK_TIMEOUT" -- \
  timeout 60 python3 -m alembic upgrade head) >"$SE_WORK/migrate-locked.log" 2>&1 || rc=$?
took=$(awk -v t="$t" -v n="$(date +%s.%N)" 'BEGIN { printf "%.1f", n - t }')
figure "migration against a held lock stopped after" "${took}s (exit $rc)"
check "alembic upgrade fails (exit $rc, not 0 nor 124 for a hang) within 15 s (took ${took}s)" \
  awk -v r="$rc" -v t="$took" 'BEGIN { exit !(r != 0 && r != 124 && t + 0 <= 15) }'
check_out "its message names the lock timeout and the variable" "lock.*DB_MIGRATION_LOCK_TIMEOUT_SECONDS" \
  cat "$SE_WORK/migrate-locked.log"
release_lock
rc=0
(se_in_rootfs nobody "$SE_IN_ROOT/default" "$DIRECT_ENV=$DIRECT_URL" -- timeout 60 python3 -m alembic upgrade head) \
  >"$SE_WORK/migrate-free.log" 2>&1 || rc=$?
check "the same upgrade succeeds once the lock is released (exit $rc)" test "$rc" = 0

step "a bad setting stops startup with one line"
mapfile -t cmd < <(se_runtime_cmd default)
cmd=("${cmd[@]//0.0.0.0/127.0.0.1}")
rc=0
(se_in_rootfs nobody "$SE_IN_ROOT/default" "PORT=$APP_PORT" "$POOLED_ENV=$POOLED_URL" "DB_POOL_SIZE=abc" -- \
  timeout 30 "${cmd[@]}") >"$SE_WORK/bad-setting.log" 2>&1 || rc=$?
out=$(grep -v '^\s*$' "$SE_WORK/bad-setting.log" || true)
echo "$out"
check "the app exits (exit $rc, not 0 nor 124 for still running)" test "$rc" != 0 -a "$rc" != 124
check "it prints one line ($(printf '%s\n' "$out" | grep -c .) lines) naming DB_POOL_SIZE and the value, no traceback" \
  test "$(printf '%s\n' "$out" | grep -c .)" = 1 -a -n "$(printf '%s\n' "$out" | grep "DB_POOL_SIZE='abc'")"

step "a bad setting with 2 workers: the CMD's pre-flight stops it before uvicorn forks, with one line"
# Without the pre-flight each worker exits on the bad value and uvicorn starts it again, for ever.
rc=0
t=$(date +%s.%N)
(se_in_rootfs nobody "$SE_IN_ROOT/default" "PORT=$APP_PORT" "WEB_CONCURRENCY=2" "$POOLED_ENV=$POOLED_URL" "DB_POOL_SIZE=abc" -- \
  timeout 30 "${cmd[@]}") >"$SE_WORK/bad-setting-2.log" 2>&1 || rc=$?
took=$(awk -v t="$t" -v n="$(date +%s.%N)" 'BEGIN { printf "%.1f", n - t }')
out=$(grep -v '^\s*$' "$SE_WORK/bad-setting-2.log" || true)
echo "$out"
figure "bad setting, 2 workers: the CMD stopped after" "${took}s (exit $rc)"
check "the CMD exits non-zero within 10 s (exit $rc, not 124 for still running; took ${took}s)" \
  awk -v r="$rc" -v t="$took" 'BEGIN { exit !(r != 0 && r != 124 && t + 0 <= 10) }'
check "it prints one line ($(printf '%s\n' "$out" | grep -c .) lines) naming DB_POOL_SIZE and the value, no traceback" \
  test "$(printf '%s\n' "$out" | grep -c .)" = 1 -a -n "$(printf '%s\n' "$out" | grep "DB_POOL_SIZE='abc'")"
rc=0
(se_in_rootfs nobody "$SE_IN_ROOT/default" "PORT=$APP_PORT" "WEB_CONCURRENCY=2" "$POOLED_ENV=$POOLED_URL" "LOG_FORMAT=xml" -- \
  timeout 30 "${cmd[@]}") >"$SE_WORK/bad-setting-3.log" 2>&1 || rc=$?
out=$(grep -v '^\s*$' "$SE_WORK/bad-setting-3.log" || true)
echo "$out"
check "a bad service setting (LOG_FORMAT=xml) too: exit $rc, one line naming LOG_FORMAT" \
  test "$rc" != 0 -a "$rc" != 124 -a "$(printf '%s\n' "$out" | grep -c .)" = 1 -a -n "$(printf '%s\n' "$out" | grep "LOG_FORMAT='xml'")"

step "done: total time $(($(date +%s) - T0))s"
checks_done
