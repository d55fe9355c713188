package io.sensorcast.demo;

import io.sensorcast.testing.IntegrationTest;
import io.sensorcast.testing.KafkaBrokerExtension;
import io.sensorcast.testing.SecuredKafkaBroker.ScramUser;
import io.sensorcast.testing.SecuredKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

// One broker for the whole class: starting one costs seconds, and the last test is the one that closes it.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@IntegrationTest
class EmbeddedKafkaBrokerTest {

    @RegisterExtension
    static final KafkaBrokerExtension<EmbeddedKafkaBroker> KAFKA = KafkaBrokerExtension.plain(2);

    private static EmbeddedKafkaBroker broker() {
        return KAFKA.broker();
    }

    @Test
    @Order(1)
    void bootstrapServersPointAtLoopback() {
        assertThat(broker().bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
    }

    @Test
    @Order(2)
    void everySocketTheJvmListensOnIsBoundToLoopback() throws IOException {
        Path procTcp = Path.of("/proc/net/tcp");
        assumeTrue(Files.isReadable(procTcp), "needs Linux /proc to list listening sockets");

        List<String> listening = listeningAddressesOfThisProcess();

        // The combined node has at least a broker and a controller listener.
        assertThat(listening).hasSizeGreaterThanOrEqualTo(2);
        assertThat(listening).allSatisfy(address -> assertThat(address).startsWith("127.0.0.1:"));
        assertThat(listening).contains(broker().bootstrapServers());
    }

    @Test
    @Order(3)
    void createsTopicsWithTheirPartitionCountsAndConfigs() throws Exception {
        broker().createTopics(Map.of("plain-a", 3, "plain-b", 1));
        broker().createTopics(Map.of("compacted", 2), Map.of("cleanup.policy", "compact"));

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker().bootstrapServers()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of("plain-a", "plain-b", "compacted"))
                    .allTopicNames().get(30, TimeUnit.SECONDS);
            assertThat(topics.get("plain-a").partitions()).hasSize(3);
            assertThat(topics.get("plain-b").partitions()).hasSize(1);
            assertThat(topics.get("compacted").partitions()).hasSize(2);

            ConfigResource compacted = new ConfigResource(ConfigResource.Type.TOPIC, "compacted");
            ConfigResource plain = new ConfigResource(ConfigResource.Type.TOPIC, "plain-a");
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(compacted, plain))
                    .all().get(30, TimeUnit.SECONDS);
            assertThat(configs.get(compacted).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(configs.get(plain).get("cleanup.policy").value()).isEqualTo("delete");
        }
    }

    @Test
    @Order(4)
    void creatingAnExistingTopicFails() {
        broker().createTopics(Map.of("taken", 1));

        assertThatThrownBy(() -> broker().createTopics(Map.of("taken", 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("taken");
    }

    @Test
    @Order(5)
    void recordFromIdempotentProducerIsReadBackCommitted() throws Exception {
        broker().createTopics(Map.of("events", 2));
        String event = "{\"sensorId\":\"pump-7\",\"ts\":\"2026-11-22T10:15:00Z\",\"value\":21.4}";

        RecordMetadata written;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker().bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            written = producer.send(new ProducerRecord<>("events", "pump-7", event)).get(30, TimeUnit.SECONDS);
        }

        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "embedded-broker-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("events"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (read.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }

        assertThat(read).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("pump-7");
            assertThat(record.value()).isEqualTo(event);
            assertThat(record.partition()).isEqualTo(written.partition());
            assertThat(record.offset()).isEqualTo(written.offset());
        });
    }

    @Test
    @Order(6)
    void acceptsRecordsTimestampedFarFromTheWallClock() throws Exception {
        long future = System.currentTimeMillis() + TimeUnit.DAYS.toMillis(400);
        long past = Instant.parse("2013-12-02T21:15:00Z").toEpochMilli();
        broker().createTopics(Map.of("replay", 1));

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker().bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            RecordMetadata ahead = producer.send(new ProducerRecord<>("replay", null, future, "k", "v"))
                    .get(30, TimeUnit.SECONDS);
            RecordMetadata behind = producer.send(new ProducerRecord<>("replay", null, past, "k", "v"))
                    .get(30, TimeUnit.SECONDS);

            assertThat(ahead.timestamp()).isEqualTo(future);
            assertThat(behind.timestamp()).isEqualTo(past);
        }
    }

    @Test
    @Order(7)
    void autoCreatedTopicGetsTheDefaultPartitionCount() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker().bootstrapServers()));
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker().bootstrapServers()),
                     new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("auto-created", "k", "v")).get(30, TimeUnit.SECONDS);

            TopicDescription topic = admin.describeTopics(List.of("auto-created"))
                    .allTopicNames().get(30, TimeUnit.SECONDS).get("auto-created");
            assertThat(topic.partitions()).hasSize(2);
        }
    }

    @Test
    @Order(8)
    void closeStopsTheBrokerAndDeletesItsDataDirectory() {
        Path dataDirectory = broker().dataDirectory();
        int port = Integer.parseInt(broker().bootstrapServers().substring(broker().bootstrapServers().indexOf(':') + 1));
        assertThat(dataDirectory).isDirectory();

        broker().close();
        broker().close();

        assertThat(dataDirectory).doesNotExist();
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            }
        }).isInstanceOf(ConnectException.class);
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithScram {

        private final ScramUser user = new ScramUser("sensorcast", "s3cret-Pa55");
        private SecuredKafkaBroker scram;

        @BeforeAll
        void startScramBroker() {
            scram = SecuredKafkaBroker.startWithScram(1, user);
        }

        @AfterAll
        void stopScramBroker() {
            if (scram != null) {
                scram.close();
            }
        }

        @Test
        void userWithTheRightPasswordProducesAndConsumesOverSasl() throws Exception {
            scram.createTopics(Map.of("secured", 1));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    clientProperties(SecuredKafkaBroker.scramClientProperties(user)),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("secured", "k", "v")).get(30, TimeUnit.SECONDS);
            }
            Map<String, Object> consumerProps = clientProperties(SecuredKafkaBroker.scramClientProperties(user));
            consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "scram-test");
            consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            List<String> read = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps,
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("secured"));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (read.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.value()));
                }
            }
            assertThat(read).containsExactly("v");
        }

        @Test
        void wrongPasswordIsRefusedWithAnAuthenticationError() {
            Map<String, Object> props = clientProperties(SecuredKafkaBroker.scramClientProperties(
                    new ScramUser("sensorcast", "not-the-password")));
            try (Admin admin = Admin.create(props)) {
                assertThatThrownBy(() -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(SaslAuthenticationException.class);
            }
        }

        @Test
        void clientWithoutSaslGetsNoAnswer() {
            Map<String, Object> props = clientProperties(Map.of());
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
            props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
            try (Admin admin = Admin.create(props)) {
                assertThatThrownBy(() -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(TimeoutException.class);
            }
        }

        @Test
        void everyListenerOfTheScramBrokerIsOnLoopback() throws IOException {
            assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc to list listening sockets");

            List<String> listening = listeningAddressesOfThisProcess();

            // Controller, plaintext broker and SASL listeners.
            assertThat(listening).hasSizeGreaterThanOrEqualTo(3);
            assertThat(listening).allSatisfy(address -> assertThat(address).startsWith("127.0.0.1:"));
            assertThat(listening).contains(scram.bootstrapServers());
        }

        @Test
        void plaintextSaslBrokerOffersNoTlsSettings() {
            assertThatThrownBy(() -> scram.saslSslClientProperties(user)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> scram.tlsClientProperties()).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void scramUserNeverPrintsItsPassword() {
            assertThat(user.toString()).contains("sensorcast").doesNotContain(user.password());
        }

        private Map<String, Object> clientProperties(Map<String, String> security) {
            Map<String, Object> props = new HashMap<>(security);
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, scram.bootstrapServers());
            return props;
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithMutualTls {

        private SecuredKafkaBroker tls;

        @BeforeAll
        void startTlsBroker() {
            tls = SecuredKafkaBroker.startWithMutualTls(1);
        }

        @AfterAll
        void stopTlsBroker() {
            if (tls != null) {
                tls.close();
            }
        }

        @Test
        void clientWithItsCertificateProducesAndConsumesOverTls() throws Exception {
            tls.createTopics(Map.of("encrypted", 1));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(clientProperties(tls.tlsClientProperties()),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("encrypted", "k", "v")).get(30, TimeUnit.SECONDS);
            }
            Map<String, Object> consumerProps = clientProperties(tls.tlsClientProperties());
            consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "tls-test");
            consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            List<String> read = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps,
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("encrypted"));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (read.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.value()));
                }
            }
            assertThat(read).containsExactly("v");
        }

        @Test
        void clientWithoutACertificateIsRefusedInTheHandshake() {
            Map<String, String> noCertificate = new HashMap<>(tls.tlsClientProperties());
            noCertificate.keySet().removeIf(k -> k.startsWith("ssl.key"));
            try (Admin admin = Admin.create(clientProperties(noCertificate))) {
                assertThatThrownBy(() -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(SslAuthenticationException.class);
            }
        }

        @Test
        void plaintextBrokerHasNoTlsSettings() {
            // The demo's broker is plaintext only: the secured modes are test fixtures (SecuredKafkaBroker).
            assertThat(EmbeddedKafkaBroker.class.getMethods()).extracting(Method::getName)
                    .noneMatch(name -> name.toLowerCase(Locale.ROOT).matches(".*(tls|sasl|scram).*"));
        }

        private Map<String, Object> clientProperties(Map<String, String> security) {
            Map<String, Object> props = new HashMap<>(security);
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, tls.bootstrapServers());
            return props;
        }
    }

    /** Local addresses (ip:port) of this JVM's listening TCP sockets, read from /proc. */
    private static List<String> listeningAddressesOfThisProcess() throws IOException {
        Set<String> ownSocketInodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        ownSocketInodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // A descriptor closed while listing is not a listener of interest.
                }
            }
        }
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.isReadable(path)) {
                continue;
            }
            List<String> lines = Files.readAllLines(path);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                boolean listen = f[3].equals("0A");
                if (listen && ownSocketInodes.contains(f[9])) {
                    addresses.add(decodeProcAddress(f[1]));
                }
            }
        }
        return addresses;
    }

    // /proc/net/tcp prints addresses as little-endian hex words, e.g. 0100007F:1F90 for 127.0.0.1:8080.
    private static String decodeProcAddress(String hex) {
        String[] parts = hex.split(":");
        int port = Integer.parseInt(parts[1], 16);
        String ip = parts[0];
        if (ip.length() == 8) {
            return ipv4(ip) + ":" + port;
        }
        if (ip.startsWith("0000000000000000FFFF0000")) {
            return ipv4(ip.substring(24)) + ":" + port;
        }
        return "[" + ip + "]:" + port;
    }

    private static String ipv4(String littleEndianHex) {
        long value = Long.parseLong(littleEndianHex, 16);
        return (value & 0xFF) + "." + ((value >> 8) & 0xFF) + "." + ((value >> 16) & 0xFF) + "." + ((value >> 24) & 0xFF);
    }
}
