#!/usr/bin/env bash
# Integration test: the generated service survives its pooler and its database restarting.
#
# In the se_ environment of scripts/lib/servers.sh (the service from the packed library on Debian trixie's
# Python stack, PgBouncer in transaction mode with TLS and SCRAM, PostgreSQL 15), for the default
# database configuration (asyncpg, client pool) and psycopg with the client pool when the rootfs has it:
#
#  1. the app runs with its runtime CMD (2 uvicorn workers) while writers POST /items continuously;
#  2. PgBouncer is restarted (safe shutdown, 1 s down, started again on the same port), then Postgres
#     (pg_ctl restart -m fast: running transactions are cut);
#  3. the service must write again after each restart, then serve a quiet window without one error,
#     without being restarted itself (same uvicorn pids);
#  4. every write that got a 2xx must be in the table, with the id the response gave.
#
# Prints PASS/FAIL lines and a final "N passed, N failed" (scripts/lib/checks.sh; with TEST_REPORTS set, the
# JUnit report restart.xml); exits non-zero on any failure, or when it stopped before its end.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/lib/servers.sh
. scripts/lib/servers.sh

WRITERS=${WRITERS:-4}
RECOVERY_SECONDS=${RECOVERY_SECONDS:-60}
QUIET_SECONDS=${QUIET_SECONDS:-3}

# shellcheck source=scripts/lib/checks.sh
. scripts/lib/checks.sh
checks_init restart
se_init
# On exit (on_exit below, once the writer exists): a run that stopped early counts as a failed check, the
# report is written, then everything started is stopped and removed (se_cleanup exits with the status it
# is called with).
trap 'rc=$?; checks_finish "$rc" && rc=0 || rc=$?; (exit "$rc"); se_cleanup' EXIT
trap 'exit 130' INT TERM
T0=$(date +%s)
se_rootfs
se_create_service

VARIANTS=("default|asyncpg, client pool (default)|")
[ "$SE_HAS_PSYCOPG" = 1 ] && VARIANTS+=("psycopg-client|psycopg, client pool|{ driver: DatabaseDriver.PSYCOPG, poolStrategy: PoolStrategy.CLIENT_POOL }")
for v in "${VARIANTS[@]}"; do
  IFS='|' read -r name _ options <<<"$v"
  se_variant "$name" "$options"
done
mkdir -p "$ROOTFS$SE_IN_ROOT/writer"
cp test/integration/writer.py "$ROOTFS$SE_IN_ROOT/writer/"
chmod -R a+rwX "$ROOTFS$SE_IN_ROOT/writer"

se_start_postgres
se_start_pgbouncer
se_migrate default

WRITER_PID=
stop_writer() {
  [ -n "$WRITER_PID" ] || return 0
  touch "$ROOTFS$SE_IN_ROOT/writer/stop"
  wait "$WRITER_PID" 2>/dev/null || true
  WRITER_PID=
}
on_exit() {
  local rc=$?
  stop_writer
  checks_finish "$rc" && rc=0 || rc=$?
  (exit "$rc")
  se_cleanup
}
trap on_exit EXIT

now() { date +%s.%N; }
# Outcomes recorded after a point in time: successes_since T, failures_since T
count_since() { # T regex: outcomes after T whose status matches
  if [ -f "$LOG" ]; then awk -v t="$1" -v re="$2" '$1 >= t && $2 ~ re' "$LOG" | wc -l; else echo 0; fi
}
successes_since() { count_since "$1" '^2'; }
failures_since() { count_since "$1" '^([^2]|$)'; }
# Waits until N writes succeeded after time T (at most RECOVERY_SECONDS); prints the seconds it took.
wait_for_writes() { # T N
  local deadline=$((SECONDS + RECOVERY_SECONDS))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if [ "$(successes_since "$1")" -ge "${2:-1}" ]; then
      awk -v t="$1" -v n="$2" '$1 >= t && $2 ~ /^2/ { if (++k == n) { printf "%.1f", $1 - t; exit } }' "$LOG"
      return 0
    fi
    sleep 0.2
  done
  return 1
}
expect_writes() { # T "when": 20 successful writes after T
  local took
  if took=$(wait_for_writes "$1" 20); then
    pass "$label: writes succeed $2 (20 in ${took}s)"
  else
    fail "$label: no 20 successful writes within ${RECOVERY_SECONDS}s $2"
  fi
}
uvicorn_pids() { echo "$SE_APP_PID $(pgrep -P "$SE_APP_PID" | sort -n | tr '\n' ' ')"; }

for v in "${VARIANTS[@]}"; do
  IFS='|' read -r name label _ <<<"$v"
  se_step "$label: writes while PgBouncer, then Postgres, restart"
  rm -f "$ROOTFS$SE_IN_ROOT/writer/stop" "$ROOTFS$SE_IN_ROOT/writer/$name.log"
  LOG=$ROOTFS$SE_IN_ROOT/writer/$name.log
  se_start_app "$name" 2
  sleep 1 # the workers are up
  pids_before=$(uvicorn_pids)
  (se_in_rootfs nobody "$SE_IN_ROOT/writer" -- python3 writer.py "http://127.0.0.1:$APP_PORT" "$WRITERS" \
    "$SE_IN_ROOT/writer/$name.log" "$SE_IN_ROOT/writer/stop") >"$SE_WORK/writer-$name.out" 2>&1 &
  WRITER_PID=$!

  t=$(now)
  expect_writes "$t" "before the restarts"

  old_bouncer=$SE_BOUNCER_PID
  t=$(now)
  se_stop_pgbouncer
  sleep 1
  se_start_pgbouncer
  up=$(now)
  echo "PgBouncer restarted (pid $old_bouncer -> $SE_BOUNCER_PID); writes that failed while it was down: $(failures_since "$t")"
  expect_writes "$t" "again after the PgBouncer restart"
  echo "writes that failed once PgBouncer was up again: $(awk -v a="$up" -v b="$(now)" '$1 >= a && $1 < b && $2 !~ /^2/' "$LOG" | wc -l)"

  t=$(now)
  se_pg_ctl restart
  echo "Postgres restarted; writes that failed meanwhile: $(failures_since "$t")" \
    "(after a failed server login PgBouncer refuses transactions for server_login_retry, 15 s by default)"
  expect_writes "$t" "again after the Postgres restart"

  t=$(now)
  sleep "$QUIET_SECONDS"
  quiet_ok=$(successes_since "$t")
  quiet_failed=$(failures_since "$t")
  check "$label: then $QUIET_SECONDS s of writes without an error ($quiet_ok written, $quiet_failed failed)" \
    test "$quiet_ok" -gt 0 -a "$quiet_failed" -eq 0
  check "$label: GET /health answers" curl -fsS -o /dev/null "http://127.0.0.1:$APP_PORT/health"
  check "$label: the app was not restarted (same uvicorn supervisor and worker pids: $pids_before)" \
    test "$(uvicorn_pids)" = "$pids_before"
  stop_writer

  # Every 2xx, by its unique name, must be in the table with the id the response gave.
  awk '$2 ~ /^2/ { print $3 "|" $4 }' "$LOG" | sort >"$SE_WORK/acked-$name"
  se_admin -A -t -c "SELECT id || '|' || name FROM item WHERE name LIKE 'rt-%'" | sort >"$SE_WORK/stored-$name"
  acked=$(wc -l <"$SE_WORK/acked-$name")
  lost=$(comm -23 "$SE_WORK/acked-$name" "$SE_WORK/stored-$name" | wc -l)
  total=$(wc -l <"$LOG")
  echo "$total writes: $acked got a 2xx, $(awk '$2 ~ /^[45]/' "$LOG" | wc -l) got a 4xx/5xx, $(awk '$2 == "ERR"' "$LOG" | wc -l) no response"
  check "$label: every write that got a 2xx ($acked) is in the table with its id ($lost missing)" \
    test "$acked" -gt 0 -a "$lost" -eq 0
  se_stop_app
done

step "done: total time $(($(date +%s) - T0))s"
checks_done
