package io.sensorcast.topology;

import io.sensorcast.ingest.EventParser;
import io.sensorcast.ingest.ParseResult;
import io.sensorcast.ingest.RejectReason;
import io.sensorcast.ingest.Rejection;
import io.sensorcast.ingest.SensorEvent;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Parses a routed event again after the repartition, where it travels as its original bytes. Events the
 * service put there parse as before; a record anyone else wrote into the internal topic that does not parse,
 * or whose key is not its sensorId, is dead-lettered instead of failing the stream thread on every retry.
 */
final class ReparseEventsProcessor implements Processor<String, byte[], String, StageOutcome<SensorEvent>> {

    private final EventParser parser;
    private final TopologyMetrics metrics;
    private ProcessorContext<String, StageOutcome<SensorEvent>> context;

    ReparseEventsProcessor(EventParser parser, TopologyMetrics metrics) {
        this.parser = parser;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, StageOutcome<SensorEvent>> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        ParseResult result = parser.parse(null, record.value());
        Rejection rejection;
        if (result instanceof ParseResult.Accepted accepted) {
            if (accepted.event().sensorId().equals(record.key())) {
                context.forward(record.withValue(new StageOutcome.Passed<>(accepted.event())));
                return;
            }
            rejection = new Rejection(RejectReason.KEY_MISMATCH, "record in the internal repartition topic is keyed "
                    + "by another sensor than its sensorId");
        } else {
            rejection = ((ParseResult.Rejected) result).rejection();
        }
        metrics.rejected(rejection.reason());
        // The service's own routed events carry their input position and key; anything else is named where it
        // was read, with the key it has there.
        Optional<RoutedOrigin.Origin> origin = RoutedOrigin.take(record.headers());
        RejectionHeaders.add(record.headers(), rejection, context, origin);
        byte[] key = record.key() == null ? null : origin.isPresent() ? origin.get().originalKey(record.key())
                : record.key().getBytes(StandardCharsets.UTF_8);
        context.forward(record.withValue(new StageOutcome.Rejected<>(key, record.value(), rejection)));
    }
}
