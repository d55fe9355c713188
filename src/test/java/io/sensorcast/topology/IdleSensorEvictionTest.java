package io.sensorcast.topology;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.config.StateSettings;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.state.AcceptedEvents;
import io.sensorcast.testing.TestModels;
import io.sensorcast.testing.TopologyHarness;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.sensorcast.testing.TopologyHarness.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The idle-sensor sweep over many sensors with a short TTL: the idle ones leave every store and the changelogs
 * (tombstones), the active ones are untouched and forecast exactly as without eviction, each slice examines at
 * most its batch, and idleness is judged on the stream's event time, so a replay of old data evicts nothing
 * that was active in it.
 */
class IdleSensorEvictionTest {

    /** 2025-01-01T00:00:00Z: the tests replay last year's data, whatever the wall clock says. */
    private static final long T0 = 1_735_689_600_000L;
    private static final long MINUTE = 60_000L;
    private static final int SENSORS = 240;
    private static final int BATCH = 50;

    @TempDir
    Path stateDir;

    /** What the sweep reported: the sensors it examined per slice and the sensors it evicted. */
    private static final class Recorded implements TopologyMetrics {
        final List<Integer> sliceSensors = new CopyOnWriteArrayList<>();
        final List<Long> sliceNanos = new CopyOnWriteArrayList<>();
        final List<String> evicted = new CopyOnWriteArrayList<>();
        long held;

        @Override
        public void evictionSlice(long nanos, int sensors) {
            sliceNanos.add(nanos);
            sliceSensors.add(sensors);
        }

        @Override
        public void evicted(String sensorId) {
            evicted.add(sensorId);
        }

        @Override
        public void keysHeld(long delta) {
            held += delta;
        }
    }

    private static PipelineConfig config(String idleTtl, String guarantee) {
        return PipelineConfigLoader.parse("horizon: 3\nmodel: {layers: [8]}\nkafka: {processing.guarantee: " + guarantee
                + "}\n").withState(new StateSettings(idleTtl, "PT1S", BATCH));
    }

    private TopologyHarness harness(PipelineConfig config, Path dir, TopologyMetrics metrics) {
        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(config), TestModels.servingModel(config, 1, 11));
        return new TopologyHarness(config, registry, dir, () -> StepListener.NONE, metrics);
    }

    private static String sensor(int i) {
        return String.format("sensor-%03d", i);
    }

    private static boolean active(int i) {
        return i % 3 == 0;
    }

    private static double value(int sensor, int step) {
        return 20 + Math.sin(step / 7.0 + sensor) * 3 + sensor * 0.01;
    }

    /**
     * Every sensor sends six events ten minutes apart, then only every third one goes on for three hours, one
     * slice of the sweep after each round of events (none when {@code sweep} is false).
     */
    private static void stream(TopologyHarness h, boolean sweep) {
        int step = 0;
        for (; step < 6; step++) {
            for (int i = 0; i < SENSORS; i++) {
                h.send(sensor(i), event(sensor(i), T0 + step * 10 * MINUTE, value(i, step)));
            }
        }
        for (; step < 24; step++) {
            for (int i = 0; i < SENSORS; i += 3) {
                h.send(sensor(i), event(sensor(i), T0 + step * 10 * MINUTE, value(i, step)));
            }
            if (sweep) {
                h.driver.advanceWallClockTime(Duration.ofSeconds(1));
            }
        }
    }

    private static Set<String> keys(KeyValueStore<String, ?> store) {
        Set<String> keys = new TreeSet<>();
        try (KeyValueIterator<String, ?> all = store.all()) {
            all.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    private static Map<String, List<Forecast>> bySensor(List<Forecast> forecasts) {
        Map<String, List<Forecast>> out = new HashMap<>();
        forecasts.forEach(f -> out.computeIfAbsent(f.sensorId(), k -> new ArrayList<>()).add(f));
        return out;
    }

    /** The last changelog record of each key: null value for a tombstone. */
    private static Map<String, byte[]> lastPerKey(List<TestRecord<String, byte[]>> changelog) {
        Map<String, byte[]> last = new HashMap<>();
        changelog.forEach(r -> last.put(r.key(), r.value()));
        return last;
    }

    @Test
    void idleSensorsLeaveTheStoreAndTheChangelogWhileActiveOnesForecastExactlyAsWithoutEviction() {
        Set<String> activeIds = IntStream.range(0, SENSORS).filter(IdleSensorEvictionTest::active)
                .mapToObj(IdleSensorEvictionTest::sensor).collect(Collectors.toCollection(TreeSet::new));
        Set<String> idleIds = IntStream.range(0, SENSORS).filter(i -> !active(i))
                .mapToObj(IdleSensorEvictionTest::sensor).collect(Collectors.toCollection(TreeSet::new));

        Map<String, List<Forecast>> reference;
        try (TopologyHarness h = harness(config("0", "exactly_once_v2"), stateDir.resolve("keep"), TopologyMetrics.NONE)) {
            stream(h, true);
            reference = bySensor(h.readForecasts());
            assertThat(keys(h.states())).hasSize(SENSORS);
        }

        Recorded recorded = new Recorded();
        try (TopologyHarness h = harness(config("PT1H", "exactly_once_v2"), stateDir.resolve("evict"), recorded)) {
            var changelog = h.changelog(ForecastTopology.STATE_STORE);
            stream(h, true);

            assertThat(keys(h.states())).isEqualTo(activeIds);
            assertThat(recorded.evicted).hasSize(idleIds.size()).containsExactlyInAnyOrderElementsOf(idleIds);
            assertThat(recorded.held).isEqualTo(activeIds.size());

            // Compacted away: the last changelog record of every idle sensor is a tombstone, of no active one.
            Map<String, byte[]> last = lastPerKey(changelog.readRecordsToList());
            assertThat(idleIds).allSatisfy(id -> {
                assertThat(last).containsKey(id);
                assertThat(last.get(id)).as("last changelog record of %s", id).isNull();
            });
            assertThat(activeIds).allSatisfy(id -> assertThat(last.get(id)).as("changelog of %s", id).isNotNull());

            Map<String, List<Forecast>> evicting = bySensor(h.readForecasts());
            for (String id : activeIds) {
                assertThat(evicting.get(id)).as("forecasts of %s", id).isEqualTo(reference.get(id)).hasSize(24);
            }
            for (String id : idleIds) {
                assertThat(evicting.get(id)).isEqualTo(reference.get(id)).hasSize(6);
            }
            assertThat(recorded.sliceSensors).hasSize(18).allSatisfy(n -> assertThat(n).isBetween(1, BATCH));
        }
    }

    @Test
    void eachSliceExaminesAtMostItsBatchAndResumesWhereThePreviousStopped() {
        Recorded recorded = new Recorded();
        try (TopologyHarness h = harness(config("PT1H", "exactly_once_v2"), stateDir, recorded)) {
            for (int i = 0; i < SENSORS; i++) {
                h.send(sensor(i), event(sensor(i), T0, value(i, 0)));
            }
            // One sensor moves event time three hours on: the other 239 are idle, the sweep finds them slice by slice.
            h.send(sensor(0), event(sensor(0), T0 + 180 * MINUTE, 1));
            int fullPass = (SENSORS + BATCH - 1) / BATCH;
            for (int slice = 1; slice <= fullPass; slice++) {
                h.driver.advanceWallClockTime(Duration.ofSeconds(1));
                int examinedSoFar = recorded.sliceSensors.stream().mapToInt(Integer::intValue).sum();
                assertThat(recorded.sliceSensors.get(slice - 1)).isLessThanOrEqualTo(BATCH);
                // Each slice takes the next sensors in key order: none is examined twice before the pass ends.
                assertThat(examinedSoFar).isEqualTo(Math.min(slice * BATCH, SENSORS));
                assertThat(keys(h.states())).hasSize(SENSORS - recorded.evicted.size());
            }
            assertThat(keys(h.states())).containsExactly(sensor(0));
            assertThat(recorded.evicted).hasSize(SENSORS - 1).doesNotHaveDuplicates();
            // The next pass starts at the first sensor again.
            h.driver.advanceWallClockTime(Duration.ofSeconds(1));
            assertThat(recorded.sliceSensors.get(fullPass)).isEqualTo(1);
        }
        long slowest = recorded.sliceNanos.stream().mapToLong(Long::longValue).max().orElseThrow();
        System.out.printf("eviction slices of at most %d sensors: slowest %.2f ms (TopologyTestDriver)%n", BATCH,
                slowest / 1e6);
    }

    @Test
    void aReplayOfLastYearsDataEvictsOnlyWhatWasIdleWithinItNotByTheWallClock() {
        Recorded recorded = new Recorded();
        try (TopologyHarness h = harness(config("P1D", "exactly_once_v2"), stateDir, recorded)) {
            // Ten days of last year, hourly: "quiet" stops after day 2; the others report to the end.
            for (int hour = 0; hour < 240; hour++) {
                long ts = T0 + hour * 60 * MINUTE;
                h.send("steady-a", event("steady-a", ts, hour % 24));
                h.send("steady-b", event("steady-b", ts, hour % 12));
                if (hour < 48) {
                    h.send("quiet", event("quiet", ts, 1));
                }
                h.driver.advanceWallClockTime(Duration.ofSeconds(1));
            }
            assertThat(keys(h.states())).containsExactly("steady-a", "steady-b");
            assertThat(recorded.evicted).containsExactly("quiet");
        }
    }

    @Test
    void underAtLeastOnceAnIdleSensorAlsoLeavesTheAcceptedEventsStoreAndItsChangelog() {
        try (TopologyHarness h = harness(config("PT1H", "at_least_once"), stateDir, TopologyMetrics.NONE)) {
            var acceptedChangelog = h.changelog(ForecastTopology.ACCEPTED_EVENTS_STORE);
            h.send("idle", event("idle", T0, 1));
            h.send("busy", event("busy", T0, 1));
            h.send("busy", event("busy", T0 + 120 * MINUTE, 2));
            h.driver.advanceWallClockTime(Duration.ofSeconds(1));

            KeyValueStore<String, AcceptedEvents> accepted = h.driver.getKeyValueStore(
                    ForecastTopology.ACCEPTED_EVENTS_STORE);
            assertThat(keys(h.states())).containsExactly("busy");
            assertThat(keys(accepted)).containsExactly("busy");
            assertThat(lastPerKey(acceptedChangelog.readRecordsToList())).containsEntry("idle", null);
        }
    }

    @Test
    void anEvictedSensorThatReportsAgainStartsAfresh() {
        try (TopologyHarness h = harness(config("PT1H", "exactly_once_v2"), stateDir, TopologyMetrics.NONE)) {
            for (int i = 0; i < 5; i++) {
                h.send("back", event("back", T0 + i * MINUTE, i));
            }
            h.send("clock", event("clock", T0 + 300 * MINUTE, 0));
            h.driver.advanceWallClockTime(Duration.ofSeconds(1));
            assertThat(h.states().get("back")).isNull();
            h.readForecasts();

            // Even an event older than its last one before eviction: nothing is remembered of it.
            h.send("back", event("back", T0 + 2 * MINUTE, 7));
            assertThat(h.readForecasts()).extracting(Forecast::step).containsExactly(1L);
            assertThat(h.readDeadLetters()).isEmpty();
        }
    }

    @Test
    void withoutATtlNoSweepRunsAndEverySensorIsKept() {
        Recorded recorded = new Recorded();
        try (TopologyHarness h = harness(config("0", "exactly_once_v2"), stateDir, recorded)) {
            h.send("old", event("old", T0, 1));
            h.send("new", event("new", T0 + 300L * 24 * 60 * MINUTE, 1));
            h.driver.advanceWallClockTime(Duration.ofHours(1));
            assertThat(keys(h.states())).containsExactly("new", "old");
            assertThat(recorded.sliceSensors).isEmpty();
        }
    }

    @Test
    void idleIsJudgedAgainstTheNewestEventTimeTheTaskHasSeen() {
        Recorded recorded = new Recorded();
        try (TopologyHarness h = harness(config("PT1H", "exactly_once_v2"), stateDir, recorded)) {
            h.send("a", event("a", T0, 1));
            h.send("b", event("b", T0 + 60 * MINUTE, 1));
            h.driver.advanceWallClockTime(Duration.ofSeconds(1));
            // Exactly the TTL apart is not yet idle.
            assertThat(keys(h.states())).containsExactly("a", "b");
            h.send("b", event("b", T0 + 60 * MINUTE + 1, 1));
            h.driver.advanceWallClockTime(Duration.ofSeconds(1));
            assertThat(keys(h.states())).containsExactly("b");
        }
        assertThat(new HashSet<>(recorded.evicted)).containsExactly("a");
    }
}
