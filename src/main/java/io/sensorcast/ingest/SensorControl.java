package io.sensorcast.ingest;

import java.util.Arrays;

/**
 * One accepted control record.
 *
 * @param sensorId the sensor it is about (the record key)
 * @param action   what to do
 * @param original the record's original value bytes
 */
public record SensorControl(String sensorId, ControlAction action, byte[] original) implements SensorInput {

    @Override
    public boolean equals(Object o) {
        return o instanceof SensorControl c && sensorId.equals(c.sensorId) && action == c.action
                && Arrays.equals(original, c.original);
    }

    @Override
    public int hashCode() {
        return 31 * sensorId.hashCode() + action.hashCode();
    }

    @Override
    public String toString() {
        return "SensorControl[" + action.jsonName() + " " + sensorId + "]";
    }
}
