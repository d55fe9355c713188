package io.sensorcast.training;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.forecast.SensorForecaster;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ModelRecords;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.model.ServingModel;
import io.sensorcast.state.SensorState;
import io.sensorcast.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

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
        feed(config, buffer.listener(), steps);
    }

    /** Feeds {@code steps} events of four seasonal sensors through the serving path into {@code listener}. */
    private static void feed(PipelineConfig config, StepListener listener, int steps) {
        SensorForecaster forecaster = new SensorForecaster(config, ModelShapes.specOf(config), listener);
        var model = TestModels.servingModel(config, 1, 1);
        for (int s = 0; s < 4; s++) {
            SensorState state = forecaster.newState();
            for (int i = 0; i < steps; i++) {
                double v = 10 * s + 3 * Math.sin(2 * Math.PI * i / 48.0 + s) + 0.2 * Math.cos(i * 1.3);
                forecaster.advance(state, new SensorEvent("s" + s, T0 + i * 300_000L, new double[]{v}, new byte[0]), model);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru"})
    void aCleanRoundOnSeasonalDataIsAcceptedAsTheNextVersionOfTheServingModel(String cell) {
        PipelineConfig config = PipelineConfigLoader.parse("""
                horizon: 3
                model: {layers: [12], cell: %s}
                training: {everySamples: 2000, everySeconds: 0, maxKeys: 8, stepsPerKey: 200, windowLength: 48,
                           tbpttLength: 24, batchSize: 8, epochs: 3, learningRate: 0.01, seed: 5}
                """.formatted(cell));
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
    void aNewerModelArrivingOnTheTopicMidRoundDropsTheCandidateAndTheNextRoundDescendsFromIt() {
        SampleBuffer buffer = new SampleBuffer(8, 200, 1 << 16, 5);
        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(config), TestModels.servingModel(config, 1, 1));
        ServingModel newer = TestModels.servingModel(config, 2, 9);
        AtomicBoolean arrived = new AtomicBoolean();
        // v2 is applied from the model topic right after the round has read what serves (v1).
        Supplier<ServingModel> serving = () -> {
            ServingModel current = registry.current();
            if (arrived.compareAndSet(false, true)) {
                registry.offer(newer);
            }
            return current;
        };
        OnlineTrainer trainer = new OnlineTrainer(config, buffer, serving, clock);
        feed(config, buffer, 600);

        OnlineTrainer.Round dropped = trainer.train();
        assertThat(dropped.outcome()).isEqualTo(OnlineTrainer.Outcome.REJECTED);
        assertThat(dropped.reason()).contains("changed from v1 to v2");
        assertThat(dropped.published()).isEmpty();

        OnlineTrainer.Round next = trainer.train();
        assertThat(next.servingVersion()).isEqualTo(2);
        next.published().ifPresent(record -> {
            assertThat(record.metadata().parentVersion()).isEqualTo(2);
            assertThat(record.metadata().version()).isEqualTo(3);
        });
        assertThat(next.scores().serving()).as("judged against v2").isEqualTo(
                new OnlineTrainer(config, buffer, registry::current, clock).train().scores().serving());
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
            float[] input = new float[config.inputSize()];
            input[0] = Float.NaN;
            poison.onStep("s0", 10_000 + i, T0 + (600 + i) * 300_000L, input,
                    new double[]{Double.NaN}, new double[]{0}, new double[]{1});
        }
        OnlineTrainer.Round round = trainer.train();
        assertThat(round.outcome()).isEqualTo(OnlineTrainer.Outcome.REJECTED);
        // The NaN steps are in the held-out windows too, so no epoch's score (NaN) beats the serving one.
        assertThat(round.reason()).containsAnyOf("NaN", "not finite", "no epoch improved");
        assertThat(round.record()).isNull();
        assertThat(registry.current().version()).isEqualTo(1);
    }

    @Test
    void aPoisonedBatchWithHugeTargetsYieldsARejectedCandidateAndTheServingVersionStays() {
        SampleBuffer buffer = new SampleBuffer(8, 200, 1 << 16, 5);
        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(config), TestModels.servingModel(config, 1, 1));
        PipelineConfig hot = config.withTraining(new io.sensorcast.config.TrainingSettings(true, 2000, 0.0, 8, 200, 48,
                24, 8, 3, "sgd", 1.0, 1e6, 0.0, 5L, 1 << 16, 1.0, "mse", 48, 1_000_000, 1000, 0.0, 1 << 20, "java"));
        OnlineTrainer trainer = new OnlineTrainer(hot, buffer, registry::current, clock);
        // Step numbers continue across the three parts, so the buffer keeps one unbroken sequence per sensor.
        StepListener sink = buffer.listener();
        java.util.Map<String, Long> steps = new java.util.HashMap<>();
        StepListener numbered = (id, step, ts, input, values, mean, std) ->
                sink.onStep(id, steps.merge(id, 1L, Long::sum), ts, input, values, mean, std);
        feed(hot, numbered, 450);
        // Spikes of huge values in the training part only (the last 200 steps are kept: 95 clean, 5 spikes,
        // 100 clean, and the newest window is held out): a model dragged towards the spikes scores worse and
        // is refused.
        for (int s = 0; s < 4; s++) {
            for (int i = 0; i < 5; i++) {
                float[] input = new float[hot.inputSize()];
                input[0] = 1e6f;
                numbered.onStep("s" + s, 0, T0, input, new double[]{1e12}, new double[]{0}, new double[]{1e-6});
            }
        }
        feed(hot, numbered, 100);
        OnlineTrainer.Round round = trainer.train();
        assertThat(round.outcome()).as(round.reason()).isEqualTo(OnlineTrainer.Outcome.REJECTED);
        assertThat(registry.current().version()).isEqualTo(1);
    }

    /** Runs {@code body} with the temporary experiment knobs set, restoring whatever was there before. */
    private OnlineTrainer.Round oneRound(PipelineConfig pipeline) {
        SampleBuffer buffer = new SampleBuffer(8, 200, 1 << 16, 5);
        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(pipeline), TestModels.servingModel(pipeline, 1, 1));
        OnlineTrainer trainer = new OnlineTrainer(pipeline, buffer, registry::current, clock);
        feed(pipeline, buffer, 600);
        return trainer.train();
    }

    @Test
    void eitherEngineProposesTheSameCandidateAndTheModelRecordsWhichFittedIt() {
        String pipeline = """
                horizon: 3
                model: {layers: [12]}
                training: {everySamples: 2000, everySeconds: 0, maxKeys: 8, stepsPerKey: 200, windowLength: 48,
                           tbpttLength: 24, batchSize: 8, epochs: 2, learningRate: 0.01, seed: 5, engine: %s}
                """;
        OnlineTrainer.Round byHand = oneRound(PipelineConfigLoader.parse(pipeline.formatted("java")));
        OnlineTrainer.Round byDl4j = oneRound(PipelineConfigLoader.parse(pipeline.formatted("dl4j")));

        assertThat(byHand.outcome()).as(byHand.reason()).isEqualTo(OnlineTrainer.Outcome.ACCEPTED);
        assertThat(byDl4j.outcome()).isEqualTo(byHand.outcome());
        assertThat(byHand.record().metadata().training()).containsEntry("engine", "java");
        assertThat(byDl4j.record().metadata().training()).containsEntry("engine", "dl4j");
        float[] a = byHand.record().parameters();
        float[] e = byDl4j.record().parameters();
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < e.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - e[i]));
            scale = Math.max(scale, Math.abs(e[i]));
        }
        assertThat(worst / scale).as("largest parameter difference relative to the largest parameter").isLessThan(1e-3);
        // Not bit for bit: the hand-written engine's tanh and sigmoid are FastMath's (absolute error below 1e-6).
        assertThat(a).as("fitted by two different engines").isNotEqualTo(e);
        assertThat(byHand.fit().iterations()).isEqualTo(byDl4j.fit().iterations());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru"})
    void twoTrainersWithTheSameSeedAndDataProduceBitIdenticalCandidatesWithEarlyStopping(String cell) {
        // Early stopping after one epoch without improvement, overlapping windows and spread held-out windows.
        PipelineConfig early = PipelineConfigLoader.parse("""
                horizon: 3
                model: {layers: [12], cell: %s}
                training: {everySamples: 2000, everySeconds: 0, maxKeys: 8, stepsPerKey: 200, windowLength: 48,
                           tbpttLength: 24, batchSize: 8, epochs: 3, learningRate: 0.01, seed: 5,
                           patience: 1, windowStride: 8, heldOutEvery: 3}
                """.formatted(cell));
        OnlineTrainer.Round first = oneRound(early);
        OnlineTrainer.Round second = oneRound(early);

        assertThat(first.outcome()).as(first.reason()).isEqualTo(OnlineTrainer.Outcome.ACCEPTED);
        assertThat(first.heldOutWindows()).as("two spread held-out windows per sensor").isEqualTo(8);
        assertThat(second.outcome()).isEqualTo(first.outcome());
        assertThat(second.trainWindows()).isEqualTo(first.trainWindows());
        assertThat(second.record().parameters()).containsExactly(first.record().parameters());
        assertThat(second.record().sha256()).isEqualTo(first.record().sha256());
        assertThat(second.scores().candidate()).isEqualTo(first.scores().candidate());
    }

    @Test
    void aRoundInWhichNoEpochImprovesTheHeldOutErrorIsRejected() {
        // A learning rate of 1e-30 moves no weight: every update is far below half a float ulp of any weight the
        // serving snapshot holds, so after every epoch the candidate's held-out error is exactly the serving one.
        // Early stopping demands a strict improvement, so the round is refused whatever the data.
        PipelineConfig frozen = PipelineConfigLoader.parse("""
                horizon: 3
                model: {layers: [12]}
                training: {everySamples: 2000, everySeconds: 0, maxKeys: 8, stepsPerKey: 200, windowLength: 48,
                           tbpttLength: 24, batchSize: 8, epochs: 2, learningRate: 1.0e-30, seed: 5}
                """);

        OnlineTrainer.Round round = oneRound(frozen);

        assertThat(round.outcome()).as(round.reason()).isEqualTo(OnlineTrainer.Outcome.REJECTED);
        assertThat(round.reason()).contains("no epoch improved");
        assertThat(round.record()).isNull();
        assertThat(round.trainWindows()).isPositive();
    }
}
