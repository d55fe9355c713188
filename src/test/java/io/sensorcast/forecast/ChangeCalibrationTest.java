package io.sensorcast.forecast;

import io.sensorcast.state.SensorState;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ChangeCalibrationTest {

    private static final int HORIZON = 3;

    private static SensorState state() {
        return new SensorState(1, new int[] {2}, false, HORIZON, 1, 0, new int[0]);
    }

    /**
     * Drives a sensor whose value moves by {@code realisedShare} times the change the network forecast one step
     * earlier (plus noise), with the network forecasting a random change every step; returns the horizon-1 share.
     */
    private static double shareAfter(ChangeCalibration calibration, SensorState state, int steps, double realisedShare,
                                     double noise, long seed) {
        Random random = new Random(seed);
        double value = 100;
        double[] changes = new double[HORIZON];
        double forecastChange = 0;
        for (long n = 1; n <= steps; n++) {
            value += realisedShare * forecastChange + noise * random.nextGaussian();
            calibration.observe(state, n, new double[] {value});
            forecastChange = random.nextGaussian();
            changes[0] = forecastChange;
            calibration.remember(state, n, changes, new double[] {value});
        }
        return calibration.share(state, steps, 1, 0);
    }

    @Test
    void theShareIsTheFractionOfForecastChangeThatCameTrue() {
        assertThat(shareAfter(new ChangeCalibration(100), state(), 2_000, 0.4, 0.01, 1)).isCloseTo(0.4, within(0.02));
        assertThat(shareAfter(new ChangeCalibration(100), state(), 2_000, 0.9, 0.01, 2)).isCloseTo(0.9, within(0.02));
    }

    @Test
    void forecastChangesThatNeverComeTrueAreServedAsPersistence() {
        assertThat(shareAfter(new ChangeCalibration(100), state(), 2_000, 0.0, 1.0, 3)).isLessThan(0.3);
        // Moves against the forecast clip at zero: the forecast is then exactly the last value.
        assertThat(shareAfter(new ChangeCalibration(100), state(), 2_000, -1.0, 0.01, 4)).isZero();
    }

    @Test
    void theShareNeverAmplifiesTheNetworksChange() {
        assertThat(shareAfter(new ChangeCalibration(100), state(), 2_000, 3.0, 0.01, 5)).isEqualTo(1.0);
    }

    @Test
    void changesAreServedUnscaledUntilEnoughOutcomesWereSeenOrWhenCalibrationIsOff() {
        SensorState young = state();
        ChangeCalibration calibration = new ChangeCalibration(100);
        shareAfter(calibration, young, ChangeCalibration.MIN_OUTCOMES, -1.0, 0.01, 6);
        assertThat(calibration.share(young, ChangeCalibration.MIN_OUTCOMES, 1, 0)).isEqualTo(1.0);
        assertThat(calibration.share(young, ChangeCalibration.MIN_OUTCOMES + 1, 1, 0)).isZero();

        assertThat(shareAfter(new ChangeCalibration(0), state(), 2_000, -1.0, 0.01, 7)).isEqualTo(1.0);
    }

    @Test
    void theShareFollowsASensorWhoseBehaviourChangesWithinAFewWindows() {
        SensorState state = state();
        ChangeCalibration calibration = new ChangeCalibration(50);
        shareAfter(calibration, state, 1_000, 0.0, 1.0, 8);
        // The same state, now on a sensor that does what the network says: the old outcomes fade.
        Random random = new Random(9);
        double value = 100;
        double forecastChange = 0;
        double[] changes = new double[HORIZON];
        for (long n = 1_001; n <= 1_300; n++) {
            value += forecastChange;
            calibration.observe(state, n, new double[] {value});
            forecastChange = random.nextGaussian();
            changes[0] = forecastChange;
            calibration.remember(state, n, changes, new double[] {value});
        }
        assertThat(calibration.share(state, 1_300, 1, 0)).isGreaterThan(0.95);
    }

    @Test
    void eachHorizonIsScoredAgainstTheValueThatStepsLater() {
        // The network foresees the value two steps ahead exactly and one step ahead not at all.
        SensorState state = state();
        ChangeCalibration calibration = new ChangeCalibration(100);
        Random random = new Random(10);
        double[] path = new double[600];
        for (int i = 1; i < path.length; i++) {
            path[i] = path[i - 1] + random.nextGaussian();
        }
        double[] changes = new double[HORIZON];
        for (int i = 0; i + 2 < path.length; i++) {
            long n = i + 1;
            calibration.observe(state, n, new double[] {path[i]});
            changes[0] = -(path[i + 1] - path[i]);
            changes[1] = path[i + 2] - path[i];
            changes[2] = 0;
            calibration.remember(state, n, changes, new double[] {path[i]});
        }
        long last = path.length - 2;
        assertThat(calibration.share(state, last, 1, 0)).isZero();
        assertThat(calibration.share(state, last, 2, 0)).isCloseTo(1.0, within(1e-6));
        // A horizon whose changes were all zero has nothing to judge by and is served as is.
        assertThat(calibration.share(state, last, 3, 0)).isEqualTo(1.0);
    }
}
