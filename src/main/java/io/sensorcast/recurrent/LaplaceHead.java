package io.sensorcast.recurrent;

/**
 * The distribution head's link from a raw network output to a Laplace scale, shared by the training loss and the
 * serving path so both read the same scale from the same output.
 */
public final class LaplaceHead {

    /** The least scale, in normalised units: keeps the negative log-likelihood finite on a perfect fit. */
    public static final double MIN_SCALE = 1e-3;

    private LaplaceHead() {
    }

    /** The standard Laplace distribution's quantile at level {@code q} in (0, 1): {@code ln 5} at 0.9. */
    public static double quantileOffset(double q) {
        return q < 0.5 ? Math.log(2 * q) : -Math.log(2 * (1 - q));
    }

    /** {@code MIN_SCALE + softplus(raw)}, computed without overflow for any finite {@code raw}. */
    public static double scale(double raw) {
        return MIN_SCALE + Math.max(raw, 0.0) + Math.log1p(Math.exp(-Math.abs(raw)));
    }
}
