package io.sensorcast.forecast;

import io.sensorcast.config.ForecastSettings;
import io.sensorcast.state.SensorState;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ForecastIntervalsTest {

    private static final int HORIZON = 2;

    private static SensorState state() {
        return new SensorState(1, new int[] {2}, false, HORIZON, 1, 0, new int[0]);
    }

    private static ForecastIntervals intervals(int window, double adaptation, Double... levels) {
        return new ForecastIntervals(new ForecastSettings(List.of(levels), window, adaptation));
    }

    /**
     * Drives a sensor forecast as a constant 10 whose values are 10 plus noise from {@code noise}; returns the share
     * of the last {@code scored} horizon-1 actuals inside the published 80 % interval.
     */
    private static double coverageAfter(ForecastIntervals intervals, SensorState state, int steps, int scored,
                                        java.util.function.DoubleSupplier noise) {
        double[] points = {10, 10};
        double[] scales = new double[HORIZON];
        double[] quantiles = new double[3 * HORIZON];
        int inside = 0;
        double lo = Double.NaN;
        double hi = Double.NaN;
        for (long n = 1; n <= steps; n++) {
            double value = 10 + noise.getAsDouble();
            if (n > steps - scored) {
                inside += value >= lo && value <= hi ? 1 : 0;
            }
            intervals.observe(state, n, new double[] {value});
            for (int i = 0; i < HORIZON; i++) {
                scales[i] = intervals.scale(state, i, i + 1, 1.0);
                intervals.quantiles(points[i], scales[i], quantiles, HORIZON, i);
            }
            lo = quantiles[0];
            hi = quantiles[2 * HORIZON];
            intervals.remember(state, n, points, scales);
        }
        return (double) inside / scored;
    }

    @Test
    void theEightyPercentIntervalCoversEightyPercentOfLaplaceNoise() {
        Random random = new Random(1);
        double coverage = coverageAfter(intervals(100, 0.02, 0.1, 0.5, 0.9), state(), 30_000, 20_000,
                () -> laplace(random, 2.0));

        assertThat(coverage).isCloseTo(0.8, within(0.015));
    }

    @Test
    void adaptationKeepsCoverageAtEightyPercentWhereTheLaplaceShapeIsWrong() {
        Random gaussian = new Random(2);
        Random heavy = new Random(3);
        assertThat(coverageAfter(intervals(100, 0.02, 0.1, 0.5, 0.9), state(), 30_000, 20_000,
                () -> 3 * gaussian.nextGaussian())).isCloseTo(0.8, within(0.015));
        // Student-t with 2 degrees of freedom: no variance at all.
        assertThat(coverageAfter(intervals(100, 0.02, 0.1, 0.5, 0.9), state(), 30_000, 20_000,
                () -> heavy.nextGaussian() / Math.sqrt((square(heavy.nextGaussian()) + square(heavy.nextGaussian())) / 2)))
                .isCloseTo(0.8, within(0.015));
    }

    @Test
    void withoutAdaptationTheLaplaceScaleAloneGivesItsNominalCoverageOnLaplaceNoise() {
        Random random = new Random(4);
        // The mean absolute error is the Laplace scale, so ln 5 of it covers 80 %, up to the estimate's noise.
        assertThat(coverageAfter(intervals(1_000, 0.0, 0.1, 0.5, 0.9), state(), 30_000, 20_000,
                () -> laplace(random, 2.0))).isCloseTo(0.8, within(0.02));
    }

    @Test
    void aSensorWithoutOutcomesGetsIntervalsFromItsStandardDeviationWideningWithTheHorizon() {
        ForecastIntervals intervals = intervals(100, 0.02, 0.1, 0.5, 0.9);
        SensorState fresh = state();

        assertThat(intervals.scale(fresh, 0, 1, 4.0)).isEqualTo(2.0);
        assertThat(intervals.scale(fresh, 1, 2, 4.0)).isCloseTo(2.0 * Math.sqrt(2), within(1e-12));
    }

    @Test
    void theMedianIsThePointForecastAndTheLevelsAreLaplaceQuantiles() {
        double[] out = new double[3];
        intervals(100, 0.02, 0.1, 0.5, 0.9).quantiles(5.0, 2.0, out, 1, 0);

        assertThat(out[1]).isEqualTo(5.0);
        assertThat(out[0]).isCloseTo(5.0 - 2.0 * Math.log(5), within(1e-12));
        assertThat(out[2]).isCloseTo(5.0 + 2.0 * Math.log(5), within(1e-12));
    }

    @Property
    void quantilesNeverCross(@ForAll @Size(min = 1, max = 9) Set<@DoubleRange(min = 0.001, max = 0.999) @Scale(4) Double> drawn,
                             @ForAll @DoubleRange(min = -1e9, max = 1e9) double point,
                             @ForAll @DoubleRange(min = 0, max = 1e6) double scale) {
        TreeSet<Double> levels = new TreeSet<>(drawn);
        ForecastIntervals intervals = new ForecastIntervals(new ForecastSettings(List.copyOf(levels), 100, 0.02));
        double[] out = new double[levels.size()];

        intervals.quantiles(point, scale, out, 1, 0);

        for (int q = 1; q < out.length; q++) {
            assertThat(out[q]).as("level %d of %s", q, levels).isGreaterThanOrEqualTo(out[q - 1]);
        }
    }

    @Property
    void theLearntScaleIsNeverNegativeWhateverTheOutcomes(
            @ForAll @Size(min = 1, max = 200) List<@DoubleRange(min = -1e12, max = 1e12) Double> values) {
        ForecastIntervals intervals = intervals(10, 0.5, 0.1, 0.5, 0.9);
        SensorState state = state();
        double[] points = new double[HORIZON];
        double[] scales = new double[HORIZON];
        long n = 0;
        for (double v : values) {
            n++;
            intervals.observe(state, n, new double[] {v});
            for (int i = 0; i < HORIZON; i++) {
                points[i] = v;
                scales[i] = intervals.scale(state, i, i + 1, 1.0);
                assertThat(scales[i]).isGreaterThanOrEqualTo(0.0).isLessThan(Double.POSITIVE_INFINITY);
            }
            intervals.remember(state, n, points, scales);
        }
    }

    private static double laplace(Random random, double scale) {
        double u = random.nextDouble() - 0.5;
        return -scale * Math.signum(u) * Math.log(1 - 2 * Math.abs(u));
    }

    private static double square(double x) {
        return x * x;
    }

    @Test
    void persistencesErrorIsLearntOverTheSameOutcomesAndWeightsAsTheForecasts() {
        // A sensor climbing by 1 per step, forecast perfectly: the model's learnt error is 0, persistence's is the
        // climb over the horizon, k at horizon k, whatever the decay.
        ForecastIntervals intervals = intervals(10, 0.0, 0.1, 0.5, 0.9);
        SensorState state = state();
        double[] scales = {1, 1};
        for (long n = 1; n <= 200; n++) {
            double value = n;
            intervals.observe(state, n, new double[] {value});
            state.recentValues[(int) (n % HORIZON)] = value;
            intervals.remember(state, n, new double[] {value + 1, value + 2}, scales);
        }

        for (int k = 1; k <= HORIZON; k++) {
            double weight = state.errorSpread[HORIZON + k - 1];
            assertThat(state.errorSpread[k - 1] / weight).isCloseTo(0.0, within(1e-12));
            assertThat(state.persistenceSpread[k - 1] / weight).isCloseTo(k, within(1e-9));
        }
    }
}
