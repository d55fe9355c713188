package io.sensorcast.model;

import io.sensorcast.config.KafkaClientProperties;
import io.sensorcast.config.PipelineConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;
import java.util.Properties;

/** Settings of the model topic and of the clients that write and read it. */
public final class ModelTopic {

    /**
     * Largest model record the clients accept. A record is base64 of float32 parameters (4/3 of 4 bytes
     * each) plus about 1 KB of metadata, so this admits about 3 million parameters: a 2-layer 512-unit LSTM
     * does not fit, everything up to 2 x 256 or 1 x 512 units does. The default LSTM (32 units) is ~28 KB.
     */
    public static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    private ModelTopic() {
    }

    /**
     * The topic configuration the model topic needs: compacted, because only the newest record per model
     * name matters, and {@code max.message.bytes} raised from Kafka's 1 MB default so models above roughly
     * 196,000 parameters are accepted.
     */
    public static Map<String, String> topicConfigs() {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_RECORD_BYTES));
    }

    /** Producer properties: the pipeline's producer settings (security included), idempotent, acks from all replicas. */
    static Properties producerProperties(PipelineConfig config) {
        Properties p = KafkaClientProperties.forClient(config.kafka(), ProducerConfig.configNames());
        // A transactional id meant for other clients would make this producer wait for transactions it never starts.
        p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(MAX_RECORD_BYTES));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /** Consumer properties: the pipeline's consumer settings (security included), no group, committed records only. */
    static Properties consumerProperties(PipelineConfig config) {
        Properties p = KafkaClientProperties.forClient(config.kafka(), ConsumerConfig.configNames());
        // Every instance reads the whole topic itself and commits nothing, so no group settings apply.
        p.keySet().removeIf(k -> k.toString().startsWith("group."));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Looking up a missing topic must not auto-create it uncompacted.
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        // Bytes, not strings: an undecodable record is then refused by the codec instead of failing the poll.
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

}
