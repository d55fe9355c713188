package io.sensorcast.anomaly;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.SensorForecaster;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.model.ServingModel;
import io.sensorcast.recurrent.NetworkWeights;
import io.sensorcast.state.SensorState;
import io.sensorcast.state.SensorStateCodec;
import io.sensorcast.testing.TestModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AnomalyLikelihoodTest {

    private static final long T0 = 1_763_800_000_000L;
    private static final long MINUTE = 60_000L;

    private final PipelineConfig config = PipelineConfigLoader.parse("horizon: 3\nmodel: {layers: [8]}");
    /** A network whose output is zero: every forecast is persistence, so the tests see the scoring alone. */
    private final ServingModel persistence = new ServingModel(1, NetworkWeights.zeros(ModelShapes.specOf(config)),
            TestModels.metadata(config, 1));

    private List<Forecast> run(int events, IntToDoubleFunction value) {
        SensorForecaster f = new SensorForecaster(config, ModelShapes.specOf(config), StepListener.NONE);
        SensorState state = f.newState();
        List<Forecast> out = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            out.add(f.advance(state, new SensorEvent("s", T0 + i * MINUTE, new double[] {value.applyAsDouble(i)},
                    new byte[0]), persistence));
        }
        return out;
    }

    /** The state of a sensor that has shown {@code events} values of unit Gaussian noise around 50. */
    private SensorState afterNoise(int events, long seed) {
        SensorForecaster f = new SensorForecaster(config, ModelShapes.specOf(config), StepListener.NONE);
        SensorState state = f.newState();
        double[] noise = noise(events, seed);
        for (int i = 0; i < events; i++) {
            f.advance(state, new SensorEvent("s", T0 + i * MINUTE, new double[] {50 + noise[i]}, new byte[0]),
                    persistence);
        }
        return state;
    }

    private static double[] noise(int n, long seed) {
        Random random = new Random(seed);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextGaussian();
        }
        return out;
    }

    private static List<Integer> flagged(List<Forecast> forecasts) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < forecasts.size(); i++) {
            if (forecasts.get(i).anomaly().anomaly()) {
                out.add(i);
            }
        }
        return out;
    }

    @Test
    void aSpikeIsFlaggedOnceAtItsOwnEvent() {
        double[] noise = noise(3_000, 1);
        List<Forecast> out = run(3_000, i -> 50 + noise[i] + (i == 2_000 ? 25 : 0));

        assertThat(flagged(out)).containsExactly(2_000);
        AnomalyScore spike = out.get(2_000).anomaly();
        // Below 1 only by the refractory discount of the noise's own recent peaks.
        assertThat(spike.score()).isGreaterThan(0.85);
        assertThat(spike.severity()).isEqualTo("high");
        assertThat(spike.reason()).isEqualTo("above");
        assertThat(spike.channel()).isZero();
        assertThat(spike.actual()).isCloseTo(75 + noise[2_000], within(1e-9));
        assertThat(spike.expected()).isCloseTo(50 + noise[1_999], within(1e-6));
        assertThat(spike.lower()).isLessThan(spike.expected());
        assertThat(spike.upper()).isGreaterThan(spike.expected()).isLessThan(spike.actual());
    }

    @Test
    void aLevelShiftIsFlaggedOnceAndTheNewLevelIsLearnt() {
        double[] noise = noise(5_000, 2);
        List<Forecast> out = run(5_000, i -> 50 + noise[i] + (i >= 2_000 ? 30 : 0));

        assertThat(flagged(out)).containsExactly(2_000);
        // A few hundred events on, the new level is no surprise: scores are back where they were before the shift.
        double before = out.subList(1_500, 2_000).stream().mapToDouble(f -> f.anomaly().score()).max().orElseThrow();
        double after = out.subList(2_500, 5_000).stream().mapToDouble(f -> f.anomaly().score()).max().orElseThrow();
        assertThat(after).isLessThan(0.5).isLessThan(before + 0.2);
    }

    @Test
    void aSecondSpikeSoonAfterAFlaggedOneScoresLowerThanTheSameSpikeLongAfter() {
        double[] noise = noise(4_000, 5);
        List<Forecast> soon = run(4_000, i -> 50 + noise[i] + (i == 2_000 || i == 2_010 ? 25 : 0));
        List<Forecast> late = run(4_000, i -> 50 + noise[i] + (i == 2_000 || i == 3_000 ? 25 : 0));

        // Ten events on, the incident's peak still discounts the evidence; a thousand events on it has decayed.
        assertThat(soon.get(2_010).anomaly().score()).isLessThan(0.5 * late.get(3_000).anomaly().score());
        assertThat(late.get(3_000).anomaly().anomaly()).isTrue();
        assertThat(flagged(soon)).containsExactly(2_000);
    }

    @Test
    void plainNoiseIsRarelyFlagged() {
        double[] noise = noise(20_000, 3);
        List<Forecast> out = run(20_000, i -> 50 + noise[i]);

        assertThat(flagged(out).size()).isLessThanOrEqualTo(2);
    }

    @Test
    void aYoungSensorIsNotScored() {
        double[] noise = noise(200, 4);
        List<Forecast> out = run(200, i -> 50 + noise[i] + (i == 50 ? 100 : 0));

        assertThat(out.subList(0, 100)).allMatch(f -> !f.anomaly().scored());
        assertThat(out.get(150).anomaly().scored()).isTrue();
    }

    @Test
    void surpriseIsTheLaplaceNegativeLogTailProbability() {
        assertThat(AnomalyLikelihood.surprise(-6.0, 2.0)).isEqualTo(3.0);
        assertThat(AnomalyLikelihood.surprise(0.0, 0.0)).isZero();
        assertThat(AnomalyLikelihood.surprise(1.0, 0.0)).isEqualTo(AnomalyLikelihood.MAX_SURPRISE);
        assertThat(AnomalyLikelihood.surprise(1e9, 1.0)).isEqualTo(AnomalyLikelihood.MAX_SURPRISE);
    }

    @Test
    void scoresAreNumentasLogScaledLikelihood() {
        assertThat(AnomalyLikelihood.logScaled(1.0)).isCloseTo(0.0, within(1e-9));
        assertThat(AnomalyLikelihood.logScaled(1e-5)).isCloseTo(0.5, within(1e-4));
        assertThat(AnomalyLikelihood.logScaled(0.0)).isEqualTo(1.0);
    }

    @Test
    void severityIsByThirdsAboveTheThreshold() {
        assertThat(AnomalyScore.severity(0.49, 0.5)).isEqualTo("none");
        assertThat(AnomalyScore.severity(0.5, 0.5)).isEqualTo("low");
        assertThat(AnomalyScore.severity(0.7, 0.5)).isEqualTo("medium");
        assertThat(AnomalyScore.severity(0.9, 0.5)).isEqualTo("high");
    }

    @Test
    void aValueBeyondTheSensorsRangeScoresHigherThanTheSameSurpriseWithinIt() {
        SensorState state = afterNoise(2_000, 5);
        // The same sensor, once as it is (range about 47..53) and once as if it had recently reached 100: the same
        // value surprises both forecasts alike, but only in the first is it beyond anything the sensor has shown.
        SensorStateCodec codec = new SensorStateCodec();
        SensorState wide = codec.decode(codec.encode(state));
        wide.level[2] = 100;
        AnomalyLikelihood likelihood = new AnomalyLikelihood(config.anomaly());
        double value = state.lastValues[0] + 4;

        AnomalyScore beyond = likelihood.score(state, state.step + 1, new double[] {value});
        AnomalyScore within = likelihood.score(wide, wide.step + 1, new double[] {value});

        assertThat(beyond.surprise()).isEqualTo(within.surprise());
        assertThat(within.score()).isGreaterThan(0.0);
        assertThat(beyond.score()).isGreaterThan(within.score() + 0.05);
    }

    @Test
    void noveltyIsTheDistanceBeyondTheRangeInMeanAbsoluteDeviations() {
        // mean 50, mean absolute deviation 2, range 45..55
        double[] level = {50, 2, 55, 45};

        assertThat(AnomalyLikelihood.novelty(level, 0, 54)).isZero();
        assertThat(AnomalyLikelihood.novelty(level, 0, 61)).isEqualTo(3.0);
        assertThat(AnomalyLikelihood.novelty(level, 0, 41)).isEqualTo(2.0);
        assertThat(AnomalyLikelihood.novelty(level, 0, 1e12)).isEqualTo(AnomalyLikelihood.MAX_SURPRISE);
        assertThat(AnomalyLikelihood.novelty(new double[] {50, 0, 50, 50}, 0, 60)).as("no spread yet").isZero();
        assertThat(AnomalyLikelihood.novelty(level, 0, Double.NaN)).isZero();
    }

    @Test
    void aLevelShiftIsNovelOnceBecauseItsFirstValueWidensTheRange() {
        SensorForecaster f = new SensorForecaster(config, ModelShapes.specOf(config), StepListener.NONE);
        SensorState state = f.newState();
        double[] noise = noise(2_100, 6);
        for (int i = 0; i < 2_100; i++) {
            double value = 50 + noise[i] + (i >= 2_000 ? 30 : 0);
            double novelty = AnomalyLikelihood.novelty(state.level, 0, value);
            if (i == 2_000) {
                assertThat(novelty).isGreaterThan(30);
            } else if (i > 2_000) {
                // Only the noise at the new level's top edge is still a little beyond the range.
                assertThat(novelty).as("event %d", i).isLessThan(8);
            }
            f.advance(state, new SensorEvent("s", T0 + i * MINUTE, new double[] {value}, new byte[0]), persistence);
        }
    }

    @Test
    void levelExcessIsTheDistanceFromTheLongRunMeanBeyondTheMarginInMeanAbsoluteDeviations() {
        // mean 50, mean absolute deviation 2, range 45..55
        double[] level = {50, 2, 55, 45};

        assertThat(AnomalyLikelihood.levelExcess(level, 0, 61)).as("5.5 deviations: within the margin").isZero();
        assertThat(AnomalyLikelihood.levelExcess(level, 0, 66)).isEqualTo(8.0 - AnomalyLikelihood.LEVEL_MARGIN);
        assertThat(AnomalyLikelihood.levelExcess(level, 0, 30)).isEqualTo(10.0 - AnomalyLikelihood.LEVEL_MARGIN);
        assertThat(AnomalyLikelihood.levelExcess(level, 0, 1e12))
                .isEqualTo(AnomalyLikelihood.MAX_SURPRISE - AnomalyLikelihood.LEVEL_MARGIN);
        assertThat(AnomalyLikelihood.levelExcess(new double[] {50, 0, 50, 50}, 0, 90)).as("no spread yet").isZero();
        assertThat(AnomalyLikelihood.levelExcess(level, 0, Double.NaN)).isZero();
    }

    @Test
    void aValueFarFromTheSensorsUsualLevelScoresHigherThanTheSameSurpriseNearIt() {
        SensorState state = afterNoise(2_000, 7);
        // Two copies whose recent range is wide (0..100), so the value is novel to neither; in one the long-run mean
        // is the sensor's own (about 50), in the other the value itself. The forecasts judge the value alike.
        SensorStateCodec codec = new SensorStateCodec();
        SensorState far = codec.decode(codec.encode(state));
        SensorState near = codec.decode(codec.encode(state));
        double value = state.lastValues[0] + 12;
        for (SensorState s : List.of(far, near)) {
            s.level[2] = 100;
            s.level[3] = 0;
        }
        near.level[0] = value;
        AnomalyLikelihood likelihood = new AnomalyLikelihood(config.anomaly());

        AnomalyScore farScore = likelihood.score(far, far.step + 1, new double[] {value});
        AnomalyScore nearScore = likelihood.score(near, near.step + 1, new double[] {value});

        assertThat(farScore.surprise()).isEqualTo(nearScore.surprise());
        assertThat(farScore.score()).isGreaterThan(nearScore.score() + 0.1);
    }

    @Test
    void levelShiftEvidenceFadesOnceTheLongRunLevelHasTakenTheShiftIn() {
        SensorForecaster f = new SensorForecaster(config, ModelShapes.specOf(config), StepListener.NONE);
        SensorState state = f.newState();
        double[] noise = noise(4_000, 8);
        int lastFar = -1;
        for (int i = 0; i < 4_000; i++) {
            double value = 50 + noise[i] + (i >= 2_000 ? 30 : 0);
            if (AnomalyLikelihood.levelExcess(state.level, 0, value) > 0) {
                lastFar = i;
            }
            f.advance(state, new SensorEvent("s", T0 + i * MINUTE, new double[] {value}, new byte[0]), persistence);
        }
        // A shift of about 37 mean absolute deviations: the mean and the deviation take it in within 150-odd events.
        assertThat(lastFar).isBetween(2_050, 2_250);
    }
}
