# shellcheck shell=bash
# A private Docker daemon (Debian's docker.io, with its built-in BuildKit) for the shell suites, and local
# stand-ins for the images the generated Dockerfile names (nothing can be pulled here). Source servers.sh
# first: the daemon lives in $SRV_WORK and is stopped by its teardown.
#
#   docker_start              starts /usr/sbin/dockerd with its own --data-root, --exec-root, --pidfile and
#                             --host unix://… under $SRV_WORK/d, and with every network change off
#                             (--bridge=none --iptables=false --ip6tables=false --ip-forward=false
#                             --ip-masq=false): started with defaults it rewrites the host's network
#                             settings. Exports DOCKER_HOST, DOCKER_CONFIG (in $SRV_WORK) and
#                             DOCKER_BUILDKIT=1; registers docker_stop with srv_defer.
#                             DOCKERD_NETNS=/run/netns/NAME runs the daemon (and so its containers, the
#                             networks compose creates and the ports it publishes) inside that network
#                             namespace: bridges and veths are made there, never on the host, and vanish
#                             with it (scripts/suites/getting-started.sh). DOCKER_SOCKET=PATH puts its socket there
#                             (e.g. inside the rootfs, for a client run in it); default $SRV_WORK/d/docker.sock.
#   dk ARGS...                /usr/bin/docker (Debian's client) against that daemon
#   docker_stop               removes every container of the daemon, stops dockerd by its pid (and its
#                             containerd and shims, found by pid, if they outlive it), unmounts and removes
#                             its state, and removes what dockerd creates outside it (/etc/docker/key.json,
#                             empty /run/docker, /run/containerd, /run/runc dirs) when they were not there
#                             before it started
#   docker_host_state         prints the host network settings the daemon must leave alone (addresses,
#                             routes, ip_forward, iptables rules), for a before/after comparison
#   docker_standin_rootfs ROOTFS
#                             `docker import` of ROOTFS as uvsvc-standin/rootfs (what a container image
#                             does not hold left out)
#   docker_standin_python ROOTFS TAG...
#                             docker_standin_rootfs, then standin/python.Dockerfile on it, tagged as every
#                             TAG (e.g. python:3.13-slim)
#   docker_standin_database POSTGRES_TAG PGBOUNCER_TAG
#                             on uvsvc-standin/rootfs: standin/postgres.Dockerfile (PostgreSQL 17, an
#                             entrypoint doing what compose.yaml asks of the official image) and
#                             standin/pgbouncer.Dockerfile (PgBouncer and pg_isready, edoburu/pgbouncer's
#                             environment), tagged with the names compose.yaml uses
#   docker_standin_uv VERSION builds ghcr.io/astral-sh/uv:VERSION: only /uv (standin/uv.py) and /uvx
#   docker_offline_dockerfile SRC DEST
#                             copies a Dockerfile without its `# syntax=` line (that frontend image cannot
#                             be pulled offline; the daemon's built-in Dockerfile frontend builds it)
#   docker_build LOG ARGS...  docker build --network=none --progress=plain ARGS, output in LOG
#   docker_image_size IMAGE   its size in bytes

DOCKERD=${DOCKERD:-/usr/sbin/dockerd}
DOCKER_CLI=${DOCKER_CLI:-/usr/bin/docker}
DOCKER_DIR=
DOCKERD_PID=
DOCKER_LOG=
_DOCKER_CREATED=() # paths outside $DOCKER_DIR that did not exist before dockerd started
_DOCKER_STOPPED=0

dk() { "$DOCKER_CLI" "$@"; }

docker_host_state() {
  ip -br addr 2>/dev/null | sort
  ip route 2>/dev/null
  ip -6 route 2>/dev/null
  echo "ip_forward=$(cat /proc/sys/net/ipv4/ip_forward)"
  if command -v iptables >/dev/null; then iptables -S 2>/dev/null; iptables -t nat -S 2>/dev/null; fi
}

docker_start() {
  if [ ! -x "$DOCKERD" ] || [ ! -x "$DOCKER_CLI" ]; then
    echo "$SRV_RUN_ID: Debian's docker.io is required ($DOCKERD, $DOCKER_CLI): apt-get install docker.io" >&2
    return 2
  fi
  DOCKER_DIR=$SRV_WORK/d
  mkdir -p "$DOCKER_DIR/config"
  local p
  for p in /etc/docker/key.json /etc/docker /run/docker/netns /run/docker/plugins /run/docker /run/containerd/s /run/containerd /run/runc; do
    [ -e "$p" ] || _DOCKER_CREATED+=("$p")
  done
  export DOCKER_HOST="unix://${DOCKER_SOCKET:-$DOCKER_DIR/docker.sock}"
  export DOCKER_CONFIG=$DOCKER_DIR/config
  export DOCKER_BUILDKIT=1
  DOCKER_LOG=$DOCKER_DIR/dockerd.log
  local in_netns=()
  [ -z "${DOCKERD_NETNS:-}" ] || in_netns=(nsenter --net="$DOCKERD_NETNS" --)
  # nsenter execs dockerd: $! is the daemon's pid either way.
  "${in_netns[@]}" "$DOCKERD" --data-root "$DOCKER_DIR/data" --exec-root "$DOCKER_DIR/exec" --pidfile "$DOCKER_DIR/dockerd.pid" \
    --host "$DOCKER_HOST" --bridge=none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
    >"$DOCKER_LOG" 2>&1 &
  DOCKERD_PID=$!
  _DOCKER_STOPPED=0
  srv_defer docker_stop
  local i
  for ((i = 0; i < 300; i++)); do
    dk version >/dev/null 2>&1 && return 0
    kill -0 "$DOCKERD_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "$SRV_RUN_ID: dockerd did not start:" >&2
  tail -20 "$DOCKER_LOG" >&2
  return 1
}

# Pids whose command line names this daemon's exec-root (its containerd and the containerd shims). The
# pattern's "[e]" keeps grep from matching its own command line.
_docker_orphans() {
  local f pid pattern
  # shellcheck disable=SC2001 # one sed for every special character
  pattern="$(sed 's/[][\.*^$]/\\&/g' <<<"$DOCKER_DIR")/[e]xec/"
  while read -r f; do
    pid=${f#/proc/}
    pid=${pid%/cmdline}
    [ "$pid" = "$DOCKERD_PID" ] || echo "$pid"
  done < <(grep -ls -- "$pattern" /proc/[0-9]*/cmdline)
  return 0
}

docker_stop() {
  [ -n "$DOCKERD_PID" ] && [ "$_DOCKER_STOPPED" = 0 ] || return 0
  _DOCKER_STOPPED=1
  local ids pid i
  ids=$(dk ps -aq 2>/dev/null)
  # shellcheck disable=SC2086 # container ids
  [ -n "$ids" ] && dk rm -f $ids >/dev/null 2>&1
  kill "$DOCKERD_PID" 2>/dev/null
  for ((i = 0; i < 300; i++)); do
    kill -0 "$DOCKERD_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$DOCKERD_PID" 2>/dev/null && kill -KILL "$DOCKERD_PID" 2>/dev/null
  wait "$DOCKERD_PID" 2>/dev/null
  for pid in $(_docker_orphans); do kill -KILL "$pid" 2>/dev/null; done
  local mnt
  while read -r mnt; do
    umount "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null
  done < <(findmnt -rn -o TARGET | grep -F -- "$DOCKER_DIR/" | sort -r)
  rm -rf "$DOCKER_DIR"
  for p in "${_DOCKER_CREATED[@]}"; do
    if [ -d "$p" ]; then rmdir "$p" 2>/dev/null; else rm -f "$p"; fi
  done
  return 0
}

docker_standin_rootfs() {
  # What a (slim) container image does not hold: kernel filesystems, apt's downloads, documentation, the
  # suites' own files.
  tar -C "$1" --numeric-owner --exclude=./proc/'*' --exclude=./sys/'*' --exclude=./dev/'*' \
    --exclude=./run/'*' --exclude=./srv/'*' --exclude=./tmp/'*' --exclude=./var/cache/apt/'*' \
    --exclude=./var/lib/apt/lists/'*' --exclude=./usr/share/doc/'*' --exclude=./usr/share/man/'*' \
    --exclude=./usr/share/locale/'*' --exclude=./usr/share/info/'*' \
    -cf - . | dk import - uvsvc-standin/rootfs >/dev/null
}

docker_standin_python() {
  local rootfs=$1 tag
  shift
  docker_standin_rootfs "$rootfs" || return 1
  local ctx=$SRV_WORK/standin-python
  mkdir -p "$ctx"
  cp "$SRV_ROOT/scripts/lib/standin/python.Dockerfile" "$ctx/Dockerfile"
  dk build --network=none -q -t "$1" "$ctx" >/dev/null || return 1
  for tag in "${@:2}"; do dk tag "$1" "$tag" || return 1; done
}

docker_standin_database() {
  local name tag ctx
  for name in postgres pgbouncer; do
    if [ "$name" = postgres ]; then tag=$1; else tag=$2; fi
    ctx=$SRV_WORK/standin-$name
    mkdir -p "$ctx"
    cp "$SRV_ROOT/scripts/lib/standin/$name.Dockerfile" "$ctx/Dockerfile"
    cp "$SRV_ROOT/scripts/lib/standin/$name-entrypoint.sh" "$ctx/"
    dk build --network=none -q -t "$tag" "$ctx" >/dev/null || return 1
  done
}

docker_standin_uv() {
  local version=$1 ctx=$SRV_WORK/standin-uv-$1
  mkdir -p "$ctx"
  sed "s/@UV_VERSION@/$version/" "$SRV_ROOT/scripts/lib/standin/uv.py" >"$ctx/uv"
  cp "$SRV_ROOT/scripts/lib/standin/uvx" "$ctx/uvx"
  chmod 755 "$ctx/uv" "$ctx/uvx"
  cp "$SRV_ROOT/scripts/lib/standin/uv.Dockerfile" "$ctx/Dockerfile"
  dk build --network=none -q -t "ghcr.io/astral-sh/uv:$version" "$ctx" >/dev/null
}

docker_offline_dockerfile() {
  sed '/^# syntax=/d' "$1" >"$2"
}

docker_build() {
  local log=$1
  shift
  dk build --network=none --progress=plain "$@" >"$log" 2>&1
}

docker_image_size() { dk image inspect -f '{{.Size}}' "$1"; }
