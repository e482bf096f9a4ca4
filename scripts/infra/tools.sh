#!/usr/bin/env bash
# Deployment tooling built from pinned sources (no release binaries can be downloaded
# here): helm, kubeconform, promtool, CoreDNS (the cluster's DNS, scripts/infra/cluster.sh) and
# (for npm run dashboard:snapshot, not built by default) the Prometheus server via `go install`
# from the Go module proxy (none of them has replace directives at these versions), and the Kubernetes
# JSON schemas kubeconform needs offline, taken from the PyPI package
# kubernetes-validate (which ships them per Kubernetes version).
#
#   scripts/infra/tools.sh install [helm|kubeconform|promtool|coredns|schemas ...]
#       (default: all but coredns, which only the cluster needs)
#   scripts/infra/tools.sh kubeconform [kubeconform flags] FILES...
#       kubeconform against the cached schemas (adds -schema-location and
#       -kubernetes-version; pass -ignore-missing-schemas for CRDs such as Dapr's).
#   scripts/infra/tools.sh path NAME     install NAME if needed, print its path (e.g. prometheus)
#   scripts/infra/tools.sh status
#
# Binaries go to <repo>/.infra/bin, schemas to ~/.cache/todo-chatbot/k8s-schemas.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${TOOLS_BIN_DIR:-$ROOT/.infra/bin}"
CACHE="${TODO_CHATBOT_CACHE:-$HOME/.cache/todo-chatbot}"

HELM_MOD="helm.sh/helm/v3/cmd/helm@v3.22.0"
KUBECONFORM_MOD="github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0"
# Prometheus' Go module versions map to releases: v0.316.0 is Prometheus 3.16.0.
PROMTOOL_MOD="github.com/prometheus/prometheus/cmd/promtool@v0.316.0"
COREDNS_MOD="github.com/coredns/coredns@v1.12.4"
# The server of the same release; built without its web UI's assets (the HTTP API is all it serves here).
PROMETHEUS_MOD="github.com/prometheus/prometheus/cmd/prometheus@v0.316.0"
SCHEMAS_PKG="kubernetes-validate==1.37.0"
K8S_VERSION="${K8S_SCHEMA_VERSION:-1.37.0}"
SCHEMAS="$CACHE/k8s-schemas/v$K8S_VERSION-local-strict"

die() { echo "tools.sh: error: $*" >&2; exit 1; }
log() { echo "tools.sh: $*" >&2; }

go_tool() { # go_tool NAME MODULE@VERSION
  local name="$1" mod="$2"
  if [[ -x "$BIN/$name" && "$(cat "$BIN/$name.stamp" 2>/dev/null)" == "$mod" ]]; then return 0; fi
  command -v go >/dev/null || die "go not found (needed to build $name)"
  log "building $name from $mod (cold: a few minutes)"
  local start=$SECONDS
  mkdir -p "$BIN"
  # GOTOOLCHAIN=local: never try to download a toolchain. Otherwise default flags:
  # -s -w (strip, ~30% smaller) only changes the link step, so packages compiled
  # by any plain `go install` of the same version come from the Go build cache.
  GOBIN="$BIN" GOTOOLCHAIN=local go install -ldflags "-s -w" "$mod" \
    || die "go install $mod failed"
  echo "$mod" >"$BIN/$name.stamp"
  log "built $BIN/$name in $((SECONDS - start))s ($(du -h "$BIN/$name" | cut -f1))"
}

schemas() {
  if [[ -f "$SCHEMAS/_definitions.json" ]]; then return 0; fi
  command -v python3 >/dev/null || die "python3 not found (needed to fetch $SCHEMAS_PKG from PyPI)"
  log "fetching Kubernetes v$K8S_VERSION JSON schemas from PyPI ($SCHEMAS_PKG)"
  local tmp; tmp="$(mktemp -d)"
  python3 -m pip download -q --no-deps -d "$tmp" "$SCHEMAS_PKG" || { rm -rf "$tmp"; die "pip download $SCHEMAS_PKG failed"; }
  # The wheel is a zip; only the one Kubernetes version we validate against is kept.
  python3 - "$tmp" "$SCHEMAS" "v$K8S_VERSION-local-strict" <<'EOF' || { rm -rf "$tmp"; die "no schemas for v$K8S_VERSION in the wheel"; }
import glob, os, sys, zipfile
tmp, dest, want = sys.argv[1:]
wheel = glob.glob(os.path.join(tmp, "*.whl"))[0]
prefix = f"kubernetes_validate/kubernetes-json-schema/{want}/"
staging = dest + ".tmp"
os.makedirs(staging, exist_ok=True)
n = 0
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith(prefix) and name.endswith(".json"):
            # Each file has an https "$id" and refs "/api/_definitions.json", which
            # kubernetes-validate resolves itself; point the refs at the local copy
            # (absolute file URL, as a relative one resolves against the https $id).
            data = z.read(name).replace(
                b'"/api/_definitions.json#', f'"file://{dest}/_definitions.json#'.encode())
            with open(os.path.join(staging, name[len(prefix):]), "wb") as f:
                f.write(data)
            n += 1
if n == 0:
    sys.exit(1)
os.replace(staging, dest)
print(f"tools.sh: {n} schema files in {dest}", file=sys.stderr)
EOF
  rm -rf "$tmp"
}

install() {
  local what=("$@")
  [[ ${#what[@]} -gt 0 ]] || what=(helm kubeconform promtool schemas)
  local w
  for w in "${what[@]}"; do # one build at a time (2 shared cores)
    case "$w" in
      helm) go_tool helm "$HELM_MOD" ;;
      kubeconform) go_tool kubeconform "$KUBECONFORM_MOD" ;;
      promtool) go_tool promtool "$PROMTOOL_MOD" ;;
      coredns) go_tool coredns "$COREDNS_MOD" ;;
      prometheus) go_tool prometheus "$PROMETHEUS_MOD" ;;
      schemas) schemas ;;
      *) die "unknown tool '$w' (helm|kubeconform|promtool|coredns|prometheus|schemas)" ;;
    esac
  done
}

kubeconform() {
  install kubeconform schemas
  # The schema files are named <kind>-<group>-<version>.json, which is kubeconform's
  # {{.ResourceKind}}{{.KindSuffix}}; their $refs point at the local _definitions.json.
  "$BIN/kubeconform" -strict -summary -kubernetes-version "$K8S_VERSION" \
    -schema-location "$SCHEMAS/{{ .ResourceKind }}{{ .KindSuffix }}.json" "$@"
}

status() {
  local t
  for t in helm kubeconform promtool coredns; do
    if [[ -x "$BIN/$t" ]]; then echo "$t: $(cat "$BIN/$t.stamp" 2>/dev/null || echo '?')"; else echo "$t: not built"; fi
  done
  if [[ -f "$SCHEMAS/_definitions.json" ]]; then echo "schemas: $SCHEMAS"; else echo "schemas: not fetched"; fi
}

cmd="${1:-}"; shift || true
case "$cmd" in
  install) install "$@" ;;
  path) install "$1"; echo "$BIN/$1" ;;
  kubeconform) kubeconform "$@" ;;
  status) status ;;
  *) echo "usage: $0 install [helm|kubeconform|promtool|coredns|prometheus|schemas ...] | path NAME | kubeconform ARGS | status" >&2; exit 2 ;;
esac
