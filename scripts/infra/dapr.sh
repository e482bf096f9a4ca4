#!/usr/bin/env bash
# Dapr for local distributed-mode runs: builds daprd and the scheduler from the Go
# module proxy at the version pinned in tools/dapr/go.mod (no release binaries can
# be downloaded here), runs a standalone scheduler with embedded etcd, and starts
# daprd sidecars. Everything listens on 127.0.0.1 only.
#
#   scripts/infra/dapr.sh install            build .infra/bin/{daprd,scheduler} (cached; cold ~10+ min)
#   scripts/infra/dapr.sh install-control-plane
#        also build the Kubernetes control plane: operator, injector, sentry, placement
#        (upstream's cmd/* unchanged; tool directives of tools/dapr/go.mod keep their modules)
#   scripts/infra/dapr.sh start-scheduler    install, start the scheduler, wait until healthy
#   scripts/infra/dapr.sh start-daprd APP_ID [daprd flags...]
#        start a sidecar in the background, wait until /v1.0/healthz/outbound answers.
#        Env (defaults): DAPR_RESOURCES_PATH (required), DAPR_HTTP_PORT (3500),
#        DAPR_GRPC_PORT (17001), DAPR_INTERNAL_GRPC_PORT (17002), DAPR_METRICS_PORT (9091),
#        APP_PORT (none: no app channel), DAPR_CONFIG (none), DAPR_LOG_LEVEL (info),
#        DAPR_INSTANCE (APP_ID: names the pid and log files, so replicas of one app id can run),
#        APP_API_TOKEN (daprd sends it as dapr-api-token on every call to the app) and
#        DAPR_API_TOKEN (daprd requires it on every call of its API but the health checks).
#        Example:
#          DAPR_RESOURCES_PATH=deploy/dapr/local APP_PORT=8080 \
#            scripts/infra/dapr.sh start-daprd api --enable-api-logging
#   scripts/infra/dapr.sh stop-daprd INSTANCE   (DAPR_INSTANCE of start-daprd; APP_ID by default)
#   scripts/infra/dapr.sh stop               stop the scheduler and every sidecar started here
#   scripts/infra/dapr.sh status
#   scripts/infra/dapr.sh daprd-args APP_ID  print the daprd command line start-daprd would run
#
# Scheduler env: DAPR_SCHEDULER_PORT (16006), DAPR_SCHEDULER_HEALTHZ_PORT (16080),
# DAPR_SCHEDULER_METRICS_PORT (16090), DAPR_SCHEDULER_ETCD_CLIENT_PORT (16379),
# DAPR_SCHEDULER_ETCD_PEER_PORT (16380), DAPR_READY_TIMEOUT (60 s).
# Every default port is below 32768: Linux hands out 32768-60999 as source ports of outgoing
# connections, and a fixed listener in that range fails now and then with "address already in
# use" while Kafka and PostgreSQL clients are busy (CI lost a run to the old healthz port 58080).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MOD="$ROOT/tools/dapr"
BIN="${DAPR_BIN_DIR:-$ROOT/.infra/bin}"
STATE="${DAPR_STATE_DIR:-$ROOT/.infra/dapr}"
READY_TIMEOUT="${DAPR_READY_TIMEOUT:-60}"

SCHED_PORT="${DAPR_SCHEDULER_PORT:-16006}"
SCHED_HEALTHZ_PORT="${DAPR_SCHEDULER_HEALTHZ_PORT:-16080}"
SCHED_METRICS_PORT="${DAPR_SCHEDULER_METRICS_PORT:-16090}"
ETCD_CLIENT_PORT="${DAPR_SCHEDULER_ETCD_CLIENT_PORT:-16379}"
ETCD_PEER_PORT="${DAPR_SCHEDULER_ETCD_PEER_PORT:-16380}"

die() { echo "dapr.sh: error: $*" >&2; exit 1; }
log() { echo "dapr.sh: $*" >&2; }

DAPR_VERSION="$(sed -n 's:^[[:space:]]*github.com/dapr/dapr \(v[0-9][^ ]*\).*:\1:p' "$MOD/go.mod" | head -n1)"
[[ -n "$DAPR_VERSION" ]] || die "cannot read the github.com/dapr/dapr version from $MOD/go.mod"

# Cache key: the pinned module graph, our own sources and the Go toolchain.
stamp() {
  { go version; cat "$MOD/go.mod" "$MOD/go.sum"; find "$MOD" -name '*.go' | sort | xargs cat; } \
    | sha256sum | cut -c1-16
}

build() { # build NAME PACKAGE
  local name="$1" pkg="$2" out="$BIN/$1" want
  want="$DAPR_VERSION-$(stamp)"
  if [[ -x "$out" && "$(cat "$out.stamp" 2>/dev/null)" == "$want" ]]; then return 0; fi
  log "building $name $DAPR_VERSION (cold build: several minutes, more on a busy machine)"
  mkdir -p "$BIN"
  local start=$SECONDS
  # CGO off like upstream release builds (static binary); GOTOOLCHAIN=local so a go
  # directive bump never tries to download a toolchain; -s -w strips ~30% off the size.
  (cd "$MOD" && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=readonly go build -trimpath \
      -ldflags "-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=${DAPR_VERSION#v}" \
      -o "$out.tmp" "$pkg") || die "go build of $name failed"
  mv "$out.tmp" "$out"
  echo "$want" >"$out.stamp"
  log "built $out in $((SECONDS - start))s ($(du -h "$out" | cut -f1))"
}

install() {
  command -v go >/dev/null || die "go not found (needed to build daprd and the scheduler)"
  # One build at a time: they share the 2 cores with everything else.
  build daprd ./cmd/daprd
  build scheduler ./cmd/scheduler
}

install_control_plane() {
  install
  local c
  for c in operator injector sentry placement; do build "$c" "github.com/dapr/dapr/cmd/$c"; done
}

pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
http_ok() { curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; }

stop_pid() { # stop_pid PIDFILE NAME
  local pidfile="$1" name="$2" pid
  if ! pid_alive "$pidfile"; then rm -f "$pidfile"; return 0; fi
  pid="$(cat "$pidfile")"
  kill -TERM "$pid"
  for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then log "$name did not exit in 10 s, killing $pid"; kill -KILL "$pid"; fi
  rm -f "$pidfile"
  log "stopped $name"
}

wait_ready() { # wait_ready NAME PIDFILE LOGFILE URL
  local name="$1" pidfile="$2" logfile="$3" url="$4" deadline=$((SECONDS + READY_TIMEOUT))
  until http_ok "$url"; do
    if ! pid_alive "$pidfile"; then
      tail -n 30 "$logfile" >&2; rm -f "$pidfile"
      die "$name exited during startup (full log: $logfile)"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 30 "$logfile" >&2; stop_pid "$pidfile" "$name"
      die "$name not healthy at $url after ${READY_TIMEOUT}s (full log: $logfile)"
    fi
    sleep 0.5
  done
}

start_scheduler() {
  install
  local pidfile="$STATE/scheduler.pid" logfile="$STATE/scheduler.log"
  mkdir -p "$STATE/scheduler"
  if pid_alive "$pidfile"; then
    http_ok "http://127.0.0.1:$SCHED_HEALTHZ_PORT/healthz" \
      || die "scheduler (pid $(cat "$pidfile")) is running but unhealthy; run '$0 stop' first"
    log "scheduler already running (pid $(cat "$pidfile")) on 127.0.0.1:$SCHED_PORT"
    return 0
  fi
  local p
  for p in "$SCHED_PORT" "$SCHED_HEALTHZ_PORT" "$SCHED_METRICS_PORT" "$ETCD_CLIENT_PORT" "$ETCD_PEER_PORT"; do
    if port_open "$p"; then die "port 127.0.0.1:$p is already in use (see DAPR_SCHEDULER_* in $0)"; fi
  done
  log "starting scheduler $DAPR_VERSION on 127.0.0.1:$SCHED_PORT (log: $logfile)"
  # Standalone mode, no mTLS (no sentry locally); every listener pinned to loopback,
  # including embedded etcd (its peer URL comes from --etcd-initial-cluster).
  setsid nohup "$BIN/scheduler" \
    --mode standalone \
    --listen-address 127.0.0.1 --port "$SCHED_PORT" \
    --healthz-listen-address 127.0.0.1 --healthz-port "$SCHED_HEALTHZ_PORT" \
    --metrics-listen-address 127.0.0.1 --metrics-port "$SCHED_METRICS_PORT" \
    --id dapr-scheduler-server-0 \
    --etcd-data-dir "$STATE/scheduler" \
    --etcd-client-listen-address 127.0.0.1 --etcd-client-port "$ETCD_CLIENT_PORT" \
    --etcd-initial-cluster "dapr-scheduler-server-0=http://127.0.0.1:$ETCD_PEER_PORT" \
    --log-level "${DAPR_LOG_LEVEL:-info}" \
    >>"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
  wait_ready scheduler "$pidfile" "$logfile" "http://127.0.0.1:$SCHED_HEALTHZ_PORT/healthz"
  log "scheduler ready on 127.0.0.1:$SCHED_PORT (pid $(cat "$pidfile"))"
}

# The daprd command line for a sidecar; extra daprd flags are appended.
daprd_args() {
  local app_id="$1"; shift
  [[ -n "${DAPR_RESOURCES_PATH:-}" ]] || die "set DAPR_RESOURCES_PATH to the components/resources directory"
  local args=(
    "$BIN/daprd" --mode standalone --app-id "$app_id"
    --dapr-listen-addresses 127.0.0.1
    --dapr-http-port "${DAPR_HTTP_PORT:-3500}" --dapr-grpc-port "${DAPR_GRPC_PORT:-17001}"
    --dapr-internal-grpc-listen-address 127.0.0.1 --dapr-internal-grpc-port "${DAPR_INTERNAL_GRPC_PORT:-17002}"
    --metrics-listen-address 127.0.0.1 --metrics-port "${DAPR_METRICS_PORT:-9091}"
    --resources-path "$DAPR_RESOURCES_PATH"
    # Jobs API (reminders) goes to our scheduler; no actors, so no placement service.
    --scheduler-host-address "127.0.0.1:$SCHED_PORT" --placement-host-address ""
    --log-level "${DAPR_LOG_LEVEL:-info}"
  )
  if [[ -n "${APP_PORT:-}" ]]; then args+=(--app-port "$APP_PORT" --app-channel-address 127.0.0.1); fi
  if [[ -n "${DAPR_CONFIG:-}" ]]; then args+=(--config "$DAPR_CONFIG"); fi
  printf '%q ' "${args[@]}" "$@"; echo
}

start_daprd() {
  local app_id="${1:?usage: $0 start-daprd APP_ID [daprd flags...]}"; shift
  install
  local instance="${DAPR_INSTANCE:-$app_id}"
  local pidfile="$STATE/daprd-$instance.pid" logfile="$STATE/daprd-$instance.log" cmdline
  local http_port="${DAPR_HTTP_PORT:-3500}"
  if pid_alive "$pidfile"; then die "daprd $instance already running (pid $(cat "$pidfile"))"; fi
  if port_open "$http_port"; then die "port 127.0.0.1:$http_port is already in use (set DAPR_HTTP_PORT)"; fi
  cmdline="$(daprd_args "$app_id" "$@")"
  mkdir -p "$STATE"
  log "starting daprd $instance (app id $app_id) on http 127.0.0.1:$http_port (log: $logfile)"
  # eval: cmdline was quoted with printf %q above.
  eval "setsid nohup $cmdline >>\"\$logfile\" 2>&1 </dev/null &"
  echo $! >"$pidfile"
  # outbound = the sidecar's own APIs and components are up (independent of the app).
  wait_ready "daprd[$instance]" "$pidfile" "$logfile" "http://127.0.0.1:$http_port/v1.0/healthz/outbound"
  log "daprd $instance ready (pid $(cat "$pidfile"))"
}

stop_all() {
  local f
  for f in "$STATE"/daprd-*.pid; do
    [[ -e "$f" ]] || continue
    stop_pid "$f" "daprd[$(basename "$f" .pid | sed 's/^daprd-//')]"
  done
  stop_pid "$STATE/scheduler.pid" scheduler
}

status() {
  local rc=0 f
  if [[ -x "$BIN/daprd" ]]; then echo "daprd: built ($("$BIN/daprd" --version))"; else echo "daprd: not built"; rc=3; fi
  if pid_alive "$STATE/scheduler.pid" && http_ok "http://127.0.0.1:$SCHED_HEALTHZ_PORT/healthz"; then
    echo "scheduler: running (pid $(cat "$STATE/scheduler.pid")) on 127.0.0.1:$SCHED_PORT"
  else
    echo "scheduler: stopped"; rc=3
  fi
  for f in "$STATE"/daprd-*.pid; do
    [[ -e "$f" ]] || continue
    if pid_alive "$f"; then echo "$(basename "$f" .pid): running (pid $(cat "$f"))"; fi
  done
  return "$rc"
}

cmd="${1:-}"; shift || true
case "$cmd" in
  install) install; log "daprd and scheduler $DAPR_VERSION in $BIN" ;;
  install-control-plane) install_control_plane; log "Dapr $DAPR_VERSION control plane in $BIN" ;;
  start-scheduler) start_scheduler ;;
  start-daprd) start_daprd "$@" ;;
  stop-daprd) stop_pid "$STATE/daprd-${1:?usage: $0 stop-daprd INSTANCE}.pid" "daprd[$1]" ;;
  daprd-args) daprd_args "$@" ;;
  stop) stop_all ;;
  status) status ;;
  *) echo "usage: $0 install|install-control-plane|start-scheduler|start-daprd APP_ID [flags]|stop-daprd INSTANCE|daprd-args APP_ID|stop|status" >&2; exit 2 ;;
esac
