package io.sensorcast.topology;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.demo.EmbeddedKafkaBroker;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.model.ServingModel;
import io.sensorcast.service.PipelineTopics;
import io.sensorcast.state.SensorState;
import io.sensorcast.state.SensorStateCodec;
import io.sensorcast.testing.BrokerClients;
import io.sensorcast.testing.IntegrationTest;
import io.sensorcast.testing.KafkaBrokerExtension;
import io.sensorcast.testing.TestModels;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.sensorcast.testing.TopologyHarness.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-sensor state store's record cache on a real broker under exactly_once_v2: sized through
 * {@code kafka.statestore.cache.max.bytes}, a sensor's states written between two commits reach the changelog as
 * few records ending in its last one, and a new instance that restores the store from that changelog alone
 * forecasts exactly as an uninterrupted run; by default (no cache) every event's state is written.
 */
@IntegrationTest
class StateStoreCacheTest {

    @RegisterExtension
    static final KafkaBrokerExtension<EmbeddedKafkaBroker> KAFKA = KafkaBrokerExtension.plain(2);

    private static final long T0 = 1_700_000_000_000L;
    private static final long MINUTE = 60_000L;
    private static final List<String> SENSORS = List.of("pump-1", "pump-2");
    /** Events per sensor sent before the first start: all of them are in the input when it begins. */
    private static final int FIRST = 150;
    private static final int LATER = 30;

    @TempDir
    Path stateDir;

    private static double value(String sensor, int i) {
        return 20 + 5 * Math.sin(i / 5.0 + SENSORS.indexOf(sensor)) + (i % 3) * 0.2;
    }

    @Test
    void aSensorsStatesBetweenCommitsReachTheChangelogAsFewRecordsAndAStoreRestoredFromThemForecastsAsIfUninterrupted()
            throws Exception {
        PipelineConfig config = config("it-state-cache", Map.of("statestore.cache.max.bytes", "10485760"));
        ServingModel model = TestModels.servingModel(config, 1, 31);
        List<Forecast> forecasts = new ArrayList<>();
        Map<String, List<byte[]>> changelog;
        try (KafkaConsumer<String, String> output = forecastConsumer("state-cache-forecasts", config)) {
            produce(config, 0, FIRST);
            assertThat(ServiceRuns.runUntil(config.withKafka(Map.of("state.dir", stateDir.resolve("first").toString())), model,
                    output, forecasts, SENSORS.size() * FIRST)).isZero();
            changelog = changelog(config);
            for (String sensor : SENSORS) {
                // A commit every 3 s; the sensor's 150 events take well under a second of processing.
                assertThat(changelog.get(sensor)).as("changelog records of %s", sensor).hasSizeLessThan(FIRST / 5);
                assertThat(lastState(changelog, sensor).step).isEqualTo(FIRST);
            }

            // A new instance with an empty state directory has only the changelog to restore each sensor from.
            produce(config, FIRST, FIRST + LATER);
            long restored = ServiceRuns.runUntil(config.withKafka(Map.of("state.dir", stateDir.resolve("second").toString())),
                    model, output, forecasts, SENSORS.size() * (FIRST + LATER));
            assertThat(restored).isEqualTo(changelog.values().stream().mapToLong(List::size).sum());
        }
        ServiceRuns.assertForecastsAsUninterrupted(config, model, forecasts, SENSORS, FIRST + LATER, T0, MINUTE,
                StateStoreCacheTest::value);
    }

    @Test
    void byDefaultEveryEventsStateReachesTheChangelog() throws Exception {
        PipelineConfig config = config("it-state-no-cache", Map.of("state.dir", stateDir.toString()));
        List<Forecast> forecasts = new ArrayList<>();
        try (KafkaConsumer<String, String> output = forecastConsumer("no-cache-forecasts", config)) {
            produce(config, 0, FIRST);
            ServiceRuns.runUntil(config, TestModels.servingModel(config, 1, 31), output, forecasts, SENSORS.size() * FIRST);
        }
        Map<String, List<byte[]>> changelog = changelog(config);
        for (String sensor : SENSORS) {
            assertThat(changelog.get(sensor)).as("changelog records of %s", sensor).hasSize(FIRST);
            assertThat(lastState(changelog, sensor).step).isEqualTo(FIRST);
        }
    }

    private PipelineConfig config(String name, Map<String, String> kafka) {
        // Topics of its own: the tests share one broker.
        PipelineConfig config = PipelineConfigLoader.parse("name: " + name + "\nhorizon: 2\nmodel: {layers: [8]}\n"
                        + "topics: {events: " + name + "-events, forecasts: " + name + "-forecasts, deadLetter: " + name
                        + "-dlq, models: " + name + "-models, anomalies: " + name + "-anomalies, control: " + name
                        + "-control}\n")
                .withKafka(Map.of("bootstrap.servers", KAFKA.broker().bootstrapServers(),
                        "processing.guarantee", "exactly_once_v2", "commit.interval.ms", "3000"))
                .withKafka(kafka);
        PipelineTopics.ensure(config, 2);
        return config;
    }

    /** The committed records of the state store's changelog, per sensor in order (all of them are written now). */
    private static Map<String, List<byte[]>> changelog(PipelineConfig config) {
        String topic = config.name() + "-" + ForecastTopology.STATE_STORE + "-changelog";
        Map<String, List<byte[]>> records = new HashMap<>();
        try (KafkaConsumer<String, byte[]> reader = consumer(config.name() + "-changelog-reader", topic)) {
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(2)) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
                    records.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
                    quietSince = System.nanoTime();
                }
            }
        }
        return records;
    }

    private static SensorState lastState(Map<String, List<byte[]>> changelog, String sensor) {
        List<byte[]> records = changelog.get(sensor);
        return new SensorStateCodec().decode(records.get(records.size() - 1));
    }

    private static KafkaConsumer<String, String> forecastConsumer(String group, PipelineConfig config) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(BrokerForecastScenario.consumerProps(
                KAFKA.broker().bootstrapServers(), group), new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(config.topics().forecasts()));
        return consumer;
    }

    private static KafkaConsumer<String, byte[]> consumer(String group, String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(BrokerForecastScenario.consumerProps(
                KAFKA.broker().bootstrapServers(), group), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static void produce(PipelineConfig config, int from, int to) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            for (String s : SENSORS) {
                records.add(new ProducerRecord<>(config.topics().events(), utf8(s),
                        utf8(event(s, T0 + i * MINUTE, value(s, i)))));
            }
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(BrokerForecastScenario.producerProps(
                KAFKA.broker().bootstrapServers()))) {
            BrokerClients.sendAll(producer, records);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
