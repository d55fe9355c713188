package io.sensorcast.topology;

import io.sensorcast.config.ConfigException;
import io.sensorcast.config.KafkaClientProperties;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ModelTopic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
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
import java.util.function.Supplier;

/** Runs the forecasting topology on a Kafka cluster until closed. */
public final class ForecastService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ForecastService.class);

    private final PipelineConfig config;
    private final KafkaStreams streams;
    private final Topology topology;

    /** The serving service: forecasts and dead letters out. */
    public ForecastService(PipelineConfig config, ModelRegistry registry, Supplier<StepListener> listeners,
                           TopologyMetrics metrics) {
        this(config, ForecastTopology.build(config, registry, listeners, metrics), StreamsSettings.of(config));
    }

    /** The trainer role's feed: its own application id and state, publishing nothing. */
    public static ForecastService trainingFeed(PipelineConfig config, ModelRegistry registry,
                                               Supplier<StepListener> listeners) {
        Properties props = StreamsSettings.of(config);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG) + "-trainer");
        return new ForecastService(config, ForecastTopology.buildTrainingFeed(config, registry, listeners), props);
    }

    private ForecastService(PipelineConfig config, Topology topology, Properties streamsProperties) {
        this.config = config;
        this.topology = topology;
        this.streams = new KafkaStreams(topology, streamsProperties);
        // A stream thread that dies of an unexpected error is replaced: its tasks resume from the last commit.
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /**
     * Checks that every topic exists (creating missing ones when {@code createPartitions > 0}), then starts.
     *
     * @throws ConfigException naming the topics key when a topic is missing and may not be created
     */
    public void start(int createPartitions) {
        ensureTopics(config, createPartitions);
        streams.start();
    }

    public KafkaStreams streams() {
        return streams;
    }

    public Topology topology() {
        return topology;
    }

    /** Waits until the stream is RUNNING. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State state = streams.state();
            if (state == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Override
    public void close() {
        // Let in-flight work commit; under exactly-once an unclean stop only costs a replay, never a duplicate.
        // Leaving the group hands this instance's partitions over at once instead of after the session
        // timeout (45 s), both to the surviving instances and to this one when it restarts.
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }

    /** Verifies that the pipeline's topics exist, creating the missing ones when asked to. */
    public static void ensureTopics(PipelineConfig config, int createPartitions) {
        Properties adminProps = KafkaClientProperties.forClient(config.kafka(), AdminClientConfig.configNames());
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(config.topics().events(), "topics.events");
        keys.put(config.topics().forecasts(), "topics.forecasts");
        keys.put(config.topics().deadLetter(), "topics.deadLetter");
        keys.put(config.topics().models(), "topics.models");
        try (Admin admin = Admin.create(adminProps)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
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
                NewTopic topic = new NewTopic(e.getKey(), e.getKey().equals(config.topics().models()) ? 1 : createPartitions,
                        (short) -1);
                if (e.getKey().equals(config.topics().models())) {
                    topic.configs(ModelTopic.topicConfigs());
                }
                missing.add(topic);
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                LOG.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new ConfigException("kafka.bootstrap.servers: cannot reach the cluster at "
                    + config.kafka().get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topics", e);
        }
    }
}
