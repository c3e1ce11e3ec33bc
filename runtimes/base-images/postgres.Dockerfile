# cloudfunc-local/postgres:17-trixie, standing in for postgres:17 where no registry answers: Debian trixie's
# PostgreSQL 17 with the parts of the public image's interface CloudFunc uses: POSTGRES_USER, POSTGRES_PASSWORD,
# POSTGRES_DB, a data directory at /var/lib/postgresql/data, `pg_isready` on the PATH, port 5432.
ARG ROOTFS
FROM ${ROOTFS}
ENV LANG=C.UTF-8 PGDATA=/var/lib/postgresql/data PATH=/usr/lib/postgresql/17/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN chmod 755 /usr/local/bin/docker-entrypoint.sh && mkdir -p /var/run/postgresql "$PGDATA" \
    && chown -R postgres:postgres /var/run/postgresql /var/lib/postgresql
EXPOSE 5432
# as the public image: SIGINT is PostgreSQL's fast shutdown (SIGTERM waits for every client to leave)
STOPSIGNAL SIGINT
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
