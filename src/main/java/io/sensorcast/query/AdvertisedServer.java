package io.sensorcast.query;

import io.sensorcast.config.ConfigException;
import io.sensorcast.config.ConfigKeys;
import io.sensorcast.config.PipelineConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * The host:port at which the other instances reach this one's query API, which Kafka Streams spreads to the whole
 * group as {@code application.server}: {@code queries.advertisedServer}, else {@code $SENSORCAST_ADVERTISED_SERVER},
 * else {@code kafka.application.server}, else the metrics host (or this machine's name when that is a wildcard)
 * and the bound metrics port.
 */
public final class AdvertisedServer {

    private AdvertisedServer() {
    }

    /** The address for {@code config} in environment {@code env}, with the metrics endpoint bound to {@code port}. */
    public static String of(PipelineConfig config, Map<String, String> env, int port) {
        String configured = config.queries().advertisedServer();
        String fromEnv = env.getOrDefault(ConfigKeys.ADVERTISED_SERVER_ENV, "").strip();
        if (configured.isEmpty() && !fromEnv.isEmpty() && !ConfigKeys.isHostPort(fromEnv)) {
            throw new ConfigException(ConfigKeys.ADVERTISED_SERVER_ENV + ": '" + fromEnv + "' is not host:port;"
                    + " allowed: a host name or IPv4 address, ':', a port 1..65535");
        }
        String direct = config.kafka().get(StreamsConfig.APPLICATION_SERVER_CONFIG);
        String chosen = !configured.isEmpty() ? configured : !fromEnv.isEmpty() ? fromEnv : direct;
        if (direct != null && !direct.equals(chosen)) {
            throw new ConfigException("kafka." + StreamsConfig.APPLICATION_SERVER_CONFIG + ": '" + direct
                    + "' contradicts queries.advertisedServer '" + chosen + "'; set one of them");
        }
        return chosen != null ? chosen : hostOf(config.metrics().host()) + ":" + port;
    }

    private static String hostOf(String listening) {
        if (!listening.equals("0.0.0.0") && !listening.equals("::") && !listening.equals("[::]")) {
            return listening;
        }
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
