package io.sensorcast.query;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Strict decoding of a request's raw path segment and query: percent escapes must be complete and the bytes UTF-8,
 * or the request is refused (400) instead of guessed at, so no two spellings reach the store as different ids.
 */
final class UriText {

    private UriText() {
    }

    /** The decoded text of one raw path segment or query value; {@code plusIsSpace} for query values. */
    static String decode(String raw, boolean plusIsSpace, String what) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new QueryException(400, "BAD_ENCODING", what + " has an incomplete percent escape at"
                            + " character " + (i + 1));
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else if (c > 0x7f) {
                throw new QueryException(400, "BAD_ENCODING", what + " has a character that is not percent-encoded");
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new QueryException(400, "BAD_ENCODING", what + " is not percent-encoded UTF-8");
        }
    }

    /** The decoded parameters of a raw query; an unknown or repeated name is refused. */
    static Map<String, String> parameters(String rawQuery, java.util.Set<String> allowed) {
        Map<String, String> values = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return values;
        }
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), true, "a parameter name");
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true, "parameter " + quoted(name));
            if (!allowed.contains(name)) {
                throw new QueryException(400, "UNKNOWN_PARAMETER", "unknown parameter " + quoted(name) + "; allowed: "
                        + (allowed.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(allowed))));
            }
            if (values.putIfAbsent(name, value) != null) {
                throw new QueryException(400, "REPEATED_PARAMETER", "parameter " + quoted(name) + " is given twice");
            }
        }
        return values;
    }

    /** A name quoted for an error message, cut short and with control characters escaped. */
    static String quoted(String text) {
        String cut = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        StringBuilder out = new StringBuilder("'");
        cut.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append('\'').toString();
    }
}
