package io.sensorcast.topology;

import io.sensorcast.ingest.SensorInput;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Parses and validates the raw records of an input topic (events, or control records); a rejected record passes
 * on unchanged with the reason in its headers. An accepted input keeps its key when it was read from the
 * partition its sensor's state lives on; any other (keyless, or keyed by a client whose partitioner differs from
 * Kafka Streams', such as librdkafka's CRC32) is passed on without a key, marked for the repartition topic.
 */
final class ParseInputProcessor<T extends SensorInput> implements Processor<byte[], byte[], byte[], StageOutcome<T>> {

    private final InputReader<T> reader;
    private final TopicLayout layout;
    private final Runnable counted;
    private final TopologyMetrics metrics;
    private ProcessorContext<byte[], StageOutcome<T>> context;

    /** @param counted called once per record read, before it is parsed */
    ParseInputProcessor(InputReader<T> reader, TopicLayout layout, Runnable counted, TopologyMetrics metrics) {
        this.reader = reader;
        this.layout = layout;
        this.counted = counted;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], StageOutcome<T>> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        counted.run();
        RoutedOrigin.dropForged(record.headers());
        StageOutcome<T> outcome = reader.read(record.key(), record.value());
        if (outcome instanceof StageOutcome.Passed<T> passed) {
            if (record.key() != null && isHome(passed.value().sensorId())) {
                context.forward(record.withValue(outcome));
                return;
            }
            RoutedOrigin.mark(record.headers(), record.key() != null, context);
            context.forward(record.withKey((byte[]) null).withValue(outcome));
        } else {
            StageOutcome.Rejected<T> rejected = (StageOutcome.Rejected<T>) outcome;
            metrics.rejected(rejected.rejection().reason());
            RejectionHeaders.add(record.headers(), rejected.rejection(), context);
            context.forward(record.withValue(outcome));
        }
    }

    private boolean isHome(String sensorId) {
        return context.recordMetadata().map(RecordMetadata::partition)
                .map(partition -> layout.isHome(sensorId, partition)).orElse(false);
    }
}
