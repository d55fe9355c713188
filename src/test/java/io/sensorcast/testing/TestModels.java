package io.sensorcast.testing;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.model.ModelMetadata;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.model.ServingModel;
import io.sensorcast.recurrent.LayerWeights;
import io.sensorcast.recurrent.NetworkSpec;
import io.sensorcast.recurrent.NetworkWeights;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Deterministic random weight snapshots for tests that need a model but not a trained one. */
public final class TestModels {

    private TestModels() {
    }

    public static NetworkWeights randomWeights(NetworkSpec spec, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int g = spec.cell().gateBlocks();
        LayerWeights[] layers = new LayerWeights[spec.layerCount()];
        for (int l = 0; l < layers.length; l++) {
            int in = spec.layerInputSize(l);
            int h = spec.hiddenSize(l);
            layers[l] = new LayerWeights(in, h, fill(random, in * g * h, 0.3), fill(random, h * g * h, 0.3),
                    fill(random, g * h, 0.1));
        }
        return new NetworkWeights(spec, layers, fill(random, spec.lastHiddenSize() * spec.outputSize(), 0.3),
                fill(random, spec.outputSize(), 0.05));
    }

    /** A serving model of the pipeline's shape with random weights. */
    public static ServingModel servingModel(PipelineConfig config, long version, long seed) {
        NetworkSpec spec = ModelShapes.specOf(config);
        return new ServingModel(version, randomWeights(spec, seed), metadata(config, version));
    }

    public static ModelMetadata metadata(PipelineConfig config, long version) {
        return ModelMetadata.forPipeline(config, version, version - 1, java.time.Instant.parse("2026-11-22T00:00:00Z"),
                Map.of("data", "random test weights"));
    }

    private static float[] fill(SplittableRandom random, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }

    /** Channel list helper for multi-channel pipelines. */
    public static List<String> channels(String... names) {
        return List.of(names);
    }
}
