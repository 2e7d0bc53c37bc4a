# The stand-in for the postgres image compose.yaml names (postgres:<major>-alpine): Debian trixie's PostgreSQL
# in the suites' rootfs (imported as uvsvc-standin/rootfs), behind an entrypoint that does what compose.yaml
# asks of the official one (postgres-entrypoint.sh).
FROM uvsvc-standin/rootfs
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PATH=/usr/lib/postgresql/17/bin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin PGDATA=/var/lib/postgresql/data LANG=C.UTF-8
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
EXPOSE 5432
STOPSIGNAL SIGINT
CMD ["postgres"]
