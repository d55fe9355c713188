package io.sensorcast.bench.reliability;

import io.sensorcast.bench.service.Args;
import io.sensorcast.bench.service.Workload;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.demo.EmbeddedKafkaBroker;
import io.sensorcast.forecast.ForecastJson;
import io.sensorcast.service.PipelineTopics;
import io.sensorcast.testing.ChildPipeline;
import io.sensorcast.testing.ChildService;
import io.sensorcast.topology.ForecastTopology;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures what a crash costs at a given state size: two service JVMs (static members, Kafka's default 45 s
 * session timeout, {@code exactly_once_v2}) serve {@code sensors} sensors on four partitions until every
 * preloaded event is committed; then instance A is SIGKILLed and restarted at once under its instance id,
 * one new event per partition is sent, and the time until every partition has its forecast is taken,
 * together with the changelog records and bytes behind the state and what A's log says it restored.
 * With {@code num.standby.replicas=1} instance B holds a warm copy of A's partitions.
 *
 * <p>{@code src/bench/run io.sensorcast.bench.reliability.RestoreTimeHarness --sensors 100000
 * [--events-per-sensor 2] [--standbys 0,1]}
 */
public final class RestoreTimeHarness {

    private static final int PARTITIONS = 4;
    private static final Pattern RESTORED = Pattern.compile("Restored store \\S+ from \\S+: (\\d+) records in (\\d+) ms");

    private RestoreTimeHarness() {
    }

    /** What one run measured. */
    record Result(int sensors, int standbys, long events, long changelogRecords, long changelogBytes, long fillSeconds,
                  long readyMs, long servedMs, long restoredRecords, long restoredPartitions, long longestRestoreMs,
                  long restoredByB) {
    }

    public static void main(String[] args) throws Exception {
        Args opts = new Args(args, Set.of("sensors", "events-per-sensor", "standbys"));
        List<Integer> sensorCounts = opts.list("sensors", "100000").stream().map(Integer::parseInt).toList();
        int eventsPerSensor = opts.integer("events-per-sensor", 2);
        List<Integer> standbys = opts.list("standbys", "0,1").stream().map(Integer::parseInt).toList();
        List<Result> results = new ArrayList<>();
        for (int sensors : sensorCounts) {
            for (int s : standbys) {
                Result r = run(sensors, eventsPerSensor, s);
                System.out.println(r);
                results.add(r);
            }
        }
        System.out.println("| sensors | standbys | changelog records | changelog MB | restored by A (records, partitions)"
                + " | longest partition restore | kill to restarted A ready | kill to every partition served |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Result r : results) {
            System.out.printf("| %,d | %d | %,d | %,.0f | %,d in %d | %.1f s | %.1f s | %.1f s |%n", r.sensors(),
                    r.standbys(), r.changelogRecords(), r.changelogBytes() / 1e6, r.restoredRecords(),
                    r.restoredPartitions(), r.longestRestoreMs() / 1000.0, r.readyMs() / 1000.0, r.servedMs() / 1000.0);
        }
    }

    static Result run(int sensors, int eventsPerSensor, int standbys) throws Exception {
        Path dir = Files.createTempDirectory("restore-bench-");
        Workload workload = new Workload(sensors * eventsPerSensor, sensors, 7);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Map<String, String> kafka = Map.of("num.standby.replicas", Integer.toString(standbys),
                    "session.timeout.ms", "45000", "heartbeat.interval.ms", "3000");
            ChildPipeline a = new ChildPipeline("restore", broker.bootstrapServers(), dir.resolve("a"), kafka);
            ChildPipeline b = new ChildPipeline("restore", broker.bootstrapServers(), dir.resolve("b"), kafka);
            PipelineConfig config = a.config();
            PipelineTopics.ensure(config, PARTITIONS);
            long preloadMs = workload.preload(broker.bootstrapServers(), config.topics().events());
            System.out.printf("%,d sensors x %d events, %d standby: preloaded %,d events in %d ms%n", sensors,
                    eventsPerSensor, standbys, workload.events(), preloadMs);
            Path logA = ChildService.freshLog("restore-a");
            long started = System.nanoTime();
            ChildService serviceA = ChildService.start("a", a.write("instanceId: a\n"), logA);
            try (ChildService serviceB = ChildService.start("b", b.write("instanceId: b\n"),
                    ChildService.freshLog("restore-b"))) {
                serviceA.awaitReady(Duration.ofSeconds(300));
                serviceB.awaitReady(Duration.ofSeconds(300));
                awaitCommitted(admin, config, workload.events(), Duration.ofMinutes(60));
                long fillSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
                String changelog = config.name() + "-" + ForecastTopology.STATE_STORE + "-changelog";
                // Standbys follow the changelog asynchronously: give them a moment to catch up before the kill.
                Thread.sleep(5000);
                long records = endOffsets(admin, changelog);
                long bytes = topicBytes(admin, changelog);
                System.out.printf("all %,d events committed after %d s; changelog %,d records, %,d bytes%n",
                        workload.events(), fillSeconds, records, bytes);

                Map<Integer, Integer> probeIndex = probes(workload, sensors, eventsPerSensor);
                try (KafkaConsumer<String, byte[]> forecasts = forecastReader(broker.bootstrapServers(), config)) {
                    serviceA.kill();
                    long killed = System.nanoTime();
                    serviceA = ChildService.start("a-restart", a.write("instanceId: a\n"), logA);
                    sendProbes(broker.bootstrapServers(), config.topics().events(), workload, probeIndex);
                    serviceA.awaitReady(Duration.ofMinutes(30));
                    long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
                    long servedMs = awaitProbeForecasts(forecasts, config, probeIndex.size(), killed, Duration.ofMinutes(30));
                    long[] restoredA = restored(serviceA.logText(), "=== a-restart started");
                    long[] restoredB = restored(serviceB.logText(), "=== b started");
                    return new Result(sensors, standbys, workload.events(), records, bytes, fillSeconds, readyMs,
                            servedMs, restoredA[0], restoredA[1], restoredA[2], restoredB[0]);
                }
            } finally {
                serviceA.close();
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    /** Per partition, the index of one new event (a sensor's next reading after those preloaded). */
    private static Map<Integer, Integer> probes(Workload workload, int sensors, int eventsPerSensor) {
        Map<Integer, Integer> byPartition = new HashMap<>();
        for (int k = 0; k < sensors && byPartition.size() < PARTITIONS; k++) {
            int partition = Utils.toPositive(Utils.murmur2(Workload.sensorId(k).getBytes(StandardCharsets.UTF_8)))
                    % PARTITIONS;
            byPartition.putIfAbsent(partition, sensors * eventsPerSensor + k);
        }
        return byPartition;
    }

    private static void sendProbes(String bootstrap, String topic, Workload workload, Map<Integer, Integer> probes)
            throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i : probes.values()) {
                // Event i past the preloaded ones is its sensor's next reading.
                producer.send(new ProducerRecord<>(topic, workload.sensorOf(i).getBytes(StandardCharsets.UTF_8),
                        workload.value(i))).get();
            }
        }
    }

    private static KafkaConsumer<String, byte[]> forecastReader(String bootstrap, PipelineConfig config) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (int i = 0; i < PARTITIONS; i++) {
            partitions.add(new TopicPartition(config.topics().forecasts(), i));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    /** Milliseconds from the kill until a forecast of every probe (one per partition) is committed. */
    private static long awaitProbeForecasts(KafkaConsumer<String, byte[]> consumer, PipelineConfig config, int probes,
                                            long killed, Duration timeout) {
        ForecastJson json = new ForecastJson(config.channels());
        Set<Integer> served = new HashSet<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (served.size() < probes) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("probe forecasts missing after " + timeout + ": only partitions " + served);
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                json.read(r.value());
                served.add(r.partition());
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
    }

    /** Records restored, partitions restored and the longest partition's restore, from the log after {@code marker}. */
    private static long[] restored(String log, String marker) {
        int from = log.lastIndexOf(marker);
        Matcher m = RESTORED.matcher(from < 0 ? "" : log.substring(from));
        long records = 0;
        long partitions = 0;
        long longest = 0;
        while (m.find()) {
            records += Long.parseLong(m.group(1));
            partitions++;
            longest = Math.max(longest, Long.parseLong(m.group(2)));
        }
        return new long[] {records, partitions, longest};
    }

    private static void awaitCommitted(Admin admin, PipelineConfig config, long events, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(config.name())
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            long committed = offsets.entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(config.topics().events()) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
            if (committed >= events) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + committed + " of " + events + " events committed after " + timeout);
            }
            if (committed / 100_000 != last / 100_000) {
                System.out.printf("  %,d events committed%n", committed);
            }
            last = committed;
            Thread.sleep(1000);
        }
    }

    private static long endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int i = 0; i < PARTITIONS; i++) {
            request.put(new TopicPartition(topic, i), OffsetSpec.latest());
        }
        return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).values().stream()
                .mapToLong(i -> i.offset()).sum();
    }

    private static long topicBytes(Admin admin, String topic) throws Exception {
        long bytes = 0;
        Map<Integer, Map<String, LogDirDescription>> dirs = admin.describeLogDirs(List.of(0)).allDescriptions()
                .get(30, TimeUnit.SECONDS);
        for (Map<String, LogDirDescription> perDir : dirs.values()) {
            for (LogDirDescription d : perDir.values()) {
                for (Map.Entry<TopicPartition, ReplicaInfo> e : d.replicaInfos().entrySet()) {
                    if (e.getKey().topic().equals(topic)) {
                        bytes += e.getValue().size();
                    }
                }
            }
        }
        return bytes;
    }

    private static void deleteRecursively(Path dir) throws Exception {
        try (var paths = Files.walk(dir)) {
            paths.sorted((x, y) -> y.compareTo(x)).forEach(p -> p.toFile().delete());
        }
    }
}
