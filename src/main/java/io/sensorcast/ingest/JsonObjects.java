package io.sensorcast.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/** Reads a record value that must be one JSON object within a size limit, handing each field to the caller. */
final class JsonObjects {

    /** Reads one field's value (or skips it) into the caller's capture. */
    @FunctionalInterface
    interface FieldReader<F> {

        /** @param token the first token of field {@code name}'s value */
        void read(JsonParser parser, String name, JsonToken token, F fields) throws IOException;
    }

    private JsonObjects() {
    }

    /**
     * Reads {@code value} into {@code fields}; returns null when it is one JSON object of at most {@code maxBytes}
     * whose fields were all read, else why it is not (a tombstone, too large, broken JSON, not an object, content
     * after the object).
     */
    static <F> Rejection read(JsonFactory json, byte[] value, int maxBytes, F fields, FieldReader<F> reader) {
        if (value == null) {
            return new Rejection(RejectReason.MALFORMED_JSON, "payload is null (a tombstone), not a JSON object");
        }
        if (value.length > maxBytes) {
            return new Rejection(RejectReason.PAYLOAD_TOO_LARGE, "payload is " + value.length
                    + " bytes, above the limit of " + maxBytes + " bytes");
        }
        try (JsonParser parser = json.createParser(value)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return new Rejection(RejectReason.MALFORMED_JSON,
                        "payload is empty or only whitespace, not a JSON object");
            }
            if (token != JsonToken.START_OBJECT) {
                return new Rejection(RejectReason.MALFORMED_JSON, "payload must be a JSON object, got "
                        + JsonText.kind(token));
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                reader.read(parser, name, parser.nextToken(), fields);
            }
            if (parser.nextToken() != null) {
                return new Rejection(RejectReason.MALFORMED_JSON, "payload has content after the JSON object");
            }
            return null;
        } catch (JsonProcessingException e) {
            return JsonText.malformed(e);
        } catch (IOException e) {
            // Reading from a byte array does no I/O; anything surfacing here is a decoding failure.
            return new Rejection(RejectReason.MALFORMED_JSON, "payload could not be read as JSON: "
                    + JsonText.printable(String.valueOf(e.getMessage()), JsonText.MAX_JSON_ERROR_CHARS));
        }
    }
}
