package io.sensorcast.topology;

import io.sensorcast.anomaly.AnomalyJson;
import io.sensorcast.anomaly.SensorAnomaly;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.ForecastJson;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/** Every topic the service touches, declared once with its serdes. */
public final class Topics {

    /** A topic's name with the serdes of its keys and values. */
    public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

        public Consumed<K, V> consumed() {
            return Consumed.with(keySerde, valueSerde);
        }

        public Produced<K, V> produced() {
            return Produced.with(keySerde, valueSerde);
        }
    }

    /** Sensor events, read as raw bytes so a record that cannot be parsed still reaches the dead-letter topic. */
    public final Topic<byte[], byte[]> events;
    /** One forecast per accepted event, keyed by sensor id, JSON. */
    public final Topic<String, Forecast> forecasts;
    /** Rejected events: original key and value bytes, the reason in headers. */
    public final Topic<byte[], byte[]> deadLetters;
    /** Accepted model versions, compacted, keyed by model name. */
    public final Topic<String, byte[]> models;
    /** Anomaly scores of accepted events (the flagged ones, or all: anomaly.publish), keyed by sensor id, JSON. */
    public final Topic<String, SensorAnomaly> anomalies;

    /**
     * Per-sensor commands (JSON {@code {"sensorId": ..., "action": "reset" | "forget"}}), keyed by sensor id, read as
     * raw bytes like the events and co-partitioned with them.
     */
    public final Topic<byte[], byte[]> control;

    public Topics(PipelineConfig config) {
        this.events = new Topic<>(config.topics().events(), Serdes.ByteArray(), Serdes.ByteArray());
        this.forecasts = new Topic<>(config.topics().forecasts(), Serdes.String(), new ForecastJson(config.channels()));
        this.deadLetters = new Topic<>(config.topics().deadLetter(), Serdes.ByteArray(), Serdes.ByteArray());
        this.models = new Topic<>(config.topics().models(), Serdes.String(), Serdes.ByteArray());
        this.anomalies = new Topic<>(config.topics().anomalies(), Serdes.String(), new AnomalyJson(config.channels()));
        this.control = new Topic<>(config.topics().control(), Serdes.ByteArray(), Serdes.ByteArray());
    }
}
