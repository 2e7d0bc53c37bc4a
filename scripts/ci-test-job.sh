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
# Ends with "N passed, N failed"; with TEST_REPORTS set, writes $TEST_REPORTS/ci-test-job.xml.
# Environment: TARBALL (packed library; packed here if unset), ROOTFS.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/checks.sh
source scripts/lib/checks.sh
# shellcheck source=scripts/lib/servers.sh
source scripts/lib/servers.sh

SERVICE=orders-api
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

step "The test job of .github/workflows/ci.yml: its service containers"
WORKFLOW=$SVC/.github/workflows/ci.yml
SERVICES=$(python3 scripts/lib/ci-job.py services "$WORKFLOW" test)
svc_env() { python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]]["env"].get(sys.argv[3], ""))' "$SERVICES" "$1" "$2"; }
echo "$SERVICES" | python3 -m json.tool
check "the test job has the postgres and pgbouncer service containers" python3 -c '
import json, sys; s = json.loads(sys.argv[1]); assert set(s) == {"postgres", "pgbouncer"}, s' "$SERVICES"
PG_ROLE=$(svc_env postgres POSTGRES_USER)
PG_PASSWORD=$(svc_env postgres POSTGRES_PASSWORD)
PG_DB=$(svc_env postgres POSTGRES_DB)
PG_AUTH=$(svc_env postgres POSTGRES_HOST_AUTH_METHOD)
check "the postgres container names its role, password and database, and SCRAM for host connections ($PG_AUTH)" \
  test -n "$PG_ROLE" -a -n "$PG_PASSWORD" -a -n "$PG_DB" -a "$PG_AUTH" = scram-sha-256

step "PostgreSQL as the postgres container: role $PG_ROLE, database $PG_DB, host auth $PG_AUTH, no TLS"
SRV_PG_CONF_EXTRA="ssl = off" SRV_PG_HBA="local all postgres trust
local all all $PG_AUTH
host  all all 127.0.0.1/32 $PG_AUTH" srv_pg_start
srv_pg_add_db "$PG_DB" "$PG_ROLE" "$PG_PASSWORD"
echo "PostgreSQL on 127.0.0.1:$SRV_PG_PORT (the container's 5432)"

step "PgBouncer from the pgbouncer container's env (edoburu/pgbouncer's entrypoint variables)"
BOUNCER_DIR=/srv/$SRV_RUN_ID-job/pgbouncer
mkdir -p "$ROOTFS$BOUNCER_DIR"
BOUNCER_UID=$(chroot "$ROOTFS" id -u postgres 2>/dev/null || echo 65534)
BOUNCER_PORT=$(srv_free_port)
python3 scripts/lib/ci-job.py pgbouncer "$(python3 -c 'import json, sys; print(json.dumps(json.loads(sys.argv[1])["pgbouncer"]["env"]))' "$SERVICES")" \
  "{\"postgres\": {\"host\": \"$SRV_PG_SOCK\", \"port\": \"$SRV_PG_PORT\", \"container_port\": \"5432\"}}" \
  "$BOUNCER_PORT" "$ROOTFS$BOUNCER_DIR" "$BOUNCER_DIR"
# The suite's additions, to observe it: a log file, stats every second, the role as a stats user.
printf 'logfile = %s\nstats_period = 1\nlog_connections = 1\nstats_users = %s\n' "$BOUNCER_DIR/pgbouncer.log" "$PG_ROLE" >>"$ROOTFS$BOUNCER_DIR/pgbouncer.ini"
cat "$ROOTFS$BOUNCER_DIR/pgbouncer.ini"
chown -R "$BOUNCER_UID" "$ROOTFS$BOUNCER_DIR"
chmod 600 "$ROOTFS$BOUNCER_DIR/userlist.txt"
chroot --userspec="$BOUNCER_UID" "$ROOTFS" /usr/sbin/pgbouncer -q "$BOUNCER_DIR/pgbouncer.ini" &
BOUNCER_PID=$!
srv_defer _srv_stop_pid "$BOUNCER_PID"
srv_wait_port "$BOUNCER_PORT" 10 "$BOUNCER_PID" || { cat "$ROOTFS$BOUNCER_DIR/pgbouncer.log" >&2; exit 1; }
check "PgBouncer runs in transaction mode with SCRAM and prepared statements, as the container's env says" \
  grep -qzE 'auth_type = scram-sha-256.*pool_mode = transaction.*max_prepared_statements = [1-9]' "$ROOTFS$BOUNCER_DIR/pgbouncer.ini"
bouncer_admin() { PGPASSWORD=$PG_PASSWORD "$PG_BIN/psql" -X -A -F ' ' -h 127.0.0.1 -p "$BOUNCER_PORT" -U "$PG_ROLE" pgbouncer -c "$1"; }

step "The job's steps, in order"
PORTS="{\"postgres\": {\"5432\": $SRV_PG_PORT}, \"pgbouncer\": {\"6432\": $BOUNCER_PORT}}"
STEPS_DIR=$SRV_WORK/steps
run_job() { # writes the steps of the workflow as it is now to $STEPS_DIR; sets STEP_LIST
  rm -rf "$STEPS_DIR"
  mkdir -p "$STEPS_DIR"
  mapfile -t STEP_LIST < <(python3 scripts/lib/ci-job.py steps "$WORKFLOW" test "$PORTS" "$STEPS_DIR")
}
run_step() { # n, working directory: the step's script under bash -e with its env; output in $STEPS_DIR/n.log
  local vars=()
  mapfile -t vars <"$STEPS_DIR/$1.env"
  (cd "$SVC/$2" && env PATH="$BIN:$PATH" CI=true "${vars[@]}" timeout 600 bash -e "$STEPS_DIR/$1.sh") >"$STEPS_DIR/$1.log" 2>&1
}
run_job
ids=()
skipped=()
for line in "${STEP_LIST[@]}"; do
  read -r n id kind what <<<"$line"
  if [ "$kind" = uses ]; then
    skipped+=("$id ($what)")
    continue
  fi
  ids+=("$id")
  if run_step "$n" "$what"; then pass "step $id: passed"; else fail "step $id: failed"; tail -30 "$STEPS_DIR/$n.log" >&2; fi
  tail -3 "$STEPS_DIR/$n.log" | sed 's/^/    /'
  [ "$id" != pytest ] || PYTEST_LOG=$STEPS_DIR/$n.log
  [ "$id" != migration-drift ] || DRIFT_STEP=$n
done
echo "skipped (uses:, the runner's own setup): ${skipped[*]}"
check "the job runs uv-lock, sync, lint, format, mypy, migrate, migration-drift and pytest, in that order (${ids[*]})" \
  test "${ids[*]}" = "uv-lock sync lint format mypy migrate migration-drift pytest"
check "pytest ran every test, none skipped" \
  test -n "$(grep -E '^=+ [0-9]+ passed' "${PYTEST_LOG:-/dev/null}")" -a -z "$(grep -iE 'skipped|deselected' "${PYTEST_LOG:-/dev/null}")"
figure "tests passed in the job's pytest step" "$(grep -oE '[0-9]+ passed' "${PYTEST_LOG:-/dev/null}" | tail -1)"
sleep 1.5 # one stats period
STATS=$(bouncer_admin 'SHOW STATS')
echo "$STATS"
TEST_DB_XACTS=$(awk -v ci="$PG_DB" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "total_xact_count") c = i }
  NR > 1 && $1 != "pgbouncer" && $1 != ci && c && $c > n { n = $c } END { print n + 0 }' <<<"$STATS")
figure "transactions PgBouncer served for the tests' own database (SHOW STATS)" "$TEST_DB_XACTS"
check "the app's queries went through PgBouncer: SHOW STATS counts transactions on the tests' database" test "$TEST_DB_XACTS" -gt 0
check "PgBouncer's log shows the tests' logins as $PG_ROLE" grep -qE "login attempt: db=[^ ]+ user=$PG_ROLE" "$ROOTFS$BOUNCER_DIR/pgbouncer.log"

step "Migration drift: a column on the sample model with no migration"
check "the sample passes the migration-drift step (alembic check)" grep -q 'The migrations match the models.' "$STEPS_DIR/${DRIFT_STEP:-0}.log"
python3 - "$SVC/app/models.py" <<'EOF'
import re, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
new, n = re.subn(r"(class Item\(ItemBase, table=True\):\n(?:.*\n)*?    id: .*\n)", r"\1    drift_probe: int | None = None\n", text, count=1)
assert n == 1, "no Item table model in app/models.py"
open(path, "w", encoding="utf-8").write(new)
EOF
if run_step "$DRIFT_STEP" .; then rc=0; else rc=$?; fi
tail -5 "$STEPS_DIR/$DRIFT_STEP.log" | sed 's/^/    /'
check "with the column and no migration, the migration-drift step fails" test "$rc" != 0
check "its ::error names npx projen db:revision" grep -qE '^::error .*npx projen db:revision' "$STEPS_DIR/$DRIFT_STEP.log"
check "alembic itself reported the new column" grep -qiE "add_column.*drift_probe" "$STEPS_DIR/$DRIFT_STEP.log"

checks_done
