#!/usr/bin/env bash
# Benchmark of a generated service: requests per second, p50 and p99 latency, errors and the app's CPU per
# request of GET /health, POST /items, GET /items/{id} and GET /items (a page of 20), measured with wrk from
# the host, for each database configuration (driver x pool strategy) and for 1 and 2 uvicorn workers, next
# to a hand-written peer (scripts/bench/bench-peer.py: FastAPI, an asyncpg pool of 10, INSERT ... RETURNING) run
# with the same uvicorn command, table and pooler, and the ratio generated / peer printed per route.
# Figures are printed, never asserted.
#
# The service is created from the packed library and synthesized once per configuration; it runs on
# Debian trixie's Python stack (debootstrap rootfs) with the runtime image's own CMD (WEB_CONCURRENCY,
# PORT), through PgBouncer (transaction mode, TLS, SCRAM-SHA-256: as Neon's pooler) to PostgreSQL 15.
# See scripts/lib/servers.sh (se_) for the environment.
#
#   BENCH_SECONDS   seconds per cell (default 10); BENCH_SHORT=1 (scripts/test's bench suite): 2 s per cell,
#                   no warm-up, 1 worker (the restart suite runs the 2-worker CMD)
#   BENCH_CONNECTIONS  wrk connections (default 4), BENCH_THREADS wrk threads (default 2)
#   BENCH_WORKERS   worker counts (default "1 2"; "1" with BENCH_SHORT=1)
#   BENCH_ONLY      configuration names to run (e.g. "default peer"; default: all)
#   ROOTFS, TARBALL reuse a rootfs / a packed tarball
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/lib/servers.sh
. scripts/lib/servers.sh

if [ "${BENCH_SHORT:-0}" = 1 ]; then SECONDS_PER_CELL=${BENCH_SECONDS:-2}; WARMUP=0; else SECONDS_PER_CELL=${BENCH_SECONDS:-10}; WARMUP=2; fi
CONNECTIONS=${BENCH_CONNECTIONS:-4}
THREADS=${BENCH_THREADS:-2}
if [ "${BENCH_SHORT:-0}" = 1 ]; then WORKERS=${BENCH_WORKERS:-1}; else WORKERS=${BENCH_WORKERS:-1 2}; fi
SEED_ROWS=1000
command -v wrk >/dev/null || se_die "wrk is required (apt-get install wrk)"

se_init
trap se_cleanup EXIT
trap 'exit 130' INT TERM
T0=$(date +%s)

se_rootfs
se_create_service

# name | label | databaseOptions (empty: the library's defaults)
CONFIGS=(
  "asyncpg-null|asyncpg, NullPool (previous default)|{ poolStrategy: PoolStrategy.NULL_POOL }"
  "default|asyncpg, client pool (default)|"
  "asyncpg-unprepared|asyncpg, client pool, no statement cache|{ preparedStatements: false }"
)
if [ "$SE_HAS_PSYCOPG" = 1 ]; then
  CONFIGS+=(
    "psycopg-null|psycopg, NullPool|{ driver: DatabaseDriver.PSYCOPG, poolStrategy: PoolStrategy.NULL_POOL }"
    "psycopg-client|psycopg, client pool|{ driver: DatabaseDriver.PSYCOPG, poolStrategy: PoolStrategy.CLIENT_POOL }"
  )
fi
PEER_LABEL="hand-written peer (asyncpg pool of 10)"
CONFIGS+=("peer|$PEER_LABEL|")
if [ -n "${BENCH_ONLY:-}" ]; then
  kept=()
  for c in "${CONFIGS[@]}"; do [[ " $BENCH_ONLY " != *" ${c%%|*} "* ]] || kept+=("$c"); done
  CONFIGS=("${kept[@]}")
fi
se_step "Synthesize one variant per configuration"
for c in "${CONFIGS[@]}"; do
  IFS='|' read -r name label options <<<"$c"
  [ "$name" != peer ] || continue
  se_variant "$name" "$options"
  echo "$name: $label; $(grep -E '^(USE_CLIENT_POOL|PRE_PING|PREPARED_STATEMENTS) =' "$ROOTFS$SE_IN_ROOT/$name/$SE_PACKAGE/db.py" | tr '\n' ' ')"
done
echo "runtime CMD: $(se_runtime_cmd default | tr '\n' ' ')"
# The peer runs with the generated service's own CMD, its app swapped for the peer's.
mkdir -p "$ROOTFS$SE_IN_ROOT/peer"
cp scripts/bench/bench-peer.py "$ROOTFS$SE_IN_ROOT/peer/bench_peer.py"
# (without the service's settings pre-flight: the peer has no settings module)
grep '^CMD ' "$ROOTFS$SE_IN_ROOT/default/Dockerfile" | tail -1 |
  sed -e "s/$SE_PACKAGE\.main:api/bench_peer:app/" -e "s/python -m $SE_PACKAGE\.settings \&\& //" >"$ROOTFS$SE_IN_ROOT/peer/Dockerfile"
chmod -R a+rX "$ROOTFS$SE_IN_ROOT/peer"
chroot "$ROOTFS" python3 -c 'import uvloop; print("uvicorn: uvloop", uvloop.__version__, "(as uvicorn[standard]) and h11 (Debian trixie has no httptools>=0.5.0; see scripts/lib/servers.sh)")' ||
  echo "uvicorn: without uvloop (not in the rootfs): asyncio's loop and h11"

se_start_postgres
se_start_pgbouncer
se_migrate default
se_admin -c "INSERT INTO item (name, description) SELECT 'seed ' || g, 'seeded' FROM generate_series(1, $SEED_ROWS) g"

# One Lua script for the three routes: wrk ... -- health | post | item MAX_ID. done() prints
# "RESULT req/s p50_ms p99_ms errors requests" (errors: connect, read, write, timeout and non-2xx/3xx).
cat >"$SE_WORK/bench.lua" <<'EOF'
local mode, max_id, n = "health", 1, 0
function init(args)
  mode = args[1] or "health"
  max_id = tonumber(args[2] or "1")
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end
function request()
  if mode == "post" then
    n = n + 1
    return wrk.format("POST", "/items", { ["Content-Type"] = "application/json" },
      '{"name": "bench ' .. n .. '", "description": "wrk"}')
  elseif mode == "item" then
    return wrk.format("GET", "/items/" .. math.random(1, max_id))
  elseif mode == "list" then
    return wrk.format("GET", "/items?limit=20&offset=" .. math.random(0, max_id - 20))
  end
  return wrk.format("GET", "/health")
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.1f %.2f %.2f %d %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout + e.status, summary.requests))
end
EOF

# CPU ticks (user + system) of the app: the process and its descendants (uvicorn's workers).
app_ticks() {
  local pids=("$SE_APP_PID") i=0 child total=0
  while [ "$i" -lt "${#pids[@]}" ]; do
    # shellcheck disable=SC2013 # the children files hold space-separated PIDs
    for child in $(cat "/proc/${pids[$i]}/task/"*/children 2>/dev/null); do pids+=("$child"); done
    i=$((i + 1))
  done
  for child in "${pids[@]}"; do
    # Fields 14 and 15 of /proc/PID/stat (utime, stime), counted after the ")" closing the name.
    total=$((total + $(sed 's/.*) //' "/proc/$child/stat" 2>/dev/null | awk '{print $12 + $13}' || echo 0)))
  done
  echo "$total"
}
CLK_TCK=$(getconf CLK_TCK)

measure() { # seconds mode [arg]: prints "req/s p50 p99 errors requests"
  local seconds=$1
  shift
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "${seconds}s" --timeout 5s -s "$SE_WORK/bench.lua" \
    "http://127.0.0.1:$APP_PORT" -- "$@" 2>&1 | sed -n 's/^RESULT //p'
}

ROWS=()
se_step "wrk: $THREADS threads, $CONNECTIONS connections, ${SECONDS_PER_CELL}s per cell"
for c in "${CONFIGS[@]}"; do
  IFS='|' read -r name label _ <<<"$c"
  for w in $WORKERS; do
    SE_APP_ENV=()
    [ "$name" != peer ] || SE_APP_ENV=("DATABASE_URL=$POOLED_URL")
    se_start_app "$name" "$w"
    [ "$WARMUP" = 0 ] || measure "$WARMUP" item "$SEED_ROWS" >/dev/null
    for route in "GET /health|health" "POST /items|post" "GET /items/{id}|item $SEED_ROWS" "GET /items|list $SEED_ROWS"; do
      IFS='|' read -r title args <<<"$route"
      ticks=$(app_ticks)
      # shellcheck disable=SC2086 # args holds the mode and its argument
      result=$(measure "$SECONDS_PER_CELL" $args)
      ticks=$(($(app_ticks) - ticks))
      [ -n "$result" ] || result="- - - - 0"
      read -r rps p50 p99 errors requests <<<"$result"
      cpu=$(awk -v t="$ticks" -v h="$CLK_TCK" -v n="$requests" 'BEGIN { if (n > 0) printf "%.2f", t * 1000 / h / n; else print "-" }')
      ROWS+=("$label|$w|$title|$rps|$p50|$p99|$errors|$cpu")
      printf '%-38s %d worker(s)  %-16s %9s req/s  p50 %7s ms  p99 %7s ms  errors %s  cpu %s ms/req\n' "$label" "$w" "$title" "$rps" "$p50" "$p99" "$errors" "$cpu"
    done
    if grep -q -i -E 'prepared statement|Traceback' "$SE_WORK/app-$name-$w.log"; then
      echo "  (the app logged errors: $(grep -c -i -E 'prepared statement|Traceback' "$SE_WORK/app-$name-$w.log") lines; first:)"
      grep -m3 -i -E 'prepared statement|Error' "$SE_WORK/app-$name-$w.log" | sed 's/^/  /'
    fi
    se_stop_app
  done
done

se_step "Results (wrk -t$THREADS -c$CONNECTIONS, ${SECONDS_PER_CELL}s per cell, $(nproc) CPUs shared by wrk, the app, PgBouncer and Postgres)"
printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' configuration workers route "req/s" "vs peer" "p50 ms" "p99 ms" errors "app CPU ms/req"
printf '|---|---|---|---|---|---|---|---|---|\n'
for row in "${ROWS[@]}"; do
  IFS='|' read -r label w title rps p50 p99 errors cpu <<<"$row"
  peer=$(printf '%s\n' "${ROWS[@]}" | awk -F'|' -v l="$PEER_LABEL" -v w="$w" -v t="$title" '$1 == l && $2 == w && $3 == t {print $4}')
  vs=$(awk -v r="$rps" -v p="$peer" 'BEGIN { if (p > 0 && r != "-") printf "%.2fx", r / p; else print "-" }')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$w" "$title" "$rps" "$vs" "$p50" "$p99" "$errors" "$cpu"
done
ratio() { # label: POST /items with 1 worker, default over previous default
  local old new
  old=$(printf '%s\n' "${ROWS[@]}" | awk -F'|' -v w="$1" '$1 ~ /previous default/ && $2 == w && $3 == "POST /items" {print $4}')
  new=$(printf '%s\n' "${ROWS[@]}" | awk -F'|' -v w="$1" '$1 ~ /\(default\)/ && $2 == w && $3 == "POST /items" {print $4}')
  [ -n "$old" ] && [ -n "$new" ] && awk -v o="$old" -v n="$new" -v w="$1" \
    'BEGIN { if (o > 0) printf "POST /items, %d worker(s): default %s req/s vs previous default %s req/s = %.1fx (same run)\n", w, n, o, n / o }'
}
scaling() { # label: POST /items, the last worker count over 1 worker
  local one many last
  last=${WORKERS##* }
  [ "$last" != 1 ] || return 0
  one=$(printf '%s\n' "${ROWS[@]}" | awk -F'|' -v l="$1" '$1 == l && $2 == 1 && $3 == "POST /items" {print $4}')
  many=$(printf '%s\n' "${ROWS[@]}" | awk -F'|' -v l="$1" -v w="$last" '$1 == l && $2 == w && $3 == "POST /items" {print $4}')
  [ -n "$one" ] && [ -n "$many" ] && awk -v o="$one" -v m="$many" -v w="$last" -v l="$1" \
    'BEGIN { if (o > 0) printf "POST /items, %s: %d workers %s req/s vs 1 worker %s req/s = %.2fx\n", l, w, m, o, m / o }'
}
echo
for w in $WORKERS; do ratio "$w" || true; done
scaling "asyncpg, client pool (default)" || true
scaling "$PEER_LABEL" || true
echo "rows in item: $(se_admin -A -t -c 'SELECT count(*) FROM item'); total time $(($(date +%s) - T0))s"
