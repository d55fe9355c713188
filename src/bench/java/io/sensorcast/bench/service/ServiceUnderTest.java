package io.sensorcast.bench.service;

import io.sensorcast.config.MetricsSettings;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.service.Role;
import io.sensorcast.service.ServiceRuntime;
import io.sensorcast.service.ServingTopology;
import io.sensorcast.topology.ForecastTopology;
import org.apache.kafka.streams.KafkaStreams;

import java.time.Duration;

/**
 * One variant of the service, run by the service's own {@link ServiceRuntime} (so the benchmarks measure what
 * ships), with its metrics endpoint on a free loopback port, plus the moment its stream first reached RUNNING.
 */
final class ServiceUnderTest implements AutoCloseable {

    private final ServiceRuntime runtime;
    private volatile long runningAtNanos;

    ServiceUnderTest(Variant variant, PipelineConfig config) {
        MetricsSettings m = config.metrics();
        PipelineConfig onFreePort = config.withMetrics(new MetricsSettings("127.0.0.1", 0, m.sensors(), m.window()));
        this.runtime = switch (variant) {
            case BASELINE -> new ServiceRuntime(onFreePort, Role.SERVE,
                    (c, registry, listeners, metrics, layout) -> BaselineTopology.build(c, registry, metrics));
            case FORECASTER -> new ServiceRuntime(onFreePort, Role.SERVE, ServingTopology.FORECAST);
            // Serving and training in one process, as role all does; DrainRun sets cpuShare 1 for the unpaced one.
            case TRAINING, TRAINING_UNPACED -> new ServiceRuntime(onFreePort, Role.ALL, ServingTopology.FORECAST);
        };
        runtime.streams().setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING && runningAtNanos == 0) {
                runningAtNanos = System.nanoTime();
            }
        });
    }

    /** Starts the stream (and the model follower and trainer) and waits until it is RUNNING. */
    void start(Duration timeout) throws InterruptedException {
        runtime.start(0, timeout);
    }

    /** {@link System#nanoTime()} when the stream first reached RUNNING: consumption starts then. */
    long runningAtNanos() {
        return runningAtNanos;
    }

    /** The port of its metrics endpoint, which also serves the query API. */
    int metricsPort() {
        return runtime.metricsPort();
    }

    KafkaStreams streams() {
        return runtime.streams();
    }

    /** Training rounds run so far (0 without training). */
    int trainerRounds() {
        return Math.toIntExact(runtime.trainingRounds());
    }

    /** Model records applied from the model topic so far. */
    long modelsApplied() {
        return runtime.modelsApplied();
    }

    /** Steps the sample buffer had to drop because the trainer fell behind (0 without training). */
    long samplesDropped() {
        return runtime.samplesDropped();
    }

    /** Records this instance's producer sent to the state store's changelog topic so far. */
    long stateChangelogRecords() {
        String changelog = "-" + ForecastTopology.STATE_STORE + "-changelog";
        return runtime.streams().metrics().values().stream()
                .filter(m -> m.metricName().group().equals("producer-topic-metrics")
                        && m.metricName().name().equals("record-send-total")
                        && m.metricName().tags().getOrDefault("topic", "").endsWith(changelog))
                .mapToLong(m -> ((Number) m.metricValue()).longValue()).sum();
    }

    @Override
    public void close() {
        runtime.close();
    }
}
