package io.sensorcast.topology;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.demo.EmbeddedKafkaBroker;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.model.ServingModel;
import io.sensorcast.service.PipelineTopics;
import io.sensorcast.testing.BrokerClients;
import io.sensorcast.testing.IntegrationTest;
import io.sensorcast.testing.TestModels;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.sensorcast.testing.TopologyHarness.event;
import static org.assertj.core.api.Assertions.assertThat;

/** The service stops and starts again over the same state directory on a real broker. */
@IntegrationTest
class ServiceRestartTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long MINUTE = 60_000L;
    private static final List<String> SENSORS = List.of("boiler-1", "boiler-2", "chiller-3");

    @TempDir
    Path stateDir;

    private static double value(String sensor, int i) {
        return 50 + 10 * Math.sin(i / 6.0 + SENSORS.indexOf(sensor)) + (i % 4) * 0.3;
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru"})
    void restartedServiceResumesEachSensorFromItsLocalStateWithoutRestoringAndForecastsAsIfUninterrupted(String cell)
            throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            PipelineConfig config = PipelineConfigLoader.parse("name: restart-test-" + cell
                            + "\nhorizon: 2\nmodel: {layers: [8], cell: " + cell + "}")
                    .withKafka(Map.of("bootstrap.servers", broker.bootstrapServers(),
                            "state.dir", stateDir.toString(), "commit.interval.ms", "100"));
            PipelineTopics.ensure(config, 2);
            ServingModel model = TestModels.servingModel(config, 1, 99);

            produce(config, broker.bootstrapServers(), 0, 30);
            List<Forecast> forecasts = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = consumer(broker.bootstrapServers())) {
                consumer.subscribe(List.of(config.topics().forecasts()));
                long firstRestored = ServiceRuns.runUntil(config, model, consumer, forecasts, 90);
                assertThat(firstRestored).isZero();

                produce(config, broker.bootstrapServers(), 30, 60);
                long secondRestored = ServiceRuns.runUntil(config, model, consumer, forecasts, 180);
                // Clean shutdown left the store and its checkpoint on disk: nothing replayed from the changelog.
                assertThat(secondRestored).isZero();
            }

            ServiceRuns.assertForecastsAsUninterrupted(config, model, forecasts, SENSORS, 60, T0, MINUTE,
                    ServiceRestartTest::value);
        }
    }

    private static void produce(PipelineConfig config, String bootstrap, int from, int to) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            for (String s : SENSORS) {
                records.add(new ProducerRecord<>(config.topics().events(), s, event(s, T0 + i * MINUTE, value(s, i))));
            }
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            BrokerClients.sendAll(producer, records);
        }
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "restart-reader");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }
}
