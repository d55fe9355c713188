package io.sensorcast.topology;

import io.sensorcast.state.SensorState;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.time.Duration;
import java.util.ArrayList;
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
        List<String> idle = new ArrayList<>();
        int examined = 0;
        String last = cursor;
        boolean more;
        try (KeyValueIterator<String, SensorState> states = stores.statesFrom(cursor)) {
            while (examined < batch && states.hasNext()) {
                KeyValue<String, SensorState> entry = states.next();
                if (entry.key.equals(cursor)) {
                    // The range starts at the cursor inclusive; the previous slice examined it.
                    continue;
                }
                examined++;
                last = entry.key;
                observed(entry.value.lastTimestampMs);
                if (isIdle(entry.value.lastTimestampMs)) {
                    idle.add(entry.key);
                }
            }
            more = states.hasNext();
        }
        // Deleted after the iterator is closed, so the scan never walks over its own deletes.
        cursor = more ? last : null;
        for (String sensorId : idle) {
            if (stores.forget(sensorId)) {
                metrics.evicted(sensorId);
                onEvicted.accept(sensorId);
            }
        }
        metrics.evictionSlice(System.nanoTime() - started, examined);
    }

    /** Whether a sensor whose last event is at {@code lastTimestampMs} has been idle for longer than the TTL. */
    boolean isIdle(long lastTimestampMs) {
        // Event times are never negative, so the subtraction cannot overflow.
        return eventTimeMs != Long.MIN_VALUE && lastTimestampMs < eventTimeMs - ttlMs;
    }

    /** The newest event time seen so far, Long.MIN_VALUE before the first. */
    long eventTimeMs() {
        return eventTimeMs;
    }
}
