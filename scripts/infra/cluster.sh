#!/usr/bin/env bash
# A single-node Kubernetes on this machine, every part a real program built or installed here:
# etcd (Debian's etcd-server), kube-apiserver, kube-controller-manager, kube-scheduler, kubelet and
# kube-proxy (scripts/infra/kubernetes.sh), containerd (Debian) running pods through the runc
# wrapper that drops rlimits (scripts/containers/runc-without-rlimits), the CNI bridge, host-local,
# portmap and loopback plugins (Debian's containernetworking-plugins), CoreDNS as a pod and the
# Dapr control plane installed with Dapr's Helm chart. Images: `npm run images` first.
#
#   scripts/infra/cluster.sh up       start everything (idempotent: a running cluster is kept)
#   scripts/infra/cluster.sh down     stop every pod and process it started, remove its network
#   scripts/infra/cluster.sh status   what runs; exit 0 when the node is Ready
#   scripts/infra/cluster.sh load IMAGE...   copy images from this checkout's podman storage
#                                            into the cluster (podman save | ctr images import)
#   scripts/infra/cluster.sh exec CMD...     run CMD inside the cluster's network, KUBECONFIG set
#   scripts/infra/cluster.sh kubectl ARGS... kubectl against the cluster (inside its network)
#
# Network: the whole cluster lives in a network namespace of its own (CLUSTER_NETNS, todo-k8s):
# the node's address (10.201.0.1, on a veth pair with both ends inside), the pod bridge (10.244.0.0/24), the service
# range (10.96.0.0/16, DNS at 10.96.0.10) and every listener exist only there, so nothing is
# reachable from or sent to any other network, and the default ports cannot collide with the
# host's. Processes enter it with `nsenter --net` (not `ip netns exec`, whose private mount
# namespace would hide the kubelet's volume mounts from containerd).
#
# Ownership: every process started is recorded in $STATE/pids (PID STARTTIME, as
# scripts/stack-reaper.sh does), `down` stops them (pods first, through containerd), unmounts what
# the kubelet and containerd mounted under $STATE and /run/todo-k8s, and deletes the namespace;
# `up` runs `down` first when it finds the records of a cluster that is no longer whole.
# Every wait is bounded (CLUSTER_READY_TIMEOUT, 180 s each).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="$ROOT/.infra/bin"
STATE="${CLUSTER_STATE_DIR:-$ROOT/.infra/cluster}"
RUN="/run/todo-k8s"
NETNS="${CLUSTER_NETNS:-todo-k8s}"
READY_TIMEOUT="${CLUSTER_READY_TIMEOUT:-180}"
NODE=todo-node
NODE_IP=10.201.0.1
POD_SUBNET=10.244.0.0/24
SERVICE_RANGE=10.96.0.0/16
KUBERNETES_SERVICE_IP=10.96.0.1
DNS_SERVICE_IP=10.96.0.10
SOCK="$RUN/containerd.sock"
PKI="$STATE/pki"
KUBECONFIG_ADMIN="$STATE/admin.kubeconfig"
CNI_BIN=/usr/lib/cni
# Started in this order, stopped in the reverse one.
DAEMONS=(etcd containerd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy)

die() { echo "cluster.sh: error: $*" >&2; exit 1; }
log() { echo "cluster.sh: $*" >&2; }

in_ns() { nsenter --net="/run/netns/$NETNS" "$@"; }
kc() { in_ns "$BIN/kubectl" --kubeconfig "$KUBECONFIG_ADMIN" "$@"; }
ctr_k8s() { ctr --address "$SOCK" --namespace k8s.io "$@"; }

starttime() { # field 22 of /proc/PID/stat; empty when PID does not exist
  local stat rest
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
  read -r -a rest <<<"${stat##*) }"
  echo "${rest[19]}"
}
running() { # running NAME → the recorded process still runs
  local pid start
  [[ -f "$STATE/pids/$1" ]] && read -r pid start <"$STATE/pids/$1" || return 1
  [[ -n "$pid" && "$(starttime "$pid")" == "$start" ]]
}

# wait_for WHAT COMMAND...: poll until COMMAND succeeds, bounded by READY_TIMEOUT.
wait_for() {
  local what="$1" deadline=$((SECONDS + READY_TIMEOUT)); shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "$what not ready after ${READY_TIMEOUT}s (logs: $STATE/logs)"
    sleep 1
  done
}

# daemon NAME COMMAND...: start COMMAND in the cluster's network, in its own session, logged.
daemon() {
  local name="$1" pid; shift
  if running "$name"; then return 0; fi
  log "starting $name (log: $STATE/logs/$name.log)"
  setsid nsenter --net="/run/netns/$NETNS" "$@" >>"$STATE/logs/$name.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid $(starttime "$pid")" >"$STATE/pids/$name"
  sleep 0.5
  running "$name" || { tail -n 20 "$STATE/logs/$name.log" >&2; die "$name exited at once"; }
}

need() { # need COMMAND DEBIAN_PACKAGE
  command -v "$1" >/dev/null || die "$1 not found: apt-get install $2"
}

network() {
  if [[ ! -e "/run/netns/$NETNS" ]]; then
    ip netns add "$NETNS"
  fi
  in_ns ip link set lo up
  if ! in_ns ip link show node0 >/dev/null 2>&1; then
    # A veth pair with both ends inside (the kernel here has no dummy interface type).
    in_ns ip link add node0 type veth peer name node0-peer
    in_ns ip addr add "$NODE_IP/32" dev node0
    in_ns ip link set node0 up
    in_ns ip link set node0-peer up
  fi
  # No default route leaves the namespace (it has no link out); the kubelet and kube-proxy want
  # one to pick the node's interface, so it points at node0.
  in_ns ip route replace default dev node0
  in_ns sysctl -qw net.ipv4.ip_forward=1
  in_ns sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
}

# cert NAME CN ORG [SANS]: a key and a certificate signed by the cluster's CA.
cert() {
  local name="$1" cn="$2" org="$3" sans="${4:-}" subject="/CN=$2"
  [[ -s "$PKI/$name.crt" ]] && return 0
  [[ -n "$org" ]] && subject="/O=$org/CN=$cn"
  openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -keyout "$PKI/$name.key" \
    -out "$PKI/$name.csr" -subj "$subject" 2>/dev/null
  {
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=serverAuth,clientAuth"
    [[ -n "$sans" ]] && echo "subjectAltName=$sans"
  } >"$PKI/$name.ext"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 30 -extfile "$PKI/$name.ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr" "$PKI/$name.ext"
}

kubeconfig() { # kubeconfig NAME CERT
  local file="$STATE/$1.kubeconfig" k=("$BIN/kubectl" --kubeconfig "$STATE/$1.kubeconfig")
  [[ -s "$file" ]] && return 0
  "${k[@]}" config set-cluster todo --server "https://127.0.0.1:6443" \
    --certificate-authority "$PKI/ca.crt" --embed-certs >/dev/null
  "${k[@]}" config set-credentials "$1" --client-certificate "$PKI/$2.crt" \
    --client-key "$PKI/$2.key" --embed-certs >/dev/null
  "${k[@]}" config set-context todo --cluster todo --user "$1" >/dev/null
  "${k[@]}" config use-context todo >/dev/null
}

pki() {
  mkdir -p "$PKI" && chmod 700 "$PKI"
  if [[ ! -s "$PKI/ca.crt" ]]; then
    openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -days 30 \
      -keyout "$PKI/ca.key" -out "$PKI/ca.crt" -subj "/CN=todo-k8s-ca" 2>/dev/null
  fi
  if [[ ! -s "$PKI/sa.key" ]]; then
    openssl ecparam -name prime256v1 -genkey -noout -out "$PKI/sa.key" 2>/dev/null
    openssl ec -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  fi
  cert apiserver kube-apiserver "" "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,IP:127.0.0.1,IP:$NODE_IP,IP:$KUBERNETES_SERVICE_IP"
  cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters
  cert admin admin system:masters
  cert controller-manager system:kube-controller-manager ""
  cert scheduler system:kube-scheduler ""
  cert kubelet "system:node:$NODE" system:nodes "DNS:$NODE,IP:$NODE_IP,IP:127.0.0.1"
  cert kube-proxy system:kube-proxy ""
  kubeconfig admin admin
  kubeconfig controller-manager controller-manager
  kubeconfig scheduler scheduler
  kubeconfig kubelet kubelet
  kubeconfig kube-proxy kube-proxy
}

configs() {
  mkdir -p "$STATE/cni/net.d" "$STATE/containerd" "$STATE/kubelet" "$STATE/pod-logs"
  cat >"$STATE/containerd/config.toml" <<EOF
version = 2
root = "$STATE/containerd/root"
state = "$RUN/containerd-state"
[grpc]
  address = "$SOCK"
[plugins."io.containerd.internal.v1.opt"]
  path = "$STATE/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "localhost/todo/pause:3.10"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_cdi = false
  # The sandbox refuses a negative oom_score_adj ("nsexec: failed to update
  # /proc/self/oom_score_adj: Permission denied" from runc, for the -998 the kubelet gives
  # sandboxes): clamp every container's to containerd's own, as in rootless setups.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$ROOT/scripts/containers/runc-without-rlimits"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN"
    conf_dir = "$STATE/cni/net.d"
EOF
  cat >"$STATE/cni/net.d/10-todo.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "todo-pods",
  "plugins": [
    {
      "type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
      "ipam": {
        "type": "host-local", "dataDir": "$STATE/cni/ipam",
        "ranges": [[{ "subnet": "$POD_SUBNET" }]], "routes": [{ "dst": "0.0.0.0/0" }]
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOF
  # Pods resolve through CoreDNS only: nothing outside the namespace could answer anyway.
  : >"$STATE/resolv.conf"
  cat >"$STATE/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: 0.0.0.0
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: { enabled: false }
  webhook: { enabled: true }
  x509: { clientCAFile: "$PKI/ca.crt" }
authorization: { mode: Webhook }
tlsCertFile: "$PKI/kubelet.crt"
tlsPrivateKeyFile: "$PKI/kubelet.key"
# The machine's cgroup layout is hybrid (v1 controllers, no systemd): cgroupfs, and cgroup v1
# stated explicitly (1.35 flips failCgroupV1 to true).
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
clusterDomain: cluster.local
clusterDNS: ["$DNS_SERVICE_IP"]
resolvConf: "$STATE/resolv.conf"
podLogsDir: "$STATE/pod-logs"
containerRuntimeEndpoint: "unix://$SOCK"
serializeImagePulls: false
# Images come from podman (cluster.sh load), never from a registry: never garbage-collect them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: { memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%" }
EOF
  cat >"$STATE/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: { kubeconfig: "$STATE/kube-proxy.kubeconfig" }
hostnameOverride: $NODE
mode: iptables
clusterCIDR: $POD_SUBNET
bindAddress: $NODE_IP
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
# Replies from a pod to a client pod on the same bridge must come back through the DNAT.
iptables: { masqueradeAll: true }
# Leave the host's conntrack sysctls alone (they are not this namespace's to change).
conntrack: { maxPerCore: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s }
EOF
}

apiserver_ready() { kc get --raw /readyz; }
node_ready() {
  [[ "$(kc get node "$NODE" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" == True ]]
}
dns_ready() {
  [[ "$(kc -n kube-system get deploy coredns -o jsonpath='{.status.readyReplicas}')" == 1 ]]
}

# Storage: no provisioner runs here, so a default StorageClass of pre-made hostPath volumes under
# $STATE/volumes (Dapr's scheduler StatefulSet claims three, PostgreSQL and Kafka one each).
storage() {
  local i docs=""
  for i in $(seq 0 7); do
    mkdir -p "$STATE/volumes/pv-$i" && chmod 1777 "$STATE/volumes/pv-$i"
    docs+="---
apiVersion: v1
kind: PersistentVolume
metadata: { name: local-pv-$i }
spec:
  storageClassName: local
  capacity: { storage: 4Gi }
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  hostPath: { path: \"$STATE/volumes/pv-$i\", type: Directory }
"
  done
  kc apply -f - >/dev/null <<EOF
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: local
  annotations: { storageclass.kubernetes.io/is-default-class: "true" }
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
$docs
EOF
}

coredns() {
  load localhost/todo/coredns:1.12
  kc apply -f - >/dev/null <<EOF
apiVersion: v1
kind: ServiceAccount
metadata: { name: coredns, namespace: kube-system }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: "system:coredns" }
rules:
  - apiGroups: [""]
    resources: [endpoints, services, pods, namespaces]
    verbs: [list, watch]
  - apiGroups: [discovery.k8s.io]
    resources: [endpointslices]
    verbs: [list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: "system:coredns" }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:coredns" }
subjects: [{ kind: ServiceAccount, name: coredns, namespace: kube-system }]
---
apiVersion: v1
kind: ConfigMap
metadata: { name: coredns, namespace: kube-system }
data:
  Corefile: |
    .:1053 {
        errors
        health :8080
        ready :8181
        kubernetes cluster.local in-addr.arpa ip6.arpa {
            pods insecure
            fallthrough in-addr.arpa ip6.arpa
        }
        cache 30
    }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: coredns, namespace: kube-system, labels: { k8s-app: kube-dns } }
spec:
  replicas: 1
  selector: { matchLabels: { k8s-app: kube-dns } }
  template:
    metadata: { labels: { k8s-app: kube-dns } }
    spec:
      serviceAccountName: coredns
      dnsPolicy: Default
      containers:
        - name: coredns
          image: localhost/todo/coredns:1.12
          imagePullPolicy: Never
          args: [-conf, /etc/coredns/Corefile]
          ports:
            - { name: dns, containerPort: 1053, protocol: UDP }
            - { name: dns-tcp, containerPort: 1053, protocol: TCP }
          readinessProbe: { httpGet: { path: /ready, port: 8181 }, periodSeconds: 2 }
          livenessProbe: { httpGet: { path: /health, port: 8080 }, periodSeconds: 10 }
          securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true }
          resources: { requests: { cpu: 20m, memory: 32Mi }, limits: { memory: 128Mi } }
          volumeMounts: [{ name: config, mountPath: /etc/coredns }]
      volumes: [{ name: config, configMap: { name: coredns } }]
---
apiVersion: v1
kind: Service
metadata: { name: kube-dns, namespace: kube-system, labels: { k8s-app: kube-dns } }
spec:
  clusterIP: $DNS_SERVICE_IP
  selector: { k8s-app: kube-dns }
  ports:
    - { name: dns, port: 53, targetPort: 1053, protocol: UDP }
    - { name: dns-tcp, port: 53, targetPort: 1053, protocol: TCP }
EOF
}

# The Dapr control plane with Dapr's own Helm chart, from the module zip of the version tools/dapr
# pins (charts/dapr), on the one image of scripts/images/build.sh (every binary, as /NAME): operator, sidecar injector, sentry
# (mTLS between sidecars) and the scheduler (three replicas with embedded etcd, on the local
# volumes). No placement: nothing here uses actors. Sidecars run as 65532:65532 whatever the pod's
# user (daprd refuses any other in Kubernetes; our chart's pods run as 10001).
dapr_control_plane() {
  local dir
  dir="$(cd "$ROOT/tools/dapr" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly go mod download github.com/dapr/dapr \
    && GOTOOLCHAIN=local GOFLAGS=-mod=readonly go list -m -f '{{.Dir}}' github.com/dapr/dapr)" \
    || die "cannot fetch the github.com/dapr/dapr module (its Helm chart)"
  [[ -f "$dir/charts/dapr/Chart.yaml" ]] || die "no charts/dapr in $dir"
  local version="${dir##*@v}" image
  image="localhost/todo/dapr:$version"
  load "$image"
  log "installing the Dapr control plane (helm, chart $dir/charts/dapr)"
  KUBECONFIG="$KUBECONFIG_ADMIN" in_ns "$BIN/helm" upgrade --install dapr "$dir/charts/dapr" \
    --namespace dapr-system --create-namespace --wait --timeout "${READY_TIMEOUT}s" \
    --set global.registry=localhost/todo --set global.tag="$version" --set global.imagePullPolicy=Never \
    --set dapr_operator.image.name="$image" --set dapr_sentry.image.name="$image" \
    --set dapr_scheduler.image.name="$image" --set dapr_sidecar_injector.injectorImage.name="$image" \
    --set dapr_sidecar_injector.image.name="$image" \
    --set dapr_sidecar_injector.sidecarRunAsUser=65532 --set dapr_sidecar_injector.sidecarRunAsGroup=65532 \
    --set dapr_sidecar_injector.sidecarDropALLCapabilities=true \
    --set dapr_sidecar_injector.sidecarImagePullPolicy=Never \
    --set global.actors.enabled=false >/dev/null \
    || { kc -n dapr-system get pods -o wide >&2 || true; die "helm install of the Dapr control plane failed"; }
}

up() {
  need etcd etcd-server
  need containerd containerd
  need ctr containerd
  need openssl openssl
  need jq jq
  [[ -x "$CNI_BIN/bridge" ]] || die "CNI plugins not found in $CNI_BIN: apt-get install containernetworking-plugins"
  bash "$ROOT/scripts/infra/kubernetes.sh" installed || die "Kubernetes is not built: scripts/infra/kubernetes.sh install"
  local d started=$SECONDS whole=1
  if [[ -d "$STATE/pids" ]]; then
    for d in "${DAEMONS[@]}"; do running "$d" || whole=0; done
    if ! { ((whole)) && node_ready; }; then
      log "records of a cluster that is not whole: taking it down first"
      down
    fi
  fi
  if [[ ! -d "$STATE/pids" ]]; then start_node; fi
  # The cluster's own workloads: applied (and upgraded) on every `up`.
  storage
  coredns
  wait_for coredns dns_ready
  dapr_control_plane
  log "up in $((SECONDS - started)) s: KUBECONFIG=$KUBECONFIG_ADMIN inside network namespace $NETNS ('$0 kubectl get pods -A')"
}

# The processes of the node, in a fresh network namespace.
start_node() {
  bash "$ROOT/scripts/infra/kubernetes.sh" install
  bash "$ROOT/scripts/infra/tools.sh" install helm
  mkdir -p "$STATE/pids" "$STATE/logs" "$RUN"
  network
  pki
  configs

  daemon etcd etcd --name todo --data-dir "$STATE/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster todo=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381
  daemon containerd containerd --config "$STATE/containerd/config.toml"
  daemon kube-apiserver "$BIN/kube-apiserver" --etcd-servers http://127.0.0.1:2379 \
    --bind-address 0.0.0.0 --secure-port 6443 --advertise-address "$NODE_IP" \
    --service-cluster-ip-range "$SERVICE_RANGE" --allow-privileged=true \
    --client-ca-file "$PKI/ca.crt" --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
    --kubelet-preferred-address-types InternalIP
  wait_for kube-apiserver apiserver_ready
  daemon kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig "$STATE/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$STATE/controller-manager.kubeconfig" --authorization-kubeconfig "$STATE/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false --use-service-account-credentials \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
    --service-cluster-ip-range "$SERVICE_RANGE"
  daemon kube-scheduler "$BIN/kube-scheduler" --kubeconfig "$STATE/scheduler.kubeconfig" \
    --authentication-kubeconfig "$STATE/scheduler.kubeconfig" --authorization-kubeconfig "$STATE/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false
  wait_for containerd ctr_k8s version
  load localhost/todo/pause:3.10
  daemon kubelet "$BIN/kubelet" --config "$STATE/kubelet/config.yaml" --kubeconfig "$STATE/kubelet.kubeconfig" \
    --root-dir "$STATE/kubelet" --hostname-override "$NODE" --node-ip "$NODE_IP"
  daemon kube-proxy "$BIN/kube-proxy" --config "$STATE/kube-proxy.yaml"
  wait_for "node $NODE" node_ready
}

# load IMAGE...: podman (this checkout's storage) → containerd's k8s.io namespace, unless the
# same image (podman's image id, recorded in $STATE/images) is already there.
load() {
  local image id mark
  mkdir -p "$STATE/images"
  for image in "$@"; do
    id="$("$ROOT/scripts/containers/podman" image inspect --format '{{.Id}}' "$image" 2>/dev/null)" \
      || die "no image $image in podman (npm run images)"
    mark="$STATE/images/${image//[\/:]/_}"
    if [[ "$(cat "$mark" 2>/dev/null)" == "$id" ]] && ctr_k8s images ls -q "name==$image" | grep -q .; then continue; fi
    log "loading $image into the cluster"
    "$ROOT/scripts/containers/podman" save --format docker-archive "$image" | ctr_k8s images import - >/dev/null \
      || die "loading $image failed"
    echo "$id" >"$mark"
  done
}

down() {
  local d pid start i
  # Pods first, through containerd, so no container outlives its shim.
  if running containerd; then
    running kubelet && { read -r pid _ <"$STATE/pids/kubelet"; kill -TERM "$pid" 2>/dev/null || true; }
    for i in $(ctr_k8s tasks ls -q 2>/dev/null); do ctr_k8s tasks kill -s SIGKILL "$i" >/dev/null 2>&1 || true; done
    for _ in $(seq 1 20); do
      [[ -z "$(ctr_k8s tasks ls 2>/dev/null | awk 'NR > 1 && $3 != "STOPPED"')" ]] && break
      sleep 0.5
    done
    for i in $(ctr_k8s tasks ls -q 2>/dev/null); do ctr_k8s tasks delete -f "$i" >/dev/null 2>&1 || true; done
    for i in $(ctr_k8s containers ls -q 2>/dev/null); do ctr_k8s containers delete "$i" >/dev/null 2>&1 || true; done
  fi
  for ((i = ${#DAEMONS[@]} - 1; i >= 0; i--)); do
    d="${DAEMONS[i]}"
    running "$d" || { rm -f "$STATE/pids/$d"; continue; }
    read -r pid start <"$STATE/pids/$d"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do running "$d" || break; sleep 0.5; done
    if running "$d"; then log "$d did not stop in 10 s: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
    rm -f "$STATE/pids/$d"
    log "stopped $d"
  done
  # Shims whose containerd is gone (a killed containerd leaves them): ours by their address.
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $SOCK" || true); do kill -KILL "$pid" 2>/dev/null || true; done
  # Mounts of the kubelet (volumes) and containerd (root filesystems, sandbox files), deepest first.
  findmnt -rn -o TARGET | awk -v s="$STATE/" -v r="$RUN/" 'index($0, s) == 1 || index($0, r) == 1' | sort -r \
    | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  # Pod network namespaces containerd made (their veths die with the cluster's namespace).
  for d in /run/netns/cni-*; do
    [[ -e "$d" ]] || continue
    umount "$d" 2>/dev/null || true
    rm -f "$d"
  done
  if [[ -e "/run/netns/$NETNS" ]]; then ip netns del "$NETNS"; fi
  # The kubelet's cgroups (empty once the pods are gone); deepest first.
  find /sys/fs/cgroup/*/kubepods -depth -type d -exec rmdir {} + 2>/dev/null || true
  # Every `up` starts an empty cluster: only the PKI and containerd's images are kept.
  rm -rf "$STATE/pids" "$RUN" "$STATE/etcd" "$STATE/volumes" "$STATE/kubelet" "$STATE/cni/ipam" "$STATE/pod-logs"
  log "down"
}

status() {
  local d rc=0
  for d in "${DAEMONS[@]}"; do
    if running "$d"; then echo "$d: running (pid $(cut -d' ' -f1 "$STATE/pids/$d"))"; else echo "$d: not running"; rc=3; fi
  done
  if ((rc == 0)); then
    kc get nodes -o wide || rc=3
    node_ready || rc=3
  fi
  return "$rc"
}

cmd="${1:-}"; shift || true
case "$cmd" in
  up) up ;;
  down) down ;;
  status) status ;;
  load) load "$@" ;;
  exec) KUBECONFIG="$KUBECONFIG_ADMIN" in_ns "$@" ;;
  kubectl) kc "$@" ;;
  *) echo "usage: $0 up|down|status|load IMAGE...|exec CMD...|kubectl ARGS..." >&2; exit 2 ;;
esac
