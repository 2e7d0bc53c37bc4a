#!/bin/sh
# Stand-in for the entrypoint of the official postgres image (scripts/suites/getting-started.sh): what compose.yaml
# relies on. On an empty data directory ($PGDATA, default /var/lib/postgresql/data): initdb with
# POSTGRES_USER (default postgres) as the superuser, whose password is POSTGRES_PASSWORD (required), SCRAM
# for every TCP client, then POSTGRES_DB (default: the user's name) created. Then the server runs as the
# postgres user in the foreground on port 5432 of every interface; its socket is in /var/run/postgresql,
# where pg_isready looks. A command other than `postgres` (a one-shot `sh -c '...'`) runs as given.
set -eu
bin=/usr/lib/postgresql/17/bin
if [ "${1:-postgres}" != postgres ]; then exec "$@"; fi
PGDATA=${PGDATA:-/var/lib/postgresql/data}
user=${POSTGRES_USER:-postgres}
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; }
mkdir -p "$PGDATA" /var/run/postgresql
chown postgres:postgres "$PGDATA" /var/run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?the postgres image needs POSTGRES_PASSWORD}"
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  chown postgres "$pwfile"
  as_postgres "$bin/initdb" -D "$PGDATA" -U "$user" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  db=${POSTGRES_DB:-$user}
  if [ "$db" != postgres ]; then
    echo "CREATE DATABASE \"$db\"" | as_postgres "$bin/postgres" --single -D "$PGDATA" -j postgres >/dev/null
  fi
  echo "postgres stand-in: initialized $PGDATA (user $user, database $db)"
fi
exec setpriv --reuid=postgres --regid=postgres --init-groups -- "$bin/postgres" -D "$PGDATA" -c listen_addresses='*'
