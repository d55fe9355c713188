package io.sensorcast.training;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.forecast.SensorForecaster;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ModelRecords;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.state.SensorState;
import io.sensorcast.testing.TestModels;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class OnlineTrainerTest {

    private static final long T0 = 1_763_800_000_000L;

    private final PipelineConfig config = PipelineConfigLoader.parse("""
            horizon: 3
            model: {layers: [12]}
            training: {everySamples: 2000, everySeconds: 0, maxKeys: 8, stepsPerKey: 200, windowLength: 48,
                       tbpttLength: 24, batchSize: 8, epochs: 3, learningRate: 0.01, seed: 5}
            """);
    private final Clock clock = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

    /** Feeds {@code steps} events of four seasonal sensors through the serving path into the buffer. */
    private static void feed(PipelineConfig config, SampleBuffer buffer, int steps) {
        SensorForecaster forecaster = new SensorForecaster(config, ModelShapes.specOf(config), buffer.listener());
        var model = TestModels.servingModel(config, 1, 1);
        for (int s = 0; s < 4; s++) {
            SensorState state = forecaster.newState();
            for (int i = 0; i < steps; i++) {
                double v = 10 * s + 3 * Math.sin(2 * Math.PI * i / 48.0 + s) + 0.2 * Math.cos(i * 1.3);
                forecaster.advance(state, new SensorEvent("s" + s, T0 + i * 300_000L, new double[]{v}, new byte[0]), model);
            }
        }
    }

    @Test
    void aCleanRoundOnSeasonalDataIsAcceptedAsTheNextVersionOfTheServingModel() {
        SampleBuffer buffer = new SampleBuffer(8, 200, 1 << 16, 5);
        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(config), TestModels.servingModel(config, 1, 1));
        OnlineTrainer trainer = new OnlineTrainer(config, buffer, registry::current, clock);
        feed(config, buffer, 600);
        OnlineTrainer.Round round = trainer.trainIfDue();

        assertThat(round).isNotNull();
        assertThat(round.outcome()).as(round.reason()).isEqualTo(OnlineTrainer.Outcome.ACCEPTED);
        assertThat(round.candidateVersion()).isEqualTo(2);
        assertThat(round.record().metadata().parentVersion()).isEqualTo(1);
        assertThat(round.scores().candidate()).isLessThanOrEqualTo(round.scores().serving());
        assertThat(round.heldOutWindows()).isEqualTo(4);
        assertThat(registry.offer(ModelRecords.toServing(round.record(), config))).isTrue();
        assertThat(registry.current().version()).isEqualTo(2);
    }

    @Test
    void nothingIsTrainedBeforeEnoughNewSamplesArrive() {
        SampleBuffer buffer = new SampleBuffer(8, 200, 1 << 16, 5);
        OnlineTrainer trainer = new OnlineTrainer(config, buffer, () -> TestModels.servingModel(config, 1, 1), clock);
        feed(config, buffer, 100);
        assertThat(trainer.trainIfDue()).isNull();
        assertThat(trainer.rounds()).isZero();
    }

    @Test
    void aPoisonedBatchWithNanInputsYieldsARejectedCandidateAndTheServingVersionStays() {
        SampleBuffer buffer = new SampleBuffer(8, 200, 1 << 16, 5);
        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(config), TestModels.servingModel(config, 1, 1));
        OnlineTrainer trainer = new OnlineTrainer(config, buffer, registry::current, clock);
        feed(config, buffer, 500);
        // A bug upstream lets NaN through: the trainer must not publish what it learns from it.
        StepListener poison = buffer.listener();
        for (int i = 0; i < 200; i++) {
            poison.onStep("s0", 10_000 + i, T0 + (600 + i) * 300_000L, new float[]{Float.NaN, 0, 0, 0, 0, 0},
                    new double[]{Double.NaN}, new double[]{0}, new double[]{1});
        }
        OnlineTrainer.Round round = trainer.train();
        assertThat(round.outcome()).isEqualTo(OnlineTrainer.Outcome.REJECTED);
        assertThat(round.reason()).containsAnyOf("NaN", "not finite");
        assertThat(round.record()).isNull();
        assertThat(registry.current().version()).isEqualTo(1);
    }

    @Test
    void aPoisonedBatchWithHugeTargetsYieldsARejectedCandidateAndTheServingVersionStays() {
        SampleBuffer buffer = new SampleBuffer(8, 200, 1 << 16, 5);
        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(config), TestModels.servingModel(config, 1, 1));
        PipelineConfig hot = config.withTraining(new io.sensorcast.config.TrainingSettings(true, 2000, 0.0, 8, 200, 48,
                24, 8, 3, "sgd", 1.0, 1e6, 0.0, 5L, 1 << 16, 1.0));
        OnlineTrainer trainer = new OnlineTrainer(hot, buffer, registry::current, clock);
        feed(hot, buffer, 450);
        // Spikes of huge values in the training part only (the last 200 steps are kept and the newest
        // window is held out): a model dragged towards the spikes scores worse and is refused.
        StepListener poison = buffer.listener();
        for (int s = 0; s < 4; s++) {
            for (int i = 0; i < 5; i++) {
                poison.onStep("s" + s, 1, T0, new float[]{1e6f, 0, 0, 0, 0, 0}, new double[]{1e12},
                        new double[]{0}, new double[]{1e-6});
            }
        }
        feed(hot, buffer, 100);
        OnlineTrainer.Round round = trainer.train();
        assertThat(round.outcome()).as(round.reason()).isEqualTo(OnlineTrainer.Outcome.REJECTED);
        assertThat(registry.current().version()).isEqualTo(1);
    }
}
