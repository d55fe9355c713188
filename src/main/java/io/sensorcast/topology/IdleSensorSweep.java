package io.sensorcast.topology;

import org.apache.kafka.streams.processor.Punctuator;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Forgets the sensors of one stream task that have been idle for the TTL, a bounded slice per punctuation so that
 * a large store never stalls the stream thread: each slice examines at most {@code batch} sensors in key order,
 * starting after the last one the previous slice examined, and wraps around at the end of the store.
 *
 * <p>Idle is measured in event time against the task's own progress: the newest event time the task has
 * accepted (or found in a state it examined). A replay of last year's data therefore evicts only what was idle
 * within last year's stream, a stopped service evicts nothing while it is down, and a task that is catching up on
 * a backlog judges its sensors by how far it has caught up, not by the wall clock.
 */
final class IdleSensorSweep implements Punctuator {

    private final SensorStores stores;
    private final long ttlMs;
    private final int batch;
    private final TopologyMetrics metrics;
    private final Consumer<String> onEvicted;
    /** The newest event time this task has seen, Long.MIN_VALUE before the first. */
    private long eventTimeMs = Long.MIN_VALUE;
    /** The last sensor the previous slice examined; null: the next slice starts at the first. */
    private String cursor;

    /** @param onEvicted told of every sensor removed (e.g. the trainer's sample) after its stores dropped it */
    IdleSensorSweep(SensorStores stores, Duration ttl, int batch, TopologyMetrics metrics, Consumer<String> onEvicted) {
        if (ttl.isNegative() || ttl.isZero() || batch < 1) {
            throw new IllegalArgumentException("ttl must be positive and batch at least 1: " + ttl + ", " + batch);
        }
        this.stores = stores;
        this.ttlMs = ttl.toMillis();
        this.batch = batch;
        this.metrics = metrics;
        this.onEvicted = onEvicted;
    }

    /** An event of this task with this event time was accepted. */
    void observed(long timestampMs) {
        if (timestampMs > eventTimeMs) {
            eventTimeMs = timestampMs;
        }
    }

    /** Examines the next slice of sensors and removes the idle ones from every store. */
    @Override
    public void punctuate(long wallClockMs) {
        long started = System.nanoTime();
        SensorStores.Slice slice = stores.slice(cursor, batch);
        List<String> keys = slice.keys();
        for (long lastTimestampMs : slice.lastTimestamps()) {
            observed(lastTimestampMs);
        }
        // Judged after the whole slice is read (so against the newest time in it too), deleted after the iterator
        // is closed, so the scan never walks over its own deletes.
        for (int i = 0; i < keys.size(); i++) {
            if (isIdle(slice.lastTimestamps().get(i))) {
                stores.evict(keys.get(i));
                metrics.evicted(keys.get(i));
                onEvicted.accept(keys.get(i));
            }
        }
        cursor = slice.more() && !keys.isEmpty() ? keys.get(keys.size() - 1) : null;
        metrics.evictionSlice(System.nanoTime() - started, keys.size());
    }

    /** Whether a sensor whose last event is at {@code lastTimestampMs} has been idle for longer than the TTL. */
    private boolean isIdle(long lastTimestampMs) {
        // Event times are never negative, so the subtraction cannot overflow.
        return eventTimeMs != Long.MIN_VALUE && lastTimestampMs < eventTimeMs - ttlMs;
    }
}
