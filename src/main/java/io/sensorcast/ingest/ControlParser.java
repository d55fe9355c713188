package io.sensorcast.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.IOException;
import java.util.Objects;

/**
 * Turns one record of the control topic (key, JSON value {@code {"sensorId": ..., "action": "reset" | "forget"}})
 * into a {@link SensorControl} or the {@link Rejection} that dead-letters it. The sensorId and the key follow the
 * events' rules (same length limit, key equal to the sensorId's UTF-8 when present); other fields are ignored.
 * Stateless after construction.
 */
public final class ControlParser {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** What parsing one control record gives. */
    public sealed interface Result {

        /** A valid control record. */
        record Accepted(SensorControl control) implements Result {
        }

        /** A record that breaks the control contract. */
        record Rejected(Rejection rejection) implements Result {
        }
    }

    private final ParserSettings settings;

    public ControlParser(ParserSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * @param key   the record key, UTF-8 of the sensor id; null means "trust the payload's sensorId"
     * @param value the record value
     */
    public Result parse(byte[] key, byte[] value) {
        if (value == null) {
            return rejected(RejectReason.MALFORMED_JSON, "payload is null (a tombstone), not a JSON object");
        }
        if (value.length > settings.maxPayloadBytes()) {
            return rejected(RejectReason.PAYLOAD_TOO_LARGE, "payload is " + value.length
                    + " bytes, above the limit of " + settings.maxPayloadBytes() + " bytes");
        }
        Fields fields = new Fields();
        try (JsonParser parser = JSON.createParser(value)) {
            Rejection structural = readObject(parser, fields);
            if (structural != null) {
                return new Result.Rejected(structural);
            }
        } catch (JsonProcessingException e) {
            return new Result.Rejected(JsonText.malformed(e));
        } catch (IOException e) {
            return rejected(RejectReason.MALFORMED_JSON, "payload could not be read as JSON: "
                    + JsonText.printable(String.valueOf(e.getMessage()), JsonText.MAX_JSON_ERROR_CHARS));
        }
        Rejection problem = firstProblem(key, fields);
        if (problem != null) {
            return new Result.Rejected(problem);
        }
        return new Result.Accepted(new SensorControl(fields.sensorId, fields.action, value));
    }

    private static final class Fields {
        boolean sawSensorId;
        String sensorId;
        Rejection sensorIdProblem;
        boolean sawAction;
        ControlAction action;
        Rejection actionProblem;
    }

    private Rejection readObject(JsonParser parser, Fields fields) throws IOException {
        JsonToken token = parser.nextToken();
        if (token == null) {
            return new Rejection(RejectReason.MALFORMED_JSON, "payload is empty or only whitespace, not a JSON object");
        }
        if (token != JsonToken.START_OBJECT) {
            return new Rejection(RejectReason.MALFORMED_JSON, "payload must be a JSON object, got "
                    + JsonText.kind(token));
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken valueToken = parser.nextToken();
            switch (name) {
                case "sensorId" -> readSensorId(parser, valueToken, fields);
                case "action" -> readAction(parser, valueToken, fields);
                default -> parser.skipChildren();
            }
        }
        if (parser.nextToken() != null) {
            return new Rejection(RejectReason.MALFORMED_JSON, "payload has content after the JSON object");
        }
        return null;
    }

    private void readSensorId(JsonParser parser, JsonToken token, Fields fields) throws IOException {
        fields.sawSensorId = true;
        if (token != JsonToken.VALUE_STRING) {
            parser.skipChildren();
            fields.sensorIdProblem = new Rejection(RejectReason.INVALID_SENSOR_ID,
                    "sensorId must be a string, got " + JsonText.kind(token));
            return;
        }
        fields.sensorId = parser.getText();
        fields.sensorIdProblem = SensorIds.problem(fields.sensorId, settings.maxSensorIdLength());
    }

    private static void readAction(JsonParser parser, JsonToken token, Fields fields) throws IOException {
        fields.sawAction = true;
        if (token != JsonToken.VALUE_STRING) {
            parser.skipChildren();
            fields.actionProblem = new Rejection(RejectReason.UNKNOWN_ACTION,
                    "action must be the string \"reset\" or \"forget\", got " + JsonText.kind(token));
            return;
        }
        String text = parser.getText();
        fields.action = ControlAction.fromJson(text).orElse(null);
        if (fields.action == null) {
            fields.actionProblem = new Rejection(RejectReason.UNKNOWN_ACTION, "action " + JsonText.quote(text)
                    + " is neither \"reset\" nor \"forget\"");
        }
    }

    private static Rejection firstProblem(byte[] key, Fields fields) {
        if (!fields.sawSensorId) {
            return new Rejection(RejectReason.MISSING_FIELD, "sensorId is missing");
        }
        if (fields.sensorIdProblem != null) {
            return fields.sensorIdProblem;
        }
        Rejection mismatch = SensorIds.keyMismatch(key, fields.sensorId);
        if (mismatch != null) {
            return mismatch;
        }
        if (!fields.sawAction) {
            return new Rejection(RejectReason.MISSING_FIELD, "action is missing (\"reset\" or \"forget\")");
        }
        return fields.actionProblem;
    }

    private static Result rejected(RejectReason reason, String detail) {
        return new Result.Rejected(new Rejection(reason, detail));
    }
}
