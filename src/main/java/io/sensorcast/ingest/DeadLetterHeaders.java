package io.sensorcast.ingest;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The headers that explain a dead-lettered record; the record's value stays the original bytes.
 * All header values are UTF-8 text.
 */
public final class DeadLetterHeaders {

    /** {@link RejectReason} name, e.g. {@code NON_FINITE_VALUE}. */
    public static final String REASON = "sensorcast.dlq.reason";
    /** Human-readable sentence naming the offending field. */
    public static final String DETAIL = "sensorcast.dlq.detail";
    /** Where the record came from, {@code topic-partition@offset}; absent when unknown. */
    public static final String SOURCE = "sensorcast.dlq.source";
    /** When the record was rejected, ISO-8601 instant. */
    public static final String REJECTED_AT = "sensorcast.dlq.rejected-at";
    /**
     * Present only on a dead letter cut to fit the largest record the dead-letter topic takes: what was cut,
     * {@code value}, or {@code value,headers,key} in the extreme case of a huge key.
     */
    public static final String TRUNCATED = "sensorcast.dlq.truncated";
    /** With {@link #TRUNCATED}: the original value's size in bytes. */
    public static final String ORIGINAL_SIZE = "sensorcast.dlq.original-size";
    /** With {@link #TRUNCATED}: the original value's SHA-256, lowercase hex. */
    public static final String ORIGINAL_SHA256 = "sensorcast.dlq.original-sha256";

    private DeadLetterHeaders() {
    }

    /** New headers describing a rejection; {@code source} may be null when the origin is unknown. */
    public static Headers build(Rejection rejection, String source, Instant rejectedAt) {
        return addTo(new RecordHeaders(), rejection, source, rejectedAt);
    }

    /**
     * Adds the dead-letter headers to {@code headers} (typically the source record's own, which are
     * kept) and returns them. Dead-letter headers already present, e.g. from an earlier rejection
     * of a re-driven record, are replaced so that every name occurs once.
     */
    public static Headers addTo(Headers headers, Rejection rejection, String source, Instant rejectedAt) {
        Objects.requireNonNull(rejection.reason(), "rejection reason");
        Objects.requireNonNull(rejectedAt, "rejectedAt");
        put(headers, REASON, rejection.reason().name());
        put(headers, DETAIL, rejection.detail() == null ? rejection.reason().description() : rejection.detail());
        headers.remove(SOURCE);
        if (source != null) {
            headers.add(SOURCE, utf8(source));
        }
        put(headers, REJECTED_AT, rejectedAt.toString());
        return headers;
    }

    /** The {@code topic-partition@offset} form used in the {@link #SOURCE} header. */
    public static String source(String topic, int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }

    /** The rejection reason carried by {@code headers}, empty when absent or not a known reason. */
    public static Optional<RejectReason> reason(Headers headers) {
        return text(headers, REASON).flatMap(name -> {
            try {
                return Optional.of(RejectReason.valueOf(name));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }

    /** The last value of header {@code name} as UTF-8 text, empty when absent or null. */
    public static Optional<String> text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            return Optional.empty();
        }
        return Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, utf8(value));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
