package io.sensorcast.topology;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.ForecastJson;
import io.sensorcast.forecast.SensorForecaster;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.model.ServingModel;
import io.sensorcast.state.SensorState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleBiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs of the service on a real broker that the restart tests repeat over one state directory or a new one. */
final class ServiceRuns {

    private ServiceRuns() {
    }

    /**
     * Asserts that each sensor's forecasts, in the order published, equal those of one uninterrupted offline run over
     * its events 0 to count-1, event i at {@code t0 + i * step} with the value {@code value(sensor, i)}.
     */
    static void assertForecastsAsUninterrupted(PipelineConfig config, ServingModel model, List<Forecast> forecasts,
                                               List<String> sensors, int count, long t0, long step,
                                               ToDoubleBiFunction<String, Integer> value) {
        Map<String, List<Forecast>> bySensor = new HashMap<>();
        forecasts.forEach(f -> bySensor.computeIfAbsent(f.sensorId(), k -> new ArrayList<>()).add(f));
        SensorForecaster offline = new SensorForecaster(config, ModelShapes.specOf(config), StepListener.NONE);
        for (String sensor : sensors) {
            SensorState state = offline.newState();
            List<Forecast> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                expected.add(offline.advance(state, new SensorEvent(sensor, t0 + i * step,
                        new double[]{value.applyAsDouble(sensor, i)}, new byte[0]), model));
            }
            assertThat(bySensor.get(sensor)).as(sensor).isEqualTo(expected);
        }
    }

    /**
     * Runs the service until {@code into} holds {@code total} forecasts read from {@code consumer}, then closes it;
     * returns the state records it restored from changelogs on the way.
     */
    static long runUntil(PipelineConfig config, ServingModel model, KafkaConsumer<String, String> consumer,
                         List<Forecast> into, int total) {
        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(config), model);
        AtomicLong restored = new AtomicLong();
        ForecastJson json = new ForecastJson(config.channels());
        try (ForecastService service = new ForecastService(config, registry, () -> StepListener.NONE,
                TopologyMetrics.NONE)) {
            service.streams().setGlobalStateRestoreListener(new StateRestoreListener() {
                @Override
                public void onRestoreStart(TopicPartition tp, String store, long start, long end) {
                }

                @Override
                public void onBatchRestored(TopicPartition tp, String store, long batchEnd, long restoredCount) {
                    restored.addAndGet(restoredCount);
                }

                @Override
                public void onRestoreEnd(TopicPartition tp, String store, long totalRestored) {
                }
            });
            service.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (into.size() < total && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    into.add(json.read(r.value().getBytes(StandardCharsets.UTF_8)));
                }
            }
            assertThat(into).as(() -> stuck(service, consumer)).hasSize(total);
        }
        return restored.get();
    }

    /** What a run that stopped short was doing: the stream's state and threads, and how far the reader got. */
    private static String stuck(ForecastService service, KafkaConsumer<String, String> consumer) {
        StringBuilder report = new StringBuilder("stream ").append(service.streams().state())
                .append(", thread failures ").append(service.failures().count());
        service.streams().metadataForLocalThreads().forEach(t -> report.append("\n  ").append(t.threadName())
                .append(' ').append(t.threadState()).append(" active ").append(t.activeTasks()));
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
        assigned.forEach(tp -> report.append("\n  reader ").append(tp).append(" at ").append(consumer.position(tp))
                .append(" of ").append(ends.get(tp)));
        Thread.getAllStackTraces().forEach((thread, frames) -> {
            if (thread.getName().contains("StreamThread")) {
                report.append("\n  ").append(thread.getName()).append(' ').append(thread.getState());
                Arrays.stream(frames).limit(25).forEach(f -> report.append("\n    at ").append(f));
            }
        });
        return report.toString();
    }
}
