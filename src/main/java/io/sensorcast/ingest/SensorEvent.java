package io.sensorcast.ingest;

import java.util.Arrays;

/**
 * One accepted sensor reading: the sensor, its event time and one value per configured channel.
 *
 * @param sensorId    the sensor (the record key)
 * @param timestampMs event time, epoch milliseconds
 * @param values      one finite value per channel, in the pipeline's channel order
 * @param original    the record's original value bytes, kept so a later stage can dead-letter it unchanged
 */
public record SensorEvent(String sensorId, long timestampMs, double[] values, byte[] original) implements SensorInput {

    public SensorEvent {
        values = values.clone();
    }

    /** The value of channel {@code i}. */
    public double value(int i) {
        return values[i];
    }

    public int channelCount() {
        return values.length;
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SensorEvent e && sensorId.equals(e.sensorId) && timestampMs == e.timestampMs
                && Arrays.equals(values, e.values) && Arrays.equals(original, e.original);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * sensorId.hashCode() + Long.hashCode(timestampMs)) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "SensorEvent[" + sensorId + " @" + timestampMs + " " + Arrays.toString(values) + "]";
    }
}
