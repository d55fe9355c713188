package io.sensorcast.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * Serves {@code /metrics} (Prometheus text format), {@code /health/live} and {@code /health/ready} with the
 * JDK's HTTP server, as Micrometer's Prometheus guide does. The responses carry counts and states only,
 * never event payloads.
 */
public final class MetricsServer implements AutoCloseable {

    private final HttpServer server;

    /**
     * @param ready true while the instance can serve: Kafka Streams RUNNING and a model loaded
     */
    public MetricsServer(String host, int port, PrometheusMeterRegistry registry, BooleanSupplier ready)
            throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/metrics", exchange -> respond(exchange, 200,
                "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/health/live", exchange -> respond(exchange, 200, "text/plain", "live\n"));
        server.createContext("/health/ready", exchange -> {
            boolean ok = ready.getAsBoolean();
            respond(exchange, ok ? 200 : 503, "text/plain", ok ? "ready\n" : "not ready\n");
        });
        // Anything else: a JSON 404 rather than the JDK server's HTML page.
        server.createContext("/", exchange -> respond(exchange, 404, "application/json",
                "{\"status\":404,\"error\":\"NO_SUCH_ENDPOINT\",\"message\":\"no endpoint at this path\"}"));
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "sensorcast-metrics-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** Serves {@code path} and every path below it with {@code handler} as well (the query API). */
    public void route(String path, HttpHandler handler) {
        server.createContext(path, handler);
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
