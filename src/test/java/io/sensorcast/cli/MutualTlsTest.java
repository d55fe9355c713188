package io.sensorcast.cli;

import io.sensorcast.config.ConfigException;
import io.sensorcast.config.MetricsSettings;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.ingest.CsvSeries;
import io.sensorcast.model.ModelTopic;
import io.sensorcast.service.Role;
import io.sensorcast.service.ServiceRuntime;
import io.sensorcast.testing.IntegrationTest;
import io.sensorcast.testing.KafkaBrokerExtension;
import io.sensorcast.testing.NabData;
import io.sensorcast.testing.NeedsNabData;
import io.sensorcast.testing.SecuredKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The service against a broker that demands a client certificate, and the start-up check's verdicts. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@IntegrationTest
@NeedsNabData
class MutualTlsTest {

    private static final int EVENTS = 30;

    @RegisterExtension
    static final KafkaBrokerExtension<SecuredKafkaBroker> KAFKA =
            KafkaBrokerExtension.of(() -> SecuredKafkaBroker.startWithMutualTls(2));

    private SecuredKafkaBroker broker;
    private Path dir;

    @BeforeAll
    void startBroker(@TempDir Path tmp) {
        dir = tmp;
        broker = KAFKA.broker();
        broker.createTopics(Map.of("sensor-events", 2, "sensor-forecasts", 2, "sensor-events.dlq", 1, "sensor-anomalies", 1,
                "sensor-control", 2));
        broker.createTopics(Map.of("forecast-models", 1), ModelTopic.topicConfigs());
    }


    @Test
    void serviceWithItsClientCertificateForecastsEveryEvent() throws Exception {
        PipelineConfig config = pipeline(broker.tlsClientProperties());
        KafkaAccessCheck.verify(config, Duration.ofSeconds(30));

        try (ServiceRuntime runtime = new ServiceRuntime(config, Role.SERVE)) {
            runtime.start(0, Duration.ofSeconds(90));
            CsvSeries series = NabData.series("realKnownCause/machine_temperature_system_failure.csv");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(clientProperties(),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < EVENTS; i++) {
                    producer.send(new ProducerRecord<>("sensor-events", series.name(), series.toEventJson(i)));
                }
            }

            assertThat(readForecasts()).hasSize(EVENTS);
        }
    }

    @Test
    void accessCheckWithoutAClientCertificateNamesTheTlsSettings() {
        Map<String, String> noCertificate = new HashMap<>(broker.tlsClientProperties());
        noCertificate.keySet().removeIf(k -> k.startsWith("ssl.key"));

        assertThatThrownBy(() -> KafkaAccessCheck.verify(pipeline(noCertificate), Duration.ofSeconds(30)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("kafka.ssl.*: the TLS handshake with " + broker.bootstrapServers() + " failed");
    }

    @Test
    void accessCheckWithAWrongKeystorePasswordSaysWhichFileWithoutPrintingThePassword() {
        Map<String, String> wrong = new HashMap<>(broker.tlsClientProperties());
        wrong.put("ssl.keystore.password", "wrong-keystore-pw-5Tg");
        wrong.put("ssl.key.password", "wrong-keystore-pw-5Tg");

        assertThatThrownBy(() -> KafkaAccessCheck.verify(pipeline(wrong), Duration.ofSeconds(30)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("kafka: the client settings are not usable")
                .hasMessageContaining(wrong.get("ssl.keystore.location"))
                .hasMessageNotContaining("wrong-keystore-pw-5Tg");
    }

    @Test
    void accessCheckAgainstAClosedPortNamesTheBootstrapServersWithinItsTimeout() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        PipelineConfig config = pipeline(Map.of()).withKafka(Map.of("bootstrap.servers", "127.0.0.1:" + closed));
        long startedNs = System.nanoTime();

        assertThatThrownBy(() -> KafkaAccessCheck.verify(config, Duration.ofSeconds(3)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("kafka.bootstrap.servers: no answer from 127.0.0.1:" + closed);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNs)).isLessThan(15);
    }

    private PipelineConfig pipeline(Map<String, String> security) {
        Map<String, String> kafka = new HashMap<>(security);
        kafka.put("bootstrap.servers", broker.bootstrapServers());
        kafka.put("state.dir", dir.resolve("state").toString());
        return PipelineConfigLoader.parse("""
                        name: tls-test
                        training: {enabled: false}
                        """)
                .withKafka(kafka)
                .withMetrics(new MetricsSettings("127.0.0.1", 0, List.of(), 500))
                .withModelDirectory(dir.resolve("models").toString());
    }

    private Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>(broker.tlsClientProperties());
        props.put("bootstrap.servers", broker.bootstrapServers());
        return props;
    }

    private List<String> readForecasts() {
        Map<String, Object> props = clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "tls-test-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> forecasts = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of("sensor-forecasts"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (forecasts.size() < EVENTS && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> forecasts.add(r.value()));
            }
            consumer.poll(Duration.ofMillis(500)).forEach(r -> forecasts.add(r.value()));
        }
        return forecasts;
    }
}
