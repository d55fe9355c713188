package io.sensorcast.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns one Kafka record (key, JSON value) into a {@link SensorEvent} or a {@link Rejection}.
 *
 * <p>Stateless after construction, so one instance is shared by all stream threads. The payload is
 * read in one streaming pass that only captures and classifies the four contract fields; the rules
 * are then applied in their documented order, so a payload that is broken anywhere is reported as
 * malformed before any field problem, and field problems are reported sensorId, key, ts, values.
 */
public final class EventParser {

    // NaN/Infinity tokens are let through the tokenizer so they can be reported as non-finite values
    // rather than as broken JSON; the contract still rejects them. The fast double parser (FastDoubleParser,
    // shipped inside jackson-core) rounds exactly as Double.parseDouble does, in a fraction of its time.
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /**
     * The latest accepted event time, 9999-12-31T23:59:59.999Z: the last instant RFC 3339's four-digit
     * year can write, so every forecast timestamp derived from an event stays representable.
     */
    public static final long MAX_TIMESTAMP_MS = 253_402_300_799_999L;

    private static final int MAX_QUOTED_CHARS = JsonText.MAX_QUOTED_CHARS;

    private final ParserSettings settings;
    private final Map<String, Integer> channelIndex;
    /** Per-channel field label for details, built once so the hot path does not concatenate. */
    private final String[] channelLabels;
    private final boolean singleChannel;
    /** Made once: the hot path allocates no reader per record. */
    private final JsonObjects.FieldReader<Fields> fieldReader = this::readField;

    public EventParser(ParserSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        List<String> channels = settings.channels();
        this.channelIndex = new HashMap<>();
        this.channelLabels = new String[channels.size()];
        for (int i = 0; i < channels.size(); i++) {
            channelIndex.put(channels.get(i), i);
            channelLabels[i] = "channel \"" + channels.get(i) + "\" in values";
        }
        this.singleChannel = channels.size() == 1;
    }

    public ParserSettings settings() {
        return settings;
    }

    /**
     * Parses one record.
     *
     * @param key   the record key, UTF-8 of the sensor id; null means "trust the payload's sensorId"
     * @param value the record value, kept unchanged in the accepted event
     */
    public ParseResult parse(byte[] key, byte[] value) {
        Fields fields = new Fields(settings.channelCount());
        Rejection structural = JsonObjects.read(JSON, value, settings.maxPayloadBytes(), fields, fieldReader);
        if (structural != null) {
            return new ParseResult.Rejected(structural);
        }
        Rejection problem = firstProblem(key, fields);
        if (problem != null) {
            return new ParseResult.Rejected(problem);
        }
        return new ParseResult.Accepted(new SensorEvent(fields.sensorId.id(), fields.timestampMs, fields.values, value));
    }

    /** Per-call capture of the contract fields; problems are classified while reading, reported later. */
    private static final class Fields {
        final SensorIds.Field sensorId = new SensorIds.Field();

        boolean sawTs;
        long timestampMs;
        Rejection tsProblem;

        boolean sawValue;
        Rejection valueProblem;

        boolean sawValues;
        Rejection valuesShapeProblem;
        final boolean[] present;
        final Rejection[] channelProblems;
        String firstUnknownChannel;

        final double[] values;

        Fields(int channels) {
            this.present = new boolean[channels];
            this.channelProblems = new Rejection[channels];
            this.values = new double[channels];
        }
    }

    private void readField(JsonParser parser, String name, JsonToken valueToken, Fields fields) throws IOException {
        switch (name) {
            case "sensorId" -> fields.sensorId.read(parser, valueToken, settings.maxSensorIdLength());
            case "ts" -> readTimestamp(parser, valueToken, fields);
            case "value" -> readSingleValue(parser, valueToken, fields);
            case "values" -> readValues(parser, valueToken, fields);
            // Unknown fields are ignored for forward compatibility, but still tokenized so that
            // broken JSON inside them is caught.
            default -> parser.skipChildren();
        }
    }

    /**
     * Why {@code id} is not a sensor id this service accepts (empty, blank, a control character, an unpaired
     * surrogate, longer than {@code maxLength} code points), or null when it is one. The query API applies the
     * same rule, so anything it refuses could never have been stored.
     */
    public static String sensorIdProblem(String id, int maxLength) {
        Rejection problem = SensorIds.problem(id, maxLength);
        return problem == null ? null : problem.detail();
    }

    private static void readTimestamp(JsonParser parser, JsonToken token, Fields fields) throws IOException {
        fields.sawTs = true;
        switch (token) {
            case VALUE_STRING -> readIsoTimestamp(parser.getText(), fields);
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> readEpochMillis(parser, token, fields);
            default -> {
                parser.skipChildren();
                fields.tsProblem = new Rejection(RejectReason.INVALID_TIMESTAMP,
                        "ts must be an ISO-8601 string or integer epoch milliseconds, got " + kind(token));
            }
        }
    }

    private static void readIsoTimestamp(String text, Fields fields) {
        long ms = Rfc3339Parser.toEpochMillis(text);
        if (ms == Rfc3339Parser.INVALID) {
            fields.tsProblem = new Rejection(RejectReason.INVALID_TIMESTAMP, "ts " + quote(text)
                    + " is not an ISO-8601 date-time with offset, e.g. 2026-11-22T10:15:00Z");
            return;
        }
        if (ms < 0) {
            fields.tsProblem = new Rejection(RejectReason.INVALID_TIMESTAMP, "ts " + quote(text) + " is before 1970");
            return;
        }
        if (ms > MAX_TIMESTAMP_MS) {
            fields.tsProblem = new Rejection(RejectReason.INVALID_TIMESTAMP, "ts " + quote(text)
                    + " is after 9999-12-31T23:59:59.999Z, the latest accepted time");
            return;
        }
        fields.timestampMs = ms;
    }

    private static void readEpochMillis(JsonParser parser, JsonToken token, Fields fields) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            acceptEpochMillis(parser.getLongValue(), fields);
            return;
        }
        if (parser.isNaN()) {
            fields.tsProblem = new Rejection(RejectReason.INVALID_TIMESTAMP,
                    "ts " + parser.getText() + " is not a number of epoch milliseconds");
            return;
        }
        // Whole-valued decimals such as 1.7953425E12 count as integers in JSON Schema, so they are accepted.
        BigDecimal number;
        try {
            number = parser.getDecimalValue();
        } catch (NumberFormatException e) {
            // Only exponents beyond int range fail here; no such number is a valid time.
            fields.tsProblem = new Rejection(RejectReason.INVALID_TIMESTAMP, "ts "
                    + printable(parser.getText(), MAX_QUOTED_CHARS) + " is beyond the range of epoch milliseconds");
            return;
        }
        long ms;
        try {
            ms = number.longValueExact();
        } catch (ArithmeticException e) {
            boolean whole = number.signum() == 0 || number.stripTrailingZeros().scale() <= 0;
            fields.tsProblem = new Rejection(RejectReason.INVALID_TIMESTAMP, "ts "
                    + printable(parser.getText(), MAX_QUOTED_CHARS)
                    + (whole ? " is beyond the range of epoch milliseconds" : " is not a whole number of epoch milliseconds"));
            return;
        }
        acceptEpochMillis(ms, fields);
    }

    private static void acceptEpochMillis(long ms, Fields fields) {
        if (ms < 0) {
            fields.tsProblem = new Rejection(RejectReason.INVALID_TIMESTAMP,
                    "ts is negative (" + ms + "); epoch milliseconds must be 0 or more");
            return;
        }
        if (ms > MAX_TIMESTAMP_MS) {
            fields.tsProblem = new Rejection(RejectReason.INVALID_TIMESTAMP, "ts " + ms
                    + " is after 9999-12-31T23:59:59.999Z (" + MAX_TIMESTAMP_MS + "), the latest accepted time");
            return;
        }
        fields.timestampMs = ms;
    }

    private void readSingleValue(JsonParser parser, JsonToken token, Fields fields) throws IOException {
        fields.sawValue = true;
        if (!singleChannel) {
            parser.skipChildren();
            return;
        }
        fields.valueProblem = readNumber(parser, token, "value", fields.values, 0);
    }

    private void readValues(JsonParser parser, JsonToken token, Fields fields) throws IOException {
        fields.sawValues = true;
        if (token != JsonToken.START_OBJECT) {
            parser.skipChildren();
            fields.valuesShapeProblem = new Rejection(RejectReason.MALFORMED_JSON,
                    "values must be an object mapping channel names to numbers, got " + kind(token));
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String channel = parser.currentName();
            JsonToken valueToken = parser.nextToken();
            Integer index = channelIndex.get(channel);
            if (index == null) {
                parser.skipChildren();
                if (fields.firstUnknownChannel == null) {
                    fields.firstUnknownChannel = channel;
                }
                continue;
            }
            fields.present[index] = true;
            fields.channelProblems[index] = readNumber(parser, valueToken, channelLabels[index], fields.values, index);
        }
    }

    /** Stores a valid reading in {@code out[index]}, or returns why it is not one. */
    private Rejection readNumber(JsonParser parser, JsonToken token, String label, double[] out, int index)
            throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            parser.skipChildren();
            return new Rejection(RejectReason.NON_NUMERIC_VALUE, label + " must be a number, got " + kind(token));
        }
        double v = parser.getDoubleValue();
        if (!Double.isFinite(v)) {
            return new Rejection(RejectReason.NON_FINITE_VALUE, label + " is not finite ("
                    + printable(parser.getText(), MAX_QUOTED_CHARS) + ")");
        }
        if (Math.abs(v) > settings.maxAbsValue()) {
            return new Rejection(RejectReason.VALUE_OUT_OF_RANGE, label + " is " + v
                    + ", beyond the limit of +/-" + settings.maxAbsValue());
        }
        out[index] = v;
        return null;
    }

    private Rejection firstProblem(byte[] key, Fields fields) {
        Rejection idProblem = fields.sensorId.problem(key);
        if (idProblem != null) {
            return idProblem;
        }
        if (!fields.sawTs) {
            return new Rejection(RejectReason.MISSING_FIELD, "ts is missing");
        }
        if (fields.tsProblem != null) {
            return fields.tsProblem;
        }
        return valuesProblem(fields);
    }

    private Rejection valuesProblem(Fields fields) {
        if (!fields.sawValue && !fields.sawValues) {
            return new Rejection(RejectReason.MISSING_FIELD, singleChannel
                    ? "value is missing (send \"value\" or \"values\")"
                    : "values is missing (send \"values\" with channels " + settings.channels() + ")");
        }
        if (fields.sawValue && fields.sawValues) {
            return new Rejection(RejectReason.MALFORMED_JSON, "value and values are both present; send only one");
        }
        if (fields.sawValue) {
            if (!singleChannel) {
                return new Rejection(RejectReason.UNKNOWN_CHANNEL, "value is only for single-channel pipelines;"
                        + " send \"values\" with channels " + settings.channels());
            }
            return fields.valueProblem;
        }
        if (fields.valuesShapeProblem != null) {
            return fields.valuesShapeProblem;
        }
        for (int i = 0; i < fields.present.length; i++) {
            if (!fields.present[i]) {
                // A typo or another pipeline's event shows up as a missing and an unknown channel: the unknown
                // name is the cause, so it decides the reason; the detail names both.
                if (fields.firstUnknownChannel != null) {
                    return new Rejection(RejectReason.UNKNOWN_CHANNEL, "values has the unknown channel "
                            + quote(fields.firstUnknownChannel) + " and lacks " + channelLabels[i]
                            + "; the pipeline's channels are " + settings.channels());
                }
                return new Rejection(RejectReason.MISSING_FIELD, channelLabels[i] + " is missing");
            }
        }
        Rejection worst = null;
        for (Rejection problem : fields.channelProblems) {
            if (problem != null && (worst == null || rank(problem) < rank(worst))) {
                worst = problem;
            }
        }
        if (worst != null) {
            return worst;
        }
        if (fields.firstUnknownChannel != null) {
            return new Rejection(RejectReason.UNKNOWN_CHANNEL, "values has the unknown channel "
                    + quote(fields.firstUnknownChannel) + "; the pipeline's channels are " + settings.channels());
        }
        return null;
    }

    /** Order in which per-channel problems are reported when several channels are bad. */
    private static int rank(Rejection problem) {
        return switch (problem.reason()) {
            case NON_NUMERIC_VALUE -> 0;
            case NON_FINITE_VALUE -> 1;
            default -> 2;
        };
    }

    private static String kind(JsonToken token) {
        return JsonText.kind(token);
    }

    private static String quote(String text) {
        return JsonText.quote(text);
    }

    private static String printable(String text, int maxChars) {
        return JsonText.printable(text, maxChars);
    }

}
