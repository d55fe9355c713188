package io.sensorcast.training;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.forecast.SensorForecaster;
import io.sensorcast.ingest.EventParser;
import io.sensorcast.ingest.ParseResult;
import io.sensorcast.ingest.RejectReason;
import io.sensorcast.model.ModelRecordCodec;
import io.sensorcast.model.ModelRecords;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.model.ServingModel;
import io.sensorcast.recurrent.WeightSnapshots;
import io.sensorcast.state.SensorState;
import io.sensorcast.testing.TestModels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Poisoned sensor data reaching the trainer through the real serving path (parser, normalisation, steps):
 * whatever a round makes of it, no model worse than the gate allows, or with a non-finite weight, serves.
 */
class PoisonedTrainingTest {

    private static final long T0 = 1_763_800_000_000L;
    private static final int STEPS = 600;

    private final PipelineConfig config = PipelineConfigLoader.parse("""
            horizon: 3
            model: {layers: [12]}
            training: {everySamples: 2000, everySeconds: 0, maxKeys: 8, stepsPerKey: 200, windowLength: 48,
                       tbpttLength: 24, batchSize: 8, epochs: 3, learningRate: 0.01, seed: 5}
            """);
    private final Clock clock = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

    enum Poison {
        /** Every 20th reading of every sensor jumps to 1e11, inside the accepted range of +/-1e12. */
        SPIKES,
        /** Two of the four sensors report the same value at every step. */
        STUCK_SENSOR,
        /** Bursts of 30 NaN readings: the parser dead-letters them, so the trainer must see only the rest. */
        NAN_BURSTS
    }

    private static double clean(int sensor, int i) {
        return 10 * sensor + 3 * Math.sin(2 * Math.PI * i / 48.0 + sensor) + 0.2 * Math.cos(i * 1.3);
    }

    private static String reading(Poison poison, int sensor, int i) {
        String value = switch (poison) {
            case SPIKES -> i % 20 == 7 ? "1.0e11" : Double.toString(clean(sensor, i));
            case STUCK_SENSOR -> sensor < 2 ? "42.0" : Double.toString(clean(sensor, i));
            case NAN_BURSTS -> i % 100 >= 40 && i % 100 < 70 ? "NaN" : Double.toString(clean(sensor, i));
        };
        return "{\"sensorId\":\"s" + sensor + "\",\"ts\":" + (T0 + i * 300_000L) + ",\"value\":" + value + "}";
    }

    /** The newest window of each sampled sensor: what the gate holds out. */
    private DataSet heldOutWindows(SampleBuffer buffer) {
        List<TrainingWindows.Window> heldOut = new ArrayList<>();
        for (List<StepRecord> sequence : buffer.sequences()) {
            List<TrainingWindows.Window> windows = TrainingWindows.windows(sequence,
                    config.training().windowLength(), config.horizon());
            if (windows.size() >= 2) {
                heldOut.add(windows.get(windows.size() - 1));
            }
        }
        assertThat(heldOut).isNotEmpty();
        return TrainingWindows.toDataSet(heldOut, config.horizon());
    }

    @ParameterizedTest
    @EnumSource(Poison.class)
    void aRoundOnPoisonedDataNeverServesAModelWorseThanTheGateAllowsOrWithNonFiniteWeights(Poison poison) {
        SampleBuffer buffer = new SampleBuffer(8, 200, 1 << 16, 5);
        ServingModel initial = TestModels.servingModel(config, 1, 1);
        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(config), initial);
        OnlineTrainer trainer = new OnlineTrainer(config, buffer, registry::current, clock);
        EventParser parser = new EventParser(config.parserSettings());
        SensorForecaster forecaster = new SensorForecaster(config, ModelShapes.specOf(config), buffer.listener());
        Map<RejectReason, Integer> rejected = new EnumMap<>(RejectReason.class);
        for (int s = 0; s < 4; s++) {
            SensorState state = forecaster.newState();
            for (int i = 0; i < STEPS; i++) {
                ParseResult parsed = parser.parse(null, reading(poison, s, i).getBytes(StandardCharsets.UTF_8));
                if (parsed instanceof ParseResult.Accepted accepted) {
                    forecaster.advance(state, accepted.event(), registry.current());
                } else {
                    rejected.merge(((ParseResult.Rejected) parsed).rejection().reason(), 1, Integer::sum);
                }
            }
        }
        assertThat(rejected).isEqualTo(poison == Poison.NAN_BURSTS
                ? Map.of(RejectReason.NON_FINITE_VALUE, 4 * 6 * 30) : Map.of());

        OnlineTrainer.Round round = trainer.train();

        assertThat(round.outcome()).as(round.reason()).isIn(OnlineTrainer.Outcome.ACCEPTED, OnlineTrainer.Outcome.REJECTED);
        if (round.outcome() == OnlineTrainer.Outcome.ACCEPTED) {
            // The gate's rule with training.tolerance 0: held-out error no worse than the serving model's.
            assertThat(round.scores().candidate()).as(round.reason()).isFinite()
                    .isLessThanOrEqualTo(round.scores().serving());
            for (float p : round.record().parameters()) {
                assertThat(Float.isFinite(p)).as("candidate parameter finite").isTrue();
            }
            // Re-judged from the published record itself, not from the trainer's own networks and figures.
            DataSet heldOut = heldOutWindows(buffer);
            ValidationGate judge = new ValidationGate(0, Math.min(config.training().windowLength() / 4, 16));
            double published = judge.score(ModelRecords.toNetwork(round.record(), ModelShapes.specOf(config)), heldOut);
            double serving = judge.score(ModelRecords.toNetwork(ModelRecordCodec.of(TestModels.metadata(config, 1),
                    WeightSnapshots.toFlatParams(initial.weights())), ModelShapes.specOf(config)), heldOut);
            assertThat(published).as("held-out error of the published model").isFinite()
                    .isLessThanOrEqualTo(serving * (1 + 1e-9));
            assertThat(registry.offer(ModelRecords.toServing(round.record(), config))).isTrue();
            assertThat(registry.current().version()).isEqualTo(2);
        } else {
            assertThat(round.record()).isNull();
            assertThat(round.reason()).isNotBlank();
            assertThat(registry.current()).isSameAs(initial);
        }
        assertThat(WeightSnapshots.allFinite(registry.current().weights())).isTrue();
    }
}
