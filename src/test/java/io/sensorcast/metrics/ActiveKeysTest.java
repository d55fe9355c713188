package io.sensorcast.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.testing.TestModels;
import io.sensorcast.topology.ForecastTopology;
import io.sensorcast.topology.StreamsSettings;
import io.sensorcast.topology.TopicLayout;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static io.sensorcast.testing.TopologyHarness.event;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code sensorcast_active_keys} counts sensors, not state writes. */
class ActiveKeysTest {

    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path stateDir;

    @Test
    void activeKeysCountsTheSensorsHeldNotTheTimesTheirStateWasWrittenAndDropsThemWhenTheTaskCloses() {
        PipelineConfig config = PipelineConfigLoader.parse("horizon: 2\nmodel: {layers: [8]}\n")
                .withKafka(Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092",
                        StreamsConfig.STATE_DIR_CONFIG, stateDir.toString()));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ServiceMetrics metrics = new ServiceMetrics(meters, config);
        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(config), TestModels.servingModel(config, 1, 3));
        try (TopologyTestDriver driver = new TopologyTestDriver(ForecastTopology.build(config, registry,
                () -> StepListener.NONE, metrics, TopicLayout.withPartitions(config, 1)), StreamsSettings.of(config))) {
            TestInputTopic<byte[], byte[]> events = driver.createInputTopic(config.topics().events(),
                    new ByteArraySerializer(), new ByteArraySerializer());
            for (int i = 0; i < 100; i++) {
                for (String s : new String[]{"a", "b", "c"}) {
                    events.pipeInput(s.getBytes(StandardCharsets.UTF_8),
                            event(s, T0 + i * 60_000L, i % 5).getBytes(StandardCharsets.UTF_8));
                }
            }
            // A stale event and a keyless one of a known sensor add no key.
            events.pipeInput("a".getBytes(StandardCharsets.UTF_8), event("a", T0, 1).getBytes(StandardCharsets.UTF_8));
            events.pipeInput(null, event("b", T0 + 200 * 60_000L, 1).getBytes(StandardCharsets.UTF_8));
            assertThat(meters.get("sensorcast.active.keys").gauge().value()).isEqualTo(3);
        }
        assertThat(meters.get("sensorcast.active.keys").gauge().value()).isZero();
    }
}
