package io.sensorcast.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class EventParserTest {

    private static final EventParser SINGLE = new EventParser(new ParserSettings(List.of("value")));
    private static final EventParser MULTI = new EventParser(new ParserSettings(List.of("temp", "rh")));

    /** 2026-11-22T10:15:00Z in epoch milliseconds. */
    private static final long T0 = 1_795_342_500_000L;

    /** A record the parser must reject: which reason, and a word the detail must contain to name the field. */
    record Bad(String name, EventParser parser, String key, byte[] value, RejectReason reason, String names) {
        @Override
        public String toString() {
            return reason + ": " + name;
        }
    }

    /** A record the parser must accept, and what it must read from it. */
    record Good(String name, EventParser parser, String key, String json, String sensorId, long ts, double[] values) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Bad bad(String name, String json, RejectReason reason, String names) {
        return new Bad(name, SINGLE, null, utf8(json), reason, names);
    }

    static Bad badMulti(String name, String json, RejectReason reason, String names) {
        return new Bad(name, MULTI, null, utf8(json), reason, names);
    }

    static Stream<Bad> badEvents() {
        return Stream.of(
                bad("payload above the size limit",
                        "{\"sensorId\":\"a\",\"ts\":0,\"value\":1,\"pad\":\"" + "x".repeat(4100) + "\"}",
                        RejectReason.PAYLOAD_TOO_LARGE, "payload"),

                new Bad("null payload (tombstone)", SINGLE, null, null, RejectReason.MALFORMED_JSON, "payload"),
                bad("empty payload", "", RejectReason.MALFORMED_JSON, "payload"),
                bad("whitespace-only payload", "  \n ", RejectReason.MALFORMED_JSON, "payload"),
                bad("unterminated object", "{\"sensorId\":\"a\",\"ts\":0,", RejectReason.MALFORMED_JSON, "payload"),
                bad("unquoted field name", "{sensorId:\"a\",\"ts\":0,\"value\":1}", RejectReason.MALFORMED_JSON, "payload"),
                bad("array instead of object", "[{\"sensorId\":\"a\",\"ts\":0,\"value\":1}]", RejectReason.MALFORMED_JSON, "payload"),
                bad("bare number", "42", RejectReason.MALFORMED_JSON, "payload"),
                bad("trailing garbage", "{\"sensorId\":\"a\",\"ts\":0,\"value\":1} xyz", RejectReason.MALFORMED_JSON, "payload"),
                bad("second object after the first", "{\"sensorId\":\"a\",\"ts\":0,\"value\":1}{}", RejectReason.MALFORMED_JSON, "payload"),
                bad("duplicate top-level field", "{\"sensorId\":\"a\",\"sensorId\":\"b\",\"ts\":0,\"value\":1}", RejectReason.MALFORMED_JSON, "sensorId"),
                badMulti("duplicate channel", "{\"sensorId\":\"a\",\"ts\":0,\"values\":{\"temp\":1,\"rh\":2,\"temp\":3}}", RejectReason.MALFORMED_JSON, "temp"),
                bad("broken JSON inside an ignored field", "{\"sensorId\":\"a\",\"ts\":0,\"value\":1,\"meta\":{\"x\":}}", RejectReason.MALFORMED_JSON, "payload"),
                new Bad("invalid UTF-8", SINGLE, null, new byte[] {'{', '"', 's', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                        RejectReason.MALFORMED_JSON, "payload"),
                bad("value and values both present", "{\"sensorId\":\"a\",\"ts\":0,\"value\":1,\"values\":{\"value\":1}}", RejectReason.MALFORMED_JSON, "values"),
                bad("values is an array", "{\"sensorId\":\"a\",\"ts\":0,\"values\":[1]}", RejectReason.MALFORMED_JSON, "values"),
                bad("values is a number", "{\"sensorId\":\"a\",\"ts\":0,\"values\":1}", RejectReason.MALFORMED_JSON, "values"),

                bad("sensorId missing", "{\"ts\":0,\"value\":1}", RejectReason.MISSING_FIELD, "sensorId"),
                bad("ts missing", "{\"sensorId\":\"a\",\"value\":1}", RejectReason.MISSING_FIELD, "ts"),
                bad("value missing", "{\"sensorId\":\"a\",\"ts\":0}", RejectReason.MISSING_FIELD, "value"),
                badMulti("values missing", "{\"sensorId\":\"a\",\"ts\":0}", RejectReason.MISSING_FIELD, "values"),
                badMulti("channel rh missing", "{\"sensorId\":\"a\",\"ts\":0,\"values\":{\"temp\":1}}", RejectReason.MISSING_FIELD, "\"rh\""),
                bad("values empty", "{\"sensorId\":\"a\",\"ts\":0,\"values\":{}}", RejectReason.MISSING_FIELD, "\"value\""),

                bad("sensorId is a number", "{\"sensorId\":7,\"ts\":0,\"value\":1}", RejectReason.INVALID_SENSOR_ID, "sensorId"),
                bad("sensorId is null", "{\"sensorId\":null,\"ts\":0,\"value\":1}", RejectReason.INVALID_SENSOR_ID, "sensorId"),
                bad("sensorId is an object", "{\"sensorId\":{\"id\":\"a\"},\"ts\":0,\"value\":1}", RejectReason.INVALID_SENSOR_ID, "sensorId"),
                bad("sensorId is empty", "{\"sensorId\":\"\",\"ts\":0,\"value\":1}", RejectReason.INVALID_SENSOR_ID, "sensorId"),
                bad("sensorId is blank", "{\"sensorId\":\"   \",\"ts\":0,\"value\":1}", RejectReason.INVALID_SENSOR_ID, "sensorId"),
                bad("sensorId longer than 256", "{\"sensorId\":\"" + "a".repeat(257) + "\",\"ts\":0,\"value\":1}", RejectReason.INVALID_SENSOR_ID, "sensorId"),
                bad("sensorId with a newline", "{\"sensorId\":\"pump\\n7\",\"ts\":0,\"value\":1}", RejectReason.INVALID_SENSOR_ID, "sensorId"),
                bad("sensorId with DEL", "{\"sensorId\":\"pump\\u007f\",\"ts\":0,\"value\":1}", RejectReason.INVALID_SENSOR_ID, "sensorId"),
                bad("sensorId with a lone surrogate", "{\"sensorId\":\"pump\\ud800\",\"ts\":0,\"value\":1}", RejectReason.INVALID_SENSOR_ID, "sensorId"),

                new Bad("key differs from sensorId", SINGLE, "pump-8", utf8("{\"sensorId\":\"pump-7\",\"ts\":0,\"value\":1}"),
                        RejectReason.KEY_MISMATCH, "sensorId"),
                new Bad("empty key", SINGLE, "", utf8("{\"sensorId\":\"pump-7\",\"ts\":0,\"value\":1}"),
                        RejectReason.KEY_MISMATCH, "key"),

                bad("ts is prose", "{\"sensorId\":\"a\",\"ts\":\"yesterday\",\"value\":1}", RejectReason.INVALID_TIMESTAMP, "ts"),
                bad("ts without offset", "{\"sensorId\":\"a\",\"ts\":\"2026-11-22T10:15:00\",\"value\":1}", RejectReason.INVALID_TIMESTAMP, "ts"),
                bad("ts is only a date", "{\"sensorId\":\"a\",\"ts\":\"2026-11-22\",\"value\":1}", RejectReason.INVALID_TIMESTAMP, "ts"),
                bad("ts has an impossible date", "{\"sensorId\":\"a\",\"ts\":\"2026-02-30T10:15:00Z\",\"value\":1}", RejectReason.INVALID_TIMESTAMP, "ts"),
                bad("ts is negative", "{\"sensorId\":\"a\",\"ts\":-1,\"value\":1}", RejectReason.INVALID_TIMESTAMP, "ts"),
                bad("ts is before 1970", "{\"sensorId\":\"a\",\"ts\":\"1969-12-31T23:59:59Z\",\"value\":1}", RejectReason.INVALID_TIMESTAMP, "ts"),
                bad("ts has a fraction of a millisecond", "{\"sensorId\":\"a\",\"ts\":1.5,\"value\":1}", RejectReason.INVALID_TIMESTAMP, "ts"),
                bad("ts overflows long", "{\"sensorId\":\"a\",\"ts\":100000000000000000000,\"value\":1}", RejectReason.INVALID_TIMESTAMP, "ts"),
                bad("ts exponent beyond BigDecimal", "{\"sensorId\":\"a\",\"ts\":1e9999999999,\"value\":1}", RejectReason.INVALID_TIMESTAMP, "ts"),
                bad("ts one millisecond after year 9999", "{\"sensorId\":\"a\",\"ts\":253402300800000,\"value\":1}", RejectReason.INVALID_TIMESTAMP, "9999"),
                bad("ts near the end of long", "{\"sensorId\":\"a\",\"ts\":9223372036854775806,\"value\":1}", RejectReason.INVALID_TIMESTAMP, "9999"),
                bad("ISO ts whose offset moves it past year 9999", "{\"sensorId\":\"a\",\"ts\":\"9999-12-31T23:59:59-00:01\",\"value\":1}", RejectReason.INVALID_TIMESTAMP, "9999"),
                bad("ts is NaN", "{\"sensorId\":\"a\",\"ts\":NaN,\"value\":1}", RejectReason.INVALID_TIMESTAMP, "ts"),
                bad("ts is a boolean", "{\"sensorId\":\"a\",\"ts\":true,\"value\":1}", RejectReason.INVALID_TIMESTAMP, "ts"),
                bad("ts is null", "{\"sensorId\":\"a\",\"ts\":null,\"value\":1}", RejectReason.INVALID_TIMESTAMP, "ts"),

                bad("value is a numeric string", "{\"sensorId\":\"a\",\"ts\":0,\"value\":\"21.4\"}", RejectReason.NON_NUMERIC_VALUE, "value"),
                bad("value is a boolean", "{\"sensorId\":\"a\",\"ts\":0,\"value\":false}", RejectReason.NON_NUMERIC_VALUE, "value"),
                bad("value is null", "{\"sensorId\":\"a\",\"ts\":0,\"value\":null}", RejectReason.NON_NUMERIC_VALUE, "value"),
                bad("value is an object", "{\"sensorId\":\"a\",\"ts\":0,\"value\":{\"v\":1}}", RejectReason.NON_NUMERIC_VALUE, "value"),
                bad("value is an array", "{\"sensorId\":\"a\",\"ts\":0,\"value\":[1]}", RejectReason.NON_NUMERIC_VALUE, "value"),
                badMulti("channel is a string", "{\"sensorId\":\"a\",\"ts\":0,\"values\":{\"temp\":1,\"rh\":\"40\"}}", RejectReason.NON_NUMERIC_VALUE, "\"rh\""),

                bad("value is NaN", "{\"sensorId\":\"a\",\"ts\":0,\"value\":NaN}", RejectReason.NON_FINITE_VALUE, "value"),
                bad("value is Infinity", "{\"sensorId\":\"a\",\"ts\":0,\"value\":Infinity}", RejectReason.NON_FINITE_VALUE, "value"),
                bad("value is -Infinity", "{\"sensorId\":\"a\",\"ts\":0,\"value\":-Infinity}", RejectReason.NON_FINITE_VALUE, "value"),
                bad("value overflows double", "{\"sensorId\":\"a\",\"ts\":0,\"value\":1e400}", RejectReason.NON_FINITE_VALUE, "value"),
                badMulti("channel is NaN", "{\"sensorId\":\"a\",\"ts\":0,\"values\":{\"temp\":NaN,\"rh\":1}}", RejectReason.NON_FINITE_VALUE, "\"temp\""),

                bad("value above the limit", "{\"sensorId\":\"a\",\"ts\":0,\"value\":1.000001e12}", RejectReason.VALUE_OUT_OF_RANGE, "value"),
                bad("value below minus the limit", "{\"sensorId\":\"a\",\"ts\":0,\"value\":-2e12}", RejectReason.VALUE_OUT_OF_RANGE, "value"),
                badMulti("channel above the limit", "{\"sensorId\":\"a\",\"ts\":0,\"values\":{\"temp\":1,\"rh\":5e15}}", RejectReason.VALUE_OUT_OF_RANGE, "\"rh\""),

                badMulti("value in a multi-channel pipeline", "{\"sensorId\":\"a\",\"ts\":0,\"value\":1}", RejectReason.UNKNOWN_CHANNEL, "\"values\""),
                badMulti("extra channel", "{\"sensorId\":\"a\",\"ts\":0,\"values\":{\"temp\":1,\"rh\":2,\"co2\":3}}", RejectReason.UNKNOWN_CHANNEL, "\"co2\""),
                bad("unknown channel next to the single one", "{\"sensorId\":\"a\",\"ts\":0,\"values\":{\"value\":1,\"x\":2}}", RejectReason.UNKNOWN_CHANNEL, "\"x\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEvents")
    void badEventIsRejectedWithItsReasonAndADetailNamingTheField(Bad bad) {
        ParseResult result = bad.parser().parse(bad.key() == null ? null : utf8(bad.key()), bad.value());

        assertThat(result).isInstanceOf(ParseResult.Rejected.class);
        Rejection rejection = ((ParseResult.Rejected) result).rejection();
        assertThat(rejection.reason()).isEqualTo(bad.reason());
        assertThat(rejection.detail()).contains(bad.names()).doesNotContain("\n").hasSizeLessThan(200);
    }

    @Test
    void badEventTableCoversEveryReasonThePayloadAloneCanDecide() {
        Set<RejectReason> covered = badEvents().map(Bad::reason).collect(Collectors.toCollection(() -> EnumSet.noneOf(RejectReason.class)));

        // Staleness needs the sensor's last accepted timestamp, and a future timestamp the wall clock, neither of
        // which the stateless parser has; an unknown action is a control record's (ControlParserTest).
        assertThat(covered).isEqualTo(EnumSet.complementOf(EnumSet.of(RejectReason.STALE_TIMESTAMP,
                RejectReason.FUTURE_TIMESTAMP, RejectReason.UNKNOWN_ACTION)));
    }

    static Good good(String name, String json, long ts, double value) {
        return new Good(name, SINGLE, null, json, "pump-7", ts, new double[] {value});
    }

    static Stream<Good> goodEvents() {
        return Stream.of(
                good("ISO instant in UTC", "{\"sensorId\":\"pump-7\",\"ts\":\"2026-11-22T10:15:00Z\",\"value\":21.4}", T0, 21.4),
                good("ISO with a positive offset", "{\"sensorId\":\"pump-7\",\"ts\":\"2026-11-22T11:15:00+01:00\",\"value\":21.4}", T0, 21.4),
                good("ISO with a negative offset", "{\"sensorId\":\"pump-7\",\"ts\":\"2026-11-22T05:15:00-05:00\",\"value\":21.4}", T0, 21.4),
                good("ISO with milliseconds", "{\"sensorId\":\"pump-7\",\"ts\":\"2026-11-22T10:15:00.250Z\",\"value\":21.4}", T0 + 250, 21.4),
                good("ISO with nanoseconds truncated to ms", "{\"sensorId\":\"pump-7\",\"ts\":\"2026-11-22T10:15:00.123456789Z\",\"value\":21.4}", T0 + 123, 21.4),
                good("ISO in lower case", "{\"sensorId\":\"pump-7\",\"ts\":\"2026-11-22t10:15:00z\",\"value\":21.4}", T0, 21.4),
                good("epoch milliseconds", "{\"sensorId\":\"pump-7\",\"ts\":1795342500000,\"value\":21.4}", T0, 21.4),
                good("epoch milliseconds in exponent form", "{\"sensorId\":\"pump-7\",\"ts\":1.7953425E12,\"value\":21.4}", T0, 21.4),
                good("the last accepted instant in epoch milliseconds", "{\"sensorId\":\"pump-7\",\"ts\":253402300799999,\"value\":21.4}",
                        EventParser.MAX_TIMESTAMP_MS, 21.4),
                good("the last accepted instant in ISO", "{\"sensorId\":\"pump-7\",\"ts\":\"9999-12-31T23:59:59.999Z\",\"value\":21.4}",
                        EventParser.MAX_TIMESTAMP_MS, 21.4),
                good("epoch zero", "{\"sensorId\":\"pump-7\",\"ts\":0,\"value\":21.4}", 0, 21.4),
                good("integer value", "{\"sensorId\":\"pump-7\",\"ts\":0,\"value\":21}", 0, 21.0),
                good("negative zero", "{\"sensorId\":\"pump-7\",\"ts\":0,\"value\":-0.0}", 0, -0.0),
                good("value exactly at the limit", "{\"sensorId\":\"pump-7\",\"ts\":0,\"value\":-1e12}", 0, -1e12),
                good("value underflowing to zero", "{\"sensorId\":\"pump-7\",\"ts\":0,\"value\":1e-400}", 0, 0.0),
                good("single channel sent as values", "{\"sensorId\":\"pump-7\",\"ts\":0,\"values\":{\"value\":3.5}}", 0, 3.5),
                good("fields in any order", "{\"value\":21.4,\"ts\":0,\"sensorId\":\"pump-7\"}", 0, 21.4),
                good("unknown fields ignored", "{\"v\":2,\"sensorId\":\"pump-7\",\"fw\":{\"rev\":[1,{\"a\":null}]},\"ts\":0,"
                        + "\"value\":21.4,\"battery\":NaN}", 0, 21.4),
                good("surrounding whitespace", " \n{ \"sensorId\" : \"pump-7\" , \"ts\" : 0 , \"value\" : 21.4 }\r\n", 0, 21.4),
                new Good("key equal to a non-ASCII sensorId", SINGLE, "Zähler-ü", "{\"sensorId\":\"Zähler-ü\",\"ts\":0,\"value\":1}",
                        "Zähler-ü", 0, new double[] {1}),
                new Good("escaped sensorId matching the key", SINGLE, "pump-7", "{\"sensorId\":\"pump\\u002d7\",\"ts\":0,\"value\":1}",
                        "pump-7", 0, new double[] {1}),
                new Good("sensorId of 256 code points in 512 UTF-16 chars", SINGLE, null,
                        "{\"sensorId\":\"" + "\uD83D\uDE00".repeat(256) + "\",\"ts\":0,\"value\":1}",
                        "\uD83D\uDE00".repeat(256), 0, new double[] {1}),
                new Good("multi-channel in configured order", MULTI, null,
                        "{\"sensorId\":\"pump-7\",\"ts\":0,\"values\":{\"rh\":40.2,\"temp\":21.4}}", "pump-7", 0, new double[] {21.4, 40.2}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodEvents")
    void goodEventIsAcceptedWithItsIdTimeAndValues(Good good) {
        byte[] value = utf8(good.json());

        ParseResult result = good.parser().parse(good.key() == null ? null : utf8(good.key()), value);

        assertThat(result).isInstanceOf(ParseResult.Accepted.class);
        SensorEvent event = ((ParseResult.Accepted) result).event();
        assertThat(event.sensorId()).isEqualTo(good.sensorId());
        assertThat(event.timestampMs()).isEqualTo(good.ts());
        assertThat(event.values()).containsExactly(good.values());
        assertThat(event.original()).isSameAs(value);
    }

    @Test
    void multiChannelValuesFollowTheConfiguredChannelOrder() {
        EventParser parser = new EventParser(new ParserSettings(List.of("rh", "co2", "temp")));

        SensorEvent event = accepted(parser.parse(null,
                utf8("{\"sensorId\":\"room-3\",\"ts\":0,\"values\":{\"temp\":21.4,\"rh\":40.2,\"co2\":415}}")));

        assertThat(event.values()).containsExactly(40.2, 415.0, 21.4);
    }

    @Test
    void valuesReadExactlyAsDoubleParseDoubleReadsTheirText() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int i = 0; i < 20_000; i++) {
            double d = random.nextGaussian() * Math.pow(10, random.nextInt(-20, 10));
            // Shortest, long and exponent forms of the same magnitudes.
            String text = switch (i % 3) {
                case 0 -> Double.toString(d);
                case 1 -> new java.math.BigDecimal(d).round(new java.math.MathContext(25)).toPlainString();
                default -> String.format(java.util.Locale.ROOT, "%.12e", d);
            };

            SensorEvent event = accepted(SINGLE.parse(null, utf8("{\"sensorId\":\"a\",\"ts\":0,\"value\":" + text + "}")));

            assertThat(event.value(0)).as(text).isEqualTo(Double.parseDouble(text));
        }
    }

    @Test
    void isoWithOffsetAndEpochMillisDenoteTheSameInstant() {
        long iso = accepted(SINGLE.parse(null, utf8("{\"sensorId\":\"a\",\"ts\":\"2026-11-22T11:15:00.007+01:00\",\"value\":1}"))).timestampMs();
        long millis = accepted(SINGLE.parse(null, utf8("{\"sensorId\":\"a\",\"ts\":1795342500007,\"value\":1}"))).timestampMs();

        assertThat(iso).isEqualTo(millis).isEqualTo(T0 + 7);
    }

    @Test
    void singleChannelPipelineTakesValueWhateverItsChannelIsCalled() {
        EventParser parser = new EventParser(new ParserSettings(List.of("pressure")));

        assertThat(accepted(parser.parse(null, utf8("{\"sensorId\":\"a\",\"ts\":0,\"value\":2.5}"))).values()).containsExactly(2.5);
        assertThat(accepted(parser.parse(null, utf8("{\"sensorId\":\"a\",\"ts\":0,\"values\":{\"pressure\":2.5}}"))).values()).containsExactly(2.5);
    }

    @Test
    void configuredLimitsAreAppliedInclusively() {
        EventParser parser = new EventParser(new ParserSettings(List.of("value"), 40, 10.0, 3));
        String atLimits = "{\"sensorId\":\"abc\",\"ts\":0,\"value\":10}";
        assertThat(utf8(atLimits)).hasSizeLessThanOrEqualTo(40);

        assertThat(parser.parse(null, utf8(atLimits))).isInstanceOf(ParseResult.Accepted.class);
        assertThat(reason(parser.parse(null, utf8("{\"sensorId\":\"abcd\",\"ts\":0,\"value\":1}")))).isEqualTo(RejectReason.INVALID_SENSOR_ID);
        assertThat(reason(parser.parse(null, utf8("{\"sensorId\":\"a\",\"ts\":0,\"value\":10.5}")))).isEqualTo(RejectReason.VALUE_OUT_OF_RANGE);
        assertThat(reason(parser.parse(null, utf8("{\"sensorId\":\"a\",\"ts\":0,\"value\":1,\"pad\":\"xxxxxxxx\"}")))).isEqualTo(RejectReason.PAYLOAD_TOO_LARGE);
    }

    /** Events that break several rules, and the reason the earliest rule gives. */
    static Stream<Bad> eventsBreakingSeveralRules() {
        return Stream.of(
                bad("broken JSON beats a missing sensorId", "{\"ts\":\"x\",\"value\":\"y\"", RejectReason.MALFORMED_JSON, "payload"),
                bad("duplicate field beats everything after it", "{\"ts\":\"x\",\"ts\":\"y\"}", RejectReason.MALFORMED_JSON, "ts"),
                bad("missing sensorId beats a bad ts", "{\"ts\":\"x\",\"value\":1}", RejectReason.MISSING_FIELD, "sensorId"),
                bad("invalid sensorId beats a missing ts", "{\"sensorId\":\"\",\"value\":1}", RejectReason.INVALID_SENSOR_ID, "sensorId"),
                new Bad("key mismatch beats a bad ts", SINGLE, "b", utf8("{\"sensorId\":\"a\",\"ts\":\"x\",\"value\":1}"),
                        RejectReason.KEY_MISMATCH, "sensorId"),
                bad("bad ts beats a bad value", "{\"sensorId\":\"a\",\"ts\":\"x\",\"value\":NaN}", RejectReason.INVALID_TIMESTAMP, "ts"),
                bad("both value fields beat a bad value", "{\"sensorId\":\"a\",\"ts\":0,\"value\":\"x\",\"values\":{\"value\":1}}",
                        RejectReason.MALFORMED_JSON, "values"),
                badMulti("a typo is an unknown channel, naming the missing one too", "{\"sensorId\":\"a\",\"ts\":0,\"values\":{\"temp\":1,\"hr\":2}}",
                        RejectReason.UNKNOWN_CHANNEL, "unknown channel \"hr\" and lacks channel \"rh\""),
                bad("another pipeline's channel in a single-channel pipeline is unknown, not a missing value",
                        "{\"sensorId\":\"a\",\"ts\":0,\"values\":{\"temp\":21.5}}", RejectReason.UNKNOWN_CHANNEL,
                        "unknown channel \"temp\" and lacks channel \"value\""),
                badMulti("non-numeric beats non-finite in an earlier channel", "{\"sensorId\":\"a\",\"ts\":0,\"values\":{\"temp\":NaN,\"rh\":\"x\"}}",
                        RejectReason.NON_NUMERIC_VALUE, "\"rh\""),
                badMulti("non-finite beats out of range", "{\"sensorId\":\"a\",\"ts\":0,\"values\":{\"temp\":1e13,\"rh\":Infinity}}",
                        RejectReason.NON_FINITE_VALUE, "\"rh\""),
                badMulti("bad value beats an unknown channel", "{\"sensorId\":\"a\",\"ts\":0,\"values\":{\"co2\":1,\"temp\":1,\"rh\":true}}",
                        RejectReason.NON_NUMERIC_VALUE, "\"rh\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventsBreakingSeveralRules")
    void earliestBrokenRuleDecidesTheReason(Bad bad) {
        badEventIsRejectedWithItsReasonAndADetailNamingTheField(bad);
    }

    @Test
    void detailEscapesControlCharactersAndBoundsDeviceText() {
        Rejection rejection = ((ParseResult.Rejected) SINGLE.parse(null,
                utf8("{\"sensorId\":\"a\",\"ts\":\"\\u0007" + "x".repeat(500) + "\",\"value\":1}"))).rejection();

        assertThat(rejection.reason()).isEqualTo(RejectReason.INVALID_TIMESTAMP);
        assertThat(rejection.detail()).contains("\\u0007").doesNotContain("\u0007").hasSizeLessThan(200);
    }

    @Test
    void parserNeverThrowsOnMutatedPayloads() {
        // A parser exception would stop the stream thread on one bad record: every input must map to a result.
        List<byte[]> seeds = Stream.concat(badEvents().map(Bad::value), goodEvents().map(g -> utf8(g.json())))
                .filter(v -> v != null && v.length < 600).toList();
        Random random = new Random(20261122);
        for (int i = 0; i < 5_000; i++) {
            byte[] payload = mutate(seeds.get(random.nextInt(seeds.size())), random);
            for (EventParser parser : List.of(SINGLE, MULTI)) {
                ParseResult result = parser.parse(random.nextBoolean() ? null : payload, payload);
                if (result instanceof ParseResult.Rejected rejected) {
                    assertThat(rejected.rejection().reason()).isNotNull();
                    assertThat(rejected.rejection().detail()).as("detail for %s", new String(payload, StandardCharsets.UTF_8))
                            .isNotBlank().hasSizeLessThan(250);
                } else {
                    assertThat(result).isInstanceOf(ParseResult.Accepted.class);
                }
            }
        }
    }

    private static final String JSON_CHARS = "{}[]\":,.-+eE0159NaIny tf\\u";

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] out = seed.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && out.length > 0; e++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(4)) {
                case 0 -> out[at] = (byte) random.nextInt(256);
                case 1 -> out[at] = (byte) JSON_CHARS.charAt(random.nextInt(JSON_CHARS.length()));
                case 2 -> out = Arrays.copyOf(out, at);
                default -> {
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, at);
                    longer[at] = out[at];
                    System.arraycopy(out, at, longer, at + 1, out.length - at);
                    out = longer;
                }
            }
        }
        return out;
    }

    private static SensorEvent accepted(ParseResult result) {
        assertThat(result).isInstanceOf(ParseResult.Accepted.class);
        return ((ParseResult.Accepted) result).event();
    }

    private static RejectReason reason(ParseResult result) {
        assertThat(result).isInstanceOf(ParseResult.Rejected.class);
        return ((ParseResult.Rejected) result).rejection().reason();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
