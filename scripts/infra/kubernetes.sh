#!/usr/bin/env bash
# A single-node Kubernetes built from the Go module proxy (tools/kubernetes pins the release).
#
#   scripts/infra/kubernetes.sh install   build kube-apiserver, kube-controller-manager,
#        kube-scheduler, kubelet, kube-proxy and kubectl into the cache (cold: an hour or more of
#        CPU on 2 cores; warm: seconds) and link them into .infra/bin
#   scripts/infra/kubernetes.sh installed exit 0 when the cached binaries match tools/kubernetes
#
# The cache lives outside the clone (KUBE_CACHE_DIR, default ~/.cache/todo-chatbot/kubernetes) so a
# fresh clone on the same machine — what CI runs — finds it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MOD="$ROOT/tools/kubernetes"
BIN="$ROOT/.infra/bin"
CACHE="${KUBE_CACHE_DIR:-${HOME}/.cache/todo-chatbot/kubernetes}"
COMPONENTS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)

die() { echo "kubernetes.sh: error: $*" >&2; exit 1; }
log() { echo "kubernetes.sh: $*" >&2; }

KUBE_VERSION="$(sed -n 's:^[[:space:]]*\(require \)\{0,1\}k8s.io/kubernetes \(v[0-9][^ ]*\).*:\2:p' "$MOD/go.mod" | head -n1)"
[[ -n "$KUBE_VERSION" ]] || die "cannot read the k8s.io/kubernetes version from $MOD/go.mod"

# Cache key: the pinned module graph and the Go toolchain.
stamp() { { go version; cat "$MOD/go.mod" "$MOD/go.sum"; } | sha256sum | cut -c1-16; }

installed() {
  local dir="$CACHE/$KUBE_VERSION-$(stamp)" c
  for c in "${COMPONENTS[@]}"; do [[ -x "$dir/$c" ]] || return 1; done
}

install() {
  command -v go >/dev/null || die "go not found (needed to build Kubernetes)"
  local dir="$CACHE/$KUBE_VERSION-$(stamp)" c
  if ! installed; then
    log "building Kubernetes $KUBE_VERSION into $dir (cold build: an hour or more on 2 busy cores)"
    mkdir -p "$dir.tmp"
    local start=$SECONDS major minor pkgs=()
    major="${KUBE_VERSION#v}"; major="${major%%.*}"
    minor="${KUBE_VERSION#v*.}"; minor="${minor%%.*}"
    # An interrupted build keeps what it finished in $dir.tmp: build only the missing binaries.
    for c in "${COMPONENTS[@]}"; do [[ -x "$dir.tmp/$c" ]] || pkgs+=("k8s.io/kubernetes/cmd/$c"); done
    # As upstream's release build: static, no cgo, version stamped into component-base.
    local v=k8s.io/component-base/version
    ((${#pkgs[@]} == 0)) || (cd "$MOD" && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=readonly nice -n 15 go build -trimpath \
        -ldflags "-s -w -X $v.gitVersion=$KUBE_VERSION -X $v.gitMajor=$major -X $v.gitMinor=$minor -X $v.gitTreeState=clean -X $v.buildDate=1970-01-01T00:00:00Z" \
        -o "$dir.tmp/" "${pkgs[@]}") || die "go build of Kubernetes failed"
    rm -rf "$dir"; mv "$dir.tmp" "$dir"
    log "built Kubernetes $KUBE_VERSION in $((SECONDS - start))s ($(du -sh "$dir" | cut -f1))"
  fi
  mkdir -p "$BIN"
  for c in "${COMPONENTS[@]}"; do ln -sfn "$dir/$c" "$BIN/$c"; done
}

cmd="${1:-}"; shift || true
case "$cmd" in
  install) install; log "Kubernetes $KUBE_VERSION in $BIN" ;;
  installed) installed ;;
  *) echo "usage: $0 install|installed" >&2; exit 2 ;;
esac
