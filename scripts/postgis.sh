#!/usr/bin/env bash
# A throwaway PostGIS for the demo and the tests.
#
#   scripts/postgis.sh start    install PostGIS/pgRouting with apt when missing, create a cluster under .pg/, start it
#   scripts/postgis.sh stop     stop exactly the server this script started (by its data directory)
#   scripts/postgis.sh status   say whether it runs and print its connection string
#   scripts/postgis.sh env      print `export SERVICEREACH_DB=...` for eval
#
# Settings (environment): SERVICEREACH_PG_PORT (default 55432), SERVICEREACH_PG_DIR (default <repo>/.pg),
# SERVICEREACH_PG_DB (default servicereach). When SERVICEREACH_DB is already set, this script does nothing:
# everything then uses that server instead.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
port=${SERVICEREACH_PG_PORT:-55432}
dir=${SERVICEREACH_PG_DIR:-$repo/.pg}
db=${SERVICEREACH_PG_DB:-servicereach}
pgbin=/usr/lib/postgresql/15/bin
conn="Host=127.0.0.1;Port=$port;Username=postgres;Database=$db"

say() { echo "postgis.sh: $*" >&2; }
die() { say "$*"; exit 1; }

as_postgres() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi
}

ensure_packages() {
  if [ -x "$pgbin/initdb" ] && [ -f /usr/share/postgresql/15/extension/postgis.control ] \
     && [ -f /usr/share/postgresql/15/extension/pgrouting.control ]; then
    return 0
  fi
  [ "$(id -u)" = 0 ] || die "PostgreSQL 15 with PostGIS 3 and pgRouting is not installed and this is not root. Install them: sudo apt-get install postgresql-15-postgis-3 postgresql-15-pgrouting — or set SERVICEREACH_DB to a PostGIS server you own."
  command -v apt-get >/dev/null || die "apt-get not found: install PostgreSQL 15 + PostGIS 3 + pgRouting yourself, or set SERVICEREACH_DB."
  say "installing postgresql-15-postgis-3 and postgresql-15-pgrouting with apt (once)…"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get -o DPkg::Lock::Timeout=600 install -y -qq postgresql-15-postgis-3 postgresql-15-pgrouting >/dev/null 2>&1; then
    apt-get -qq update >/dev/null 2>&1 || true
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq postgresql-15-postgis-3 postgresql-15-pgrouting >/dev/null \
      || die "apt-get could not install postgresql-15-postgis-3 / postgresql-15-pgrouting. Check your apt sources, or set SERVICEREACH_DB to a PostGIS server you own."
  fi
}

running() { [ -f "$dir/data/postmaster.pid" ] && as_postgres "$pgbin/pg_ctl -D '$dir/data' status" >/dev/null 2>&1; }

psql_do() { as_postgres "psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $port -U postgres -d $1 -c \"$2\"" >/dev/null; }

start() {
  if [ -n "${SERVICEREACH_DB:-}" ]; then say "SERVICEREACH_DB is set; using that server, starting nothing."; return 0; fi
  ensure_packages
  if running; then say "already running on 127.0.0.1:$port ($dir)"; return 0; fi
  if ! [ -f "$dir/data/PG_VERSION" ]; then
    rm -rf "$dir/data"
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_postgres "$pgbin/initdb -D '$dir/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >"$dir/initdb.log" 2>&1 \
      || die "initdb failed; see $dir/initdb.log"
  fi
  if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
    die "port $port on 127.0.0.1 is taken by another program. Choose another: SERVICEREACH_PG_PORT=55433 $0 start"
  fi
  as_postgres "$pgbin/pg_ctl -D '$dir/data' -l '$dir/server.log' -o \"-p $port -c listen_addresses=127.0.0.1 -k '$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" -w -t 60 start" >/dev/null \
    || die "PostgreSQL did not start; see $dir/server.log"
  as_postgres "psql -X -tA -h 127.0.0.1 -p $port -U postgres -d postgres -c \"SELECT 1 FROM pg_database WHERE datname='$db'\"" | grep -q 1 \
    || psql_do postgres "CREATE DATABASE $db"
  psql_do "$db" "CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS pgrouting;"
  say "PostGIS running on 127.0.0.1:$port (data in $dir)"
}

stop() {
  if [ -n "${SERVICEREACH_DB:-}" ] && ! [ -f "$dir/data/postmaster.pid" ]; then return 0; fi
  if running; then as_postgres "$pgbin/pg_ctl -D '$dir/data' -m fast -w stop" >/dev/null; say "stopped the server in $dir"; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running; then echo "running: $conn"; else echo "not running ($dir)"; exit 3; fi ;;
  env) if [ -n "${SERVICEREACH_DB:-}" ]; then echo "export SERVICEREACH_DB='$SERVICEREACH_DB'"; else echo "export SERVICEREACH_DB='$conn'"; fi ;;
  # For scripts: eval "$(scripts/postgis.sh ensure)" starts the throwaway server unless SERVICEREACH_DB names one,
  # then exports the connection string. Everything but that one line goes to stderr, so eval sees only it.
  ensure) if [ -z "${SERVICEREACH_DB:-}" ]; then start >&2; fi; echo "export SERVICEREACH_DB='${SERVICEREACH_DB:-$conn}'" ;;
  destroy) stop; rm -rf "$dir"; say "removed $dir" ;;
  *) echo "usage: $0 start|stop|status|env|ensure|destroy" >&2; exit 2 ;;
esac
