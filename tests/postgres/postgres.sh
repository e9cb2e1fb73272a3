#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests, from Debian 12's package, without the system service: a cluster of its own
# under one folder, listening on a unix socket there and on 127.0.0.1 (see tests/postgres/README in the main README).
#   tests/postgres/postgres.sh install   apt-get the package (as root; CI does this)
#   tests/postgres/postgres.sh start     initdb (once) and start the cluster; writes connection.txt
#   tests/postgres/postgres.sh stop      stop it (the data stays until the folder is deleted)
# Environment: AGLEAFEEDS_PG_DIR (default /tmp/agleafeeds-postgres), AGLEAFEEDS_PG_PORT (default 55432).
# The tests read $AGLEAFEEDS_PG_DIR/connection.txt (or AGLEAFEEDS_PG, a connection string) and skip without it.
set -euo pipefail
dir="${AGLEAFEEDS_PG_DIR:-/tmp/agleafeeds-postgres}"
port="${AGLEAFEEDS_PG_PORT:-55432}"

bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

install() {
  [ -n "$(bin)" ] && return 0
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  rm -f /usr/sbin/policy-rc.d
}

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop() {
  local b; b="$(bin)"
  if [ -n "$b" ] && [ -f "$dir/data/postmaster.pid" ]; then as_postgres "$b/pg_ctl" -D "$dir/data" stop -m fast >/dev/null 2>&1 || true; fi
  rm -f "$dir/connection.txt"
}

start() {
  local b; b="$(bin)"
  [ -n "$b" ] || { echo "PostgreSQL missing: run '$0 install' as root" >&2; exit 1; }
  stop
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_postgres "$b/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  as_postgres "$b/pg_ctl" -D "$dir/data" -o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" -l "$dir/log" -w start >/dev/null \
    || { echo "PostgreSQL did not start: $(tail -5 "$dir/log")" >&2; exit 1; }
  echo "Host=127.0.0.1;Port=$port;Username=postgres" > "$dir/connection.txt"
  chmod 644 "$dir/connection.txt"
  echo "PostgreSQL at 127.0.0.1:$port (socket in $dir)"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
