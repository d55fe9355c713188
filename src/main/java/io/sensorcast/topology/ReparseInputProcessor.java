package io.sensorcast.topology;

import io.sensorcast.ingest.RejectReason;
import io.sensorcast.ingest.Rejection;
import io.sensorcast.ingest.SensorInput;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Parses a routed input again after the repartition, where it travels as its original bytes. Inputs the
 * service put there parse as before; a record anyone else wrote into the internal topic that does not parse,
 * or whose key is not its sensorId, is dead-lettered instead of failing the stream thread on every retry.
 */
final class ReparseInputProcessor<T extends SensorInput> implements Processor<String, byte[], String, StageOutcome<T>> {

    private final InputReader<T> reader;
    private final TopologyMetrics metrics;
    private ProcessorContext<String, StageOutcome<T>> context;

    ReparseInputProcessor(InputReader<T> reader, TopologyMetrics metrics) {
        this.reader = reader;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, StageOutcome<T>> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        StageOutcome<T> outcome = reader.read(null, record.value());
        Rejection rejection;
        if (outcome instanceof StageOutcome.Passed<T> passed) {
            if (passed.value().sensorId().equals(record.key())) {
                context.forward(record.withValue(outcome));
                return;
            }
            rejection = new Rejection(RejectReason.KEY_MISMATCH, "record in the internal repartition topic is keyed "
                    + "by another sensor than its sensorId");
        } else {
            rejection = ((StageOutcome.Rejected<T>) outcome).rejection();
        }
        metrics.rejected(rejection.reason());
        // The service's own routed inputs carry their input position and key; anything else is named where it
        // was read, with the key it has there.
        Optional<RoutedOrigin.Origin> origin = RoutedOrigin.take(record.headers());
        RejectionHeaders.add(record.headers(), rejection, context, origin);
        byte[] key = record.key() == null ? null : origin.isPresent() ? origin.get().originalKey(record.key())
                : record.key().getBytes(StandardCharsets.UTF_8);
        context.forward(record.withValue(new StageOutcome.Rejected<>(key, record.value(), rejection)));
    }
}
