package io.sensorcast.topology;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.ingest.DeadLetterHeaders;
import io.sensorcast.ingest.RejectReason;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.testing.TestModels;
import io.sensorcast.testing.TopologyHarness;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static io.sensorcast.testing.TopologyHarness.event;
import static org.assertj.core.api.Assertions.assertThat;

/** Which events take the repartition topic to the task that holds their sensor's state. */
class EventRoutingTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long MINUTE = 60_000L;

    private final PipelineConfig config = PipelineConfigLoader.parse("horizon: 2\nmodel: {layers: [8]}\n");

    @TempDir
    Path stateDir;

    private TopologyHarness harness(int eventPartitions) {
        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(config), TestModels.servingModel(config, 1, 42));
        return new TopologyHarness(config, registry, stateDir, () -> StepListener.NONE, eventPartitions);
    }

    private String repartitionTopic() {
        return config.name() + "-unkeyed-events-repartition";
    }

    /** A sensor whose home among two partitions is partition 1, where the test driver reads everything from 0. */
    private static String sensorAwayFromPartitionZero() {
        return IntStream.range(0, 100).mapToObj(i -> "pump-" + i)
                .filter(id -> TopicLayout.homePartition(id, 2) == 1).findFirst().orElseThrow();
    }

    @Test
    void theHomePartitionIsTheOneKafkasJavaProducerAndTheRepartitionTopicPickForTheKey() {
        for (int partitions : new int[]{1, 2, 3, 12, 64}) {
            for (int i = 0; i < 200; i++) {
                String id = "sensor-" + i;
                assertThat(TopicLayout.homePartition(id, partitions)).isEqualTo(
                        BuiltInPartitioner.partitionForKey(id.getBytes(StandardCharsets.UTF_8), partitions));
            }
        }
    }

    @Test
    void aKeyedEventReadFromItsSensorsHomePartitionFlowsOnWithoutTheRepartitionTopic() {
        try (TopologyHarness h = harness(1)) {
            h.send("tank-1", event("tank-1", T0, 1.0));
            assertThat(h.readForecasts()).extracting(Forecast::step).containsExactly(1L);
            assertThat(h.driver.producedTopicNames()).doesNotContain(repartitionTopic());
        }
    }

    @Test
    void aKeyedEventOnAnotherPartitionThanItsSensorsHomeGoesThroughTheRepartitionTopicAndSharesTheKeylessState() {
        String sensor = sensorAwayFromPartitionZero();
        try (TopologyHarness h = harness(2)) {
            h.send(sensor, event(sensor, T0, 1.0));
            h.send(null, event(sensor, T0 + MINUTE, 2.0));
            h.send(sensor, event(sensor, T0 + 2 * MINUTE, 3.0));

            List<TestRecord<String, Forecast>> out = h.forecasts.readRecordsToList();
            assertThat(out).extracting(r -> r.value().step()).containsExactly(1L, 2L, 3L);
            assertThat(out).extracting(TestRecord::key).containsOnly(sensor);
            assertThat(h.driver.producedTopicNames()).contains(repartitionTopic());
            assertThat(out).allSatisfy(r -> {
                assertThat(r.headers().lastHeader(RoutedOrigin.HEADER)).isNull();
                assertThat(r.headers().lastHeader(RoutedOrigin.KEYED_HEADER)).isNull();
            });
        }
    }

    @Test
    void aRoutedKeyedEventRejectedAsStaleKeepsItsKeyAndNamesItsInputRecord() {
        String sensor = sensorAwayFromPartitionZero();
        try (TopologyHarness h = harness(2)) {
            h.send(sensor, event(sensor, T0 + MINUTE, 1.0));
            String stale = event(sensor, T0, 2.0);
            h.send(sensor, stale);

            TestRecord<byte[], byte[]> letter = h.readDeadLetters().get(0);
            assertThat(DeadLetterHeaders.reason(letter.headers())).contains(RejectReason.STALE_TIMESTAMP);
            assertThat(letter.key()).isEqualTo(sensor.getBytes(StandardCharsets.UTF_8));
            assertThat(letter.value()).isEqualTo(stale.getBytes(StandardCharsets.UTF_8));
            assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.SOURCE))
                    .contains(config.topics().events() + "-0@1");
            assertThat(letter.headers().lastHeader(RoutedOrigin.KEYED_HEADER)).isNull();
        }
    }
}
