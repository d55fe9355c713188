package io.sensorcast.topology;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.model.ServingModel;
import io.sensorcast.recurrent.LayerWeights;
import io.sensorcast.recurrent.NetworkSpec;
import io.sensorcast.recurrent.NetworkWeights;

/** The topology description of a pipeline, without loading a model or touching Kafka. */
public final class TopologyDescriptions {

    private TopologyDescriptions() {
    }

    public static String describe(PipelineConfig config) {
        // The description depends only on names and wiring, so zero weights of the right shape will do.
        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(config), new ServingModel(0,
                zeroWeights(ModelShapes.specOf(config)), null));
        return ForecastTopology.build(config, registry, () -> StepListener.NONE, TopologyMetrics.NONE)
                .describe().toString();
    }

    static NetworkWeights zeroWeights(NetworkSpec spec) {
        int g = spec.cell().gateBlocks();
        LayerWeights[] layers = new LayerWeights[spec.layerCount()];
        for (int l = 0; l < layers.length; l++) {
            int in = spec.layerInputSize(l);
            int h = spec.hiddenSize(l);
            layers[l] = new LayerWeights(in, h, new float[in * g * h], new float[h * g * h], new float[g * h]);
        }
        return new NetworkWeights(spec, layers, new float[spec.lastHiddenSize() * spec.outputSize()],
                new float[spec.outputSize()]);
    }
}
