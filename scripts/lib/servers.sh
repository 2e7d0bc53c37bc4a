# shellcheck shell=bash
# Real servers for the shell test suites: a per-run work dir with teardown, free ports, the Debian trixie
# rootfs (Python stack + PgBouncer), a self-signed TLS certificate, PostgreSQL (host binaries, TLS, SCRAM)
# and PgBouncer (from the rootfs, transaction mode, TLS to clients). Everything listens on 127.0.0.1 only.
# Used by every suite; the se_ section at the end runs a generated service for the restart, runtime and
# bench suites.
#
#   srv_init NAME             per-run work dir $SRV_WORK under ${TMPDIR:-/tmp} (mode 711, so the
#                             PostgreSQL user can reach its data dir) and an EXIT trap that runs every
#                             srv_defer'd action in reverse order, removes $SRV_WORK, then calls the
#                             suite's on_suite_exit RC (if defined) and exits with what it returns.
#                             Sets SRV_ROOT (the checkout) and SRV_RUN_ID (unique per run).
#   srv_defer CMD ARGS...     registers a teardown action (run even when the suite fails or is killed)
#   srv_teardown              runs the registered actions now (reverse order), each once
#   srv_need_root / srv_need_cmd CMD "how to get it"...
#                             stop with exit 2 and a message naming what is missing
#   srv_free_port             prints a TCP port nobody listens on (20000-32767, never one this run
#                             already handed out); servers still retry on a lost race
#   srv_port_open PORT        true when something accepts on 127.0.0.1:PORT (in $SRV_NETNS if set)
#   srv_wait_port PORT [SECONDS] [PID]
#                             waits until PORT accepts; false on timeout or when PID has exited
#   srv_net CMD ARGS...       runs CMD in the network namespace $SRV_NETNS (a /proc/PID/ns/net path)
#                             when set, else directly. Set SRV_NETNS before starting servers to run them,
#                             and everything that talks to them, in another namespace (e.g. a container's).
#   srv_rootfs                makes sure $ROOTFS (default $SRV_STATE_DIR/rootfs-trixie, outside the checkout:
#                             /var/tmp/projen-uv-service-<uid>/<checkout hash>, mode 0711) holds SRV_ROOTFS_PACKAGES:
#                             reuses it, adds what is missing with apt-get in the chroot (with a
#                             policy-rc.d answering 101 for the duration, so no postinst starts a
#                             server; removed afterwards), or builds it
#                             with debootstrap (~1-5 min, once); serialized with flock between runs.
#                             A debootstrapped rootfs is also kept as a tarball in the machine's cache
#                             ($SRV_ROOTFS_CACHE, default /var/cache/projen-uv-service, one per package list;
#                             SRV_ROOTFS_CACHE= turns it off): a fresh clone on the same machine unpacks it
#                             (seconds) instead of downloading and installing every package again
#   srv_rootfs_cmd USER DIR [VAR=value...] -- CMD...
#                             sets SRV_CMD to CMD run in the rootfs as USER in DIR with a clean
#                             environment plus the VARs (and in $SRV_NETNS); exec'd, so $! is its pid
#   srv_in_rootfs USER DIR [VAR=value...] -- CMD...   runs it now
#   srv_tls DIR               writes DIR/server.crt and DIR/server.key (self-signed, CN and SAN 127.0.0.1,
#                             SAN localhost, 1 day)
#   srv_pg_start              PostgreSQL from $PG_BIN on 127.0.0.1:$SRV_PG_PORT (picked free), TLS on,
#                             password_encryption scram-sha-256, log_connections; its Unix socket in
#                             the rootfs at $SRV_PG_SOCK (host path $ROOTFS$SRV_PG_SOCK) so PgBouncer in
#                             the chroot reaches it. Log: $SRV_PG_LOG. Extra lines: SRV_PG_CONF_EXTRA
#                             (postgresql.conf), SRV_PG_HBA (replaces the pg_hba.conf below). Stopped
#                             by the teardown.
#   srv_pg_admin [psql args]  psql as the superuser over the socket (-X -q, ON_ERROR_STOP)
#   srv_pg_add_db DB ROLE PASSWORD
#                             creates ROLE (LOGIN, CREATEDB, SCRAM: as Neon's roles, so a test suite can
#                             make a database of its own) and DB owned by it; PgBouncer serves it
#   srv_pg_log_count REGEX    how many lines of the PostgreSQL log match the extended REGEX
#   srv_bouncer_conf HOST_DIR DIR PORT PG_SOCK PG_PORT
#                             the one PgBouncer configuration (pgbouncer.ini, userlist.txt) of every
#                             suite: SRV_DBS databases, SRV_ROLES roles, SCRAM, transaction mode, client
#                             TLS; its tunables are described at the function
#   srv_bouncer_start         PgBouncer from the rootfs on 127.0.0.1:$SRV_BOUNCER_PORT (picked free), with
#                             srv_bouncer_conf's configuration: every srv_pg_add_db database, auth
#                             scram-sha-256, pool_mode transaction, max_prepared_statements 100, client TLS
#                             required (certificate $SRV_BOUNCER_CERT inside the rootfs), log
#                             $SRV_BOUNCER_LOG (host path), stats every second; extra [pgbouncer] lines:
#                             SRV_BOUNCER_EXTRA; SRV_BOUNCER_ANY_DB=1 also serves any other database name
#                             (`* =`, as Neon's pooler and the compose PgBouncer do: the generated tests'
#                             own database). $SRV_BOUNCER_PID is its pid; stopped by the teardown.
#   srv_bouncer_admin ROLE PASSWORD SQL
#                             runs SQL on PgBouncer's admin console over TLS (space-separated, unaligned)
#   srv_bouncer_xacts DB ROLE PASSWORD
#                             total transactions PgBouncer served for DB (waits for the stats refresh)
#   srv_url SCHEME ROLE PASSWORD PORT DB [QUERY]
#                             a URL on 127.0.0.1; QUERY defaults to Neon's sslmode=require&channel_binding=require
#                             (PgBouncer offers no SCRAM channel binding: libpq-based drivers need
#                             QUERY=sslmode=require to reach it)
#   srv_tarball               sets TARBALL to the packed library: $TARBALL if set (scripts/test packs it),
#                             else compiles and packs this checkout into $SRV_WORK
#   srv_new_service DIR NAME [projen new args...]
#                             `projen new --from $TARBALL uv-python-service --name NAME --no-git` in DIR, as a
#                             user runs it (output in DIR.log, shown on failure)
#   srv_projen_new DIR TYPE NAME [projen new args...]
#                             the same for any project type of the library (uv-workspace...). With
#                             SRV_PROJEN_CACHE set (scripts/test: one per run), a project is made once per
#                             tarball, type, name and arguments, by the first suite that asks (the others wait
#                             on its lock), and copied into DIR for each: `projen new` installs the projen
#                             toolchain with npm (~12 CPU-seconds), a copy takes a fraction of a second
#   srv_resynth DIR           `npx projen` in DIR (after an edit of its .projenrc.ts)
#   se_*                      a generated service run in the rootfs with its own PostgreSQL and PgBouncer
#                             (the restart, runtime and bench suites): see the section at the end
#
# Variables read: SRV_STATE_DIR, ROOTFS, PG_BIN (default: the directory of initdb on PATH, else /usr/lib/postgresql/15/bin),
# SRV_ROOTFS_PACKAGES (comma-separated Debian packages; default below), SRV_NETNS.

SRV_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The suites' state outside the checkout, which may sit below a directory the unprivileged PostgreSQL user
# cannot enter (a home directory, a bare mktemp -d): one directory per user and checkout under /var/tmp,
# made mode 0711 (srv_state_dir), so PostgreSQL reaches its socket in the rootfs below it.
SRV_STATE_DIR=${SRV_STATE_DIR:-/var/tmp/projen-uv-service-$(id -u)/$(printf '%s' "$SRV_ROOT" | sha256sum | cut -c1-12)}
ROOTFS=${ROOTFS:-$SRV_STATE_DIR/rootfs-trixie}
SRV_ROOTFS_PACKAGES=${SRV_ROOTFS_PACKAGES:-python3,python3-sqlalchemy,python3-sqlmodel,python3-asyncpg,python3-psycopg,python3-alembic,python3-fastapi,python3-uvicorn,python3-httpx,python3-pytest,python3-hypothesis,python3-mypy,python3-pydantic-settings,python3-uvloop,pgbouncer,postgresql,docker-compose,openssl,ca-certificates}
# python3-uvloop: uvicorn's event loop, as uvicorn[standard] installs it in the image. Not python3-httptools:
# trixie's is 0.1.1, below uvicorn[standard]'s httptools>=0.5.0 (the uv stand-in refuses the environment), so
# uvicorn parses HTTP with h11 here, the generated service and the benchmark's peer alike.
# Python modules the default package list provides, checked when the rootfs is reused.
SRV_ROOTFS_MODULES=${SRV_ROOTFS_MODULES:-sqlalchemy sqlmodel asyncpg psycopg alembic fastapi uvicorn httpx pytest hypothesis mypy pydantic_settings}
PG_BIN=${PG_BIN:-$(dirname "$(readlink -f "$(command -v initdb || echo /usr/lib/postgresql/15/bin/initdb)")")}
SRV_NETNS=${SRV_NETNS:-}
SRV_ROOTFS_CACHE=${SRV_ROOTFS_CACHE-/var/cache/projen-uv-service}
SRV_WORK=
SRV_RUN_ID=
SRV_DEFERRED=()
SRV_PORTS=()
SRV_DBS=()   # "db role"
SRV_ROLES=() # "role password"
SRV_PG_USER=
SRV_PG_PORT=
SRV_PG_DATA=
SRV_PG_LOG=
SRV_PG_SOCK=
SRV_BOUNCER_PORT=
SRV_BOUNCER_PID=
SRV_BOUNCER_DIR=
SRV_BOUNCER_LOG=
SRV_BOUNCER_UID=
# shellcheck disable=SC2034 # read by the suites
SRV_BOUNCER_CERT=
SRV_CMD=()

srv_init() {
  SRV_RUN_ID="uvsvc-$1-$$"
  SRV_WORK=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  chmod 711 "$SRV_WORK"
  trap _srv_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

srv_defer() {
  local quoted
  printf -v quoted '%q ' "$@"
  SRV_DEFERRED+=("$quoted")
}

srv_teardown() {
  local i
  for ((i = ${#SRV_DEFERRED[@]} - 1; i >= 0; i--)); do
    local action=${SRV_DEFERRED[i]}
    unset 'SRV_DEFERRED[i]'
    eval "$action" || true
  done
  SRV_DEFERRED=()
}

_srv_exit() {
  local rc=$?
  set +e
  trap - INT TERM
  srv_teardown
  [ -n "$SRV_WORK" ] && rm -rf "$SRV_WORK"
  if declare -F on_suite_exit >/dev/null; then
    on_suite_exit "$rc"
    rc=$?
  fi
  exit "$rc"
}

srv_need_root() {
  [ "$(id -u)" = 0 ] || { echo "${SRV_RUN_ID:-suite}: needs root ($*)" >&2; exit 2; }
}

srv_need_cmd() { # srv_need_cmd CMD HOW [CMD HOW]...
  while [ $# -ge 2 ]; do
    command -v "$1" >/dev/null || { echo "${SRV_RUN_ID:-suite}: $1 is required: $2" >&2; exit 2; }
    shift 2
  done
}

srv_net() {
  if [ -n "$SRV_NETNS" ]; then nsenter --net="$SRV_NETNS" -- "$@"; else "$@"; fi
}

# shellcheck disable=SC2016 # $1 of the inner bash
srv_port_open() { srv_net bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null; }

srv_free_port() {
  local p taken _
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 12768))
    taken=0
    for q in "${SRV_PORTS[@]}"; do [ "$q" = "$p" ] && taken=1; done
    [ "$taken" = 0 ] || continue
    if command -v ss >/dev/null && [ -n "$(ss -Htan "sport = :$p" 2>/dev/null)" ]; then continue; fi
    srv_port_open "$p" && continue
    SRV_PORTS+=("$p")
    echo "$p"
    return 0
  done
  echo "no free port found" >&2
  return 1
}

srv_wait_port() {
  local port=$1 seconds=${2:-20} pid=${3:-} i
  for ((i = 0; i < seconds * 10; i++)); do
    srv_port_open "$port" && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.1
  done
  return 1
}

# ---------------------------------------------------------------- rootfs

_srv_rootfs_ok() {
  [ -x "$ROOTFS/usr/bin/python3" ] || return 1
  local p missing=()
  IFS=, read -ra pkgs <<<"$SRV_ROOTFS_PACKAGES"
  for p in "${pkgs[@]}"; do
    # shellcheck disable=SC2016 # a dpkg-query format
    chroot "$ROOTFS" dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  SRV_ROOTFS_MISSING=("${missing[@]}")
  [ "${#missing[@]}" -eq 0 ]
}

# Makes $SRV_STATE_DIR and its parent (mode 0711: searchable, not listable, by the suites' users).
srv_state_dir() {
  mkdir -p "$SRV_STATE_DIR"
  chmod 711 "$(dirname "$SRV_STATE_DIR")" "$SRV_STATE_DIR"
}

srv_rootfs() {
  srv_need_root "chroot into the rootfs"
  [ "$ROOTFS" != "$SRV_STATE_DIR/rootfs-trixie" ] || srv_state_dir
  mkdir -p "$(dirname "$ROOTFS")"
  local lock=$ROOTFS.lock t
  exec {SRV_ROOTFS_LOCK}>"$lock"
  flock "$SRV_ROOTFS_LOCK"
  if _srv_rootfs_ok; then
    echo "rootfs: reusing $ROOTFS"
  elif [ -x "$ROOTFS/usr/bin/python3" ]; then
    echo "rootfs: adding ${SRV_ROOTFS_MISSING[*]} to $ROOTFS (apt-get in the chroot)"
    t=$(date +%s)
    # No postinst may start a server (postgresql is in the list): invoke-rc.d asks policy-rc.d, and
    # exit 101 means "action forbidden". The guard is the run's own and is removed afterwards.
    local guard=$ROOTFS/usr/sbin/policy-rc.d had_guard=0 rc=0
    if [ -e "$guard" ]; then had_guard=1; else printf '#!/bin/sh\nexit 101\n' >"$guard" && chmod 755 "$guard"; fi
    { chroot "$ROOTFS" apt-get update -qq &&
      chroot "$ROOTFS" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${SRV_ROOTFS_MISSING[@]}" &&
      chroot "$ROOTFS" apt-get clean && rm -rf "$ROOTFS"/var/lib/apt/lists/*; } >"$SRV_WORK/rootfs-apt.log" 2>&1 || rc=$?
    [ "$had_guard" = 1 ] || rm -f "$guard"
    [ "$rc" = 0 ] || { tail -20 "$SRV_WORK/rootfs-apt.log" >&2; flock -u "$SRV_ROOTFS_LOCK"; return 2; }
    echo "rootfs: packages added in $(($(date +%s) - t))s"
  else
    [ ! -e "$ROOTFS" ] || { echo "rootfs: $ROOTFS exists but is not a rootfs; remove it or set ROOTFS" >&2; flock -u "$SRV_ROOTFS_LOCK"; return 2; }
    t=$(date +%s)
    local partial=$ROOTFS.partial-$$ cached=
    # The machine's copy of a rootfs debootstrapped with this package list (a tarball made below).
    [ -z "$SRV_ROOTFS_CACHE" ] || cached=$SRV_ROOTFS_CACHE/rootfs-trixie-$(printf '%s' "$SRV_ROOTFS_PACKAGES" | sha256sum | cut -c1-16).tar
    if [ -n "$cached" ] && [ -f "$cached" ] && mkdir -p "$partial" && tar -C "$partial" -xpf "$cached" 2>"$SRV_WORK/rootfs-cache.log"; then
      mv "$partial" "$ROOTFS"
      echo "rootfs: unpacked $cached in $(($(date +%s) - t))s (the machine's copy of an earlier debootstrap)"
    else
      rm -rf "$partial"
      srv_need_cmd debootstrap "apt-get install debootstrap (scripts/system-deps.sh installs it)"
      echo "rootfs: building $ROOTFS with debootstrap (once; later runs reuse it)"
      debootstrap --variant=minbase --include="$SRV_ROOTFS_PACKAGES" trixie "$partial" >"$SRV_WORK/debootstrap.log" 2>&1 ||
        { tail -20 "$SRV_WORK/debootstrap.log" >&2; rm -rf "$partial"; flock -u "$SRV_ROOTFS_LOCK"; return 2; }
      chroot "$partial" apt-get clean
      rm -rf "$partial"/var/lib/apt/lists/*
      if [ -n "$cached" ] && mkdir -p "$SRV_ROOTFS_CACHE" && tar -C "$partial" -cpf "$cached.partial-$$" . 2>/dev/null; then
        mv "$cached.partial-$$" "$cached"
      else
        [ -z "$cached" ] || rm -f "$cached.partial-$$"
      fi
      mv "$partial" "$ROOTFS"
      echo "rootfs: debootstrap took $(($(date +%s) - t))s${cached:+ (kept in $cached for later clones)}"
    fi
  fi
  flock -u "$SRV_ROOTFS_LOCK"
  # shellcheck disable=SC2086 # a list of module names
  chroot "$ROOTFS" python3 -c "import sys, importlib; [importlib.import_module(m) for m in sys.argv[1:]]" $SRV_ROOTFS_MODULES ||
    { echo "rootfs: $ROOTFS lacks a Python module of: $SRV_ROOTFS_MODULES" >&2; return 2; }
}

srv_rootfs_cmd() {
  local user=$1 dir=$2
  shift 2
  local env=(PATH=/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1)
  while [ "$1" != "--" ]; do env+=("$1"); shift; done
  shift
  SRV_CMD=(chroot --userspec="$user" "$ROOTFS" /usr/bin/env -i "${env[@]}" /usr/bin/env -C "$dir" "$@")
  if [ -n "$SRV_NETNS" ]; then SRV_CMD=(nsenter --net="$SRV_NETNS" -- "${SRV_CMD[@]}"); fi
}

srv_in_rootfs() { srv_rootfs_cmd "$@"; "${SRV_CMD[@]}"; }

# ---------------------------------------------------------------- TLS

srv_tls() {
  mkdir -p "$1"
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$1/server.key" -out "$1/server.crt" 2>/dev/null
  chmod 600 "$1/server.key"
}

# ---------------------------------------------------------------- PostgreSQL

srv_pg_start() {
  srv_need_root "PostgreSQL runs as an unprivileged user started with runuser"
  local bin
  for bin in initdb pg_ctl postgres psql; do
    [ -x "$PG_BIN/$bin" ] || { echo "$SRV_RUN_ID: PostgreSQL's $bin not found in PG_BIN=$PG_BIN (apt-get install postgresql)" >&2; return 2; }
  done
  if id postgres >/dev/null 2>&1; then
    SRV_PG_USER=postgres
  else
    useradd --system --no-create-home --shell /usr/sbin/nologin uvsvc-itest-pg 2>/dev/null || true
    SRV_PG_USER=uvsvc-itest-pg
  fi
  runuser -u "$SRV_PG_USER" -- test -x "$SRV_WORK" ||
    { echo "$SRV_RUN_ID: $SRV_PG_USER cannot reach $SRV_WORK: make its parent directories searchable (chmod o+x)" >&2; return 2; }
  SRV_PG_DATA=$SRV_WORK/pgdata
  SRV_PG_LOG=$SRV_WORK/pglog/postgres.log
  SRV_PG_SOCK=/run/$SRV_RUN_ID
  mkdir -p "$SRV_PG_DATA" "$SRV_WORK/pglog" "$ROOTFS$SRV_PG_SOCK"
  srv_defer rm -rf "$ROOTFS$SRV_PG_SOCK"
  srv_tls "$SRV_WORK/pgtls"
  chmod 700 "$SRV_PG_DATA" "$SRV_WORK/pgtls"
  chmod 755 "$ROOTFS$SRV_PG_SOCK"
  chown -R "$SRV_PG_USER" "$SRV_PG_DATA" "$SRV_WORK/pgtls" "$SRV_WORK/pglog" "$ROOTFS$SRV_PG_SOCK"
  runuser -u "$SRV_PG_USER" -- "$PG_BIN/initdb" -D "$SRV_PG_DATA" -U postgres --auth-local=trust --auth-host=reject \
    >"$SRV_WORK/initdb.log" 2>&1 || { cat "$SRV_WORK/initdb.log" >&2; return 1; }
  cat >>"$SRV_PG_DATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$ROOTFS$SRV_PG_SOCK'
ssl = on
ssl_cert_file = '$SRV_WORK/pgtls/server.crt'
ssl_key_file = '$SRV_WORK/pgtls/server.key'
password_encryption = 'scram-sha-256'
max_connections = 200
log_connections = on
log_line_prefix = '%m [%p] host=%r db=%d user=%u '
${SRV_PG_CONF_EXTRA:-}
EOF
  printf '%s\n' "${SRV_PG_HBA:-# the superuser over the socket; every other role: SCRAM over the socket (PgBouncer) or TLS on 127.0.0.1
local   all  postgres                trust
local   all  all                     scram-sha-256
hostssl all  all       127.0.0.1/32  scram-sha-256}" >"$SRV_PG_DATA/pg_hba.conf"
  local attempt
  for attempt in 1 2 3; do
    SRV_PG_PORT=$(srv_free_port)
    sed -i '/^port = /d' "$SRV_PG_DATA/postgresql.conf"
    echo "port = $SRV_PG_PORT" >>"$SRV_PG_DATA/postgresql.conf"
    if srv_net runuser -u "$SRV_PG_USER" -- "$PG_BIN/pg_ctl" -D "$SRV_PG_DATA" -l "$SRV_PG_LOG" -w -t 60 start >/dev/null; then
      srv_defer runuser -u "$SRV_PG_USER" -- "$PG_BIN/pg_ctl" -D "$SRV_PG_DATA" -m fast -w stop
      return 0
    fi
    echo "PostgreSQL did not start on port $SRV_PG_PORT (attempt $attempt):" >&2
    tail -5 "$SRV_PG_LOG" >&2
  done
  return 1
}

srv_pg_admin() {
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$ROOTFS$SRV_PG_SOCK" -p "$SRV_PG_PORT" -U postgres -d postgres "$@"
}

srv_pg_add_db() {
  local db=$1 role=$2 password=$3 known=0 entry
  for entry in "${SRV_ROLES[@]}"; do [ "${entry%% *}" = "$role" ] && known=1; done
  if [ "$known" = 0 ]; then
    srv_pg_admin -c "CREATE ROLE \"$role\" LOGIN CREATEDB PASSWORD '$password'"
    SRV_ROLES+=("$role $password")
  fi
  srv_pg_admin -c "CREATE DATABASE \"$db\" OWNER \"$role\""
  SRV_DBS+=("$db $role")
}

srv_pg_log_count() { grep -Ec -- "$1" "$SRV_PG_LOG" || true; }

# ---------------------------------------------------------------- PgBouncer

# The one PgBouncer configuration of the suites: srv_bouncer_conf HOST_DIR DIR PORT PG_SOCK PG_PORT writes
# HOST_DIR/userlist.txt (every SRV_ROLES role) and HOST_DIR/pgbouncer.ini (every SRV_DBS database on the
# PostgreSQL socket PG_SOCK, port PG_PORT; `* =` too with SRV_BOUNCER_ANY_DB=1) for a PgBouncer in the
# rootfs that sees HOST_DIR as DIR and listens on 127.0.0.1:PORT: auth scram-sha-256, pool_mode
# transaction, client TLS required (DIR/server.key and DIR/server.crt: the caller puts them in HOST_DIR),
# log DIR/pgbouncer.log, the roles as stats_users. Tunables: SRV_BOUNCER_POOL_SIZE (default_pool_size,
# 10), SRV_BOUNCER_MAX_PREPARED (max_prepared_statements, 100), SRV_BOUNCER_MAX_CLIENTS (max_client_conn,
# 500), SRV_BOUNCER_STATS_PERIOD (1 s); extra [pgbouncer] lines: SRV_BOUNCER_EXTRA. HOST_DIR is given to
# PgBouncer's user, uid $SRV_BOUNCER_UID (set here: the rootfs' postgres, else nobody).
srv_bouncer_conf() {
  local host_dir=$1 dir=$2 port=$3 sock=$4 pg_port=$5 entry stats_users=
  SRV_BOUNCER_UID=$(chroot "$ROOTFS" id -u postgres 2>/dev/null || echo 65534)
  : >"$host_dir/userlist.txt"
  for entry in "${SRV_ROLES[@]}"; do
    printf '"%s" "%s"\n' "${entry%% *}" "${entry#* }" >>"$host_dir/userlist.txt"
    stats_users+="${stats_users:+,}${entry%% *}"
  done
  {
    echo "[databases]"
    for entry in "${SRV_DBS[@]}"; do
      echo "${entry%% *} = host=$sock port=$pg_port dbname=${entry%% *}"
    done
    [ "${SRV_BOUNCER_ANY_DB:-0}" != 1 ] || echo "* = host=$sock port=$pg_port"
    cat <<EOF
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $dir/userlist.txt
stats_users = $stats_users
pool_mode = transaction
max_prepared_statements = ${SRV_BOUNCER_MAX_PREPARED:-100}
default_pool_size = ${SRV_BOUNCER_POOL_SIZE:-10}
max_client_conn = ${SRV_BOUNCER_MAX_CLIENTS:-500}
client_tls_sslmode = require
client_tls_key_file = $dir/server.key
client_tls_cert_file = $dir/server.crt
logfile = $dir/pgbouncer.log
stats_period = ${SRV_BOUNCER_STATS_PERIOD:-1}
${SRV_BOUNCER_EXTRA:-}
EOF
  } >"$host_dir/pgbouncer.ini"
  chown -R "$SRV_BOUNCER_UID" "$host_dir"
  chmod 600 "$host_dir/server.key" "$host_dir/userlist.txt"
}

srv_bouncer_start() {
  SRV_BOUNCER_DIR=/srv/$SRV_RUN_ID/pgbouncer
  local host_dir=$ROOTFS$SRV_BOUNCER_DIR
  mkdir -p "$host_dir"
  srv_defer rm -rf "$ROOTFS/srv/$SRV_RUN_ID"
  srv_tls "$host_dir"
  # shellcheck disable=SC2034 # read by the suites
  SRV_BOUNCER_CERT=$SRV_BOUNCER_DIR/server.crt
  SRV_BOUNCER_LOG=$host_dir/pgbouncer.log
  local attempt
  for attempt in 1 2 3; do
    SRV_BOUNCER_PORT=$(srv_free_port)
    srv_bouncer_conf "$host_dir" "$SRV_BOUNCER_DIR" "$SRV_BOUNCER_PORT" "$SRV_PG_SOCK" "$SRV_PG_PORT"
    if [ -n "$SRV_NETNS" ]; then
      nsenter --net="$SRV_NETNS" -- chroot --userspec="$SRV_BOUNCER_UID" "$ROOTFS" /usr/sbin/pgbouncer -q "$SRV_BOUNCER_DIR/pgbouncer.ini" &
    else
      chroot --userspec="$SRV_BOUNCER_UID" "$ROOTFS" /usr/sbin/pgbouncer -q "$SRV_BOUNCER_DIR/pgbouncer.ini" &
    fi
    SRV_BOUNCER_PID=$!
    if srv_wait_port "$SRV_BOUNCER_PORT" 10 "$SRV_BOUNCER_PID"; then
      srv_defer _srv_stop_pid "$SRV_BOUNCER_PID"
      return 0
    fi
    _srv_stop_pid "$SRV_BOUNCER_PID"
    echo "PgBouncer did not start on port $SRV_BOUNCER_PORT (attempt $attempt):" >&2
    tail -5 "$SRV_BOUNCER_LOG" >&2
  done
  return 1
}

# Stops a process started by this run, by its pid: TERM, then KILL after 10 s.
_srv_stop_pid() {
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}

srv_bouncer_admin() {
  PGPASSWORD=$2 PGSSLMODE=require srv_net "$PG_BIN/psql" -X -A -F ' ' -h 127.0.0.1 -p "$SRV_BOUNCER_PORT" -U "$1" pgbouncer -c "$3"
}

srv_bouncer_xacts() {
  sleep 1.2
  srv_bouncer_admin "$2" "$3" 'SHOW STATS' | awk -v db="$1" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == "total_xact_count") col = i }
    $1 == db { n = $col }
    END { if (col) print n + 0 }'
}

srv_url() {
  echo "$1://$2:$3@127.0.0.1:$4/$5?${6:-sslmode=require&channel_binding=require}"
}

# ---------------------------------------------------------------- the service under test

srv_tarball() {
  if [ -n "${TARBALL:-}" ]; then
    [ -f "$TARBALL" ] || { echo "$SRV_RUN_ID: TARBALL=$TARBALL does not exist" >&2; return 2; }
    return 0
  fi
  (cd "$SRV_ROOT" && npx projen compile) >"$SRV_WORK/compile.log" 2>&1 || { tail -30 "$SRV_WORK/compile.log" >&2; return 1; }
  mkdir -p "$SRV_WORK/pack"
  (cd "$SRV_ROOT" && npm pack --pack-destination "$SRV_WORK/pack" --silent) >/dev/null
  TARBALL=$(ls "$SRV_WORK"/pack/*.tgz)
}

srv_new_service() {
  local dir=$1 name=$2
  shift 2
  srv_projen_new "$dir" uv-python-service "$name" "$@"
}

srv_projen_new() {
  local dir=$1 type=$2 name=$3 key cached
  shift 3
  if [ -z "${SRV_PROJEN_CACHE:-}" ]; then
    _srv_projen_new "$dir" "$type" "$name" "$@"
    return
  fi
  key=$( (sha256sum <"$TARBALL" && printf '%s\n' "$type" "$name" "$@") | sha256sum | cut -c1-16)
  cached=$SRV_PROJEN_CACHE/$key/$name
  mkdir -p "$SRV_PROJEN_CACHE"
  (
    flock 9
    [ -f "$SRV_PROJEN_CACHE/$key.done" ] && exit 0
    rm -rf "$cached"
    _srv_projen_new "$cached" "$type" "$name" "$@" && touch "$SRV_PROJEN_CACHE/$key.done"
  ) 9>"$SRV_PROJEN_CACHE/$key.lock" || return 1
  mkdir -p "$dir"
  cp -a "$cached/." "$dir/"
  echo "copied from $cached (made once per run from the same tarball and arguments)" >"$dir.log"
}

_srv_projen_new() {
  local dir=$1 type=$2 name=$3
  shift 3
  mkdir -p "$dir"
  (cd "$dir" && CI=true "$SRV_ROOT/node_modules/.bin/projen" new --from "$TARBALL" "$type" \
    --name "$name" --no-git "$@") >"$dir.log" 2>&1 || { tail -30 "$dir.log" >&2; return 1; }
}

srv_resynth() {
  (cd "$1" && CI=true npx projen) >>"$1.log" 2>&1 || { tail -30 "$1.log" >&2; return 1; }
}

# ================================================================ a generated service in the rootfs (se_)
# The environment scripts/bench/bench-service.sh, scripts/suites/integration-restart.sh and scripts/suites/integration-runtime.sh
# run a generated service in (functions and variables prefixed se_ / SE_), on the servers above:
#
#  - a Debian trixie rootfs (debootstrap) with Python, SQLAlchemy, SQLModel, asyncpg (psycopg when the
#    rootfs has it), FastAPI, uvicorn and PgBouncer: srv_rootfs's;
#  - a service created from the packed library (`projen new --from <tarball>`; TARBALL reuses a tarball;
#    with SRV_PROJEN_CACHE, srv_projen_new makes it once per run and copies it),
#    synthesized once per database configuration with the real library (`npx projen`);
#  - PostgreSQL (host binaries, TLS, SCRAM) and PgBouncer from the rootfs in transaction mode, with TLS to
#    clients and SCRAM-SHA-256 authentication, as Neon's pooler is configured;
#  - the app, started with the runtime image's own CMD (read from the generated Dockerfile), with
#    WEB_CONCURRENCY and PORT in its environment.
#
# Every server listens on 127.0.0.1 only, on ports picked free at run time. se_cleanup (the caller's EXIT
# trap) stops what was started and removes what was created.

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
    (cd "$SRV_ROOT" && npx projen compile >"$SE_WORK/compile.log" 2>&1) || { tail -30 "$SE_WORK/compile.log" >&2; exit 1; }
    mkdir -p "$SE_WORK/pack"
    (cd "$SRV_ROOT" && npm pack --pack-destination "$SE_WORK/pack" --silent >/dev/null)
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
  srv_tls "$SE_WORK"
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
# srv_bouncer_conf's configuration (transaction mode, TLS to clients, SCRAM-SHA-256, prepared statements
# tracked, as Neon's pooler) with the pool of a benchmark: 20 server connections, 1000 clients, 1000 prepared
# statements. A restart (se_stop_pgbouncer, then se_start_pgbouncer) reuses the configuration.
se_start_pgbouncer() {
  local dir=$SE_IN_ROOT/pgbouncer uid
  uid=$(chroot "$ROOTFS" id -u postgres 2>/dev/null || echo 65534)
  if [ ! -f "$ROOTFS$dir/pgbouncer.ini" ]; then
    se_step "PgBouncer on 127.0.0.1:$BOUNCER_PORT (transaction mode, TLS, SCRAM-SHA-256)"
    mkdir -p "$ROOTFS$dir"
    cp "$SE_WORK/server.key" "$SE_WORK/server.crt" "$ROOTFS$dir/"
    SRV_DBS=("$SE_DB app")
    SRV_ROLES=("app $DB_PASSWORD")
    SRV_BOUNCER_POOL_SIZE=20 SRV_BOUNCER_MAX_PREPARED=1000 SRV_BOUNCER_MAX_CLIENTS=1000 SRV_BOUNCER_STATS_PERIOD=60 \
      srv_bouncer_conf "$ROOTFS$dir" "$dir" "$BOUNCER_PORT" "$SE_SOCK" "$PG_PORT"
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
