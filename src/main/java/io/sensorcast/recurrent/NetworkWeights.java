package io.sensorcast.recurrent;

/**
 * An immutable snapshot of a whole network's weights, the unit that serving swaps atomically.
 * Arrays are never mutated after construction: build a new snapshot instead.
 *
 * @param spec   the network's shape
 * @param layers recurrent layers, input side first
 * @param headW  linear head, lastHidden x outputSize, row-major
 * @param headB  head bias, outputSize
 */
public record NetworkWeights(NetworkSpec spec, LayerWeights[] layers, float[] headW, float[] headB) {

    /** All-zero weights of a shape: a placeholder where only the shape matters. */
    public static NetworkWeights zeros(NetworkSpec spec) {
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
