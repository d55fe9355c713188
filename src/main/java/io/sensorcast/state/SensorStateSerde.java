package io.sensorcast.state;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serde for the per-sensor state store, in {@link SensorStateCodec}'s format; null stays null. */
public final class SensorStateSerde implements Serde<SensorState> {

    private final SensorStateCodec codec = new SensorStateCodec();

    @Override
    public Serializer<SensorState> serializer() {
        return (topic, state) -> state == null ? null : codec.encode(state);
    }

    @Override
    public Deserializer<SensorState> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return codec.decode(bytes);
            } catch (StateFormatException e) {
                // Kafka's error handling recognises SerializationException; the cause keeps the precise type.
                throw new SerializationException("cannot decode sensor state from " + topic + ": " + e.getMessage(), e);
            }
        };
    }
}
