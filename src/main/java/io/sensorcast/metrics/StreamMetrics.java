package io.sensorcast.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.sensorcast.state.SensorState;
import io.sensorcast.topology.ForecastTopology;
import io.sensorcast.topology.StreamThreadFailures;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.concurrent.atomic.AtomicLong;

/** Kafka Streams' own client metrics plus whether the stream runs, how many keys it holds and restore progress. */
public final class StreamMetrics implements AutoCloseable {

    private final KafkaStreamsMetrics binder;
    private final AtomicLong restoreRemaining = new AtomicLong();

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
        Gauge.builder("sensorcast.active.keys", streams, StreamMetrics::approximateKeys)
                .description("Sensors with state on this instance (RocksDB estimate)").register(registry);
        Gauge.builder("sensorcast.state.restore.remaining.records", restoreRemaining, AtomicLong::get)
                .description("Changelog records still to restore before this instance serves its partitions")
                .register(registry);
        streams.setGlobalStateRestoreListener(new StateRestoreListener() {
            @Override
            public void onRestoreStart(TopicPartition partition, String store, long start, long end) {
                restoreRemaining.addAndGet(end - start);
            }

            @Override
            public void onBatchRestored(TopicPartition partition, String store, long batchEnd, long restored) {
                restoreRemaining.addAndGet(-restored);
            }

            @Override
            public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
            }

            @Override
            public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
                restoreRemaining.set(0);
            }
        });
    }

    private static double approximateKeys(KafkaStreams streams) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return Double.NaN;
        }
        try {
            ReadOnlyKeyValueStore<String, SensorState> store = streams.store(StoreQueryParameters.fromNameAndType(
                    ForecastTopology.STATE_STORE, QueryableStoreTypes.keyValueStore()));
            return store.approximateNumEntries();
        } catch (RuntimeException e) {
            // Rebalancing: the store is briefly not queryable.
            return Double.NaN;
        }
    }

    @Override
    public void close() {
        binder.close();
    }
}
