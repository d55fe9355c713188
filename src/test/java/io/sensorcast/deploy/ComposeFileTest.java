package io.sensorcast.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorcast.config.ConfigKeys;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.testing.ExternalTool;
import io.sensorcast.testing.IntegrationTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class ComposeFileTest {

    private static final Path COMPOSE = Path.of("docker-compose.yml");
    private static final Path COMPOSE_FILES = Path.of("helm/sensorcast/files/compose");

    @Test
    void dockerComposeAcceptsTheFile() {
        ExternalTool.Result config = ExternalTool.DOCKER_COMPOSE.run("-f", COMPOSE.toString(), "config", "-q");
        assertThat(config.exitCode()).as(config.output()).isZero();
    }

    @Test
    void everyBindMountedFileExistsUnderTheChartFiles() throws IOException {
        // docker-compose creates a missing bind source as an empty directory instead of failing.
        List<String> sources = new ArrayList<>();
        for (JsonNode service : compose().path("services")) {
            for (JsonNode volume : service.path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith("./")) {
                    sources.add(source);
                }
            }
        }
        assertThat(sources).isNotEmpty().allSatisfy(source -> {
            assertThat(Path.of(source)).exists();
            assertThat(Path.of(source).normalize()).startsWith(Path.of("helm/sensorcast/files"));
        });
    }

    @Test
    void servicesRunTheAgreedCommandsAgainstTheComposeBroker() throws IOException {
        JsonNode services = compose().path("services");
        assertThat(strings(services.path("forecaster").path("command")))
                .containsExactly("run", "--config", "/etc/sensorcast/pipeline.yaml", "--role", "all");
        assertThat(strings(services.path("simulator").path("command")))
                .containsSequence("simulate", "--bootstrap-servers", "kafka:9092");
        assertThat(services.path("kafka").path("image").asText()).isEqualTo("apache/kafka:4.3.1");
        assertThat(services.path("kafka").path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText())
                .contains("PLAINTEXT://kafka:9092");
        assertThat(services.path("forecaster").path("ports").get(0).asText()).isEqualTo("8080:8080");
    }

    @Test
    void theForecasterAdvertisesItsQueryApiUnderItsComposeName() throws IOException {
        String advertised = compose().path("services").path("forecaster").path("environment")
                .path("SENSORCAST_ADVERTISED_SERVER").asText();
        assertThat(advertised).isEqualTo("forecaster:8080");
        assertThat(ConfigKeys.isHostPort(advertised)).isTrue();
    }

    @Test
    void kafkaInitCreatesTheModelTopicWithTheSettingsCreateTopicsGivesIt() throws IOException {
        String script = compose().path("services").path("kafka-init").path("command").get(0).asText();
        String line = script.lines().filter(l -> l.contains("--topic forecast-models")).findFirst().orElseThrow();
        for (var setting : io.sensorcast.model.ModelTopic.topicConfigs().entrySet()) {
            assertThat(line).contains("--config " + setting.getKey() + "=" + setting.getValue());
        }
    }

    @Test
    void forecasterPipelineIsAcceptedByTheServiceAndWritesOnlyToItsVolume() throws IOException {
        PipelineConfig config = PipelineConfigLoader.parse(Files.readString(COMPOSE_FILES.resolve("pipeline.yaml")));
        assertThat(config.kafka()).containsEntry("bootstrap.servers", "kafka:9092");
        assertThat(config.kafka().get("state.dir")).startsWith("/var/lib/sensorcast/");
        assertThat(config.model().directory()).startsWith("/var/lib/sensorcast/");
        assertThat(strings(compose().path("services").path("forecaster").path("volumes")))
                .contains("forecaster-state:/var/lib/sensorcast");
    }

    @Test
    void prometheusConfigIsValidAndScrapesTheForecasterWithTheChartAlertRules() throws IOException {
        Path prometheusYml = COMPOSE_FILES.resolve("prometheus.yml");
        ExternalTool.Result check = ExternalTool.PROMTOOL.run("check", "config", prometheusYml.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();

        JsonNode prometheus = RenderedChart.YAML.readTree(prometheusYml.toFile());
        assertThat(prometheus.path("scrape_configs").get(0).path("static_configs").get(0).path("targets").get(0).asText())
                .isEqualTo("forecaster:8080");
        assertThat(prometheus.path("rule_files").get(0).asText()).isEqualTo("/etc/prometheus/rules/*.yaml");
        assertThat(strings(compose().path("services").path("prometheus").path("volumes")))
                .contains("./helm/sensorcast/files/sensorcast-alerts.yaml:/etc/prometheus/rules/sensorcast-alerts.yaml:ro");
    }

    @Test
    void grafanaProvisionsThePrometheusDatasourceAndTheChartDashboard() throws IOException {
        JsonNode datasource = RenderedChart.YAML.readTree(
                COMPOSE_FILES.resolve("grafana/provisioning/datasources/prometheus.yaml").toFile()).path("datasources").get(0);
        assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
        assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");

        JsonNode provider = RenderedChart.YAML.readTree(
                COMPOSE_FILES.resolve("grafana/provisioning/dashboards/sensorcast.yaml").toFile()).path("providers").get(0);
        String dashboardDir = provider.path("options").path("path").asText();
        assertThat(strings(compose().path("services").path("grafana").path("volumes")))
                .contains("./helm/sensorcast/files/sensorcast-dashboard.json:" + dashboardDir + "/sensorcast.json:ro");
    }

    private static JsonNode compose() throws IOException {
        return RenderedChart.YAML.readTree(COMPOSE.toFile());
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
