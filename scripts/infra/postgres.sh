#!/usr/bin/env bash
# PostgreSQL from Debian packages, run as a private cluster on loopback for tests and the local stack.
# Usage: scripts/infra/postgres.sh install|start|stop|status|url
# Idempotent: install skips when the server binaries exist; start skips when the cluster answers.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PG_PORT="${PG_PORT:-15432}"
# Outside the checkout: the unprivileged postgres user must be able to reach it.
PG_DIR="${PG_DIR:-/var/tmp/todo-chatbot/postgres}"
PG_DATA="$PG_DIR/data"
PG_LOG="$PG_DIR/postgres.log"
PG_VERSION="${PG_VERSION:-15}"

die() { echo "postgres.sh: $*" >&2; exit 1; }

pg_bin() {
  local dir
  for dir in "/usr/lib/postgresql/$PG_VERSION/bin" /usr/lib/postgresql/*/bin; do
    [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
  done
  return 1
}

install() {
  pg_bin >/dev/null && return 0
  echo "postgres.sh: installing PostgreSQL $PG_VERSION from Debian packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed"
  apt-get install -y -qq "postgresql-$PG_VERSION" >/dev/null || apt-get install -y -qq postgresql >/dev/null ||
    die "could not install PostgreSQL from Debian packages"
  pg_bin >/dev/null || die "PostgreSQL installed but pg_ctl not found under /usr/lib/postgresql"
}

# The Debian server refuses to run as root, so the cluster belongs to the unprivileged 'postgres' user.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$PG_DIR" --shell /usr/sbin/nologin postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

ready() { "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres; }

start() {
  install
  local bin; bin="$(pg_bin)"
  ready && return 0
  mkdir -p "$PG_DIR"
  [ "$(id -u)" = 0 ] && { id postgres >/dev/null 2>&1 || as_owner true; chown postgres "$PG_DIR"; }
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null ||
      die "initdb failed in $PG_DATA"
  fi
  # Loopback only; fsync stays on so a crash test on this server means what it says.
  as_owner "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c max_connections=200" start >/dev/null ||
    die "server did not start; last log lines:\n$(tail -n 20 "$PG_LOG" 2>/dev/null)"
  for _ in $(seq 1 60); do ready && { echo "postgres.sh: ready on 127.0.0.1:$PG_PORT" >&2; return 0; }; sleep 0.5; done
  die "server started but does not answer on 127.0.0.1:$PG_PORT"
}

stop() {
  local bin; bin="$(pg_bin)" || return 0
  [ -f "$PG_DATA/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
  return 0
}

status() { ready && echo "running on 127.0.0.1:$PG_PORT" || { echo "not running"; return 1; }; }

case "${1:-start}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) echo "postgres://postgres@127.0.0.1:$PG_PORT/postgres" ;;
  *) die "usage: $0 install|start|stop|status|url" ;;
esac
