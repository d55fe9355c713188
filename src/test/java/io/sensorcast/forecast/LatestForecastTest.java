package io.sensorcast.forecast;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.model.ServingModel;
import io.sensorcast.state.SensorState;
import io.sensorcast.state.SensorStateCodec;
import io.sensorcast.testing.TestModels;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatestForecastTest {

    private static final PipelineConfig CONFIG = PipelineConfigLoader.parse(
            "channels: [a, b]\nhorizon: 4\nforecast: {quantiles: [0.05, 0.5, 0.9]}\n");

    @Test
    void theForecastDerivedFromTheStoredStateIsThePublishedOneToFloatPrecision() {
        SensorForecaster forecaster = new SensorForecaster(CONFIG, ModelShapes.specOf(CONFIG), StepListener.NONE);
        ServingModel model = TestModels.servingModel(CONFIG, 9, 5);
        SensorState state = forecaster.newState();
        LatestForecast latest = new LatestForecast(CONFIG);
        SensorStateCodec codec = new SensorStateCodec();
        for (int i = 0; i < 60; i++) {
            // Irregular gaps, so the cadence (and the horizon's timestamps) is not a round number.
            long ts = 1_700_000_000_000L + i * 30_000L + (i % 4) * 7_001L;
            Forecast published = forecaster.advance(state, new SensorEvent("s", ts,
                    new double[] {100 + 3 * Math.sin(i / 5.0), -2 + (i % 7)}, new byte[0]), model);
            // Through the store's encoding, as the query API reads it.
            Forecast derived = latest.of("s", codec.decode(codec.encode(state))).orElseThrow();

            assertThat(derived.step()).isEqualTo(published.step());
            assertThat(derived.timestampMs()).isEqualTo(published.timestampMs());
            assertThat(derived.modelVersion()).isEqualTo(9);
            assertThat(derived.horizonTimestamps()).containsExactly(published.horizonTimestamps());
            assertThat(derived.quantileLevels()).containsExactly(published.quantileLevels());
            double[] values = published.values();
            double[] quantiles = published.quantiles();
            for (int j = 0; j < values.length; j++) {
                assertThat((float) derived.values()[j]).isEqualTo((float) values[j]);
            }
            for (int j = 0; j < quantiles.length; j++) {
                assertThat(derived.quantiles()[j]).as("quantile %d at step %d", j, i + 1)
                        .isCloseTo(quantiles[j], within(1e-5 * Math.max(1, Math.abs(quantiles[j]))));
            }
        }
    }

    @Test
    void aSensorWithoutAForecastYetHasNone() {
        SensorForecaster forecaster = new SensorForecaster(CONFIG, ModelShapes.specOf(CONFIG), StepListener.NONE);

        assertThat(new LatestForecast(CONFIG).of("s", forecaster.newState())).isEmpty();
    }
}
