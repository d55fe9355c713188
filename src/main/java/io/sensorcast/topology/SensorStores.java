package io.sensorcast.topology;

import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.state.AcceptedEvents;
import io.sensorcast.state.SensorState;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Everything one stream task keeps per sensor: its {@link SensorState} and, under at_least_once, its recently
 * accepted events. A sensor is removed from both at once, so neither outlives the other, and every removal is a
 * delete, which the changelog records as a tombstone that compaction then drops. Counts the sensors held for the
 * {@code sensorcast_active_keys} gauge.
 */
final class SensorStores {

    private final KeyValueStore<String, SensorState> states;
    private final KeyValueStore<String, AcceptedEvents> accepted;
    private final TopologyMetrics metrics;
    private long held;

    /** The task's stores; its sensors (restored, or left by an earlier owner) are counted once, here. */
    SensorStores(ProcessorContext<?, ?> context, boolean recogniseRedeliveries, TopologyMetrics metrics) {
        this.states = context.getStateStore(ForecastTopology.STATE_STORE);
        this.accepted = recogniseRedeliveries ? context.getStateStore(ForecastTopology.ACCEPTED_EVENTS_STORE) : null;
        this.metrics = metrics;
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

    /** The sensors' states in key order, from {@code fromKey} on (inclusive), or from the first when it is null. */
    KeyValueIterator<String, SensorState> statesFrom(String fromKey) {
        return states.range(fromKey, null);
    }

    /** Sensors held now. */
    long held() {
        return held;
    }

    /** The task closes: its sensors no longer count for this instance. */
    void close() {
        metrics.keysHeld(-held);
        held = 0;
    }
}
