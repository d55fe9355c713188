package io.sensorcast.replay;

import org.apache.commons.math3.special.Erf;

/**
 * The anomaly baseline NAB calls windowed Gaussian: each value's score is how far it lies from the mean of the
 * previous {@code window} raw values, in their standard deviations, as 1 minus the two-sided Gaussian tail
 * probability (0 at the mean, towards 1 far from it). No forecast, no seasons: what a rolling z-score alert does.
 */
public final class RollingZScore {

    /** NAB's windowed Gaussian detector's window. */
    public static final int WINDOW = 1000;

    private RollingZScore() {
    }

    /** The score of every value of {@code values}; the first scores 0. */
    public static double[] scores(double[] values, int window) {
        double[] out = new double[values.length];
        // Sums of values shifted by the first one, so a large level does not swamp a small spread; they are summed
        // afresh every window values so rounding cannot build up over a long series.
        double shift = values.length == 0 ? 0 : values[0];
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < values.length; i++) {
            int n = Math.min(i, window);
            if (n > 0) {
                double mean = sum / n;
                double std = Math.sqrt(Math.max(0, squares / n - mean * mean));
                std = std == 0 ? 1e-6 : std;
                out[i] = Erf.erf(Math.abs(values[i] - shift - mean) / std / Math.sqrt(2));
            }
            double v = values[i] - shift;
            sum += v;
            squares += v * v;
            if (i >= window) {
                double old = values[i - window] - shift;
                sum -= old;
                squares -= old * old;
            }
            if ((i + 1) % window == 0) {
                sum = 0;
                squares = 0;
                for (int j = Math.max(0, i + 1 - window); j <= i; j++) {
                    sum += values[j] - shift;
                    squares += (values[j] - shift) * (values[j] - shift);
                }
            }
        }
        return out;
    }
}
