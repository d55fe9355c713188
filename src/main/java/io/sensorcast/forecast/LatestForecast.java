package io.sensorcast.forecast;

import io.sensorcast.anomaly.AnomalyScore;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.ingest.EventParser;
import io.sensorcast.state.SensorState;

import java.util.Optional;

/**
 * The forecast a sensor's last accepted event published, as its state still holds it: the point forecast, and the
 * distribution's scale per horizon and channel from which the quantiles follow exactly as they were published. The
 * state keeps them as 32-bit floats, so values agree with the forecast topic's to about seven significant digits.
 * The anomaly score is not kept and is left out.
 */
public final class LatestForecast {

    private final int channels;
    private final int horizon;
    private final double[] levels;
    private final double[] offsets;
    private final long defaultCadenceMs;

    public LatestForecast(PipelineConfig config) {
        this.channels = config.channels().size();
        this.horizon = config.horizon();
        this.levels = config.forecast().levels();
        this.offsets = new double[levels.length];
        for (int q = 0; q < levels.length; q++) {
            offsets[q] = ForecastIntervals.offset(levels[q]);
        }
        this.defaultCadenceMs = Math.round(config.features().defaultCadenceSeconds() * 1000);
    }

    /** The sensor's latest forecast, or empty before its first or when the state has another shape than the pipeline. */
    public Optional<Forecast> of(String sensorId, SensorState state) {
        int size = horizon * channels;
        if (!state.hasForecast() || state.channels() != channels || state.lastForecast.length != size) {
            return Optional.empty();
        }
        long n = state.step;
        int slot = (int) (n % horizon);
        double[] values = new double[size];
        double[] quantiles = new double[levels.length * size];
        for (int i = 0; i < size; i++) {
            // The float's shortest decimal (16.043577, not 16.043577194213867): no digits the state does not hold.
            values[i] = Double.parseDouble(Float.toString(state.lastForecast[i]));
            float scale = state.recentSpreads[slot * size + i];
            // The distribution is centred on the point the ring kept for step n, the same value as lastForecast.
            double point = state.recentPoints[slot * size + i];
            for (int q = 0; q < levels.length; q++) {
                quantiles[q * size + i] = Float.isNaN(scale) ? Double.NaN : point + scale * offsets[q];
            }
        }
        long cadence = state.cadenceMs > 0 ? Math.round(state.cadenceMs) : defaultCadenceMs;
        long[] horizonTs = new long[horizon];
        for (int k = 0; k < horizon; k++) {
            horizonTs[k] = Math.min(state.lastTimestampMs + (k + 1) * cadence, EventParser.MAX_TIMESTAMP_MS);
        }
        return Optional.of(new Forecast(sensorId, state.lastTimestampMs, n, state.modelVersion, horizonTs, values,
                levels, quantiles, AnomalyScore.UNSCORED));
    }
}
