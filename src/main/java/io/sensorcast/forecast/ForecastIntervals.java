package io.sensorcast.forecast;

import io.sensorcast.config.ForecastSettings;
import io.sensorcast.recurrent.LaplaceHead;
import io.sensorcast.state.SensorState;

/**
 * Per sensor, horizon and channel, the forecast distribution around the published point forecast: a Laplace
 * distribution centred on the point, whose scale is the sensor's recent mean absolute error at that horizon (the
 * Laplace maximum-likelihood scale around a median), times a factor that keeps the 80 % interval's coverage at
 * 80 % (adaptive conformal inference: each miss widens it, each hit narrows it, so misses settle at one in five).
 *
 * <p>Quantile q is {@code point + scale x offset(q)}, offset the standard Laplace quantile; the offsets ascend
 * with q and the scale is never negative, so quantiles never cross. Stateless; what it learns lives in
 * {@link SensorState} and survives restarts with the sensor.
 */
final class ForecastIntervals {

    /** The interval whose coverage the scale factor tracks: between the 10 % and 90 % quantiles. */
    static final double COVERAGE = 0.8;
    /** Half-width of the central 80 % of a standard Laplace distribution: ln 5. */
    static final double HALF_WIDTH = offset(0.9);
    /** The factor stays within e^-4..e^4 of the learnt scale, so a long run of hits cannot collapse the band. */
    private static final double MAX_LOG = 4.0;
    /**
     * Scale before a horizon has seen an outcome, in units of the sensor's standard deviation times sqrt(k): wide
     * enough that a cold sensor's first intervals are not overconfident.
     */
    private static final double COLD_SCALE = 0.5;

    /** An error is learnt as at most this many learnt scales: a Laplace error exceeds it once in e^5, 150, events. */
    static final double OUTLIER = 5.0;
    /** Weight of outcomes (about this many) before errors are capped. */
    private static final double SETTLED_WEIGHT = 10.0;

    private final double[] offsets;
    private final double decay;
    private final double adaptation;

    ForecastIntervals(ForecastSettings settings) {
        double[] levels = settings.levels();
        this.offsets = new double[levels.length];
        for (int q = 0; q < levels.length; q++) {
            offsets[q] = offset(levels[q]);
        }
        this.decay = 1.0 - 1.0 / settings.intervalWindow();
        this.adaptation = settings.intervalAdaptation();
    }

    /** The standard Laplace quantile at level {@code q} in (0, 1). */
    static double offset(double q) {
        return LaplaceHead.quantileOffset(q);
    }

    int levels() {
        return offsets.length;
    }

    /**
     * Scores the distributions published at the sensor's last K steps against the event arriving as step
     * {@code n}: its value is the outcome of step n - k's horizon-k forecast.
     */
    void observe(SensorState state, long n, double[] values) {
        int horizon = state.horizon();
        int channels = state.channels();
        int size = horizon * channels;
        for (int k = 1; k <= horizon && n - k >= 1; k++) {
            int slot = (int) ((n - k) % horizon);
            for (int ch = 0; ch < channels; ch++) {
                int i = (k - 1) * channels + ch;
                double scale = state.recentSpreads[slot * size + i];
                double error = Math.abs(values[ch] - state.recentPoints[slot * size + i]);
                if (Double.isNaN(scale) || !Double.isFinite(error)) {
                    continue;
                }
                // An error far beyond the learnt scale (a spike, the step of a level shift) is learnt as at most
                // OUTLIER scales: it moves the scale a little, and the anomaly score, not the band, reports it.
                double weight = state.errorSpread[size + i];
                double learnt = weight > 0 ? state.errorSpread[i] / weight : Double.NaN;
                double learnFrom = weight >= SETTLED_WEIGHT && learnt > 0 ? Math.min(error, OUTLIER * learnt) : error;
                state.errorSpread[i] = decay * state.errorSpread[i] + learnFrom;
                state.errorSpread[size + i] = decay * weight + 1.0;
                // Persistence forecast the value at step n - k, still in the ring until this step's is written.
                double persistence = Math.abs(values[ch] - state.recentValues[slot * channels + ch]);
                if (Double.isFinite(persistence)) {
                    state.persistenceSpread[i] = decay * state.persistenceSpread[i] + persistence;
                }
                double miss = error > scale * HALF_WIDTH ? 1.0 : 0.0;
                state.intervalLog[i] = Math.max(-MAX_LOG, Math.min(MAX_LOG,
                        state.intervalLog[i] + adaptation * (miss - (1 - COVERAGE))));
            }
        }
    }

    /**
     * The Laplace scale (raw units) to publish for output {@code i} (horizon {@code k}, 1-based) of a channel whose
     * effective standard deviation is {@code std}.
     */
    double scale(SensorState state, int i, int k, double std) {
        int size = state.lastForecast.length;
        double weight = state.errorSpread[size + i];
        double learnt = weight > 0 ? state.errorSpread[i] / weight : COLD_SCALE * std * Math.sqrt(k);
        double scale = learnt * Math.exp(state.intervalLog[i]);
        return Double.isFinite(scale) ? scale : 0.0;
    }

    /** The Laplace scale to publish for output {@code i} given the network's own scale for it (raw units). */
    double scaled(SensorState state, int i, double networkScale) {
        double scale = networkScale * Math.exp(state.intervalLog[i]);
        return Double.isFinite(scale) ? scale : 0.0;
    }

    /** Writes every level's quantile of output {@code i} into {@code out[q * stride + i]}. */
    void quantiles(double point, double scale, double[] out, int stride, int i) {
        for (int q = 0; q < offsets.length; q++) {
            out[q * stride + i] = point + scale * offsets[q];
        }
    }

    /** Keeps step {@code n}'s published points and scales, to be scored as their outcomes arrive. */
    void remember(SensorState state, long n, double[] points, double[] scales) {
        int size = points.length;
        int slot = (int) (n % state.horizon());
        for (int i = 0; i < size; i++) {
            state.recentPoints[slot * size + i] = (float) points[i];
            state.recentSpreads[slot * size + i] = (float) scales[i];
        }
    }
}
