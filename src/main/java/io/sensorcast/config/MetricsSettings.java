package io.sensorcast.config;

import java.util.List;

/**
 * The metrics and health endpoint.
 *
 * @param host    address to listen on
 * @param port    HTTP port of /metrics, /health/live, /health/ready and the /sensors queries (0: any free port)
 * @param sensors sensors whose latest actual and forecast values are exported per sensor (bounded on purpose)
 * @param window  scored forecasts in the sliding window of the online error gauges
 */
public record MetricsSettings(String host, int port, List<String> sensors, int window) {

    public static final MetricsSettings DEFAULTS = PipelineConfigLoader.defaults("metrics", MetricsSettings.class);

    public MetricsSettings {
        sensors = List.copyOf(sensors);
    }
}
