package io.sensorcast.forecast;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.ingest.RejectReason;
import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.model.ServingModel;
import io.sensorcast.state.SensorState;
import io.sensorcast.testing.TestModels;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SensorStepperTest {

    private static final long T0 = 1_763_800_000_000L;
    private static final long FIVE_MIN = 300_000L;

    private final PipelineConfig config = PipelineConfigLoader.parse("horizon: 3\nmodel: {layers: [8]}");
    private final ServingModel model = TestModels.servingModel(config, 1, 11);

    private static SensorEvent event(long ts, double v) {
        return new SensorEvent("s", ts, new double[]{v}, new byte[0]);
    }

    private SensorStepper stepper() {
        return new SensorStepper(new SensorForecaster(config, ModelShapes.specOf(config), StepListener.NONE));
    }

    @Test
    void firstEventOfASensorForecastsWithNothingToScore() {
        StepResult result = stepper().step(null, event(T0, 10), () -> model);
        assertThat(result).isInstanceOf(StepResult.Forecasted.class);
        StepResult.Forecasted stepped = (StepResult.Forecasted) result;
        assertThat(stepped.scores()).isEmpty();
        assertThat(stepped.state().step).isEqualTo(1);
        assertThat(stepped.forecast().modelVersion()).isEqualTo(1);
    }

    @Test
    void nextEventScoresThePreviousHorizonOneForecastAndPersistenceInUnitsOfTheSensorsSpread() {
        SensorStepper stepper = stepper();
        SensorState state = ((StepResult.Forecasted) stepper.step(null, event(T0, 10), () -> model)).state();
        state = ((StepResult.Forecasted) stepper.step(state, event(T0 + FIVE_MIN, 12), () -> model)).state();
        double forecast1 = state.lastForecast[0];
        double scale = Normalisation.effectiveStd(state.std(0), state.mean[0]);
        StepResult.Forecasted third = (StepResult.Forecasted) stepper.step(state, event(T0 + 2 * FIVE_MIN, 11),
                () -> model);
        assertThat(third.scores()).hasSize(1);
        assertThat(third.scores().get(0).forecastError()).isCloseTo((11 - forecast1) / scale, within(1e-9));
        assertThat(third.scores().get(0).persistenceError()).isCloseTo((11 - 12) / scale, within(1e-9));
        assertThat(third.scores().get(0).modelVersion()).isEqualTo(1);
    }

    @Test
    void eventNotAfterTheLastAcceptedOneIsRejectedAsStaleWithoutReadingTheModelOrTouchingTheState() {
        SensorStepper stepper = stepper();
        SensorState state = ((StepResult.Forecasted) stepper.step(null, event(T0, 10), () -> model)).state();
        AtomicInteger modelReads = new AtomicInteger();
        StepResult result = stepper.step(state, event(T0, 99), () -> {
            modelReads.incrementAndGet();
            return model;
        });
        assertThat(result).isInstanceOf(StepResult.Stale.class);
        assertThat(((StepResult.Stale) result).rejection().reason()).isEqualTo(RejectReason.STALE_TIMESTAMP);
        assertThat(modelReads).hasValue(0);
        assertThat(state.step).isEqualTo(1);
        assertThat(state.lastValues[0]).isEqualTo(10);
    }

    @Test
    void forecasterWithoutTheRecurrentStepForecastsPersistence() {
        SensorStepper baseline = new SensorStepper(
                SensorForecaster.withoutRecurrentStep(config, ModelShapes.specOf(config)));
        SensorState state = null;
        Forecast last = null;
        for (int i = 0; i < 20; i++) {
            StepResult.Forecasted stepped = (StepResult.Forecasted) baseline.step(state,
                    event(T0 + i * FIVE_MIN, 50 + Math.sin(i)), () -> model);
            state = stepped.state();
            last = stepped.forecast();
        }
        for (int k = 1; k <= 3; k++) {
            assertThat(last.value(k, 0)).isCloseTo(50 + Math.sin(19), within(1e-9));
        }
    }
}
