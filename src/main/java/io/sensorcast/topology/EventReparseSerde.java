package io.sensorcast.topology;

import io.sensorcast.ingest.EventParser;
import io.sensorcast.ingest.ParseResult;
import io.sensorcast.ingest.SensorEvent;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Carries an accepted event through the repartition topic as its original bytes and parses it again on
 * the other side: the bytes must stay unchanged for the dead-letter topic anyway, and one format is
 * simpler than two.
 */
final class EventReparseSerde implements Serde<SensorEvent> {

    private final EventParser parser;

    EventReparseSerde(EventParser parser) {
        this.parser = parser;
    }

    @Override
    public Serializer<SensorEvent> serializer() {
        return (topic, event) -> event == null ? null : event.original();
    }

    @Override
    public Deserializer<SensorEvent> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ParseResult result = parser.parse(null, bytes);
            if (result instanceof ParseResult.Accepted accepted) {
                return accepted.event();
            }
            // Only possible if the channel list changed while events were in flight.
            throw new SerializationException("repartitioned event no longer parses: "
                    + ((ParseResult.Rejected) result).rejection());
        };
    }
}
