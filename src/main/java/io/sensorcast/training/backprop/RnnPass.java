package io.sensorcast.training.backprop;

import io.sensorcast.recurrent.DenseLoops;
import io.sensorcast.recurrent.FastMath;

import java.util.Arrays;

/** DL4J's {@code SimpleRnn} without layer norm: {@code h = tanh(x·W + h'·RW + b)}. */
final class RnnPass extends RecurrentPass {

    RnnPass(int inputSize, int units, int maxBatch, int maxSteps) {
        super(inputSize, units, 1, maxBatch, maxSteps);
    }

    @Override
    void forward(float[][][] in, int n, int steps) {
        int hsz = units;
        for (int t = 0; t < steps; t++) {
            for (int s = 0; s < n; s++) {
                float[] h = hs[t + 1][s];
                preActivation(h, in[t][s], hs[t][s], hsz);
                for (int j = 0; j < hsz; j++) {
                    h[j] = FastMath.tanh(h[j]);
                }
            }
        }
    }

    @Override
    void stepBack(int t, int s, float[] dOut) {
        int hsz = units;
        float[] h = hs[t + 1][s];
        float[] dhs = dh[s];
        float[] d = dz[s];
        for (int j = 0; j < hsz; j++) {
            d[j] = (dOut[j] + dhs[j]) * (1f - h[j] * h[j]);
        }
        Arrays.fill(dhs, 0f);
        DenseLoops.addRows(dhs, d, rwT, 0, width, 0, hsz);
    }
}
