# The stand-in for edoburu/pgbouncer, named as compose.yaml names it: Debian trixie's PgBouncer (and
# pg_isready, for compose.yaml's healthcheck) in the suites' rootfs, behind pgbouncer-entrypoint.sh.
FROM uvsvc-standin/rootfs
COPY pgbouncer-entrypoint.sh /entrypoint.sh
ENV PATH=/usr/lib/postgresql/17/bin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
ENTRYPOINT ["/entrypoint.sh"]
EXPOSE 5432
