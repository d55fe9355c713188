package io.sensorcast.topology;

import io.sensorcast.ingest.DeadLetterHeaders;
import io.sensorcast.ingest.Rejection;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ProcessorContext;

import java.time.Instant;

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

    /** With a known {@code source}, e.g. the input record of an event that came through the repartition. */
    static void add(Headers headers, Rejection rejection, String source) {
        DeadLetterHeaders.addTo(headers, rejection, source, Instant.now());
    }
}
