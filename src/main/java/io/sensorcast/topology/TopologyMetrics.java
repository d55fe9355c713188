package io.sensorcast.topology;

import io.sensorcast.forecast.Forecast;
import io.sensorcast.ingest.ControlAction;
import io.sensorcast.ingest.RejectReason;
import io.sensorcast.ingest.SensorEvent;

/** What the topology reports as it runs; implemented over Micrometer by the metrics package. */
public interface TopologyMetrics {

    /** Reports nothing (tests and tools that need no metrics). */
    TopologyMetrics NONE = new TopologyMetrics() {
    };

    /** A raw record was read from the events topic. */
    default void eventIn() {
    }

    /** A raw record was read from the control topic. */
    default void controlIn() {
    }

    /**
     * A control record was applied to its sensor.
     *
     * @param known whether the task held the sensor (a reset or forget of an unknown sensor changes nothing)
     */
    default void controlApplied(String sensorId, ControlAction action, boolean known) {
    }

    /** The idle-sensor sweep removed a sensor from every store. */
    default void evicted(String sensorId) {
    }

    /** One slice of the idle-sensor sweep took {@code nanos} and examined {@code sensors} sensors. */
    default void evictionSlice(long nanos, int sensors) {
    }

    /** This instance now holds {@code delta} more (or fewer) sensors' state in its active tasks. */
    default void keysHeld(long delta) {
    }

    /** A record (event or control) was dead-lettered. */
    default void rejected(RejectReason reason) {
    }

    /** An at_least_once redelivery of an event its sensor already accepted was skipped. */
    default void redeliverySkipped() {
    }

    /** An event advanced its key's network and a forecast was emitted. */
    default void stepped(long nanos, long modelVersion) {
    }

    /** A forecast for {@code event} is about to be published. */
    default void published(SensorEvent event, Forecast forecast) {
    }

    /**
     * The key's previous horizon-1 forecast met the value it forecast.
     *
     * @param error      (actual - forecast) in units of the sensor's standard deviation
     * @param naiveError (actual - previous value), same units: the persistence baseline
     */
    default void scored(double error, double naiveError, long modelVersion) {
    }
}
