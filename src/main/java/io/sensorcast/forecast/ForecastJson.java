package io.sensorcast.forecast;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.StreamWriteFeature;
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
import java.util.Arrays;
import java.util.List;

/**
 * The forecast topic's JSON format (schemas/sensor-forecast.schema.json):
 * {@code {"sensorId":..,"ts":..,"step":..,"modelVersion":..,"forecasts":[{"h":1,"ts":..,"values":{ch:v},
 * "quantiles":{"0.1":{ch:v},..}}],"anomaly":{"score":..,"anomaly":..,"severity":..,"channel":..,"surprise":..,
 * "reason":..}}}. {@code quantiles} is left out when no levels are published, {@code anomaly} while the sensor is
 * not yet scored; records without them (the first format) still read.
 */
public final class ForecastJson implements Serde<Forecast> {

    /*
     * Jackson's Schubfach double writer instead of Double.toString: Java 17's Double.toString was the largest
     * single cost of writing a forecast (about a tenth of the stream thread's CPU in the service profile,
     * docs/profile.md). Both write the shortest text that reads back as the same double in all but rare cases,
     * where Java 17's FloatingDecimal writes a digit more; the value read back is the same.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    /*
     * Field names pre-encoded once (Jackson then copies their UTF-8 bytes instead of escaping each name again).
     */
    private static final SerializableString SENSOR_ID = new SerializedString("sensorId");
    private static final SerializableString TS = new SerializedString("ts");
    private static final SerializableString STEP = new SerializedString("step");
    private static final SerializableString MODEL_VERSION = new SerializedString("modelVersion");
    private static final SerializableString FORECASTS = new SerializedString("forecasts");
    private static final SerializableString H = new SerializedString("h");
    private static final SerializableString VALUES = new SerializedString("values");
    private static final SerializableString QUANTILES = new SerializedString("quantiles");
    private static final SerializableString ANOMALY = new SerializedString("anomaly");

    private final List<String> channels;
    private final SerializableString[] channelFields;
    /** The quantile levels' field names, as of the last forecast written (levels are fixed per pipeline). */
    private volatile LevelNames levelNames = new LevelNames(new double[0], new SerializableString[0]);

    public ForecastJson(List<String> channels) {
        this.channels = List.copyOf(channels);
        this.channelFields = this.channels.stream().map(SerializedString::new).toArray(SerializableString[]::new);
    }

    /** Renders a forecast as its JSON bytes. */
    public byte[] write(Forecast f) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96 + 64 * f.horizon() * f.channels());
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName(SENSOR_ID);
            g.writeString(f.sensorId());
            char[] text = new char[InstantText.MAX_LENGTH];
            g.writeFieldName(TS);
            g.writeString(text, 0, InstantText.write(f.timestampMs(), text));
            g.writeFieldName(STEP);
            g.writeNumber(f.step());
            g.writeFieldName(MODEL_VERSION);
            g.writeNumber(f.modelVersion());
            g.writeFieldName(FORECASTS);
            g.writeStartArray();
            long[] ts = f.horizonTimestamps();
            double[] values = f.values();
            int c = f.channels();
            double[] levels = f.quantileLevels();
            SerializableString[] levelFields = levelFields(levels);
            for (int k = 0; k < f.horizon(); k++) {
                g.writeStartObject();
                g.writeFieldName(H);
                g.writeNumber(k + 1);
                g.writeFieldName(TS);
                g.writeString(text, 0, InstantText.write(ts[k], text));
                g.writeFieldName(VALUES);
                g.writeStartObject();
                for (int ch = 0; ch < c; ch++) {
                    g.writeFieldName(channelFields[ch]);
                    g.writeNumber(values[k * c + ch]);
                }
                g.writeEndObject();
                if (levels.length > 0) {
                    g.writeFieldName(QUANTILES);
                    g.writeStartObject();
                    for (int q = 0; q < levels.length; q++) {
                        g.writeFieldName(levelFields[q]);
                        g.writeStartObject();
                        for (int ch = 0; ch < c; ch++) {
                            g.writeFieldName(channelFields[ch]);
                            g.writeNumber(f.quantile(q, k + 1, ch));
                        }
                        g.writeEndObject();
                    }
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            if (f.anomaly().scored()) {
                g.writeFieldName(ANOMALY);
                g.writeStartObject();
                AnomalyJson.writeFields(g, f.anomaly(), channels);
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new SerializationException("cannot write forecast for " + f.sensorId(), e);
        }
        return out.toByteArray();
    }

    /** The field names of these quantile levels ({@code Double.toString}, as readers parse them). */
    private SerializableString[] levelFields(double[] levels) {
        LevelNames cached = levelNames;
        if (!Arrays.equals(cached.levels(), levels)) {
            SerializableString[] names = new SerializableString[levels.length];
            for (int q = 0; q < levels.length; q++) {
                names[q] = new SerializedString(Double.toString(levels[q]));
            }
            cached = new LevelNames(levels.clone(), names);
            levelNames = cached;
        }
        return cached.names();
    }

    private record LevelNames(double[] levels, SerializableString[] names) {
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
