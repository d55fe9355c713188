package io.sensorcast.demo;

import kafka.server.BrokerServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.PreboundSocketFactoryManager;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** A single-node KRaft Kafka cluster (one combined broker and controller) running inside this JVM on loopback. */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private static final String LOOPBACK = "127.0.0.1";
    private static final long ADMIN_TIMEOUT_SECONDS = 30;

    /** The SASL mechanism of {@link #startWithScram}'s client listener. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    // Kafka's minimum; the broker stores only the salted hash, so the count is all that costs start-up time.
    private static final int SCRAM_ITERATIONS = 4096;

    private final KafkaClusterTestKit cluster;
    private final Path dataDirectory;
    private final String bootstrapServers;
    private final String adminBootstrapServers;
    private final Security security;
    private final TlsMaterial tls;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaClusterTestKit cluster, Path dataDirectory, String bootstrapServers,
                                String adminBootstrapServers, Security security, TlsMaterial tls) {
        this.cluster = cluster;
        this.dataDirectory = dataDirectory;
        this.bootstrapServers = bootstrapServers;
        this.adminBootstrapServers = adminBootstrapServers;
        this.security = security;
        this.tls = tls;
    }

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

    /** Starts a broker whose auto-created topics get one partition, and waits until it accepts clients. */
    public static EmbeddedKafkaBroker start() {
        return start(1);
    }

    /**
     * Starts a broker and waits until it accepts clients.
     *
     * @param defaultPartitions partition count of topics created without an explicit count (auto-created ones)
     */
    public static EmbeddedKafkaBroker start(int defaultPartitions) {
        return start(defaultPartitions, Security.NONE, Optional.empty());
    }

    /**
     * Starts a broker whose client listener ({@link #bootstrapServers()}) accepts only SASL_PLAINTEXT with
     * SCRAM-SHA-512 and this one user, and waits until the user can log in. The controller listener and a
     * second, unauthenticated broker listener stay PLAINTEXT on 127.0.0.1: the node needs them for itself,
     * and this class creates the user and topics through them. Clients bootstrapping from
     * {@link #bootstrapServers()} only ever learn the SASL listener's address.
     */
    public static EmbeddedKafkaBroker startWithScram(int defaultPartitions, ScramUser user) {
        return start(defaultPartitions, Security.SCRAM, Optional.of(user));
    }

    /**
     * As {@link #startWithScram}, but the client listener is SASL_SSL: TLS with a self-signed broker certificate
     * (see {@link #startWithMutualTls}) and no client certificate, then SCRAM-SHA-512 inside it.
     * {@link #saslSslClientProperties} holds the matching client settings.
     */
    public static EmbeddedKafkaBroker startWithScramOverTls(int defaultPartitions, ScramUser user) {
        return start(defaultPartitions, Security.SCRAM_OVER_TLS, Optional.of(user));
    }

    /** Client settings that log in to a {@link #startWithScram} broker as this user. */
    public static Map<String, String> scramClientProperties(ScramUser user) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        p.put(SaslConfigs.SASL_MECHANISM, SCRAM_MECHANISM);
        p.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"" + user.username() + "\" password=\"" + user.password() + "\";");
        return p;
    }

    /**
     * Starts a broker whose client listener ({@link #bootstrapServers()}) accepts only TLS connections that
     * present a client certificate (mutual TLS); {@link #tlsClientProperties()} holds the client's key and trust
     * material. Certificates are self-signed, made by the JDK's keytool, valid for two days and deleted with the
     * broker. The controller listener and a second broker listener stay PLAINTEXT on 127.0.0.1, as for
     * {@link #startWithScram}.
     */
    public static EmbeddedKafkaBroker startWithMutualTls(int defaultPartitions) {
        return start(defaultPartitions, Security.MUTUAL_TLS, Optional.empty());
    }

    /** What the client listener demands, and under which name and protocol it is configured. */
    private enum Security {
        NONE(null, null), SCRAM("SASL", "SASL_PLAINTEXT"), SCRAM_OVER_TLS("SASL", "SASL_SSL"), MUTUAL_TLS("TLS", "SSL");

        final String listener;
        final String protocol;

        Security(String listener, String protocol) {
            this.listener = listener;
            this.protocol = protocol;
        }

        boolean tls() {
            return this == SCRAM_OVER_TLS || this == MUTUAL_TLS;
        }
    }

    private static EmbeddedKafkaBroker start(int defaultPartitions, Security security, Optional<ScramUser> scramUser) {
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException("defaultPartitions must be at least 1, was " + defaultPartitions);
        }
        long startedNs = System.nanoTime();
        Path dataDirectory;
        try {
            dataDirectory = Files.createTempDirectory("sensorcast-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker's data directory", e);
        }
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(dataDirectory)
                    .build();
            String brokerListener = nodes.brokerListenerName().value();
            String controllerListener = nodes.controllerListenerName().value();
            String listeners = brokerListener + "://" + LOOPBACK + ":0," + controllerListener + "://" + LOOPBACK + ":0";
            String secured = security.listener;
            TlsMaterial tls = security.tls() ? TlsMaterial.create(dataDirectory.resolve("tls")) : null;
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes)
                    // Port 0 is a placeholder: the test kit has already reserved each listener's port.
                    .setConfigProp("listeners", secured == null
                            ? listeners : listeners + "," + secured + "://" + LOOPBACK + ":0")
                    .setConfigProp("num.partitions", Integer.toString(defaultPartitions))
                    // A single node cannot meet Kafka's production defaults of three replicas.
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                    .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                    // Fifty partitions per internal topic slow the first group and transaction down and buy nothing on one node.
                    .setConfigProp("offsets.topic.num.partitions", "4")
                    .setConfigProp("transaction.state.log.num.partitions", "4")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    // Records carry their event time, and simulations run ahead of the wall clock; Kafka 4 rejects
                    // timestamps more than an hour ahead unless told otherwise.
                    .setConfigProp("log.message.timestamp.after.max.ms", Long.toString(Long.MAX_VALUE));
            if (security != Security.NONE) {
                addSecuredListener(builder, nodes, security, tls);
            }
            cluster = builder.build();
            bindToLoopbackOnly(cluster, nodes);
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            String plaintext = loopbackBootstrapServers(cluster, nodes.brokerListenerName());
            String bootstrap = secured == null
                    ? plaintext : loopbackBootstrapServers(cluster, ListenerName.normalised(secured));
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(cluster, dataDirectory, bootstrap, plaintext,
                    security, tls);
            if (scramUser.isPresent()) {
                Map<String, String> login = security == Security.SCRAM_OVER_TLS
                        ? broker.saslSslClientProperties(scramUser.get()) : scramClientProperties(scramUser.get());
                createScramUser(plaintext, bootstrap, scramUser.get(), login);
            }
            log.info("Embedded Kafka broker ready at {} in {} ms (data in {})",
                    bootstrap, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNs), dataDirectory);
            return broker;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(cluster);
            deleteRecursively(dataDirectory);
            throw new IllegalStateException("embedded Kafka broker failed to start", e);
        }
    }

    private static void addSecuredListener(KafkaClusterTestKit.Builder builder, TestKitNodes nodes, Security security,
                                           TlsMaterial tls) {
        String prefix = "listener.name." + security.listener.toLowerCase(Locale.ROOT) + ".";
        // Naming the map replaces the test kit's, so the two listeners it manages are repeated here.
        builder.setConfigProp("listener.security.protocol.map",
                nodes.brokerListenerName().value() + ":" + nodes.brokerListenerProtocol().name + ","
                        + nodes.controllerListenerName().value() + ":" + nodes.controllerListenerProtocol().name
                        + "," + security.listener + ":" + security.protocol);
        if (tls != null) {
            tls.brokerListenerProperties().forEach((k, v) -> builder.setConfigProp(prefix + k, v));
            builder.setConfigProp(prefix + "ssl.client.auth", security == Security.MUTUAL_TLS ? "required" : "none");
        }
        if (security == Security.SCRAM || security == Security.SCRAM_OVER_TLS) {
            builder.setConfigProp(prefix + "sasl.enabled.mechanisms", SCRAM_MECHANISM)
                    // The broker side of SCRAM needs a login module but no credentials of its own: it checks
                    // clients against the salted credentials in the cluster metadata.
                    .setConfigProp(prefix + SCRAM_MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                            "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
    }

    /**
     * KRaft keeps SCRAM credentials in the cluster metadata, so the user is created through the admin API once
     * the node runs. The controller acknowledges before the broker has applied the record, so this waits until
     * a login on the SASL listener succeeds.
     */
    private static void createScramUser(String plaintext, String sasl, ScramUser user, Map<String, String> security)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plaintext))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user.username(),
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), user.password())))
                    .all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        Map<String, Object> login = new LinkedHashMap<>(security);
        login.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, sasl);
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

    /**
     * The test kit reserves every listener's port up front by binding it on the wildcard address, and offers no
     * setting for that address. It does rebind a reserved socket that was closed on the listener's configured host
     * and the same port, so closing the reservations before startup leaves the node listening on loopback only.
     */
    private static void bindToLoopbackOnly(KafkaClusterTestKit cluster, TestKitNodes nodes) throws IOException {
        PreboundSocketFactoryManager sockets;
        try {
            Field field = KafkaClusterTestKit.class.getDeclaredField("socketFactoryManager");
            field.setAccessible(true);
            sockets = (PreboundSocketFactoryManager) field.get(cluster);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Failing beats silently listening on every interface after a Kafka upgrade renames the field.
            throw new IllegalStateException("cannot restrict the embedded broker to loopback with this Kafka version", e);
        }
        for (int nodeId : nodes.controllerNodes().keySet()) {
            closeReservation(sockets, nodeId, nodes.controllerListenerName().value());
        }
        for (int nodeId : nodes.brokerNodes().keySet()) {
            closeReservation(sockets, nodeId, nodes.brokerListenerName().value());
        }
    }

    private static void closeReservation(PreboundSocketFactoryManager sockets, int nodeId, String listener)
            throws IOException {
        ServerSocketChannel reserved = sockets.getSocketForListenerAndMarkAsUsed(nodeId, listener);
        if (reserved != null) {
            reserved.close();
        }
    }

    private static String loopbackBootstrapServers(KafkaClusterTestKit cluster, ListenerName listener) {
        StringBuilder servers = new StringBuilder();
        for (BrokerServer broker : cluster.brokers().values()) {
            if (servers.length() > 0) {
                servers.append(',');
            }
            servers.append(LOOPBACK).append(':').append(broker.boundPort(listener));
        }
        return servers.toString();
    }

    /**
     * The {@code bootstrap.servers} value for clients of this broker, e.g. {@code 127.0.0.1:40123}; for a
     * {@link #startWithScram} broker, its SASL listener.
     */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Client settings for a {@link #startWithMutualTls} broker: {@code security.protocol=SSL}, a PEM truststore
     * holding the broker's certificate, and a PKCS12 keystore with the client's key and certificate.
     *
     * @throws IllegalStateException for a broker started without TLS
     */
    public Map<String, String> tlsClientProperties() {
        if (security != Security.MUTUAL_TLS) {
            throw new IllegalStateException("this broker was not started with mutual TLS");
        }
        return tls.clientProperties();
    }

    /**
     * Client settings that log in to a {@link #startWithScramOverTls} broker as this user: SASL_SSL, SCRAM-SHA-512
     * and a PEM truststore holding the broker's certificate.
     *
     * @throws IllegalStateException for a broker started otherwise
     */
    public Map<String, String> saslSslClientProperties(ScramUser user) {
        if (security != Security.SCRAM_OVER_TLS) {
            throw new IllegalStateException("this broker was not started with SASL_SSL");
        }
        Map<String, String> p = new LinkedHashMap<>(scramClientProperties(user));
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        p.putAll(tls.clientTrustProperties());
        return Map.copyOf(p);
    }

    /** The directory holding the node's metadata and logs; it is deleted by {@link #close()}. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Creates topics with the broker's default topic configuration; fails if any of them exists already. */
    public void createTopics(Map<String, Integer> partitionsByName) {
        createTopics(partitionsByName, Map.of());
    }

    /**
     * Creates topics, each with the given partition count and all with the same topic configuration
     * (e.g. {@code cleanup.policy=compact}); fails if any of them exists already.
     */
    public void createTopics(Map<String, Integer> partitionsByName, Map<String, String> topicConfigs) {
        List<NewTopic> topics = partitionsByName.entrySet().stream()
                .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1).configs(Map.copyOf(topicConfigs)))
                .toList();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, adminBootstrapServers))) {
            admin.createTopics(topics).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            awaitVisible(admin, partitionsByName.keySet());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + partitionsByName.keySet(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics " + partitionsByName.keySet(), e);
        }
    }

    /**
     * The controller acknowledges a new topic before the broker's metadata has caught up; until then
     * describing or producing to it fails with UnknownTopicOrPartition. Wait, so callers can use it at once.
     */
    private static void awaitVisible(Admin admin, java.util.Set<String> names)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ADMIN_TIMEOUT_SECONDS);
        while (true) {
            try {
                admin.describeTopics(names).allTopicNames().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                admin.describeConfigs(names.stream()
                        .map(n -> new org.apache.kafka.common.config.ConfigResource(
                                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, n)).toList())
                        .all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("topics " + names + " did not become visible: " + notYet.getMessage());
                }
                Thread.sleep(50);
            }
        }
    }

    /** Stops the node and deletes its data directory; calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long startedNs = System.nanoTime();
        closeQuietly(cluster);
        deleteRecursively(dataDirectory);
        log.info("Embedded Kafka broker stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNs));
    }

    private static void closeQuietly(KafkaClusterTestKit cluster) {
        if (cluster == null) {
            return;
        }
        try {
            cluster.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Interrupted while stopping the embedded Kafka broker", e);
        } catch (Exception e) {
            log.warn("Embedded Kafka broker did not stop cleanly", e);
        }
    }

    // The test kit deletes its base directory itself; this covers a failed start and anything it left behind.
    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            log.warn("Cannot delete the embedded broker's data directory {}", root, e);
        }
    }
}
