package io.sensorcast.forecast;

import io.sensorcast.state.SensorState;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class NormalisationTest {

    private static SensorState oneChannel() {
        return new SensorState(1, new int[] {2}, false, 1, 1, 0, new int[0]);
    }

    /** Feeds {@code count} values, counting on from {@code state.step}, as the forecaster does. */
    private static void feed(SensorState state, double alpha, int count, java.util.function.IntToDoubleFunction value) {
        for (int i = 0; i < count; i++) {
            state.step++;
            Normalisation.update(state, 0, value.applyAsDouble(i), state.step, alpha);
        }
    }

    @Test
    void whileYoungTheStatisticsAreTheExactRunningMeanAndPopulationVariance() {
        SensorState state = oneChannel();
        SplittableRandom random = new SplittableRandom(3);
        double[] values = new double[100];
        for (int i = 0; i < values.length; i++) {
            values[i] = 50 + random.nextDouble(-4, 4);
        }
        double alpha = 0.01;
        for (int n = 1; n <= values.length; n++) {
            double returned = Normalisation.update(state, 0, values[n - 1], n, alpha);
            assertThat(returned).as("no clipping of ordinary values").isEqualTo(values[n - 1]);
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += values[i];
            }
            mean /= n;
            double variance = 0;
            for (int i = 0; i < n; i++) {
                variance += (values[i] - mean) * (values[i] - mean);
            }
            variance /= n;
            assertThat(state.mean[0]).as("mean after %d", n).isCloseTo(mean, within(1e-10));
            assertThat(state.variance[0]).as("variance after %d", n).isCloseTo(variance, within(1e-10));
        }
    }

    @Test
    void onceOneOverNReachesAlphaEachValueWeighsAlpha() {
        SensorState state = oneChannel();
        double alpha = 0.01;
        feed(state, alpha, 100, i -> i % 2 == 0 ? 9 : 11);
        double mean = state.mean[0];
        double variance = state.variance[0];

        Normalisation.update(state, 0, 12, 101, alpha);

        double delta = 12 - mean;
        assertThat(state.mean[0]).isCloseTo(mean + alpha * delta, within(1e-12));
        assertThat(state.variance[0]).isCloseTo((1 - alpha) * (variance + alpha * delta * delta), within(1e-12));
    }

    @Test
    void afterALevelShiftTheMeanFollowsTheNewLevel() {
        SensorState state = oneChannel();
        SplittableRandom random = new SplittableRandom(7);
        double alpha = 0.01;
        feed(state, alpha, 2_000, i -> random.nextGaussian());
        assertThat(state.mean[0]).isCloseTo(0, within(0.5));

        // A shift of 100 standard deviations: each reading is clipped to 8 effective std of the mean, yet
        // the statistics widen and follow. A never-forgetting mean would be at 100 * 1000 / 3000 = 33.
        feed(state, alpha, 1_000, i -> 100 + random.nextGaussian());

        assertThat(state.mean[0]).isCloseTo(100, within(1.0));
        double z = Normalisation.normalise(100, state.mean[0], Normalisation.effectiveStd(state.std(0), state.mean[0]));
        assertThat(Math.abs(z)).as("the new level no longer saturates the inputs").isLessThan(2);
    }

    @Test
    void oneHugeOutlierAfterWarmUpMovesTheMeanByAtMostEightStdAndLaterReadingsStayInformative() {
        SensorState state = oneChannel();
        SplittableRandom random = new SplittableRandom(13);
        double alpha = 0.002;
        feed(state, alpha, 1_000, i -> 20 + random.nextGaussian());
        double meanBefore = state.mean[0];
        double stdBefore = state.std(0);

        state.step++;
        double entered = Normalisation.update(state, 0, 1e12, state.step, alpha);

        assertThat(entered).isCloseTo(meanBefore + Normalisation.CLIP * stdBefore, within(1e-9));
        assertThat(Math.abs(state.mean[0] - meanBefore)).isLessThanOrEqualTo(Normalisation.CLIP * stdBefore);
        assertThat(state.std(0)).as("the spread grows a little, not to 1e12's scale").isLessThan(2 * stdBefore);

        for (int i = 0; i < 100; i++) {
            double reading = 20 + random.nextGaussian();
            state.step++;
            Normalisation.update(state, 0, reading, state.step, alpha);
            double std = Normalisation.effectiveStd(state.std(0), state.mean[0]);
            double z = Normalisation.normalise(reading, state.mean[0], std);
            assertThat(Math.abs(z)).as("reading %d normalises to a moderate value", i).isLessThan(5);
            // Readings a standard deviation apart still normalise about one apart (not all to the same value).
            double spread = Normalisation.normalise(21, state.mean[0], std) - Normalisation.normalise(19, state.mean[0], std);
            assertThat(spread).isGreaterThan(1.5);
        }
    }

    @Test
    void duringWarmUpNothingIsClipped() {
        SensorState state = oneChannel();
        feed(state, 0.002, 10, i -> 1.0 + (i % 2) * 0.01);

        state.step++;
        double entered = Normalisation.update(state, 0, 1e6, state.step, 0.002);

        assertThat(entered).isEqualTo(1e6);
    }

    @Test
    void effectiveStdHasAScaleRelativeFloorAndNormaliseClips() {
        assertThat(Normalisation.effectiveStd(0, 0)).isEqualTo(1e-6);
        assertThat(Normalisation.effectiveStd(0, 5000)).isCloseTo(5 + 1e-6, within(1e-12));
        assertThat(Normalisation.effectiveStd(30, 5000)).isEqualTo(30.0);
        assertThat(Normalisation.normalise(1e9, 0, 1)).isEqualTo(Normalisation.CLIP);
        assertThat(Normalisation.normalise(-1e9, 0, 1)).isEqualTo(-Normalisation.CLIP);
        assertThat(Normalisation.denormalise(Normalisation.normalise(13, 10, 2), 10, 2)).isEqualTo(13.0);
    }
}
