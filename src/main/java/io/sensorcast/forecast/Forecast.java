package io.sensorcast.forecast;

import io.sensorcast.anomaly.AnomalyScore;

import java.util.Arrays;

/**
 * The forecast published for one accepted event: the next K values of every channel, their quantiles, and how
 * surprising the event itself was under the forecast made for it one step earlier.
 *
 * @param sensorId          the sensor
 * @param timestampMs       the event's timestamp
 * @param step              the key's step number (1 for its first accepted event)
 * @param modelVersion      version of the model that produced it
 * @param horizonTimestamps expected timestamp of each of the K future values, from the observed cadence
 * @param values            point forecasts (the median), horizon-major: {@code values[k * channels + ch]}
 * @param quantileLevels    levels of the published quantiles, ascending; empty when none are published
 * @param quantiles         level-major: {@code quantiles[q * values.length + k * channels + ch]}
 * @param anomaly           the event's anomaly score ({@link AnomalyScore#UNSCORED} while the sensor is young)
 */
public record Forecast(String sensorId, long timestampMs, long step, long modelVersion,
                       long[] horizonTimestamps, double[] values, double[] quantileLevels, double[] quantiles,
                       AnomalyScore anomaly) {

    public Forecast {
        horizonTimestamps = horizonTimestamps.clone();
        values = values.clone();
        quantileLevels = quantileLevels.clone();
        quantiles = quantiles.clone();
        if (quantiles.length != quantileLevels.length * values.length) {
            throw new IllegalArgumentException(quantiles.length + " quantiles for " + quantileLevels.length
                    + " levels of " + values.length + " values");
        }
    }

    /** A point forecast without quantiles or anomaly score (what a record of the first format carries). */
    public Forecast(String sensorId, long timestampMs, long step, long modelVersion, long[] horizonTimestamps,
                    double[] values) {
        this(sensorId, timestampMs, step, modelVersion, horizonTimestamps, values, new double[0], new double[0],
                AnomalyScore.UNSCORED);
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

    /** Quantile {@code q} (index into the levels) of channel {@code ch} at horizon {@code k} (1-based). */
    public double quantile(int q, int k, int ch) {
        return quantiles[q * values.length + (k - 1) * channels() + ch];
    }

    @Override
    public double[] quantileLevels() {
        return quantileLevels.clone();
    }

    @Override
    public double[] quantiles() {
        return quantiles.clone();
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
                && Arrays.equals(horizonTimestamps, f.horizonTimestamps) && Arrays.equals(values, f.values)
                && Arrays.equals(quantileLevels, f.quantileLevels) && Arrays.equals(quantiles, f.quantiles)
                && anomaly.equals(f.anomaly);
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
