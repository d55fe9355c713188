package io.sensorcast.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The rules every record naming a sensor follows: what a sensorId may be, and that a key must equal it. */
final class SensorIds {

    private SensorIds() {
    }

    /** Why {@code id} is not an acceptable sensorId, or null when it is. */
    static Rejection problem(String id, int maxLength) {
        if (id.isEmpty()) {
            return new Rejection(RejectReason.INVALID_SENSOR_ID, "sensorId is empty");
        }
        if (id.isBlank()) {
            return new Rejection(RejectReason.INVALID_SENSOR_ID, "sensorId is blank");
        }
        for (int i = 0; i < id.length(); i++) {
            char ch = id.charAt(i);
            if (Character.isISOControl(ch)) {
                return new Rejection(RejectReason.INVALID_SENSOR_ID,
                        String.format("sensorId contains the control character U+%04X", (int) ch));
            }
            // The key is the id's UTF-8, which a lone surrogate does not have: reject rather than
            // let two different ids encode to the same replacement bytes.
            if (Character.isHighSurrogate(ch) && i + 1 < id.length() && Character.isLowSurrogate(id.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(ch)) {
                return new Rejection(RejectReason.INVALID_SENSOR_ID, "sensorId contains an unpaired UTF-16 surrogate");
            }
        }
        int length = id.codePointCount(0, id.length());
        if (length > maxLength) {
            return new Rejection(RejectReason.INVALID_SENSOR_ID, "sensorId is " + length
                    + " characters long, above the limit of " + maxLength);
        }
        return null;
    }

    /** The KEY_MISMATCH rejection when a record has a key other than its sensorId's UTF-8, else null. */
    static Rejection keyMismatch(byte[] key, String sensorId) {
        if (key == null || Arrays.equals(key, sensorId.getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        // Only the start of the key is shown, so only that much is decoded.
        String shownKey = new String(key, 0, Math.min(key.length, 4 * JsonText.MAX_QUOTED_CHARS), StandardCharsets.UTF_8);
        return new Rejection(RejectReason.KEY_MISMATCH, "record key " + JsonText.quote(shownKey)
                + " differs from sensorId " + JsonText.quote(sensorId));
    }

    /** A record's sensorId field as read: whether it was there, its text and what is wrong with it. */
    static final class Field {
        private boolean seen;
        private String id;
        private Rejection problem;

        /** Reads the field's value, whose first token is {@code token}. */
        void read(JsonParser parser, JsonToken token, int maxLength) throws IOException {
            seen = true;
            if (token != JsonToken.VALUE_STRING) {
                parser.skipChildren();
                problem = new Rejection(RejectReason.INVALID_SENSOR_ID, "sensorId must be a string, got "
                        + JsonText.kind(token));
                return;
            }
            id = parser.getText();
            problem = SensorIds.problem(id, maxLength);
        }

        /** The first of: sensorId missing, invalid, or not the record key; null when none. */
        Rejection problem(byte[] key) {
            if (!seen) {
                return new Rejection(RejectReason.MISSING_FIELD, "sensorId is missing");
            }
            return problem != null ? problem : keyMismatch(key, id);
        }

        String id() {
            return id;
        }
    }
}
