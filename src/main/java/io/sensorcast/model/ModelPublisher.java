package io.sensorcast.model;

import io.sensorcast.config.PipelineConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutionException;

/** Publishes accepted models to the model topic, keyed by the pipeline's model name. */
public final class ModelPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelPublisher.class);

    private final PipelineConfig config;
    private final KafkaProducer<String, byte[]> producer;

    /**
     * @throws ModelTopicException if the producer cannot be created from the pipeline's Kafka settings
     */
    public ModelPublisher(PipelineConfig config) {
        this.config = config;
        try {
            this.producer = new KafkaProducer<>(ModelTopic.producerProperties(config));
        } catch (KafkaException e) {
            throw new ModelTopicException("cannot create the model producer for topic '" + config.topics().models()
                    + "': " + e.getMessage(), e);
        }
    }

    /**
     * Publishes {@code record} and waits until every in-sync replica has it.
     *
     * @throws InvalidModelException if the record would not serve this pipeline (every instance would refuse it)
     * @throws ModelTopicException   if the broker did not acknowledge it
     */
    public void publish(ModelRecord record) {
        ModelRecords.toServing(record, config);
        byte[] value = ModelRecordCodec.encode(record);
        long version = record.metadata().version();
        String topic = config.topics().models();
        if (value.length > ModelTopic.MAX_RECORD_BYTES) {
            throw new ModelTopicException("model record v" + version + " is " + value.length + " bytes, above the "
                    + ModelTopic.MAX_RECORD_BYTES + " bytes the model topic clients allow");
        }
        try {
            RecordMetadata written = producer.send(new ProducerRecord<>(topic, config.name(), value)).get();
            LOG.info("Published model v{} of '{}' ({} bytes) to {}-{}@{}", version, config.name(), value.length,
                    written.topic(), written.partition(), written.offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelTopicException("interrupted while publishing model v" + version + " to '" + topic
                    + "'; it may or may not have been written", e);
        } catch (ExecutionException | KafkaException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            String hint = cause instanceof RecordTooLargeException
                    ? " (the topic's " + TopicConfig.MAX_MESSAGE_BYTES_CONFIG + " must be at least the record size; "
                    + "create it with ModelTopic.topicConfigs())"
                    : "";
            throw new ModelTopicException("cannot publish model v" + version + " of '" + config.name() + "' ("
                    + value.length + " bytes) to topic '" + topic + "': " + cause.getMessage() + hint, cause);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
