package io.sensorcast.bench.service;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.ForecastJson;
import io.sensorcast.ingest.EventParser;
import io.sensorcast.ingest.ParseResult;
import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.topology.ForecastTopology;
import io.sensorcast.topology.TopologyMetrics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The baseline pipeline: events parsed by the same {@link EventParser}, the same {@code SensorState} read and
 * written in the same kind of store (persistent RocksDB, changelog-backed), and a forecast-shaped record
 * published with the same JSON serde, but no recurrent step.
 */
final class BaselineTopology {

    private static final String PARSE = "parse-events";
    private static final String STEP = "step-without-network";
    private static final String DEAD_LETTERS = "write-dead-letters";

    private BaselineTopology() {
    }

    static Topology build(PipelineConfig config, ModelRegistry registry, TopologyMetrics metrics) {
        EventParser parser = new EventParser(config.parserSettings());
        Topology topology = new Topology();
        topology.addSource("read-events", new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                config.topics().events());
        topology.addProcessor(PARSE, () -> new Parse(parser, metrics), "read-events");
        topology.addProcessor(STEP, () -> new BaselineStepProcessor(config, registry, metrics), PARSE);
        topology.addStateStore(ForecastTopology.stateStore(config), STEP);
        topology.addSink("write-forecasts", config.topics().forecasts(), new StringSerializer(),
                new ForecastJson(config.channels()).serializer(), STEP);
        topology.addSink(DEAD_LETTERS, config.topics().deadLetter(), new ByteArraySerializer(),
                new ByteArraySerializer(), PARSE);
        return topology;
    }

    /** Parses like the service; rejected records go to the dead-letter topic with their original bytes. */
    private static final class Parse implements Processor<byte[], byte[], Object, Object> {

        private final EventParser parser;
        private final TopologyMetrics metrics;
        private ProcessorContext<Object, Object> context;

        Parse(EventParser parser, TopologyMetrics metrics) {
            this.parser = parser;
            this.metrics = metrics;
        }

        @Override
        public void init(ProcessorContext<Object, Object> context) {
            this.context = context;
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            metrics.eventIn();
            ParseResult result = parser.parse(record.key(), record.value());
            if (result instanceof ParseResult.Accepted accepted) {
                SensorEvent event = accepted.event();
                context.forward(record.<Object>withKey(event.sensorId()).<Object>withValue(event), STEP);
            } else {
                metrics.rejected(((ParseResult.Rejected) result).rejection().reason());
                context.forward(record.<Object>withKey(record.key()).<Object>withValue(record.value()), DEAD_LETTERS);
            }
        }
    }
}
