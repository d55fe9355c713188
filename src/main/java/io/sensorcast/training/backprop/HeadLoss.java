package io.sensorcast.training.backprop;

import io.sensorcast.recurrent.LaplaceHead;

/**
 * The losses the trainer's head can have, per output row (one sequence at one step) as DL4J's loss functions score
 * and differentiate it: {@code LossMAE}, {@code LossMSE} and {@link io.sensorcast.recurrent.LaplaceHeadLoss}.
 */
enum HeadLoss {
    /** Mean over the F outputs of |o - y|; gradient sign(o - y) / F. */
    MAE {
        @Override
        double scoreAndGradient(float[] out, float[] label, float[] delta, int f) {
            double sum = 0;
            for (int j = 0; j < f; j++) {
                float e = out[j] - label[j];
                sum += Math.abs(e);
                delta[j] = Math.signum(e) / f;
            }
            return sum / f;
        }
    },
    /** Mean over the F outputs of (o - y)²; gradient 2 (o - y) / F. */
    MSE {
        @Override
        double scoreAndGradient(float[] out, float[] label, float[] delta, int f) {
            double sum = 0;
            for (int j = 0; j < f; j++) {
                float e = out[j] - label[j];
                sum += (double) e * e;
                delta[j] = 2f * e / f;
            }
            return sum / f;
        }
    },
    /**
     * F locations then F raw scales: {@code (1/F) sum (|e| + |e|/b + ln b)}, b = {@link LaplaceHead#scale}; the
     * location's gradient is MAE's, the raw scale's {@code (1/b - |e|/b²) sigmoid(raw) / F}.
     */
    LAPLACE {
        @Override
        double scoreAndGradient(float[] out, float[] label, float[] delta, int f) {
            double sum = 0;
            for (int j = 0; j < f; j++) {
                float e = label[j] - out[j];
                double abs = Math.abs(e);
                double raw = out[f + j];
                double b = LaplaceHead.scale(raw);
                sum += abs + abs / b + Math.log(b);
                delta[j] = -Math.signum(e) / f;
                double sigmoid = 1 / (1 + Math.exp(-raw));
                delta[f + j] = (float) ((1 / b - abs / (b * b)) * sigmoid / f);
            }
            return sum / f;
        }
    };

    /**
     * Writes dLoss/d(output) of one row into {@code delta} and returns the row's loss.
     *
     * @param f labels in the row (the head is twice as wide for {@link #LAPLACE})
     */
    abstract double scoreAndGradient(float[] out, float[] label, float[] delta, int f);

    /** Head outputs for {@code labels} labels. */
    int outputs(int labels) {
        return this == LAPLACE ? 2 * labels : labels;
    }
}
