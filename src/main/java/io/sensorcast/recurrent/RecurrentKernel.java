package io.sensorcast.recurrent;

/**
 * The serving step: advances a stacked LSTM or tanh RNN by one time step over a weight snapshot, and
 * applies its linear head, without allocating.
 *
 * <p>Not thread-safe: it owns one scratch buffer, so use one instance per thread. The snapshot is only
 * read, so many kernels may share one {@link NetworkWeights}.
 */
public final class RecurrentKernel {

    private final NetworkSpec spec;
    /** Pre-activations of the layer being stepped, sized for the widest layer. */
    private final float[] z;

    /** A kernel for networks of the given shape. */
    public RecurrentKernel(NetworkSpec spec) {
        this.spec = spec;
        int widest = 0;
        for (int l = 0; l < spec.layerCount(); l++) {
            widest = Math.max(widest, spec.cell().gateBlocks() * spec.hiddenSize(l));
        }
        this.z = new float[widest];
    }

    public NetworkSpec spec() {
        return spec;
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
        boolean lstm = spec.cell() == CellType.LSTM;
        float[] in = x;
        for (int l = 0; l < h.length; l++) {
            LayerWeights lw = w.layers()[l];
            preActivation(lw, in, h[l]);
            if (lstm) {
                lstmUpdate(h[l], c[l]);
            } else {
                rnnUpdate(h[l]);
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
        float[] hl = h[h.length - 1];
        float[] hw = w.headW();
        System.arraycopy(w.headB(), 0, out, 0, n);
        for (int k = 0; k < hl.length; k++) {
            float hk = hl[k];
            int row = k * n;
            for (int j = 0; j < n; j++) {
                out[j] += hk * hw[row + j];
            }
        }
    }

    /** z = in·W + h·RW + b, as saxpy over contiguous weight rows so the inner loops vectorise. */
    private void preActivation(LayerWeights lw, float[] in, float[] hPrev) {
        float[] zz = z;
        int width = lw.b().length;
        float[] wi = lw.w();
        float[] rw = lw.rw();
        System.arraycopy(lw.b(), 0, zz, 0, width);
        for (int i = 0; i < in.length; i++) {
            float xi = in[i];
            int row = i * width;
            for (int j = 0; j < width; j++) {
                zz[j] += xi * wi[row + j];
            }
        }
        for (int k = 0; k < hPrev.length; k++) {
            float hk = hPrev[k];
            int row = k * width;
            for (int j = 0; j < width; j++) {
                zz[j] += hk * rw[row + j];
            }
        }
    }

    /** DL4J LSTM gate blocks: [0,H) candidate, [H,2H) forget, [2H,3H) output, [3H,4H) input. */
    private void lstmUpdate(float[] h, float[] c) {
        float[] zz = z;
        int hs = h.length;
        FastMath.tanhInPlace(zz, 0, hs);
        // forget, output and input gates are adjacent, so one sigmoid pass covers all three
        FastMath.sigmoidInPlace(zz, hs, 4 * hs);
        for (int j = 0; j < hs; j++) {
            float cj = zz[hs + j] * c[j] + zz[3 * hs + j] * zz[j];
            c[j] = cj;
            h[j] = zz[2 * hs + j] * FastMath.tanh(cj);
        }
    }

    private void rnnUpdate(float[] h) {
        float[] zz = z;
        for (int j = 0; j < h.length; j++) {
            h[j] = FastMath.tanh(zz[j]);
        }
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
