package io.sensorcast.topology;

import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.state.AcceptedEvents;
import io.sensorcast.state.SensorState;
import io.sensorcast.state.SensorStateCodec;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.MeteredKeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one stream task keeps per sensor: its {@link SensorState} and, under at_least_once, its recently
 * accepted events. A sensor is removed from both at once, so neither outlives the other, and every removal is a
 * delete, which the changelog records as a tombstone that compaction then drops. Counts the sensors held for the
 * {@code sensorcast_active_keys} gauge.
 */
final class SensorStores {

    private final KeyValueStore<String, SensorState> states;
    private final KeyValueStore<String, AcceptedEvents> accepted;
    /** The serialised views beneath the typed stores (see {@link #serialised}); null where there is none. */
    private final KeyValueStore<Bytes, byte[]> statesBytes;
    private final KeyValueStore<Bytes, byte[]> acceptedBytes;
    private final TopologyMetrics metrics;
    private long held;

    /** The task's stores; its sensors (restored, or left by an earlier owner) are counted once, here. */
    SensorStores(ProcessorContext<?, ?> context, boolean recogniseRedeliveries, TopologyMetrics metrics) {
        this.states = context.getStateStore(ForecastTopology.STATE_STORE);
        this.accepted = recogniseRedeliveries ? context.getStateStore(ForecastTopology.ACCEPTED_EVENTS_STORE) : null;
        this.metrics = metrics;
        this.statesBytes = serialised(states);
        this.acceptedBytes = accepted == null ? null : serialised(accepted);
        try (KeyValueIterator<String, SensorState> all = states.all()) {
            while (all.hasNext()) {
                all.next();
                held++;
            }
        }
        metrics.keysHeld(held);
    }

    /** The sensor's state, null for a sensor this task does not hold. */
    SensorState state(String sensorId) {
        return states.get(sensorId);
    }

    /** Stores the sensor's state; {@code isNew} when the task did not hold the sensor before. */
    void put(String sensorId, SensorState state, boolean isNew) {
        states.put(sensorId, state);
        if (isNew) {
            held++;
            metrics.keysHeld(1);
        }
    }

    /** Whether the sensor already accepted this event (at_least_once only; false otherwise). */
    boolean accepted(String sensorId, SensorEvent event) {
        if (accepted == null) {
            return false;
        }
        AcceptedEvents recent = accepted.get(sensorId);
        return recent != null && recent.contains(event.timestampMs(), event.values());
    }

    /** Remembers an event the sensor's state now holds (at_least_once only; nothing otherwise). */
    void rememberAccepted(String sensorId, SensorEvent event) {
        if (accepted == null) {
            return;
        }
        AcceptedEvents recent = accepted.get(sensorId);
        recent = recent == null ? new AcceptedEvents() : recent;
        recent.add(event.timestampMs(), event.values());
        accepted.put(sensorId, recent);
    }

    /** Removes the sensor from every store; returns whether the task held it. */
    boolean forget(String sensorId) {
        boolean known = states.delete(sensorId) != null;
        if (accepted != null) {
            accepted.delete(sensorId);
        }
        if (known) {
            held--;
            metrics.keysHeld(-1);
        }
        return known;
    }

    /**
     * The next sensors in key order after {@code afterKey} (from the first when it is null), at most {@code max},
     * with the time of each one's last accepted event.
     */
    Slice slice(String afterKey, int max) {
        List<String> keys = new ArrayList<>(Math.min(max, 4096));
        List<Long> lastTimestamps = new ArrayList<>(Math.min(max, 4096));
        boolean more;
        if (statesBytes != null) {
            Bytes from = afterKey == null ? null : Bytes.wrap(afterKey.getBytes(StandardCharsets.UTF_8));
            try (KeyValueIterator<Bytes, byte[]> all = statesBytes.range(from, null)) {
                while (keys.size() < max && all.hasNext()) {
                    KeyValue<Bytes, byte[]> entry = all.next();
                    String key = new String(entry.key.get(), StandardCharsets.UTF_8);
                    if (!key.equals(afterKey)) {
                        keys.add(key);
                        lastTimestamps.add(SensorStateCodec.lastTimestampMs(entry.value));
                    }
                }
                more = all.hasNext();
            }
        } else {
            try (KeyValueIterator<String, SensorState> all = states.range(afterKey, null)) {
                while (keys.size() < max && all.hasNext()) {
                    KeyValue<String, SensorState> entry = all.next();
                    if (!entry.key.equals(afterKey)) {
                        keys.add(entry.key);
                        lastTimestamps.add(entry.value.lastTimestampMs);
                    }
                }
                more = all.hasNext();
            }
        }
        return new Slice(keys, lastTimestamps, more);
    }

    /** Sensors in key order with their last event times, and whether the store holds more after them. */
    record Slice(List<String> keys, List<Long> lastTimestamps, boolean more) {
    }

    /** Removes a sensor {@link #slice} just returned from every store, without reading its state again. */
    void evict(String sensorId) {
        if (statesBytes == null) {
            forget(sensorId);
            return;
        }
        Bytes key = Bytes.wrap(sensorId.getBytes(StandardCharsets.UTF_8));
        statesBytes.delete(key);
        if (acceptedBytes != null) {
            acceptedBytes.delete(key);
        }
        held--;
        metrics.keysHeld(-1);
    }

    /**
     * The bytes store beneath a typed store: Kafka Streams' typed stores (metered, behind the processor's read-write
     * decorator) wrap the caching, changelogging and RocksDB layers, which take serialised keys and values. The
     * sweep reads a state's last event time from its first bytes there instead of decoding the whole state, and
     * deletes without reading the old value; a delete through it reaches the cache, the changelog and RocksDB as
     * the typed store's does. Null for a store not built that way, where the typed store serves instead.
     */
    private static KeyValueStore<Bytes, byte[]> serialised(StateStore store) {
        StateStore layer = store;
        while (!(layer instanceof MeteredKeyValueStore<?, ?>) && layer instanceof WrappedStateStore<?, ?, ?> wrapper) {
            layer = wrapper.wrapped();
        }
        return layer instanceof MeteredKeyValueStore<?, ?> metered ? metered.wrapped() : null;
    }

    /** The task closes: its sensors no longer count for this instance. */
    void close() {
        metrics.keysHeld(-held);
        held = 0;
    }
}
