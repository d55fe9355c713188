package io.sensorcast.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

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
 */
public record TrainingSettings(boolean enabled, int everySamples, double everySeconds, int maxKeys, int stepsPerKey,
                               int windowLength, int tbpttLength, int batchSize, int epochs, String optimizer,
                               double learningRate, double clipThreshold, double tolerance, long seed,
                               int intakeCapacity, double cpuShare) {

    /** Measured: BENCHMARKS.md, "Training's cost to serving". */
    public static final double DEFAULT_CPU_SHARE = 0.1;

    public static final TrainingSettings DEFAULTS = new TrainingSettings(null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null);

    @JsonCreator
    public TrainingSettings(@JsonProperty("enabled") Boolean enabled,
                            @JsonProperty("everySamples") Integer everySamples,
                            @JsonProperty("everySeconds") Double everySeconds,
                            @JsonProperty("maxKeys") Integer maxKeys,
                            @JsonProperty("stepsPerKey") Integer stepsPerKey,
                            @JsonProperty("windowLength") Integer windowLength,
                            @JsonProperty("tbpttLength") Integer tbpttLength,
                            @JsonProperty("batchSize") Integer batchSize,
                            @JsonProperty("epochs") Integer epochs,
                            @JsonProperty("optimizer") String optimizer,
                            @JsonProperty("learningRate") Double learningRate,
                            @JsonProperty("clipThreshold") Double clipThreshold,
                            @JsonProperty("tolerance") Double tolerance,
                            @JsonProperty("seed") Long seed,
                            @JsonProperty("intakeCapacity") Integer intakeCapacity,
                            @JsonProperty("cpuShare") Double cpuShare) {
        this(enabled == null || enabled, or(everySamples, 2000), or(everySeconds, 120.0), or(maxKeys, 256),
                or(stepsPerKey, 512), or(windowLength, 64), or(tbpttLength, 32), or(batchSize, 32), or(epochs, 2),
                optimizer == null ? "adam" : optimizer, or(learningRate, 1e-3), or(clipThreshold, 20.0),
                or(tolerance, 0.0), seed == null ? 42L : seed, or(intakeCapacity, 65_536),
                or(cpuShare, DEFAULT_CPU_SHARE));
    }

    /** The same settings with other training triggers (the demo trains sooner; replay by count only). */
    public TrainingSettings withTriggers(int samples, double seconds) {
        return new TrainingSettings(enabled, samples, seconds, maxKeys, stepsPerKey, windowLength, tbpttLength,
                batchSize, epochs, optimizer, learningRate, clipThreshold, tolerance, seed, intakeCapacity, cpuShare);
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static double or(Double value, double fallback) {
        return value == null ? fallback : value;
    }
}
