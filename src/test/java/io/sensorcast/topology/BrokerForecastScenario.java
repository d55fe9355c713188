package io.sensorcast.topology;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.ForecastJson;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.ingest.CsvSeries;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.testing.NabData;
import io.sensorcast.testing.TestModels;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streams several real NAB series as separate keys, with some bad records mixed in, through the service
 * on a real broker under exactly_once_v2, and checks with a read_committed consumer that every valid
 * event got exactly one forecast (steps 1..n per key, no gaps, no duplicates) and every bad one a dead letter.
 */
final class BrokerForecastScenario {

    static final List<String> SERIES = List.of("realTraffic/speed_7578.csv", "realTraffic/occupancy_6005.csv",
            "realKnownCause/ambient_temperature_system_failure.csv", "realAWSCloudwatch/ec2_cpu_utilization_825cc2.csv");
    static final int BAD_EVERY = 97;

    private BrokerForecastScenario() {
    }

    static void run(String bootstrapServers, Path stateDir) throws Exception {
        PipelineConfig config = PipelineConfigLoader.parse("name: it-forecast\nhorizon: 3\nmodel: {layers: [16]}\n")
                .withKafka(Map.of("bootstrap.servers", bootstrapServers, "state.dir", stateDir.toString(),
                        "processing.guarantee", "exactly_once_v2", "commit.interval.ms", "200"));
        ForecastService.ensureTopics(config, 3);

        // Interleave the series by time, as devices would send them; each gets its own key.
        record Row(String key, long ts, byte[] json) {
        }
        List<Row> rows = new ArrayList<>();
        Map<String, Integer> validPerKey = new HashMap<>();
        for (String file : SERIES) {
            CsvSeries series = NabData.series(file);
            String key = series.name();
            for (int i = 0; i < series.size(); i++) {
                rows.add(new Row(key, series.timestampMs(i), series.toEventJson(i).getBytes(StandardCharsets.UTF_8)));
            }
            validPerKey.put(key, series.size());
        }
        rows.sort(Comparator.comparingLong(Row::ts));
        int bad = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(bootstrapServers))) {
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                producer.send(new ProducerRecord<>(config.topics().events(), row.key().getBytes(StandardCharsets.UTF_8),
                        row.json()));
                if (i % BAD_EVERY == 0) {
                    producer.send(new ProducerRecord<>(config.topics().events(),
                            row.key().getBytes(StandardCharsets.UTF_8),
                            ("{\"sensorId\":\"" + row.key() + "\",\"ts\":" + row.ts() + ",\"value\":\"n/a\"}")
                                    .getBytes(StandardCharsets.UTF_8)));
                    bad++;
                }
            }
            producer.flush();
        }
        int expected = rows.size();

        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(config), TestModels.servingModel(config, 1, 7));
        Map<String, List<Long>> steps = new HashMap<>();
        int deadLetters = 0;
        try (ForecastService service = new ForecastService(config, registry, () -> StepListener.NONE,
                TopologyMetrics.NONE);
             KafkaConsumer<String, byte[]> forecasts = new KafkaConsumer<>(consumerProps(bootstrapServers, "f"),
                     new StringDeserializer(), new ByteArrayDeserializer());
             KafkaConsumer<byte[], byte[]> dlq = new KafkaConsumer<>(consumerProps(bootstrapServers, "d"),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            service.start(0);
            forecasts.subscribe(List.of(config.topics().forecasts()));
            dlq.subscribe(List.of(config.topics().deadLetter()));
            ForecastJson json = new ForecastJson(config.channels());
            int received = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while ((received < expected || deadLetters < bad) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : forecasts.poll(Duration.ofMillis(200))) {
                    Forecast f = json.read(r.value());
                    assertThat(r.key()).isEqualTo(f.sensorId());
                    assertThat(java.util.Arrays.stream(f.values()).allMatch(Double::isFinite)).isTrue();
                    steps.computeIfAbsent(f.sensorId(), k -> new ArrayList<>()).add(f.step());
                    received++;
                }
                deadLetters += dlq.poll(Duration.ofMillis(10)).count();
            }
            // A short extra poll catches duplicates that would arrive after the expected count.
            for (int i = 0; i < 5; i++) {
                for (ConsumerRecord<String, byte[]> r : forecasts.poll(Duration.ofMillis(200))) {
                    Forecast f = json.read(r.value());
                    steps.computeIfAbsent(f.sensorId(), k -> new ArrayList<>()).add(f.step());
                }
            }
        }
        assertThat(deadLetters).isEqualTo(bad);
        assertThat(steps.keySet()).isEqualTo(validPerKey.keySet());
        for (var e : validPerKey.entrySet()) {
            List<Long> got = steps.get(e.getKey());
            List<Long> want = new ArrayList<>();
            for (long s = 1; s <= e.getValue(); s++) {
                want.add(s);
            }
            // Per key, one partition, in order: exactly steps 1..n, each once.
            assertThat(got).as("steps of %s", e.getKey()).isEqualTo(want);
        }
    }

    private static Properties producerProps(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    private static Properties consumerProps(String bootstrap, String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }
}
