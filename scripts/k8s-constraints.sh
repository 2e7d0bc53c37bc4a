#!/usr/bin/env bash
# The runtime image under its own Kubernetes manifests' constraints, on a Docker daemon.
#
#   scripts/k8s-constraints.sh IMAGE [MANIFEST_DIR]
#
# Reads deploy/k8s/service.yaml (the Deployment) and deploy/k8s/migrate-job.yaml (the migration Job, if
# present) from MANIFEST_DIR (default deploy/k8s), then runs the already built runtime IMAGE the way the
# kubelet would run each pod, translated to `docker run`:
#   runAsUser/runAsGroup        --user UID:GID (and --group-add for an fsGroup that differs)
#   runAsNonRoot                refused when the uid is 0 or unset and the image's USER is not numeric
#   readOnlyRootFilesystem      --read-only
#   emptyDir mounts             --tmpfs PATH (rw, exec, mode 1777, the emptyDir's sizeLimit)
#   capabilities drop ALL / add --cap-drop ALL / --cap-add
#   allowPrivilegeEscalation    --security-opt no-new-privileges
#   env: value / secretKeyRef   --env NAME=VALUE / --env NAME (the value comes from this script's
#                               environment: export the variables the manifests name, e.g.
#                               DATABASE_URL and DATABASE_URL_UNPOOLED; they never appear on a command line)
#   command / args              --entrypoint + arguments, as Kubernetes overrides ENTRYPOINT / CMD
# (Docker's default seccomp profile is the runtime default, as seccompProfile RuntimeDefault asks.)
#
# Then, in the documented order: the Job's command must exit 0; the Deployment's container must answer its
# readiness probe (HTTP GET on the probe's path and port) with 200 within its startup probe's budget
# (failureThreshold x periodSeconds; PROBE_TIMEOUT overrides). A manifest the image cannot live with (a
# uid that cannot read the app, a read-only path the app writes, a wrong port or path) fails here.
#
# Environment:
#   DOCKER_HOST    the daemon (required; e.g. unix:///tmp/x/docker.sock of a private dockerd)
#   DOCKER         the client (default: docker)
#   NETWORK        --network of every container (default: host). With host, the probe is a curl from this
#                  machine to 127.0.0.1; otherwise (e.g. container:pod, none) curl runs in the app
#                  container's network namespace (nsenter; needs root and a local daemon).
#   PROBE_TIMEOUT  seconds to wait for the readiness probe (default: from the startup probe, else 60)
#   KEEP_LOGS      a file to append the containers' logs to
# Needs: node with the `yaml` package (this repository's node_modules) to read the manifests, jq, curl.
# Exits 0 when every check passed; prints "ok - ..." / "not ok - ..." lines.
set -euo pipefail

usage() { sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
IMAGE=$1
DIR=${2:-deploy/k8s}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DOCKER=${DOCKER:-docker}
NETWORK=${NETWORK:-host}
: "${DOCKER_HOST:?set DOCKER_HOST to the Docker daemon to run on}"
export DOCKER_HOST

for cmd in node jq curl "$DOCKER"; do
  command -v "$cmd" >/dev/null || { echo "k8s-constraints: $cmd is required" >&2; exit 2; }
done
[ -f "$DIR/service.yaml" ] || { echo "k8s-constraints: no $DIR/service.yaml" >&2; exit 2; }

FAILED=0
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; FAILED=1; }

APP_CID=
WORK=$(mktemp -d)
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  if [ -n "$APP_CID" ]; then
    if [ -n "${KEEP_LOGS:-}" ]; then "$DOCKER" logs "$APP_CID" >>"$KEEP_LOGS" 2>&1 || true; fi
    "$DOCKER" rm -f "$APP_CID" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Every YAML document of the manifests as one JSON array (the `yaml` package, as the library's tests use).
to_json() {
  # shellcheck disable=SC2016 # JavaScript, not shell
  node -e '
    const { parseAllDocuments } = require(require.resolve("yaml", { paths: [process.argv[1]] }));
    const fs = require("fs");
    const docs = process.argv.slice(2).flatMap((f) => parseAllDocuments(fs.readFileSync(f, "utf-8")).map((d) => {
      if (d.errors.length) throw new Error(`${f}: ${d.errors[0].message}`);
      return d.toJS();
    }));
    process.stdout.write(JSON.stringify(docs));
  ' "$ROOT" "$@"
}

manifests=("$DIR/service.yaml")
[ -f "$DIR/migrate-job.yaml" ] && manifests=("$DIR/migrate-job.yaml" "${manifests[@]}")
to_json "${manifests[@]}" >"$WORK/all.json"

# One pod template and its container as {pod, c}: the Deployment's container with a readiness probe, the
# Job's first container.
jq '[.[] | select(.kind == "Deployment")][0] | .spec.template.spec as $p
    | {pod: $p, c: ([$p.containers[] | select(.readinessProbe)][0] // $p.containers[0])}' "$WORK/all.json" >"$WORK/web.json"
jq '[.[] | select(.kind == "Job")][0] | if . == null then null else
    .spec.template.spec as $p | {pod: $p, c: $p.containers[0]} end' "$WORK/all.json" >"$WORK/job.json"
[ "$(jq -r '.c.name // empty' "$WORK/web.json")" != "" ] || { echo "k8s-constraints: no Deployment container in $DIR/service.yaml" >&2; exit 2; }

q() { jq -r "$1" "$2"; }

# The `docker run` options that put a container under its pod's constraints; sets RUN_ARGS, RUN_CMD, USER_SPEC.
constraints() { # json what
  local f=$1 what=$2 uid gid fs_group non_root image_user
  RUN_ARGS=(--network "$NETWORK")
  uid=$(q '.c.securityContext.runAsUser // .pod.securityContext.runAsUser // empty' "$f")
  gid=$(q '.c.securityContext.runAsGroup // .pod.securityContext.runAsGroup // empty' "$f")
  fs_group=$(q '.pod.securityContext.fsGroup // empty' "$f")
  non_root=$(q 'if (.c.securityContext // {}) | has("runAsNonRoot") then .c.securityContext.runAsNonRoot else .pod.securityContext.runAsNonRoot == true end' "$f")
  USER_SPEC=
  if [ -n "$uid" ]; then
    USER_SPEC=$uid${gid:+:$gid}
    RUN_ARGS+=(--user "$USER_SPEC")
    [ -n "$fs_group" ] && [ "$fs_group" != "$gid" ] && RUN_ARGS+=(--group-add "$fs_group")
  fi
  if [ "$non_root" = true ]; then
    image_user=$("$DOCKER" image inspect -f '{{.Config.User}}' "$IMAGE")
    if [ "$uid" = 0 ]; then
      not_ok "$what: runAsNonRoot with runAsUser 0 (the kubelet refuses to start it)"
    elif [ -z "$uid" ] && ! [[ ${image_user%%:*} =~ ^[0-9]+$ && ${image_user%%:*} != 0 ]]; then
      not_ok "$what: runAsNonRoot without runAsUser needs a numeric non-root USER in the image (it has \"$image_user\")"
    else
      ok "$what: runs as a non-root uid (${uid:-image USER $image_user})"
    fi
  fi
  [ "$(q '.c.securityContext.readOnlyRootFilesystem == true' "$f")" = true ] && RUN_ARGS+=(--read-only)
  local mount size
  while IFS=$'\t' read -r mount size; do
    [ -n "$mount" ] || continue
    RUN_ARGS+=(--tmpfs "$mount:rw,exec,nosuid,nodev,mode=1777${size:+,size=$size}")
  done < <(jq -r '.pod.volumes as $v | (.c.volumeMounts // [])[]
    | . as $m | ($v // [] | map(select(.name == $m.name))[0]) as $vol
    | select($vol.emptyDir != null)
    | [$m.mountPath, (($vol.emptyDir.sizeLimit // "") | sub("Mi$"; "m") | sub("Gi$"; "g") | sub("Ki$"; "k"))] | @tsv' "$f")
  local cap
  while read -r cap; do [ -n "$cap" ] && RUN_ARGS+=(--cap-drop "$cap"); done < <(q '(.c.securityContext.capabilities.drop // [])[]' "$f")
  while read -r cap; do [ -n "$cap" ] && RUN_ARGS+=(--cap-add "$cap"); done < <(q '(.c.securityContext.capabilities.add // [])[]' "$f")
  # (jq's // treats false as missing: compare explicitly.)
  [ "$(q '.c.securityContext.allowPrivilegeEscalation == false' "$f")" = true ] && RUN_ARGS+=(--security-opt no-new-privileges)
  [ "$(q '.c.securityContext.privileged == true' "$f")" = true ] && RUN_ARGS+=(--privileged)
  local name value
  while IFS=$'\t' read -r name value; do
    [ -n "$name" ] && RUN_ARGS+=(--env "$name=$value")
  done < <(q '(.c.env // [])[] | select(.value != null) | [.name, .value] | @tsv' "$f")
  while read -r name; do
    [ -n "$name" ] || continue
    if [ -z "${!name+x}" ]; then
      not_ok "$what: $name comes from a Secret: export $name (its value) to run this check"
    fi
    RUN_ARGS+=(--env "$name")
  done < <(q '(.c.env // [])[] | select(.valueFrom.secretKeyRef != null) | .name' "$f")
  local wd
  wd=$(q '.c.workingDir // empty' "$f")
  [ -n "$wd" ] && RUN_ARGS+=(--workdir "$wd")
  # Kubernetes: command replaces the ENTRYPOINT, args the CMD.
  local -a command args
  mapfile -t command < <(q '(.c.command // [])[]' "$f")
  mapfile -t args < <(q '(.c.args // [])[]' "$f")
  RUN_CMD=()
  if [ ${#command[@]} -gt 0 ]; then
    RUN_ARGS+=(--entrypoint "${command[0]}")
    RUN_CMD=("${command[@]:1}" "${args[@]}")
  elif [ ${#args[@]} -gt 0 ]; then
    RUN_CMD=("${args[@]}")
  fi
}

echo "# $IMAGE under the constraints of $DIR ($(jq -r '[.[] | "\(.kind)/\(.metadata.name)"] | join(", ")' "$WORK/all.json"))"
manifest_image=$(q '.c.image' "$WORK/web.json")
[ "$manifest_image" = "$IMAGE" ] || echo "# (the manifests name $manifest_image; running $IMAGE in its place)"

# 1. The migration Job, first, as the README orders it.
if [ "$(cat "$WORK/job.json")" != null ]; then
  constraints "$WORK/job.json" "migration Job"
  echo "# docker run --rm ${RUN_ARGS[*]} $IMAGE ${RUN_CMD[*]}"
  if "$DOCKER" run --rm "${RUN_ARGS[@]}" "$IMAGE" "${RUN_CMD[@]}" >"$WORK/job.log" 2>&1; then
    ok "migration Job: $(q '[.c.command // [], .c.args // []] | add | join(" ")' "$WORK/job.json") exits 0 as ${USER_SPEC:-the image user} on a read-only root"
  else
    not_ok "migration Job: its command failed:"
    sed 's/^/#   /' "$WORK/job.log" | tail -30
  fi
  [ -n "${KEEP_LOGS:-}" ] && cat "$WORK/job.log" >>"$KEEP_LOGS"
fi

# 2. The Deployment's container, then its readiness probe, as the kubelet sends it.
constraints "$WORK/web.json" "Deployment"
path=$(q '.c.readinessProbe.httpGet.path // empty' "$WORK/web.json")
port=$(q '.c.readinessProbe.httpGet.port // empty' "$WORK/web.json")
if ! [[ $port =~ ^[0-9]+$ ]]; then # a named port
  port=$(jq -r --arg n "$port" '(.c.ports // [])[] | select(.name == $n) | .containerPort' "$WORK/web.json")
fi
if [ -z "$path" ] || [ -z "$port" ]; then not_ok "Deployment: no HTTP readiness probe"; exit 1; fi
# shellcheck disable=SC2016 # a jq program
budget=${PROBE_TIMEOUT:-$(q '((.c.startupProbe.failureThreshold // 0) * (.c.startupProbe.periodSeconds // 10)) as $b | if $b > 0 then $b else 60 end' "$WORK/web.json")}
echo "# docker run -d ${RUN_ARGS[*]} $IMAGE ${RUN_CMD[*]}"
APP_CID=$("$DOCKER" run -d "${RUN_ARGS[@]}" "$IMAGE" "${RUN_CMD[@]}")

probe() { # prints the HTTP status of GET http://127.0.0.1:$port$path (000 when nothing answers)
  if [ "$NETWORK" = host ]; then
    curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$port$path" || true
  else
    local pid
    pid=$("$DOCKER" inspect -f '{{.State.Pid}}' "$APP_CID")
    nsenter --net="/proc/$pid/ns/net" -- curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$port$path" || true
  fi
}

status=000
deadline=$((SECONDS + budget))
while [ "$SECONDS" -lt "$deadline" ]; do
  if [ "$("$DOCKER" inspect -f '{{.State.Running}}' "$APP_CID")" != true ]; then
    break
  fi
  status=$(probe)
  [ "$status" = 200 ] && break
  sleep 1
done
if [ "$status" = 200 ]; then
  ok "Deployment: readiness probe GET $path on port $port answers 200 (as ${USER_SPEC:-the image user}, read-only root, tmpfs at $(q '[.c.volumeMounts[]?.mountPath] | join(", ")' "$WORK/web.json"))"
else
  not_ok "Deployment: readiness probe GET $path on port $port got $status within ${budget}s; container state $("$DOCKER" inspect -f '{{.State.Status}} (exit {{.State.ExitCode}})' "$APP_CID")"
  "$DOCKER" logs "$APP_CID" 2>&1 | tail -30 | sed 's/^/#   /'
fi
exit "$FAILED"
