package io.sensorcast.topology;

import io.sensorcast.ingest.DeadLetterHeaders;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ProcessorContext;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Marks an event that arrived without a key with where it was read from, so that after the repartition
 * a rejection can still dead-letter it with its original null key and name the input topic, not the
 * internal repartition topic. The mark is internal: it never reaches the forecast or dead-letter topics.
 */
final class UnkeyedOrigin {

    /** Header carrying {@code topic-partition@offset} of the input record; present only on unkeyed events. */
    static final String HEADER = "sensorcast.internal.unkeyed-source";

    private UnkeyedOrigin() {
    }

    /** Drops a mark a producer may have forged; every record read from the input topic passes here first. */
    static void dropForged(Headers headers) {
        headers.remove(HEADER);
    }

    /** Marks an accepted record if it has no key. */
    static void mark(Headers headers, byte[] key, ProcessorContext<?, ?> context) {
        if (key == null) {
            String source = context.recordMetadata()
                    .map(m -> DeadLetterHeaders.source(m.topic(), m.partition(), m.offset()))
                    .orElse("");
            headers.add(HEADER, source.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * The input record's source if the event arrived without a key (empty text when its origin was
     * unknown), and removes the mark.
     */
    static Optional<String> take(Headers headers) {
        Optional<String> source = DeadLetterHeaders.text(headers, HEADER);
        headers.remove(HEADER);
        return source;
    }
}
