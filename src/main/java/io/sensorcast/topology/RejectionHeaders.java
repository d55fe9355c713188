package io.sensorcast.topology;

import io.sensorcast.ingest.DeadLetterHeaders;
import io.sensorcast.ingest.Rejection;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ProcessorContext;

import java.time.Instant;
import java.util.Optional;

/** Adds the dead-letter headers to a record being rejected by a processor. */
final class RejectionHeaders {

    private RejectionHeaders() {
    }

    static void add(Headers headers, Rejection rejection, ProcessorContext<?, ?> context) {
        String source = context.recordMetadata()
                .map(m -> DeadLetterHeaders.source(m.topic(), m.partition(), m.offset()))
                .orElse(null);
        add(headers, rejection, source);
    }

    /**
     * As above, except for an event routed through the repartition topic ({@code routed} present, from
     * {@link RoutedOrigin#take}): it is named by its input record, not by the repartition topic it came through.
     */
    static void add(Headers headers, Rejection rejection, ProcessorContext<?, ?> context,
                    Optional<RoutedOrigin.Origin> routed) {
        if (routed.isPresent()) {
            add(headers, rejection, routed.get().source());
        } else {
            add(headers, rejection, context);
        }
    }

    private static void add(Headers headers, Rejection rejection, String source) {
        DeadLetterHeaders.addTo(headers, rejection, source, Instant.now());
    }
}
