package io.sensorcast.bench.service;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.service.PipelineTopics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Forecast latency at a fixed offered rate on the in-process KRaft broker: from an event's append to the
 * input topic (the topic stamps LogAppendTime, and Kafka Streams gives each forecast its event record's
 * timestamp) to the forecast's arrival at a read_committed consumer, per processing guarantee and (with
 * {@code --state-cache off,on}) with the state store's record cache switched off and on.
 *
 * <pre>
 * src/bench/run io.sensorcast.bench.service.ForecastLatencyBench --rate 1000 --seconds 60 --keys 1000
 * src/bench/run io.sensorcast.bench.service.ForecastLatencyBench --guarantees exactly_once_v2 --state-cache off,on
 * src/bench/run io.sensorcast.bench.service.ForecastLatencyBench --kafka batch.size=16384,linger.ms=5
 * src/bench/run io.sensorcast.bench.service.ForecastLatencyBench --guarantees exactly_once_v2 --broker child
 * </pre>
 *
 * <p>{@code --kafka} adds Kafka client settings to the service's, as the {@code kafka:} section of its configuration
 * would. {@code --broker child} runs the broker in a JVM of its own (options from {@code --broker-java-opts},
 * default {@code -Xmx1g}) instead of this one. Under each result row a line gives the stream threads' longest
 * poll, process and commit, where a slow forecast may have waited.
 */
public final class ForecastLatencyBench {

    private static final Set<String> FLAGS = Set.of("rate", "seconds", "warmup-s", "keys", "guarantees",
            "commit-ms", "partitions", "seed", "state-cache", "kafka", "broker", "broker-java-opts");

    private ForecastLatencyBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, FLAGS);
        int rate = args.integer("rate", 1000);
        int seconds = args.integer("seconds", 60);
        int warmup = args.integer("warmup-s", 10);
        int keys = args.integer("keys", 1000);
        List<String> guarantees = args.list("guarantees", "at_least_once,exactly_once_v2");
        String commitMs = args.string("commit-ms", "100");
        int partitions = args.integer("partitions", 4);
        long seed = args.integer("seed", 42);
        List<StateCache> caches = args.list("state-cache", "off").stream().map(StateCache::of).toList();
        Map<String, String> extraKafka = keyValues(args.list("kafka", ""));
        String brokerWhere = args.string("broker", "in-process");
        List<String> brokerJavaOpts = List.of(args.string("broker-java-opts", "-Xmx1g").trim().split("\\s+"));
        System.out.printf("offered %,d events/s for %d s (first %d s not measured) over %,d keys, %d partitions, "
                        + "commit.interval.ms=%s, extra Kafka settings %s; JVM %s, max heap %d MiB, %d CPUs%n",
                rate, seconds, warmup, keys, partitions, commitMs, extraKafka, System.getProperty("java.vm.version"),
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        System.out.println("| guarantee | state cache | commit.interval.ms | offered events/s | measured forecasts | p50 ms "
                + "| p99 ms | max ms |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        try (BenchBroker broker = BenchBroker.start(brokerWhere, partitions, brokerJavaOpts);
             BenchKafka kafka = new BenchKafka(broker.bootstrapServers())) {
            System.out.println(broker.describe());
            for (String guarantee : guarantees) {
                for (StateCache cache : caches) {
                    System.out.println(measure(kafka, guarantee, cache, commitMs, extraKafka,
                            new Workload(rate * seconds, keys, seed), rate, warmup, partitions));
                }
            }
        }
        System.exit(0);
    }

    private static String measure(BenchKafka kafka, String guarantee, StateCache cache, String commitMs,
                                  Map<String, String> extraKafka, Workload workload, int rate, int warmupSeconds,
                                  int partitions) throws Exception {
        String app = "latency-" + guarantee.replace('_', '-') + "-" + cache.label();
        String events = app + "-events";
        kafka.createTopic(events, partitions, Map.of("message.timestamp.type", "LogAppendTime"));
        Path stateDir = Files.createTempDirectory("sensorcast-bench-state-");
        Path modelDir = Files.createTempDirectory("sensorcast-bench-models-");
        PipelineConfig config = PipelineConfigLoader.parse("name: " + app + "\n"
                        + "topics: {events: " + events + ", forecasts: " + app + "-out, deadLetter: " + app
                        + "-dlq, models: " + app + "-models, control: " + events + "-control}\n"
                        + "model: {directory: '" + modelDir + "'}\ntraining: {enabled: false}\n")
                .withKafka(Map.of("bootstrap.servers", kafka.bootstrapServers(), "state.dir", stateDir.toString(),
                        "processing.guarantee", guarantee, "commit.interval.ms", commitMs))
                .withKafka(cache.kafka())
                .withKafka(extraKafka);
        PipelineTopics.ensure(config, partitions);
        long[] latencies = new long[workload.events()];
        AtomicInteger measured = new AtomicInteger();
        AtomicInteger received = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        String threadTimings;
        try (ServiceUnderTest service = new ServiceUnderTest(Variant.FORECASTER, config)) {
            service.start(Duration.ofMinutes(2));
            long startMs = System.currentTimeMillis();
            long measureFromMs = startMs + warmupSeconds * 1000L;
            Thread reader = new Thread(() -> read(kafka.bootstrapServers(), config.topics().forecasts(), partitions,
                    measureFromMs, latencies, measured, received, stop), "latency-reader");
            reader.start();
            produceAtRate(kafka.bootstrapServers(), events, workload, rate);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (received.get() < workload.events() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            stop.set(true);
            reader.join();
            threadTimings = threadTimings(service);
            if (received.get() != workload.events()) {
                throw new IllegalStateException(guarantee + ": " + received.get() + " forecasts for "
                        + workload.events() + " events");
            }
        } finally {
            kafka.deleteTopics(Set.of(events, config.topics().forecasts(), config.topics().deadLetter(),
                    config.topics().models()), app + "-");
            DrainRun.deleteRecursively(stateDir);
            DrainRun.deleteRecursively(modelDir);
        }
        long[] sorted = Medians.sortedCopy(latencies, measured.get());
        return String.format("| %s | %s | %s | %,d | %,d | %d | %d | %d |%n%s", guarantee, cache.label(), commitMs,
                rate, sorted.length, Medians.quantile(sorted, 0.50), Medians.quantile(sorted, 0.99),
                sorted[sorted.length - 1], threadTimings);
    }

    /**
     * Where a slow forecast may have waited: the stream threads' longest poll, process and commit over Kafka
     * Streams' last two 30 s windows, and the producers' total time in transaction commits.
     */
    private static String threadTimings(ServiceUnderTest service) {
        StringBuilder line = new StringBuilder("  stream threads, last 60 s:");
        service.streams().metrics().values().stream()
                .filter(m -> m.metricName().group().equals("stream-thread-metrics")
                        && Set.of("poll-latency-max", "process-latency-max", "commit-latency-max", "commit-latency-avg",
                        "punctuate-latency-max").contains(m.metricName().name()))
                .sorted(Comparator.comparing(m -> m.metricName().name()))
                .forEach(m -> line.append(String.format(" %s %.0f ms", m.metricName().name(),
                        ((Number) m.metricValue()).doubleValue())));
        double commitNs = service.streams().metrics().values().stream()
                .filter(m -> m.metricName().group().equals("producer-metrics")
                        && m.metricName().name().equals("txn-commit-time-ns-total"))
                .mapToDouble(m -> ((Number) m.metricValue()).doubleValue()).sum();
        return line.append(String.format("; producers in commitTransaction %.0f ms in all", commitNs / 1e6)).toString();
    }

    /** {@code key=value} pairs as a map, in order; a pair without '=' is refused naming it. */
    private static Map<String, String> keyValues(List<String> pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--kafka takes key=value pairs, got '" + pair + "'");
            }
            map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return map;
    }

    /** Sends event i at start + i / rate; a late producer catches up rather than lowering the offered load. */
    private static void produceAtRate(String bootstrap, String topic, Workload workload, int rate) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            long start = System.nanoTime();
            double intervalNs = 1e9 / rate;
            for (int i = 0; i < workload.events(); i++) {
                long due = start + (long) (i * intervalNs);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                producer.send(new ProducerRecord<>(topic, workload.sensorOf(i).getBytes(StandardCharsets.UTF_8),
                        workload.value(i)), (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("sending to " + topic + " failed", failure.get());
        }
    }

    private static void read(String bootstrap, String topic, int partitions, long measureFromMs, long[] latencies,
                             AtomicInteger measured, AtomicInteger received, AtomicBoolean stop) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> all = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                all.add(new TopicPartition(topic, i));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            while (!stop.get()) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    received.incrementAndGet();
                    if (r.timestamp() >= measureFromMs) {
                        latencies[measured.getAndIncrement()] = now - r.timestamp();
                    }
                }
            }
        }
    }
}
