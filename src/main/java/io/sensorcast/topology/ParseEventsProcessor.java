package io.sensorcast.topology;

import io.sensorcast.ingest.EventParser;
import io.sensorcast.ingest.FutureTimestampCheck;
import io.sensorcast.ingest.ParseResult;
import io.sensorcast.ingest.Rejection;
import io.sensorcast.ingest.SensorEvent;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Parses and validates raw events, and refuses those stamped too far ahead of the wall clock; a rejected record
 * passes on unchanged with the reason in its headers. An
 * accepted event keeps its key when it was read from the partition its sensor's state lives on; any other
 * (keyless, or keyed by a client whose partitioner differs from Kafka Streams', such as librdkafka's CRC32) is
 * passed on without a key, marked for the repartition topic.
 */
final class ParseEventsProcessor implements Processor<byte[], byte[], byte[], StageOutcome<SensorEvent>> {

    private final EventParser parser;
    private final FutureTimestampCheck future;
    private final TopicLayout layout;
    private final TopologyMetrics metrics;
    private ProcessorContext<byte[], StageOutcome<SensorEvent>> context;

    ParseEventsProcessor(EventParser parser, FutureTimestampCheck future, TopicLayout layout, TopologyMetrics metrics) {
        this.parser = parser;
        this.future = future;
        this.layout = layout;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], StageOutcome<SensorEvent>> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.eventIn();
        RoutedOrigin.dropForged(record.headers());
        ParseResult result = parser.parse(record.key(), record.value());
        Rejection rejection = result instanceof ParseResult.Rejected rejected ? rejected.rejection()
                : future.check(((ParseResult.Accepted) result).event());
        if (rejection == null) {
            SensorEvent event = ((ParseResult.Accepted) result).event();
            if (record.key() != null && isHome(event.sensorId())) {
                context.forward(record.withValue(new StageOutcome.Passed<>(event)));
                return;
            }
            RoutedOrigin.mark(record.headers(), record.key() != null, context);
            context.forward(record.withKey((byte[]) null).withValue(new StageOutcome.Passed<>(event)));
        } else {
            metrics.rejected(rejection.reason());
            RejectionHeaders.add(record.headers(), rejection, context);
            context.forward(record.withValue(new StageOutcome.Rejected<>(record.key(), record.value(), rejection)));
        }
    }

    private boolean isHome(String sensorId) {
        return context.recordMetadata().map(RecordMetadata::partition)
                .map(partition -> layout.isHome(sensorId, partition)).orElse(false);
    }
}
