package io.sensorcast.testing;

import io.sensorcast.demo.EmbeddedKafkaBroker;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The embedded broker with a secured client listener, for the security tests: SASL_PLAINTEXT or SASL_SSL with
 * SCRAM-SHA-512 and one user, or mutual TLS. The controller listener and a plaintext broker listener stay on
 * 127.0.0.1: the node needs them, and topics and the user are created through them. Clients bootstrapping from
 * {@link #bootstrapServers()} only ever learn the secured listener's address.
 */
public final class SecuredKafkaBroker implements AutoCloseable {

    /** The SASL mechanism of the SCRAM listeners. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    // Kafka's minimum; the broker stores only the salted hash, so the count is all that costs start-up time.
    private static final int SCRAM_ITERATIONS = 4096;
    private static final long ADMIN_TIMEOUT_SECONDS = 30;

    /** A SCRAM user the SASL listener accepts. */
    public record ScramUser(String username, String password) {
        public ScramUser {
            if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
                throw new IllegalArgumentException("a SCRAM user needs a user name and a password");
            }
            if (username.contains("\"") || password.contains("\"")) {
                throw new IllegalArgumentException("a JAAS option value cannot contain a double quote");
            }
        }

        // The default record string would print the password.
        @Override
        public String toString() {
            return "ScramUser[" + username + "]";
        }
    }

    private final EmbeddedKafkaBroker broker;
    private final Listener listener;

    private SecuredKafkaBroker(EmbeddedKafkaBroker broker, Listener listener) {
        this.broker = broker;
        this.listener = listener;
    }

    /** A broker whose client listener accepts only SASL_PLAINTEXT with SCRAM-SHA-512 and this one user. */
    public static SecuredKafkaBroker startWithScram(int defaultPartitions, ScramUser user) {
        return start(defaultPartitions, new Listener("SASL", "SASL_PLAINTEXT", user, false));
    }

    /**
     * As {@link #startWithScram}, but SASL_SSL: TLS with a self-signed broker certificate and no client
     * certificate, then SCRAM-SHA-512 inside it. {@link #saslSslClientProperties} holds the client settings.
     */
    public static SecuredKafkaBroker startWithScramOverTls(int defaultPartitions, ScramUser user) {
        return start(defaultPartitions, new Listener("SASL", "SASL_SSL", user, true));
    }

    /**
     * A broker whose client listener accepts only TLS connections that present a client certificate;
     * {@link #tlsClientProperties()} holds the client's key and trust material. Certificates are self-signed,
     * made by the JDK's keytool and deleted with the broker.
     */
    public static SecuredKafkaBroker startWithMutualTls(int defaultPartitions) {
        return start(defaultPartitions, new Listener("TLS", "SSL", null, true));
    }

    private static SecuredKafkaBroker start(int defaultPartitions, Listener listener) {
        return new SecuredKafkaBroker(EmbeddedKafkaBroker.start(defaultPartitions, listener), listener);
    }

    /** Client settings that log in to a SASL_PLAINTEXT SCRAM broker as this user. */
    public static Map<String, String> scramClientProperties(ScramUser user) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        p.put(SaslConfigs.SASL_MECHANISM, SCRAM_MECHANISM);
        p.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"" + user.username() + "\" password=\"" + user.password() + "\";");
        return p;
    }

    /** The secured listener's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /**
     * Client settings for a {@link #startWithMutualTls} broker: {@code security.protocol=SSL}, a PEM truststore
     * holding the broker's certificate, and a PKCS12 keystore with the client's key and certificate.
     *
     * @throws IllegalStateException for a broker started without mutual TLS
     */
    public Map<String, String> tlsClientProperties() {
        if (!listener.protocol().equals("SSL")) {
            throw new IllegalStateException("this broker was not started with mutual TLS");
        }
        return listener.tls.clientProperties();
    }

    /**
     * Client settings that log in to a {@link #startWithScramOverTls} broker as this user: SASL_SSL, SCRAM-SHA-512
     * and a PEM truststore holding the broker's certificate.
     *
     * @throws IllegalStateException for a broker started otherwise
     */
    public Map<String, String> saslSslClientProperties(ScramUser user) {
        if (!listener.protocol().equals("SASL_SSL")) {
            throw new IllegalStateException("this broker was not started with SASL_SSL");
        }
        return listener.saslSslClientProperties(user);
    }

    public Path dataDirectory() {
        return broker.dataDirectory();
    }

    public void createTopics(Map<String, Integer> partitionsByName) {
        broker.createTopics(partitionsByName);
    }

    public void createTopics(Map<String, Integer> partitionsByName, Map<String, String> topicConfigs) {
        broker.createTopics(partitionsByName, topicConfigs);
    }

    @Override
    public void close() {
        broker.close();
    }

    /** The secured listener: SCRAM when it has a user, TLS when asked, client certificates when not SCRAM. */
    private static final class Listener implements EmbeddedKafkaBroker.ClientListener {

        private final String name;
        private final String protocol;
        private final ScramUser user;
        private final boolean withTls;
        private TlsMaterial tls;

        Listener(String name, String protocol, ScramUser user, boolean withTls) {
            this.name = name;
            this.protocol = protocol;
            this.user = user;
            this.withTls = withTls;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String protocol() {
            return protocol;
        }

        @Override
        public Map<String, String> brokerSettings(Path directory) throws IOException, InterruptedException {
            Map<String, String> settings = new LinkedHashMap<>();
            if (withTls) {
                tls = TlsMaterial.create(directory.resolve("tls"));
                settings.putAll(tls.brokerListenerProperties());
                settings.put("ssl.client.auth", user == null ? "required" : "none");
            }
            if (user != null) {
                settings.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
                // The broker side of SCRAM needs a login module but no credentials of its own: it checks
                // clients against the salted credentials in the cluster metadata.
                settings.put(SCRAM_MECHANISM.toLowerCase() + ".sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            }
            return settings;
        }

        /**
         * KRaft keeps SCRAM credentials in the cluster metadata, so the user is created through the admin API once
         * the node runs. The controller acknowledges before the broker has applied the record, so this waits until
         * a login on the SASL listener succeeds.
         */
        @Override
        public void prepare(String plaintext, String secured)
                throws InterruptedException, ExecutionException, TimeoutException {
            if (user == null) {
                return;
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plaintext))) {
                admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user.username(),
                                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), user.password())))
                        .all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            Map<String, Object> login = new LinkedHashMap<>(withTls ? saslSslClientProperties(user)
                    : scramClientProperties(user));
            login.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, secured);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ADMIN_TIMEOUT_SECONDS);
            while (true) {
                try (Admin admin = Admin.create(login)) {
                    admin.describeCluster().clusterId().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof SaslAuthenticationException) || System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
        }

        Map<String, String> saslSslClientProperties(ScramUser user) {
            Map<String, String> p = new LinkedHashMap<>(scramClientProperties(user));
            p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
            p.putAll(tls.clientTrustProperties());
            return Map.copyOf(p);
        }
    }
}
