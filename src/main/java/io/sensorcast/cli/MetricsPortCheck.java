package io.sensorcast.cli;

import io.sensorcast.config.ConfigException;
import io.sensorcast.config.PipelineConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Checks, before anything connects to Kafka, that the metrics endpoint's port can be bound, so that a port in use
 * stops start-up at once with one line naming the key instead of after the stream has joined its group.
 */
final class MetricsPortCheck {

    private MetricsPortCheck() {
    }

    /** @throws ConfigException naming {@code metrics.port} when the address cannot be bound */
    static void verify(PipelineConfig config) {
        String host = config.metrics().host();
        int port = config.metrics().port();
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("metrics.port: cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "); is another process using it? Choose a free port, or 0 for any");
        }
    }
}
