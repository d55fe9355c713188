package io.sensorcast.training.backprop;

import io.sensorcast.recurrent.DenseLoops;

import java.util.Arrays;

/**
 * DL4J's identity {@code RnnOutputLayer} over a segment: {@code y = h·W + b} per sequence and step, its loss, and
 * the backward pass to the last recurrent layer. W is kept as DL4J lays it out, row k for hidden unit k.
 */
final class LinearHead {

    private final int units;
    private final int outputs;
    private final int labels;
    private final HeadLoss loss;
    private final float[][] w;
    private final float[] b;
    private final float[][] dw;
    private final float[] db;
    private final float[][] wT;
    private final float[][][] out;
    private final float[][][] delta;

    LinearHead(int units, int labels, HeadLoss loss, int maxBatch, int maxSteps) {
        this.units = units;
        this.labels = labels;
        this.outputs = loss.outputs(labels);
        this.loss = loss;
        this.w = new float[units][outputs];
        this.b = new float[outputs];
        this.dw = new float[units][outputs];
        this.db = new float[outputs];
        this.wT = new float[outputs][units];
        this.out = DenseLoops.cube(maxSteps, maxBatch, outputs);
        this.delta = DenseLoops.cube(maxSteps, maxBatch, outputs);
    }

    int parameterCount() {
        return (units + 1) * outputs;
    }

    /** Registers W (column-major in DL4J's vector, from {@code offset}) and b as DL4J layer {@code layer}. */
    void register(TrainableParameters parameters, int layer, int offset) {
        for (int k = 0; k < units; k++) {
            parameters.add(w[k], dw[k], layer, offset + k, units);
        }
        parameters.add(b, db, layer, offset + units * outputs, 1);
    }

    /** Outputs and loss gradients of the segment; returns the loss summed over sequences and steps. */
    double forward(float[][][] h, float[][][] label, int n, int steps) {
        double sum = 0;
        for (int t = 0; t < steps; t++) {
            for (int s = 0; s < n; s++) {
                float[] y = out[t][s];
                System.arraycopy(b, 0, y, 0, outputs);
                DenseLoops.addRows(y, h[t][s], w, 0, units, 0, outputs);
                sum += loss.scoreAndGradient(y, label[t][s], delta[t][s], labels);
            }
        }
        return sum;
    }

    /** Adds the head's parameter gradients and writes dL/dh of the last recurrent layer into {@code dh}. */
    void backward(float[][][] h, float[][][] dh, int n, int steps) {
        DenseLoops.transpose(w, units, outputs, wT);
        for (int t = 0; t < steps; t++) {
            DenseLoops.addAll(db, delta[t], n, outputs);
            DenseLoops.addOuter(dw, units, h[t], delta[t], n, 0, outputs);
            for (int s = 0; s < n; s++) {
                float[] d = dh[t][s];
                Arrays.fill(d, 0f);
                DenseLoops.addRows(d, delta[t][s], wT, 0, outputs, 0, units);
            }
        }
    }
}
