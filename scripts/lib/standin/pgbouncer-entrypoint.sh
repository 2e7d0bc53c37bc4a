#!/bin/sh
# Stand-in for the entrypoint of edoburu/pgbouncer (scripts/suites/getting-started.sh): the environment compose.yaml
# gives it. [databases] passes every name to DB_HOST:DB_PORT (`*`, as the image does without DB_NAME);
# DB_USER logs in with DB_PASSWORD (kept as is in userlist.txt for AUTH_TYPE scram-sha-256, which PgBouncer
# needs to log in to the server with SCRAM); POOL_MODE, MAX_PREPARED_STATEMENTS, MAX_CLIENT_CONN,
# DEFAULT_POOL_SIZE and LISTEN_PORT as named; listening on every interface. Runs PgBouncer as the postgres
# user in the foreground.
set -eu
: "${DB_HOST:?}" "${DB_USER:?}" "${DB_PASSWORD:?}"
dir=/etc/pgbouncer
mkdir -p "$dir"
cat >"$dir/pgbouncer.ini" <<INI
[databases]
* = host=$DB_HOST port=${DB_PORT:-5432}

[pgbouncer]
listen_addr = 0.0.0.0
listen_port = ${LISTEN_PORT:-5432}
unix_socket_dir =
auth_type = ${AUTH_TYPE:-md5}
auth_file = $dir/userlist.txt
pool_mode = ${POOL_MODE:-session}
max_prepared_statements = ${MAX_PREPARED_STATEMENTS:-0}
max_client_conn = ${MAX_CLIENT_CONN:-100}
default_pool_size = ${DEFAULT_POOL_SIZE:-20}
ignore_startup_parameters = extra_float_digits
INI
printf '"%s" "%s"\n' "$DB_USER" "$DB_PASSWORD" >"$dir/userlist.txt"
chown -R postgres:postgres "$dir"
chmod 600 "$dir/userlist.txt"
exec setpriv --reuid=postgres --regid=postgres --init-groups -- /usr/sbin/pgbouncer "$dir/pgbouncer.ini"
