{{/* Chart name and labels. */}}
{{- define "todo.name" -}}todo-chatbot{{- end -}}

{{/* Labels without the instance, for resources that also carry todo.selectorLabels. */}}
{{- define "todo.commonLabels" -}}
app.kubernetes.io/part-of: todo-chatbot
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
environment: {{ .Values.environment }}
{{- end -}}

{{- define "todo.labels" -}}
{{ include "todo.commonLabels" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Selector labels of one service; call with (dict "root" $ "name" $name "svc" $svc). */}}
{{- define "todo.selectorLabels" -}}
app.kubernetes.io/name: {{ .svc.appId }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "todo.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* Container securityContext: non-root, read-only root filesystem, no capabilities. */}}
{{- define "todo.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
runAsUser: {{ .Values.podSecurity.runAsUser }}
runAsGroup: {{ .Values.podSecurity.runAsGroup }}
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "todo.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.podSecurity.runAsUser }}
runAsGroup: {{ .Values.podSecurity.runAsGroup }}
fsGroup: {{ .Values.podSecurity.fsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Kafka settings for the topics Job (it talks to the brokers directly, without Dapr). */}}
{{- define "todo.kafkaEnv" -}}
- name: KAFKA_BROKERS
  value: {{ .Values.kafka.brokers | quote }}
- name: KAFKA_REPLICATION_FACTOR
  value: {{ .Values.kafka.replicationFactor | quote }}
- name: KAFKA_TLS
  value: {{ .Values.kafka.tls | quote }}
{{- if eq .Values.kafka.authType "password" }}
- name: KAFKA_SASL_MECHANISM
  value: {{ printf "scram-%s" (.Values.kafka.saslMechanism | lower) | quote }}
- name: KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ .Values.secrets.kafka.name }}
      key: {{ .Values.secrets.kafka.usernameKey }}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.secrets.kafka.name }}
      key: {{ .Values.secrets.kafka.passwordKey }}
{{- end }}
{{- end -}}

{{/* Writable scratch space for a read-only root filesystem (HOME and the temp dir of the app). */}}
{{- define "todo.tmpVolumeMount" -}}
- name: tmp
  mountPath: /tmp
{{- end -}}
{{- define "todo.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
{{- end -}}

{{/* Component metadata shared by both Kafka pub/sub components. */}}
{{- define "todo.kafkaMetadata" -}}
- name: brokers
  value: {{ .Values.kafka.brokers | quote }}
- name: authType
  value: {{ .Values.kafka.authType | quote }}
{{- if eq .Values.kafka.authType "password" }}
- name: saslUsername
  secretKeyRef:
    name: {{ .Values.secrets.kafka.name }}
    key: {{ .Values.secrets.kafka.usernameKey }}
- name: saslPassword
  secretKeyRef:
    name: {{ .Values.secrets.kafka.name }}
    key: {{ .Values.secrets.kafka.passwordKey }}
- name: saslMechanism
  value: {{ .Values.kafka.saslMechanism | quote }}
{{- end }}
{{- if not .Values.kafka.tls }}
- name: disableTls
  value: "true"
{{- end }}
- name: clientID
  value: "{appID}"
- name: maxMessageBytes
  value: {{ .Values.kafka.maxMessageBytes | quote }}
- name: version
  value: {{ .Values.kafka.version | quote }}
- name: compression
  value: {{ .Values.kafka.compression | quote }}
{{- end -}}

{{/* Dapr resources are hooks (weight -30): a sidecar reads them when it starts, so they must exist
     before the first pod and before the Jobs; pre-rollback restores the previous revision's set. */}}
{{- define "todo.daprHookAnnotations" -}}
helm.sh/hook: pre-install,pre-upgrade,pre-rollback
helm.sh/hook-weight: "-30"
helm.sh/hook-delete-policy: before-hook-creation
{{- end -}}

{{/* A generated secret value that survives upgrades: the one already in the cluster (lookup), or a
     new random one on first install. `helm template` has no cluster and always renders a new one. */}}
{{- define "todo.keptSecret" -}}
{{- $existing := lookup "v1" "Secret" .root.Release.Namespace .name -}}
{{- if and $existing (index ($existing.data | default dict) .key) -}}
{{- index $existing.data .key | b64dec -}}
{{- else -}}
{{- randAlphaNum 48 -}}
{{- end -}}
{{- end -}}

{{/* Where the services and sidecars send spans: tracing.zipkinEndpoint, else the in-release Zipkin
     when enabled, else nothing (no tracing). */}}
{{- define "todo.zipkinEndpoint" -}}
{{- if .Values.tracing.zipkinEndpoint -}}
{{ .Values.tracing.zipkinEndpoint }}
{{- else if .Values.tracing.zipkin.enabled -}}
http://zipkin.{{ .Release.Namespace }}.svc.cluster.local:9411/api/v2/spans
{{- end -}}
{{- end -}}
