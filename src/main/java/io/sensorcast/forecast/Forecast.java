package io.sensorcast.forecast;

import java.util.Arrays;

/**
 * The forecast published for one accepted event: the next K values of every channel.
 *
 * @param sensorId          the sensor
 * @param timestampMs       the event's timestamp
 * @param step              the key's step number (1 for its first accepted event)
 * @param modelVersion      version of the model that produced it
 * @param horizonTimestamps expected timestamp of each of the K future values, from the observed cadence
 * @param values            forecast values, horizon-major: {@code values[k * channels + ch]}
 */
public record Forecast(String sensorId, long timestampMs, long step, long modelVersion,
                       long[] horizonTimestamps, double[] values) {

    public Forecast {
        horizonTimestamps = horizonTimestamps.clone();
        values = values.clone();
    }

    public int horizon() {
        return horizonTimestamps.length;
    }

    public int channels() {
        return values.length / horizonTimestamps.length;
    }

    /** Forecast of channel {@code ch} at horizon {@code k} (1-based). */
    public double value(int k, int ch) {
        return values[(k - 1) * channels() + ch];
    }

    @Override
    public long[] horizonTimestamps() {
        return horizonTimestamps.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Forecast f && sensorId.equals(f.sensorId) && timestampMs == f.timestampMs
                && step == f.step && modelVersion == f.modelVersion
                && Arrays.equals(horizonTimestamps, f.horizonTimestamps) && Arrays.equals(values, f.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new long[]{sensorId.hashCode(), timestampMs, step, modelVersion})
                * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Forecast[" + sensorId + " step " + step + " v" + modelVersion + " " + Arrays.toString(values) + "]";
    }
}
