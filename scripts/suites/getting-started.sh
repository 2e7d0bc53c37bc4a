#!/usr/bin/env bash
# Day one of a generated service, as its README says: the README's "Getting started" commands, run in the
# order written, each one checked, with the tools a user has (uv, Docker Compose v2, the images compose.yaml
# names) replaced by local stand-ins, since nothing can be downloaded here.
#
# 1. A service from the packed library (`projen new --from <tarball>`), inside the Debian trixie rootfs's
#    /srv (so the stand-ins below, which run in the rootfs, see it at the same relative path). Its
#    .projenrc.ts targets the rootfs's Python 3.13 and asyncpg 0.30 (Debian trixie's), as a user edits it
#    before starting; nothing else is changed. A fresh service has no uv.lock; a synth without uv says how
#    to make one.
# 2. The stand-ins, on PATH for the commands:
#    - uv: scripts/lib/standin/uv.py (strict like uv: `uv run --env-file` refuses a missing file, options
#      after the command are the command's) run in the rootfs, on its Python stack (the python3-* packages
#      stand in for PyPI), in the stack's network namespace (below);
#    - docker: Debian's client with Debian trixie's docker-compose 2.26 (Compose v2) as its CLI plugin
#      (the plugin runs in the rootfs, where its libraries are), against a private dockerd;
#    - the images compose.yaml names for postgres and pgbouncer, built from the rootfs
#      (scripts/lib/standin/postgres.Dockerfile, pgbouncer.Dockerfile) under those names.
# 3. The network: the private dockerd runs in a network namespace of its own (`ip netns add`), so the
#    bridge network compose creates, its veths and the ports it publishes on 127.0.0.1 exist only there and
#    vanish with it; the host's addresses, routes, ip_forward and iptables rules are compared before and
#    after. The README's fixed ports (5432, 6432, 8000) are free there by construction. What talks to the
#    stack (the uv stand-in, the probes) enters that namespace; npm reaches its registry from the host's.
# 4. The commands, in the README's order (npm install, npx projen, npx projen lock, cp .env.example .env,
#    db:up, db:migrate, dev, test): each must succeed; `dev` must serve the health route and /items from the
#    compose database; `test` must pass with its database tests run (none skipped). Then what the README
#    promises around them: `db:up` left postgres and pgbouncer healthy with ports on 127.0.0.1 only, the
#    tasks read .env through one task (without it the database tests are skipped with how to run them, and a
#    missing variable gives the app's one clear message), mypy (the lint task's step) passes on every file,
#    CI's first step fails without uv.lock (the generated script, run for real), and `db:down` stops it.
# 5. A uv workspace, second: the sample of `projen new --from <tarball> uv-workspace` (ws_generate of
#    scripts/lib/docker-workspace.sh: Python 3.13, asyncpg 0.30, orders calling the common library) in the
#    same rootfs, on the same daemon and stand-in images. `npx projen lock` at the root (one uv.lock), then
#    in each service member, as its README says: cp .env.example .env, db:up (compose finds the root's
#    compose.yaml: postgres and pgbouncer healthy, ports on 127.0.0.1 only, and the `databases` one-shot
#    creating a database per service, run again cleanly from the second member), db:migrate (its own
#    database only), test (none skipped); db:down from a member. The uv stand-in works on the workspace
#    from a member directory as uv does (its root's uv.lock and .venv, that member synced).
#
# Each command's output is in $SRV_WORK/<n>.log; its last lines are printed. Ends with "N passed, N failed";
# with TEST_REPORTS set, writes $TEST_REPORTS/getting-started.xml (counted by scripts/summarize-tests.js).
# Environment: TARBALL (packed library; packed here if unset), ROOTFS.
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

SERVICE="orders-api"

checks_init getting-started
srv_need_root "chroot, ip netns and a private dockerd"
srv_need_cmd ip "apt-get install iproute2" nsenter "util-linux" chroot "coreutils" npm "Node.js 20" curl "apt-get install curl"
srv_init getting-started
HOST_NET_BEFORE=$(docker_host_state)
NETNS_NAME=$SRV_RUN_ID
on_suite_exit() { # after the teardown: nothing of the daemon or the namespace is left, the host is as it was
  local rc=$1
  if [ -n "$DOCKERD_PID" ]; then
    check "dockerd (pid $DOCKERD_PID) has stopped, no containerd or shim is left" \
      test ! -d "/proc/$DOCKERD_PID" -a -z "$(_docker_orphans)"
    check "the network namespace $NETNS_NAME is removed" test ! -e "/run/netns/$NETNS_NAME"
    check "the host's addresses, routes, ip_forward and iptables rules are unchanged" \
      test "$(docker_host_state)" = "$HOST_NET_BEFORE"
  fi
  checks_finish "$rc"
}
T0=$(date +%s)

# ---------------------------------------------------------------- the service, as `projen new` made it
step "Create $SERVICE from the packed library, inside the rootfs"
srv_rootfs
srv_tarball
RUN_DIR=/srv/$SRV_RUN_ID # as the rootfs sees it
mkdir -p "$ROOTFS$RUN_DIR"
srv_defer rm -rf "$ROOTFS$RUN_DIR"
SVC=$ROOTFS$RUN_DIR/$SERVICE
srv_new_service "$SVC" "$SERVICE"
sed -i "s/new UvPythonService({/&\n  pythonVersion: '3.13',\n  deps: ['asyncpg>=0.30'],/" "$SVC/.projenrc.ts"
check "a fresh service has no uv.lock" test ! -e "$SVC/uv.lock"

# ---------------------------------------------------------------- stand-ins
step "Stand-ins: uv, Docker Compose v2 as a CLI plugin, the images compose.yaml names"
BIN=$SRV_WORK/bin
mkdir -p "$BIN" "$ROOTFS$RUN_DIR/bin" "$ROOTFS/run/$SRV_RUN_ID"
srv_defer rm -rf "$ROOTFS/run/$SRV_RUN_ID"
UV_VERSION=$(sed -n 's|^COPY --from=ghcr.io/astral-sh/uv:\([^ ]*\) .*|\1|p' "$SVC/Dockerfile")
sed "s/@UV_VERSION@/$UV_VERSION/" scripts/lib/standin/uv.py >"$ROOTFS$RUN_DIR/bin/uv"
NETNS=/run/netns/$NETNS_NAME
# The uv stand-in: in the rootfs, in the directory the command runs in (which is inside it), in the stack's
# network namespace, with the caller's environment (the task runner's) and the rootfs's PATH.
cat >"$BIN/uv" <<EOF
#!/bin/bash
here=\${PWD#"$ROOTFS"}
[ "\$here" != "\$PWD" ] || { echo "uv (stand-in): run it in a directory below $ROOTFS" >&2; exit 2; }
exec nsenter --net="$NETNS" -- chroot "$ROOTFS" /usr/bin/env -C "\$here" PATH=/usr/bin:/bin HOME=/root python3 "$RUN_DIR/bin/uv" "\$@"
EOF
# Compose v2 as a plugin of Debian's docker client: run in the rootfs (its libraries), on the socket the
# daemon has there.
mkdir -p "$SRV_WORK/d/config/cli-plugins"
DOCKER_SOCKET=$ROOTFS/run/$SRV_RUN_ID/docker.sock
cat >"$SRV_WORK/d/config/cli-plugins/docker-compose" <<EOF
#!/bin/bash
here=\${PWD#"$ROOTFS"}
[ "\$here" != "\$PWD" ] || here=/
exec chroot "$ROOTFS" /usr/bin/env -C "\$here" DOCKER_HOST="unix:///run/$SRV_RUN_ID/docker.sock" /usr/libexec/docker/cli-plugins/docker-compose "\$@"
EOF
ln -s "$DOCKER_CLI" "$BIN/docker"
chmod 755 "$BIN/uv" "$SRV_WORK/d/config/cli-plugins/docker-compose"

ip netns add "$NETNS_NAME"
srv_defer ip netns del "$NETNS_NAME"
ip -n "$NETNS_NAME" link set lo up
SRV_NETNS=$NETNS # srv_port_open and srv_wait_port probe inside it
DOCKERD_NETNS=$NETNS docker_start
# docker_start made $SRV_WORK/d; the plugin directory is inside its config (DOCKER_CONFIG).
ns_of() { stat -L -c '%d:%i' "$1"; }
check "dockerd runs inside the network namespace $NETNS_NAME, not the host's" \
  test "$(ns_of "/proc/$DOCKERD_PID/ns/net")" = "$(ns_of "$NETNS")" -a "$(ns_of "/proc/$DOCKERD_PID/ns/net")" != "$(ns_of /proc/self/ns/net)"
check_out "docker compose is Compose v2 (Debian trixie's docker-compose), a CLI plugin of Debian's docker" \
  'version v?2\.' env PATH="$BIN:$PATH" docker compose version
t=$(date +%s)
images=$(cd "$SVC" && PATH="$BIN:$PATH" docker compose config --format json |
  python3 -c 'import json, sys; s = json.load(sys.stdin)["services"]; print(s["postgres"]["image"], s["pgbouncer"]["image"])')
read -r POSTGRES_IMAGE PGBOUNCER_IMAGE <<<"$images"
docker_standin_rootfs "$ROOTFS"
docker_standin_database "$POSTGRES_IMAGE" "$PGBOUNCER_IMAGE"
echo "stand-in images $POSTGRES_IMAGE and $PGBOUNCER_IMAGE built in $(seconds_since "$t")s"
check "the stand-ins carry the names compose.yaml gives ($POSTGRES_IMAGE, $PGBOUNCER_IMAGE)" \
  dk image inspect "$POSTGRES_IMAGE" "$PGBOUNCER_IMAGE"

# ---------------------------------------------------------------- synth without uv
step "Where uv is missing, the synth says what to run"
out=$(cd "$SVC" && CI=true npx projen 2>&1) && rc=0 || rc=$?
check "npx projen without uv succeeds and says: install uv, npx projen lock, commit uv.lock (no uv.lock written)" \
  test "$rc" = 0 -a -n "$(grep -F 'uv.lock was not written' <<<"$out" | grep -F 'npx projen lock' | grep -F 'commit uv.lock')" -a ! -e "$SVC/uv.lock"
[ "$rc" = 0 ] || tail -20 <<<"$out"

# ---------------------------------------------------------------- the README's Getting started
step "The README's Getting started, in the order written"
mapfile -t COMMANDS < <(awk '/^## Getting started/ { on = 1 } on && /^```sh$/ { block = 1; next } block && /^```$/ { exit } block' "$SVC/README.md" |
  sed 's/[[:space:]]*#.*$//; /^$/d')
printf '  %s\n' "${COMMANDS[@]}"
check "the Getting started block lists install, synth, lock, .env, db:up, db:migrate, dev and test, in that order" \
  test "${COMMANDS[*]}" = "npm install npx projen npx projen lock cp .env.example .env npx projen db:up npx projen db:migrate npx projen dev npx projen test"

DEV_PID=
stop_dev() { # the dev server (npx, projen, uv, uvicorn and its reloader): its process group, by its leader's pid
  [ -n "$DEV_PID" ] || return 0
  kill -TERM -- "-$DEV_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < 100; i++)); do kill -0 -- "-$DEV_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$DEV_PID" 2>/dev/null || true
  wait "$DEV_PID" 2>/dev/null || true
  DEV_PID=
}
srv_defer stop_dev
n=0
run_step() { # n, command [dir]: runs it in dir (the service's) as a user does, output in $SRV_WORK/<n>.log
  local log=$SRV_WORK/$1.log
  (cd "${3:-$SVC}" && env PATH="$BIN:$PATH" CI=true timeout 600 bash -c "$2") >"$log" 2>&1
}
# The checks after `db:up` in DIR (a service, or a member of a workspace: compose finds the root's file):
# postgres and pgbouncer healthy (compose --wait), every published port on 127.0.0.1 (5432, 6432).
check_stack_up() {
  local ps_json
  ps_json=$(cd "$1" && PATH="$BIN:$PATH" docker compose ps --format json 2>&1)
  check "db:up: postgres and pgbouncer are running and healthy (compose --wait)" python3 -c '
import json, sys
text = sys.argv[1].strip()
rows = json.loads(text) if text.startswith("[") else [json.loads(l) for l in text.splitlines() if l.strip()]
state = {r["Service"]: (r["State"], r.get("Health", "")) for r in rows}
assert state.get("postgres") == ("running", "healthy") and state.get("pgbouncer") == ("running", "healthy"), state
' "$ps_json"
  check "db:up: every published port is on 127.0.0.1 (5432, 6432)" python3 -c '
import json, sys
text = sys.argv[1].strip()
rows = json.loads(text) if text.startswith("[") else [json.loads(l) for l in text.splitlines() if l.strip()]
ports = sorted((p["URL"], p["PublishedPort"]) for r in rows for p in r.get("Publishers") or [] if p.get("PublishedPort"))
assert ports == [("127.0.0.1", 5432), ("127.0.0.1", 6432)], ports
' "$ps_json"
}
stack_sql() { # dir, database, SQL: psql in the compose postgres container, unaligned
  (cd "$1" && PATH="$BIN:$PATH" docker compose exec -T postgres psql -U app -d "$2" -tAc "$3" 2>&1)
}
check_migrated() { # dir, database
  check "db:migrate created the item table in $2 with a bigint identity id (through .env, over the direct URL)" \
    test "$(stack_sql "$1" "$2" "SELECT data_type || ' ' || is_identity FROM information_schema.columns WHERE table_name = 'item' AND column_name = 'id'")" = "bigint YES"
}
check_tests_ran() { # log, what
  check "$2: the suite passed, none skipped" \
    test -n "$(grep -E '^=+ [0-9]+ passed' "$1")" -a -z "$(grep -iE 'skipped|deselected' "$1")"
  figure "$2: generated tests passed (through PgBouncer, transaction mode)" "$(grep -oE '[0-9]+ passed' "$1" | tail -1)"
}
http_get() { nsenter --net="$NETNS" -- curl -sS --max-time 10 -o "$SRV_WORK/http.out" -w '%{http_code}' "http://127.0.0.1:$1$2" 2>&1; }
for cmd in "${COMMANDS[@]}"; do
  n=$((n + 1))
  echo
  echo "\$ $cmd"
  if [ "$cmd" = "npx projen dev" ]; then
    (cd "$SVC" && PATH="$BIN:$PATH" CI=true exec setsid bash -c "exec $cmd") >"$SRV_WORK/$n.log" 2>&1 &
    DEV_PID=$!
    PORT=$(python3 -c 'import json, sys; a = json.load(open(sys.argv[1]))["tasks"]["dev"]["steps"][0]["args"]; print(a[a.index("--port") + 1])' "$SVC/.projen/tasks.json")
    if srv_wait_port "$PORT" 60 "$DEV_PID"; then
      health=$(http_get "$PORT" /health); health_body=$(cat "$SRV_WORK/http.out")
      created=$(nsenter --net="$NETNS" -- curl -sS --max-time 10 -o "$SRV_WORK/http.out" -w '%{http_code}' \
        -H 'content-type: application/json' -d '{"name": "from the getting-started suite"}' "http://127.0.0.1:$PORT/items")
      items=$(http_get "$PORT" /items); items_body=$(cat "$SRV_WORK/http.out")
      echo "GET /health -> $health $health_body"
      echo "POST /items -> $created; GET /items -> $items $items_body"
      check "$cmd serves GET /health (200 {\"status\":\"ok\"})" test "$health" = 200 -a "$health_body" = '{"status":"ok"}'
      check "$cmd serves POST and GET /items from the compose database (201, 200 with the item)" \
        test "$created" = 201 -a "$items" = 200 -a -n "$(grep -F 'from the getting-started suite' <<<"$items_body")"
    else
      fail "$cmd listens on 127.0.0.1:$PORT"
    fi
    stop_dev
    tail -8 "$SRV_WORK/$n.log" | sed 's/^/    | /'
    continue
  fi
  if run_step "$n" "$cmd"; then pass "step $n: $cmd"; else fail "step $n: $cmd (exit $?)"; fi
  tail -8 "$SRV_WORK/$n.log" | sed 's/^/    | /'
  case $cmd in
    "npx projen lock") check "npx projen lock wrote uv.lock" test -f "$SVC/uv.lock" ;;
    "npx projen db:up") check_stack_up "$SVC" ;;
    "npx projen db:migrate") check_migrated "$SVC" app ;;
    "npx projen test") check_tests_ran "$SRV_WORK/$n.log" "npx projen test" ;;
  esac
done

# ---------------------------------------------------------------- around the commands
step "The tasks read .env through one task; without it the database tests say how to run them"
check "dev, test, db:migrate and db:revision all run through the one run task (uv run --env-file .env when it exists)" python3 -c '
import json, sys
tasks = json.load(open(sys.argv[1]))["tasks"]
for name in ("dev", "test", "db:migrate", "db:revision"):
    assert [s.get("spawn") for s in tasks[name]["steps"]] == ["run"], (name, tasks[name]["steps"])
assert [s["exec"] for s in tasks["run"]["steps"]] == ["uv run --env-file .env \"$@\"", "uv run \"$@\""], tasks["run"]
' "$SVC/.projen/tasks.json"
mv "$SVC/.env" "$SVC/.env.kept"
n=$((n + 1))
run_step "$n" "npx projen test" && rc=0 || rc=$?
check "without .env, npx projen test passes and skips the database tests, saying how to run them (-ra)" \
  test "$rc" = 0 -a -n "$(grep -E 'SKIPPED.*DATABASE_URL and DATABASE_URL_UNPOOLED not set.*cp \.env\.example \.env' "$SRV_WORK/$n.log")"
grep -E 'SKIPPED|passed|skipped' "$SRV_WORK/$n.log" | tail -3 | sed 's/^/    | /'
n=$((n + 1))
run_step "$n" "npx projen run python -c 'from app.db import get_engine; get_engine()'" && rc=0 || rc=$?
check "without .env, the app's code fails with its one clear message for the missing variable" \
  test "$rc" != 0 -a -n "$(grep -F 'Environment variable DATABASE_URL is not set' "$SRV_WORK/$n.log")"
mv "$SVC/.env.kept" "$SVC/.env"

step "Type checking: mypy (the lint task's step) on every generated and sample file"
check "the lint task runs mypy after ruff" python3 -c '
import json, sys
steps = [s["exec"] for s in json.load(open(sys.argv[1]))["tasks"]["lint"]["steps"]]
assert steps[-1] == "uv run mypy", steps
' "$SVC/.projen/tasks.json"
n=$((n + 1))
run_step "$n" "uv run mypy" && rc=0 || rc=$?
tail -3 "$SRV_WORK/$n.log" | sed 's/^/    | /'
check "uv run mypy: strict, no issues in any Python file" test "$rc" = 0 -a -n "$(grep -E '^Success: no issues found in [0-9]+ source files' "$SRV_WORK/$n.log")"

step "CI's first step: uv.lock must be committed"
CI_LOCK_SCRIPT=$SRV_WORK/uv-lock-check.sh
# The step as ci.yml has it (PyYAML): the test job's first step after the checkout.
python3 - "$SVC/.github/workflows/ci.yml" "$CI_LOCK_SCRIPT" <<'EOF'
import sys, yaml
steps = yaml.safe_load(open(sys.argv[1]))["jobs"]["test"]["steps"]
assert steps[1]["id"] == "uv-lock", [s.get("id") for s in steps]
open(sys.argv[2], "w").write(steps[1]["run"] + "\n")
EOF
out=$(cd "$SVC" && bash "$CI_LOCK_SCRIPT" 2>&1) && rc=0 || rc=$?
check "with uv.lock, the ci.yml step passes" test "$rc" = 0
mv "$SVC/uv.lock" "$SVC/uv.lock.kept"
out=$(cd "$SVC" && bash "$CI_LOCK_SCRIPT" 2>&1) && rc=0 || rc=$?
mapfile -t lines <<<"$out"
printf '    | %s\n' "${lines[@]}"
check "without uv.lock, it fails with one ::error naming npx projen lock" \
  test "$rc" = 1 -a -n "$(grep -E '^::error .*npx projen lock' <<<"$out")"
mv "$SVC/uv.lock.kept" "$SVC/uv.lock"

step "db:down"
n=$((n + 1))
if run_step "$n" "npx projen db:down"; then pass "npx projen db:down"; else fail "npx projen db:down"; fi
check "no container of the stack is left running" test -z "$(dk ps -q)"

# ---------------------------------------------------------------- part 2: a uv workspace's local stack
step "A uv workspace (projen new uv-workspace): one compose.yaml at its root, db:up from a member"
WS=$ROOTFS$RUN_DIR/shop
ws_generate "$WS" # the sample workspace on Python 3.13 and asyncpg 0.30; orders calls common
check "the workspace's members write no compose.yaml; its root does" \
  test -f "$WS/compose.yaml" -a ! -e "$WS/services/orders/compose.yaml" -a ! -e "$WS/services/billing/compose.yaml"
n=$((n + 1))
if run_step "$n" "npx projen lock" "$WS"; then pass "workspace: npx projen lock (at the root)"; else fail "workspace: npx projen lock (exit $?)"; fi
check "workspace: npx projen lock wrote the root's uv.lock, none in a member" \
  test -f "$WS/uv.lock" -a ! -e "$WS/services/orders/uv.lock"
first=1
for member in "${WS_SERVICES[@]}"; do
  dir=$WS/services/$member
  for cmd in "cp .env.example .env" "npx projen db:up" "npx projen db:migrate" "npx projen test"; do
    n=$((n + 1))
    echo
    echo "services/$member\$ $cmd"
    if run_step "$n" "$cmd" "$dir"; then pass "workspace $member: $cmd"; else fail "workspace $member: $cmd (exit $?)"; fi
    tail -6 "$SRV_WORK/$n.log" | sed 's/^/    | /'
    case $cmd in
      "npx projen db:up")
        [ "$first" = 0 ] || check_stack_up "$dir"
        first=0
        check "workspace $member: db:up ran the databases one-shot: a database per service (orders, billing)" \
          test "$(stack_sql "$dir" app "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database WHERE datname IN ('orders', 'billing')")" = "billing,orders"
        check "workspace $member: the databases one-shot left no container (run --rm; its exit status is the step's)" \
          test -z "$(dk ps -aq --filter label=com.docker.compose.service=databases)"
        ;;
      "npx projen db:migrate") check_migrated "$dir" "$member" ;;
      "npx projen test") check_tests_ran "$SRV_WORK/$n.log" "workspace $member: npx projen test" ;;
    esac
  done
done
# The root's test task runs every member's tests, each with its own .env (the services' now exist).
n=$((n + 1))
echo
echo "\$ npx projen test   # at the workspace root"
if run_step "$n" "npx projen test" "$WS"; then pass "workspace: npx projen test (at the root)"; else fail "workspace: npx projen test at the root (exit $?)"; fi
tail -6 "$SRV_WORK/$n.log" | sed 's/^/    | /'
check_tests_ran "$SRV_WORK/$n.log" "workspace: npx projen test at the root (each member with its .env)"
check "workspace: the root's test run loaded each service's .env (orders and billing)" \
  test "$(grep -c -- '--env-file .env pytest' "$SRV_WORK/$n.log")" -ge 2
check "workspace: each service migrated its own database only (no item table in app)" \
  test "$(stack_sql "$WS/services/orders" app "SELECT count(*) FROM information_schema.tables WHERE table_name = 'item'")" = 0
n=$((n + 1))
if run_step "$n" "npx projen db:down" "$WS/services/billing"; then pass "workspace: npx projen db:down (in a member)"; else fail "workspace: npx projen db:down"; fi
check "workspace: no container of the stack is left running" test -z "$(dk ps -q)"

figure "getting-started suite total (s)" "$(seconds_since "$T0")"
checks_done
