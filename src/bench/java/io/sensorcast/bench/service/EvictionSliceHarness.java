package io.sensorcast.bench.service;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.StateSettings;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.testing.TestModels;
import io.sensorcast.testing.TopologyHarness;
import io.sensorcast.topology.TopologyMetrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Measures how long one slice of the idle-sensor sweep holds the stream thread: {@code sensors} sensors of the
 * shipped pipeline (default network, seasons, replay window) each get {@code events-per-sensor} events through the
 * real topology and its RocksDB stores (TopologyTestDriver: no broker, the changelog goes to the driver), every
 * other one then falls idle while the rest report on, and the sweep runs slice by slice over the whole store.
 * Prints every slice's time (examining {@code batch} sensors and deleting the idle ones among them) as p50, p99
 * and max, and the time per examined sensor.
 *
 * <p>{@code src/bench/run io.sensorcast.bench.service.EvictionSliceHarness [--sensors 100000] [--batch 1000]
 * [--events-per-sensor 3]}
 */
public final class EvictionSliceHarness {

    private static final long T0 = 1_735_689_600_000L;
    private static final long MINUTE = 60_000L;

    private EvictionSliceHarness() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("sensors", "batch", "events-per-sensor"));
        int sensors = args.integer("sensors", 100_000);
        int batch = args.integer("batch", 1000);
        int events = args.integer("events-per-sensor", 3);
        PipelineConfig config = PipelineConfig.defaults().withState(new StateSettings("PT1H", "PT1S", batch));
        List<Long> nanos = new ArrayList<>();
        List<Integer> examined = new ArrayList<>();
        long[] evicted = new long[1];
        TopologyMetrics recorder = new TopologyMetrics() {
            @Override
            public void evictionSlice(long slice, int count) {
                nanos.add(slice);
                examined.add(count);
            }

            @Override
            public void evicted(String sensorId) {
                evicted[0]++;
            }
        };
        Path dir = Files.createTempDirectory("eviction-slices");
        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(config), TestModels.servingModel(config, 1, 3));
        long loadStarted = System.nanoTime();
        try (TopologyHarness h = new TopologyHarness(config, registry, dir, () -> StepListener.NONE, recorder, 1,
                Clock.systemUTC())) {
            for (int e = 0; e < events; e++) {
                for (int s = 0; s < sensors; s++) {
                    String id = String.format("sensor-%07d", s);
                    h.send(id, TopologyHarness.event(id, T0 + e * MINUTE, 20 + Math.sin(s + e)));
                }
                h.forecasts.readValuesToList();
            }
            // Every other sensor reports two hours later: the rest are idle past the one-hour TTL.
            for (int s = 0; s < sensors; s += 2) {
                String id = String.format("sensor-%07d", s);
                h.send(id, TopologyHarness.event(id, T0 + 120 * MINUTE, 21));
            }
            h.forecasts.readValuesToList();
            System.out.printf("loaded %,d sensors x %d events in %.1f s%n", sensors, events + 1,
                    (System.nanoTime() - loadStarted) / 1e9);
            int slices = (sensors + batch - 1) / batch;
            for (int i = 0; i < slices; i++) {
                h.driver.advanceWallClockTime(Duration.ofSeconds(1));
            }
        }
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        long total = nanos.stream().mapToLong(Long::longValue).sum();
        int sensorsExamined = examined.stream().mapToInt(Integer::intValue).sum();
        System.out.printf("sensors %,d, batch %,d: %d slices examined %,d sensors, evicted %,d%n", sensors, batch,
                nanos.size(), sensorsExamined, evicted[0]);
        System.out.printf("slice time p50 %.2f ms, p99 %.2f ms, max %.2f ms; %.1f us per examined sensor%n",
                sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) Math.min(sorted.size() - 1,
                        Math.ceil(sorted.size() * 0.99) - 1)) / 1e6, sorted.get(sorted.size() - 1) / 1e6,
                total / 1e3 / sensorsExamined);
    }
}
