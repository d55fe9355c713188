package io.sensorcast.topology;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.ingest.DeadLetterHeaders;
import io.sensorcast.ingest.RejectReason;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.state.AcceptedEvents;
import io.sensorcast.testing.TestModels;
import io.sensorcast.testing.TopologyHarness;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.sensorcast.testing.TopologyHarness.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Under at_least_once a restart replays from the last committed offset while the restored state may already
 * hold the replayed events: those redeliveries are counted and skipped, while a genuinely stale event is
 * still a dead letter.
 */
class AtLeastOnceRedeliveryTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long MINUTE = 60_000L;

    @TempDir
    Path stateDir;

    private final AtomicInteger skipped = new AtomicInteger();
    private final TopologyMetrics counting = new TopologyMetrics() {
        @Override
        public void redeliverySkipped() {
            skipped.incrementAndGet();
        }
    };

    private TopologyHarness harness(String guarantee) {
        PipelineConfig config = PipelineConfigLoader.parse("horizon: 3\nmodel: {layers: [8]}\nkafka: {processing.guarantee: "
                + guarantee + "}\n");
        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(config), TestModels.servingModel(config, 1, 42));
        return new TopologyHarness(config, registry, stateDir, () -> StepListener.NONE, counting);
    }

    private static String reading(int i) {
        return event("pump-1", T0 + i * MINUTE, 10 + i * 0.5);
    }

    @Test
    void eventsTheSensorAlreadyAcceptedAreSkippedAndCountedNotDeadLettered() {
        try (TopologyHarness h = harness("at_least_once")) {
            for (int i = 1; i <= 3; i++) {
                h.send("pump-1", reading(i));
            }
            // The replay after an unclean stop: the committed offset was before reading 1, the state holds all three.
            for (int i = 1; i <= 3; i++) {
                h.send("pump-1", reading(i));
            }
            h.send("pump-1", reading(4));

            assertThat(h.readForecasts()).extracting(Forecast::step).containsExactly(1L, 2L, 3L, 4L);
            assertThat(h.readDeadLetters()).isEmpty();
            assertThat(skipped).hasValue(3);
        }
    }

    @Test
    void aStaleEventThatIsNotOneTheSensorAcceptedIsStillADeadLetter() {
        try (TopologyHarness h = harness("at_least_once")) {
            h.send("pump-1", reading(1));
            h.send("pump-1", reading(2));
            h.send("pump-1", event("pump-1", T0 + MINUTE, 99.0));   // reading 1's time, another value
            h.send("pump-1", event("pump-1", T0 + MINUTE / 2, 10.5)); // a time the sensor never sent

            assertThat(h.readForecasts()).extracting(Forecast::step).containsExactly(1L, 2L);
            List<TestRecord<byte[], byte[]>> dead = h.readDeadLetters();
            assertThat(dead).hasSize(2).allSatisfy(letter ->
                    assertThat(DeadLetterHeaders.reason(letter.headers())).contains(RejectReason.STALE_TIMESTAMP));
            assertThat(skipped).hasValue(0);
        }
    }

    @Test
    void onlyTheSensorsLastAcceptedEventsAreRemembered() {
        try (TopologyHarness h = harness("at_least_once")) {
            int sent = AcceptedEvents.CAPACITY + 8;
            for (int i = 1; i <= sent; i++) {
                h.send("pump-1", reading(i));
            }
            h.send("pump-1", reading(sent - AcceptedEvents.CAPACITY + 1)); // the oldest remembered
            h.send("pump-1", reading(sent - AcceptedEvents.CAPACITY));     // forgotten: stale

            assertThat(h.readForecasts()).hasSize(sent);
            assertThat(skipped).hasValue(1);
            assertThat(h.readDeadLetters()).singleElement().satisfies(letter ->
                    assertThat(DeadLetterHeaders.reason(letter.headers())).contains(RejectReason.STALE_TIMESTAMP));
        }
    }

    @Test
    void underExactlyOnceNothingIsRedeliveredSoAResentEventStaysAStaleDeadLetterAndNoStoreIsKept() {
        try (TopologyHarness h = harness("exactly_once_v2")) {
            h.send("pump-1", reading(1));
            h.send("pump-1", reading(1));

            assertThat(h.readForecasts()).hasSize(1);
            assertThat(h.readDeadLetters()).hasSize(1);
            assertThat(skipped).hasValue(0);
            assertThat(h.driver.getAllStateStores()).containsOnlyKeys(ForecastTopology.STATE_STORE);
        }
    }
}
