package io.sensorcast.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The metrics and health endpoint.
 *
 * @param host    address to listen on
 * @param port    HTTP port of /metrics, /health/live and /health/ready (0: any free port)
 * @param sensors sensors whose latest actual and forecast values are exported per sensor (bounded on purpose)
 * @param window  scored forecasts in the sliding window of the online error gauges
 */
public record MetricsSettings(String host, int port, List<String> sensors, int window) {

    public static final MetricsSettings DEFAULTS = new MetricsSettings(null, null, null, null);

    @JsonCreator
    public MetricsSettings(@JsonProperty("host") String host, @JsonProperty("port") Integer port,
                           @JsonProperty("sensors") List<String> sensors, @JsonProperty("window") Integer window) {
        this(host == null ? "0.0.0.0" : host, port == null ? 8080 : port,
                sensors == null ? List.of() : List.copyOf(sensors), window == null ? 5000 : window);
    }
}
