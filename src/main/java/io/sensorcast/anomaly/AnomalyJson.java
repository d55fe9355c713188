package io.sensorcast.anomaly;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The anomaly topic's JSON format (schemas/sensor-anomaly.schema.json): {@code {"sensorId":..,"ts":..,"step":..,
 * "modelVersion":..,"score":..,"anomaly":..,"severity":..,"channel":..,"surprise":..,"reason":..,"actual":..,
 * "expected":..,"lower":..,"upper":..}}, the fields of the forecast record's {@code anomaly} object beside the event's.
 */
public final class AnomalyJson implements Serde<SensorAnomaly> {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private final List<String> channels;

    public AnomalyJson(List<String> channels) {
        this.channels = List.copyOf(channels);
    }

    /** Renders an anomaly record as its JSON bytes. */
    public byte[] write(SensorAnomaly a) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("sensorId", a.sensorId());
            g.writeStringField("ts", Instant.ofEpochMilli(a.timestampMs()).toString());
            g.writeNumberField("step", a.step());
            g.writeNumberField("modelVersion", a.modelVersion());
            writeFields(g, a.score(), channels);
            g.writeEndObject();
        } catch (IOException e) {
            throw new SerializationException("cannot write anomaly for " + a.sensorId(), e);
        }
        return out.toByteArray();
    }

    /** Writes a score's fields into the open object of {@code g}; the forecast record's anomaly object is these. */
    public static void writeFields(JsonGenerator g, AnomalyScore a, List<String> channels) throws IOException {
        g.writeNumberField("score", a.score());
        g.writeBooleanField("anomaly", a.anomaly());
        g.writeStringField("severity", a.severity());
        g.writeStringField("channel", channels.get(a.channel()));
        g.writeNumberField("surprise", a.surprise());
        g.writeStringField("reason", a.reason());
        g.writeNumberField("actual", a.actual());
        g.writeNumberField("expected", a.expected());
        g.writeNumberField("lower", a.lower());
        g.writeNumberField("upper", a.upper());
    }

    /** Reads a score's fields from an object written by {@link #writeFields}. */
    public static AnomalyScore readFields(JsonNode a, List<String> channels) {
        return new AnomalyScore(true, a.get("score").asDouble(), a.get("anomaly").asBoolean(),
                a.get("severity").asText(), channels.indexOf(a.get("channel").asText()), a.get("surprise").asDouble(),
                a.get("reason").asText(), a.get("actual").asDouble(), a.get("expected").asDouble(),
                a.get("lower").asDouble(), a.get("upper").asDouble());
    }

    /** Parses an anomaly record's JSON bytes (for consumers and tests). */
    public SensorAnomaly read(byte[] json) {
        try {
            JsonNode root = MAPPER.readTree(json);
            return new SensorAnomaly(root.get("sensorId").asText(), Instant.parse(root.get("ts").asText()).toEpochMilli(),
                    root.get("step").asLong(), root.get("modelVersion").asLong(), readFields(root, channels));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("not an anomaly record: " + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<SensorAnomaly> serializer() {
        return (topic, a) -> a == null ? null : write(a);
    }

    @Override
    public Deserializer<SensorAnomaly> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }
}
