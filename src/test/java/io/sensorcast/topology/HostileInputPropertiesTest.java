package io.sensorcast.topology;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.ingest.DeadLetterHeaders;
import io.sensorcast.ingest.EventParser;
import io.sensorcast.ingest.RejectReason;
import io.sensorcast.state.AcceptedEvents;
import io.sensorcast.testing.LongRunning;
import io.sensorcast.testing.TestModels;
import io.sensorcast.testing.TopologyHarness;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import org.apache.kafka.streams.test.TestRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input against the whole topology (TopologyTestDriver): 25 runs of 4,000 generated events each,
 * valid ones interleaved with broken JSON, wrong types, extreme and non-finite numbers, zero, negative and
 * huge time steps, timestamps far ahead of the (fixed) wall clock, oversized payloads up to and above the
 * broker's default message.max.bytes, tombstones, bad, long and unusual keys and unknown channels. Every
 * event must yield exactly one record: a finite forecast with the next step of its sensor, or a dead letter
 * carrying its original key and bytes (cut to fit, with the original size and digest, where they would not fit
 * the dead-letter topic), its input offset and the reason the generator built it to have.
 * The seed is fixed, so a failure reproduces; jqwik prints the shrunk event list.
 */
@LongRunning
class HostileInputPropertiesTest {

    private static final int RUNS = 25;
    private static final int EVENTS_PER_RUN = 4_000;
    private static final long T0 = 1_795_342_500_000L;
    private static final long MINUTE = 60_000L;
    private static final long DAY = 24 * 60 * MINUTE;
    private static final long YEAR = 365 * DAY;
    /** The wall clock the topology sees: a month after the first events, so steady streams stay in its past. */
    private static final Clock NOW = Clock.fixed(Instant.ofEpochMilli(T0 + 30 * DAY), ZoneOffset.UTC);
    /** The broker's default message.max.bytes, which the generator's largest payloads reach and pass. */
    private static final int BROKER_MAX_MESSAGE_BYTES = 1_048_588;
    private static final AtomicLong EVENTS_CHECKED = new AtomicLong();

    // Under exactly_once_v2 the test driver commits, and so flushes RocksDB, after every record, which makes
    // 100 k events take minutes; the property is about what each event yields, not about commits.
    private static final Map<String, String> NO_PER_RECORD_COMMIT =
            Map.of("processing.guarantee", "at_least_once", "commit.interval.ms", "600000");
    private static final PipelineConfig SINGLE = PipelineConfigLoader.parse("horizon: 4\nmodel: {layers: [8]}\n")
            .withKafka(NO_PER_RECORD_COMMIT);
    private static final PipelineConfig MULTI =
            PipelineConfigLoader.parse("channels: [temp, rh]\nhorizon: 3\nmodel: {layers: [6, 5]}\n")
                    .withKafka(NO_PER_RECORD_COMMIT);
    private static final PipelineConfig GRU =
            PipelineConfigLoader.parse("channels: [temp, rh]\nhorizon: 3\nmodel: {layers: [6, 5], cell: gru}\n")
                    .withKafka(NO_PER_RECORD_COMMIT);

    /** Ids the pipeline must accept, chosen to stress encodings, quoting and the length limit. */
    private static final List<String> SENSORS = List.of("pump-7", "Zähler-ü", "\uD83D\uDE00".repeat(256),
            "x".repeat(256), "a b c", "q\"uote\\back/slash", "日本語センサー", "id?with&query=chars", " leading-space",
            "nbsp\u00A0inside");

    enum Kind {
        VALID, FUZZED, BROKEN_JSON, WRONG_TYPE, NON_FINITE, OUT_OF_RANGE, TOO_LARGE, UNKNOWN_CHANNEL,
        MISSING_FIELD, KEY_MISMATCH, TOMBSTONE, BAD_SENSOR_ID, TS_OUT_OF_RANGE, FAR_FUTURE, HUGE
    }

    /**
     * One generated event, rendered against the sensors' accepted history when it is sent.
     *
     * @param tsDelta milliseconds after the sensor's last accepted event (zero and negative ones are stale)
     * @param variant picks the sub-case of its kind, and seeds the mutation of a fuzzed payload
     */
    record Input(Kind kind, int sensor, boolean keyed, long tsDelta, double value, int variant, boolean isoTs) {
    }

    /** What was sent, and what must come out: null expected means "accepted unless stale", FUZZED means anything. */
    private record Rendered(byte[] key, byte[] value, RejectReason expected, boolean anyOutcome, String sensorId,
                            long ts) {
    }

    /** The oracle's view of one sensor: its last accepted time and step. */
    private static final class History {
        long lastTs;
        long step;
        /**
         * The last {@link AcceptedEvents#CAPACITY} accepted events as (ts, value), value NaN when unknown (a
         * fuzzed payload; an accepted value is never NaN): under at_least_once, as here, an event equal to one of them is a redelivery, skipped
         * without a record.
         */
        final ArrayDeque<Map.Entry<Long, Double>> accepted = new ArrayDeque<>();

        boolean mayBeRedelivery(long ts, double value) {
            return accepted.stream().anyMatch(e -> e.getKey() == ts && (Double.isNaN(e.getValue())
                    || Double.doubleToLongBits(e.getValue()) == Double.doubleToLongBits(value)));
        }
    }

    @Property(tries = RUNS, seed = "20261127")
    void everyEventYieldsOneFiniteForecastOrOneExplainedDeadLetterAndTheStreamNeverStops(
            @ForAll("pipelines") PipelineConfig config,
            @ForAll @Size(EVENTS_PER_RUN) List<@net.jqwik.api.From("inputs") Input> inputs) throws IOException {
        runAndCheck(config, inputs);
    }

    /** The same property once over a stacked two-channel GRU: its state is h only, which the store round-trips. */
    @Property(tries = 1, seed = "20261130")
    void withTheGruCellEveryEventYieldsOneFiniteForecastOrOneExplainedDeadLetter(
            @ForAll @Size(EVENTS_PER_RUN) List<@net.jqwik.api.From("inputs") Input> inputs) throws IOException {
        runAndCheck(GRU, inputs);
    }

    private void runAndCheck(PipelineConfig config, List<Input> inputs) throws IOException {
        Path stateDir = Files.createTempDirectory("hostile-");
        Map<String, History> histories = new HashMap<>();
        try (TopologyHarness h = new TopologyHarness(config, TestModels.servingModel(config, 1, 7), stateDir, NOW)) {
            long offset = 0;
            for (Input input : inputs) {
                Rendered sent = render(input, config, histories);
                h.events.pipeInput(sent.key(), sent.value());
                check(h, config, sent, input.value(), offset++, histories);
            }
            // After all that, a new sensor is still served: nothing stopped or wedged.
            Rendered canary = new Rendered("canary".getBytes(StandardCharsets.UTF_8),
                    valid(config, "canary", Long.toString(T0), 1.0).getBytes(StandardCharsets.UTF_8), null, false,
                    "canary", T0);
            h.events.pipeInput(canary.key(), canary.value());
            check(h, config, canary, 1.0, offset, histories);
        } finally {
            deleteRecursively(stateDir);
        }
        EVENTS_CHECKED.addAndGet(inputs.size() + 1L);
    }

    @AfterContainer
    static void atLeastAHundredThousandEventsWereChecked() {
        assertThat(EVENTS_CHECKED.get()).isGreaterThanOrEqualTo(100_000L);
    }

    @Provide
    Arbitrary<PipelineConfig> pipelines() {
        return Arbitraries.of(SINGLE, MULTI);
    }

    @Provide
    Arbitrary<Input> inputs() {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                Tuple.of(45, Kind.VALID), Tuple.of(8, Kind.FUZZED), Tuple.of(6, Kind.BROKEN_JSON),
                Tuple.of(6, Kind.WRONG_TYPE), Tuple.of(4, Kind.NON_FINITE), Tuple.of(4, Kind.OUT_OF_RANGE),
                Tuple.of(3, Kind.TOO_LARGE), Tuple.of(4, Kind.UNKNOWN_CHANNEL), Tuple.of(4, Kind.MISSING_FIELD),
                Tuple.of(4, Kind.KEY_MISMATCH), Tuple.of(2, Kind.TOMBSTONE), Tuple.of(4, Kind.BAD_SENSOR_ID),
                Tuple.of(4, Kind.TS_OUT_OF_RANGE), Tuple.of(3, Kind.FAR_FUTURE), Tuple.of(1, Kind.HUGE));
        Arbitrary<Long> deltas = Arbitraries.frequencyOf(
                Tuple.of(70, Arbitraries.longs().between(1, 60 * MINUTE)),
                Tuple.of(8, Arbitraries.just(0L)),
                Tuple.of(10, Arbitraries.longs().between(-60 * MINUTE, -1)),
                Tuple.of(6, Arbitraries.longs().between(1, 5)),
                Tuple.of(3, Arbitraries.longs().between(YEAR, 20 * YEAR)),
                Tuple.of(3, Arbitraries.longs().between(-20 * YEAR, -YEAR)));
        Arbitrary<Double> values = Arbitraries.frequencyOf(
                Tuple.of(60, Arbitraries.doubles().between(-1e3, 1e3)),
                Tuple.of(10, Arbitraries.doubles().between(1e9, 1e12)),
                Tuple.of(10, Arbitraries.doubles().between(-1e12, -1e9)),
                Tuple.of(10, Arbitraries.doubles().between(-1, 1).ofScale(6).map(x -> x * 1e-4)),
                Tuple.of(10, Arbitraries.of(0.0, -0.0, 1e12, -1e12, Double.MIN_VALUE, -Double.MIN_NORMAL, 1e-300)));
        return Combinators.combine(kinds, Arbitraries.integers().between(0, SENSORS.size() - 1),
                Arbitraries.of(true, false), deltas, values, Arbitraries.integers().between(0, 9_999),
                Arbitraries.of(true, false)).as(Input::new);
    }

    private static Rendered render(Input in, PipelineConfig config, Map<String, History> histories) {
        String id = SENSORS.get(in.sensor());
        History history = histories.get(id);
        long ts = history == null ? T0 + in.tsDelta() : history.lastTs + in.tsDelta();
        String tsJson = in.isoTs() && ts >= 0 && ts <= EventParser.MAX_TIMESTAMP_MS
                ? quote(Instant.ofEpochMilli(ts).toString()) : Long.toString(ts);
        String good = valid(config, id, tsJson, in.value());
        byte[] key = in.keyed() ? utf8(id) : null;
        int v = in.variant();
        return switch (in.kind()) {
            case VALID -> {
                boolean inRange = ts >= 0 && ts <= EventParser.MAX_TIMESTAMP_MS;
                RejectReason expected = !inRange ? RejectReason.INVALID_TIMESTAMP
                        : ts > NOW.millis() + DAY ? RejectReason.FUTURE_TIMESTAMP : null;
                yield new Rendered(key, utf8(good), expected, false, id, ts);
            }
            case FAR_FUTURE -> {
                long ahead = List.of(DAY + 1, DAY + MINUTE, 30 * DAY, 20 * YEAR).get(v % 4);
                long future = v % 5 == 4 ? EventParser.MAX_TIMESTAMP_MS : NOW.millis() + ahead;
                String futureJson = in.isoTs() ? quote(Instant.ofEpochMilli(future).toString()) : Long.toString(future);
                yield new Rendered(key, utf8(valid(config, id, futureJson, in.value())), RejectReason.FUTURE_TIMESTAMP,
                        false, id, future);
            }
            case HUGE -> {
                int size = List.of(BROKER_MAX_MESSAGE_BYTES - 400, BROKER_MAX_MESSAGE_BYTES, BROKER_MAX_MESSAGE_BYTES + 1,
                        1_500_000, 200_000).get(v % 5);
                String head = good.substring(0, good.length() - 1) + ",\"pad\":\"";
                yield new Rendered(key, utf8(head + "p".repeat(size - head.length() - 2) + "\"}"),
                        RejectReason.PAYLOAD_TOO_LARGE, false, id, ts);
            }
            case FUZZED -> new Rendered(in.keyed() && v % 3 == 0 ? key : null, mutate(utf8(good), v), null, true, id, ts);
            case BROKEN_JSON -> new Rendered(key, utf8(broken(good, config, id, tsJson, v)),
                    RejectReason.MALFORMED_JSON, false, id, ts);
            case WRONG_TYPE -> wrongType(config, id, tsJson, in.value(), key, v, ts);
            case NON_FINITE -> new Rendered(key, utf8(withNumber(config, id, tsJson, in.value(),
                    List.of("NaN", "Infinity", "-Infinity", "1e400", "-1E999").get(v % 5))),
                    RejectReason.NON_FINITE_VALUE, false, id, ts);
            case OUT_OF_RANGE -> new Rendered(key, utf8(withNumber(config, id, tsJson, in.value(),
                    Double.toString(List.of(1.0000001e12, -5e15, 1e300, -Double.MAX_VALUE).get(v % 4)))),
                    RejectReason.VALUE_OUT_OF_RANGE, false, id, ts);
            case TOO_LARGE -> new Rendered(key, utf8(good.substring(0, good.length() - 1) + ",\"pad\":\""
                    + "p".repeat(config.limits().maxPayloadBytes() + v % 100) + "\"}"),
                    RejectReason.PAYLOAD_TOO_LARGE, false, id, ts);
            case UNKNOWN_CHANNEL -> new Rendered(key, utf8(unknownChannel(config, id, tsJson, in.value(), v)),
                    RejectReason.UNKNOWN_CHANNEL, false, id, ts);
            case MISSING_FIELD -> new Rendered(key, utf8(missing(config, id, tsJson, in.value(), v)),
                    RejectReason.MISSING_FIELD, false, id, ts);
            case KEY_MISMATCH -> new Rendered(mismatchedKey(id, v), utf8(good), RejectReason.KEY_MISMATCH, false, id, ts);
            case TOMBSTONE -> new Rendered(key, null, RejectReason.MALFORMED_JSON, false, id, ts);
            case BAD_SENSOR_ID -> new Rendered(null, utf8(valid(config, null, tsJson, in.value()).replace("\"sensorId\":null",
                    "\"sensorId\":" + List.of("\"\"", "\"   \"", "\"a\\u0001b\"", quote("y".repeat(257)),
                            "\"lone\\ud800surrogate\"", "\"tab\\tinside\"").get(v % 6))),
                    RejectReason.INVALID_SENSOR_ID, false, id, ts);
            case TS_OUT_OF_RANGE -> new Rendered(key, utf8(valid(config, id, List.of("-1", "-9223372036854775808",
                    Long.toString(EventParser.MAX_TIMESTAMP_MS + 1), "9223372036854775807",
                    "\"10000-01-01T00:00:00Z\"", "\"1969-12-31T23:59:59.999Z\"", "1e19").get(v % 7), in.value())),
                    RejectReason.INVALID_TIMESTAMP, false, id, ts);
        };
    }

    private static void check(TopologyHarness h, PipelineConfig config, Rendered sent, double value, long offset,
                              Map<String, History> histories) {
        List<TestRecord<String, Forecast>> forecasts = h.forecasts.readRecordsToList();
        List<TestRecord<byte[], byte[]>> dead = h.deadLetters.readRecordsToList();
        String what = "event at offset " + offset + ": " + (sent.value() == null ? "null"
                : new String(sent.value(), 0, Math.min(200, sent.value().length), StandardCharsets.UTF_8));
        if (forecasts.isEmpty() && dead.isEmpty() && (sent.anyOutcome() || sent.expected() == null)) {
            History history = histories.get(sent.sensorId());
            assertThat(history != null && history.mayBeRedelivery(sent.ts(), value))
                    .as("only a redelivery of an accepted event yields no record: %s", what).isTrue();
            return;
        }
        assertThat(forecasts.size() + dead.size()).as("records out for %s", what).isEqualTo(1);

        if (dead.size() == 1) {
            TestRecord<byte[], byte[]> letter = dead.get(0);
            assertThat(letter.key()).as("dead-letter key of %s", what).isEqualTo(sent.key());
            if (letter.headers().lastHeader(DeadLetterHeaders.TRUNCATED) == null) {
                assertThat(letter.value()).as("dead-letter value of %s", what).isEqualTo(sent.value());
            } else {
                // Too large for the dead-letter topic (max.request.size, 1 MiB): its first bytes, size and digest.
                assertThat(sent.value().length).as("cut only above 1 MiB: %s", what).isGreaterThan(1_040_000);
                assertThat(letter.value()).as("dead-letter prefix of %s", what)
                        .isEqualTo(Arrays.copyOf(sent.value(), letter.value().length));
                assertThat(letter.value().length).isGreaterThan(1_040_000);
                assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ORIGINAL_SIZE))
                        .contains(Integer.toString(sent.value().length));
                assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ORIGINAL_SHA256))
                        .contains(sha256(sent.value()));
            }
            assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.SOURCE)).as("source of %s", what)
                    .contains(DeadLetterHeaders.source(config.topics().events(), 0, offset));
            assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.DETAIL)).as("detail of %s", what)
                    .hasValueSatisfying(detail -> assertThat(detail).isNotBlank().hasSizeLessThan(300));
            RejectReason reason = DeadLetterHeaders.reason(letter.headers()).orElseThrow();
            if (!sent.anyOutcome()) {
                RejectReason expected = sent.expected() != null ? sent.expected() : RejectReason.STALE_TIMESTAMP;
                assertThat(reason).as("reason for %s", what).isEqualTo(expected);
                if (expected == RejectReason.STALE_TIMESTAMP) {
                    History history = histories.get(sent.sensorId());
                    assertThat(history).as("a first event is never stale: %s", what).isNotNull();
                    assertThat(sent.ts()).as("stale ts of %s", what).isLessThanOrEqualTo(history.lastTs);
                }
            }
            return;
        }

        TestRecord<String, Forecast> record = forecasts.get(0);
        Forecast f = record.value();
        assertThat(sent.anyOutcome() || sent.expected() == null).as("%s was forecast, expected %s", what,
                sent.expected()).isTrue();
        assertThat(record.key()).isEqualTo(f.sensorId());
        History history = histories.computeIfAbsent(f.sensorId(), k -> new History());
        if (history.step > 0) {
            assertThat(f.timestampMs()).as("accepted ts of %s", what).isGreaterThan(history.lastTs);
        }
        if (!sent.anyOutcome()) {
            assertThat(f.sensorId()).isEqualTo(sent.sensorId());
            assertThat(f.timestampMs()).isEqualTo(sent.ts());
        }
        assertThat(f.step()).as("step of %s", what).isEqualTo(history.step + 1);
        assertThat(f.modelVersion()).isEqualTo(1);
        assertThat(f.values()).as("forecast of %s", what).hasSize(config.horizon() * config.channels().size());
        assertThat(Arrays.stream(f.values()).allMatch(Double::isFinite))
                .as("all values finite in %s of %s", Arrays.toString(f.values()), what).isTrue();
        long previous = f.timestampMs();
        for (long ts : f.horizonTimestamps()) {
            assertThat(ts).as("horizon ts of %s", what).isGreaterThanOrEqualTo(previous)
                    .isLessThanOrEqualTo(EventParser.MAX_TIMESTAMP_MS);
            previous = ts;
        }
        history.step = f.step();
        history.lastTs = f.timestampMs();
        history.accepted.addLast(Map.entry(f.timestampMs(), sent.anyOutcome() ? Double.NaN : value));
        if (history.accepted.size() > AcceptedEvents.CAPACITY) {
            history.accepted.removeFirst();
        }
    }

    private static String valid(PipelineConfig config, String id, String tsJson, double value) {
        return "{\"sensorId\":" + (id == null ? "null" : quote(id)) + ",\"ts\":" + tsJson + "," + values(config, value)
                + "}";
    }

    private static String values(PipelineConfig config, double value) {
        if (config.channels().size() == 1) {
            return "\"value\":" + value;
        }
        return "\"values\":{\"temp\":" + value + ",\"rh\":" + (value / 2 + 1) + "}";
    }

    /** A payload whose only defect is the number {@code literal} in place of one channel's value. */
    private static String withNumber(PipelineConfig config, String id, String tsJson, double value, String literal) {
        String channels = config.channels().size() == 1 ? "\"value\":" + literal
                : "\"values\":{\"temp\":" + value + ",\"rh\":" + literal + "}";
        return "{\"sensorId\":" + quote(id) + ",\"ts\":" + tsJson + "," + channels + "}";
    }

    private static String broken(String good, PipelineConfig config, String id, String tsJson, int v) {
        return switch (v % 9) {
            case 0 -> good.substring(0, v % good.length());
            case 1 -> "[" + good + "]";
            case 2 -> quote(good);
            case 3 -> good + "{}";
            case 4 -> good.replace("{\"sensorId\":", "{\"sensorId\":\"dup\",\"sensorId\":");
            case 5 -> good.substring(0, good.length() - 1) + ",\"value\":1,\"values\":{}}";
            case 6 -> "{\"sensorId\":" + quote(id) + ",\"ts\":" + tsJson + ",\"values\":[1,2]}";
            case 7 -> good.replace('"', '\'');
            default -> "\u0000\u0001" + good;
        };
    }

    private static Rendered wrongType(PipelineConfig config, String id, String tsJson, double value, byte[] key,
                                      int v, long ts) {
        String ch = config.channels().size() == 1 ? "\"value\":" + value : values(config, value);
        List<String> badTs = List.of("true", "{}", "[]", "null", "\"yesterday\"", "1.5", "\"2026-11-22\"");
        List<String> badValue = List.of("\"21.4\"", "false", "null", "{\"v\":1}", "[1]");
        List<String> badId = List.of("42", "null", "{}", "[\"a\"]", "true");
        return switch (v % 3) {
            case 0 -> new Rendered(key, utf8("{\"sensorId\":" + quote(id) + ",\"ts\":" + badTs.get(v % badTs.size())
                    + "," + ch + "}"), RejectReason.INVALID_TIMESTAMP, false, id, ts);
            case 1 -> new Rendered(key, utf8(withNumber(config, id, tsJson, value, badValue.get(v % badValue.size()))),
                    RejectReason.NON_NUMERIC_VALUE, false, id, ts);
            default -> new Rendered(key, utf8("{\"sensorId\":" + badId.get(v % badId.size()) + ",\"ts\":" + tsJson
                    + "," + ch + "}"), RejectReason.INVALID_SENSOR_ID, false, id, ts);
        };
    }

    private static String unknownChannel(PipelineConfig config, String id, String tsJson, double value, int v) {
        if (config.channels().size() == 1) {
            return "{\"sensorId\":" + quote(id) + ",\"ts\":" + tsJson + ",\"values\":{\"value\":" + value
                    + ",\"co2\":" + v + "}}";
        }
        return v % 2 == 0 ? "{\"sensorId\":" + quote(id) + ",\"ts\":" + tsJson + ",\"value\":" + value + "}"
                : "{\"sensorId\":" + quote(id) + ",\"ts\":" + tsJson + ",\"values\":{\"temp\":" + value
                  + ",\"rh\":1,\"\uD83D\uDE00\":" + v + "}}";
    }

    private static String missing(PipelineConfig config, String id, String tsJson, double value, int v) {
        return switch (v % (config.channels().size() == 1 ? 3 : 4)) {
            case 0 -> "{\"ts\":" + tsJson + "," + values(config, value) + "}";
            case 1 -> "{\"sensorId\":" + quote(id) + "," + values(config, value) + "}";
            case 2 -> "{\"sensorId\":" + quote(id) + ",\"ts\":" + tsJson + ",\"other\":1}";
            default -> "{\"sensorId\":" + quote(id) + ",\"ts\":" + tsJson + ",\"values\":{\"rh\":" + value + "}}";
        };
    }

    private static byte[] mismatchedKey(String id, int v) {
        return switch (v % 5) {
            case 0 -> utf8(SENSORS.get((SENSORS.indexOf(id) + 1) % SENSORS.size()));
            case 1 -> utf8("k".repeat(20_000));
            case 2 -> new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1};
            case 3 -> new byte[0];
            default -> utf8(id + "\u0000");
        };
    }

    /** One to three random byte edits of a valid payload: its outcome is unknown, but must still be exactly one. */
    private static byte[] mutate(byte[] seed, int variant) {
        SplittableRandom random = new SplittableRandom(variant);
        byte[] out = seed.clone();
        int edits = 1 + random.nextInt(3);
        String jsonChars = "{}[]\":,.-+eE0159NaIny tf\\u";
        for (int e = 0; e < edits && out.length > 0; e++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(4)) {
                case 0 -> out[at] = (byte) random.nextInt(256);
                case 1 -> out[at] = (byte) jsonChars.charAt(random.nextInt(jsonChars.length()));
                case 2 -> out = Arrays.copyOf(out, at);
                default -> {
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, at + 1);
                    System.arraycopy(out, at, longer, at + 1, out.length - at);
                    out = longer;
                }
            }
        }
        return out;
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
