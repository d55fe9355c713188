package io.sensorcast.service;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.topology.ForecastTopology;
import io.sensorcast.topology.TopicLayout;
import io.sensorcast.topology.TopologyMetrics;
import org.apache.kafka.streams.Topology;

import java.util.function.Supplier;

/**
 * Builds the topology a serving process runs. The shipped one is {@link #FORECAST}; the benchmarks pass a
 * baseline without the recurrent step, so they measure it inside exactly the runtime the service uses.
 */
@FunctionalInterface
public interface ServingTopology {

    ServingTopology FORECAST = ForecastTopology::build;

    Topology build(PipelineConfig config, ModelRegistry registry, Supplier<StepListener> listeners,
                   TopologyMetrics metrics, TopicLayout layout);
}
