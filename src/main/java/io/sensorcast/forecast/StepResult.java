package io.sensorcast.forecast;

import io.sensorcast.ingest.Rejection;
import io.sensorcast.state.SensorState;

import java.util.List;

/** What one event did to its sensor: advanced it and forecast, or was refused as stale. */
public sealed interface StepResult {

    /**
     * The event advanced {@code state} (to be stored back) and produced {@code forecast}; {@code scores} holds,
     * per channel, how the sensor's previous horizon-1 forecast fared against this event (empty for its first).
     */
    record Forecasted(SensorState state, Forecast forecast, List<Score> scores) implements StepResult {
    }

    /** The event is not newer than the sensor's last accepted one; the stored state is untouched. */
    record Stale(Rejection rejection) implements StepResult {
    }

    /**
     * One channel's horizon-1 error, and that of persistence (repeating the previous value), in units of the
     * sensor's own spread, so sensors of any scale aggregate sensibly.
     *
     * @param modelVersion the model that made the scored forecast
     */
    record Score(double forecastError, double persistenceError, long modelVersion) {
    }
}
