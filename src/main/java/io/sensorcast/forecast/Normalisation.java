package io.sensorcast.forecast;

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

    /** Back to the sensor's scale. */
    public static double denormalise(double z, double mean, double effectiveStd) {
        return mean + z * effectiveStd;
    }
}
