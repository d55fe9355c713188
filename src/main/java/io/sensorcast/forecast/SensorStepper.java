package io.sensorcast.forecast;

import io.sensorcast.ingest.RejectReason;
import io.sensorcast.ingest.Rejection;
import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.model.ServingModel;
import io.sensorcast.state.SensorState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The one call a stream processor makes per event: takes the sensor's stored state, refuses a stale event,
 * scores the previous forecast against the value that has now arrived, and advances the state by the event
 * through {@link SensorForecaster#advance}. The processor only gets, steps, puts and forwards.
 *
 * <p>Not thread-safe, like the forecaster it wraps: each stream task creates its own.
 */
public final class SensorStepper {

    private final SensorForecaster forecaster;

    public SensorStepper(SensorForecaster forecaster) {
        this.forecaster = forecaster;
    }

    /**
     * Steps the sensor whose stored state is {@code stored} (null for a sensor never seen) by {@code event}.
     *
     * @param model read once, and only for an event that advances the state, so the whole step uses one
     *              consistent weight set
     */
    public StepResult step(SensorState stored, SensorEvent event, Supplier<ServingModel> model) {
        SensorState state = forecaster.adopt(stored);
        if (!SensorForecaster.isInOrder(state, event)) {
            return new StepResult.Stale(new Rejection(RejectReason.STALE_TIMESTAMP, "ts "
                    + Instant.ofEpochMilli(event.timestampMs()) + " is not after the sensor's last accepted ts "
                    + Instant.ofEpochMilli(state.lastTimestampMs)));
        }
        List<StepResult.Score> scores = state.hasForecast() ? scorePreviousForecast(state, event) : List.of();
        Forecast forecast = forecaster.advance(state, event, model.get());
        return new StepResult.Forecasted(state, forecast, scores);
    }

    /** Scores the key's horizon-1 forecast, and persistence, against the value that has now arrived. */
    private static List<StepResult.Score> scorePreviousForecast(SensorState state, SensorEvent event) {
        List<StepResult.Score> scores = new ArrayList<>(state.channels());
        for (int ch = 0; ch < state.channels(); ch++) {
            double scale = Normalisation.effectiveStd(state.std(ch), state.mean[ch]);
            double actual = event.value(ch);
            scores.add(new StepResult.Score((actual - state.lastForecast[ch]) / scale,
                    (actual - state.lastValues[ch]) / scale, state.modelVersion));
        }
        return scores;
    }
}
