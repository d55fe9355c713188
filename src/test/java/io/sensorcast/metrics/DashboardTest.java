package io.sensorcast.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sensorcast.testing.ExternalTool;
import io.sensorcast.testing.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class DashboardTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");

    @Test
    void everyPanelQueryIsValidPromqlOnceGrafanaVariablesAreSubstituted(@TempDir Path dir) throws IOException {
        // promtool has no expression checker, but it parses every recording rule's expression.
        ObjectNode rules = JSON.createObjectNode();
        ArrayNode list = rules.putArray("groups").addObject().put("name", "dashboard").putArray("rules");
        List<String> queries = ObservabilityQueries.dashboardQueries();
        for (int i = 0; i < queries.size(); i++) {
            String expr = queries.get(i).replace("$__rate_interval", "5m").replaceAll("\\$\\{?\\w+}?", "x");
            list.addObject().put("record", "dashboard:query:" + i).put("expr", expr);
        }
        Path file = dir.resolve("dashboard-queries.yaml");
        new ObjectMapper(new YAMLFactory()).writeValue(file.toFile(), rules);

        ExternalTool.Result check = ExternalTool.PROMTOOL.run("check", "rules", file.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(queries).hasSizeGreaterThan(30);
    }

    @Test
    void panelsHaveUniqueIdsAndDoNotOverlapOnTheTwentyFourColumnGrid() throws IOException {
        List<JsonNode> panels = panels(dashboard());
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : panels) {
            assertThat(ids.add(p.path("id").asInt())).as("duplicate panel id %s", p.path("id")).isTrue();
            JsonNode g = p.path("gridPos");
            assertThat(g.path("x").asInt() + g.path("w").asInt()).as(p.path("title").asText()).isLessThanOrEqualTo(24);
        }
        for (int i = 0; i < panels.size(); i++) {
            for (int j = i + 1; j < panels.size(); j++) {
                assertThat(overlap(panels.get(i).path("gridPos"), panels.get(j).path("gridPos")))
                        .as("%s overlaps %s", panels.get(i).path("title"), panels.get(j).path("title")).isFalse();
            }
        }
    }

    @Test
    void everyQueryUsesTheDatasourceVariableSoItWorksWithAnyPrometheus() throws IOException {
        JsonNode dashboard = dashboard();
        for (JsonNode p : panels(dashboard)) {
            for (JsonNode target : p.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText()).as(p.path("title").asText())
                        .isEqualTo("${datasource}");
            }
        }
        JsonNode datasource = variables(dashboard).stream()
                .filter(v -> v.path("name").asText().equals("datasource")).findFirst().orElseThrow();
        assertThat(datasource.path("type").asText()).isEqualTo("datasource");
        assertThat(datasource.path("query").asText()).isEqualTo("prometheus");
    }

    @Test
    void everyVariableAQueryUsesIsDefined() throws IOException {
        JsonNode dashboard = dashboard();
        Set<String> defined = new HashSet<>();
        variables(dashboard).forEach(v -> defined.add(v.path("name").asText()));
        Set<String> used = new HashSet<>();
        for (String q : ObservabilityQueries.dashboardQueries()) {
            Matcher m = VARIABLE.matcher(q);
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        used.removeIf(name -> name.startsWith("__"));
        assertThat(used).containsExactlyInAnyOrder("job", "instance", "sensor", "horizon");
        assertThat(defined).containsAll(used);
    }

    @Test
    void showsForecastVersusActualForTheSelectedSensors() throws IOException {
        JsonNode panel = panels(dashboard()).stream()
                .filter(p -> p.path("title").asText().startsWith("Forecast vs actual")).findFirst().orElseThrow();
        List<String> exprs = new ArrayList<>();
        panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
        assertThat(exprs).anySatisfy(e -> assertThat(e).contains("sensorcast_forecast_actual").contains("sensor=~\"$sensor\""));
        assertThat(exprs).anySatisfy(e -> assertThat(e).contains("sensorcast_forecast_predicted")
                .contains("sensor=~\"$sensor\"").contains("horizon=~\"$horizon\""));
    }

    @Test
    void theShippedPipelinesWatchTheSimulatedSensorsSoTheForecastPanelIsNotEmptyOutOfTheBox() throws IOException {
        List<String> simulated = new io.sensorcast.demo.SensorSimulator(1, java.time.Instant.EPOCH).sensorIds();
        for (Path pipeline : List.of(Path.of("topologies/sensorcast.yaml"),
                Path.of("helm/sensorcast/files/compose/pipeline.yaml"))) {
            List<String> watched = io.sensorcast.config.PipelineConfigLoader.parse(
                    java.nio.file.Files.readString(pipeline)).metrics().sensors();
            assertThat(watched).as("metrics.sensors of %s", pipeline).isNotEmpty().isSubsetOf(simulated);
        }
    }

    private static boolean overlap(JsonNode a, JsonNode b) {
        return a.path("x").asInt() < b.path("x").asInt() + b.path("w").asInt()
                && b.path("x").asInt() < a.path("x").asInt() + a.path("w").asInt()
                && a.path("y").asInt() < b.path("y").asInt() + b.path("h").asInt()
                && b.path("y").asInt() < a.path("y").asInt() + a.path("h").asInt();
    }

    private static JsonNode dashboard() throws IOException {
        return JSON.readTree(ObservabilityQueries.DASHBOARD.toFile());
    }

    /** Top-level panels and those nested in collapsed rows. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            all.add(p);
            p.path("panels").forEach(all::add);
        }
        return all;
    }

    private static List<JsonNode> variables(JsonNode dashboard) {
        List<JsonNode> all = new ArrayList<>();
        dashboard.path("templating").path("list").forEach(all::add);
        return all;
    }
}
