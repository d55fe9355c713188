package io.sensorcast.bench.service;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/** The few admin and consumer operations the harnesses need against the embedded broker. */
final class BenchKafka implements AutoCloseable {

    private final String bootstrapServers;
    private final Admin admin;

    BenchKafka(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    void createTopic(String name, int partitions, Map<String, String> configs) {
        call(() -> admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all()
                .get(30, TimeUnit.SECONDS));
        // The controller acknowledges before the broker's metadata has the topic; producing at once would fail.
        call(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    return admin.describeTopics(List.of(name)).allTopicNames().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw notYet;
                    }
                    Thread.sleep(50);
                }
            }
        });
    }

    /** Sum over the topic's partitions of the group's committed offsets (0 before the first commit). */
    long committed(String groupId, String topic) {
        Map<TopicPartition, OffsetAndMetadata> offsets = call(() -> admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS));
        return offsets.entrySet().stream()
                .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    /** Records in {@code topic} that a {@code read_committed} consumer sees, read from the beginning. */
    long countCommitted(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // Under read_committed the end offsets are the last stable offsets: everything committed is before them.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long count = 0;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                count += consumer.poll(Duration.ofMillis(500)).count();
            }
            return count;
        }
    }

    /** Deletes the named topics and every topic whose name starts with {@code prefix} (Kafka Streams' internal ones). */
    void deleteTopics(Set<String> names, String prefix) {
        Set<String> existing = call(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS));
        Set<String> doomed = existing.stream().filter(t -> names.contains(t) || t.startsWith(prefix))
                .collect(Collectors.toSet());
        if (!doomed.isEmpty()) {
            call(() -> admin.deleteTopics(doomed).all().get(60, TimeUnit.SECONDS));
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(10));
    }

    private interface Call<T> {
        T get() throws Exception;
    }

    private static <T> T call(Call<T> call) {
        try {
            return call.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
