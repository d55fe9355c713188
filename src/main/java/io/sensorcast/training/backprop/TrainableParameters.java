package io.sensorcast.training.backprop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every trainable array of the hand-written passes, with its gradient and optimiser state, and where each value sits
 * in DL4J's flat parameter vector: element j of an array is {@code flat[start + j * stride]} (a row of a
 * column-major matrix has the stride of its row count). Also the per-layer gradient arithmetic DL4J's updater does
 * before the optimiser: division by the mini-batch size and {@code ClipL2PerLayer}.
 */
final class TrainableParameters {

    /** One array: its values, gradient and optimiser state are the same length. */
    private record Entry(float[] value, float[] gradient, float[] first, float[] second, int layer, int start,
                         int stride) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final int layers;
    /** Per layer, the sum of squared gradients {@link #divideAndClip} gathers. */
    private final double[] squares;
    private int count;

    /** @param layers DL4J layers (recurrent layers and the output layer) the arrays belong to */
    TrainableParameters(int layers) {
        this.layers = layers;
        this.squares = new double[layers];
    }

    /** Registers {@code value} (and its gradient) of DL4J layer {@code layer}, element j at flat[start + j*stride]. */
    void add(float[] value, float[] gradient, int layer, int start, int stride) {
        if (value.length != gradient.length) {
            throw new IllegalArgumentException("gradient of " + gradient.length + " values for " + value.length);
        }
        entries.add(new Entry(value, gradient, new float[value.length], new float[value.length], layer, start, stride));
        count += value.length;
    }

    /** Values registered: equals DL4J's parameter count once every array is. */
    int count() {
        return count;
    }

    int layers() {
        return layers;
    }

    /** Reads every value from DL4J's flat vector. */
    void load(float[] flat) {
        for (Entry e : entries) {
            gather(flat, 0, e, e.value);
        }
    }

    /** Writes every value into DL4J's flat vector. */
    void store(float[] flat) {
        for (Entry e : entries) {
            scatter(e.value, e, flat, 0);
        }
    }

    /** Writes every gradient value into a flat vector in DL4J's order (tests compare it with DL4J's gradient). */
    void storeGradients(float[] flat) {
        for (Entry e : entries) {
            scatter(e.gradient, e, flat, 0);
        }
    }

    /**
     * Reads optimiser state laid out as DL4J's single updater block keeps it: {@code blocks} vectors of the
     * parameter count, one after the other (Adam: first moments then second; RMSProp: one).
     */
    void loadState(float[] view, int blocks) {
        for (Entry e : entries) {
            if (blocks > 0) {
                gather(view, 0, e, e.first);
            }
            if (blocks > 1) {
                gather(view, count, e, e.second);
            }
        }
    }

    /** Writes the optimiser state back in the layout {@link #loadState} reads. */
    void storeState(float[] view, int blocks) {
        for (Entry e : entries) {
            if (blocks > 0) {
                scatter(e.first, e, view, 0);
            }
            if (blocks > 1) {
                scatter(e.second, e, view, count);
            }
        }
    }

    void zeroGradients() {
        for (Entry e : entries) {
            Arrays.fill(e.gradient, 0f);
        }
    }

    /**
     * What DL4J's updater does to a summed gradient before the optimiser: divides it by the mini-batch size, then
     * scales each layer whose L2 norm exceeds {@code threshold} down to it ({@code ClipL2PerLayer}; NaN: no
     * clipping). Writes each layer's pre-clip norm into {@code norms}.
     */
    void divideAndClip(int miniBatch, double threshold, double[] norms) {
        float divisor = miniBatch;
        Arrays.fill(squares, 0);
        for (Entry e : entries) {
            float[] g = e.gradient;
            double sum = 0;
            for (int j = 0; j < g.length; j++) {
                float v = g[j] / divisor;
                g[j] = v;
                sum += (double) v * v;
            }
            squares[e.layer] += sum;
        }
        for (int l = 0; l < layers; l++) {
            norms[l] = Math.sqrt(squares[l]);
        }
        if (Double.isNaN(threshold)) {
            return;
        }
        for (Entry e : entries) {
            double norm = norms[e.layer];
            if (norm > threshold) {
                float scale = (float) (threshold / norm);
                float[] g = e.gradient;
                for (int j = 0; j < g.length; j++) {
                    g[j] *= scale;
                }
            }
        }
    }

    /** Applies {@code step} to every array: it reads the gradient and state and moves the values. */
    void update(OptimizerStep step) {
        for (Entry e : entries) {
            step.apply(e.value, e.gradient, e.first, e.second);
        }
    }

    private static void gather(float[] flat, int offset, Entry e, float[] into) {
        int at = offset + e.start;
        for (int j = 0; j < into.length; j++, at += e.stride) {
            into[j] = flat[at];
        }
    }

    private static void scatter(float[] from, Entry e, float[] flat, int offset) {
        int at = offset + e.start;
        for (int j = 0; j < from.length; j++, at += e.stride) {
            flat[at] = from[j];
        }
    }
}
