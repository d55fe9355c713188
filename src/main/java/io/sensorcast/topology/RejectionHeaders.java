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
        DeadLetterHeaders.addTo(headers, rejection, source, Instant.now());
    }
}
