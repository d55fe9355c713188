package io.sensorcast.topology;

import io.sensorcast.ingest.DeadLetterTrimmer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Cuts a dead letter too large for the dead-letter topic so that its write cannot fail (see DeadLetterTrimmer). */
final class TrimDeadLettersProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    private final TopicLayout layout;
    private ProcessorContext<byte[], byte[]> context;
    private DeadLetterTrimmer trimmer;

    TrimDeadLettersProcessor(TopicLayout layout) {
        this.layout = layout;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        // The layout is complete before the stream starts, so before any task initialises.
        this.trimmer = new DeadLetterTrimmer(layout.maxDeadLetterBytes());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        DeadLetterTrimmer.Letter letter = trimmer.fit(record.key(), record.value(), record.headers());
        context.forward(record.withKey(letter.key()).withValue(letter.value()));
    }
}
