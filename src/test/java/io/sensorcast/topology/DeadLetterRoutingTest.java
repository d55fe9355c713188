package io.sensorcast.topology;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.ingest.DeadLetterHeaders;
import io.sensorcast.ingest.EventParser;
import io.sensorcast.ingest.RejectReason;
import io.sensorcast.testing.TestModels;
import io.sensorcast.testing.TopologyHarness;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static io.sensorcast.testing.TopologyHarness.event;
import static org.assertj.core.api.Assertions.assertThat;

/** Regression tests: where rejected events go and what their dead letters say, for the paths that once got it wrong. */
class DeadLetterRoutingTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long MINUTE = 60_000L;

    private final PipelineConfig config = PipelineConfigLoader.parse("horizon: 3\nmodel: {layers: [8]}\n");

    @TempDir
    Path stateDir;

    private TopologyHarness harness() {
        return new TopologyHarness(config, TestModels.servingModel(config, 1, 42), stateDir);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anUnkeyedEventRejectedAsStaleAfterTheRepartitionKeepsItsNullKeyBytesAndInputTopicSource() {
        try (TopologyHarness h = harness()) {
            h.send(null, event("tank-3", T0 + MINUTE, 1.0));
            String stale = event("tank-3", T0, 2.0);
            h.send(null, stale);

            assertThat(h.readForecasts()).extracting(Forecast::step).containsExactly(1L);
            List<TestRecord<byte[], byte[]>> dead = h.readDeadLetters();
            assertThat(dead).hasSize(1);
            TestRecord<byte[], byte[]> letter = dead.get(0);
            assertThat(letter.key()).isNull();
            assertThat(letter.value()).isEqualTo(utf8(stale));
            assertThat(DeadLetterHeaders.reason(letter.headers())).contains(RejectReason.STALE_TIMESTAMP);
            // The second record on the input topic, not an offset of the internal repartition topic.
            assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.SOURCE))
                    .contains(config.topics().events() + "-0@1");
            assertThat(letter.headers().lastHeader(RoutedOrigin.HEADER)).isNull();
        }
    }

    @Test
    void aKeyedEventRejectedAsStaleKeepsItsKeyEvenWhenItsProducerForgedTheInternalUnkeyedMark() {
        try (TopologyHarness h = harness()) {
            h.send("tank-3", event("tank-3", T0 + MINUTE, 1.0));
            RecordHeaders forged = new RecordHeaders();
            forged.add(RoutedOrigin.HEADER, utf8("elsewhere-9@9"));
            h.events.pipeInput(new TestRecord<>(utf8("tank-3"), utf8(event("tank-3", T0, 2.0)), forged));

            TestRecord<byte[], byte[]> letter = h.readDeadLetters().get(0);
            assertThat(letter.key()).isEqualTo(utf8("tank-3"));
            assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.SOURCE))
                    .contains(config.topics().events() + "-0@1");
            assertThat(letter.headers().lastHeader(RoutedOrigin.HEADER)).isNull();
        }
    }

    @Test
    void aForgedInternalMarkOnARecordRejectedByTheParserDoesNotReachTheDeadLetterTopic() {
        try (TopologyHarness h = harness()) {
            RecordHeaders forged = new RecordHeaders();
            forged.add(RoutedOrigin.HEADER, utf8("elsewhere-9@9"));
            forged.add("producer-trace", utf8("kept"));
            h.events.pipeInput(new TestRecord<>(null, utf8("{\"sensorId\":"), forged));

            TestRecord<byte[], byte[]> letter = h.readDeadLetters().get(0);
            assertThat(DeadLetterHeaders.reason(letter.headers())).contains(RejectReason.MALFORMED_JSON);
            assertThat(letter.headers().lastHeader(RoutedOrigin.HEADER)).isNull();
            assertThat(letter.headers().lastHeader("producer-trace").value()).isEqualTo(utf8("kept"));
        }
    }

    @Test
    void aRecordWrittenStraightIntoTheRepartitionTopicThatDoesNotParseIsDeadLetteredAndTheStreamGoesOn() {
        try (TopologyHarness h = harness()) {
            var internal = h.driver.createInputTopic(config.name() + "-unkeyed-events-repartition",
                    new StringSerializer(),
                    new ByteArraySerializer());
            internal.pipeInput("tank-3", utf8("not json"));
            internal.pipeInput("tank-3", utf8(event("other", T0, 1.0)));
            h.send(null, event("tank-3", T0, 1.0));

            List<TestRecord<byte[], byte[]>> dead = h.readDeadLetters();
            assertThat(dead).extracting(r -> DeadLetterHeaders.reason(r.headers()).orElseThrow())
                    .containsExactly(RejectReason.MALFORMED_JSON, RejectReason.KEY_MISMATCH);
            assertThat(dead).extracting(TestRecord::value)
                    .containsExactly(utf8("not json"), utf8(event("other", T0, 1.0)));
            assertThat(dead.get(0).key()).isEqualTo(utf8("tank-3"));
            assertThat(DeadLetterHeaders.text(dead.get(0).headers(), DeadLetterHeaders.SOURCE).orElseThrow())
                    .startsWith(config.name() + "-unkeyed-events-repartition-0@");
            assertThat(h.readForecasts()).extracting(Forecast::sensorId).containsExactly("tank-3");
        }
    }

    @Test
    void aPayloadTooLargeForTheDeadLetterTopicIsDeadLetteredCutToFitWithItsSizeAndDigestAndTheStreamGoesOn() {
        PipelineConfig small = config.withKafka(java.util.Map.of("max.request.size", "8192"));
        try (TopologyHarness h = new TopologyHarness(small, TestModels.servingModel(small, 1, 42), stateDir)) {
            String big = "{\"sensorId\":\"tank-3\",\"ts\":" + T0 + ",\"value\":1,\"pad\":\"" + "x".repeat(20_000) + "\"}";
            h.send("tank-3", big);
            h.send("tank-3", event("tank-3", T0, 1.0));

            TestRecord<byte[], byte[]> letter = h.readDeadLetters().get(0);
            assertThat(DeadLetterHeaders.reason(letter.headers())).contains(RejectReason.PAYLOAD_TOO_LARGE);
            assertThat(letter.key()).isEqualTo(utf8("tank-3"));
            assertThat(letter.value().length).isLessThan(8192);
            assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo(big.substring(0, letter.value().length));
            assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.TRUNCATED)).contains("value");
            assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ORIGINAL_SIZE))
                    .contains(Integer.toString(utf8(big).length));
            assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ORIGINAL_SHA256)).isPresent();
            assertThat(h.readForecasts()).extracting(Forecast::sensorId).containsExactly("tank-3");
        }
    }

    @Test
    void producerHeadersAreCopiedOntoDeadLettersFromEveryStageLikeOntoForecasts() {
        try (TopologyHarness h = harness()) {
            RecordHeaders trace = new RecordHeaders();
            trace.add("traceparent", utf8("00-abc-01"));
            h.events.pipeInput(new TestRecord<>(utf8("tank-3"), utf8(event("tank-3", T0 + MINUTE, 1.0)), trace));
            h.events.pipeInput(new TestRecord<>(utf8("tank-3"), utf8(event("tank-3", T0, 1.0)), trace));
            h.events.pipeInput(new TestRecord<>(null, utf8(event("tank-3", T0, 1.0)), trace));
            h.events.pipeInput(new TestRecord<>(null, utf8("{broken"), trace));

            assertThat(h.forecasts.readRecordsToList()).singleElement()
                    .satisfies(r -> assertThat(r.headers().lastHeader("traceparent").value()).isEqualTo(utf8("00-abc-01")));
            List<TestRecord<byte[], byte[]>> dead = h.readDeadLetters();
            assertThat(dead).hasSize(3).allSatisfy(letter ->
                    assertThat(letter.headers().lastHeader("traceparent").value()).isEqualTo(utf8("00-abc-01")));
        }
    }

    @Test
    void forecastsOfUnkeyedEventsDoNotCarryTheInternalMark() {
        try (TopologyHarness h = harness()) {
            h.send(null, event("tank-3", T0, 1.0));
            List<TestRecord<String, Forecast>> out = h.forecasts.readRecordsToList();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).headers().lastHeader(RoutedOrigin.HEADER)).isNull();
        }
    }

    @Test
    void aTimestampAfterYear9999IsDeadLetteredAsInvalidNamingTheLimit() {
        try (TopologyHarness h = harness()) {
            String farFuture = "{\"sensorId\":\"s\",\"ts\":" + (Long.MAX_VALUE - 1) + ",\"value\":1}";
            h.send("s", farFuture);
            h.send("s", "{\"sensorId\":\"s\",\"ts\":\"9999-12-31T23:59:59-05:00\",\"value\":1}");

            assertThat(h.readForecasts()).isEmpty();
            List<TestRecord<byte[], byte[]>> dead = h.readDeadLetters();
            assertThat(dead).hasSize(2);
            for (TestRecord<byte[], byte[]> letter : dead) {
                assertThat(DeadLetterHeaders.reason(letter.headers())).contains(RejectReason.INVALID_TIMESTAMP);
                assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.DETAIL).orElseThrow())
                        .contains("after 9999-12-31T23:59:59.999Z");
            }
        }
    }

    @Test
    void aTimestampMoreThanADayAheadOfTheClockIsDeadLetteredAsFutureAndLeavesTheSensorsLaterEventsForecast() {
        Clock now = Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC);
        try (TopologyHarness h = new TopologyHarness(config, TestModels.servingModel(config, 1, 42), stateDir, now)) {
            h.send("p", event("p", T0 - MINUTE, 1.0));
            h.send("p", "{\"sensorId\":\"p\",\"ts\":\"9999-12-31T23:59:59.999Z\",\"value\":1e12}");
            h.send(null, event("p", T0 + 24 * 60 * MINUTE + 1, 2.0));
            h.send("p", event("p", T0, 3.0));
            h.send("p", event("p", T0 + 24 * 60 * MINUTE, 4.0));

            assertThat(h.readForecasts()).extracting(Forecast::step).containsExactly(1L, 2L, 3L);
            List<TestRecord<byte[], byte[]>> dead = h.readDeadLetters();
            assertThat(dead).extracting(r -> DeadLetterHeaders.reason(r.headers()).orElseThrow())
                    .containsExactly(RejectReason.FUTURE_TIMESTAMP, RejectReason.FUTURE_TIMESTAMP);
            assertThat(dead.get(1).key()).isNull();
            assertThat(DeadLetterHeaders.text(dead.get(0).headers(), DeadLetterHeaders.DETAIL).orElseThrow())
                    .contains("9999-12-31T23:59:59.999Z").contains("86400 s ahead").contains("limits.maxFutureSeconds");
        }
    }

    @Test
    void theFutureBoundIsConfigurable() {
        PipelineConfig hourAhead = PipelineConfigLoader.parse("horizon: 3\nmodel: {layers: [8]}\n"
                + "limits: {maxFutureSeconds: 3600}\n");
        Clock now = Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC);
        try (TopologyHarness h = new TopologyHarness(hourAhead, TestModels.servingModel(hourAhead, 1, 42), stateDir, now)) {
            h.send("p", event("p", T0 + 60 * MINUTE, 1.0));
            h.send("p", event("p", T0 + 61 * MINUTE, 2.0));
            assertThat(h.readForecasts()).extracting(Forecast::step).containsExactly(1L);
            assertThat(h.readDeadLetters()).extracting(r -> DeadLetterHeaders.reason(r.headers()).orElseThrow())
                    .containsExactly(RejectReason.FUTURE_TIMESTAMP);
        }
    }

    @Test
    void forecastTimestampsOfTheLastAcceptedInstantSaturateInsteadOfOverflowing() {
        long last = 253_402_300_799_999L;
        PipelineConfig anyFuture = PipelineConfigLoader.parse("horizon: 3\nmodel: {layers: [8]}\n"
                + "limits: {maxFutureSeconds: 315576000000}\n");
        try (TopologyHarness h = new TopologyHarness(anyFuture, TestModels.servingModel(anyFuture, 1, 42), stateDir)) {
            // A first gap of almost ten thousand years makes the observed cadence that large.
            h.send("s", event("s", 0, 1.0));
            h.send("s", event("s", last - 1, 2.0));
            h.send("s", event("s", last, 3.0));
            List<Forecast> out = h.readForecasts();
            assertThat(out).hasSize(3);
            for (Forecast f : out) {
                for (long ts : f.horizonTimestamps()) {
                    assertThat(ts).isBetween(Math.min(f.timestampMs() + 1, last), last);
                }
            }
            assertThat(out.get(2).horizonTimestamps()).containsOnly(last);
            assertThat(Instant.ofEpochMilli(last)).hasToString("9999-12-31T23:59:59.999Z");
        }
    }
}
