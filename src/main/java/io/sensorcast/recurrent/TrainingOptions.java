package io.sensorcast.recurrent;

/**
 * Hyper-parameters of the DL4J training network: Adam learning rate, truncated-BPTT window and per-layer
 * L2 gradient clipping.
 *
 * @param learningRate          Adam step size
 * @param tbpttLength           truncated BPTT length, used for both the forward and the backward window
 * @param gradientClipThreshold L2 norm each layer's gradient is clipped to (ClipL2PerLayer)
 */
public record TrainingOptions(double learningRate, int tbpttLength, double gradientClipThreshold) {

    public TrainingOptions {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be positive and finite: " + learningRate);
        }
        if (tbpttLength < 1) {
            throw new IllegalArgumentException("tbpttLength must be at least 1: " + tbpttLength);
        }
        if (!(gradientClipThreshold > 0) || Double.isInfinite(gradientClipThreshold)) {
            throw new IllegalArgumentException("gradientClipThreshold must be positive and finite: " + gradientClipThreshold);
        }
    }

    /** Learning rate 1e-3, TBPTT 50, clip threshold 5.0. */
    public static TrainingOptions defaults() {
        return new TrainingOptions(1e-3, 50, 5.0);
    }
}
