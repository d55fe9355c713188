package io.sensorcast.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/** Renders a reading as an event in the service's JSON input contract, with an ISO-8601 UTC timestamp. */
public final class EventJsonWriter {

    /** The channel name that is written as the contract's single {@code "value"} field. */
    public static final String SINGLE_CHANNEL = "value";

    private static final JsonFactory JSON = new JsonFactory();

    private EventJsonWriter() {
    }

    /** A single-channel event: {@code {"sensorId":…,"ts":…,"value":…}}. */
    public static String write(String sensorId, long timestampMs, double value) {
        return write(sensorId, timestampMs, List.of(SINGLE_CHANNEL), new double[] {value});
    }

    /**
     * An event with one value per channel: the single channel {@code value} becomes the {@code "value"} field,
     * any other channel list becomes a {@code "values"} object keyed by channel name.
     */
    public static String write(String sensorId, long timestampMs, List<String> channels, double[] values) {
        if (channels.size() != values.length) {
            throw new IllegalArgumentException(channels.size() + " channels but " + values.length + " values");
        }
        for (int c = 0; c < values.length; c++) {
            if (!Double.isFinite(values[c])) {
                // JSON has no NaN or infinity; writing one would produce an event the contract forbids.
                throw new IllegalArgumentException("channel " + channels.get(c) + " of " + sensorId + " is " + values[c]);
            }
        }
        StringWriter out = new StringWriter(64);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("sensorId", sensorId);
            json.writeStringField("ts", Instant.ofEpochMilli(timestampMs).toString());
            if (channels.equals(List.of(SINGLE_CHANNEL))) {
                json.writeNumberField("value", values[0]);
            } else {
                json.writeObjectFieldStart("values");
                for (int c = 0; c < values.length; c++) {
                    json.writeNumberField(channels.get(c), values[c]);
                }
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render the event of " + sensorId, e);
        }
        return out.toString();
    }
}
