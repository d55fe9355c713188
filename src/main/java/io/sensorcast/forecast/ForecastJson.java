package io.sensorcast.forecast;

import com.fasterxml.jackson.core.JsonFactory;
import io.sensorcast.anomaly.AnomalyJson;
import io.sensorcast.anomaly.AnomalyScore;
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
import java.util.ArrayList;
import java.util.List;

/**
 * The forecast topic's JSON format (schemas/sensor-forecast.schema.json):
 * {@code {"sensorId":..,"ts":..,"step":..,"modelVersion":..,"forecasts":[{"h":1,"ts":..,"values":{ch:v},
 * "quantiles":{"0.1":{ch:v},..}}],"anomaly":{"score":..,"anomaly":..,"severity":..,"channel":..,"surprise":..,
 * "reason":..}}}. {@code quantiles} is left out when no levels are published, {@code anomaly} while the sensor is
 * not yet scored; records without them (the first format) still read.
 */
public final class ForecastJson implements Serde<Forecast> {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private final List<String> channels;

    public ForecastJson(List<String> channels) {
        this.channels = List.copyOf(channels);
    }

    /** Renders a forecast as its JSON bytes. */
    public byte[] write(Forecast f) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96 + 64 * f.horizon() * f.channels());
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("sensorId", f.sensorId());
            g.writeStringField("ts", Instant.ofEpochMilli(f.timestampMs()).toString());
            g.writeNumberField("step", f.step());
            g.writeNumberField("modelVersion", f.modelVersion());
            g.writeArrayFieldStart("forecasts");
            long[] ts = f.horizonTimestamps();
            double[] values = f.values();
            int c = f.channels();
            for (int k = 0; k < f.horizon(); k++) {
                g.writeStartObject();
                g.writeNumberField("h", k + 1);
                g.writeStringField("ts", Instant.ofEpochMilli(ts[k]).toString());
                g.writeObjectFieldStart("values");
                for (int ch = 0; ch < c; ch++) {
                    g.writeNumberField(channels.get(ch), values[k * c + ch]);
                }
                g.writeEndObject();
                double[] levels = f.quantileLevels();
                if (levels.length > 0) {
                    g.writeObjectFieldStart("quantiles");
                    for (int q = 0; q < levels.length; q++) {
                        g.writeObjectFieldStart(Double.toString(levels[q]));
                        for (int ch = 0; ch < c; ch++) {
                            g.writeNumberField(channels.get(ch), f.quantile(q, k + 1, ch));
                        }
                        g.writeEndObject();
                    }
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            if (f.anomaly().scored()) {
                g.writeObjectFieldStart("anomaly");
                AnomalyJson.writeFields(g, f.anomaly(), channels);
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new SerializationException("cannot write forecast for " + f.sensorId(), e);
        }
        return out.toByteArray();
    }

    /** Parses a forecast's JSON bytes (for consumers, the demo and tests). */
    public Forecast read(byte[] json) {
        try {
            JsonNode root = MAPPER.readTree(json);
            JsonNode points = root.get("forecasts");
            JsonNode anomaly = root.get("anomaly");
            int horizon = points.size();
            long[] ts = new long[horizon];
            int c = channels.size();
            double[] values = new double[horizon * c];
            JsonNode first = points.get(0).get("quantiles");
            List<String> levelNames = new ArrayList<>();
            if (first != null) {
                first.fieldNames().forEachRemaining(levelNames::add);
            }
            double[] levels = levelNames.stream().mapToDouble(Double::parseDouble).toArray();
            double[] quantiles = new double[levels.length * values.length];
            for (int k = 0; k < horizon; k++) {
                JsonNode p = points.get(k);
                ts[k] = Instant.parse(p.get("ts").asText()).toEpochMilli();
                for (int ch = 0; ch < c; ch++) {
                    values[k * c + ch] = p.get("values").get(channels.get(ch)).asDouble();
                    for (int q = 0; q < levels.length; q++) {
                        quantiles[q * values.length + k * c + ch] =
                                p.get("quantiles").get(levelNames.get(q)).get(channels.get(ch)).asDouble();
                    }
                }
            }
            return new Forecast(root.get("sensorId").asText(), Instant.parse(root.get("ts").asText()).toEpochMilli(),
                    root.get("step").asLong(), root.get("modelVersion").asLong(), ts, values, levels, quantiles,
                    anomaly == null || anomaly.isNull() ? AnomalyScore.UNSCORED : AnomalyJson.readFields(anomaly, channels));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("not a forecast record: " + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<Forecast> serializer() {
        return (topic, f) -> f == null ? null : write(f);
    }

    @Override
    public Deserializer<Forecast> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }
}
