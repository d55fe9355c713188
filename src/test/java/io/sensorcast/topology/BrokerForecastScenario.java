package io.sensorcast.topology;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.ForecastJson;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.ingest.CsvSeries;
import io.sensorcast.ingest.DeadLetterHeaders;
import io.sensorcast.ingest.RejectReason;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.service.PipelineTopics;
import io.sensorcast.testing.NabData;
import io.sensorcast.testing.TestModels;
import io.sensorcast.testing.TopologyHarness;
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
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streams several real NAB series as separate keys, with bad records of every kind mixed in, through the
 * service on a real broker under exactly_once_v2, and checks with a read_committed consumer that every valid
 * event got exactly one forecast (steps 1..n per key, no gaps, no duplicates), identical to the forecast a
 * run of the same topology over the valid events alone gives, and every bad record one dead letter with its
 * original key and bytes and the reason it was built to have.
 */
final class BrokerForecastScenario {

    static final List<String> SERIES = List.of("realTraffic/speed_7578.csv", "realTraffic/occupancy_6005.csv",
            "realKnownCause/ambient_temperature_system_failure.csv", "realAWSCloudwatch/ec2_cpu_utilization_825cc2.csv");
    /** One bad record after every 13th valid one: about 7 % of the traffic. */
    static final int BAD_EVERY = 13;

    /** The bad records mixed in, each with the reason its dead letter must carry. */
    enum Bad {
        NON_NUMERIC(RejectReason.NON_NUMERIC_VALUE),
        NAN(RejectReason.NON_FINITE_VALUE),
        MALFORMED(RejectReason.MALFORMED_JSON),
        STALE_DUPLICATE(RejectReason.STALE_TIMESTAMP),
        UNKEYED_STALE(RejectReason.STALE_TIMESTAMP),
        KEY_MISMATCH(RejectReason.KEY_MISMATCH),
        UNKNOWN_CHANNEL(RejectReason.UNKNOWN_CHANNEL),
        TOO_LARGE(RejectReason.PAYLOAD_TOO_LARGE),
        FAR_FUTURE(RejectReason.INVALID_TIMESTAMP);

        final RejectReason reason;

        Bad(RejectReason reason) {
            this.reason = reason;
        }
    }

    private record Row(String key, long ts, byte[] json) {
    }

    /** A bad record as sent; its value is unique (it carries its index) so its dead letter can be matched. */
    private record Sent(byte[] key, byte[] value, Bad kind) {
    }

    private BrokerForecastScenario() {
    }

    static PipelineConfig config(String bootstrapServers, Path stateDir) {
        // The series span two years and the stale records are sent after them: with a TTL the series that ended
        // first would rightly be evicted before their stale records arrive, and those be accepted as new sensors.
        return PipelineConfigLoader.parse("name: it-forecast\nhorizon: 3\nmodel: {layers: [16]}\nstate: {idleTtl: 0}\n")
                .withKafka(Map.of("bootstrap.servers", bootstrapServers, "state.dir", stateDir.toString(),
                        "processing.guarantee", "exactly_once_v2", "commit.interval.ms", "200"));
    }

    static void run(String bootstrapServers, Path stateDir) throws Exception {
        PipelineConfig config = config(bootstrapServers, stateDir.resolve("service"));
        PipelineTopics.ensure(config, 3);

        // Interleave the series by time, as devices would send them; each gets its own key.
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
        List<String> keys = List.copyOf(validPerKey.keySet());
        Map<String, Sent> badByValue = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        // A keyless record lands on any partition and reaches its sensor's task through the repartition topic, so
        // it has no order with that sensor's keyed records: sent among them, a keyless "stale" record may arrive
        // before the sensor's first event and rightly be accepted. They are sent once the valid events are served.
        List<Sent> keylessLater = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(bootstrapServers))) {
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                producer.send(new ProducerRecord<>(config.topics().events(), utf8(row.key()), row.json()));
                // A key's first event is not followed by a bad one, so every stale record has a state to be stale against.
                if (seen.merge(row.key(), 1, Integer::sum) > 1 && i % BAD_EVERY == 0) {
                    Bad kind = Bad.values()[(i / BAD_EVERY) % Bad.values().length];
                    Sent bad = badRecord(kind, row, keys, i);
                    if (kind == Bad.UNKEYED_STALE) {
                        keylessLater.add(bad);
                    } else {
                        producer.send(new ProducerRecord<>(config.topics().events(), bad.key(), bad.value()));
                    }
                    badByValue.put(new String(bad.value(), StandardCharsets.UTF_8), bad);
                }
            }
            producer.flush();
        }
        int expected = rows.size();
        Map<String, List<Forecast>> reference = forecastsWithoutTheBadRecords(rows, stateDir.resolve("reference"),
                bootstrapServers);

        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(config), TestModels.servingModel(config, 1, 7));
        Map<String, List<Forecast>> forecastsPerKey = new HashMap<>();
        List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        try (ForecastService service = new ForecastService(config, registry, () -> StepListener.NONE,
                TopologyMetrics.NONE);
             KafkaConsumer<String, byte[]> forecasts = new KafkaConsumer<>(consumerProps(bootstrapServers, "f"),
                     new StringDeserializer(), new ByteArrayDeserializer());
             KafkaConsumer<byte[], byte[]> dlq = new KafkaConsumer<>(consumerProps(bootstrapServers, "d"),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            service.start();
            forecasts.subscribe(List.of(config.topics().forecasts()));
            dlq.subscribe(List.of(config.topics().deadLetter()));
            ForecastJson json = new ForecastJson(config.channels());
            int received = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
            boolean keylessSent = false;
            while ((received < expected || deadLetters.size() < badByValue.size()) && System.nanoTime() < deadline) {
                if (!keylessSent && received >= expected) {
                    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(bootstrapServers))) {
                        for (Sent bad : keylessLater) {
                            producer.send(new ProducerRecord<>(config.topics().events(), bad.key(), bad.value()));
                        }
                    }
                    keylessSent = true;
                }
                for (ConsumerRecord<String, byte[]> r : forecasts.poll(Duration.ofMillis(200))) {
                    Forecast f = json.read(r.value());
                    assertThat(r.key()).isEqualTo(f.sensorId());
                    forecastsPerKey.computeIfAbsent(f.sensorId(), k -> new ArrayList<>()).add(f);
                    received++;
                }
                dlq.poll(Duration.ofMillis(10)).forEach(deadLetters::add);
            }
            // A short extra poll catches duplicates that would arrive after the expected count.
            for (int i = 0; i < 5; i++) {
                for (ConsumerRecord<String, byte[]> r : forecasts.poll(Duration.ofMillis(200))) {
                    Forecast f = json.read(r.value());
                    forecastsPerKey.computeIfAbsent(f.sensorId(), k -> new ArrayList<>()).add(f);
                }
                dlq.poll(Duration.ofMillis(10)).forEach(deadLetters::add);
            }
        }
        // Under a heavily loaded machine the deadline may end the wait early; say so rather than leave it implicit.
        assertThat(totalForecasts(forecastsPerKey)).as("forecasts received within the deadline").isEqualTo(expected);
        checkDeadLetters(deadLetters, badByValue, config.topics().events());
        assertThat(forecastsPerKey.keySet()).isEqualTo(validPerKey.keySet());
        for (var e : validPerKey.entrySet()) {
            List<Long> got = forecastsPerKey.get(e.getKey()).stream().map(Forecast::step).toList();
            List<Long> want = new ArrayList<>();
            for (long s = 1; s <= e.getValue(); s++) {
                want.add(s);
            }
            // Per key, one partition, in order: exactly steps 1..n, each once.
            assertThat(got).as("steps of %s", e.getKey()).isEqualTo(want);
            // The bad records around them changed nothing: every forecast equals the clean run's, bit for bit.
            assertThat(forecastsPerKey.get(e.getKey())).as("forecasts of %s", e.getKey())
                    .isEqualTo(reference.get(e.getKey()));
            assertThat(forecastsPerKey.get(e.getKey())).allSatisfy(f ->
                    assertThat(Arrays.stream(f.values()).allMatch(Double::isFinite)).isTrue());
        }
    }

    private static int totalForecasts(Map<String, List<Forecast>> perKey) {
        return perKey.values().stream().mapToInt(List::size).sum();
    }

    private static Sent badRecord(Bad kind, Row row, List<String> keys, int n) {
        String id = row.key();
        long next = row.ts() + 1;
        byte[] key = utf8(id);
        String value = switch (kind) {
            case NON_NUMERIC -> "{\"sensorId\":\"" + id + "\",\"ts\":" + next + ",\"value\":\"n/a\",\"n\":" + n + "}";
            case NAN -> "{\"sensorId\":\"" + id + "\",\"ts\":" + next + ",\"value\":NaN,\"n\":" + n + "}";
            case MALFORMED -> "{\"sensorId\":\"" + id + "\",\"ts\":" + next + ",\"value\":1,\"n\":" + n;
            // The same time as the valid event just sent, with a value that would move the state a lot.
            case STALE_DUPLICATE -> "{\"sensorId\":\"" + id + "\",\"ts\":" + row.ts() + ",\"value\":1e9,\"n\":" + n + "}";
            case UNKEYED_STALE -> "{\"sensorId\":\"" + id + "\",\"ts\":0,\"value\":-1e9,\"n\":" + n + "}";
            case KEY_MISMATCH -> "{\"sensorId\":\"" + keys.get((keys.indexOf(id) + 1) % keys.size()) + "\",\"ts\":"
                    + next + ",\"value\":1e9,\"n\":" + n + "}";
            case UNKNOWN_CHANNEL -> "{\"sensorId\":\"" + id + "\",\"ts\":" + next
                    + ",\"values\":{\"value\":1,\"humidity\":2},\"n\":" + n + "}";
            case TOO_LARGE -> "{\"sensorId\":\"" + id + "\",\"ts\":" + next + ",\"value\":1,\"n\":" + n
                    + ",\"pad\":\"" + "x".repeat(5000) + "\"}";
            case FAR_FUTURE -> "{\"sensorId\":\"" + id + "\",\"ts\":" + (Long.MAX_VALUE - n) + ",\"value\":1,\"n\":" + n + "}";
        };
        return new Sent(kind == Bad.UNKEYED_STALE ? null : key, utf8(value), kind);
    }

    private static void checkDeadLetters(List<ConsumerRecord<byte[], byte[]>> deadLetters, Map<String, Sent> sent,
                                         String eventsTopic) {
        Set<String> received = new HashSet<>();
        deadLetters.forEach(letter -> received.add(new String(letter.value(), StandardCharsets.UTF_8)));
        List<String> missing = sent.entrySet().stream().filter(e -> !received.contains(e.getKey()))
                .map(e -> e.getValue().kind() + ": " + e.getKey().substring(0, Math.min(120, e.getKey().length())))
                .toList();
        assertThat(missing).as("bad records without a dead letter").isEmpty();
        assertThat(deadLetters).hasSize(sent.size());
        Map<Bad, Integer> kinds = new EnumMap<>(Bad.class);
        for (ConsumerRecord<byte[], byte[]> letter : deadLetters) {
            Sent bad = sent.get(new String(letter.value(), StandardCharsets.UTF_8));
            assertThat(bad).as("dead letter %s was sent as a bad record", new String(letter.value(),
                    StandardCharsets.UTF_8)).isNotNull();
            assertThat(letter.key()).as("key of %s", bad.kind()).isEqualTo(bad.key());
            assertThat(DeadLetterHeaders.reason(letter.headers())).as("reason of %s", bad.kind()).contains(bad.kind().reason);
            assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.SOURCE)).as("source of %s", bad.kind())
                    .hasValueSatisfying(source -> assertThat(source).startsWith(eventsTopic + "-"));
            kinds.merge(bad.kind(), 1, Integer::sum);
        }
        assertThat(kinds.keySet()).as("every kind of bad record was sent").containsExactlyInAnyOrder(Bad.values());
    }

    /** The reference: the same topology and model over the valid records alone, in the same order. */
    private static Map<String, List<Forecast>> forecastsWithoutTheBadRecords(List<Row> rows, Path stateDir,
                                                                             String bootstrapServers) {
        // The test driver commits (and flushes RocksDB) after every record under exactly-once; the forecasts do
        // not depend on commits, so the reference run skips them to stay fast.
        PipelineConfig clean = config(bootstrapServers, stateDir).withKafka(Map.of("processing.guarantee",
                "at_least_once", "commit.interval.ms", "600000"));
        Map<String, List<Forecast>> out = new HashMap<>();
        try (TopologyHarness h = new TopologyHarness(clean, TestModels.servingModel(clean, 1, 7), stateDir)) {
            for (Row row : rows) {
                h.events.pipeInput(utf8(row.key()), row.json());
            }
            for (Forecast f : h.readForecasts()) {
                out.computeIfAbsent(f.sensorId(), k -> new ArrayList<>()).add(f);
            }
            assertThat(h.readDeadLetters()).isEmpty();
        }
        return out;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static Properties producerProps(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    static Properties consumerProps(String bootstrap, String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }
}
