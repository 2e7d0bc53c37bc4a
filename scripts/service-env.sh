# shellcheck shell=bash
# The environment scripts/bench-service.sh and scripts/integration-restart.sh run a generated service in,
# sourced by both (functions and variables prefixed se_ / SE_):
#
#  - a Debian trixie rootfs (debootstrap) with Python, SQLAlchemy, SQLModel, asyncpg (psycopg when the
#    rootfs has it), FastAPI, uvicorn and PgBouncer: ROOTFS reuses one, else one is built in
#    .tmp/rootfs-trixie of this checkout;
#  - a service created from the packed library (`projen new --from <tarball>`; TARBALL reuses a tarball;
#    with SRV_PROJEN_CACHE, scripts/lib/servers.sh makes it once per run and copies it),
#    synthesized once per database configuration with the real library (`npx projen`);
#  - PostgreSQL (host binaries, TLS, SCRAM) and PgBouncer from the rootfs in transaction mode, with TLS to
#    clients and SCRAM-SHA-256 authentication, as Neon's pooler is configured;
#  - the app, started with the runtime image's own CMD (read from the generated Dockerfile), with
#    WEB_CONCURRENCY and PORT in its environment.
#
# Every server listens on 127.0.0.1 only, on ports picked free at run time. se_cleanup (the caller's EXIT
# trap) stops what was started and removes what was created.

SE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/servers.sh
. "$SE_ROOT/scripts/lib/servers.sh" # srv_rootfs
ROOTFS=${ROOTFS:-$SE_ROOT/.tmp/rootfs-trixie}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
SE_SERVICE=orders-api
SE_PACKAGE=orders
SE_DB=appdb

SE_WORK=
SE_RUN_ID=
SE_IN_ROOT=
SE_SOCK=
SE_APP_ENV=()
SE_PG_USER=
SE_PG_STARTED=0
SE_BOUNCER_PID=
SE_APP_PID=
SE_PROC_MOUNTED=0
SE_CA=

se_die() { echo "$(basename "$0"): $*" >&2; exit 2; }
se_step() { echo; echo "== $*"; }
se_port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A free TCP port on 127.0.0.1, different from the ones already picked.
SE_PORTS=()
se_free_port() {
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 40000))
    if se_port_free "$p" && [[ " ${SE_PORTS[*]} " != *" $p "* ]]; then
      SE_PORTS+=("$p")
      echo "$p"
      return
    fi
  done
  se_die "no free port found on 127.0.0.1"
}

se_init() { # checks the tools, creates the work dir, picks ports
  [ "$(id -u)" = 0 ] || se_die "needs root (chroot, an unprivileged user for postgres)"
  for cmd in openssl runuser chroot npm node; do command -v "$cmd" >/dev/null || se_die "$cmd is required"; done
  for bin in initdb pg_ctl postgres psql; do [ -x "$PG_BIN/$bin" ] || se_die "PostgreSQL's $bin not found in $PG_BIN"; done
  SE_RUN_ID=uvsvc-$(basename "$0" .sh)-$$
  SE_WORK=$(mktemp -d "${TMPDIR:-/tmp}/$SE_RUN_ID.XXXXXX")
  chmod 755 "$SE_WORK"
  SE_IN_ROOT=/srv/$SE_RUN_ID
  SE_SOCK=/run/$SE_RUN_ID
  PG_PORT=$(se_free_port)
  BOUNCER_PORT=$(se_free_port)
  APP_PORT=$(se_free_port)
}

se_cleanup() {
  local rc=$?
  set +e
  se_stop_app
  se_stop_pgbouncer
  [ "$SE_PG_STARTED" = 1 ] && runuser -u "$SE_PG_USER" -- "$PG_BIN/pg_ctl" -D "$SE_WORK/pgdata" -m immediate -w stop >/dev/null 2>&1
  [ "$SE_PROC_MOUNTED" = 1 ] && umount "$ROOTFS/proc"
  if [ -n "$SE_RUN_ID" ] && [ -d "$ROOTFS" ]; then rm -rf "${ROOTFS:?}$SE_IN_ROOT" "${ROOTFS:?}$SE_SOCK"; fi
  [ -n "$SE_WORK" ] && rm -rf "$SE_WORK"
  exit "$rc"
}

# Runs a command in the rootfs as USER in DIR, with a clean environment plus VAR=value assignments:
# se_in_rootfs USER DIR VAR=value... -- command...   (exec all the way: a background job's $! is the command)
se_in_rootfs() {
  local user=$1 dir=$2
  shift 2
  local env=(PATH=/srv/bin:/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1)
  while [ "$1" != "--" ]; do env+=("$1"); shift; done
  shift
  exec chroot --userspec="$user" "$ROOTFS" /usr/bin/env -i "${env[@]}" /usr/bin/env -C "$dir" "$@"
}

# ---------------------------------------------------------------- rootfs
se_rootfs() {
  se_step "Debian trixie rootfs: $ROOTFS"
  # scripts/lib/servers.sh's: built once with debootstrap, reused or completed later, under a lock that the
  # other suites (and scripts/rootfs.sh, which scripts/test starts first) take too.
  SRV_WORK=$SE_WORK srv_rootfs || exit 2
  if ! chroot "$ROOTFS" python3 -c 'import asyncio, ssl; asyncio.run(asyncio.sleep(0))' 2>/dev/null; then
    mount -t proc proc "$ROOTFS/proc" && SE_PROC_MOUNTED=1
  fi
  SE_HAS_PSYCOPG=0
  chroot "$ROOTFS" python3 -c 'import psycopg' 2>/dev/null && SE_HAS_PSYCOPG=1
  echo "$(chroot "$ROOTFS" pgbouncer --version | head -1); $(chroot "$ROOTFS" python3 --version);" \
    "psycopg: $([ "$SE_HAS_PSYCOPG" = 1 ] && echo yes || echo "no (python3-psycopg not in the rootfs)")"
  mkdir -p "$ROOTFS$SE_IN_ROOT" "$ROOTFS$SE_SOCK" "$ROOTFS/srv/bin"
  # The image's virtualenv has a `uvicorn` script; Debian's python3-uvicorn has the module only.
  if [ ! -x "$ROOTFS/srv/bin/uvicorn" ]; then
    printf '#!/bin/sh\nexec python3 -m uvicorn "$@"\n' >"$ROOTFS/srv/bin/uvicorn"
    chmod 755 "$ROOTFS/srv/bin/uvicorn"
  fi
  # The CMD's pre-flight runs `python` (the virtualenv's); Debian has python3 only.
  [ -e "$ROOTFS/srv/bin/python" ] || ln -s /usr/bin/python3 "$ROOTFS/srv/bin/python"
}

# ---------------------------------------------------------------- the service
# Creates $SE_SERVICE from the tarball in $SE_WORK/svc (SVC); POOLED_ENV and DIRECT_ENV from its db.py.
se_create_service() {
  se_step "Pack the library and create $SE_SERVICE from the tarball"
  if [ -z "${TARBALL:-}" ]; then
    (cd "$SE_ROOT" && npx projen compile >"$SE_WORK/compile.log" 2>&1) || { tail -30 "$SE_WORK/compile.log" >&2; exit 1; }
    mkdir -p "$SE_WORK/pack"
    (cd "$SE_ROOT" && npm pack --pack-destination "$SE_WORK/pack" --silent >/dev/null)
    TARBALL=$(ls "$SE_WORK"/pack/projen-uv-service-*.tgz)
  fi
  SVC=$SE_WORK/svc
  srv_new_service "$SVC" "$SE_SERVICE" --app "$SE_PACKAGE.main:api" || exit 1
  sed -i "s/new UvPythonService({/&\n  pythonVersion: '3.13',/" "$SVC/.projenrc.ts"
  cp "$SVC/.projenrc.ts" "$SE_WORK/projenrc.base.ts"
  POOLED_ENV=$(sed -n 's/^POOLED_URL_ENV = "\(.*\)"$/\1/p' "$SVC/$SE_PACKAGE/db.py")
  DIRECT_ENV=$(sed -n 's/^DIRECT_URL_ENV = "\(.*\)"$/\1/p' "$SVC/$SE_PACKAGE/db.py")
}

# se_variant NAME 'databaseOptions object literal, or empty for the defaults': synthesizes the service with
# those options (the library's enums in scope) and copies it into the rootfs as $SE_IN_ROOT/NAME.
se_variant() {
  local name=$1 options=$2
  cp "$SE_WORK/projenrc.base.ts" "$SVC/.projenrc.ts"
  sed -i 's/^import { UvPythonService } from "projen-uv-service";/import { DatabaseDriver, PoolStrategy, UvPythonService } from "projen-uv-service";\nvoid DatabaseDriver;\nvoid PoolStrategy;/' "$SVC/.projenrc.ts"
  [ -z "$options" ] || sed -i "s/new UvPythonService({/&\n  databaseOptions: $options,/" "$SVC/.projenrc.ts"
  (cd "$SVC" && CI=true npx projen) >"$SE_WORK/synth-$name.log" 2>&1 || { tail -30 "$SE_WORK/synth-$name.log" >&2; exit 1; }
  mkdir -p "$ROOTFS$SE_IN_ROOT/$name"
  tar -C "$SVC" --exclude=node_modules -cf - . | tar -C "$ROOTFS$SE_IN_ROOT/$name" -xf -
  chmod -R a+rX "$ROOTFS$SE_IN_ROOT"
}

# The runtime stage's CMD, from the generated Dockerfile (JSON array, one word per line).
se_runtime_cmd() { # variant
  node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n");
    const cmd = lines.filter((l) => l.startsWith("CMD ")).pop();
    for (const word of JSON.parse(cmd.slice(4))) console.log(word);
  ' "$ROOTFS$SE_IN_ROOT/$1/Dockerfile"
}

# ---------------------------------------------------------------- PostgreSQL
se_start_postgres() {
  se_step "PostgreSQL on 127.0.0.1:$PG_PORT (TLS, SCRAM)"
  if id postgres >/dev/null 2>&1; then
    SE_PG_USER=postgres
  else
    useradd --system --no-create-home --shell /usr/sbin/nologin uvsvc-itest-pg 2>/dev/null || true
    SE_PG_USER=uvsvc-itest-pg
  fi
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$SE_WORK/server.key" -out "$SE_WORK/server.crt" 2>/dev/null
  DB_PASSWORD=$(openssl rand -hex 16)
  local data=$SE_WORK/pgdata
  mkdir -p "$data" "$SE_WORK/pgtls" "$SE_WORK/pglog"
  cp "$SE_WORK/server.key" "$SE_WORK/server.crt" "$SE_WORK/pgtls/"
  chmod 700 "$data" "$SE_WORK/pgtls"
  chmod 600 "$SE_WORK/pgtls/server.key"
  chown -R "$SE_PG_USER" "$data" "$SE_WORK/pgtls" "$SE_WORK/pglog" "$ROOTFS$SE_SOCK"
  chmod 755 "$ROOTFS$SE_SOCK"
  runuser -u "$SE_PG_USER" -- "$PG_BIN/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=reject \
    >"$SE_WORK/initdb.log" 2>&1 || { cat "$SE_WORK/initdb.log" >&2; exit 1; }
  cat >>"$data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$ROOTFS$SE_SOCK'
ssl = on
ssl_cert_file = '$SE_WORK/pgtls/server.crt'
ssl_key_file = '$SE_WORK/pgtls/server.key'
password_encryption = 'scram-sha-256'
EOF
  cat >"$data/pg_hba.conf" <<EOF
local   all  postgres                trust
local   all  app                     scram-sha-256
hostssl all  app       127.0.0.1/32  scram-sha-256
EOF
  se_pg_ctl start
  SE_PG_STARTED=1
  SE_ADMIN_DB=postgres se_admin -c "CREATE ROLE app LOGIN PASSWORD '$DB_PASSWORD'" -c "CREATE DATABASE $SE_DB OWNER app"
  # The servers' certificate is self-signed for 127.0.0.1: the app trusts it as its CA (sslrootcert=, inside
  # the rootfs), so the generated db.py's default verify-full check of the server passes, as on Neon.
  mkdir -p "$ROOTFS$SE_IN_ROOT"
  cp "$SE_WORK/server.crt" "$ROOTFS$SE_IN_ROOT/ca.crt"
  chmod 644 "$ROOTFS$SE_IN_ROOT/ca.crt"
  SE_CA="sslrootcert=$SE_IN_ROOT/ca.crt"
  DIRECT_URL="postgres://app:$DB_PASSWORD@127.0.0.1:$PG_PORT/$SE_DB?sslmode=require&channel_binding=require&$SE_CA"
  "$PG_BIN/postgres" --version
}
se_pg_ctl() { # start | restart | stop (fast: running transactions are rolled back)
  runuser -u "$SE_PG_USER" -- "$PG_BIN/pg_ctl" -D "$SE_WORK/pgdata" -l "$SE_WORK/pglog/postgres.log" -m fast -w -t 60 "$1" >/dev/null
}
se_admin() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$ROOTFS$SE_SOCK" -p "$PG_PORT" -U postgres -d "${SE_ADMIN_DB:-$SE_DB}" "$@"; }

# ---------------------------------------------------------------- PgBouncer
# Transaction mode, TLS to clients, SCRAM-SHA-256, prepared statements tracked (max_prepared_statements),
# as Neon's pooler. The same configuration is reused by se_restart_pgbouncer.
se_start_pgbouncer() {
  local dir=$SE_IN_ROOT/pgbouncer uid
  uid=$(chroot "$ROOTFS" id -u postgres 2>/dev/null || echo 65534)
  if [ ! -f "$ROOTFS$dir/pgbouncer.ini" ]; then
    se_step "PgBouncer on 127.0.0.1:$BOUNCER_PORT (transaction mode, TLS, SCRAM-SHA-256)"
    mkdir -p "$ROOTFS$dir"
    cp "$SE_WORK/server.key" "$SE_WORK/server.crt" "$ROOTFS$dir/"
    printf '"app" "%s"\n' "$DB_PASSWORD" >"$ROOTFS$dir/userlist.txt"
    cat >"$ROOTFS$dir/pgbouncer.ini" <<EOF
[databases]
$SE_DB = host=$SE_SOCK port=$PG_PORT dbname=$SE_DB
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $dir/userlist.txt
stats_users = app
pool_mode = transaction
max_prepared_statements = 1000
default_pool_size = 20
max_client_conn = 1000
client_tls_sslmode = require
client_tls_key_file = $dir/server.key
client_tls_cert_file = $dir/server.crt
logfile = $dir/pgbouncer.log
EOF
    chown -R "$uid" "$ROOTFS$dir"
    chmod 600 "$ROOTFS$dir/server.key" "$ROOTFS$dir/userlist.txt"
    # channel_binding=prefer: PgBouncer does not offer SCRAM-SHA-256-PLUS (Neon's proxy does, and its
    # URLs say require); asyncpg has no channel binding and drops the parameter, psycopg's libpq reads it.
    POOLED_URL="postgresql://app:$DB_PASSWORD@127.0.0.1:$BOUNCER_PORT/$SE_DB?sslmode=require&channel_binding=prefer&$SE_CA"
  fi
  chroot --userspec="$uid" "$ROOTFS" /usr/sbin/pgbouncer -q "$dir/pgbouncer.ini" &
  SE_BOUNCER_PID=$!
  for _ in $(seq 100); do se_port_free "$BOUNCER_PORT" || return 0; sleep 0.1; done
  se_die "PgBouncer did not start; see $ROOTFS$dir/pgbouncer.log"
}
se_stop_pgbouncer() { # SIGINT: PgBouncer's safe shutdown (running transactions finish, clients are disconnected)
  [ -n "$SE_BOUNCER_PID" ] || return 0
  kill -INT "$SE_BOUNCER_PID" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$SE_BOUNCER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$SE_BOUNCER_PID" 2>/dev/null || true
  wait "$SE_BOUNCER_PID" 2>/dev/null || true
  SE_BOUNCER_PID=
}
se_bouncer_log() { echo "$ROOTFS$SE_IN_ROOT/pgbouncer/pgbouncer.log"; }

# ---------------------------------------------------------------- the app
# se_start_app VARIANT WORKERS: the runtime CMD of the variant's Dockerfile, in its rootfs copy, with
# PORT and WEB_CONCURRENCY set and only the pooled URL (plus the VAR=value words of SE_APP_ENV, the
# runtime settings); "--host 0.0.0.0" becomes 127.0.0.1 here.
se_start_app() {
  local variant=$1 workers=$2 cmd=()
  mapfile -t cmd < <(se_runtime_cmd "$variant")
  cmd=("${cmd[@]//0.0.0.0/127.0.0.1}")
  (se_in_rootfs nobody "$SE_IN_ROOT/$variant" "PORT=$APP_PORT" "WEB_CONCURRENCY=$workers" \
    "$POOLED_ENV=$POOLED_URL" "${SE_APP_ENV[@]}" -- "${cmd[@]}") >"$SE_WORK/app-$variant-$workers.log" 2>&1 &
  SE_APP_PID=$!
  for _ in $(seq 300); do
    if ! kill -0 "$SE_APP_PID" 2>/dev/null; then
      tail -20 "$SE_WORK/app-$variant-$workers.log" >&2
      se_die "the app ($variant) exited at start"
    fi
    curl -fsS -o /dev/null "http://127.0.0.1:$APP_PORT/health" 2>/dev/null && return 0
    sleep 0.1
  done
  se_die "the app ($variant) did not answer /health"
}
se_stop_app() {
  [ -n "$SE_APP_PID" ] || return 0
  kill -TERM "$SE_APP_PID" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$SE_APP_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$SE_APP_PID" 2>/dev/null || true
  wait "$SE_APP_PID" 2>/dev/null || true
  SE_APP_PID=
  for _ in $(seq 50); do se_port_free "$APP_PORT" && break; sleep 0.1; done
}

se_migrate() { # variant: alembic upgrade head over the direct URL only
  (se_in_rootfs nobody "$SE_IN_ROOT/$1" "$DIRECT_ENV=$DIRECT_URL" -- python3 -m alembic upgrade head) \
    >"$SE_WORK/migrate.log" 2>&1 || { cat "$SE_WORK/migrate.log" >&2; exit 1; }
}
