package io.sensorcast.query;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.QuerySettings;
import io.sensorcast.metrics.MetricsServer;
import io.sensorcast.metrics.PrometheusRegistries;
import io.sensorcast.metrics.QueryMetrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One instance's query API as the service wires it (the metrics endpoint's HTTP server, the handler on /sensors),
 * over a {@link FakeCluster}'s view instead of a running stream.
 */
final class ApiInstance implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final PrometheusMeterRegistry meters = PrometheusRegistries.create();
    final MetricsServer server;
    final SensorQueryHandler handler;
    final String self;

    ApiInstance(PipelineConfig config, QuerySettings settings, FakeCluster cluster) {
        try {
            server = new MetricsServer("127.0.0.1", 0, meters, () -> true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        self = "127.0.0.1:" + server.port();
        handler = new SensorQueryHandler(cluster.view(self), new PeerClient(Duration.ofMillis(settings.timeoutMs())),
                new SensorView(config), settings, config.limits().maxSensorIdLength(), new QueryMetrics(meters));
        server.route(SensorQueryHandler.PATH, handler);
    }

    /** GET of a raw path and query, sent as is. */
    HttpResponse<String> get(String rawPathAndQuery) {
        return send("GET", rawPathAndQuery);
    }

    HttpResponse<String> send(String method, String rawPathAndQuery) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + self + rawPathAndQuery))
                    .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        handler.close();
        server.close();
    }
}
