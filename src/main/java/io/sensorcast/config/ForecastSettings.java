package io.sensorcast.config;

import java.util.List;

/**
 * The forecast distribution around each point forecast.
 *
 * @param quantiles          levels in (0, 1), ascending, published for every horizon and channel
 * @param intervalWindow     events over which each sensor learns the spread of its errors (exponential weight)
 * @param intervalAdaptation step of the per-sensor interval scale that keeps the 80 % interval's coverage at 80 %
 */
public record ForecastSettings(List<Double> quantiles, int intervalWindow, double intervalAdaptation) {

    public static final ForecastSettings DEFAULTS = PipelineConfigLoader.defaults("forecast", ForecastSettings.class);

    public ForecastSettings {
        quantiles = List.copyOf(quantiles);
    }

    /** The levels as an array, ascending. */
    public double[] levels() {
        return quantiles.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
