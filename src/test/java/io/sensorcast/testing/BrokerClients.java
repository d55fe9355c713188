package io.sensorcast.testing;

import io.sensorcast.config.MetricsSettings;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A serve-only pipeline on a test broker, and the raw clients that feed it and read what it writes. */
public final class BrokerClients {

    private BrokerClients() {
    }

    /** The default pipeline named {@code name}, training off, metrics on a free loopback port, files under {@code dir}. */
    public static PipelineConfig servingPipeline(String name, String bootstrap, Path dir) {
        return PipelineConfigLoader.parse("name: " + name + "\ntraining: {enabled: false}\n")
                .withKafka(Map.of("bootstrap.servers", bootstrap, "state.dir", dir.resolve("state").toString()))
                .withMetrics(new MetricsSettings("127.0.0.1", 0, List.of(), 100))
                .withModelDirectory(dir.resolve("models").toString());
    }

    /** A producer of raw keys and values, with {@code settings} over the defaults. */
    public static KafkaProducer<byte[], byte[]> producer(String bootstrap, Map<String, Object> settings) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.putAll(settings);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Sends the records and waits until the broker has taken each: a record it refused fails the caller here,
     * instead of a consumer waiting for it later.
     */
    public static <K, V> void sendAll(Producer<K, V> producer, List<ProducerRecord<K, V>> records) {
        List<Future<RecordMetadata>> sent = records.stream().map(producer::send).toList();
        producer.flush();
        for (int i = 0; i < sent.size(); i++) {
            try {
                sent.get(i).get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new AssertionError("record " + i + " of " + sent.size() + " to " + records.get(i).topic()
                        + " was not written: " + e, e);
            }
        }
    }

    /** A {@code read_committed} consumer of the pipeline's forecasts and dead letters, from the beginning. */
    public static KafkaConsumer<String, byte[]> outputs(String bootstrap, PipelineConfig config) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.name() + "-outputs-reader");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(config.topics().forecasts(), config.topics().deadLetter()));
        return consumer;
    }
}
