package io.sensorcast.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.config.StateSettings;
import io.sensorcast.config.TopicNames;
import io.sensorcast.metrics.ObservabilityQueries;
import io.sensorcast.recurrent.CellType;
import io.sensorcast.testing.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static io.sensorcast.deploy.RenderedChart.FULLNAME;
import static io.sensorcast.deploy.RenderedChart.NAMESPACE;
import static io.sensorcast.deploy.RenderedChart.args;
import static io.sensorcast.deploy.RenderedChart.container;
import static io.sensorcast.deploy.RenderedChart.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@IntegrationTest
class HelmChartTest {

    private static final String DATA_DIR = "/var/lib/sensorcast";

    @Test
    void strictLintPasses() {
        LintResult lint = new Helm(RenderedChart.CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @Test
    void defaultRenderHasServingStatefulSetTrainerServicesBudgetAndConfigMapsButNoOperatorResources() {
        RenderedChart chart = render();
        assertThat(chart.kinds()).containsExactlyInAnyOrder("StatefulSet", "Deployment", "Service",
                "PodDisruptionBudget", "ConfigMap", "ServiceAccount");
        assertThat(chart.ofKind("Service")).hasSize(2);
        assertThat(chart.ofKind("ConfigMap")).extracting(m -> m.path("metadata").path("name").asText())
                .containsExactlyInAnyOrder(FULLNAME + "-pipeline", FULLNAME + "-dashboard");
    }

    @Test
    void servingReplicasAreAParallelStatefulSetWithAStateVolumeClaimAndAHeadlessService() {
        RenderedChart chart = render("serve.replicas=4", "serve.persistence.size=20Gi");
        JsonNode spec = chart.statefulSet().path("spec");
        assertThat(spec.path("replicas").asInt()).isEqualTo(4);
        assertThat(spec.path("podManagementPolicy").asText()).isEqualTo("Parallel");

        JsonNode headless = chart.get("Service", spec.path("serviceName").asText());
        assertThat(headless.path("spec").path("clusterIP").asText()).isEqualTo("None");
        assertThat(headless.path("spec").path("selector").path("app.kubernetes.io/component").asText()).isEqualTo("serve");

        JsonNode claim = spec.path("volumeClaimTemplates").get(0);
        assertThat(claim.path("metadata").path("name").asText()).isEqualTo("state");
        assertThat(claim.path("spec").path("resources").path("requests").path("storage").asText()).isEqualTo("20Gi");
        assertThat(mountPath(container(chart.statefulSet()), "state")).isEqualTo(DATA_DIR);
        assertThat(args(chart.statefulSet()))
                .containsExactly("run", "--config", "/etc/sensorcast/pipeline.yaml", "--role", "serve");
    }

    @Test
    void servingPodsJoinTheGroupAsStaticMembersUnderTheirPodNameAndTheTrainerDoesNot() {
        RenderedChart chart = render();
        assertThat(envFieldRef(container(chart.statefulSet()), "SENSORCAST_INSTANCE_ID")).isEqualTo("metadata.name");
        assertThat(container(chart.trainer()).path("env").findValuesAsText("name"))
                .doesNotContain("SENSORCAST_INSTANCE_ID");
        assertThat(container(render("serve.staticMembership=false").statefulSet()).path("env").findValuesAsText("name"))
                .doesNotContain("SENSORCAST_INSTANCE_ID");
    }

    @Test
    void servingPodsAdvertiseTheirStableNameUnderTheHeadlessServiceForTheQueryApiAndTheTrainerDoesNot() {
        RenderedChart chart = render("pipeline.metrics.port=9100", "serve.clusterDomain=corp.example");
        JsonNode container = container(chart.statefulSet());
        assertThat(envFieldRef(container, "SENSORCAST_POD_NAME")).isEqualTo("metadata.name");
        String headless = chart.statefulSet().path("spec").path("serviceName").asText();
        assertThat(envValue(container, "SENSORCAST_ADVERTISED_SERVER"))
                .isEqualTo("$(SENSORCAST_POD_NAME)." + headless + "." + NAMESPACE + ".svc.corp.example:9100");
        // Kubernetes expands $(VAR) only from variables defined earlier in the list.
        List<String> names = container.path("env").findValuesAsText("name");
        assertThat(names.indexOf("SENSORCAST_POD_NAME")).isLessThan(names.indexOf("SENSORCAST_ADVERTISED_SERVER"));
        assertThat(chart.get("Service", headless).path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(9100);
        assertThat(container(chart.trainer()).path("env").findValuesAsText("name"))
                .doesNotContain("SENSORCAST_ADVERTISED_SERVER");
        assertThat(envValue(container(render().statefulSet()), "SENSORCAST_ADVERTISED_SERVER"))
                .endsWith(".svc.cluster.local:8080");
        assertThat(render("pipeline.queries.maxPageSize=50").pipeline().path("queries").path("maxPageSize").asInt())
                .isEqualTo(50);
    }

    @Test
    void trainerIsASingleReplicaRecreatedDeploymentRunningTheTrainRole() {
        JsonNode trainer = render().trainer();
        assertThat(trainer.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(trainer.path("spec").path("strategy").path("type").asText()).isEqualTo("Recreate");
        assertThat(args(trainer)).containsExactly("run", "--config", "/etc/sensorcast/pipeline.yaml", "--role", "train");
        assertThat(mountPath(container(trainer), "state")).isEqualTo(DATA_DIR);
    }

    @Test
    void bothRolesRunLockedDownAsUser10001WithAWritableTmpOnly() {
        RenderedChart chart = render();
        for (JsonNode workload : List.of(chart.statefulSet(), chart.trainer())) {
            JsonNode pod = workload.path("spec").path("template").path("spec");
            JsonNode podSecurity = pod.path("securityContext");
            assertThat(podSecurity.path("runAsNonRoot").asBoolean()).isTrue();
            assertThat(podSecurity.path("runAsUser").asInt()).isEqualTo(10001);
            assertThat(podSecurity.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
            assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();

            JsonNode container = container(workload);
            JsonNode security = container.path("securityContext");
            assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
            assertThat(security.path("runAsUser").asInt()).isEqualTo(10001);
            assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
            assertThat(security.path("capabilities").path("drop")).extracting(JsonNode::asText).containsExactly("ALL");

            assertThat(mountPath(container, "tmp")).isEqualTo("/tmp");
            assertThat(volume(pod, "tmp").has("emptyDir")).isTrue();
            assertThat(container.path("resources").path("limits").path("memory").asText()).isNotEmpty();
        }
    }

    @Test
    void probesHitTheHealthEndpointsOnTheConfiguredMetricsPort() {
        RenderedChart chart = render("pipeline.metrics.port=9404");
        for (JsonNode workload : List.of(chart.statefulSet(), chart.trainer())) {
            JsonNode container = container(workload);
            assertThat(container.path("ports")).singleElement().satisfies(p -> {
                assertThat(p.path("name").asText()).isEqualTo("metrics");
                assertThat(p.path("containerPort").asInt()).isEqualTo(9404);
            });
            assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/live");
            assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/ready");
            assertThat(container.path("startupProbe").path("httpGet").path("path").asText()).isEqualTo("/health/live");
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                assertThat(container.path(probe).path("httpGet").path("port").asText()).isEqualTo("metrics");
            }
        }
        JsonNode service = chart.get("Service", FULLNAME);
        assertThat(service.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(9404);
        assertThat(service.path("spec").path("selector").has("app.kubernetes.io/component"))
                .as("the metrics Service selects both roles").isFalse();
        assertThat(chart.pipeline().path("metrics").path("port").asInt()).isEqualTo(9404);
    }

    @Test
    void pipelineConfigMapCarriesValuesBrokersStandbysAndTheVolumePathsAndTheServiceAcceptsIt() {
        RenderedChart chart = render("kafka.bootstrapServers=b-1.kafka:9092,b-2.kafka:9092", "serve.standbyReplicas=2",
                "pipeline.horizon=12", "pipeline.topics.events=plant-7.readings",
                "pipeline.channels[0]=temp", "pipeline.channels[1]=rh");
        JsonNode kafka = chart.pipeline().path("kafka");
        assertThat(kafka.path("bootstrap.servers").asText()).isEqualTo("b-1.kafka:9092,b-2.kafka:9092");
        assertThat(kafka.path("num.standby.replicas").asText()).isEqualTo("2");
        assertThat(kafka.path("state.dir").asText()).startsWith(DATA_DIR + "/");

        PipelineConfig config = PipelineConfigLoader.parse(chart.pipelineYaml());
        assertThat(config.horizon()).isEqualTo(12);
        assertThat(config.channels()).containsExactly("temp", "rh");
        assertThat(config.topics().events()).isEqualTo("plant-7.readings");
        assertThat(config.topics().forecasts()).isEqualTo(TopicNames.DEFAULTS.forecasts());
        assertThat(config.model().directory()).startsWith(DATA_DIR + "/");
        assertThat(config.kafka()).containsEntry("config.providers", "env");
    }

    @Test
    void defaultPipelineIsAcceptedByTheService() {
        PipelineConfig config = PipelineConfigLoader.parse(render().pipelineYaml());
        assertThat(config.model().path()).isEqualTo("/app/models/bootstrap.zip");
        assertThat(config.limits().maxAbsValue()).isEqualTo(1e12);
        assertThat(config.topics().control()).isEqualTo("sensor-control");
        assertThat(config.state()).isEqualTo(StateSettings.DEFAULTS);
        assertThat(PipelineConfigLoader.parse(render("pipeline.state.idleTtl=0").pipelineYaml()).state()
                .idleTtlDuration()).isEmpty();
    }

    @Test
    void gruCellWithTheImagesGruBootstrapModelIsAcceptedByTheService() {
        PipelineConfig config = PipelineConfigLoader.parse(render("pipeline.model.cell=gru",
                "pipeline.model.path=/app/models/bootstrap-gru.zip").pipelineYaml());
        assertThat(config.model().cell()).isEqualTo(CellType.GRU);
        assertThat(config.model().path()).isEqualTo("/app/models/bootstrap-gru.zip");
    }

    @Test
    void saslCredentialsComeFromTheSecretThroughEnvironmentReferencesNeverFromAConfigMap() {
        RenderedChart chart = render("kafka.sasl.enabled=true", "kafka.sasl.existingSecret=kafka-user",
                "kafka.sasl.passwordKey=pw", "kafka.tls.enabled=true", "kafka.tls.existingSecret=kafka-ca",
                "kafka.tls.truststoreKey=truststore.p12", "kafka.tls.truststoreType=PKCS12",
                "kafka.tls.truststorePasswordKey=truststore-password");
        for (JsonNode workload : List.of(chart.statefulSet(), chart.trainer())) {
            JsonNode container = container(workload);
            assertThat(secretRef(container, "KAFKA_SASL_USERNAME")).isEqualTo("kafka-user/username");
            assertThat(secretRef(container, "KAFKA_SASL_PASSWORD")).isEqualTo("kafka-user/pw");
            assertThat(secretRef(container, "KAFKA_SSL_TRUSTSTORE_PASSWORD")).isEqualTo("kafka-ca/truststore-password");
            JsonNode pod = workload.path("spec").path("template").path("spec");
            assertThat(volume(pod, "kafka-tls").path("secret").path("secretName").asText()).isEqualTo("kafka-ca");
            assertThat(mountPath(container, "kafka-tls")).isEqualTo("/etc/sensorcast/kafka-tls");
        }

        JsonNode kafka = chart.pipeline().path("kafka");
        assertThat(kafka.path("security.protocol").asText()).isEqualTo("SASL_SSL");
        assertThat(kafka.path("sasl.mechanism").asText()).isEqualTo("SCRAM-SHA-512");
        assertThat(kafka.path("sasl.jaas.config").asText()).isEqualTo(
                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"${env:KAFKA_SASL_USERNAME}\" password=\"${env:KAFKA_SASL_PASSWORD}\";");
        assertThat(kafka.path("ssl.truststore.location").asText()).isEqualTo("/etc/sensorcast/kafka-tls/truststore.p12");
        assertThat(kafka.path("ssl.truststore.password").asText()).isEqualTo("${env:KAFKA_SSL_TRUSTSTORE_PASSWORD}");
        assertThat(kafka.path("config.providers.env.class").asText())
                .isEqualTo("org.apache.kafka.common.config.provider.EnvVarConfigProvider");

        // Every password-like setting in any ConfigMap is a reference that Kafka resolves in the pod.
        Pattern literalSecret = Pattern.compile("(?i)password\\s*[=:]\\s*\"?(?!\\$\\{env:)[^\\s\"]");
        assertThat(chart.ofKind("ConfigMap")).allSatisfy(cm -> cm.path("data").properties().forEach(entry ->
                assertThat(literalSecret.matcher(entry.getValue().asText()).find())
                        .as("literal secret in ConfigMap %s, key %s", cm.path("metadata").path("name").asText(), entry.getKey())
                        .isFalse()));
        assertThat(chart.kinds()).doesNotContain("Secret");
    }

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource(delimiter = '|', textBlock = """
            serve.replicas                           | -1         | replicas
            serve.role                               | boss       | role
            kafka.bootstrapServers                   | ''         | bootstrapServers
            kafka.bootstrapServers                   | kafka      | bootstrapServers
            pipeline.metrics.port                    | http       | port
            pipeline.metrics.port                    | 80         | port
            pipeline.horizon                         | 0          | horizon
            pipeline.model.cell                      | transformer | cell
            pipeline.state.idleTtl                   | 30d        | idleTtl
            pipeline.state.evictionBatch             | 0          | evictionBatch
            kafka.sasl.enabled                       | true       | existingSecret
            kafka.properties.ssl\\.keystore\\.password | hunter2   | ssl.keystore.password
            serve.unknownSetting                     | 1          | unknownSetting
            pipeline.queries.advertisedServer        | a:8080     | advertisedServer
            pipeline.queries.timeoutMs               | 10         | timeoutMs
            serve.clusterDomain                      | Bad_Domain | clusterDomain
            """)
    void schemaRejectsABadValueNamingIt(String key, String value, String named) {
        assertThatThrownBy(() -> render(key + "=" + value))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(named);
    }

    @Test
    void serviceMonitorAndPrometheusRuleAreRenderedOnlyWhenEnabled() throws IOException {
        assertThat(render().kinds()).doesNotContain("ServiceMonitor", "PrometheusRule");

        RenderedChart chart = render("serviceMonitor.enabled=true", "serviceMonitor.labels.release=monitoring",
                "prometheusRule.enabled=true");
        JsonNode monitor = chart.get("ServiceMonitor", FULLNAME);
        assertThat(monitor.path("metadata").path("labels").path("release").asText()).isEqualTo("monitoring");
        JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
        assertThat(endpoint.path("port").asText()).isEqualTo("metrics");
        assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
        JsonNode metricsService = chart.get("Service", FULLNAME);
        monitor.path("spec").path("selector").path("matchLabels").properties().forEach(label ->
                assertThat(metricsService.path("metadata").path("labels").path(label.getKey()).asText())
                        .as("selector label %s", label.getKey()).isEqualTo(label.getValue().asText()));

        List<String> ruleAlerts = new ArrayList<>();
        List<String> ruleExprs = new ArrayList<>();
        chart.get("PrometheusRule", FULLNAME).path("spec").path("groups").forEach(g -> g.path("rules").forEach(r -> {
            ruleAlerts.add(r.path("alert").asText());
            ruleExprs.add(r.path("expr").asText());
        }));
        assertThat(ruleAlerts).containsExactlyElementsOf(alertNamesInFile());
        assertThat(ruleExprs).containsExactlyElementsOf(ObservabilityQueries.alertQueries());
    }

    @Test
    void modelSwapAlertThresholdFollowsTheValue() {
        JsonNode rule = render("prometheusRule.enabled=true", "prometheusRule.modelSwapMaxAgeSeconds=3600")
                .get("PrometheusRule", FULLNAME);
        List<String> exprs = new ArrayList<>();
        rule.path("spec").path("groups").forEach(g -> g.path("rules").forEach(r -> {
            if (r.path("alert").asText().equals("SensorcastNoRecentModelSwap")) {
                exprs.add(r.path("expr").asText());
            }
        }));
        assertThat(exprs).singleElement().asString().contains("> 3600").doesNotContain("21600");
    }

    @Test
    void trainerDisabledRemovesTheTrainerDeploymentOnly() {
        RenderedChart chart = render("trainer.enabled=false");
        assertThat(chart.ofKind("Deployment")).isEmpty();
        assertThat(chart.ofKind("StatefulSet")).hasSize(1);
    }

    @Test
    void trainerPersistenceClaimsAVolumeForTheTrainerState() {
        RenderedChart chart = render("trainer.persistence.enabled=true", "trainer.persistence.size=8Gi");
        JsonNode claim = chart.get("PersistentVolumeClaim", FULLNAME + "-trainer");
        assertThat(claim.path("spec").path("resources").path("requests").path("storage").asText()).isEqualTo("8Gi");
        JsonNode pod = chart.trainer().path("spec").path("template").path("spec");
        assertThat(volume(pod, "state").path("persistentVolumeClaim").path("claimName").asText())
                .isEqualTo(FULLNAME + "-trainer");
    }

    @Test
    void roleAllIsOnlyAllowedForASingleServingPodWithoutTheTrainer() {
        assertThatThrownBy(() -> render("serve.role=all"))
                .hasMessageContaining("exactly one writer");
        assertThatThrownBy(() -> render("serve.role=all", "trainer.enabled=false", "serve.replicas=2"))
                .hasMessageContaining("exactly one writer");
        RenderedChart single = render("serve.role=all", "trainer.enabled=false", "serve.replicas=1");
        assertThat(args(single.statefulSet())).endsWith("--role", "all");
    }

    @Test
    void dashboardConfigMapIsLabelledForTheGrafanaSidecarAndHoldsTheDashboard() throws IOException {
        JsonNode configMap = render("dashboard.namespace=monitoring").get("ConfigMap", FULLNAME + "-dashboard");
        assertThat(configMap.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
        assertThat(configMap.path("metadata").path("namespace").asText()).isEqualTo("monitoring");
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(configMap.path("data").path("sensorcast.json").asText()))
                .isEqualTo(json.readTree(Files.readString(ObservabilityQueries.DASHBOARD)));
        assertThat(render("dashboard.enabled=false").ofKind("ConfigMap")).hasSize(1);
    }

    @Test
    void configChangesRollThePods() {
        String before = podAnnotation(render().statefulSet(), "checksum/pipeline");
        String after = podAnnotation(render("pipeline.horizon=7").statefulSet(), "checksum/pipeline");
        assertThat(before).isNotBlank().isNotEqualTo(after);
        assertThat(podAnnotation(render("pipeline.horizon=7").trainer(), "checksum/pipeline")).isEqualTo(after);
    }

    @Test
    void disruptionBudgetCoversOnlyServingReplicas() {
        JsonNode pdb = render().get("PodDisruptionBudget", FULLNAME);
        assertThat(pdb.path("spec").path("maxUnavailable").asInt()).isEqualTo(1);
        assertThat(pdb.path("spec").path("selector").path("matchLabels").path("app.kubernetes.io/component").asText())
                .isEqualTo("serve");
    }

    private static List<String> alertNamesInFile() throws IOException {
        List<String> names = new ArrayList<>();
        RenderedChart.YAML.readTree(ObservabilityQueries.ALERT_RULES.toFile()).path("groups")
                .forEach(g -> g.path("rules").forEach(r -> names.add(r.path("alert").asText())));
        return names;
    }

    private static String podAnnotation(JsonNode workload, String name) {
        return workload.path("spec").path("template").path("metadata").path("annotations").path(name).asText();
    }

    private static String mountPath(JsonNode container, String volume) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("name").asText().equals(volume)) {
                return mount.path("mountPath").asText();
            }
        }
        throw new AssertionError("no mount of volume " + volume + " in " + container.path("volumeMounts"));
    }

    private static JsonNode volume(JsonNode podSpec, String name) {
        for (JsonNode volume : podSpec.path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        throw new AssertionError("no volume " + name + " in " + podSpec.path("volumes"));
    }

    private static String envValue(JsonNode container, String env) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(env)) {
                return e.path("value").asText();
            }
        }
        throw new AssertionError("no env " + env + " in " + container.path("env"));
    }

    private static String envFieldRef(JsonNode container, String env) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(env)) {
                return e.path("valueFrom").path("fieldRef").path("fieldPath").asText();
            }
        }
        throw new AssertionError("no env " + env + " in " + container.path("env"));
    }

    private static String secretRef(JsonNode container, String env) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(env)) {
                assertThat(e.has("value")).as("%s must not carry a literal value", env).isFalse();
                JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                return ref.path("name").asText() + "/" + ref.path("key").asText();
            }
        }
        throw new AssertionError("no env " + env + " in " + container.path("env"));
    }
}
