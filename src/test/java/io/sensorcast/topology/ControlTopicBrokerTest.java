package io.sensorcast.topology;

import io.sensorcast.config.ConfigException;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.demo.EmbeddedKafkaBroker;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.ForecastJson;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.ingest.DeadLetterHeaders;
import io.sensorcast.ingest.RejectReason;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.service.PipelineTopics;
import io.sensorcast.state.SensorState;
import io.sensorcast.state.SensorStateCodec;
import io.sensorcast.testing.IntegrationTest;
import io.sensorcast.testing.KafkaBrokerExtension;
import io.sensorcast.testing.TestModels;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The control topic on a real broker under exactly_once_v2: reset and forget commands (keyed, and keyless so routed)
 * take effect once, between the events before and after them, survive a restart of the service through the
 * changelog, leave tombstones there for the forgotten sensors, and every event still gets exactly one forecast;
 * bad commands become dead letters. The topic check creates the control topic with the events topic's partitions
 * and refuses a control topic with another count.
 */
@IntegrationTest
class ControlTopicBrokerTest {

    @RegisterExtension
    static final KafkaBrokerExtension<EmbeddedKafkaBroker> KAFKA = KafkaBrokerExtension.plain(2);

    private static final long T0 = 1_735_689_600_000L;
    private static final long MINUTE = 60_000L;
    private static final int BEFORE = 120;
    private static final int AFTER = 40;
    private static final List<String> SENSORS = List.of("s0", "s1", "s2", "s3", "s4", "s5");

    @TempDir
    Path stateDir;

    private static PipelineConfig config(String bootstrap, Path stateDir) {
        return PipelineConfigLoader.parse("name: it-control\nhorizon: 3\nmodel: {layers: [8]}\n")
                .withKafka(Map.of("bootstrap.servers", bootstrap, "state.dir", stateDir.toString(),
                        "processing.guarantee", "exactly_once_v2", "commit.interval.ms", "200"));
    }

    private static void sendEvents(KafkaProducer<byte[], byte[]> producer, PipelineConfig config, int from, int to) {
        for (int i = from; i < to; i++) {
            for (String s : SENSORS) {
                String json = "{\"sensorId\":\"" + s + "\",\"ts\":" + (T0 + i * MINUTE) + ",\"value\":"
                        + (10 + Math.sin(i / 4.0)) + "}";
                producer.send(new ProducerRecord<>(config.topics().events(), utf8(s), utf8(json)));
            }
        }
        producer.flush();
    }

    private static void sendControl(KafkaProducer<byte[], byte[]> producer, PipelineConfig config, String key,
                                    String json) {
        producer.send(new ProducerRecord<>(config.topics().control(), key == null ? null : utf8(key), utf8(json)));
    }

    @Test
    void resetAndForgetTakeEffectOnceBetweenTheEventsAroundThemAndSurviveARestartWithOneForecastPerEvent()
            throws Exception {
        String bootstrap = KAFKA.broker().bootstrapServers();
        PipelineConfig config = config(bootstrap, stateDir);
        PipelineTopics.ensure(config, 2);
        ForecastJson json = new ForecastJson(config.channels());
        Map<String, List<Forecast>> forecasts = new HashMap<>();
        List<ConsumerRecord<String, byte[]>> deadLetters = new ArrayList<>();
        Map<String, byte[]> changelog = new HashMap<>();
        List<String> tombstones = new ArrayList<>();

        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(BrokerForecastScenario.producerProps(bootstrap));
             KafkaConsumer<String, byte[]> outputs = new KafkaConsumer<>(BrokerForecastScenario.consumerProps(
                     bootstrap, "control-outputs"), new StringDeserializer(), new ByteArrayDeserializer());
             KafkaConsumer<String, byte[]> states = new KafkaConsumer<>(BrokerForecastScenario.consumerProps(
                     bootstrap, "control-changelog"), new StringDeserializer(), new ByteArrayDeserializer())) {
            outputs.subscribe(List.of(config.topics().forecasts(), config.topics().deadLetter()));
            states.subscribe(List.of(config.name() + "-" + ForecastTopology.STATE_STORE + "-changelog"));
            Runnable poll = () -> {
                for (ConsumerRecord<String, byte[]> r : outputs.poll(Duration.ofMillis(100))) {
                    if (r.topic().equals(config.topics().forecasts())) {
                        forecasts.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(json.read(r.value()));
                    } else {
                        deadLetters.add(r);
                    }
                }
                for (ConsumerRecord<String, byte[]> r : states.poll(Duration.ofMillis(10))) {
                    changelog.put(r.key(), r.value());
                    if (r.value() == null) {
                        tombstones.add(r.key());
                    }
                }
            };

            sendEvents(producer, config, 0, BEFORE);
            try (ForecastService service = service(config)) {
                service.start();
                awaitUntil(poll, () -> count(forecasts) == SENSORS.size() * BEFORE, "the first events' forecasts");

                sendControl(producer, config, "s1", "{\"sensorId\":\"s1\",\"action\":\"forget\"}");
                sendControl(producer, config, "s2", "{\"sensorId\":\"s2\",\"action\":\"reset\"}");
                sendControl(producer, config, null, "{\"sensorId\":\"s3\",\"action\":\"forget\"}");
                sendControl(producer, config, "s4", "{\"sensorId\":\"s4\",\"action\":\"wipe\"}");
                sendControl(producer, config, "s5", "{\"sensorId\":\"s5\",\"action\":");
                producer.flush();
                awaitUntil(poll, () -> tombstones.containsAll(List.of("s1", "s3")) && deadLetters.size() == 2
                        && changelog.containsKey("s2") && new SensorStateCodec().decode(changelog.get("s2")).step == 0,
                        "the commands in the changelog and the bad ones dead-lettered");
            }

            // A new instance over the same state: the commands' effects were committed with the changelog.
            sendEvents(producer, config, BEFORE, BEFORE + AFTER);
            try (ForecastService service = service(config)) {
                service.start();
                awaitUntil(poll, () -> count(forecasts) == SENSORS.size() * (BEFORE + AFTER),
                        "the later events' forecasts");
                // Nothing more arrives: one forecast per event, none twice.
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (System.nanoTime() < until) {
                    poll.run();
                }
            }
        }

        List<Long> continued = LongStream.rangeClosed(1, BEFORE + AFTER).boxed().toList();
        List<Long> restarted = new ArrayList<>(LongStream.rangeClosed(1, BEFORE).boxed().toList());
        restarted.addAll(LongStream.rangeClosed(1, AFTER).boxed().toList());
        for (String s : List.of("s0", "s4", "s5")) {
            assertThat(forecasts.get(s)).extracting(Forecast::step).as(s).containsExactlyElementsOf(continued);
        }
        for (String s : List.of("s1", "s2", "s3")) {
            assertThat(forecasts.get(s)).extracting(Forecast::step).as(s).containsExactlyElementsOf(restarted);
        }
        assertThat(deadLetters).hasSize(2).allSatisfy(d -> assertThat(DeadLetterHeaders.text(d.headers(),
                DeadLetterHeaders.SOURCE)).hasValueSatisfying(src -> assertThat(src).startsWith(config.topics().control())));
        assertThat(deadLetters).extracting(d -> DeadLetterHeaders.reason(d.headers()).orElseThrow())
                .containsExactlyInAnyOrder(RejectReason.UNKNOWN_ACTION, RejectReason.MALFORMED_JSON);
        // The reset sensor's timeline went on: its restarted steps carry the later events' times.
        assertThat(forecasts.get("s2").get(BEFORE).timestampMs()).isEqualTo(T0 + BEFORE * MINUTE);
        SensorState s1 = new SensorStateCodec().decode(changelog.get("s1"));
        assertThat(s1.step).isEqualTo(AFTER);
    }

    @Test
    void theControlTopicIsCreatedWithTheEventsTopicsPartitionsAndAnotherCountIsRefusedNamingTheKey() throws Exception {
        String bootstrap = KAFKA.broker().bootstrapServers();
        PipelineConfig created = PipelineConfigLoader.parse("""
                name: it-control-created
                topics: {events: cc-events, forecasts: cc-forecasts, deadLetter: cc-dlq, models: cc-models,
                         anomalies: cc-anomalies, control: cc-control}
                """).withKafka(Map.of("bootstrap.servers", bootstrap));
        KAFKA.broker().createTopics(Map.of("cc-events", 3));
        PipelineTopics.ensure(created, 1);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            assertThat(admin.describeTopics(List.of("cc-control", "cc-forecasts")).allTopicNames()
                    .get(30, TimeUnit.SECONDS)).satisfies(d -> {
                        assertThat(d.get("cc-control").partitions()).hasSize(3);
                        assertThat(d.get("cc-forecasts").partitions()).hasSize(1);
                    });
        }

        PipelineConfig mismatched = PipelineConfigLoader.parse("""
                name: it-control-mismatched
                topics: {events: cm-events, forecasts: cm-forecasts, deadLetter: cm-dlq, models: cm-models,
                         anomalies: cm-anomalies, control: cm-control}
                """).withKafka(Map.of("bootstrap.servers", bootstrap));
        KAFKA.broker().createTopics(Map.of("cm-events", 2, "cm-control", 1));
        assertThatThrownBy(() -> PipelineTopics.ensure(mismatched, 2)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("topics.control: topic 'cm-control' has 1 partitions, the events topic"
                        + " 'cm-events' 2");
    }

    private static ForecastService service(PipelineConfig config) {
        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(config), TestModels.servingModel(config, 1, 7));
        return new ForecastService(config, registry, () -> StepListener.NONE, TopologyMetrics.NONE);
    }

    private static void awaitUntil(Runnable poll, java.util.function.BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            poll.run();
        }
    }

    private static int count(Map<String, List<Forecast>> perSensor) {
        return perSensor.values().stream().mapToInt(List::size).sum();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
