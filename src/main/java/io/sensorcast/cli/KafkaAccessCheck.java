package io.sensorcast.cli;

import io.sensorcast.config.ConfigException;
import io.sensorcast.config.KafkaClientProperties;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.SecretRedaction;
import org.apache.kafka.clients.ClientUtils;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.JaasContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks the Kafka client settings before the service starts, so a broken JAAS string, wrong credentials or an
 * unreachable cluster stop start-up with a message naming the setting to fix. Without it the model reader only
 * logs a warning, and the first client to fail is the topic check, whose message blames the bootstrap servers.
 */
final class KafkaAccessCheck {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaAccessCheck.class);

    private KafkaAccessCheck() {
    }

    /**
     * Checks the client settings without connecting: every value has the type Kafka expects, and a JAAS
     * configuration parses. Runs first, so a typo is reported by key instead of as a client's stack trace.
     *
     * @throws ConfigException naming {@code kafka.sasl.jaas.config}, or quoting Kafka's message about the key
     */
    static void validateSettings(PipelineConfig config) {
        Map<String, String> kafka = config.kafka();
        AdminClientConfig parsed;
        try {
            parsed = new AdminClientConfig(KafkaClientProperties.forClient(kafka, AdminClientConfig.configNames()));
        } catch (KafkaException e) {
            throw new ConfigException("kafka: " + messages(e, kafka));
        }
        validateBootstrapServers(kafka.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG),
                parsed.getString(CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG));
        if (parsed.getPassword(SaslConfigs.SASL_JAAS_CONFIG) == null) {
            return;
        }
        try {
            JaasContext.loadClientContext(parsed.values());
        } catch (IllegalArgumentException | KafkaException e) {
            // Kafka quotes the token it stumbled on, which with a stray quote can be a piece of the password.
            String reason = messages(e, kafka).replaceAll("'[^']*'", "").replaceAll("\\s+", " ");
            throw new ConfigException("kafka.sasl.jaas.config: not a valid JAAS configuration (" + reason
                    + "); expected: <login module class> required key=\"value\" ...;");
        }
    }

    /**
     * Every address has a host and a port, and at least one host resolves: otherwise each Kafka client fails as it is
     * built, with "Failed to create new KafkaAdminClient" and the reason only in the cause.
     */
    private static void validateBootstrapServers(String servers, String dnsLookup) {
        if (servers == null || servers.isBlank()) {
            throw new ConfigException("kafka.bootstrap.servers: not set; give the cluster's addresses as host:port[,host:port...]");
        }
        try {
            ClientUtils.parseAndValidateAddresses(Arrays.stream(servers.split(",")).map(String::strip).toList(), dnsLookup);
        } catch (KafkaException e) {
            throw new ConfigException("kafka.bootstrap.servers: '" + servers + "' is not usable: " + e.getMessage()
                    + " (each address must be host:port, and at least one host must resolve)");
        }
    }

    /**
     * Asks the cluster for its id with the pipeline's client settings and logs those settings, secrets redacted.
     *
     * @throws ConfigException naming {@code kafka.sasl.jaas.config}, {@code kafka.ssl.*} or
     *                         {@code kafka.bootstrap.servers} when the cluster refuses or does not answer
     */
    static void verify(PipelineConfig config, Duration timeout) {
        Map<String, String> kafka = config.kafka();
        String servers = kafka.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        Properties props = KafkaClientProperties.forClient(kafka, AdminClientConfig.configNames());
        int timeoutMs = Math.toIntExact(timeout.toMillis());
        // One bounded attempt: the check must fail within the timeout instead of retrying a dead address.
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(timeoutMs));
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(timeoutMs));
        // Against a closed port the client logs a warning per reconnect; a slower backoff keeps that to a few lines.
        props.putIfAbsent(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "1000");
        props.putIfAbsent(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "5000");
        LOG.info("Kafka client settings: {}", SecretRedaction.redact(kafka));
        String clusterId;
        try (Admin admin = Admin.create(props)) {
            clusterId = admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                    .clusterId().get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (KafkaException e) {
            throw new ConfigException("kafka: the client settings are not usable: " + messages(e, kafka));
        } catch (ExecutionException e) {
            throw refused(e.getCause(), servers, kafka, timeout);
        } catch (TimeoutException e) {
            throw unreachable(servers, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to " + servers, e);
        }
        LOG.info("Connected to Kafka cluster {} at {} ({})", clusterId, servers,
                kafka.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT"));
    }

    private static ConfigException refused(Throwable cause, String servers, Map<String, String> kafka,
                                           Duration timeout) {
        String mechanism = kafka.getOrDefault("sasl.mechanism", "GSSAPI");
        if (cause instanceof SaslAuthenticationException) {
            return new ConfigException("kafka.sasl.jaas.config: the cluster at " + servers + " refused the "
                    + mechanism + " credentials: " + messages(cause, kafka));
        }
        if (cause instanceof SslAuthenticationException) {
            return new ConfigException("kafka.ssl.*: the TLS handshake with " + servers + " failed (check the"
                    + " truststore, and the keystore for mutual TLS): " + messages(cause, kafka));
        }
        if (cause instanceof AuthenticationException) {
            return new ConfigException("kafka.security.protocol: authentication with " + servers + " failed: "
                    + messages(cause, kafka));
        }
        if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return unreachable(servers, timeout);
        }
        return new ConfigException("kafka.bootstrap.servers: cannot use the cluster at " + servers + ": "
                + messages(cause, kafka));
    }

    private static ConfigException unreachable(String servers, Duration timeout) {
        return new ConfigException("kafka.bootstrap.servers: no answer from " + servers
                + " within " + timeout.toSeconds() + " s"
                + " (is the address right, and does kafka.security.protocol match the broker's listener?)");
    }

    // The cause stays off the exception: its own messages are unredacted, and a stack trace would print them.
    // Kafka wraps the useful message ("Invalid JAAS ...") in generic ones; show the chain, secrets hidden.
    private static String messages(Throwable e, Map<String, String> kafka) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && text.indexOf(t.getMessage()) < 0) {
                text.append(text.length() == 0 ? "" : ": ").append(t.getMessage());
            }
        }
        return SecretRedaction.redactText(text.toString(), kafka);
    }
}
