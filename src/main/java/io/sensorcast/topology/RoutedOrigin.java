package io.sensorcast.topology;

import io.sensorcast.ingest.DeadLetterHeaders;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ProcessorContext;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Marks an event routed through the repartition topic (it arrived without a key, or keyed on another partition
 * than the one its sensor's state lives on) with where it was read from and whether it had a key, so that after
 * the repartition a rejection can still dead-letter it with its original key and name the input topic, not the
 * internal repartition topic. The mark is internal: it never reaches the forecast or dead-letter topics.
 */
final class RoutedOrigin {

    /** Header carrying {@code topic-partition@offset} of the input record; present only on routed events. */
    static final String HEADER = "sensorcast.internal.routed-source";
    /** Present on a routed event that had a key (then equal to its sensorId's UTF-8). */
    static final String KEYED_HEADER = "sensorcast.internal.routed-keyed";

    /**
     * Where a routed event was read from.
     *
     * @param source {@code topic-partition@offset}, null when unknown
     * @param keyed  whether the input record had a key
     */
    record Origin(String source, boolean keyed) {

        /** The input record's key: the sensorId's UTF-8 if it had one, else null. */
        byte[] originalKey(String sensorId) {
            return keyed ? sensorId.getBytes(StandardCharsets.UTF_8) : null;
        }
    }

    private RoutedOrigin() {
    }

    /** Drops a mark a producer may have forged; every record read from the input topic passes here first. */
    static void dropForged(Headers headers) {
        headers.remove(HEADER);
        headers.remove(KEYED_HEADER);
    }

    /** Marks an accepted event about to be routed through the repartition topic. */
    static void mark(Headers headers, boolean keyed, ProcessorContext<?, ?> context) {
        String source = context.recordMetadata()
                .map(m -> DeadLetterHeaders.source(m.topic(), m.partition(), m.offset()))
                .orElse("");
        headers.add(HEADER, source.getBytes(StandardCharsets.UTF_8));
        if (keyed) {
            headers.add(KEYED_HEADER, new byte[0]);
        }
    }

    /** The routed event's origin, empty for an event that was not routed, and removes the mark. */
    static Optional<Origin> take(Headers headers) {
        Optional<String> source = DeadLetterHeaders.text(headers, HEADER);
        boolean keyed = headers.lastHeader(KEYED_HEADER) != null;
        dropForged(headers);
        return source.map(s -> new Origin(s.isEmpty() ? null : s, keyed));
    }
}
