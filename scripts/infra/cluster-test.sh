#!/usr/bin/env bash
# `npm run test:cluster`: a fresh cluster (scripts/infra/cluster.sh), the images of `npm run images`
# loaded into it, tests/cluster run inside its network namespace, and the cluster taken down on
# any exit. The upgrade target is the same app image under a second tag (<tag>-next).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLUSTER="$ROOT/scripts/infra/cluster.sh"
PODMAN="$ROOT/scripts/containers/podman"
tag="$(cat "$ROOT/.infra/images/app.tag" 2>/dev/null)" || { echo "cluster-test: no app image: npm run images" >&2; exit 1; }
"$PODMAN" tag "localhost/todo/app:$tag" "localhost/todo/app:$tag-next"

trap 'bash "$CLUSTER" down' EXIT
bash "$CLUSTER" down
started=$SECONDS
bash "$CLUSTER" up
echo "cluster-test: cluster and Dapr control plane up in $((SECONDS - started)) s" >&2
bash "$CLUSTER" load "localhost/todo/app:$tag" "localhost/todo/app:$tag-next" \
  localhost/todo/postgres:15 localhost/todo/kafka:4 localhost/todo/node:24
cd "$ROOT"
CLUSTER_APP_TAG="$tag" CLUSTER_NEXT_TAG="$tag-next" bash "$CLUSTER" exec npx vitest run --config vitest.cluster.config.ts
