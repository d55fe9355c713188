package io.sensorcast.demo;

import io.sensorcast.service.PartitionLeaders;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
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
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A single-node KRaft Kafka cluster (one combined broker and controller) running inside this JVM on loopback,
 * with plaintext listeners. The tests add a secured client listener (SCRAM, TLS) through {@link ClientListener};
 * those fixtures live under src/test, as the demo needs none of them.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private static final String LOOPBACK = "127.0.0.1";
    private static final long ADMIN_TIMEOUT_SECONDS = 30;

    private final KafkaClusterTestKit cluster;
    private final Path dataDirectory;
    private final String bootstrapServers;
    private final String adminBootstrapServers;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaClusterTestKit cluster, Path dataDirectory, String bootstrapServers,
                                String adminBootstrapServers) {
        this.cluster = cluster;
        this.dataDirectory = dataDirectory;
        this.bootstrapServers = bootstrapServers;
        this.adminBootstrapServers = adminBootstrapServers;
    }

    /**
     * A further client listener on 127.0.0.1 that becomes {@link #bootstrapServers()}; the controller listener and
     * the plaintext broker listener stay, as the node needs them for itself and {@link #createTopics} uses them.
     */
    public interface ClientListener {

        /** The listener's name, e.g. {@code SASL}. */
        String name();

        /** Its security protocol, e.g. {@code SASL_SSL}. */
        String protocol();

        /**
         * The listener's broker settings, without the {@code listener.name.<name>.} prefix; files it needs go
         * under {@code directory}, which is deleted with the broker.
         */
        Map<String, String> brokerSettings(Path directory) throws IOException, InterruptedException;

        /**
         * Runs once the node accepts clients, before {@link #start} returns (e.g. creates a user).
         *
         * @param plaintext the plaintext listener's bootstrap servers
         * @param secured   this listener's bootstrap servers
         */
        void prepare(String plaintext, String secured) throws Exception;
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
        return start(defaultPartitions, Optional.empty());
    }

    /**
     * Starts a broker whose {@link #bootstrapServers()} is {@code listener}, and waits until it accepts clients
     * and the listener is prepared.
     */
    public static EmbeddedKafkaBroker start(int defaultPartitions, ClientListener listener) {
        return start(defaultPartitions, Optional.of(listener));
    }

    private static EmbeddedKafkaBroker start(int defaultPartitions, Optional<ClientListener> extra) {
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
            String secured = extra.map(ClientListener::name).orElse(null);
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
            if (extra.isPresent()) {
                addListener(builder, nodes, extra.get(), dataDirectory.resolve("listener"));
            }
            cluster = builder.build();
            bindToLoopbackOnly(cluster, nodes);
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            String plaintext = loopbackBootstrapServers(cluster, nodes.brokerListenerName());
            String bootstrap = secured == null
                    ? plaintext : loopbackBootstrapServers(cluster, ListenerName.normalised(secured));
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(cluster, dataDirectory, bootstrap, plaintext);
            if (extra.isPresent()) {
                extra.get().prepare(plaintext, bootstrap);
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

    private static void addListener(KafkaClusterTestKit.Builder builder, TestKitNodes nodes, ClientListener listener,
                                    Path directory) throws IOException, InterruptedException {
        String prefix = "listener.name." + listener.name().toLowerCase(Locale.ROOT) + ".";
        // Naming the map replaces the test kit's, so the two listeners it manages are repeated here.
        builder.setConfigProp("listener.security.protocol.map",
                nodes.brokerListenerName().value() + ":" + nodes.brokerListenerProtocol().name + ","
                        + nodes.controllerListenerName().value() + ":" + nodes.controllerListenerProtocol().name
                        + "," + listener.name() + ":" + listener.protocol());
        listener.brokerSettings(directory).forEach((k, v) -> builder.setConfigProp(prefix + k, v));
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
     * The {@code bootstrap.servers} value for clients of this broker, e.g. {@code 127.0.0.1:40123}; for a broker
     * started with a {@link ClientListener}, that listener's.
     */
    public String bootstrapServers() {
        return bootstrapServers;
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
            PartitionLeaders.awaitServing(admin, partitionsByName, Duration.ofSeconds(ADMIN_TIMEOUT_SECONDS));
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
    private static void awaitVisible(Admin admin, Set<String> names)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ADMIN_TIMEOUT_SECONDS);
        while (true) {
            try {
                admin.describeTopics(names).allTopicNames().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                admin.describeConfigs(names.stream()
                        .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList())
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
