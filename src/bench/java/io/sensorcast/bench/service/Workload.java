package io.sensorcast.bench.service;

import io.sensorcast.ingest.EventJsonWriter;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A deterministic workload: {@code events} readings sent round-robin over {@code keys} sensors (as devices
 * reporting together would), each sensor with its own cadence, a seeded daily cycle and seeded noise.
 */
public record Workload(int events, int keys, long seed) {

    static final long START_MS = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();
    private static final long DAY_MS = 86_400_000L;
    private static final long[] CADENCES_MS = {60_000L, 300_000L, 600_000L};

    public Workload {
        if (events < 1 || keys < 1) {
            throw new IllegalArgumentException("events and keys must be positive, were " + events + " and " + keys);
        }
    }

    /** The sensor id of key number {@code k}. */
    public static String sensorId(int k) {
        return "sensor-" + k;
    }

    /** The sensor of the i-th event. */
    public String sensorOf(int i) {
        return sensorId(i % keys);
    }

    /** The i-th event's JSON: sensor {@code i % keys}, its {@code i / keys}-th reading. */
    public byte[] value(int i) {
        int k = i % keys;
        long n = i / keys;
        long keyHash = mix(seed ^ (0x9E3779B97F4A7C15L * (k + 1)));
        long ts = START_MS + n * CADENCES_MS[(int) Math.floorMod(keyHash, (long) CADENCES_MS.length)];
        double phase = (keyHash >>> 11) * 0x1.0p-53 * 2 * Math.PI;
        double level = 10 + (k % 50);
        double noise = (mix(keyHash + n) >>> 11) * 0x1.0p-53 - 0.5;
        double v = level + 5 * Math.sin(2 * Math.PI * (ts % DAY_MS) / DAY_MS + phase) + noise;
        return EventJsonWriter.write(sensorId(k), ts, Math.round(v * 1000) / 1000.0).getBytes(StandardCharsets.UTF_8);
    }

    /** Sends the whole workload to {@code topic} as fast as the broker takes it; returns the milliseconds taken. */
    public long preload(String bootstrapServers, String topic) {
        long started = System.nanoTime();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(fastProducer(bootstrapServers))) {
            for (int i = 0; i < events && failure.get() == null; i++) {
                producer.send(new ProducerRecord<>(topic, sensorOf(i).getBytes(StandardCharsets.UTF_8), value(i)),
                        (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("preloading " + topic + " failed", failure.get());
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static Properties fastProducer(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    // SplitMix64's finaliser: a seeded, stateless hash, so event i is the same whichever order events are made in.
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
