package io.sensorcast.topology;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.ingest.DeadLetterHeaders;
import io.sensorcast.ingest.RejectReason;
import io.sensorcast.metrics.ServiceMetrics;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.state.AcceptedEvents;
import io.sensorcast.state.SensorState;
import io.sensorcast.testing.TestModels;
import io.sensorcast.testing.TopologyHarness;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.IntStream;

import static io.sensorcast.testing.TopologyHarness.command;
import static io.sensorcast.testing.TopologyHarness.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The control topic: {@code reset} makes a sensor learn afresh but keeps it and its timeline, {@code forget}
 * removes it from every store and the changelogs, a command reaches the sensor's task whatever partition it was
 * read from, and bad control records are dead-lettered with their reason like bad events.
 */
class ControlTopicTest {

    private static final long T0 = 1_735_689_600_000L;
    private static final long MINUTE = 60_000L;

    @TempDir
    Path stateDir;

    private static PipelineConfig config(String guarantee) {
        return PipelineConfigLoader.parse("horizon: 3\nmodel: {layers: [8]}\nkafka: {processing.guarantee: " + guarantee
                + "}\n");
    }

    private TopologyHarness harness(PipelineConfig config, TopologyMetrics metrics, int partitions) {
        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(config), TestModels.servingModel(config, 1, 5));
        return new TopologyHarness(config, registry, stateDir, () -> StepListener.NONE, metrics, partitions,
                Clock.systemUTC());
    }

    private TopologyHarness harness(String guarantee) {
        return harness(config(guarantee), TopologyMetrics.NONE, 1);
    }

    private static double value(int i) {
        return 50 + 10 * Math.sin(i / 5.0) + (i % 7) * 0.3;
    }

    private static void send(TopologyHarness h, String sensor, int from, int to) {
        for (int i = from; i < to; i++) {
            h.send(sensor, event(sensor, T0 + i * MINUTE, value(i)));
        }
    }

    @Test
    void resetMakesTheSensorForecastAsANewSensorWouldButKeepsItKnownAndItsOldEventsStale() {
        try (TopologyHarness h = harness("exactly_once_v2")) {
            send(h, "pump", 0, 60);
            h.readForecasts();
            h.sendControl("pump", command("pump", "reset"));

            SensorState reset = h.states().get("pump");
            assertThat(reset).as("a reset sensor stays known").isNotNull();
            assertThat(reset.step).isZero();
            assertThat(reset.lastTimestampMs).isEqualTo(T0 + 59 * MINUTE);
            assertThat(reset.mean).containsOnly(0.0);
            assertThat(reset.replayCount).isZero();

            // Its timeline goes on: an event from before the reset is still stale.
            h.send("pump", event("pump", T0 + 30 * MINUTE, 1));
            assertThat(h.readDeadLetters()).singleElement().satisfies(d -> assertThat(
                    DeadLetterHeaders.reason(d.headers())).contains(RejectReason.STALE_TIMESTAMP));

            // After it: exactly the forecasts a sensor never seen before makes from the same events.
            send(h, "pump", 60, 90);
            send(h, "twin", 60, 90);
            List<Forecast> forecasts = h.readForecasts();
            List<Forecast> pump = forecasts.stream().filter(f -> f.sensorId().equals("pump")).toList();
            List<Forecast> twin = forecasts.stream().filter(f -> f.sensorId().equals("twin")).toList();
            assertThat(pump).hasSize(30);
            assertThat(pump).extracting(Forecast::step).containsExactlyElementsOf(
                    IntStream.rangeClosed(1, 30).mapToObj(Long::valueOf).toList());
            for (int i = 0; i < pump.size(); i++) {
                Forecast p = pump.get(i);
                Forecast t = twin.get(i);
                assertThat(p.values()).as("forecast %d", i).isEqualTo(t.values());
                assertThat(p.quantiles()).isEqualTo(t.quantiles());
                assertThat(p.horizonTimestamps()).isEqualTo(t.horizonTimestamps());
                assertThat(p.anomaly()).isEqualTo(t.anomaly());
            }
        }
    }

    @Test
    void forgetRemovesTheSensorFromEveryStoreAndTheChangelogsAndLeavesTheOthersAlone() {
        try (TopologyHarness h = harness("at_least_once")) {
            var stateChangelog = h.changelog(ForecastTopology.STATE_STORE);
            var acceptedChangelog = h.changelog(ForecastTopology.ACCEPTED_EVENTS_STORE);
            send(h, "old-device", 0, 20);
            send(h, "neighbour", 0, 20);
            SensorState neighbourBefore = h.states().get("neighbour");
            h.sendControl("old-device", command("old-device", "forget"));

            KeyValueStore<String, AcceptedEvents> accepted = h.driver.getKeyValueStore(
                    ForecastTopology.ACCEPTED_EVENTS_STORE);
            assertThat(h.states().get("old-device")).isNull();
            assertThat(accepted.get("old-device")).isNull();
            assertThat(lastValueOf(stateChangelog.readRecordsToList(), "old-device")).isNull();
            assertThat(lastValueOf(acceptedChangelog.readRecordsToList(), "old-device")).isNull();
            assertThat(h.states().get("neighbour").step).isEqualTo(neighbourBefore.step);
            assertThat(accepted.get("neighbour").size()).isEqualTo(20);

            // The replacement device under the same id starts afresh, whatever its clock says.
            h.readForecasts();
            h.send("old-device", event("old-device", T0, 3));
            assertThat(h.readForecasts()).extracting(Forecast::step).containsExactly(1L);
            assertThat(h.readDeadLetters()).isEmpty();
        }
    }

    @Test
    void aCommandForASensorTheServiceDoesNotHoldChangesNothingAndIsNoDeadLetter() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        PipelineConfig config = config("exactly_once_v2");
        try (TopologyHarness h = harness(config, new ServiceMetrics(meters, config), 1)) {
            send(h, "known", 0, 3);
            h.sendControl("nobody", command("nobody", "forget"));
            h.sendControl("nobody", command("nobody", "reset"));
            h.sendControl("known", command("known", "forget"));
            h.sendControl("known", command("known", "forget"));

            assertThat(h.readDeadLetters()).isEmpty();
            assertThat(h.states().get("nobody")).isNull();
            assertThat(h.states().get("known")).isNull();
            assertThat(meters.get("sensorcast.control.actions").tags("action", "forget", "known", "true").counter()
                    .count()).isEqualTo(1);
            assertThat(meters.get("sensorcast.control.actions").tags("action", "forget", "known", "false").counter()
                    .count()).isEqualTo(2);
            assertThat(meters.get("sensorcast.control.in").counter().count()).isEqualTo(4);
            assertThat(meters.get("sensorcast.active.keys").gauge().value()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            not JSON                 | pump   | {"sensorId":"pump","action":"reset"      | MALFORMED_JSON
            a tombstone              | pump   | NULL                                     | MALFORMED_JSON
            a JSON array             | pump   | ["pump","reset"]                         | MALFORMED_JSON
            no sensorId              | pump   | {"action":"reset"}                       | MISSING_FIELD
            a numeric sensorId       | NULL   | {"sensorId":7,"action":"reset"}          | INVALID_SENSOR_ID
            an empty sensorId        | NULL   | {"sensorId":"","action":"reset"}         | INVALID_SENSOR_ID
            a key naming another     | pump   | {"sensorId":"valve","action":"forget"}   | KEY_MISMATCH
            no action                | pump   | {"sensorId":"pump"}                      | MISSING_FIELD
            an unknown action        | pump   | {"sensorId":"pump","action":"delete"}    | UNKNOWN_ACTION
            an upper-case action     | pump   | {"sensorId":"pump","action":"RESET"}     | UNKNOWN_ACTION
            a numeric action         | pump   | {"sensorId":"pump","action":1}           | UNKNOWN_ACTION
            a duplicate action       | pump   | {"sensorId":"pump","action":"reset","action":"forget"} | MALFORMED_JSON
            """)
    void aBadControlRecordIsDeadLetteredWithItsReasonAndOriginalBytesAndChangesNothing(String name, String key,
                                                                                       String json, RejectReason reason) {
        try (TopologyHarness h = harness("exactly_once_v2")) {
            send(h, "pump", 0, 3);
            h.sendControl(key, json);

            TestRecord<byte[], byte[]> letter = h.readDeadLetters().get(0);
            assertThat(DeadLetterHeaders.reason(letter.headers())).contains(reason);
            assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.SOURCE))
                    .hasValueSatisfying(source -> assertThat(source).startsWith(h.config.topics().control() + "-0@"));
            assertThat(letter.value()).isEqualTo(json == null ? null : json.getBytes(StandardCharsets.UTF_8));
            assertThat(letter.key()).isEqualTo(key == null ? null : key.getBytes(StandardCharsets.UTF_8));
            assertThat(h.states().get("pump").step).isEqualTo(3);
        }
    }

    @Test
    void anOverlongSensorIdIsDeadLetteredNamingTheLimit() {
        try (TopologyHarness h = harness("exactly_once_v2")) {
            String id = "x".repeat(h.config.limits().maxSensorIdLength() + 1);
            h.sendControl(null, command(id, "forget"));
            TestRecord<byte[], byte[]> letter = h.readDeadLetters().get(0);
            assertThat(DeadLetterHeaders.reason(letter.headers())).contains(RejectReason.INVALID_SENSOR_ID);
            assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.DETAIL))
                    .hasValueSatisfying(d -> assertThat(d).contains("above the limit of 256"));
        }
    }

    @Test
    void aKeylessCommandOrOneReadFromAnotherPartitionIsRoutedToItsSensorsTask() {
        // The driver reads everything from partition 0; with two partitions this sensor's home is partition 1.
        String sensor = IntStream.range(0, 100).mapToObj(i -> "valve-" + i)
                .filter(id -> TopicLayout.homePartition(id, 2) == 1).findFirst().orElseThrow();
        try (TopologyHarness h = harness(config("exactly_once_v2"), TopologyMetrics.NONE, 2)) {
            send(h, sensor, 0, 5);
            send(h, "other", 0, 5);
            h.sendControl(sensor, command(sensor, "reset"));
            assertThat(h.states().get(sensor).step).isZero();
            h.sendControl(null, command("other", "forget"));
            assertThat(h.states().get("other")).isNull();
            assertThat(h.driver.producedTopicNames()).anyMatch(t -> t.endsWith("routed-control-repartition"));
            assertThat(h.readDeadLetters()).isEmpty();
        }
    }

    @Test
    void aRecordForgedIntoTheInternalControlRepartitionTopicIsDeadLetteredNotApplied() {
        try (TopologyHarness h = harness("exactly_once_v2")) {
            send(h, "pump", 0, 3);
            var forged = h.driver.createInputTopic(h.config.name() + "-routed-control-repartition",
                    new org.apache.kafka.common.serialization.StringSerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer());
            forged.pipeInput("valve", command("pump", "forget").getBytes(StandardCharsets.UTF_8));
            assertThat(h.states().get("pump")).isNotNull();
            assertThat(h.readDeadLetters()).singleElement().satisfies(d -> assertThat(
                    DeadLetterHeaders.reason(d.headers())).contains(RejectReason.KEY_MISMATCH));
        }
    }

    private static byte[] lastValueOf(List<TestRecord<String, byte[]>> changelog, String key) {
        byte[] last = new byte[0];
        boolean seen = false;
        for (TestRecord<String, byte[]> r : changelog) {
            if (r.key().equals(key)) {
                last = r.value();
                seen = true;
            }
        }
        assertThat(seen).as("changelog records of %s", key).isTrue();
        return last;
    }
}
