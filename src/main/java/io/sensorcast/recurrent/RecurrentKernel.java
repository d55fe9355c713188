package io.sensorcast.recurrent;

import java.util.Arrays;

/**
 * The serving step: advances a stacked LSTM, GRU or tanh RNN by one time step over a weight snapshot, and
 * applies its linear head, without allocating.
 *
 * <p>Not thread-safe: it owns one scratch buffer, so use one instance per thread. The snapshot is only
 * read, so many kernels may share one {@link NetworkWeights}.
 */
public final class RecurrentKernel {

    private final NetworkSpec spec;
    private final StepLoops loops;
    /** Pre-activations of the layer being stepped, sized for the widest layer. */
    private final float[] z;
    /** The layer's input then its previous hidden state, one value per row of {@link LayerWeights#rows()}. */
    private final float[] xh;
    /**
     * LSTM forget, output and input gates, each copied out of z so the update loops index every array alike;
     * a GRU uses {@code forget} for its update gate.
     */
    private final float[] forget;
    private final float[] output;
    private final float[] input;
    /** tanh of the new LSTM cell state. */
    private final float[] cellTanh;
    /**
     * Per layer, the scale s of the activations {@code (1-s) + s*tanh(s*z)} ({@link StepLoops#scaledTanh}): for an
     * LSTM 1 over the candidate block (tanh) and 0.5 over the gates (sigmoid), for a GRU 0.5 over its two gates.
     */
    private final float[][] gateScale;

    /** A kernel for networks of the given shape, on {@link StepLoops#preferred()}. */
    public RecurrentKernel(NetworkSpec spec) {
        this(spec, StepLoops.preferred());
    }

    /** A kernel for networks of the given shape, on the given loops. */
    public RecurrentKernel(NetworkSpec spec, StepLoops loops) {
        this.spec = spec;
        this.loops = loops;
        int widestHidden = 0;
        int mostRows = 0;
        for (int l = 0; l < spec.layerCount(); l++) {
            widestHidden = Math.max(widestHidden, spec.hiddenSize(l));
            mostRows = Math.max(mostRows, spec.layerInputSize(l) + spec.hiddenSize(l));
        }
        this.z = new float[spec.cell().gateBlocks() * widestHidden];
        this.xh = new float[mostRows];
        boolean lstm = spec.cell() == CellType.LSTM;
        int gate = lstm ? widestHidden : 0;
        this.forget = new float[spec.cell() == CellType.RNN ? 0 : widestHidden];
        this.output = new float[gate];
        this.input = new float[gate];
        this.cellTanh = new float[gate];
        this.gateScale = new float[spec.cell() == CellType.RNN ? 0 : spec.layerCount()][];
        for (int l = 0; l < gateScale.length; l++) {
            int hs = spec.hiddenSize(l);
            if (lstm) {
                gateScale[l] = new float[4 * hs];
                Arrays.fill(gateScale[l], 0, hs, 1f);
                Arrays.fill(gateScale[l], hs, 4 * hs, 0.5f);
            } else {
                gateScale[l] = new float[2 * hs];
                Arrays.fill(gateScale[l], 0.5f);
            }
        }
    }

    public NetworkSpec spec() {
        return spec;
    }

    public StepLoops loops() {
        return loops;
    }

    /**
     * Advances every layer one step in place, layer l's new hidden state feeding layer l+1.
     *
     * @param w weights of this kernel's spec
     * @param h hidden state per layer, updated in place
     * @param c cell state per layer, updated in place; null for cells without one
     * @param x this step's input, {@code inputSize} wide
     */
    public void step(NetworkWeights w, float[][] h, float[][] c, float[] x) {
        checkShapes(w, h, c);
        if (x.length != spec.inputSize()) {
            throw new IllegalArgumentException("input has " + x.length + " values, network expects " + spec.inputSize());
        }
        CellType cell = spec.cell();
        float[] in = x;
        for (int l = 0; l < h.length; l++) {
            LayerWeights lw = w.layers()[l];
            loadInput(lw, in, h[l]);
            switch (cell) {
                case LSTM -> {
                    accumulate(lw, 0, lw.b().length);
                    lstmUpdate(h[l], c[l], gateScale[l]);
                }
                case GRU -> gruStep(lw, in.length, h[l], gateScale[l]);
                case RNN -> {
                    accumulate(lw, 0, lw.b().length);
                    rnnUpdate(h[l]);
                }
            }
            in = h[l];
        }
    }

    /** Writes the linear head on the last layer's hidden state: {@code out = h_last · headW + headB}. */
    public void predict(NetworkWeights w, float[][] h, float[] out) {
        checkSpec(w);
        if (h.length != spec.layerCount() || h[h.length - 1].length != spec.lastHiddenSize()) {
            throw new IllegalArgumentException("hidden state does not fit " + spec);
        }
        int n = spec.outputSize();
        if (out.length != n) {
            throw new IllegalArgumentException("output has " + out.length + " slots, network produces " + n);
        }
        loops.head(h[h.length - 1], w.headColumns(), w.headB(), out);
    }

    /** Sets {@code xh} to the layer's input then its previous hidden state, and z to the bias. */
    private void loadInput(LayerWeights lw, float[] in, float[] hPrev) {
        float[] v = xh;
        System.arraycopy(in, 0, v, 0, in.length);
        System.arraycopy(hPrev, 0, v, in.length, hPrev.length);
        System.arraycopy(lw.b(), 0, z, 0, lw.b().length);
    }

    /**
     * z[from, to) += xh·rows[, from..to) by {@link StepLoops#addRows}. Each z[j] sums the rows in order, so the
     * result is bit for bit the row-by-row sum.
     */
    private void accumulate(LayerWeights lw, int from, int to) {
        loops.addRows(z, xh, lw.rows(), lw.panels(), 0, lw.rows().length, from, to);
    }

    /**
     * One GRU step ({@link GruLayer}'s blocks: [0,H) reset, [H,2H) update, [2H,3H) candidate). The gates need
     * x·W + h·RW, the candidate x·W + (r ⊙ h)·RW: so two passes over the same rows, the second after the hidden
     * part of {@code xh} has been replaced by r ⊙ h. Together they cost what one pass over all 3H columns would.
     */
    private void gruStep(LayerWeights lw, int inputSize, float[] h, float[] scale) {
        float[] zz = z;
        float[] v = xh;
        float[] update = forget;
        int hs = h.length;
        accumulate(lw, 0, 2 * hs);
        loops.scaledTanh(zz, scale);
        for (int k = 0; k < hs; k++) {
            v[inputSize + k] = zz[k] * h[k];
        }
        accumulate(lw, 2 * hs, 3 * hs);
        System.arraycopy(zz, hs, update, 0, hs);
        System.arraycopy(zz, 2 * hs, zz, 0, hs);
        loops.tanh(zz, zz, hs);
        for (int j = 0; j < hs; j++) {
            h[j] = h[j] + update[j] * (zz[j] - h[j]);
        }
    }

    /** The LSTM cell after the pre-activations in {@code z}: {@link StepLoops#lstmCell}, the cell state in place. */
    private void lstmUpdate(float[] h, float[] c, float[] scale) {
        loops.lstmCell(z, scale, h.length, forget, output, input, c, cellTanh, h);
    }

    private void rnnUpdate(float[] h) {
        loops.tanh(z, h, h.length);
    }

    private void checkShapes(NetworkWeights w, float[][] h, float[][] c) {
        checkSpec(w);
        if (h.length != spec.layerCount()) {
            throw new IllegalArgumentException("hidden state has " + h.length + " layers, network has " + spec.layerCount());
        }
        if ((c != null) != spec.cell().hasCellState()) {
            throw new IllegalArgumentException(spec.cell() + (c == null ? " needs" : " has no") + " cell state");
        }
        if (c != null && c.length != h.length) {
            throw new IllegalArgumentException("cell state has " + c.length + " layers, network has " + h.length);
        }
        for (int l = 0; l < h.length; l++) {
            int hs = spec.hiddenSize(l);
            if (h[l].length != hs || (c != null && c[l].length != hs)) {
                throw new IllegalArgumentException("state of layer " + l + " does not have " + hs + " units");
            }
        }
    }

    private void checkSpec(NetworkWeights w) {
        if (w.spec() != spec && !spec.equals(w.spec())) {
            throw new IllegalArgumentException("weights are for " + w.spec() + ", kernel is for " + spec);
        }
    }
}
