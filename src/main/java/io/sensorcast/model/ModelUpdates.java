package io.sensorcast.model;

import io.sensorcast.config.PipelineConfig;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Keeps one instance's serving model current: a background thread reads the model topic from its beginning
 * and swaps every newer valid model for this pipeline into the registry, also saving it to the models
 * directory so a restart without the topic still finds it. Records that must not serve are refused, logged
 * and counted; the serving model then stays.
 */
public final class ModelUpdates implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelUpdates.class);

    /** Records arrive as soon as they are written; the poll timeout only bounds how long an idle poll waits. */
    private static final Duration POLL = Duration.ofSeconds(10);
    private static final Duration RETRY = Duration.ofSeconds(2);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final PipelineConfig config;
    private final ModelRegistry registry;
    private final String topic;
    private final Path directory;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final List<Consumer<String>> refusalListeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    public ModelUpdates(PipelineConfig config, ModelRegistry registry) {
        this.config = config;
        this.registry = registry;
        this.topic = config.topics().models();
        this.directory = Path.of(config.model().directory());
    }

    /**
     * The newest valid model for this pipeline on the model topic, read from its beginning to its current
     * end; records that do not decode or fit are skipped with a warning.
     *
     * @return empty when the topic does not exist or holds no valid record for this model name
     * @throws ModelTopicException if the topic cannot be read to its end within {@code timeout}
     */
    public static Optional<ModelRecord> latest(PipelineConfig config, Duration timeout) {
        String topic = config.topics().models();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(ModelTopic.consumerProperties(config))) {
            List<TopicPartition> partitions = partitions(reader.partitionsFor(topic, timeout));
            if (partitions.isEmpty()) {
                LOG.info("Model topic '{}' does not exist; no model from it", topic);
                return Optional.empty();
            }
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = reader.endOffsets(partitions, remaining(deadline));
            ModelRecord newest = null;
            while (!reachedEnd(reader, end, deadline)) {
                if (System.nanoTime() >= deadline) {
                    throw new ModelTopicException("could not read model topic '" + topic + "' to its end offsets "
                            + end + " within " + timeout.toMillis() + " ms");
                }
                for (ConsumerRecord<byte[], byte[]> r : reader.poll(min(remaining(deadline), Duration.ofMillis(200)))) {
                    if (!isFor(r, config) || r.value() == null) {
                        continue;
                    }
                    try {
                        ModelRecord record = ModelRecordCodec.decode(r.value());
                        ModelRecords.toServing(record, config);
                        if (newest == null || record.metadata().version() > newest.metadata().version()) {
                            newest = record;
                        }
                    } catch (InvalidModelException e) {
                        LOG.warn("Skipping model record {}: {}", where(r), e.getMessage());
                    }
                }
            }
            if (newest != null) {
                LOG.info("Newest valid model for '{}' on topic '{}' is v{}", config.name(), topic,
                        newest.metadata().version());
            }
            return Optional.ofNullable(newest);
        } catch (KafkaException e) {
            throw new ModelTopicException("cannot read model topic '" + topic + "' from "
                    + config.kafka().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts reading the topic on a daemon thread.
     *
     * @throws ModelTopicException if the consumer cannot be created from the pipeline's Kafka settings
     */
    public synchronized void start() {
        if (thread != null || closing.getCount() == 0) {
            throw new IllegalStateException("model updates can be started once, before close()");
        }
        try {
            consumer = new KafkaConsumer<>(ModelTopic.consumerProperties(config));
        } catch (KafkaException e) {
            throw new ModelTopicException("cannot create the model consumer for topic '" + topic + "': "
                    + e.getMessage(), e);
        }
        thread = new Thread(this::run, "sensorcast-model-updates");
        thread.setDaemon(true);
        thread.start();
    }

    /** Models swapped in (and saved) since start. */
    public long appliedCount() {
        return applied.get();
    }

    /** Records for this model refused since start: undecodable, checksum mismatch, wrong shape, NaN. */
    public long refusedCount() {
        return refused.get();
    }

    /** Called with the reason of every refusal, on the reading thread, before {@link #refusedCount()} grows. */
    public void onRefused(Consumer<String> listener) {
        refusalListeners.add(listener);
    }

    /** Stops the reading thread, interrupting a poll in progress, and closes the consumer. */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            if (closing.getCount() == 0) {
                return;
            }
            closing.countDown();
            running = thread;
            if (running == null) {
                return;
            }
            consumer.wakeup();
        }
        try {
            running.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (running.isAlive()) {
            LOG.warn("Model updates thread did not stop within {} s", CLOSE_WAIT.toSeconds());
        }
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            if (partitions.isEmpty()) {
                return;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            LOG.info("Following model topic '{}' for model '{}'", topic, config.name());
            while (!closed()) {
                try {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                        apply(r);
                    }
                } catch (WakeupException | InterruptException e) {
                    throw e;
                } catch (KafkaException e) {
                    LOG.error("Reading model topic '{}' failed; retrying in {} s: {}", topic, RETRY.toSeconds(),
                            e.toString());
                    pause();
                }
            }
        } catch (WakeupException | InterruptException e) {
            // close() was called
        } catch (RuntimeException e) {
            LOG.error("Model updates stopped unexpectedly; the serving model will not change any more", e);
        } finally {
            consumer.close();
        }
    }

    /** Waits until the topic exists (it may be created after this instance starts); empty once closed. */
    private List<TopicPartition> awaitPartitions() {
        boolean told = false;
        while (!closed()) {
            try {
                List<TopicPartition> partitions = partitions(consumer.partitionsFor(topic, POLL));
                if (!partitions.isEmpty()) {
                    return partitions;
                }
                if (!told) {
                    LOG.warn("Model topic '{}' does not exist yet; waiting for it", topic);
                    told = true;
                }
            } catch (WakeupException | InterruptException e) {
                throw e;
            } catch (KafkaException e) {
                LOG.warn("Cannot look up model topic '{}'; retrying in {} s: {}", topic, RETRY.toSeconds(),
                        e.toString());
            }
            pause();
        }
        return List.of();
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        if (!isFor(r, config)) {
            return;
        }
        if (r.value() == null) {
            LOG.info("Tombstone for model '{}' at {}: there is nothing to serve instead, v{} stays", config.name(),
                    where(r), registry.current().version());
            return;
        }
        ModelRecord record;
        ServingModel candidate;
        try {
            record = ModelRecordCodec.decode(r.value());
            candidate = ModelRecords.toServing(record, config);
            if (!registry.offer(candidate)) {
                LOG.debug("Model v{} at {} is not newer than the serving v{}", candidate.version(), where(r),
                        registry.current().version());
                return;
            }
        } catch (RuntimeException e) {
            refuse(where(r) + ": " + (e instanceof InvalidModelException ? e.getMessage() : e.toString()));
            return;
        }
        LOG.info("Now serving model v{} of '{}' from {}", candidate.version(), config.name(), where(r));
        save(record, candidate);
        applied.incrementAndGet();
    }

    private void save(ModelRecord record, ServingModel serving) {
        Path zip = ModelFiles.versionPath(directory, config.name(), serving.version());
        try {
            ModelFiles.save(ModelRecords.toNetwork(record, serving.weights().spec()), record.metadata(), zip);
        } catch (RuntimeException e) {
            LOG.warn("Serving model v{} but cannot save it to {} (a restart without the model topic will not find"
                    + " it): {}", serving.version(), zip, e.getMessage());
        }
    }

    private void refuse(String reason) {
        LOG.warn("Refused model record {}; still serving v{}", reason, registry.current().version());
        for (Consumer<String> listener : refusalListeners) {
            try {
                listener.accept(reason);
            } catch (RuntimeException e) {
                LOG.warn("A model refusal listener failed", e);
            }
        }
        refused.incrementAndGet();
    }

    private boolean closed() {
        return closing.getCount() == 0;
    }

    private void pause() {
        try {
            closing.await(RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            // The next Kafka call sees the flag and ends the thread with an InterruptException.
            Thread.currentThread().interrupt();
        }
    }

    /** Records of other pipelines sharing the topic are not ours to judge. */
    private static boolean isFor(ConsumerRecord<byte[], byte[]> r, PipelineConfig config) {
        return r.key() != null && Arrays.equals(r.key(), config.name().getBytes(StandardCharsets.UTF_8));
    }

    private static String where(ConsumerRecord<?, ?> r) {
        return r.topic() + "-" + r.partition() + "@" + r.offset();
    }

    private static List<TopicPartition> partitions(List<PartitionInfo> infos) {
        return infos == null ? List.of() : infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> reader, Map<TopicPartition, Long> end, long deadline) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (reader.position(e.getKey(), remaining(deadline)) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
