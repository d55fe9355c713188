package io.sensorcast.topology;

import io.sensorcast.config.ConfigException;
import io.sensorcast.config.ConfigKeys;
import io.sensorcast.config.PipelineConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/** Kafka Streams properties for a pipeline: the user's {@code kafka:} section over the service's defaults. */
public final class StreamsSettings {

    /** The producers' batch size unless the user sets one: 256 KB instead of the client's 16 KB. */
    static final int PRODUCER_BATCH_BYTES = 256 * 1024;

    private StreamsSettings() {
    }

    public static Properties of(PipelineConfig config) {
        return of(config, System.getenv());
    }

    /** As {@link #of(PipelineConfig)}, with {@code env} standing for the process environment. */
    @SuppressWarnings("deprecation") // the global-handler switch: see below
    public static Properties of(PipelineConfig config, Map<String, String> env) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.name());
        // Exactly one forecast per event through crashes unless the user chooses otherwise.
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        // No record cache for the state store unless the user sizes one (see stateCache): it writes a sensor's
        // state once per commit instead of once per event, but moves those writes into the commit, which delays
        // every forecast's visibility under exactly-once.
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
        p.put(StreamsConfig.STATE_DIR_CONFIG, "state");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Every event produces a forecast and a state changelog record of 1-4 KB: with the producer's 16 KB batches a
        // batch held a handful of them, and the broker spent its CPU on many small produce requests (quiet pairs in
        // BENCHMARKS.md: 1.3-1.7x the events per second at 256 KB). Un-prefixed, so a user's batch.size or
        // producer.batch.size wins; a full buffer.memory makes the producer send early, it does not stall it.
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(PRODUCER_BATCH_BYTES));
        // The topology has no global stores; enabling the handler for them only silences Kafka's start-up warning.
        // The key is deprecated (Kafka 4.3, KIP-1270) only because true becomes the fixed behaviour when it goes.
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        // Static membership: a restarted instance rejoins as the same member and gets its partitions back at once
        // instead of after the dead member's session timeout. Kafka Streams appends each stream thread's index.
        instanceId(config, env).ifPresent(id -> p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
        p.putAll(config.kafkaProperties());
        return p;
    }

    /**
     * Whether the per-sensor state store gets Kafka Streams' record cache: only when {@code kafka.statestore.cache.max.bytes}
     * is set above 0 (the service's default is 0). Without it the store is built without the caching layer at all, so
     * every put goes straight to RocksDB and the changelog, as a zero-sized cache would do with extra bookkeeping.
     */
    public static boolean stateCache(PipelineConfig config) {
        String bytes = config.kafka().get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG);
        if (bytes == null) {
            return false;
        }
        try {
            long size = Long.parseLong(bytes.strip());
            if (size >= 0) {
                return size != 0;
            }
        } catch (NumberFormatException notANumber) {
            // Refused below, with the key's name.
        }
        throw new ConfigException("kafka." + StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG + ": '" + bytes
                + "' is not a number of bytes (0 or more; 0 switches the state store's record cache off)");
    }

    /** Whether the pipeline runs at_least_once (the service's default is exactly_once_v2). */
    public static boolean atLeastOnce(PipelineConfig config) {
        return StreamsConfig.AT_LEAST_ONCE.equals(config.kafka().get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    }

    /**
     * This instance's static member id: {@code instanceId}, else {@code SENSORCAST_INSTANCE_ID}, else none
     * (dynamic membership). Refuses a {@code kafka.group.instance.id} that says otherwise.
     */
    public static Optional<String> instanceId(PipelineConfig config, Map<String, String> env) {
        String fromEnv = env.getOrDefault(ConfigKeys.INSTANCE_ID_ENV, "").strip();
        Optional<String> id = !config.instanceId().isEmpty() ? Optional.of(config.instanceId())
                : fromEnv.isEmpty() ? Optional.empty() : Optional.of(fromEnv);
        if (config.instanceId().isEmpty() && !fromEnv.isEmpty() && !fromEnv.matches("[A-Za-z0-9._-]{1,200}")) {
            throw new ConfigException(ConfigKeys.INSTANCE_ID_ENV + ": '" + fromEnv + "' is not a valid instance id;"
                    + " allowed: 1-200 letters, digits, '.', '_' or '-'");
        }
        String direct = config.kafka().get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        if (direct != null && id.isPresent() && !direct.equals(id.get())) {
            throw new ConfigException("kafka." + ConsumerConfig.GROUP_INSTANCE_ID_CONFIG + ": '" + direct
                    + "' contradicts instanceId '" + id.get() + "'; set one of them");
        }
        return id;
    }
}
