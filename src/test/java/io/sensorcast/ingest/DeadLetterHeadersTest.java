package io.sensorcast.ingest;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterHeadersTest {

    private static final Instant AT = Instant.parse("2026-11-22T10:15:30.123Z");
    private static final Rejection NAN = new Rejection(RejectReason.NON_FINITE_VALUE, "channel \"température\" in values is not finite (NaN)");

    @Test
    void buildWritesReasonDetailSourceAndTimeAsUtf8() {
        Headers headers = DeadLetterHeaders.build(NAN, "sensor-events-3@1042", AT);

        assertThat(text(headers, "sensorcast.dlq.reason")).isEqualTo("NON_FINITE_VALUE");
        assertThat(text(headers, "sensorcast.dlq.detail")).isEqualTo("channel \"température\" in values is not finite (NaN)");
        assertThat(text(headers, "sensorcast.dlq.source")).isEqualTo("sensor-events-3@1042");
        assertThat(text(headers, "sensorcast.dlq.rejected-at")).isEqualTo("2026-11-22T10:15:30.123Z");
        assertThat(headers.toArray()).hasSize(4);
    }

    @Test
    void sourceHeaderIsOmittedWhenTheOriginIsUnknown() {
        Headers headers = DeadLetterHeaders.build(NAN, null, AT);

        assertThat(headers.lastHeader(DeadLetterHeaders.SOURCE)).isNull();
        assertThat(headers.toArray()).hasSize(3);
    }

    @Test
    void addToKeepsTheRecordsOwnHeadersAndReplacesEarlierDeadLetterHeaders() {
        Headers headers = new RecordHeaders();
        headers.add("traceparent", "00-abc-def-01".getBytes(StandardCharsets.UTF_8));
        DeadLetterHeaders.addTo(headers, new Rejection(RejectReason.MISSING_FIELD, "ts is missing"), "a-0@1", AT);

        Headers result = DeadLetterHeaders.addTo(headers, NAN, null, AT.plusSeconds(1));

        assertThat(result).isSameAs(headers);
        assertThat(text(headers, "traceparent")).isEqualTo("00-abc-def-01");
        assertThat(DeadLetterHeaders.reason(headers)).contains(RejectReason.NON_FINITE_VALUE);
        assertThat(headers.headers(DeadLetterHeaders.REASON)).hasSize(1);
        assertThat(headers.headers(DeadLetterHeaders.DETAIL)).hasSize(1);
        assertThat(headers.headers(DeadLetterHeaders.REJECTED_AT)).hasSize(1);
        assertThat(headers.lastHeader(DeadLetterHeaders.SOURCE)).as("stale source of the earlier rejection").isNull();
        assertThat(text(headers, DeadLetterHeaders.REJECTED_AT)).isEqualTo("2026-11-22T10:15:31.123Z");
    }

    @Test
    void sourceIsTopicDashPartitionAtOffset() {
        assertThat(DeadLetterHeaders.source("sensor-events", 3, 1042L)).isEqualTo("sensor-events-3@1042");
    }

    @Test
    void reasonReadsBackEveryRejectReason() {
        for (RejectReason reason : RejectReason.values()) {
            Headers headers = DeadLetterHeaders.build(new Rejection(reason, "d"), null, AT);

            assertThat(DeadLetterHeaders.reason(headers)).contains(reason);
        }
    }

    @Test
    void reasonIsEmptyWhenAbsentNullOrUnknown() {
        assertThat(DeadLetterHeaders.reason(new RecordHeaders())).isEmpty();
        Headers nullValue = new RecordHeaders();
        nullValue.add(DeadLetterHeaders.REASON, null);
        assertThat(DeadLetterHeaders.reason(nullValue)).isEmpty();
        Headers unknown = new RecordHeaders();
        unknown.add(DeadLetterHeaders.REASON, "NOT_A_REASON".getBytes(StandardCharsets.UTF_8));
        assertThat(DeadLetterHeaders.reason(unknown)).isEmpty();
    }

    @Test
    void missingDetailFallsBackToTheReasonsDescription() {
        Headers headers = DeadLetterHeaders.build(new Rejection(RejectReason.KEY_MISMATCH, null), null, AT);

        assertThat(DeadLetterHeaders.text(headers, DeadLetterHeaders.DETAIL)).isEqualTo(Optional.of(RejectReason.KEY_MISMATCH.description()));
    }

    private static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        assertThat(header).as("header %s in %s", name, Arrays.toString(headers.toArray())).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
