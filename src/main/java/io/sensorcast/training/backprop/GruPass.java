package io.sensorcast.training.backprop;

import io.sensorcast.recurrent.DenseLoops;
import io.sensorcast.recurrent.FastMath;

import java.util.Arrays;

/**
 * The project's {@code GruLayer}: blocks [0,H) reset r, [H,2H) update u, [2H,3H) candidate; {@code r, u = σ(x·W +
 * h·RW + b)}, {@code ĥ = tanh(x·W_c + (r ⊙ h)·RW_c + b_c)}, {@code h' = h + u (ĥ − h)}.
 */
final class GruPass extends RecurrentPass {

    /** Activated pre-activations (r, u, ĥ) per step and sequence. */
    private final float[][][] gates;
    /** r ⊙ h per step and sequence: the candidate's recurrent input. */
    private final float[][][] resetHidden;
    private final float[] r;
    private final float[] u;
    private final float[] candidate;
    private final float[] dResetHidden;
    private final float[] dr;
    private final float[] du;
    private final float[] dCandidate;

    GruPass(int inputSize, int units, int maxBatch, int maxSteps) {
        super(inputSize, units, 3, maxBatch, maxSteps);
        this.gates = DenseLoops.cube(maxSteps, maxBatch, width);
        this.resetHidden = DenseLoops.cube(maxSteps, maxBatch, units);
        this.r = new float[units];
        this.u = new float[units];
        this.candidate = new float[units];
        this.dResetHidden = new float[units];
        this.dr = new float[units];
        this.du = new float[units];
        this.dCandidate = new float[units];
    }

    /** {@code GruNetworkLayer} back-propagates through the forward pass it ran, carried state included. */
    @Override
    boolean replaysFromZeroState() {
        return false;
    }

    @Override
    void forward(float[][][] in, int n, int steps) {
        int hsz = units;
        for (int t = 0; t < steps; t++) {
            for (int s = 0; s < n; s++) {
                float[] z = gates[t][s];
                float[] hPrev = hs[t][s];
                preActivation(z, in[t][s], hPrev, 2 * hsz);
                for (int j = 0; j < 2 * hsz; j++) {
                    z[j] = FastMath.sigmoid(z[j]);
                }
                float[] rh = resetHidden[t][s];
                for (int j = 0; j < hsz; j++) {
                    rh[j] = z[j] * hPrev[j];
                }
                DenseLoops.addRows(z, rh, rw, 0, hsz, 2 * hsz, 3 * hsz);
                for (int j = 2 * hsz; j < 3 * hsz; j++) {
                    z[j] = FastMath.tanh(z[j]);
                }
                System.arraycopy(z, hsz, u, 0, hsz);
                System.arraycopy(z, 2 * hsz, candidate, 0, hsz);
                float[] h = hs[t + 1][s];
                for (int j = 0; j < hsz; j++) {
                    h[j] = hPrev[j] + u[j] * (candidate[j] - hPrev[j]);
                }
            }
        }
    }

    @Override
    void stepBack(int t, int s, float[] dOut) {
        int hsz = units;
        float[] z = gates[t][s];
        System.arraycopy(z, 0, r, 0, hsz);
        System.arraycopy(z, hsz, u, 0, hsz);
        System.arraycopy(z, 2 * hsz, candidate, 0, hsz);
        float[] hPrev = hs[t][s];
        float[] dhs = dh[s];
        for (int j = 0; j < hsz; j++) {
            float g = dOut[j] + dhs[j];
            float uj = u[j];
            float cj = candidate[j];
            dCandidate[j] = g * uj * (1f - cj * cj);
            du[j] = g * (cj - hPrev[j]) * uj * (1f - uj);
            dhs[j] = g * (1f - uj);
        }
        float[] d = dz[s];
        System.arraycopy(du, 0, d, hsz, hsz);
        System.arraycopy(dCandidate, 0, d, 2 * hsz, hsz);
        Arrays.fill(dResetHidden, 0f);
        DenseLoops.addRows(dResetHidden, d, rwT, 2 * hsz, 3 * hsz, 0, hsz);
        for (int j = 0; j < hsz; j++) {
            float rj = r[j];
            dr[j] = dResetHidden[j] * hPrev[j] * rj * (1f - rj);
            dhs[j] += dResetHidden[j] * rj;
        }
        System.arraycopy(dr, 0, d, 0, hsz);
        DenseLoops.addRows(dhs, d, rwT, 0, 2 * hsz, 0, hsz);
    }

    @Override
    void addRecurrentGradient(int t, int n) {
        DenseLoops.addOuter(drw, units, hs[t], dz, n, 0, 2 * units);
        DenseLoops.addOuter(drw, units, resetHidden[t], dz, n, 2 * units, width);
    }
}
