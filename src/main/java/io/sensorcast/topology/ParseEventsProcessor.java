package io.sensorcast.topology;

import io.sensorcast.ingest.EventParser;
import io.sensorcast.ingest.ParseResult;
import io.sensorcast.ingest.SensorEvent;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Parses and validates raw events; a rejected record passes on unchanged with the reason in its headers. */
final class ParseEventsProcessor implements Processor<byte[], byte[], byte[], StageOutcome<SensorEvent>> {

    private final EventParser parser;
    private final TopologyMetrics metrics;
    private ProcessorContext<byte[], StageOutcome<SensorEvent>> context;

    ParseEventsProcessor(EventParser parser, TopologyMetrics metrics) {
        this.parser = parser;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], StageOutcome<SensorEvent>> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.eventIn();
        UnkeyedOrigin.dropForged(record.headers());
        ParseResult result = parser.parse(record.key(), record.value());
        if (result instanceof ParseResult.Accepted accepted) {
            UnkeyedOrigin.mark(record.headers(), record.key(), context);
            context.forward(record.withValue(new StageOutcome.Passed<>(accepted.event())));
        } else {
            var rejection = ((ParseResult.Rejected) result).rejection();
            metrics.rejected(rejection.reason());
            RejectionHeaders.add(record.headers(), rejection, context);
            context.forward(record.withValue(new StageOutcome.Rejected<>(record.key(), record.value(), rejection)));
        }
    }
}
