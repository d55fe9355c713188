{{- define "sensorcast.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "sensorcast.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "sensorcast.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "sensorcast.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sensorcast.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "sensorcast.labels" -}}
helm.sh/chart: {{ include "sensorcast.chart" . }}
{{ include "sensorcast.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: sensorcast
{{- end }}

{{- define "sensorcast.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "sensorcast.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "sensorcast.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Where the pipeline ConfigMap, the TLS secret and the state volume are mounted in every pod. */}}
{{- define "sensorcast.configDir" -}}/etc/sensorcast{{- end }}
{{- define "sensorcast.tlsDir" -}}/etc/sensorcast/kafka-tls{{- end }}
{{- define "sensorcast.dataDir" -}}/var/lib/sensorcast{{- end }}

{{- define "sensorcast.securityProtocol" -}}
{{- $k := .Values.kafka }}
{{- if and $k.sasl.enabled $k.tls.enabled }}SASL_SSL
{{- else if $k.sasl.enabled }}SASL_PLAINTEXT
{{- else if $k.tls.enabled }}SSL
{{- end }}
{{- end }}

{{/*
The pipeline's kafka: section. Credentials appear only as ${env:NAME} references that Kafka's own
EnvVarConfigProvider resolves inside the client from the environment, which the pod fills from the
Secrets; the ConfigMap never holds a secret value.
*/}}
{{- define "sensorcast.kafkaProperties" -}}
{{- $k := .Values.kafka }}
{{- $p := dict "bootstrap.servers" $k.bootstrapServers "state.dir" (printf "%s/state" (include "sensorcast.dataDir" .)) "num.standby.replicas" (toString .Values.serve.standbyReplicas) }}
{{- $protocol := include "sensorcast.securityProtocol" . }}
{{- if $protocol }}
{{- $_ := set $p "security.protocol" $protocol }}
{{- end }}
{{- if $k.sasl.enabled }}
{{- $module := ternary "org.apache.kafka.common.security.plain.PlainLoginModule" "org.apache.kafka.common.security.scram.ScramLoginModule" (eq $k.sasl.mechanism "PLAIN") }}
{{- $_ := set $p "sasl.mechanism" $k.sasl.mechanism }}
{{- $_ := set $p "sasl.jaas.config" (printf "%s required username=\"${env:KAFKA_SASL_USERNAME}\" password=\"${env:KAFKA_SASL_PASSWORD}\";" $module) }}
{{- end }}
{{- if $k.tls.enabled }}
{{- $dir := include "sensorcast.tlsDir" . }}
{{- $_ := set $p "ssl.truststore.location" (printf "%s/%s" $dir $k.tls.truststoreKey) }}
{{- $_ := set $p "ssl.truststore.type" $k.tls.truststoreType }}
{{- if $k.tls.truststorePasswordKey }}
{{- $_ := set $p "ssl.truststore.password" "${env:KAFKA_SSL_TRUSTSTORE_PASSWORD}" }}
{{- end }}
{{- if $k.tls.keystoreKey }}
{{- $_ := set $p "ssl.keystore.location" (printf "%s/%s" $dir $k.tls.keystoreKey) }}
{{- $_ := set $p "ssl.keystore.type" $k.tls.keystoreType }}
{{- if $k.tls.keystorePasswordKey }}
{{- $_ := set $p "ssl.keystore.password" "${env:KAFKA_SSL_KEYSTORE_PASSWORD}" }}
{{- end }}
{{- if $k.tls.keyPasswordKey }}
{{- $_ := set $p "ssl.key.password" "${env:KAFKA_SSL_KEY_PASSWORD}" }}
{{- end }}
{{- end }}
{{- end }}
{{- /* Always on, so kafka.properties may use ${env:...} with extraEnv as well. */}}
{{- $_ := set $p "config.providers" "env" }}
{{- $_ := set $p "config.providers.env.class" "org.apache.kafka.common.config.provider.EnvVarConfigProvider" }}
{{- range $key, $value := $k.properties }}
{{- $_ := set $p $key (toString $value) }}
{{- end }}
{{- toYaml $p }}
{{- end }}

{{/* The whole pipeline file: the pipeline values with the kafka: section above. */}}
{{- define "sensorcast.pipelineYaml" -}}
{{- $pipeline := deepCopy .Values.pipeline }}
{{- if not $pipeline.training }}
{{- $_ := unset $pipeline "training" }}
{{- end }}
{{- $_ := set $pipeline "kafka" (include "sensorcast.kafkaProperties" . | fromYaml) }}
{{- toYaml $pipeline }}
{{- end }}

{{/* Environment shared by both roles: the Secret-backed values the ${env:...} references resolve to. */}}
{{- define "sensorcast.env" -}}
- name: HOME
  value: /tmp
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- $k := .Values.kafka }}
{{- if $k.sasl.enabled }}
- name: KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $k.sasl.existingSecret }}
      key: {{ $k.sasl.usernameKey }}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $k.sasl.existingSecret }}
      key: {{ $k.sasl.passwordKey }}
{{- end }}
{{- if $k.tls.enabled }}
{{- if $k.tls.truststorePasswordKey }}
- name: KAFKA_SSL_TRUSTSTORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $k.tls.existingSecret }}
      key: {{ $k.tls.truststorePasswordKey }}
{{- end }}
{{- if and $k.tls.keystoreKey $k.tls.keystorePasswordKey }}
- name: KAFKA_SSL_KEYSTORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $k.tls.existingSecret }}
      key: {{ $k.tls.keystorePasswordKey }}
{{- end }}
{{- if and $k.tls.keystoreKey $k.tls.keyPasswordKey }}
- name: KAFKA_SSL_KEY_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $k.tls.existingSecret }}
      key: {{ $k.tls.keyPasswordKey }}
{{- end }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
The sensorcast container of either role. Call with (dict "root" $ "role" "serve" "component" .Values.serve).
*/}}
{{- define "sensorcast.container" -}}
{{- $root := .root }}
{{- $port := $root.Values.pipeline.metrics.port -}}
- name: sensorcast
  image: {{ include "sensorcast.image" $root | quote }}
  imagePullPolicy: {{ $root.Values.image.pullPolicy }}
  args:
    - run
    - --config
    - {{ include "sensorcast.configDir" $root }}/pipeline.yaml
    - --role
    - {{ .role }}
    {{- range .component.extraArgs }}
    - {{ . | quote }}
    {{- end }}
  env:
    {{- include "sensorcast.env" $root | nindent 4 }}
    {{- if .instanceIdFromPodName }}
    # Static group membership under the StatefulSet's stable pod name (see serve.staticMembership).
    - name: SENSORCAST_INSTANCE_ID
      valueFrom:
        fieldRef:
          fieldPath: metadata.name
    {{- end }}
    {{- if .advertise }}
    # The query API's address for the other replicas (application.server): the pod's stable name under the
    # headless Service, so any replica can forward GET /sensors/{id} to the one holding the sensor.
    - name: SENSORCAST_POD_NAME
      valueFrom:
        fieldRef:
          fieldPath: metadata.name
    - name: SENSORCAST_ADVERTISED_SERVER
      value: "$(SENSORCAST_POD_NAME).{{ include "sensorcast.fullname" $root }}-headless.{{ $root.Release.Namespace }}.svc.{{ $root.Values.serve.clusterDomain }}:{{ $port }}"
    {{- end }}
  ports:
    - name: metrics
      containerPort: {{ $port }}
      protocol: TCP
  startupProbe:
    httpGet:
      path: /health/live
      port: metrics
    periodSeconds: {{ $root.Values.probes.startup.periodSeconds }}
    failureThreshold: {{ $root.Values.probes.startup.failureThreshold }}
  livenessProbe:
    httpGet:
      path: /health/live
      port: metrics
    periodSeconds: {{ $root.Values.probes.liveness.periodSeconds }}
    timeoutSeconds: {{ $root.Values.probes.liveness.timeoutSeconds }}
    failureThreshold: {{ $root.Values.probes.liveness.failureThreshold }}
  readinessProbe:
    httpGet:
      path: /health/ready
      port: metrics
    periodSeconds: {{ $root.Values.probes.readiness.periodSeconds }}
    timeoutSeconds: {{ $root.Values.probes.readiness.timeoutSeconds }}
    failureThreshold: {{ $root.Values.probes.readiness.failureThreshold }}
  resources:
    {{- toYaml .component.resources | nindent 4 }}
  securityContext:
    {{- toYaml $root.Values.securityContext | nindent 4 }}
  volumeMounts:
    - name: config
      mountPath: {{ include "sensorcast.configDir" $root }}/pipeline.yaml
      subPath: pipeline.yaml
      readOnly: true
    - name: state
      mountPath: {{ include "sensorcast.dataDir" $root }}
    - name: tmp
      mountPath: /tmp
    {{- if $root.Values.kafka.tls.enabled }}
    - name: kafka-tls
      mountPath: {{ include "sensorcast.tlsDir" $root }}
      readOnly: true
    {{- end }}
{{- end }}

{{/* Pod-level settings and the volumes both roles share (the state volume is the caller's). */}}
{{- define "sensorcast.podCommon" -}}
{{- $root := .root -}}
serviceAccountName: {{ include "sensorcast.serviceAccountName" $root }}
automountServiceAccountToken: false
terminationGracePeriodSeconds: {{ .component.terminationGracePeriodSeconds }}
securityContext:
  {{- toYaml $root.Values.podSecurityContext | nindent 2 }}
{{- with $root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .component.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .component.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .component.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
containers:
  {{- include "sensorcast.container" . | nindent 2 }}
{{- end }}

{{- define "sensorcast.commonVolumes" -}}
- name: config
  configMap:
    name: {{ include "sensorcast.fullname" . }}-pipeline
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpVolume.sizeLimit }}
{{- if .Values.kafka.tls.enabled }}
- name: kafka-tls
  secret:
    secretName: {{ .Values.kafka.tls.existingSecret }}
    defaultMode: 0440
{{- end }}
{{- end }}
