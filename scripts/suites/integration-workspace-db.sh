#!/usr/bin/env bash
# The workspace compose.yaml's databases against a real PostgreSQL (no Docker: its services' commands
# and URLs are run here as compose would run them, the compose host `postgres` being 127.0.0.1).
#
# For each WorkspaceDatabaseMode, a workspace of two services (orders, billing) and a library is
# synthesized (scripts/lib/workspace-db-fixture.ts); PostgreSQL (host binaries) plays the compose
# `postgres` service (superuser app/local-only, database app, no TLS required, as the postgres image);
# then, in a Debian trixie rootfs with the Python stack:
#   per-service  the `databases` service's script creates orders and billing (and is idempotent), and each
#                `<svc>-migrate` command (`alembic upgrade head`, its direct URL from compose.yaml) migrates
#                the service's own database: both first migrations create `item`, each in its database.
#   shared       both migrate the one database `app`: each records its revision in its own version table
#                (env.py's VERSION_TABLE: alembic_version_<package> for members); billing's first migration (a user file)
#                is edited to create `invoice`, as services sharing a database must use their own tables.
# Everything started is stopped and everything created removed on exit. Prints "N passed, N failed".
# Environment: ROOTFS (reused when it holds the packages below), PG_BIN.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/lib/checks.sh
source scripts/lib/checks.sh
SRV_ROOTFS_PACKAGES=${SRV_ROOTFS_PACKAGES:-python3,python3-sqlalchemy,python3-sqlmodel,python3-asyncpg,python3-alembic,python3-fastapi,openssl,ca-certificates}
SRV_ROOTFS_MODULES=${SRV_ROOTFS_MODULES:-sqlalchemy sqlmodel asyncpg alembic fastapi}
# The postgres image: its superuser over TCP without TLS (the compose network), the admin over the socket.
SRV_PG_HBA='local   all  postgres                trust
local   all  all                     scram-sha-256
host    all  all       127.0.0.1/32  scram-sha-256'
# shellcheck source=scripts/lib/servers.sh
source scripts/lib/servers.sh

checks_init workspace-db
srv_need_root "chroot, and an unprivileged user for postgres"
srv_need_cmd runuser "util-linux" chroot "coreutils" node "Node.js 20"
srv_init wsdb
on_suite_exit() { checks_finish "$1"; }

step "Debian trixie rootfs: $ROOTFS"
srv_rootfs

step "PostgreSQL as the compose service postgres"
srv_pg_start
srv_pg_admin -c "CREATE ROLE app LOGIN SUPERUSER PASSWORD 'local-only'" -c "CREATE DATABASE app OWNER app"
echo "postgres on 127.0.0.1:$SRV_PG_PORT"

# compose.yaml's value at a JSON path, e.g. `compose_get DIR services.databases.command.2`.
compose_get() {
  node -e 'const y = require("yaml"); const fs = require("fs");
    let v = y.parse(fs.readFileSync(process.argv[1] + "/compose.yaml", "utf-8"));
    for (const k of process.argv[2].split(".")) v = v[k];
    process.stdout.write(typeof v === "string" ? v : JSON.stringify(v));' "$1" "$2"
}
# The compose network's `postgres:5432` is this server.
on_host() { sed -e "s/-h postgres/-h 127.0.0.1 -p $SRV_PG_PORT/g" -e "s/@postgres:5432\//@127.0.0.1:$SRV_PG_PORT\//g"; }
# The version table a member's Alembic environment records its revision in (env.py's VERSION_TABLE).
version_table() { sed -n 's/^VERSION_TABLE = "\(.*\)"$/\1/p' "$1/services/$2/migrations/env.py"; }
app_sql() { PGPASSWORD=local-only "$PG_BIN/psql" -X -A -t -h 127.0.0.1 -p "$SRV_PG_PORT" -U app -d "$1" -c "$2"; }

# Runs `<svc>-migrate` of compose.yaml in the rootfs: its command in the member's directory, with its environment.
migrate() {
  local ws=$1 svc=$2 env=() var
  local vars
  vars=$(compose_get "$ws" "services.$svc-migrate.environment")
  for var in $(node -e 'for (const [k, v] of Object.entries(JSON.parse(process.argv[1]))) console.log(k + "=" + v)' "$vars"); do
    env+=("$(on_host <<<"$var")")
  done
  local cmd
  cmd=$(compose_get "$ws" "services.$svc-migrate.command" | node -e 'console.log(JSON.parse(require("fs").readFileSync(0, "utf-8")).join(" "))')
  # Debian's python3-alembic has no `alembic` script (the image's virtualenv has): the same program.
  [[ $cmd == alembic\ * ]] || { echo "unexpected migrate command: $cmd" >&2; return 1; }
  # shellcheck disable=SC2086 # the compose command, split as compose would run its list
  srv_in_rootfs nobody "${ws#"$ROOTFS"}/services/$svc" "${env[@]}" -- python3 -m $cmd
}

for mode in per-service shared; do
  step "WorkspaceDatabaseMode: $mode"
  ws=$ROOTFS/tmp/$SRV_RUN_ID-$mode
  mkdir -p "$ws"
  srv_defer rm -rf "$ws"
  npx tsx scripts/lib/workspace-db-fixture.ts "$ws" "$mode"
  chmod -R a+rX "$ws"
  if [ "$mode" = per-service ]; then
    script=$(compose_get "$ws" services.databases.command.2 | on_host)
    check "the databases service creates each service's database" env PGPASSWORD=local-only PATH="$PG_BIN:$PATH" sh -c "$script"
    check "and runs again without error (every up)" env PGPASSWORD=local-only PATH="$PG_BIN:$PATH" sh -c "$script"
    check "databases orders and billing exist" test "$(app_sql app "SELECT count(*) FROM pg_database WHERE datname IN ('orders', 'billing')")" = 2
    for svc in orders billing; do
      check "$svc-migrate: alembic upgrade head into database $svc" migrate "$ws" "$svc"
      table=$(version_table "$ws" "$svc")
      check "$svc: item and $table (0001) in its own database" \
        test "$(app_sql "$svc" "SELECT (SELECT count(*) FROM pg_tables WHERE tablename = 'item') || ':' || (SELECT version_num FROM $table)")" = "1:0001"
    done
  else
    first=$(find "$ws/services/billing/migrations/versions" -name '0001_*.py')
    sed -i 's/"item"/"invoice"/g; s/op\.f("ix_item_/op.f("ix_invoice_/g' "$first"
    check "billing's first migration now creates invoice" grep -q '"invoice"' "$first"
    for svc in orders billing; do
      check "$svc-migrate: alembic upgrade head into the shared database app" migrate "$ws" "$svc"
    done
    orders_table=$(version_table "$ws" orders) billing_table=$(version_table "$ws" billing)
    check "distinct version tables: $orders_table, $billing_table" test "$orders_table" != "$billing_table"
    check "each service's revision in its own version table of app" \
      test "$(app_sql app "SELECT (SELECT version_num FROM $orders_table) || ':' || (SELECT version_num FROM $billing_table)")" = "0001:0001"
    check "no alembic_version table (both kept their own)" test "$(app_sql app "SELECT count(*) FROM pg_tables WHERE tablename = 'alembic_version'")" = 0
    check "both services' tables in app" test "$(app_sql app "SELECT count(*) FROM pg_tables WHERE tablename IN ('item', 'invoice')")" = 2
    check "orders-migrate again: already at head, nothing run" migrate "$ws" orders
  fi
done

checks_done
