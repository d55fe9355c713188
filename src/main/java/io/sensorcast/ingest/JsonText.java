package io.sensorcast.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

/** How the parsers name JSON tokens and quote device-supplied text in rejection details. */
final class JsonText {

    static final int MAX_QUOTED_CHARS = 64;
    static final int MAX_JSON_ERROR_CHARS = 120;

    private JsonText() {
    }

    static String kind(JsonToken token) {
        return switch (token) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }

    static String quote(String text) {
        return "\"" + printable(text, MAX_QUOTED_CHARS) + "\"";
    }

    /** Device-supplied text made safe for a header and a log line: escaped controls, bounded length. */
    static String printable(String text, int maxChars) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars) + 8);
        int end = Math.min(text.length(), maxChars);
        for (int i = 0; i < end; i++) {
            char ch = text.charAt(i);
            if (Character.isISOControl(ch) || Character.isSurrogate(ch) && !isPairedWithin(text, i, end)) {
                out.append(String.format("\\u%04X", (int) ch));
            } else {
                out.append(ch);
            }
        }
        if (text.length() > end) {
            out.append("...");
        }
        return out.toString();
    }

    /** The MALFORMED_JSON rejection of a payload the tokenizer refused, with where it broke. */
    static Rejection malformed(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "unreadable input" : e.getOriginalMessage();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        JsonLocation location = e.getLocation();
        String where = location == null ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return new Rejection(RejectReason.MALFORMED_JSON,
                "payload is not valid JSON" + where + ": " + printable(message, MAX_JSON_ERROR_CHARS));
    }

    /** True when the surrogate at {@code i} has its partner before {@code end}, so cutting there keeps it whole. */
    private static boolean isPairedWithin(String text, int i, int end) {
        char ch = text.charAt(i);
        return Character.isHighSurrogate(ch) ? i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
}
