# shellcheck shell=bash
# The workspace part of the Docker suite (scripts/suites/docker-integration.sh): a uv workspace of two services and
# one library, each service's runtime image built from the workspace root context (its own Dockerfile and
# <Dockerfile>.dockerignore in its member directory), and the layer cache across members. Source checks.sh,
# servers.sh and docker.sh first.
#
#   ws_generate DIR           writes the workspace into DIR (the sample below), then makes orders'
#                             app import the shared library and call it in a route (GET /greeting)
#   ws_dockerfiles DIR        prints the path of each service's Dockerfile in DIR
#   ws_run DIR                the checks: both images build (offline, BuildKit), orders' image imports
#                             the library from its virtualenv and serves the route that calls it,
#                             billing's image does not hold the library; then a change of the library's
#                             source only: orders' dependency layer is CACHED and its project layer
#                             rebuilt (serving the new text), billing's build is fully CACHED (same
#                             image id).
#
# The workspace is the sample of `projen new --from <tarball> uv-workspace` (libs/common, services/orders
# depending on it, services/billing), made by the packed library.
# Needs uv_lock (docker-integration.sh), the stand-in images of the Dockerfiles' base and uv images, and
# test/integration/uv-standin-workspace-checks.sh (the stand-in's workspace mode fails where uv fails).

WS_SERVICES=(orders billing) # member directories under services/

ws_generate() {
  local dir=$1
  # The sample workspace of `projen new uv-workspace` from the packed library, on the stand-in base
  # image's Python (3.13) and Debian trixie's asyncpg (0.30).
  srv_tarball
  srv_projen_new "$dir" uv-workspace shop
  sed -i 's/new UvWorkspace({/&\n  pythonVersion: "3.13",/; s/deps: \["common"\]/deps: ["common", "asyncpg>=0.30"]/
    s/outdir: "services\/billing", port: 8002/&, deps: ["asyncpg>=0.30"]/' "$dir/.projenrc.ts"
  grep -q 'outdir: "services/billing", port: 8002, deps' "$dir/.projenrc.ts" || { echo "the sample members changed" >&2; return 1; }
  srv_resynth "$dir"
  # The user's code: orders' app calls the library's greeting() in a route.
  cat >>"$dir/services/orders/orders/main.py" <<'PY'


from common import greeting  # noqa: E402 (the workspace library)


@app.get("/greeting")
async def read_greeting() -> dict[str, str]:
    return {"greeting": greeting("orders")}
PY
}

ws_dockerfiles() {
  local s
  for s in "${WS_SERVICES[@]}"; do echo "$1/services/$s/Dockerfile"; done
}

# Whether every build step of a BuildKit log (COPY, RUN, WORKDIR; not FROM) was CACHED; prints the counts.
_ws_all_cached() {
  local log=$1 ids id total=0 cached=0
  ids=$(grep -E '^#[0-9]+ \[[a-z0-9_.-]+ +[0-9]+/[0-9]+\] ' "$log" | grep -v '\] FROM ' | grep -o '^#[0-9]*' | sort -u)
  for id in $ids; do
    total=$((total + 1))
    grep -qx "$id CACHED" "$log" && cached=$((cached + 1))
  done
  echo "$cached/$total"
  [ "$total" -gt 0 ] && [ "$cached" = "$total" ]
}

_ws_build() { # service, log, workspace dir
  local svc=$1 log=$2 dir=$3
  docker_build "$log" -f "$SRV_WORK/ws-$svc.Dockerfile" --target runtime -t "uvsvc-itest/ws-$svc:runtime" "$dir"
}

ws_run() {
  local dir=$1 svc t out uv_version base rc
  step "Workspace: each service's image from the workspace root"
  base=$(awk '$1 == "FROM" && $2 ~ /^python:/ { print $2; exit }' "$dir/services/orders/Dockerfile")
  uv_version=$(sed -n 's|^COPY --from=ghcr.io/astral-sh/uv:\([^ ]*\) .*|\1|p' "$dir/services/orders/Dockerfile")
  uv_lock "$dir" "$uv_version" "$base"
  check "workspace: the stand-in uv.lock covers every member" grep -q '^members = \["billing", "common", "orders"\]' "$dir/uv.lock"
  # The stand-in's workspace mode on its own, on a copy of the workspace: it fails where uv fails.
  out=$SRV_WORK/ws-standin-checks.out
  dk run --rm --network=none -v "$dir:/src:ro" -v "$SRV_WORK/standin-uv-$uv_version/uv:/usr/local/bin/uv:ro" \
    -v "$SRV_ROOT/test/integration/uv-standin-workspace-checks.sh:/checks.sh:ro" \
    -v "$SRV_ROOT/test/integration/uv-standin-lib.sh:/uv-standin-lib.sh:ro" "$base" sh /checks.sh >"$out" 2>&1 || true
  cat "$out"
  count_client_output "$out"
  grep -q '^[A-Z]* uv stand-in (workspace): a member dependency without' "$out" || fail "the uv stand-in's workspace checks ran to their end"
  for svc in "${WS_SERVICES[@]}"; do
    # The offline copy keeps its ignore file beside it: BuildKit reads <Dockerfile path>.dockerignore.
    docker_offline_dockerfile "$dir/services/$svc/Dockerfile" "$SRV_WORK/ws-$svc.Dockerfile"
    cp "$dir/services/$svc/Dockerfile.dockerignore" "$SRV_WORK/ws-$svc.Dockerfile.dockerignore"
    t=$(date +%s)
    out=$SRV_WORK/ws-$svc.build.log
    if _ws_build "$svc" "$out" "$dir"; then
      pass "workspace $svc: the runtime image builds from the workspace root context (BuildKit, offline)"
      figure "workspace $svc runtime build (s)" "$(seconds_since "$t")"
    else
      fail "workspace $svc: the runtime image builds from the workspace root context (BuildKit, offline)"
      tail -30 "$out" >&2
      return 0
    fi
  done
  local orders=uvsvc-itest/ws-orders:runtime billing=uvsvc-itest/ws-billing:runtime
  # shellcheck disable=SC2016 # Python code
  check_out "workspace orders: the image imports the library from its virtualenv (installed, not editable)" \
    '^common=/app/\.venv/lib/python3\.[0-9]+/site-packages/common/__init__\.py$' \
    dk run --rm --network=none -w / "$orders" python -c 'import common; print(f"common={common.__file__}")'
  local probe='from fastapi.testclient import TestClient
from orders.main import app
r = TestClient(app).get("/greeting")
print(r.status_code, r.json()["greeting"])'
  check_out "workspace orders: its route calls the library (GET /greeting)" '^200 Hello, orders!$' \
    dk run --rm --network=none -w / "$orders" python -c "$probe"
  check_out "workspace billing: the image does not hold the library (not in its closure)" "No module named 'common'" \
    sh -c "! $DOCKER_CLI run --rm --network=none -w / $billing python -c 'import common'"
  check "workspace billing: the image holds no member's source directory (/app/services, /app/libs)" \
    test "$(dk run --rm --network=none "$billing" sh -c 'ls -d /app/services /app/libs 2>/dev/null')" = ""

  step "Workspace: a change of the library's source only"
  local billing_id orders_deps
  billing_id=$(dk image inspect -f '{{.Id}}' "$billing")
  sed -i 's/Hello, {name}/Hello again, {name}/' "$dir/libs/common/common/__init__.py"
  for svc in "${WS_SERVICES[@]}"; do
    t=$(date +%s)
    out=$SRV_WORK/ws-$svc.rebuild.log
    if _ws_build "$svc" "$out" "$dir"; then
      figure "workspace $svc runtime rebuild after the library changed (s)" "$(seconds_since "$t")"
    else
      fail "workspace $svc: the runtime image rebuilds after the library changed"
      tail -30 "$out" >&2
      return 0
    fi
  done
  out=$SRV_WORK/ws-orders.rebuild.log
  orders_deps=$(build_id_of "$out" 'uv sync --locked --no-install-workspace --package orders ')
  check "workspace orders: the dependency layer (uv sync --no-install-workspace) is CACHED" \
    grep -qx "${orders_deps:-#none} CACHED" "$out"
  local copy_lib project
  copy_lib=$(build_id_of "$out" 'COPY libs/common ./libs/common')
  project=$(build_id_of "$out" 'uv sync --locked --package orders --no-dev --no-editable')
  check "workspace orders: the library's COPY and the project layer (uv sync --no-editable) are rebuilt" \
    test -n "$copy_lib" -a -n "$project" -a -z "$(grep -x -e "$copy_lib CACHED" -e "$project CACHED" "$out")"
  check_out "workspace orders: the rebuilt image serves the library's new text" '^200 Hello again, orders!$' \
    dk run --rm --network=none -w / "$orders" python -c "$probe"
  out=$SRV_WORK/ws-billing.rebuild.log
  local cached
  cached=$(_ws_all_cached "$out") && rc=0 || rc=$?
  figure "workspace billing rebuild: build steps CACHED" "$cached"
  local billing_deps
  billing_deps=$(build_id_of "$out" 'uv sync --locked --no-install-workspace --package billing ')
  check "workspace billing: the dependency layer (uv sync --no-install-workspace) is CACHED" \
    grep -qx "${billing_deps:-#none} CACHED" "$out"
  check "workspace billing: its rebuild is fully CACHED ($cached steps)" test "$rc" = 0
  check "workspace billing: the rebuilt image is the same image (id unchanged)" \
    test "$(dk image inspect -f '{{.Id}}' "$billing")" = "$billing_id"
  figure "workspace orders rebuild: build steps CACHED" "$(_ws_all_cached "$SRV_WORK/ws-orders.rebuild.log" || true)"
}
