package io.sensorcast.recurrent;

/**
 * An immutable snapshot of a whole network's weights, the unit that serving swaps atomically.
 * Arrays are never mutated after construction: build a new snapshot instead.
 *
 * @param spec        the network's shape
 * @param layers      recurrent layers, input side first
 * @param headW       linear head, lastHidden x outputSize, row-major
 * @param headB       head bias, outputSize
 * @param headColumns the serving kernel's copy of {@code headW}: one array per output, lastHidden long
 */
public record NetworkWeights(NetworkSpec spec, LayerWeights[] layers, float[] headW, float[] headB, float[][] headColumns) {

    public NetworkWeights {
        int units = spec.lastHiddenSize();
        int outputs = spec.outputSize();
        if (headW.length != units * outputs || headB.length != outputs || headColumns.length != outputs) {
            throw new IllegalArgumentException("head does not fit " + spec);
        }
        for (float[] column : headColumns) {
            if (column.length != units) {
                throw new IllegalArgumentException("head column of " + column.length + " values, expected " + units);
            }
        }
    }

    /** A snapshot from weights in DL4J's layout; derives the kernel's head columns from {@code headW}. */
    public NetworkWeights(NetworkSpec spec, LayerWeights[] layers, float[] headW, float[] headB) {
        this(spec, layers, headW, headB, columns(headW, spec.lastHiddenSize(), spec.outputSize()));
    }

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

    /** Columns of a row-major rows x cols matrix; a wrong length is left for the constructor to name. */
    private static float[][] columns(float[] rowMajor, int rows, int cols) {
        float[][] columns = new float[cols][rows];
        if (rowMajor.length == rows * cols) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    columns[c][r] = rowMajor[r * cols + c];
                }
            }
        }
        return columns;
    }
}
