package io.sensorcast.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.anomaly.AnomalyScore;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.ingest.SensorEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ServiceMetricsTest {

    private final PipelineConfig config = PipelineConfigLoader.parse("horizon: 2\nmetrics: {sensors: [pump-1], window: 10}");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ServiceMetrics metrics = new ServiceMetrics(registry, config);

    private void publish(String sensor, double actual, double lower, double upper, boolean flagged) {
        AnomalyScore score = new AnomalyScore(true, flagged ? 0.9 : 0.1, flagged, flagged ? "high" : "none", 0, 1.0,
                actual > upper ? "above" : "below", actual, (lower + upper) / 2, lower, upper);
        Forecast f = new Forecast(sensor, 1_000L, 200, 1, new long[] {2_000L, 3_000L}, new double[] {10, 11},
                new double[] {0.1, 0.5, 0.9}, new double[] {9, 9.5, 10, 11, 11, 12.5}, score);
        metrics.published(new SensorEvent(sensor, 1_000L, new double[] {actual}, new byte[0]), f);
    }

    @Test
    void flaggedEventsAreCountedByReasonWithOnlyWatchedSensorsNamed() {
        publish("pump-1", 50, 9, 11, true);
        publish("pump-2", 0, 9, 11, true);
        publish("pump-3", 0, 9, 11, true);
        publish("pump-3", 10, 9, 11, false);

        assertThat(registry.get("sensorcast.anomalies").tags("sensor", "pump-1", "reason", "above").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("sensorcast.anomalies").tags("sensor", "other", "reason", "below").counter().count())
                .isEqualTo(2);
    }

    @Test
    void coverageIsTheShareOfTheRecentWindowInsideTheBand() {
        assertThat(registry.get("sensorcast.interval.coverage").gauge().value()).isNaN();
        publish("pump-2", 10, 9, 11, false);
        publish("pump-2", 12, 9, 11, false);
        assertThat(registry.get("sensorcast.interval.coverage").gauge().value()).isCloseTo(0.5, within(1e-12));
        // The window holds 10: the first two fall out.
        for (int i = 0; i < 10; i++) {
            publish("pump-2", 10, 9, 11, false);
        }
        assertThat(registry.get("sensorcast.interval.coverage").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void watchedSensorsExportTheirLatestQuantilesPerHorizon() {
        publish("pump-1", 10, 9, 11, false);

        assertThat(registry.get("sensorcast.forecast.quantile").tags("sensor", "pump-1", "horizon", "1", "level", "0.1")
                .gauge().value()).isEqualTo(9);
        assertThat(registry.get("sensorcast.forecast.quantile").tags("sensor", "pump-1", "horizon", "2", "level", "0.9")
                .gauge().value()).isEqualTo(12.5);
    }
}
