package io.sensorcast.service;

import io.sensorcast.config.ConfigException;
import io.sensorcast.config.KafkaClientProperties;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.model.ModelTopic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Checks, before a stream starts, that the pipeline's six topics exist, and creates the missing ones when
 * asked to: Kafka Streams would otherwise start and fail later with a message that names no configuration key.
 * The control topic must have as many partitions as the events topic: a sensor's commands are read in the task
 * that holds its state.
 */
public final class PipelineTopics {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineTopics.class);
    private static final long ADMIN_TIMEOUT_SECONDS = 30;

    private PipelineTopics() {
    }

    /**
     * What the topic check learns for the topology: the events topic's partition count and the largest record
     * the dead-letter topic takes ({@code max.message.bytes}).
     */
    public record Layout(int eventPartitions, int deadLetterMaxMessageBytes) {
    }

    /**
     * Verifies that the pipeline's topics exist, creating the missing ones with {@code createPartitions}
     * partitions (the model topic with one, compacted; the control topic with the events topic's count when that
     * exists) when that is above 0, and describes the two the topology needs to know about.
     *
     * @throws ConfigException naming the topics key when a topic is missing and may not be created, or when the
     *                         control topic's partitions differ from the events topic's, or naming
     *                         kafka.bootstrap.servers when the cluster cannot be reached
     */
    public static Layout ensure(PipelineConfig config, int createPartitions) {
        Properties adminProps = KafkaClientProperties.forClient(config.kafka(), AdminClientConfig.configNames());
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(config.topics().events(), "topics.events");
        keys.put(config.topics().forecasts(), "topics.forecasts");
        keys.put(config.topics().deadLetter(), "topics.deadLetter");
        keys.put(config.topics().models(), "topics.models");
        keys.put(config.topics().anomalies(), "topics.anomalies");
        keys.put(config.topics().control(), "topics.control");
        try (Admin admin = Admin.create(adminProps)) {
            Set<String> existing = admin.listTopics().names().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (var e : keys.entrySet()) {
                if (existing.contains(e.getKey())) {
                    continue;
                }
                if (createPartitions <= 0) {
                    throw new ConfigException(e.getValue() + ": topic '" + e.getKey() + "' does not exist on "
                            + config.kafka().get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)
                            + " (create it, or start with --create-topics)");
                }
                boolean control = e.getKey().equals(config.topics().control());
                missing.add(newTopic(config, e.getKey(), control ? controlPartitions(admin, config, existing,
                        createPartitions) : createPartitions));
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                // Producers (the demo's, the operator's) may write the moment this returns.
                PartitionLeaders.awaitServing(admin, missing.stream().collect(Collectors.toMap(NewTopic::name,
                        NewTopic::numPartitions)), Duration.ofSeconds(ADMIN_TIMEOUT_SECONDS));
                LOG.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
            }
            return describeWhenVisible(admin, config);
        } catch (ExecutionException | TimeoutException e) {
            throw new ConfigException("kafka.bootstrap.servers: cannot reach the cluster at "
                    + config.kafka().get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topics", e);
        }
    }

    /** {@link #describe}, waiting out the moment after creation when a new topic is not yet in the metadata. */
    private static Layout describeWhenVisible(Admin admin, PipelineConfig config)
            throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ADMIN_TIMEOUT_SECONDS);
        while (true) {
            try {
                return describe(admin, config);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static Layout describe(Admin admin, PipelineConfig config)
            throws ExecutionException, TimeoutException, InterruptedException {
        String events = config.topics().events();
        String control = config.topics().control();
        Map<String, TopicDescription> described = admin.describeTopics(List.of(events, control)).allTopicNames()
                .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        int partitions = described.get(events).partitions().size();
        int controlPartitions = described.get(control).partitions().size();
        if (controlPartitions != partitions) {
            throw new ConfigException("topics.control: topic '" + control + "' has " + controlPartitions
                    + " partitions, the events topic '" + events + "' " + partitions + "; a sensor's control records"
                    + " must be read in the task that holds its state, so give both the same count"
                    + " (kafka-topics.sh --alter --partitions, or recreate the control topic)");
        }
        ConfigResource deadLetters = new ConfigResource(ConfigResource.Type.TOPIC, config.topics().deadLetter());
        ConfigEntry maxBytes;
        try {
            maxBytes = admin.describeConfigs(List.of(deadLetters)).all()
                    .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS).get(deadLetters).get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof AuthorizationException)) {
                throw e;
            }
            // Without DescribeConfigs on the topic, the producer's max.request.size alone bounds dead letters.
            LOG.info("Not allowed to read {}'s max.message.bytes; dead letters are kept within max.request.size",
                    config.topics().deadLetter());
            maxBytes = null;
        }
        return new Layout(partitions, maxBytes == null || maxBytes.value() == null ? Integer.MAX_VALUE
                : Integer.parseInt(maxBytes.value()));
    }

    /** The control topic is created with as many partitions as an existing events topic, else as asked. */
    private static int controlPartitions(Admin admin, PipelineConfig config, Set<String> existing, int createPartitions)
            throws ExecutionException, TimeoutException, InterruptedException {
        String events = config.topics().events();
        if (!existing.contains(events)) {
            return createPartitions;
        }
        return admin.describeTopics(List.of(events)).allTopicNames().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .get(events).partitions().size();
    }

    /** The model topic has one partition (one compacted history per model name); the others as asked. */
    private static NewTopic newTopic(PipelineConfig config, String name, int partitions) {
        if (name.equals(config.topics().models())) {
            return new NewTopic(name, 1, (short) -1).configs(ModelTopic.topicConfigs());
        }
        return new NewTopic(name, partitions, (short) -1);
    }
}
