package io.sensorcast.topology;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.model.ServingModel;
import io.sensorcast.recurrent.NetworkWeights;

/** The topology description of a pipeline, without loading a model or touching Kafka. */
public final class TopologyDescriptions {

    private TopologyDescriptions() {
    }

    public static String describe(PipelineConfig config) {
        // The description depends only on names and wiring, so zero weights of the right shape will do.
        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(config), new ServingModel(0,
                NetworkWeights.zeros(ModelShapes.specOf(config)), null));
        return ForecastTopology.build(config, registry, () -> StepListener.NONE, TopologyMetrics.NONE)
                .describe().toString();
    }
}
