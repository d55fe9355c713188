package io.sensorcast.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
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
        Fields fields = new Fields();
        Rejection problem = JsonObjects.read(JSON, value, settings.maxPayloadBytes(), fields, this::readField);
        if (problem == null) {
            problem = firstProblem(key, fields);
        }
        return problem == null ? new Result.Accepted(new SensorControl(fields.sensorId.id(), fields.action, value))
                : new Result.Rejected(problem);
    }

    private static final class Fields {
        final SensorIds.Field sensorId = new SensorIds.Field();
        boolean sawAction;
        ControlAction action;
        Rejection actionProblem;
    }

    private void readField(JsonParser parser, String name, JsonToken token, Fields fields) throws IOException {
        switch (name) {
            case "sensorId" -> fields.sensorId.read(parser, token, settings.maxSensorIdLength());
            case "action" -> readAction(parser, token, fields);
            default -> parser.skipChildren();
        }
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
        Rejection idProblem = fields.sensorId.problem(key);
        if (idProblem != null) {
            return idProblem;
        }
        if (!fields.sawAction) {
            return new Rejection(RejectReason.MISSING_FIELD, "action is missing (\"reset\" or \"forget\")");
        }
        return fields.actionProblem;
    }
}
