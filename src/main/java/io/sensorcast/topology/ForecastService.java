package io.sensorcast.topology;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.model.ModelRegistry;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Supplier;

/** Runs the forecasting topology on a Kafka cluster until closed. */
public final class ForecastService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ForecastService.class);

    private final KafkaStreams streams;
    private final Topology topology;
    private final StreamThreadFailures failures = new StreamThreadFailures(Clock.systemUTC());

    /** The serving service: forecasts and dead letters out. */
    public ForecastService(PipelineConfig config, ModelRegistry registry, Supplier<StepListener> listeners,
                           TopologyMetrics metrics) {
        this(ForecastTopology.build(config, registry, listeners, metrics), StreamsSettings.of(config));
    }

    /** A serving service running another topology under the serving application id (the benchmarks' baseline). */
    public static ForecastService serving(PipelineConfig config, Topology topology) {
        return new ForecastService(topology, StreamsSettings.of(config));
    }

    /** The trainer role's feed: its own application id and state, publishing nothing. */
    public static ForecastService trainingFeed(PipelineConfig config, ModelRegistry registry,
                                               Supplier<StepListener> listeners, TopicLayout layout) {
        Properties props = StreamsSettings.of(config);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG) + "-trainer");
        return new ForecastService(ForecastTopology.buildTrainingFeed(config, registry, listeners, layout), props);
    }

    private ForecastService(Topology topology, Properties streamsProperties) {
        this.topology = topology;
        this.streams = new KafkaStreams(topology, streamsProperties);
        // A stream thread that dies of an unexpected error is replaced: its tasks resume from the last commit.
        // Failing again and again (a record whose output cannot be written) is a stall: see StreamThreadFailures.
        streams.setUncaughtExceptionHandler(e -> {
            failures.failed();
            LOG.error("Stream thread failed ({} so far); replacing it", failures.count(), e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /** Starts the stream; the caller has checked the topics (the service's {@code PipelineTopics}). */
    public void start() {
        streams.start();
    }

    public KafkaStreams streams() {
        return streams;
    }

    public Topology topology() {
        return topology;
    }

    /** The stream threads that died, and whether that amounts to a stall. */
    public StreamThreadFailures failures() {
        return failures;
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
}
