package io.sensorcast.replay;

import io.sensorcast.anomaly.AnomalyScore;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.TrainingSettings;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.SensorForecaster;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.ingest.EventParser;
import io.sensorcast.ingest.ParseResult;
import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.model.ModelRecords;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.model.ServingModel;
import io.sensorcast.state.SensorState;
import io.sensorcast.training.OnlineTrainer;
import io.sensorcast.training.SampleBuffer;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs recorded events through exactly the stream's code path, without a broker: the same parser and
 * validation, per-key state, features, cell, online trainer and gate. Deterministic: training is
 * triggered by sample counts only, and an accepted model serves from the very next event.
 */
public final class ReplayRunner {

    /** A record to replay: key and value bytes as they would sit on the events topic. */
    public record RawEvent(byte[] key, byte[] value) {
    }

    /**
     * The forecast made at one accepted event, next to the event's values: the point forecast, its quantiles
     * (level-major, as in {@link Forecast#quantiles()}) and the event's anomaly score.
     */
    public record Row(int index, String sensorId, long timestampMs, double[] actual, double[] forecast,
                      long modelVersion, double[] quantiles, AnomalyScore anomaly) {

        /** A row with a point forecast only. */
        public Row(int index, String sensorId, long timestampMs, double[] actual, double[] forecast, long modelVersion) {
            this(index, sensorId, timestampMs, actual, forecast, modelVersion, new double[0], AnomalyScore.UNSCORED);
        }
    }

    /** What a replay did. */
    public record Result(int accepted, int rejected, List<OnlineTrainer.Round> rounds, long finalModelVersion) {
    }

    private final PipelineConfig config;
    private final ModelRegistry registry;
    private final boolean train;

    /**
     * @param train whether the online trainer runs (training off: the initial model serves throughout)
     */
    public ReplayRunner(PipelineConfig config, ServingModel initial, boolean train) {
        this.config = byCountOnly(config);
        this.registry = new ModelRegistry(ModelShapes.specOf(config), initial);
        this.train = train && config.training().enabled();
    }

    /** Replays {@code events} in order, handing every forecast to {@code rows}. */
    public Result run(List<RawEvent> events, Consumer<Row> rows, Consumer<Integer> progress) {
        EventParser parser = new EventParser(config.parserSettings());
        TrainingSettings t = config.training();
        SampleBuffer buffer = SampleBuffer.of(t);
        SensorForecaster forecaster = new SensorForecaster(config, registry.spec(),
                train ? buffer.listener() : StepListener.NONE);
        // A fixed clock: model timestamps must not make two replays differ.
        OnlineTrainer trainer = train ? new OnlineTrainer(config, buffer, registry::current,
                Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)) : null;
        Map<String, SensorState> states = new HashMap<>();
        List<OnlineTrainer.Round> rounds = new ArrayList<>();
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < events.size(); i++) {
            RawEvent raw = events.get(i);
            if (!(parser.parse(raw.key(), raw.value()) instanceof ParseResult.Accepted ok)) {
                rejected++;
                continue;
            }
            SensorEvent event = ok.event();
            SensorState state = states.computeIfAbsent(event.sensorId(), k -> forecaster.newState());
            if (!SensorForecaster.isInOrder(state, event)) {
                rejected++;
                continue;
            }
            Forecast f = forecaster.advance(state, event, registry.current());
            accepted++;
            rows.accept(new Row(i, event.sensorId(), event.timestampMs(), event.values(), f.values(), f.modelVersion(),
                    f.quantiles(), f.anomaly()));
            if (trainer != null) {
                OnlineTrainer.Round round = trainer.trainIfDue();
                if (round != null) {
                    rounds.add(round);
                    if (round.record() != null) {
                        registry.offer(ModelRecords.toServing(round.record(), config));
                    }
                }
            }
            if ((i & 1023) == 0) {
                progress.accept(i);
            }
        }
        progress.accept(events.size());
        return new Result(accepted, rejected, rounds, registry.current().version());
    }

    private static PipelineConfig byCountOnly(PipelineConfig config) {
        return config.withTraining(config.training().withTriggers(config.training().everySamples(), 0.0));
    }
}
