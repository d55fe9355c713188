package io.sensorcast.config;

/**
 * How the online trainer samples, fits and gates.
 *
 * @param enabled         whether this pipeline trains online at all
 * @param everySamples    train after this many new steps have arrived...
 * @param everySeconds    ...or after this many seconds with at least one new step (0: by count only)
 * @param maxKeys         sensors sampled for training (a uniform sample of the keys seen, bounded memory)
 * @param stepsPerKey     recent steps kept per sampled sensor
 * @param windowLength    steps per training sequence
 * @param tbpttLength     truncated BPTT length, forward and backward
 * @param batchSize       sequences per mini-batch
 * @param epochs          passes over the sample per training round
 * @param optimizer       adam, sgd or rmsprop
 * @param learningRate    step size
 * @param clipThreshold   L2 norm each layer's gradient is clipped to (ClipL2PerLayer)
 * @param tolerance       a candidate is published if its held-out error is at most (1 + tolerance) x the serving model's
 * @param seed            seed of sampling and fitting
 * @param intakeCapacity  steps that may wait between the stream threads and the trainer before new ones are dropped
 * @param cpuShare        the most of wall time the service's trainer may be busy (it pauses after each mini-batch)
 * @param loss            mae (the forecast is the median: robust to spikes, and what MAE scores) or mse (the mean)
 * @param windowStride    a training window starts every this many steps (windows overlap when below windowLength)
 * @param heldOutEvery    every this-many-th non-overlapping window, newest first, is held out to judge the candidate
 * @param patience        epochs without a better held-out error before a round stops
 * @param retrainShare    a round waits until new steps are at least this share of the steps the buffer holds
 * @param sampleBudget    steps the buffer keeps over all sampled sensors (each at most stepsPerKey)
 * @param engine          java (the hand-written truncated BPTT) or dl4j (DL4J's own fit), see TrainingEngine
 */
public record TrainingSettings(boolean enabled, int everySamples, double everySeconds, int maxKeys, int stepsPerKey,
                               int windowLength, int tbpttLength, int batchSize, int epochs, String optimizer,
                               double learningRate, double clipThreshold, double tolerance, long seed,
                               int intakeCapacity, double cpuShare, String loss, int windowStride, int heldOutEvery,
                               int patience, double retrainShare, int sampleBudget, String engine) {

    public static final TrainingSettings DEFAULTS = PipelineConfigLoader.defaults("training", TrainingSettings.class);

    /** True when the trainer fits and gates the point forecast by mean absolute error. */
    public boolean absoluteLoss() {
        return "mae".equalsIgnoreCase(loss) || distributionHead();
    }

    /** True when the network also forecasts a Laplace scale per output, fitted by its negative log-likelihood. */
    public boolean distributionHead() {
        return "laplace".equalsIgnoreCase(loss);
    }

    /** The same settings with other training triggers (the demo trains sooner; replay by count only). */
    public TrainingSettings withTriggers(int samples, double seconds) {
        return new TrainingSettings(enabled, samples, seconds, maxKeys, stepsPerKey, windowLength, tbpttLength,
                batchSize, epochs, optimizer, learningRate, clipThreshold, tolerance, seed, intakeCapacity, cpuShare, loss,
                windowStride, heldOutEvery, patience, retrainShare, sampleBudget, engine);
    }
}
