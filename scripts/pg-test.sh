#!/usr/bin/env bash
# Throwaway PostgreSQL for tests and benchmarks.
#   scripts/pg-test.sh start        -> prints a DATABASE_URL (progress goes to stderr)
#   scripts/pg-test.sh stop <url>   -> drops that database, or stops that throwaway cluster
# Reuses a server already listening on 127.0.0.1:5432 (in a fresh database hela_ci_<pid>, so that
# concurrent runs do not meet); otherwise, or with HELA_CI_FORCE_OWN_PG=1, starts a cluster in a temp
# dir on a free port, installing Debian's postgresql package if no server binaries exist.
set -euo pipefail

export PGOPTIONS="-c client_min_messages=warning"

log() { echo "   pg-test: $*" >&2; }

existing_server() {
  [ "${HELA_CI_FORCE_OWN_PG:-0}" != 1 ] && command -v pg_isready >/dev/null && command -v psql >/dev/null &&
    pg_isready -q -h 127.0.0.1 -p 5432 -t 2 &&
    psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1
}

server_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_own_cluster() {
  local bin port root
  bin=$(server_bin)
  if [ -z "$bin" ]; then
    log "no PostgreSQL server binaries: installing Debian's postgresql package"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    bin=$(server_bin)
  fi
  port=${PGPORT:-55432}
  while port_in_use "$port"; do port=$((port + 1)); done
  root=/tmp/hela-pg-$port
  rm -rf "$root"
  mkdir -p "$root"
  [ "$(id -u)" = 0 ] && chown postgres: "$root"
  log "throwaway cluster ($bin) in $root on port $port"
  as_postgres "$bin/initdb" -D "$root/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  # Durability is irrelevant for a throwaway test cluster; speed is not.
  as_postgres "$bin/pg_ctl" -D "$root/data" -l "$root/server.log" -w start \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $root -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
  echo "postgresql://postgres@127.0.0.1:$port/postgres"
}

case "${1:-start}" in
  start)
    if existing_server; then
      db=hela_ci_$$
      log "reusing the server on 127.0.0.1:5432 (database $db)"
      psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -qc "drop database if exists $db with (force)" >/dev/null
      psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -qc "create database $db" >/dev/null
      echo "postgresql://postgres@127.0.0.1:5432/$db"
    else
      start_own_cluster
    fi
    ;;
  stop)
    url=${2:?usage: $0 stop <url printed by start>}
    port=$(sed -E 's#^.*@127\.0\.0\.1:([0-9]+)/.*$#\1#' <<<"$url")
    db=${url##*/}
    if [ "$port" = 5432 ]; then
      case "$db" in
        hela_ci_*) psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -qc "drop database if exists $db with (force)" >/dev/null ;;
      esac
    elif [ -f "/tmp/hela-pg-$port/data/PG_VERSION" ]; then
      as_postgres "$(server_bin)/pg_ctl" -D "/tmp/hela-pg-$port/data" -m fast stop >/dev/null || true
      rm -rf "/tmp/hela-pg-$port"
    fi
    ;;
  *) echo "usage: $0 start | stop <url>" >&2; exit 2 ;;
esac
