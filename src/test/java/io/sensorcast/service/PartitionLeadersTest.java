package io.sensorcast.service;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.demo.EmbeddedKafkaBroker;
import io.sensorcast.testing.BrokerClients;
import io.sensorcast.testing.IntegrationTest;
import io.sensorcast.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Topics the service creates accept writes the moment the topic check returns: every partition already has its
 * log on the broker, and an idempotent producer with many requests in flight loses nothing when it starts at once.
 */
@IntegrationTest
class PartitionLeadersTest {

    @RegisterExtension
    static final KafkaBrokerExtension<EmbeddedKafkaBroker> KAFKA = KafkaBrokerExtension.plain(2);

    private static final int ROUNDS = 8;
    private static final int RECORDS = 400;

    @Test
    void everyPartitionTheTopicCheckCreatedHasItsLogOnTheBrokerWhenTheCheckReturns() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KAFKA.broker().bootstrapServers()))) {
            for (int round = 0; round < ROUNDS; round++) {
                PipelineConfig config = pipeline("logs-" + round);
                PipelineTopics.ensure(config, 2);

                Set<TopicPartition> logs = logsOnTheBroker(admin);
                for (String topic : topicsOf(config)) {
                    int partitions = topic.equals(config.topics().models()) ? 1 : 2;
                    for (int p = 0; p < partitions; p++) {
                        assertThat(logs).as("round %d", round).contains(new TopicPartition(topic, p));
                    }
                }
            }
        }
    }

    @Test
    void anIdempotentProducerStartingTheMomentTheTopicsAreCreatedLosesNoRecord() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            PipelineConfig config = pipeline("produce-" + round);
            PipelineTopics.ensure(config, 2);

            // Small batches sent at once put several requests in flight per partition, the case the race needs.
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                records.add(new ProducerRecord<>(config.topics().events(), i % 2, null,
                        ("sensor-" + i).getBytes(StandardCharsets.UTF_8), new byte[100]));
            }
            try (KafkaProducer<byte[], byte[]> producer = BrokerClients.producer(KAFKA.broker().bootstrapServers(),
                    Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all",
                            ProducerConfig.LINGER_MS_CONFIG, 0, ProducerConfig.BATCH_SIZE_CONFIG, 256,
                            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000))) {
                // Fails on the first record the broker did not take.
                BrokerClients.sendAll(producer, records);
            }
        }
    }

    private static PipelineConfig pipeline(String name) {
        return PipelineConfigLoader.parse("name: " + name + "\n"
                        + "topics: {events: " + name + "-events, forecasts: " + name + "-forecasts, deadLetter: " + name
                        + "-dlq, models: " + name + "-models, anomalies: " + name + "-anomalies, control: " + name
                        + "-control}\n")
                .withKafka(Map.of("bootstrap.servers", KAFKA.broker().bootstrapServers()));
    }

    private static List<String> topicsOf(PipelineConfig config) {
        return List.of(config.topics().events(), config.topics().forecasts(), config.topics().deadLetter(),
                config.topics().models(), config.topics().anomalies(), config.topics().control());
    }

    private static Set<TopicPartition> logsOnTheBroker(Admin admin) throws Exception {
        List<Integer> brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream()
                .map(node -> node.id()).collect(Collectors.toList());
        Set<TopicPartition> logs = new HashSet<>();
        for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions()
                .get(30, TimeUnit.SECONDS).values()) {
            dirs.values().forEach(dir -> logs.addAll(dir.replicaInfos().keySet()));
        }
        return logs;
    }
}
