package io.sensorcast.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.sensorcast.topology.StreamThreadFailures;
import org.apache.kafka.streams.KafkaStreams;

/** Kafka Streams' own client metrics plus whether the stream runs or keeps failing, and restore progress (logged). */
public final class StreamMetrics implements AutoCloseable {

    private final KafkaStreamsMetrics binder;
    private final RestoreProgress restore = new RestoreProgress();

    /** Binds before {@code streams} starts (the restore listener must be set before start). */
    public StreamMetrics(MeterRegistry registry, KafkaStreams streams, StreamThreadFailures failures) {
        this.binder = new KafkaStreamsMetrics(streams);
        binder.bindTo(registry);
        Gauge.builder("sensorcast.stream.up", streams, s -> s.state() == KafkaStreams.State.RUNNING ? 1 : 0)
                .description("1 while Kafka Streams is RUNNING, else 0").register(registry);
        FunctionCounter.builder("sensorcast.stream.thread.failures", failures, StreamThreadFailures::count)
                .description("Stream threads that died of an error and were replaced").register(registry);
        Gauge.builder("sensorcast.stream.stalled", failures, f -> f.stalled() ? 1 : 0)
                .description("1 while stream threads keep failing (two within 10 minutes): no progress, not ready")
                .register(registry);
        Gauge.builder("sensorcast.state.restore.remaining.records", restore, RestoreProgress::remaining)
                .description("Changelog records still to restore before this instance serves its partitions")
                .register(registry);
        streams.setGlobalStateRestoreListener(restore);
    }

    @Override
    public void close() {
        binder.close();
    }
}
