package io.sensorcast.topology;

import io.sensorcast.config.PipelineConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.util.Properties;

/** Kafka Streams properties for a pipeline: the user's {@code kafka:} section over the service's defaults. */
public final class StreamsSettings {

    private StreamsSettings() {
    }

    public static Properties of(PipelineConfig config) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.name());
        // Exactly one forecast per event through crashes unless the user chooses otherwise.
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        p.put(StreamsConfig.STATE_DIR_CONFIG, "state");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // The topology has no global stores; enabling the handler for them only silences Kafka's start-up warning.
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        p.putAll(config.kafkaProperties());
        return p;
    }
}
