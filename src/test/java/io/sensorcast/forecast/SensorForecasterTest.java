package io.sensorcast.forecast;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SensorForecasterTest {

    private static final long T0 = 1_763_800_000_000L;
    private static final long FIVE_MIN = 300_000L;

    private final PipelineConfig config = PipelineConfigLoader.parse("horizon: 4\nmodel: {layers: [12, 8], replayWindow: 64}");
    /**
     * The same without change calibration: tests of the network's own forecasts compare runs whose calibration
     * histories differ (another model, another scale rounding), and a share near a clip boundary magnifies that.
     */
    private final PipelineConfig uncalibrated = PipelineConfigLoader.parse(
            "horizon: 4\nmodel: {layers: [12, 8], replayWindow: 64, calibrationWindow: 0}");
    private final ServingModel modelA = TestModels.servingModel(config, 1, 11);
    private final ServingModel modelB = TestModels.servingModel(config, 2, 22);

    private static SensorEvent event(long ts, double v) {
        return new SensorEvent("s", ts, new double[]{v}, new byte[0]);
    }

    private static double signal(int i) {
        return 10 + 3 * Math.sin(i / 5.0) + 0.5 * Math.cos(i / 1.7);
    }

    private List<Forecast> run(SensorForecaster f, SensorState state, ServingModel model, int from, int to,
                               double scale, double shift) {
        List<Forecast> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(f.advance(state, event(T0 + i * FIVE_MIN, shift + scale * signal(i)), model));
        }
        return out;
    }

    @Test
    void forecastsFollowTheSensorsScaleBecauseInputsAreNormalisedPerKey() {
        SensorForecaster f = new SensorForecaster(uncalibrated, ModelShapes.specOf(config), StepListener.NONE);
        List<Forecast> small = run(f, f.newState(), modelA, 0, 60, 1, 0);
        List<Forecast> large = run(f, f.newState(), modelA, 0, 60, 1000, 50_000);
        for (int i = 5; i < 60; i++) {
            for (int k = 1; k <= 4; k++) {
                assertThat(large.get(i).value(k, 0))
                        .isCloseTo(50_000 + 1000 * small.get(i).value(k, 0), within(1e-2));
            }
        }
    }

    @Test
    void stepCountsAndTimestampsAdvanceWithTheObservedCadence() {
        SensorForecaster f = new SensorForecaster(config, ModelShapes.specOf(config), StepListener.NONE);
        SensorState state = f.newState();
        List<Forecast> out = run(f, state, modelA, 0, 10, 1, 0);
        assertThat(out).extracting(Forecast::step).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        Forecast last = out.get(9);
        assertThat(last.horizonTimestamps()).containsExactly(T0 + 10 * FIVE_MIN, T0 + 11 * FIVE_MIN,
                T0 + 12 * FIVE_MIN, T0 + 13 * FIVE_MIN);
        // Before any gap is seen the configured default cadence spaces the forecasts.
        assertThat(out.get(0).horizonTimestamps()[0]).isEqualTo(T0 + 300_000L);
        assertThat(state.lastTimestampMs).isEqualTo(T0 + 9 * FIVE_MIN);
        assertThat(state.cadenceMs).isEqualTo(FIVE_MIN, within(1e-6));
    }

    @Test
    void firstEventAfterASwapForecastsAsIfTheNewModelHadServedTheWholeReplayWindow() {
        SensorForecaster f = new SensorForecaster(uncalibrated, ModelShapes.specOf(config), StepListener.NONE);
        SensorState swapped = f.newState();
        run(f, swapped, modelA, 0, 30, 1, 0);
        Forecast afterSwap = run(f, swapped, modelB, 30, 31, 1, 0).get(0);

        SensorState alwaysB = f.newState();
        Forecast reference = run(f, alwaysB, modelB, 0, 31, 1, 0).get(30);

        assertThat(afterSwap.modelVersion()).isEqualTo(2);
        assertThat(afterSwap.values()).containsExactly(reference.values(), within(1e-9));
        // And it differs from what model A's stale state would have produced.
        SensorState stale = f.newState();
        run(f, stale, modelA, 0, 30, 1, 0);
        stale.modelVersion = 2;
        Forecast withoutRebuild = run(f, stale, modelB, 30, 31, 1, 0).get(0);
        assertThat(withoutRebuild.values()).isNotEqualTo(reference.values());
    }

    @Test
    void listenerReceivesTheExactInputsServedAndTheNormalisationUsed() {
        List<float[]> inputs = new ArrayList<>();
        List<double[]> means = new ArrayList<>();
        SensorForecaster f = new SensorForecaster(config, ModelShapes.specOf(config),
                (id, step, ts, input, values, mean, std) -> {
                    inputs.add(input.clone());
                    means.add(mean.clone());
                    assertThat(input[0]).isCloseTo((float) ((values[0] - mean[0]) / std[0]), within(1e-5f));
                });
        run(f, f.newState(), modelA, 0, 20, 1, 0);
        assertThat(inputs).hasSize(20);
        assertThat(inputs.get(0)[0]).isEqualTo(0f);
        double mean = 0;
        for (int i = 0; i < 20; i++) {
            mean += signal(i);
        }
        assertThat(means.get(19)[0]).isCloseTo(mean / 20, within(1e-9));
    }

    @Test
    void inOrderMeansStrictlyAfterTheLastAcceptedTimestamp() {
        SensorForecaster f = new SensorForecaster(config, ModelShapes.specOf(config), StepListener.NONE);
        SensorState state = f.newState();
        assertThat(SensorForecaster.isInOrder(state, event(0, 1))).isTrue();
        f.advance(state, event(T0, 1), modelA);
        assertThat(SensorForecaster.isInOrder(state, event(T0, 1))).isFalse();
        assertThat(SensorForecaster.isInOrder(state, event(T0 - 1, 1))).isFalse();
        assertThat(SensorForecaster.isInOrder(state, event(T0 + 1, 1))).isTrue();
    }

    @Test
    void storedStateOfAnotherShapeIsReplacedByAFreshOne() {
        SensorForecaster f = new SensorForecaster(config, ModelShapes.specOf(config), StepListener.NONE);
        SensorState foreign = new SensorState(1, new int[]{5}, true, 4, 6, 64, new int[]{48, 168});
        assertThat(f.adopt(foreign)).isNotSameAs(foreign);
        // A state of the right network shape but other seasons (e.g. decoded from format 1: none) starts afresh.
        SensorState own0 = f.newState();
        SensorState otherSeasons = new SensorState(own0.channels(), new int[]{12, 8}, true, own0.lastForecast.length,
                own0.inputSize, 64, new int[]{48});
        assertThat(f.adopt(otherSeasons)).isNotSameAs(otherSeasons);
        SensorState own = f.newState();
        assertThat(f.adopt(own)).isSameAs(own);
        assertThat(f.adopt(null).step).isZero();
    }

    @Test
    void aStateKeptUnderAnotherReplayWindowKeepsWhatItLearntWithItsRingResized() {
        List<float[]> inputs = new ArrayList<>();
        SensorForecaster wide = new SensorForecaster(config, ModelShapes.specOf(config),
                (id, step, ts, input, values, mean, std) -> inputs.add(input.clone()));
        SensorState state = wide.newState();
        run(wide, state, modelA, 0, 100, 1, 0);
        PipelineConfig narrowConfig = PipelineConfigLoader.parse("horizon: 4\nmodel: {layers: [12, 8], replayWindow: 16}");
        SensorForecaster narrow = new SensorForecaster(narrowConfig, ModelShapes.specOf(narrowConfig),
                StepListener.NONE);
        SensorStateCodec codec = new SensorStateCodec();
        SensorState stored = codec.decode(codec.encode(state));

        SensorState adopted = narrow.adopt(stored);

        assertThat(adopted).isSameAs(stored);
        assertThat(adopted.step).isEqualTo(100);
        assertThat(adopted.mean).isEqualTo(state.mean);
        assertThat(adopted.replayCapacity).isEqualTo(16);
        assertThat(adopted.replayCount).isEqualTo(16);
        float[] newest = new float[adopted.inputSize];
        adopted.remembered(15, newest);
        assertThat(newest).isEqualTo(inputs.get(99));
    }

    private static double dailySignal(int i) {
        // 288 five-minute steps a day; a little fast noise so consecutive buckets differ.
        return 20 + 5 * Math.sin(2 * Math.PI * i / 288.0) + 0.3 * Math.sin(i * 1.7);
    }

    @Test
    void aStateSavedAndRestoredMidStreamForecastsExactlyLikeAnUninterruptedRunWithSeasonalProfiles() {
        ServingModel model = TestModels.servingModel(config, 1, 11);
        int base = new FeatureEncoder(config.features(), 1).inputSize();
        List<float[]> inputs = new ArrayList<>();
        SensorForecaster uninterrupted = new SensorForecaster(config, ModelShapes.specOf(config),
                (id, step, ts, input, values, mean, std) -> inputs.add(input.clone()));
        SensorState reference = uninterrupted.newState();
        List<Forecast> expected = new ArrayList<>();
        for (int i = 0; i < 720; i++) {
            expected.add(uninterrupted.advance(reference, event(T0 + i * FIVE_MIN, dailySignal(i)), model));
        }

        SensorForecaster before = new SensorForecaster(config, ModelShapes.specOf(config), StepListener.NONE);
        SensorState state = before.newState();
        int saveAfter = 400; // more than a day in, part-way through a half-hour bucket
        for (int i = 0; i < saveAfter; i++) {
            before.advance(state, event(T0 + i * FIVE_MIN, dailySignal(i)), model);
        }
        assertThat(state.openCounts[0]).as("the open bucket has readings when saved").isBetween(1, 5);
        long seen = 0;
        for (float v : state.profiles[0]) {
            seen += Float.isNaN(v) ? 0 : 1;
        }
        assertThat(seen).as("the daily profile is populated").isEqualTo(48);
        SensorStateCodec codec = new SensorStateCodec();
        SensorForecaster after = new SensorForecaster(config, ModelShapes.specOf(config), StepListener.NONE);
        SensorState restored = after.adopt(codec.decode(codec.encode(state)));
        for (int i = saveAfter; i < 720; i++) {
            Forecast f = after.advance(restored, event(T0 + i * FIVE_MIN, dailySignal(i)), model);
            // Point, quantiles and anomaly score alike: the interval and surprise memories were saved too.
            assertThat(f).as("forecast at step %d", i).isEqualTo(expected.get(i));
        }
        assertThat(codec.encode(restored)).isEqualTo(codec.encode(reference));
        assertThat(expected.get(719).anomaly().scored()).as("scored after the warm-up").isTrue();
        assertThat(expected.get(719).quantileLevels()).containsExactly(0.1, 0.5, 0.9);

        // The seasonal inputs were live: after a day the daily flag is clear and the profile's swings show.
        float[] late = inputs.get(700);
        assertThat(late[base + 4]).as("daily missing flag").isEqualTo(0f);
        assertThat(inputs.subList(690, 720).stream().filter(in -> in[base] != 0f || in[base + 3] != 0f)).isNotEmpty();
        assertThat(inputs.get(0)[base + 4]).as("daily flag at the first event").isEqualTo(1f);
    }

    @Test
    void withAZeroNetworkEveryForecastIsPersistenceEvenFarOutsideTheStatistics() {
        ServingModel zero = new ServingModel(1, NetworkWeights.zeros(ModelShapes.specOf(config)),
                TestModels.metadata(config, 1));
        SensorForecaster f = new SensorForecaster(config, ModelShapes.specOf(config), StepListener.NONE);
        SensorState state = f.newState();
        List<Forecast> out = run(f, state, zero, 0, 200, 1, 0);
        for (int i = 0; i < out.size(); i++) {
            for (int k = 1; k <= 4; k++) {
                assertThat(out.get(i).value(k, 0)).isEqualTo(signal(i));
            }
        }
        // A reading a million standard deviations away: the inputs are clipped, the forecast is not.
        Forecast far = f.advance(state, event(T0 + 200 * FIVE_MIN, 1e6), zero);
        for (int k = 1; k <= 4; k++) {
            assertThat(far.value(k, 0)).isEqualTo(1e6);
        }
        assertThat(state.mean[0]).as("the statistics took only a clipped reading").isLessThan(100);
        Forecast back = f.advance(state, event(T0 + 201 * FIVE_MIN, -3.5), zero);
        assertThat(back.values()).containsOnly(-3.5);
    }
}
