package io.sensorcast.recurrent;

import java.util.Arrays;

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
 *                   each its own array
 * @param panels     the same rows again, {@link #panels(float[][]) panel by panel}, for the vector loops
 */
public record LayerWeights(int inputSize, int hiddenSize, float[] w, float[] rw, float[] b, float[][] rows,
                           float[] panels) {

    /** Columns per panel: 256 bytes, four 512-bit, eight 256-bit or sixteen 128-bit vectors. */
    public static final int PANEL = 64;

    public LayerWeights {
        int width = b.length;
        if (w.length != inputSize * width || rw.length != hiddenSize * width || rows.length != inputSize + hiddenSize) {
            throw new IllegalArgumentException("layer weights do not fit " + inputSize + " inputs, " + hiddenSize
                    + " units and " + width + " pre-activations");
        }
        for (float[] row : rows) {
            if (row.length != width) {
                throw new IllegalArgumentException("kernel row of " + row.length + " values, expected " + width);
            }
        }
        // builds the panels a second time to compare: once per snapshot (per model swap), never per event
        if (!Arrays.equals(panels, panels(rows))) {
            throw new IllegalArgumentException("kernel panels are not the rows' panels");
        }
    }

    /** Layer weights in DL4J's layout; derives the kernel's rows and panels from them. */
    public LayerWeights(int inputSize, int hiddenSize, float[] w, float[] rw, float[] b) {
        this(inputSize, hiddenSize, w, rw, b, kernelRows(inputSize, hiddenSize, w, rw, b.length));
    }

    private LayerWeights(int inputSize, int hiddenSize, float[] w, float[] rw, float[] b, float[][] rows) {
        this(inputSize, hiddenSize, w, rw, b, rows, panels(rows));
    }

    /**
     * The rows' columns {@code [p*PANEL, (p+1)*PANEL)} for every whole panel p, each panel all rows in order:
     * {@code panels[(p*rows.length + r)*PANEL + i] = rows[r][p*PANEL + i]}; the columns past the last whole panel
     * are only in the rows. A block of accumulators summing one panel over all rows then reads one contiguous
     * stretch of memory, which the hardware prefetches, instead of a slice of every row (the rows of an H=64 LSTM
     * are 68 KB, more than the L1 cache).
     */
    public static float[] panels(float[][] rows) {
        int width = rows.length == 0 ? 0 : rows[0].length;
        int count = width / PANEL;
        float[] panels = new float[count * PANEL * rows.length];
        int at = 0;
        for (int p = 0; p < count; p++) {
            for (float[] row : rows) {
                System.arraycopy(row, p * PANEL, panels, at, PANEL);
                at += PANEL;
            }
        }
        return panels;
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
        float[][] rows = new float[inputSize + hiddenSize][width];
        for (int i = 0; i < inputSize; i++) {
            System.arraycopy(w, i * width, rows[i], 0, width);
        }
        for (int k = 0; k < hiddenSize; k++) {
            System.arraycopy(rw, k * width, rows[inputSize + k], 0, width);
        }
        return rows;
    }
}
