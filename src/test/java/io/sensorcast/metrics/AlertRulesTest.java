package io.sensorcast.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sensorcast.testing.ExternalTool;
import io.sensorcast.testing.IntegrationTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class AlertRulesTest {

    private static final Path RULE_TESTS = Path.of("helm/sensorcast/files/tests/sensorcast-alerts.test.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void promtoolAcceptsTheRuleFile() {
        ExternalTool.Result check = ExternalTool.PROMTOOL.run("check", "rules", ObservabilityQueries.ALERT_RULES.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 8 rules found");
    }

    @Test
    void everyAlertFiresAndStaysSilentExactlyAsItsPromtoolUnitTestsExpect() {
        ExternalTool.Result test = ExternalTool.PROMTOOL.run("test", "rules", RULE_TESTS.toString());
        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertHasAFiringAndASilentUnitTestCase() throws IOException {
        Set<String> firing = new HashSet<>();
        Set<String> silent = new HashSet<>();
        for (JsonNode test : YAML.readTree(RULE_TESTS.toFile()).path("tests")) {
            for (JsonNode evaluation : test.path("alert_rule_test")) {
                String alert = evaluation.path("alertname").asText();
                (evaluation.path("exp_alerts").isEmpty() ? silent : firing).add(alert);
            }
        }
        List<String> alerts = alertNames();
        assertThat(alerts).hasSize(8);
        assertThat(firing).as("alerts with a case where they fire").containsAll(alerts);
        assertThat(silent).as("alerts with a case where they stay silent").containsAll(alerts);
    }

    @Test
    void everyAlertCarriesASeverityASummaryAndADescription() throws IOException {
        for (JsonNode group : YAML.readTree(ObservabilityQueries.ALERT_RULES.toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String alert = rule.path("alert").asText();
                assertThat(rule.path("labels").path("severity").asText()).as(alert).isIn("critical", "warning", "info");
                assertThat(rule.path("annotations").path("summary").asText()).as(alert).isNotBlank();
                assertThat(rule.path("annotations").path("description").asText()).as(alert).isNotBlank();
            }
        }
    }

    static List<String> alertNames() throws IOException {
        List<String> names = new ArrayList<>();
        for (JsonNode group : YAML.readTree(ObservabilityQueries.ALERT_RULES.toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    names.add(rule.path("alert").asText());
                }
            }
        }
        return names;
    }
}
