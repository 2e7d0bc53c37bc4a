#!/usr/bin/env bash
# The generated CI `test` job, run locally as its ci.yml describes it, against real servers.
#
# 1. A service from the packed library (`projen new --from <tarball>`) inside the Debian trixie rootfs, its
#    .projenrc.ts on the rootfs's Python 3.13 and asyncpg 0.30 (as the other root suites), locked with the uv
#    stand-in (scripts/lib/standin/uv.py).
# 2. Its .github/workflows/ci.yml, job `test`, read by scripts/lib/ci-job.py (python3's yaml):
#    - the postgres service container's env gives the role, password, database and host auth method of a
#      real PostgreSQL (srv_pg_start: SCRAM; TLS off, as in the image);
#    - the pgbouncer container's env (edoburu/pgbouncer) becomes a pgbouncer.ini as that image's entrypoint
#      writes it (DB_HOST must name the postgres service; an unknown variable fails), PgBouncer from the rootfs;
#    - the steps' `run` scripts and `env`, in order, with `${{ job.services.<id>.ports['<port>'] }}` replaced
#      by the port the real server got (nothing else of a URL is changed: a wrong user, password, database
#      or query in the workflow fails here). `uses:` steps (checkout, setup-uv) are skipped and listed.
#    Each step runs under `bash -e` (GitHub's default shell) in the service directory, with `uv` the stand-in
#    in the rootfs and `ruff` Ruff's wasm build (scripts/lib/standin/ruff.cjs; Debian packages no ruff).
# 3. Checks: every step passes; pytest ran its database tests (none skipped) and the app's queries went
#    through PgBouncer (its SHOW STATS for the tests' database, and its log); then a column added to the
#    sample model without a migration makes the `migration-drift` step fail with its ::error naming
#    `npx projen db:revision`.
# 4. The same for a workspace: the sample of `projen new uv-workspace` (scripts/lib/docker-workspace.sh
#    ws_generate), locked with the stand-in, its job `service-orders` run by the same functions:
#    each step in its working directory (the job's `defaults.run.working-directory`, services/orders, below the
#    workspace root) up to pytest (the image steps after it are the Docker suite's), a fresh database and its own
#    PgBouncer, pytest through it, and the drift step failing with the member's ::error
#    (`cd services/orders && npx projen db:revision`).
# Ends with "N passed, N failed"; with TEST_REPORTS set, writes $TEST_REPORTS/ci-test-job.xml.
# Environment: TARBALL (packed library; packed here if unset), ROOTFS.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/lib/checks.sh
source scripts/lib/checks.sh
# shellcheck source=scripts/lib/servers.sh
source scripts/lib/servers.sh
# shellcheck source=scripts/lib/docker-workspace.sh
source scripts/lib/docker-workspace.sh

SERVICE="orders-api"
checks_init ci-test-job
srv_need_root "chroot into the rootfs, PostgreSQL as its own user"
srv_init ci-test-job
on_suite_exit() { checks_finish "$1"; }

step "Create $SERVICE from the packed library, inside the rootfs"
srv_rootfs
srv_tarball
RUN_DIR=/srv/$SRV_RUN_ID-job
mkdir -p "$ROOTFS$RUN_DIR/bin"
srv_defer rm -rf "$ROOTFS$RUN_DIR"
SVC=$ROOTFS$RUN_DIR/$SERVICE
srv_new_service "$SVC" "$SERVICE"
sed -i "s/new UvPythonService({/&\n  pythonVersion: '3.13',\n  deps: ['asyncpg>=0.30'],/" "$SVC/.projenrc.ts"

# The stand-ins: uv in the rootfs (the directory as the rootfs sees it), ruff on the host's node.
BIN=$SRV_WORK/bin
mkdir -p "$BIN"
UV_VERSION=$(sed -n 's|^COPY --from=ghcr.io/astral-sh/uv:\([^ ]*\) .*|\1|p' "$SVC/Dockerfile")
sed "s/@UV_VERSION@/$UV_VERSION/" scripts/lib/standin/uv.py >"$ROOTFS$RUN_DIR/bin/uv"
cat >"$BIN/uv" <<EOF
#!/bin/bash
if [ "\${1:-}" = run ] && [ "\${2:-}" = ruff ]; then
  shift 2
  NODE_PATH="$SRV_ROOT/node_modules" exec node "$SRV_ROOT/scripts/lib/standin/ruff.cjs" "\$@"
fi
here=\${PWD#"$ROOTFS"}
[ "\$here" != "\$PWD" ] || { echo "uv (stand-in): run it in a directory below $ROOTFS" >&2; exit 2; }
vars=()
while IFS= read -r name; do vars+=("\$name=\${!name}"); done < <(compgen -e | grep -E '^(DATABASE_|CI$|GITHUB_)')
exec chroot "$ROOTFS" /usr/bin/env -i -C "\$here" PATH=/usr/bin:/bin HOME=/root LANG=C.UTF-8 "\${vars[@]}" python3 "$RUN_DIR/bin/uv" "\$@"
EOF
chmod 755 "$BIN/uv"
(cd "$SVC" && PATH="$BIN:$PATH" CI=true npx projen >/dev/null && PATH="$BIN:$PATH" CI=true npx projen lock >/dev/null) >"$SRV_WORK/synth.log" 2>&1 ||
  { tail -30 "$SRV_WORK/synth.log" >&2; exit 1; }
check "uv.lock written by npx projen lock (the uv stand-in)" test -f "$SVC/uv.lock"

# ---------------------------------------------------------------- the job, as its workflow describes it
# job_servers WORKFLOW JOB: the job's service containers as real servers. PostgreSQL as its postgres container
# (started once per run; the job's database made afresh, as a new container has it), PgBouncer from its
# pgbouncer container (one per job). Sets SERVICES, PG_ROLE, PG_PASSWORD, PG_DB, BOUNCER_PORT, BOUNCER_DIR, PORTS.
svc_env() { python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]]["env"].get(sys.argv[3], ""))' "$SERVICES" "$1" "$2"; }
job_servers() {
  local workflow=$1 job=$2 auth uid pid entry
  step "Job $job of ${workflow#"$ROOTFS"}: its service containers"
  SERVICES=$(python3 scripts/lib/ci-job.py services "$workflow" "$job")
  echo "$SERVICES" | python3 -m json.tool
  check "job $job has the postgres and pgbouncer service containers" python3 -c '
import json, sys; s = json.loads(sys.argv[1]); assert set(s) == {"postgres", "pgbouncer"}, s' "$SERVICES"
  PG_ROLE=$(svc_env postgres POSTGRES_USER)
  PG_PASSWORD=$(svc_env postgres POSTGRES_PASSWORD)
  PG_DB=$(svc_env postgres POSTGRES_DB)
  auth=$(svc_env postgres POSTGRES_HOST_AUTH_METHOD)
  check "its postgres container names its role, password and database, and SCRAM for host connections ($auth)" \
    test -n "$PG_ROLE" -a -n "$PG_PASSWORD" -a -n "$PG_DB" -a "$auth" = scram-sha-256

  step "PostgreSQL as the postgres container: role $PG_ROLE, database $PG_DB, host auth $auth, no TLS"
  if [ -z "${SRV_PG_PORT:-}" ]; then
    SRV_PG_CONF_EXTRA="ssl = off" SRV_PG_HBA="local all postgres trust
local all all $auth
host  all all 127.0.0.1/32 $auth" srv_pg_start
  fi
  for entry in "${SRV_DBS[@]}"; do
    [ "${entry%% *}" != "$PG_DB" ] || srv_pg_admin -c "DROP DATABASE \"$PG_DB\" WITH (FORCE)"
  done
  srv_pg_add_db "$PG_DB" "$PG_ROLE" "$PG_PASSWORD"
  echo "PostgreSQL on 127.0.0.1:$SRV_PG_PORT (the container's 5432)"

  step "PgBouncer from the pgbouncer container's env (edoburu/pgbouncer's entrypoint variables)"
  BOUNCER_DIR=$RUN_DIR/pgbouncer-$job
  mkdir -p "$ROOTFS$BOUNCER_DIR"
  uid=$(chroot "$ROOTFS" id -u postgres 2>/dev/null || echo 65534)
  BOUNCER_PORT=$(srv_free_port)
  python3 scripts/lib/ci-job.py pgbouncer "$(python3 -c 'import json, sys; print(json.dumps(json.loads(sys.argv[1])["pgbouncer"]["env"]))' "$SERVICES")" \
    "{\"postgres\": {\"host\": \"$SRV_PG_SOCK\", \"port\": \"$SRV_PG_PORT\", \"container_port\": \"5432\"}}" \
    "$BOUNCER_PORT" "$ROOTFS$BOUNCER_DIR" "$BOUNCER_DIR"
  # The suite's additions, to observe it: a log file, stats every second, the role as a stats user.
  printf 'logfile = %s\nstats_period = 1\nlog_connections = 1\nstats_users = %s\n' "$BOUNCER_DIR/pgbouncer.log" "$PG_ROLE" >>"$ROOTFS$BOUNCER_DIR/pgbouncer.ini"
  cat "$ROOTFS$BOUNCER_DIR/pgbouncer.ini"
  chown -R "$uid" "$ROOTFS$BOUNCER_DIR"
  chmod 600 "$ROOTFS$BOUNCER_DIR/userlist.txt"
  chroot --userspec="$uid" "$ROOTFS" /usr/sbin/pgbouncer -q "$BOUNCER_DIR/pgbouncer.ini" &
  pid=$!
  srv_defer _srv_stop_pid "$pid"
  srv_wait_port "$BOUNCER_PORT" 10 "$pid" || { cat "$ROOTFS$BOUNCER_DIR/pgbouncer.log" >&2; return 1; }
  check "PgBouncer runs in transaction mode with SCRAM and prepared statements, as the container's env says" \
    grep -qzE 'auth_type = scram-sha-256.*pool_mode = transaction.*max_prepared_statements = [1-9]' "$ROOTFS$BOUNCER_DIR/pgbouncer.ini"
  PORTS="{\"postgres\": {\"5432\": $SRV_PG_PORT}, \"pgbouncer\": {\"6432\": $BOUNCER_PORT}}"
}
bouncer_admin() { PGPASSWORD=$PG_PASSWORD "$PG_BIN/psql" -X -A -F ' ' -h 127.0.0.1 -p "$BOUNCER_PORT" -U "$PG_ROLE" pgbouncer -c "$1"; }

# job_steps ROOT WORKFLOW JOB LAST EXPECTED: writes the job's steps to $STEPS_DIR (ci-job.py: the job's env,
# its defaults.run and each step's working-directory applied), runs each `run` step up to LAST in its working
# directory below ROOT, and checks the steps run were EXPECTED (ids, in order). `uses:` steps (the runner's
# own setup) and the steps after LAST are listed, not run. Sets JOB_ROOT, PYTEST_LOG, DRIFT_STEP, DRIFT_DIR.
run_step() { # n, working directory: the step's script under bash -e with its env; output in $STEPS_DIR/n.log
  local vars=()
  mapfile -t vars <"$STEPS_DIR/$1.env"
  (cd "$JOB_ROOT/$2" && env PATH="$BIN:$PATH" CI=true "${vars[@]}" timeout 600 bash -e "$STEPS_DIR/$1.sh") >"$STEPS_DIR/$1.log" 2>&1
}
job_steps() {
  local workflow=$2 job=$3 last=$4 expected=$5 line n id kind what done=0 ids=() skipped=() after=()
  JOB_ROOT=$1
  STEPS_DIR=$SRV_WORK/steps-$job
  PYTEST_LOG=/dev/null DRIFT_STEP=0 DRIFT_DIR=.
  step "Job $job: its steps, in order"
  mkdir -p "$STEPS_DIR"
  mapfile -t STEP_LIST < <(python3 scripts/lib/ci-job.py steps "$workflow" "$job" "$PORTS" "$STEPS_DIR")
  [ "${#STEP_LIST[@]}" -gt 0 ] || { fail "job $job: ci-job.py listed no step"; return 0; }
  for line in "${STEP_LIST[@]}"; do
    read -r n id kind what <<<"$line"
    if [ "$done" = 1 ]; then after+=("$id"); continue; fi
    if [ "$kind" = uses ]; then skipped+=("$id ($what)"); continue; fi
    ids+=("$id")
    if run_step "$n" "$what"; then pass "step $id (in $what): passed"; else fail "step $id (in $what): failed"; tail -30 "$STEPS_DIR/$n.log" >&2; fi
    tail -3 "$STEPS_DIR/$n.log" | sed 's/^/    /'
    [ "$id" != pytest ] || PYTEST_LOG=$STEPS_DIR/$n.log
    [ "$id" != migration-drift ] || { DRIFT_STEP=$n; DRIFT_DIR=$what; }
    [ "$id" != "$last" ] || done=1
  done
  echo "skipped (uses:, the runner's own setup): ${skipped[*]}"
  [ "${#after[@]}" = 0 ] || echo "not run here (after $last: the image steps, which scripts/suites/docker-integration.sh covers): ${after[*]}"
  check "job $job runs $expected, in that order (${ids[*]})" test "${ids[*]}" = "$expected"
}

# job_pytest_checks JOB: pytest ran its database tests, and the app's queries went through the job's PgBouncer.
job_pytest_checks() {
  local stats xacts
  check "pytest ran every test, none skipped" \
    test -n "$(grep -E '^=+ [0-9]+ passed' "$PYTEST_LOG")" -a -z "$(grep -iE 'skipped|deselected' "$PYTEST_LOG")"
  figure "tests passed in the pytest step of $1" "$(grep -oE '[0-9]+ passed' "$PYTEST_LOG" | tail -1)"
  sleep 1.5 # one stats period
  stats=$(bouncer_admin 'SHOW STATS')
  echo "$stats"
  xacts=$(awk -v ci="$PG_DB" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "total_xact_count") c = i }
    NR > 1 && $1 != "pgbouncer" && $1 != ci && c && $c > n { n = $c } END { print n + 0 }' <<<"$stats")
  figure "transactions PgBouncer served for the tests' own database in $1 (SHOW STATS)" "$xacts"
  check "the app's queries went through PgBouncer: SHOW STATS counts transactions on the tests' database" test "$xacts" -gt 0
  check "PgBouncer's log shows the tests' logins as $PG_ROLE" grep -qE "login attempt: db=[^ ]+ user=$PG_ROLE" "$ROOTFS$BOUNCER_DIR/pgbouncer.log"
}

# job_drift MODELS ERROR_RE: the drift step passes on the sample; after a column added to the Item table model
# in MODELS (no migration), it fails with an ::error matching ERROR_RE, and alembic reported the column.
job_drift() {
  local models=$1 error_re=$2 rc
  step "Migration drift: a column on the sample model ${models#"$JOB_ROOT/"} with no migration"
  check "the sample passes the migration-drift step (alembic check)" grep -q 'The migrations match the models.' "$STEPS_DIR/$DRIFT_STEP.log"
  python3 - "$models" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
new, n = re.subn(r"(class Item\(ItemBase, table=True\):\n(?:.*\n)*?    id: .*\n)", r"\1    drift_probe: int | None = None\n", text, count=1)
assert n == 1, f"no Item table model in {path}"
open(path, "w", encoding="utf-8").write(new)
PY
  if run_step "$DRIFT_STEP" "$DRIFT_DIR"; then rc=0; else rc=$?; fi
  tail -5 "$STEPS_DIR/$DRIFT_STEP.log" | sed 's/^/    /'
  check "with the column and no migration, the migration-drift step fails" test "$rc" != 0
  check "its ::error says what to run ($error_re)" grep -qE "^::error .*$error_re" "$STEPS_DIR/$DRIFT_STEP.log"
  check "alembic itself reported the new column" grep -qiE "add_column.*drift_probe" "$STEPS_DIR/$DRIFT_STEP.log"
}

# ---------------------------------------------------------------- part 1: one service, job `test`
WORKFLOW=$SVC/.github/workflows/ci.yml
job_servers "$WORKFLOW" test
job_steps "$SVC" "$WORKFLOW" test pytest "uv-lock sync lint format mypy migrate migration-drift pytest"
job_pytest_checks test
job_drift "$SVC/app/models.py" 'npx projen db:revision'

# ---------------------------------------------------------------- part 2: a workspace service's job
step "Workspace: the sample of projen new uv-workspace , inside the rootfs"
WS=$ROOTFS$RUN_DIR/shop
ws_generate "$WS"
(cd "$WS" && PATH="$BIN:$PATH" CI=true npx projen lock >/dev/null) >"$SRV_WORK/ws-lock.log" 2>&1 ||
  { tail -30 "$SRV_WORK/ws-lock.log" >&2; exit 1; }
check "the workspace's one uv.lock written by npx projen lock (the uv stand-in)" test -f "$WS/uv.lock"
WS_WORKFLOW=$WS/.github/workflows/ci.yml
WS_JOB=service-orders
check "job $WS_JOB runs in services/orders (its defaults.run.working-directory)" python3 -c '
import sys, yaml; job = yaml.safe_load(open(sys.argv[1]))["jobs"][sys.argv[2]]
assert job["defaults"]["run"]["working-directory"] == "services/orders", job.get("defaults")' "$WS_WORKFLOW" "$WS_JOB"
job_servers "$WS_WORKFLOW" "$WS_JOB"
job_steps "$WS" "$WS_WORKFLOW" "$WS_JOB" pytest "uv-lock sync lint format mypy migrate migration-drift pytest"
job_pytest_checks "$WS_JOB"
job_drift "$WS/services/orders/orders/models.py" 'cd services/orders && npx projen db:revision'

checks_done
