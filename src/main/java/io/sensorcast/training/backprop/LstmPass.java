package io.sensorcast.training.backprop;

import io.sensorcast.recurrent.DenseLoops;
import io.sensorcast.recurrent.LstmCell;

import java.util.Arrays;

/**
 * DL4J's {@code LSTM} (no peepholes, tanh, sigmoid gates). Pre-activation blocks as DL4J lays them out: [0,H) the
 * candidate a (tanh), [H,2H) forget f, [2H,3H) output o, [3H,4H) input i: {@code c = f c' + i a}, {@code h = o
 * tanh(c)}.
 */
final class LstmPass extends RecurrentPass {

    /** Activated pre-activations (a, f, o, i) per step and sequence. */
    private final float[][][] gates;
    /** cs[0] is the cell state carried in, cs[t+1] the cell state after step t. */
    private final float[][][] cs;
    private final float[][][] cellTanh;
    /** 1 over the candidate block, 0.5 over the gates: one activation loop for all four blocks. */
    private final float[] scale;
    /** dL/dc flowing back, per sequence. */
    private final float[][] dc;
    private final float[] f;
    private final float[] o;
    private final float[] i;
    private final float[] da;
    private final float[] df;
    private final float[] dout;
    private final float[] di;

    LstmPass(int inputSize, int units, int maxBatch, int maxSteps) {
        super(inputSize, units, 4, maxBatch, maxSteps);
        this.gates = DenseLoops.cube(maxSteps, maxBatch, width);
        this.cs = DenseLoops.cube(maxSteps + 1, maxBatch, units);
        this.cellTanh = DenseLoops.cube(maxSteps, maxBatch, units);
        this.scale = new float[width];
        Arrays.fill(scale, 0, units, 1f);
        Arrays.fill(scale, units, width, 0.5f);
        this.dc = new float[maxBatch][units];
        this.f = new float[units];
        this.o = new float[units];
        this.i = new float[units];
        this.da = new float[units];
        this.df = new float[units];
        this.dout = new float[units];
        this.di = new float[units];
    }

    @Override
    void clearState(int n) {
        super.clearState(n);
        for (int s = 0; s < n; s++) {
            Arrays.fill(cs[0][s], 0f);
        }
    }

    @Override
    void keepState(int n, int steps) {
        super.keepState(n, steps);
        for (int s = 0; s < n; s++) {
            System.arraycopy(cs[steps][s], 0, carried[1][s], 0, units);
        }
    }

    @Override
    void carryState(int n) {
        super.carryState(n);
        for (int s = 0; s < n; s++) {
            System.arraycopy(carried[1][s], 0, cs[0][s], 0, units);
        }
    }

    @Override
    void forward(float[][][] in, int n, int steps) {
        for (int t = 0; t < steps; t++) {
            for (int s = 0; s < n; s++) {
                float[] z = gates[t][s];
                preActivation(z, in[t][s], hs[t][s], width);
                LstmCell.step(z, scale, units, f, o, i, cs[t][s], cs[t + 1][s], cellTanh[t][s], hs[t + 1][s]);
            }
        }
    }

    @Override
    void startBackward(int n) {
        for (int s = 0; s < n; s++) {
            Arrays.fill(dc[s], 0f);
        }
    }

    @Override
    void stepBack(int t, int s, float[] dOut) {
        int hsz = units;
        float[] a = gates[t][s];
        System.arraycopy(a, hsz, f, 0, hsz);
        System.arraycopy(a, 2 * hsz, o, 0, hsz);
        System.arraycopy(a, 3 * hsz, i, 0, hsz);
        float[] tc = cellTanh[t][s];
        float[] cPrev = cs[t][s];
        float[] dhs = dh[s];
        float[] dcs = dc[s];
        for (int j = 0; j < hsz; j++) {
            float g = dOut[j] + dhs[j];
            float oj = o[j];
            float tcj = tc[j];
            float dcj = dcs[j] + g * oj * (1f - tcj * tcj);
            float aj = a[j];
            float ij = i[j];
            float fj = f[j];
            dout[j] = g * tcj * oj * (1f - oj);
            da[j] = dcj * ij * (1f - aj * aj);
            di[j] = dcj * aj * ij * (1f - ij);
            df[j] = dcj * cPrev[j] * fj * (1f - fj);
            dcs[j] = dcj * fj;
        }
        float[] d = dz[s];
        System.arraycopy(da, 0, d, 0, hsz);
        System.arraycopy(df, 0, d, hsz, hsz);
        System.arraycopy(dout, 0, d, 2 * hsz, hsz);
        System.arraycopy(di, 0, d, 3 * hsz, hsz);
        Arrays.fill(dhs, 0f);
        DenseLoops.addRows(dhs, d, rwT, 0, width, 0, hsz);
    }
}
