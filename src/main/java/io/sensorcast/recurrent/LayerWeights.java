package io.sensorcast.recurrent;

/**
 * One recurrent layer's weights in DL4J's layout, row-major: {@code w[i*G*H + j]} is input i to
 * pre-activation j; {@code rw[k*G*H + j]} is hidden unit k to pre-activation j; G is the cell's gate
 * block count. For LSTM the blocks are candidate (tanh), forget, output, input (each H wide).
 * Never mutated after construction.
 *
 * @param inputSize  this layer's input width
 * @param hiddenSize H
 * @param w          input weights, inputSize x G*H
 * @param rw         recurrent weights, H x G*H
 * @param b          bias, G*H
 * @param rows       the serving kernel's copy of the same weights: the rows of {@code w} then of {@code rw},
 *                   each its own array, then all-zero rows up to a multiple of {@link #ROWS_PER_PASS}
 */
public record LayerWeights(int inputSize, int hiddenSize, float[] w, float[] rw, float[] b, float[][] rows) {

    /** Weight rows the kernel accumulates per pass over the pre-activations. */
    public static final int ROWS_PER_PASS = 4;

    public LayerWeights {
        int width = b.length;
        if (w.length != inputSize * width || rw.length != hiddenSize * width || rows.length != paddedRows(inputSize, hiddenSize)) {
            throw new IllegalArgumentException("layer weights do not fit " + inputSize + " inputs, " + hiddenSize
                    + " units and " + width + " pre-activations");
        }
        for (float[] row : rows) {
            if (row.length != width) {
                throw new IllegalArgumentException("kernel row of " + row.length + " values, expected " + width);
            }
        }
    }

    /** Layer weights in DL4J's layout; derives the kernel's rows from them. */
    public LayerWeights(int inputSize, int hiddenSize, float[] w, float[] rw, float[] b) {
        this(inputSize, hiddenSize, w, rw, b, kernelRows(inputSize, hiddenSize, w, rw, b.length));
    }

    /** Rows of the kernel's layout: inputs plus hidden units, rounded up to a whole number of passes. */
    public static int paddedRows(int inputSize, int hiddenSize) {
        int rows = inputSize + hiddenSize;
        return (rows + ROWS_PER_PASS - 1) / ROWS_PER_PASS * ROWS_PER_PASS;
    }

    /*
     * One array per row because C2 (Java 17) only vectorises a loop whose loads and stores share one index
     * expression: z[j] += x * row[j] vectorises, z[j] += x * w[offset + j] over one flat array runs scalar
     * and made the step about 4x slower.
     */
    private static float[][] kernelRows(int inputSize, int hiddenSize, float[] w, float[] rw, int width) {
        if (w.length != inputSize * width || rw.length != hiddenSize * width) {
            throw new IllegalArgumentException("layer weights do not fit " + inputSize + " inputs, " + hiddenSize
                    + " units and " + width + " pre-activations");
        }
        float[][] rows = new float[paddedRows(inputSize, hiddenSize)][width];
        for (int i = 0; i < inputSize; i++) {
            System.arraycopy(w, i * width, rows[i], 0, width);
        }
        for (int k = 0; k < hiddenSize; k++) {
            System.arraycopy(rw, k * width, rows[inputSize + k], 0, width);
        }
        return rows;
    }
}
