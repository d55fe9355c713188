package io.sensorcast.forecast;

import io.sensorcast.state.SensorState;

/**
 * Per-channel scaling shared by serving and training, so sensors of any scale share one model.
 * Values are centred on the key's running mean and divided by its running standard deviation,
 * floored so a stuck sensor (zero variance) does not blow its inputs up, then clipped.
 */
public final class Normalisation {

    /** Normalised inputs and targets are clipped to this many standard deviations. */
    public static final double CLIP = 8.0;

    private Normalisation() {
    }

    /** The standard deviation actually divided by: never below a small, scale-relative floor. */
    public static double effectiveStd(double std, double mean) {
        double floor = 1e-6 + 1e-3 * Math.abs(mean);
        return Math.max(std, floor);
    }

    /** {@code (value - mean) / std}, clipped to [-CLIP, CLIP]. */
    public static double normalise(double value, double mean, double effectiveStd) {
        double z = (value - mean) / effectiveStd;
        return z > CLIP ? CLIP : (z < -CLIP ? -CLIP : z);
    }

    /** Events before statistics are trusted to clip an outlier. */
    static final long OUTLIER_WARMUP = 32;

    /**
     * Updates channel {@code ch}'s mean and variance with the {@code n}-th value: the exact running mean and
     * (population) variance while {@code 1/n > alpha}, an exponentially weighted one with weight {@code alpha}
     * after, so the statistics follow a sensor whose level moves. Once warmed up, the value is first clipped to
     * {@value #CLIP} standard deviations of the mean, so one wild reading cannot poison the statistics; a real
     * level shift still moves them, by at most that much per event.
     *
     * @return the value as it entered the statistics (clipped)
     */
    public static double update(SensorState state, int ch, double value, long n, double alpha) {
        double mean = state.mean[ch];
        double std = Math.sqrt(state.variance[ch]);
        double v = value;
        if (n > OUTLIER_WARMUP) {
            double limit = CLIP * effectiveStd(std, mean);
            v = Math.max(mean - limit, Math.min(mean + limit, v));
        }
        double w = Math.max(1.0 / n, alpha);
        double delta = v - mean;
        state.mean[ch] = mean + w * delta;
        state.variance[ch] = (1 - w) * (state.variance[ch] + w * delta * delta);
        return v;
    }

    /** {@code z} clipped to [-CLIP, CLIP]. */
    public static double clip(double z) {
        return z > CLIP ? CLIP : (z < -CLIP ? -CLIP : z);
    }

    /** Back to the sensor's scale. */
    public static double denormalise(double z, double mean, double effectiveStd) {
        return mean + z * effectiveStd;
    }
}
