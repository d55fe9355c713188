package io.sensorcast.testing;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.ForecastJson;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.model.ServingModel;
import io.sensorcast.state.SensorState;
import io.sensorcast.topology.ForecastTopology;
import io.sensorcast.topology.StreamsSettings;
import io.sensorcast.topology.TopicLayout;
import io.sensorcast.topology.TopologyMetrics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/** A TopologyTestDriver around the forecasting topology, with typed input and output topics. */
public final class TopologyHarness implements AutoCloseable {

    public final PipelineConfig config;
    public final ModelRegistry registry;
    public final TopologyTestDriver driver;
    public final TestInputTopic<byte[], byte[]> events;
    public final TestInputTopic<byte[], byte[]> control;
    public final TestOutputTopic<String, Forecast> forecasts;
    public final TestOutputTopic<byte[], byte[]> deadLetters;

    public TopologyHarness(PipelineConfig config, ServingModel model, Path stateDir) {
        this(config, new ModelRegistry(ModelShapes.specOf(config), model), stateDir, () -> StepListener.NONE);
    }

    /** A harness whose topology reads the wall clock from {@code clock}. */
    public TopologyHarness(PipelineConfig config, ServingModel model, Path stateDir, Clock clock) {
        this(config, new ModelRegistry(ModelShapes.specOf(config), model), stateDir, () -> StepListener.NONE,
                TopologyMetrics.NONE, 1, clock);
    }

    public TopologyHarness(PipelineConfig config, ModelRegistry registry, Path stateDir,
                           Supplier<StepListener> listeners) {
        this(config, registry, stateDir, listeners, TopologyMetrics.NONE);
    }

    public TopologyHarness(PipelineConfig config, ModelRegistry registry, Path stateDir,
                           Supplier<StepListener> listeners, TopologyMetrics metrics) {
        this(config, registry, stateDir, listeners, metrics, 1, Clock.systemUTC());
    }

    /**
     * A harness whose topology believes the events topic has {@code eventPartitions} partitions; the driver
     * still reads everything from partition 0, so a keyed event whose sensor lives elsewhere is routed.
     */
    public TopologyHarness(PipelineConfig config, ModelRegistry registry, Path stateDir,
                           Supplier<StepListener> listeners, int eventPartitions) {
        this(config, registry, stateDir, listeners, TopologyMetrics.NONE, eventPartitions, Clock.systemUTC());
    }

    /** As above, reporting to {@code metrics} and judging how far ahead event times are by {@code clock}. */
    public TopologyHarness(PipelineConfig config, ModelRegistry registry, Path stateDir,
                           Supplier<StepListener> listeners, TopologyMetrics metrics, int eventPartitions, Clock clock) {
        this.config = config.withKafka(Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092",
                StreamsConfig.STATE_DIR_CONFIG, stateDir.toString()));
        this.registry = registry;
        Properties props = StreamsSettings.of(this.config);
        this.driver = new TopologyTestDriver(ForecastTopology.build(this.config, registry, listeners, metrics,
                TopicLayout.withPartitions(this.config, eventPartitions), clock), props);
        this.events = driver.createInputTopic(config.topics().events(), new ByteArraySerializer(),
                new ByteArraySerializer());
        this.control = driver.createInputTopic(config.topics().control(), new ByteArraySerializer(),
                new ByteArraySerializer());
        this.forecasts = driver.createOutputTopic(config.topics().forecasts(), new StringDeserializer(),
                new ForecastJson(config.channels()).deserializer());
        this.deadLetters = driver.createOutputTopic(config.topics().deadLetter(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /** Sends an event with the sensor id as its key. */
    public void send(String sensorId, String json) {
        events.pipeInput(sensorId == null ? null : sensorId.getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a control record with {@code key} (null: none) as its key. */
    public void sendControl(String key, String json) {
        control.pipeInput(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    /** A control record's JSON. */
    public static String command(String sensorId, String action) {
        return "{\"sensorId\":\"" + sensorId + "\",\"action\":\"" + action + "\"}";
    }

    /** The sensor-state store, as the topology holds it. */
    public KeyValueStore<String, SensorState> states() {
        return driver.getKeyValueStore(ForecastTopology.STATE_STORE);
    }

    /** The changelog of store {@code store} (key, serialised value; null value: a tombstone). */
    public TestOutputTopic<String, byte[]> changelog(String store) {
        return driver.createOutputTopic(config.name() + "-" + store + "-changelog", new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    public static String event(String sensorId, long tsMillis, double value) {
        return "{\"sensorId\":\"" + sensorId + "\",\"ts\":" + tsMillis + ",\"value\":" + value + "}";
    }

    public List<Forecast> readForecasts() {
        return forecasts.readValuesToList();
    }

    public List<TestRecord<byte[], byte[]>> readDeadLetters() {
        return deadLetters.readRecordsToList();
    }

    @Override
    public void close() {
        driver.close();
    }
}
