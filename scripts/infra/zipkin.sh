#!/usr/bin/env bash
# Zipkin's server (the trace backend of the local stack), run from its jar on Maven Central with
# the machine's Java 17+, spans kept in memory (bounded), loopback only.
#
#   scripts/infra/zipkin.sh install     resolve the jar (cached, first run ~10 s)
#   scripts/infra/zipkin.sh start       install, start, wait until /health answers
#   scripts/infra/zipkin.sh stop | status
#   scripts/infra/zipkin.sh url         the endpoint spans are sent to (OTEL_EXPORTER_ZIPKIN_ENDPOINT)
#
# Env: ZIPKIN_PORT (9411: API, UI and span intake), ZIPKIN_HEAP (256m), ZIPKIN_MAX_SPANS (200000),
#      ZIPKIN_READY_TIMEOUT (60 s), ZIPKIN_STATE_DIR (<repo>/.infra/zipkin).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VERSION="3.5.1"
PORT="${ZIPKIN_PORT:-9411}"
HEAP="${ZIPKIN_HEAP:-256m}"
MAX_SPANS="${ZIPKIN_MAX_SPANS:-200000}"
READY_TIMEOUT="${ZIPKIN_READY_TIMEOUT:-60}"
STATE="${ZIPKIN_STATE_DIR:-$ROOT/.infra/zipkin}"
LOG="$STATE/zipkin.log"
PIDFILE="$STATE/zipkin.pid"
# In the user cache, so every checkout and worktree shares the one jar.
CACHE="${TODO_CHATBOT_CACHE:-$HOME/.cache/todo-chatbot}/zipkin/$VERSION"
JAR="$CACHE/zipkin-server-$VERSION-exec.jar"

die() { echo "zipkin.sh: error: $*" >&2; exit 1; }
log() { echo "zipkin.sh: $*" >&2; }

need_java() {
  local java="${JAVA_HOME:+$JAVA_HOME/bin/}java" major
  command -v "$java" >/dev/null || die "java not found (Zipkin $VERSION needs Java 17+)"
  major="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')"
  [[ "${major%%.*}" -ge 17 ]] || die "Java $major found; Zipkin $VERSION needs Java 17+"
  JAVA="$java"
}

install() {
  [[ -f "$JAR" ]] && return 0
  command -v mvn >/dev/null || die "mvn not found (needed once to fetch the Zipkin server jar)"
  log "fetching io.zipkin:zipkin-server:$VERSION (exec jar) from Maven Central into $CACHE (first run only)"
  local tmp="$CACHE.tmp.$$"
  rm -rf "$tmp"; mkdir -p "$tmp"
  # Into a temp dir, then renamed: an interrupted run never leaves half a jar in the cache.
  mvn -q -B dependency:copy -Dartifact="io.zipkin:zipkin-server:$VERSION:jar:exec" \
      -DoutputDirectory="$tmp" >"$tmp/mvn.log" 2>&1 \
    || { tail -n 30 "$tmp/mvn.log" >&2; rm -rf "$tmp"; die "maven could not fetch the Zipkin server jar"; }
  rm -rf "$CACHE"; mkdir -p "$(dirname "$CACHE")"; mv "$tmp" "$CACHE"
}

pid_alive() { [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
healthy() { curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  install
  need_java
  mkdir -p "$STATE"
  if pid_alive; then
    if healthy; then log "already running (pid $(cat "$PIDFILE")) on port $PORT"; return 0; fi
    die "a Zipkin process (pid $(cat "$PIDFILE")) is running but not answering on port $PORT; run '$0 stop' first"
  fi
  rm -f "$PIDFILE"
  port_open "$PORT" && die "port 127.0.0.1:$PORT is already in use by another process (set ZIPKIN_PORT)"
  log "starting Zipkin $VERSION on 127.0.0.1:$PORT (log: $LOG)"
  # setsid: its own process group, which the stack's reaper signals as a whole.
  # Its temp files in the state dir, which also names the checkout in its command line (the
  # ownership test finds what a run started by that).
  mkdir -p "$STATE/tmp"
  STORAGE_TYPE=mem MEM_MAX_SPANS="$MAX_SPANS" setsid nohup "$JAVA" -Xms64m -Xmx"$HEAP" \
    -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djava.awt.headless=true -Djava.io.tmpdir="$STATE/tmp" -jar "$JAR" \
    "--armeria.ports[0].ip=127.0.0.1" "--armeria.ports[0].port=$PORT" "--armeria.ports[0].protocols[0]=http" \
    >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  local deadline=$((SECONDS + READY_TIMEOUT))
  until healthy; do
    if ! pid_alive; then
      tail -n 40 "$LOG" >&2; rm -f "$PIDFILE"
      die "Zipkin exited during startup (full log: $LOG)"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 40 "$LOG" >&2; stop
      die "Zipkin not ready on port $PORT after ${READY_TIMEOUT}s (full log: $LOG)"
    fi
    sleep 0.5
  done
  log "ready on http://127.0.0.1:$PORT (pid $(cat "$PIDFILE"))"
}

stop() {
  if ! pid_alive; then rm -f "$PIDFILE"; log "not running"; return 0; fi
  local pid; pid="$(cat "$PIDFILE")"
  kill -TERM "$pid"
  for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then log "no clean exit after 10 s, killing $pid"; kill -KILL "$pid"; fi
  rm -f "$PIDFILE"
  log "stopped"
}

status() {
  if pid_alive && healthy; then echo "zipkin: running (pid $(cat "$PIDFILE")) on port $PORT, version $VERSION"
  elif pid_alive; then echo "zipkin: process $(cat "$PIDFILE") alive but not healthy on port $PORT"; return 1
  else echo "zipkin: stopped"; return 3
  fi
}

cmd="${1:-}"; shift || true
case "$cmd" in
  install) install; log "jar cached at $JAR" ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) echo "http://127.0.0.1:$PORT/api/v2/spans" ;;
  *) echo "usage: $0 install|start|stop|status|url" >&2; exit 2 ;;
esac
