#!/usr/bin/env bash
# Throwaway PostgreSQL for tests and benchmarks.
#   scripts/pg-test.sh start   -> prints a DATABASE_URL
#   scripts/pg-test.sh stop
# Reuses a server already listening on 127.0.0.1:5432 (creating database hela_ci in it); otherwise
# creates a cluster in a temp dir, installing Debian's postgresql package if no server binaries exist.
set -euo pipefail
PGPORT=${PGPORT:-55432}
PGROOT=${PGROOT:-/tmp/hela-pg-$PGPORT}
DBNAME=${PGDATABASE_NAME:-hela_ci}

existing_server() {
  command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432 -t 2 &&
    psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1
}

server_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    if existing_server; then
      psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -qc "drop database if exists $DBNAME with (force)" >/dev/null
      psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -qc "create database $DBNAME" >/dev/null
      echo "postgresql://postgres@127.0.0.1:5432/$DBNAME"
      exit 0
    fi
    BIN=$(server_bin)
    if [ -z "$BIN" ]; then
      apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
      BIN=$(server_bin)
    fi
    mkdir -p "$PGROOT"
    [ "$(id -u)" = 0 ] && chown postgres: "$PGROOT"
    [ -f "$PGROOT/data/PG_VERSION" ] ||
      as_postgres "$BIN/initdb" -D "$PGROOT/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    as_postgres "$BIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w start \
      -o "-p $PGPORT -c listen_addresses=127.0.0.1 -k $PGROOT -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
    echo "postgresql://postgres@127.0.0.1:$PGPORT/postgres"
    ;;
  stop)
    BIN=$(server_bin)
    if [ -n "$BIN" ] && [ -f "$PGROOT/data/PG_VERSION" ]; then
      as_postgres "$BIN/pg_ctl" -D "$PGROOT/data" -m fast stop >/dev/null || true
      rm -rf "$PGROOT"
    fi
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
