package io.sensorcast.forecast;

import io.sensorcast.state.SensorState;

/**
 * Per sensor, horizon and channel, how much of the network's forecast change has lately come true; the
 * forecaster publishes the last value plus that share of the change.
 *
 * <p>The share is the least-squares slope through the origin of the realised change (value k steps later minus
 * the value then) on the network's forecast change, over the sensor's last {@code window} outcomes
 * (exponentially weighted), clipped to [0, 1]. On a sensor whose moves the network foresees it stays near 1; on
 * one where they are noise it falls towards 0, the forecast towards persistence. It never amplifies: a share
 * above 1 would chase the last few outcomes. This is forecast combination with persistence, learnt per sensor
 * online, the way the seasonal naive baselines are chosen per series in hindsight, but without hindsight.
 *
 * <p>Stateless; everything it remembers lives in {@link SensorState}, so it survives restarts with the sensor.
 */
final class ChangeCalibration {

    /** Outcomes a horizon needs before its share is trusted; until then the change is served unscaled. */
    static final int MIN_OUTCOMES = 20;

    private final boolean enabled;
    private final double decay;

    /** @param window events the sums remember (weight 1 - 1/window per event); 0 serves changes unscaled */
    ChangeCalibration(int window) {
        this.enabled = window > 0;
        this.decay = window > 0 ? 1.0 - 1.0 / window : 0.0;
    }

    /**
     * Scores the changes forecast at the sensor's last K steps for the event arriving as step {@code n}: its value
     * is the outcome of step n - k's horizon-k forecast.
     */
    void observe(SensorState state, long n, double[] values) {
        int horizon = state.horizon();
        int channels = state.channels();
        int size = horizon * channels;
        double[] sums = state.calibration;
        for (int k = 1; k <= horizon && n - k >= 1; k++) {
            int slot = (int) ((n - k) % horizon);
            for (int ch = 0; ch < channels; ch++) {
                int i = (k - 1) * channels + ch;
                double change = state.recentChanges[slot * size + i];
                double realised = values[ch] - state.recentValues[slot * channels + ch];
                if (!Double.isFinite(realised)) {
                    continue;
                }
                sums[i] = decay * sums[i] + change * realised;
                sums[size + i] = decay * sums[size + i] + change * change;
            }
        }
    }

    /** The share of the horizon-{@code k} (1-based) change of channel {@code ch} to serve at step {@code n}. */
    double share(SensorState state, long n, int k, int ch) {
        if (!enabled || n - k < MIN_OUTCOMES) {
            return 1.0;
        }
        int size = state.horizon() * state.channels();
        int i = (k - 1) * state.channels() + ch;
        double squares = state.calibration[size + i];
        if (!(squares > 0)) {
            return 1.0;
        }
        double slope = state.calibration[i] / squares;
        return Double.isFinite(slope) ? Math.max(0.0, Math.min(1.0, slope)) : 1.0;
    }

    /** Keeps step {@code n}'s network changes (horizon-major) and values, to be scored as their outcomes arrive. */
    void remember(SensorState state, long n, double[] changes, double[] values) {
        int horizon = state.horizon();
        int channels = state.channels();
        int size = horizon * channels;
        int slot = (int) (n % horizon);
        for (int i = 0; i < size; i++) {
            // A non-finite change was not served (the forecaster fell back to persistence); remember none.
            state.recentChanges[slot * size + i] = Double.isFinite(changes[i]) ? (float) changes[i] : 0f;
        }
        System.arraycopy(values, 0, state.recentValues, slot * channels, channels);
    }
}
