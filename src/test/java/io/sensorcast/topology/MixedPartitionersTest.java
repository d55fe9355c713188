package io.sensorcast.topology;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.demo.EmbeddedKafkaBroker;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.ForecastJson;
import io.sensorcast.service.PipelineTopics;
import io.sensorcast.service.Role;
import io.sensorcast.service.ServiceRuntime;
import io.sensorcast.testing.BrokerClients;
import io.sensorcast.testing.IntegrationTest;
import io.sensorcast.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.zip.CRC32;

import static io.sensorcast.testing.TopologyHarness.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One sensor's events arriving keyed by librdkafka's partitioner (CRC32 of the key, which kcat and
 * confluent-kafka use), keyless, and keyed by the Java client's (murmur2), on a real broker: every sensor keeps
 * one state and one run of steps, whichever partition its events were written to.
 */
@IntegrationTest
class MixedPartitionersTest {

    private static final int PARTITIONS = 4;
    private static final long T0 = 1_700_000_000_000L;
    private static final long MINUTE = 60_000L;
    private static final int PER_PHASE = 10;

    @RegisterExtension
    static final KafkaBrokerExtension<EmbeddedKafkaBroker> KAFKA = KafkaBrokerExtension.plain();

    @TempDir
    Path dir;

    /** librdkafka's consistent_random: CRC-32 of the key bytes modulo the partition count. */
    private static int crc32Partition(String key) {
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % PARTITIONS);
    }

    @Test
    void aSensorWrittenKeyedByCrc32KeylessAndKeyedByMurmur2KeepsOneStateAndOneRunOfSteps() throws Exception {
        String bootstrap = KAFKA.broker().bootstrapServers();
        PipelineConfig config = BrokerClients.servingPipeline("mixed-partitioners", bootstrap, dir);
        PipelineTopics.ensure(config, PARTITIONS);
        // Sensors the two partitioners place differently, so that the keyed CRC32 events are not at home.
        List<String> sensors = IntStream.range(0, 200).mapToObj(i -> "humidity-" + i)
                .filter(id -> crc32Partition(id) != TopicLayout.homePartition(id, PARTITIONS)).limit(6).toList();
        assertThat(sensors).hasSize(6);

        Map<String, List<Long>> steps = new HashMap<>();
        List<String> deadLetters = new ArrayList<>();
        try (ServiceRuntime runtime = new ServiceRuntime(config, Role.SERVE);
             KafkaProducer<byte[], byte[]> producer = BrokerClients.producer(bootstrap, Map.of());
             KafkaConsumer<String, byte[]> consumer = BrokerClients.outputs(bootstrap, config)) {
            runtime.start(0, Duration.ofSeconds(60));
            ForecastJson json = new ForecastJson(config.channels());
            // Phases one after another: a sensor's events sent along different paths are ordered only by when they
            // reach its home partition, so each phase is forecast before the next starts.
            for (int phase = 0; phase < 3; phase++) {
                for (int i = phase * PER_PHASE; i < (phase + 1) * PER_PHASE; i++) {
                    for (String s : sensors) {
                        byte[] value = event(s, T0 + i * MINUTE, 20 + i % 7).getBytes(StandardCharsets.UTF_8);
                        byte[] key = s.getBytes(StandardCharsets.UTF_8);
                        String topic = config.topics().events();
                        producer.send(switch (phase) {
                            case 0 -> new ProducerRecord<>(topic, crc32Partition(s), key, value);
                            case 1 -> new ProducerRecord<>(topic, null, value);
                            default -> new ProducerRecord<>(topic, key, value);
                        });
                    }
                }
                producer.flush();
                int expected = (phase + 1) * PER_PHASE * sensors.size();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (steps.values().stream().mapToInt(List::size).sum() + deadLetters.size() < expected
                        && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        if (r.topic().equals(config.topics().forecasts())) {
                            Forecast f = json.read(r.value());
                            steps.computeIfAbsent(f.sensorId(), k -> new ArrayList<>()).add(f.step());
                        } else {
                            deadLetters.add(new String(r.headers().lastHeader("sensorcast.dlq.reason").value(),
                                    StandardCharsets.UTF_8));
                        }
                    }
                }
            }
        }
        assertThat(deadLetters).isEmpty();
        List<Long> oneRun = IntStream.rangeClosed(1, 3 * PER_PHASE).mapToObj(i -> (long) i).toList();
        for (String s : sensors) {
            assertThat(steps.get(s)).as(s).isEqualTo(oneRun);
        }
    }
}
