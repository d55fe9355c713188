package io.sensorcast.topology;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.testing.TestModels;
import io.sensorcast.testing.TopologyHarness;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.sensorcast.testing.TopologyHarness.event;
import static org.assertj.core.api.Assertions.assertThat;

class ForecastTopologyTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long MINUTE = 60_000L;

    private final PipelineConfig config = PipelineConfigLoader.parse("horizon: 3\nmodel: {layers: [8]}\n");

    @TempDir
    Path stateDir;

    private TopologyHarness harness(Path dir) {
        return new TopologyHarness(config, TestModels.servingModel(config, 1, 42), dir);
    }

    private static double value(String sensor, int i) {
        return 20 + 5 * Math.sin(i / 7.0 + sensor.hashCode() % 5) + (i % 3) * 0.1;
    }

    @Test
    void everyAcceptedEventYieldsExactlyOneForecastAndAdvancesTheStepByOne() {
        try (TopologyHarness h = harness(stateDir)) {
            for (int i = 0; i < 40; i++) {
                h.send("pump-7", event("pump-7", T0 + i * MINUTE, value("pump-7", i)));
            }
            List<Forecast> out = h.readForecasts();
            assertThat(out).hasSize(40);
            for (int i = 0; i < 40; i++) {
                Forecast f = out.get(i);
                assertThat(f.sensorId()).isEqualTo("pump-7");
                assertThat(f.step()).isEqualTo(i + 1);
                assertThat(f.timestampMs()).isEqualTo(T0 + i * MINUTE);
                assertThat(f.modelVersion()).isEqualTo(1);
                assertThat(f.horizon()).isEqualTo(3);
                assertThat(Arrays.stream(f.values()).allMatch(Double::isFinite)).isTrue();
            }
            // From the third event the cadence is observed: forecasts are spaced one minute apart.
            assertThat(out.get(39).horizonTimestamps())
                    .containsExactly(T0 + 40 * MINUTE, T0 + 41 * MINUTE, T0 + 42 * MINUTE);
            assertThat(h.readDeadLetters()).isEmpty();
        }
    }

    @Test
    void interleavedKeysGetExactlyTheForecastsEachGetsAlone() throws IOException {
        List<String> sensors = List.of("a", "b", "c", "d", "e");
        Map<String, List<Forecast>> alone = new LinkedHashMap<>();
        for (String s : sensors) {
            Path dir = Files.createDirectories(stateDir.resolve("alone-" + s));
            try (TopologyHarness h = harness(dir)) {
                for (int i = 0; i < 30; i++) {
                    h.send(s, event(s, T0 + i * MINUTE, value(s, i)));
                }
                alone.put(s, h.readForecasts());
            }
        }
        Map<String, List<Forecast>> together = new LinkedHashMap<>();
        try (TopologyHarness h = harness(Files.createDirectories(stateDir.resolve("together")))) {
            for (int i = 0; i < 30; i++) {
                for (String s : sensors) {
                    h.send(s, event(s, T0 + i * MINUTE, value(s, i)));
                }
            }
            for (Forecast f : h.readForecasts()) {
                together.computeIfAbsent(f.sensorId(), k -> new ArrayList<>()).add(f);
            }
        }
        assertThat(together).isEqualTo(alone);
        // Different sensors really produce different forecasts, so the equality above is not vacuous.
        assertThat(alone.get("a").get(29).values()).isNotEqualTo(alone.get("b").get(29).values());
    }

    @Test
    void everyKindOfBadInputLandsOnTheDeadLetterTopicWithItsReasonAndOriginalBytes() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("MALFORMED_JSON", "{\"sensorId\":\"s1\",\"ts\":");
        bad.put("MISSING_FIELD", "{\"sensorId\":\"s1\",\"ts\":" + (T0 + 5 * MINUTE) + "}");
        bad.put("NON_NUMERIC_VALUE", "{\"sensorId\":\"s1\",\"ts\":" + (T0 + 5 * MINUTE) + ",\"value\":\"warm\"}");
        bad.put("NON_FINITE_VALUE", "{\"sensorId\":\"s1\",\"ts\":" + (T0 + 5 * MINUTE) + ",\"value\":NaN}");
        bad.put("UNKNOWN_CHANNEL", "{\"sensorId\":\"s1\",\"ts\":" + (T0 + 5 * MINUTE)
                + ",\"values\":{\"value\":1,\"humidity\":2}}");
        bad.put("INVALID_TIMESTAMP", "{\"sensorId\":\"s1\",\"ts\":\"yesterday\",\"value\":1}");
        bad.put("STALE_TIMESTAMP", event("s1", T0, 21.0));
        bad.put("FUTURE_TIMESTAMP", "{\"sensorId\":\"s1\",\"ts\":\"9999-12-31T23:59:59.999Z\",\"value\":1}");
        bad.put("PAYLOAD_TOO_LARGE", "{\"sensorId\":\"s1\",\"ts\":" + (T0 + 5 * MINUTE) + ",\"value\":1,\"pad\":\""
                + "x".repeat(5000) + "\"}");
        bad.put("KEY_MISMATCH", event("someone-else", T0 + 5 * MINUTE, 1.0));
        try (TopologyHarness h = harness(stateDir)) {
            h.send("s1", event("s1", T0, 20.0));
            h.send("s1", event("s1", T0 + MINUTE, 20.5));
            bad.values().forEach(json -> h.send("s1", json));
            h.send("s1", event("s1", T0 + 2 * MINUTE, 21.0));

            List<Forecast> forecasts = h.readForecasts();
            assertThat(forecasts).extracting(Forecast::step).containsExactly(1L, 2L, 3L);
            List<TestRecord<byte[], byte[]>> dead = h.readDeadLetters();
            assertThat(dead).hasSize(bad.size());
            Map<String, String> byReason = new LinkedHashMap<>();
            for (TestRecord<byte[], byte[]> r : dead) {
                Header reason = r.headers().lastHeader("sensorcast.dlq.reason");
                Header detail = r.headers().lastHeader("sensorcast.dlq.detail");
                assertThat(reason).isNotNull();
                assertThat(detail).isNotNull();
                assertThat(new String(detail.value(), StandardCharsets.UTF_8)).isNotBlank();
                assertThat(r.key()).isEqualTo("s1".getBytes(StandardCharsets.UTF_8));
                byReason.put(new String(reason.value(), StandardCharsets.UTF_8), new String(r.value(), StandardCharsets.UTF_8));
            }
            assertThat(byReason).containsExactlyInAnyOrderEntriesOf(bad);
        }
    }

    @Test
    void eventsWithoutAKeyAreForecastUnderTheirSensorId() {
        try (TopologyHarness h = harness(stateDir)) {
            h.send(null, event("tank-3", T0, 1.0));
            h.send("tank-3", event("tank-3", T0 + MINUTE, 1.5));
            h.send(null, event("tank-3", T0 + 2 * MINUTE, 2.0));
            List<TestRecord<String, Forecast>> out = h.forecasts.readRecordsToList();
            assertThat(out).extracting(TestRecord::key).containsOnly("tank-3");
            assertThat(out).extracting(r -> r.value().step()).containsExactlyInAnyOrder(1L, 2L, 3L);
        }
    }

    @Test
    void checkedInTopologyDescriptionMatchesWhatTheCodeBuilds() throws IOException {
        PipelineConfig shipped = PipelineConfigLoader.load(Path.of("topologies/sensorcast.yaml"));
        String checkedIn = Files.readString(Path.of("topologies/sensorcast.topology.txt"));
        assertThat(TopologyDescriptions.describe(shipped))
                .as("topologies/sensorcast.topology.txt is stale: regenerate it with `./sensorcast topology"
                        + " > topologies/sensorcast.topology.txt`")
                .isEqualTo(checkedIn);
    }
}
