package io.sensorcast.query;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.SensorForecaster;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.model.ServingModel;
import io.sensorcast.state.SensorState;
import io.sensorcast.testing.TestModels;

import java.util.ArrayList;
import java.util.List;

/** Real sensor states for the query tests: a forecaster advanced over a seeded series, as the stream would. */
final class Sensors {

    static final long START_MS = 1_764_000_000_000L;
    static final long CADENCE_MS = 60_000L;

    private final PipelineConfig config;
    private final ServingModel model;

    Sensors(PipelineConfig config) {
        this.config = config;
        this.model = TestModels.servingModel(config, 3, 11);
    }

    /** The state after {@code events} events of a sine series (phase from the id), and every forecast published. */
    Advanced advance(String id, int events) {
        SensorForecaster forecaster = new SensorForecaster(config, ModelShapes.specOf(config), StepListener.NONE);
        SensorState state = forecaster.newState();
        List<Forecast> published = new ArrayList<>();
        int channels = config.channels().size();
        for (int i = 0; i < events; i++) {
            double[] values = new double[channels];
            for (int ch = 0; ch < channels; ch++) {
                values[ch] = 20 + 5 * Math.sin(i / 7.0 + id.hashCode() % 13 + ch) + 0.1 * ((i * 31 + ch) % 7);
            }
            published.add(forecaster.advance(state, new SensorEvent(id, START_MS + i * CADENCE_MS, values, new byte[0]),
                    model));
        }
        return new Advanced(state, published);
    }

    record Advanced(SensorState state, List<Forecast> published) {

        Forecast last() {
            return published.get(published.size() - 1);
        }
    }
}
