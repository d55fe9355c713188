package io.sensorcast.topology;

import io.sensorcast.config.ConfigException;
import io.sensorcast.config.PipelineConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.charset.StandardCharsets;

/**
 * What the topology needs to know about its topics that only the cluster can tell: how many partitions the
 * events topic has (so it can tell whether a keyed event already sits where its sensor's state lives) and the
 * largest record the dead-letter topic takes. The service fills it in after checking the topics, before the
 * stream starts; until then every keyed event takes the repartition path, which is always correct.
 */
public final class TopicLayout {

    private final int producerMaxRequestBytes;
    private volatile int eventPartitions;
    private volatile int deadLetterTopicMaxBytes = Integer.MAX_VALUE;

    private TopicLayout(int producerMaxRequestBytes, int eventPartitions) {
        this.producerMaxRequestBytes = producerMaxRequestBytes;
        this.eventPartitions = eventPartitions;
    }

    /** Nothing known yet about the cluster: the producer limit from {@code config}, partitions unknown. */
    public static TopicLayout unknown(PipelineConfig config) {
        return new TopicLayout(producerMaxRequestBytes(config), 0);
    }

    /** A known partition count (the test driver has one partition per topic). */
    public static TopicLayout withPartitions(PipelineConfig config, int eventPartitions) {
        return new TopicLayout(producerMaxRequestBytes(config), eventPartitions);
    }

    /** Records what the topic check found. */
    public void learned(int eventPartitions, int deadLetterTopicMaxBytes) {
        this.eventPartitions = eventPartitions;
        this.deadLetterTopicMaxBytes = deadLetterTopicMaxBytes;
    }

    /**
     * True when a keyed event read from {@code partition} sits where Kafka Streams routes {@code key}: the
     * partition the Java client's default partitioner (murmur2) picks, which the repartition topic uses too.
     * False when the count is unknown.
     */
    public boolean isHome(String key, int partition) {
        int partitions = eventPartitions;
        return partitions > 0 && homePartition(key, partitions) == partition;
    }

    /** The partition murmur2 assigns {@code key} among {@code partitions}, as Kafka's Java producer does. */
    public static int homePartition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The largest dead letter the write can produce: the producer's and the topic's limit, whichever is lower. */
    public int maxDeadLetterBytes() {
        return Math.min(producerMaxRequestBytes, deadLetterTopicMaxBytes);
    }

    private static int producerMaxRequestBytes(PipelineConfig config) {
        String prefixed = config.kafka().get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        String plain = config.kafka().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        String value = prefixed != null ? prefixed : plain;
        if (value == null) {
            return 1_048_576;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("kafka." + (prefixed != null ? StreamsConfig.producerPrefix(
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG) : ProducerConfig.MAX_REQUEST_SIZE_CONFIG)
                    + ": '" + value + "' is not a number of bytes");
        }
    }
}
