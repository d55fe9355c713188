package io.sensorcast.training.backprop;

import io.sensorcast.recurrent.DenseLoops;

import java.util.Arrays;

/**
 * One recurrent layer of the hand-written training: its parameters in DL4J's layout (row i of {@code w} is input i's
 * weights to the G*H pre-activations, row k of {@code rw} hidden unit k's), their gradients, and what a forward pass
 * over a TBPTT segment keeps for the backward pass, for a mini-batch of up to {@code maxBatch} sequences. Every
 * buffer is allocated here, once: the passes allocate nothing.
 *
 * <p>Arrays are indexed {@code [t][b][unit]}: one short row per sequence and step, so the loops over units are the
 * dense inner loops (see {@link DenseLoops}).
 */
abstract class RecurrentPass {

    final int inputSize;
    final int units;
    /** G*H: the pre-activation width. */
    final int width;
    final float[][] w;
    final float[][] rw;
    final float[] b;
    final float[][] dw;
    final float[][] drw;
    final float[] db;
    /** Transposes of w and rw (width rows), refreshed before each backward pass: dL/dx and dL/dh as saxpy rows. */
    final float[][] wT;
    final float[][] rwT;
    /** hs[0] is the state carried in; hs[t+1] the output at step t. */
    final float[][][] hs;
    /** The layer's output per step, {@code outputs[t] == hs[t+1]}: the next layer's input. */
    final float[][][] outputs;
    /** The state the last forward pass ended in, kept for the next segment while the backward pass replays. */
    final float[][][] carried;
    /** dL/dh flowing back through the recurrence, per sequence. */
    final float[][] dh;
    /** dL/d(pre-activation) of the step being back-propagated, per sequence. */
    final float[][] dz;

    RecurrentPass(int inputSize, int units, int blocks, int maxBatch, int maxSteps) {
        this.inputSize = inputSize;
        this.units = units;
        this.width = blocks * units;
        this.w = new float[inputSize][width];
        this.rw = new float[units][width];
        this.b = new float[width];
        this.dw = new float[inputSize][width];
        this.drw = new float[units][width];
        this.db = new float[width];
        this.wT = new float[width][inputSize];
        this.rwT = new float[width][units];
        this.hs = DenseLoops.cube(maxSteps + 1, maxBatch, units);
        this.outputs = Arrays.copyOfRange(hs, 1, maxSteps + 1);
        this.carried = new float[2][maxBatch][units];
        this.dh = new float[maxBatch][units];
        this.dz = new float[maxBatch][width];
    }

    /** Values in DL4J's flat vector: W, RW, then b. */
    int parameterCount() {
        return (inputSize + units + 1) * width;
    }

    /** Registers W, RW and b (each column-major in DL4J's vector, from {@code offset}) as DL4J layer {@code layer}. */
    void register(TrainableParameters parameters, int layer, int offset) {
        for (int i = 0; i < inputSize; i++) {
            parameters.add(w[i], dw[i], layer, offset + i, inputSize);
        }
        int recurrent = offset + inputSize * width;
        for (int k = 0; k < units; k++) {
            parameters.add(rw[k], drw[k], layer, recurrent + k, units);
        }
        parameters.add(b, db, layer, recurrent + units * width, 1);
    }

    /** Zero state for the first segment of a mini-batch, as DL4J's {@code rnnClearPreviousState}. */
    void clearState(int n) {
        for (int s = 0; s < n; s++) {
            Arrays.fill(hs[0][s], 0f);
        }
    }

    /** Keeps the state after {@code steps}: the next segment's starting state (DL4J's stored TBPTT state). */
    void keepState(int n, int steps) {
        for (int s = 0; s < n; s++) {
            System.arraycopy(hs[steps][s], 0, carried[0][s], 0, units);
        }
    }

    /** The state {@link #keepState} kept becomes the starting state. */
    void carryState(int n) {
        for (int s = 0; s < n; s++) {
            System.arraycopy(carried[0][s], 0, hs[0][s], 0, units);
        }
    }

    /**
     * Whether DL4J back-propagates a later TBPTT segment through a forward pass replayed from a zero state. DL4J
     * 1.0.0-M2.1's {@code LSTM} and {@code SimpleRnn} do: their {@code tbpttBackpropGradient} reruns the forward pass
     * from a zero state (SimpleRnn passes none; LSTM reads {@code stateMap}, which holds none during a fit), so the
     * weight gradients of every segment after the first see the carried state only through the head's error. The
     * hand-written passes do the same, to stay DL4J's exact equivalent; {@code GruLayer} keeps its forward pass.
     */
    boolean replaysFromZeroState() {
        return true;
    }

    /** Runs the segment: {@code in[t][s]} is sequence s's input at step t; fills {@link #outputs}. */
    abstract void forward(float[][][] in, int n, int steps);

    /**
     * Back-propagates the segment the last {@link #forward} ran, adding the parameter gradients into dw, drw and db.
     *
     * @param dOut dL/d(output) per step and sequence, from the head or the layer above
     * @param dIn  where dL/d(input) goes for the layer below, or null for the first layer
     */
    final void backward(float[][][] in, float[][][] dOut, float[][][] dIn, int n, int steps) {
        DenseLoops.transpose(w, inputSize, width, wT);
        DenseLoops.transpose(rw, units, width, rwT);
        for (int s = 0; s < n; s++) {
            Arrays.fill(dh[s], 0f);
        }
        startBackward(n);
        for (int t = steps - 1; t >= 0; t--) {
            for (int s = 0; s < n; s++) {
                stepBack(t, s, dOut[t][s]);
            }
            DenseLoops.addAll(db, dz, n, width);
            DenseLoops.addOuter(dw, inputSize, in[t], dz, n, 0, width);
            addRecurrentGradient(t, n);
            if (dIn != null) {
                for (int s = 0; s < n; s++) {
                    float[] d = dIn[t][s];
                    Arrays.fill(d, 0f);
                    DenseLoops.addRows(d, dz[s], wT, 0, width, 0, inputSize);
                }
            }
        }
    }

    /** Clears whatever else the cell carries back through time. */
    void startBackward(int n) {
    }

    /**
     * For step t and sequence s: dz[s] from {@code dOut} plus dh[s], then dh[s] becomes dL/d(previous state) (the
     * recurrent weights' share included).
     */
    abstract void stepBack(int t, int s, float[] dOut);

    /** drw += previous states (outer) dz over the mini-batch; a GRU overrides it for its reset-gated candidate. */
    void addRecurrentGradient(int t, int n) {
        DenseLoops.addOuter(drw, units, hs[t], dz, n, 0, width);
    }

    /** z = b + x·W + h·RW over pre-activation columns [0, hiddenTo) of the hidden part (x·W over all). */
    final void preActivation(float[] z, float[] x, float[] h, int hiddenTo) {
        System.arraycopy(b, 0, z, 0, width);
        DenseLoops.addRows(z, x, w, 0, inputSize, 0, width);
        DenseLoops.addRows(z, h, rw, 0, units, 0, hiddenTo);
    }
}
