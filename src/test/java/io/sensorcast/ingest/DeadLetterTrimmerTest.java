package io.sensorcast.ingest;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeadLetterTrimmerTest {

    private static final int LIMIT = 1_048_576;
    private static final byte[] KEY = "humidity-1".getBytes(StandardCharsets.UTF_8);

    private static Headers rejectedHeaders() {
        Headers headers = DeadLetterHeaders.build(new Rejection(RejectReason.PAYLOAD_TOO_LARGE,
                "payload is 1048300 bytes, above the limit of 4096 bytes"), "sensor-events-2@17", Instant.EPOCH);
        headers.add("traceparent", "00-abc-def-01".getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private static String text(Headers headers, String name) {
        return DeadLetterHeaders.text(headers, name).orElse(null);
    }

    @Test
    void aDeadLetterThatFitsKeepsItsKeyValueAndHeadersUnchanged() {
        byte[] value = new byte[5_000];
        Headers headers = rejectedHeaders();
        int before = headers.toArray().length;

        DeadLetterTrimmer.Letter letter = new DeadLetterTrimmer(LIMIT).fit(KEY, value, headers);

        assertThat(letter.key()).isSameAs(KEY);
        assertThat(letter.value()).isSameAs(value);
        assertThat(headers.toArray()).hasSize(before);
        assertThat(headers.lastHeader(DeadLetterHeaders.TRUNCATED)).isNull();
    }

    @Test
    void aValueJustBelowTheProducerLimitIsCutToItsFirstBytesWithItsSizeAndDigestInHeaders() throws Exception {
        // The client's case: a 1,048,300-byte value, accepted by the broker, whose dead letter exceeded 1 MiB.
        byte[] value = new byte[1_048_300];
        Arrays.fill(value, (byte) 'x');
        value[0] = '{';
        Headers headers = rejectedHeaders();

        DeadLetterTrimmer.Letter letter = new DeadLetterTrimmer(LIMIT).fit(KEY, value, headers);

        assertThat(DeadLetterTrimmer.estimatedSize(letter.key(), letter.value(), headers)).isLessThanOrEqualTo(LIMIT);
        assertThat(letter.key()).isEqualTo(KEY);
        assertThat(letter.value().length).isGreaterThan(1_040_000).isLessThan(value.length);
        assertThat(letter.value()).isEqualTo(Arrays.copyOf(value, letter.value().length));
        assertThat(text(headers, DeadLetterHeaders.TRUNCATED)).isEqualTo("value");
        assertThat(text(headers, DeadLetterHeaders.ORIGINAL_SIZE)).isEqualTo("1048300");
        assertThat(text(headers, DeadLetterHeaders.ORIGINAL_SHA256))
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value)));
        assertThat(text(headers, "traceparent")).isEqualTo("00-abc-def-01");
        assertThat(DeadLetterHeaders.reason(headers)).contains(RejectReason.PAYLOAD_TOO_LARGE);
    }

    @Test
    void aRecordOfAnySizeFitsTheLowerLimitOfATopicWithSmallerMaxMessageBytes() {
        for (int size : new int[]{2_000, 100_000, 1_500_000, 8_000_000}) {
            Headers headers = rejectedHeaders();
            DeadLetterTrimmer.Letter letter = new DeadLetterTrimmer(65_536).fit(KEY, new byte[size], headers);
            assertThat(DeadLetterTrimmer.estimatedSize(letter.key(), letter.value(), headers)).as("size %d", size)
                    .isLessThanOrEqualTo(65_536);
        }
    }

    @Test
    void aKeyTooLargeForTheLimitIsCutTooAndTheProducersHeadersAreDropped() {
        byte[] key = new byte[70_000];
        Headers headers = rejectedHeaders();

        DeadLetterTrimmer.Letter letter = new DeadLetterTrimmer(65_536).fit(key, new byte[10], headers);

        assertThat(DeadLetterTrimmer.estimatedSize(letter.key(), letter.value(), headers)).isLessThanOrEqualTo(65_536);
        assertThat(letter.value()).isEmpty();
        assertThat(letter.key().length).isGreaterThan(60_000);
        assertThat(text(headers, DeadLetterHeaders.TRUNCATED)).isEqualTo("value,headers,key");
        assertThat(headers.lastHeader("traceparent")).isNull();
        assertThat(DeadLetterHeaders.reason(headers)).contains(RejectReason.PAYLOAD_TOO_LARGE);
    }

    @Test
    void aLimitTooSmallForAnyDeadLetterIsRefused() {
        assertThatThrownBy(() -> new DeadLetterTrimmer(100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRecordBytes");
    }
}
