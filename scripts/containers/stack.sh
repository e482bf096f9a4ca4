#!/usr/bin/env bash
# The distributed stack as containers (the images of `npm run images`), in one podman pod: its own
# network namespace shared by every container, as the containers of a Kubernetes pod share one —
# so PostgreSQL, Kafka, the Dapr scheduler, the SMTP catcher, every service and its daprd sidecar
# reach each other on 127.0.0.1 with the ports and Dapr resources of the local stack
# (deploy/dapr/local). Only the api and the catcher's HTTP listing are published, on host loopback
# (slirp4netns forwards to the pod's own address, so those two listen on 0.0.0.0 inside the pod).
#
#   scripts/containers/stack.sh up      replace any pod of the same name, start everything, wait
#                                       until every service answers /readyz (bounded)
#   scripts/containers/stack.sh down    remove the pod and everything in it
#   scripts/containers/stack.sh logs CONTAINER
#
# Env: CONTAINERS_POD (todo-stack), CONTAINERS_API_PORT (3401: the api on host 127.0.0.1),
#      CONTAINERS_MAIL_PORT (3425: GET /messages of the SMTP catcher), CONTAINERS_READY_TIMEOUT (240 s).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PODMAN="$ROOT/scripts/containers/podman"
POD="${CONTAINERS_POD:-todo-stack}"
API_PORT="${CONTAINERS_API_PORT:-3401}"
MAIL_PORT="${CONTAINERS_MAIL_PORT:-3425}"
READY_TIMEOUT="${CONTAINERS_READY_TIMEOUT:-240}"
APP_IMAGE="localhost/todo/app:$(cat "$ROOT/.infra/images/app.tag" 2>/dev/null || echo latest)"
SERVICES=(api recurring-task notification audit websocket-sync)
# Inside the pod, as in scripts/stack.ts: service i on 3001+i, its daprd on 3500+i / 17001+10i.
KAFKA_BROKERS=127.0.0.1:19092
# The database URL of the local Dapr secret store (DEV-ONLY), which the services would read through
# their sidecars anyway; the one-shot migration has no sidecar. Distributed mode refuses the
# published JWT secret and needs both Dapr tokens: fresh ones for each pod, as scripts/stack.ts does.
SECRETS="$ROOT/deploy/dapr/local/secrets.json"
DATABASE_URL="$(jq -r '."database-credentials".connectionString' "$SECRETS")"
random_token() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
JWT_SECRET="$(random_token)"
APP_API_TOKEN="$(random_token)"
DAPR_API_TOKEN="$(random_token)"

log() { echo "containers: $*" >&2; }
die() { log "error: $*"; exit 1; }

app_id() { echo "$1-service"; }

# Read-only root filesystem, writable /tmp, non-root: as the chart runs every container.
run() { # run NAME IMAGE [podman run args...] -- [command...]
  local name="$1" image="$2"; shift 2
  "$PODMAN" run -d --pod "$POD" --name "$POD-$name" --read-only --tmpfs /tmp:rw,size=256m \
    --log-driver k8s-file "$@" >/dev/null || die "starting $name ($image) failed"
}

wait_for() { # wait_for LABEL COMMAND...: until the command succeeds, bounded by READY_TIMEOUT
  local label="$1" deadline=$((SECONDS + READY_TIMEOUT)); shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "$label not ready after ${READY_TIMEOUT}s"
    sleep 1
  done
}

in_pod() { "$PODMAN" exec "$POD-postgres" "$@"; }
pod_http_ok() { # pod_http_ok URL: an HTTP GET from inside the pod (the catcher's Node)
  "$PODMAN" exec "$POD-smtp" node -e "fetch('$1').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
}

up() {
  local started=$SECONDS i name
  "$PODMAN" image exists "$APP_IMAGE" || die "no $APP_IMAGE: run npm run images first"
  # podman makes each pod's infra container from catatonit (Debian package).
  command -v catatonit >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq catatonit >/dev/null \
    || die "apt-get install catatonit failed"
  down_quiet
  log "pod $POD: api on 127.0.0.1:$API_PORT, mail listing on 127.0.0.1:$MAIL_PORT"
  # slirp4netns: a network namespace of its own with user-mode networking; published ports are
  # bound on host loopback only.
  "$PODMAN" pod create --name "$POD" --network slirp4netns \
    -p "127.0.0.1:$API_PORT:3001" -p "127.0.0.1:$MAIL_PORT:8025" >/dev/null || die "pod create failed"

  run postgres localhost/todo/postgres:15 -e PGPORT=15432 -e PGDATA=/tmp/pgdata localhost/todo/postgres:15
  # Dapr's service invocation resolves app ids by mDNS, which needs an interface that can multicast;
  # neither lo nor slirp4netns' tap0 can by default ("zeroconf register: No supported interface").
  # Multicast on the pod's loopback, with the host's iproute2 in the pod's network namespace.
  local netns
  netns="$("$PODMAN" inspect --format '{{.NetworkSettings.SandboxKey}}' \
    "$("$PODMAN" pod inspect "$POD" --format '{{.InfraContainerID}}')")"
  nsenter --net="$netns" ip link set lo multicast on && nsenter --net="$netns" ip route add 224.0.0.0/4 dev lo \
    || die "could not enable multicast on the pod's loopback"
  run kafka localhost/todo/kafka:4 -e KAFKA_PORT=19092 -e KAFKA_CONTROLLER_PORT=19093 -e KAFKA_DATA=/tmp/kafka-data \
    localhost/todo/kafka:4
  run scheduler localhost/todo/dapr:1.16 --entrypoint /usr/local/bin/scheduler localhost/todo/dapr:1.16 \
    --mode standalone --listen-address 127.0.0.1 --port 16006 \
    --healthz-listen-address 127.0.0.1 --healthz-port 16080 \
    --metrics-listen-address 127.0.0.1 --metrics-port 16090 \
    --id dapr-scheduler-server-0 --etcd-data-dir /tmp/scheduler \
    --etcd-client-listen-address 127.0.0.1 --etcd-client-port 16379 \
    --etcd-initial-cluster dapr-scheduler-server-0=http://127.0.0.1:16380 --log-level warn
  run smtp localhost/todo/node:24 -v "$ROOT:/src:ro" -w /src -e HOME=/tmp localhost/todo/node:24 \
    node --import tsx scripts/containers/smtp-catcher.ts

  wait_for PostgreSQL in_pod /usr/lib/postgresql/15/bin/pg_isready -h 127.0.0.1 -p 15432
  log "PostgreSQL ready ($((SECONDS - started)) s)"
  # Topics and migrations: the one-shot commands of the app image, as the chart's hook Jobs run them.
  wait_for "Kafka topics" "$PODMAN" run --rm --pod "$POD" --read-only --tmpfs /tmp -e KAFKA_BROKERS="$KAFKA_BROKERS" \
    --entrypoint node "$APP_IMAGE" runtime/src/topics.js provision
  log "Kafka up, topics provisioned ($((SECONDS - started)) s)"
  "$PODMAN" run --rm --pod "$POD" --read-only --tmpfs /tmp -e DATABASE_URL="$DATABASE_URL" -e JWT_SECRET="$JWT_SECRET" \
    --entrypoint node "$APP_IMAGE" runtime/src/migrate.js up >/dev/null || die "migrations failed"
  log "migrated ($((SECONDS - started)) s)"

  for i in "${!SERVICES[@]}"; do
    name="${SERVICES[$i]}"
    # daprd reads deploy/dapr/local relative to its working directory (the secrets file).
    run "daprd-$name" localhost/todo/dapr:1.16 -v "$ROOT/deploy:/dapr/deploy:ro" -w /dapr -e HOME=/tmp \
      -e APP_API_TOKEN="$APP_API_TOKEN" -e DAPR_API_TOKEN="$DAPR_API_TOKEN" localhost/todo/dapr:1.16 \
      --mode standalone --app-id "$(app_id "$name")" \
      --dapr-listen-addresses 127.0.0.1 --dapr-http-port $((3500 + i)) --dapr-grpc-port $((17001 + 10 * i)) \
      --dapr-internal-grpc-listen-address 127.0.0.1 --dapr-internal-grpc-port $((17002 + 10 * i)) \
      --metrics-listen-address 127.0.0.1 --metrics-port $((9091 + i)) \
      --resources-path deploy/dapr/local --config deploy/dapr/local/config/config.yaml \
      --scheduler-host-address 127.0.0.1:16006 --placement-host-address "" \
      --app-port $((3001 + i)) --app-channel-address 127.0.0.1 --log-level warn
    # One network namespace for the pod: each service's /metrics listener needs a port of its own.
    run "$name" "$APP_IMAGE" -e PORT=$((3001 + i)) -e METRICS_PORT=$((9464 + i)) -e DAPR_HTTP_PORT=$((3500 + i)) \
      -e POD_NAME="$name" -e APP_API_TOKEN="$APP_API_TOKEN" -e DAPR_API_TOKEN="$DAPR_API_TOKEN" \
      -e DATABASE_URL="$DATABASE_URL" -e JWT_SECRET="$JWT_SECRET" -e KAFKA_BROKERS="$KAFKA_BROKERS" -e LOG_LEVEL=warn \
      -e SMTP_URL=smtp://127.0.0.1:2525 -e 'MAIL_FROM=Todo <reminders@todo.test>' "$APP_IMAGE" "$name"
  done
  for i in "${!SERVICES[@]}"; do
    wait_for "${SERVICES[$i]}" pod_http_ok "http://127.0.0.1:$((3001 + i))/readyz"
  done
  log "every service ready in $((SECONDS - started)) s; http://127.0.0.1:$API_PORT"
}

down_quiet() { "$PODMAN" pod rm -f -t 10 "$POD" >/dev/null 2>&1 || true; }

case "${1:-}" in
  up) up ;;
  down) down_quiet; log "pod $POD removed" ;;
  logs) "$PODMAN" logs "$POD-${2:?usage: $0 logs CONTAINER}" ;;
  *) echo "usage: $0 up|down|logs CONTAINER" >&2; exit 2 ;;
esac
