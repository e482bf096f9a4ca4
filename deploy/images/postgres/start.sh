#!/bin/sh
# initdb on first start, then PostgreSQL in the foreground (PID 1, so SIGTERM/SIGINT shut it down).
set -eu
bin=/usr/lib/postgresql/15/bin
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  "$bin/initdb" --pgdata="$PGDATA" --username=postgres --auth=trust --encoding=UTF8 >/dev/null
fi
exec "$bin/postgres" -D "$PGDATA" -k /tmp -c listen_addresses="$PG_LISTEN" -p "$PGPORT" \
  -c max_connections=300 -c fsync=off "$@"
