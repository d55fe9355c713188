package io.sensorcast.state;

import java.util.Arrays;

/**
 * Everything the service remembers about one sensor between events: recurrent state of every layer,
 * per-channel normalisation statistics (exponentially weighted mean and variance), a seasonal profile per
 * configured season, timing, the last forecast, the network's recent forecast changes and how far they came true,
 * and a window of the most recent input vectors (replayed to rebuild the recurrent state after a model swap).
 *
 * <p>Mutable on purpose: it is the working copy of one key, owned by the single stream task that
 * holds the key's partition, read from the store, advanced and written back within one event.
 */
public final class SensorState {

    /** Length of {@link #surprise}. */
    public static final int SURPRISE_SLOTS = 5;
    /** Values per channel in {@link #level}. */
    public static final int LEVEL_SLOTS = 4;

    /** Model version the recurrent state was computed with. */
    public long modelVersion;
    /** Accepted events so far for this key. */
    public long step;
    /** Event time of the last accepted event, epoch ms; Long.MIN_VALUE before the first. */
    public long lastTimestampMs = Long.MIN_VALUE;
    /** Exponentially weighted mean gap between events in ms; 0 until two events were seen. */
    public double cadenceMs;
    /** Exponentially weighted mean per channel (the exact running mean while the sensor is young). */
    public final double[] mean;
    /** Exponentially weighted variance per channel, around {@link #mean}. */
    public final double[] variance;
    /**
     * Per season, per channel, a profile of the cycle: {@code profiles[s][ch * buckets + b]} is the
     * exponentially weighted mean of the raw values seen in bucket b of season s; NaN for a bucket never seen.
     */
    public final float[][] profiles;
    /**
     * Per season, the absolute bucket number ({@code timestamp / bucket width}) being filled now, or
     * Long.MIN_VALUE; its values are summed in {@link #openSums} and folded into the profile when the bucket
     * closes, so a profile only ever holds earlier cycles.
     */
    public final long[] openBuckets;
    /** Per season, per channel, the sum of this bucket visit's values. */
    public final double[][] openSums;
    /** Per season, how many values this bucket visit has summed. */
    public final int[] openCounts;
    /** The last accepted raw value per channel (the persistence forecast). */
    public final double[] lastValues;
    /** Hidden state per layer. */
    public final float[][] h;
    /** Cell state per layer; null for cells without one. */
    public final float[][] c;
    /** Last published forecast, denormalised, horizon-major (k * channels + ch); NaN before the first. */
    public final float[] lastForecast;
    /**
     * The network's forecast change (raw units, before calibration) made at each of the last K steps, for every
     * horizon and channel: slot {@code step mod K} holds {@code K * channels} values, horizon-major.
     */
    public final float[] recentChanges;
    /** The raw value per channel at each of the last K steps, slot {@code step mod K}. */
    public final double[] recentValues;
    /**
     * Per horizon and channel ({@code k * channels + ch}), exponentially weighted sums of forecast change times
     * realised change, then (from index K * channels) of forecast change squared: their ratio is the share of
     * the network's change that came true.
     */
    public final double[] calibration;
    /** The published point forecast at each of the last K steps, slot {@code step mod K}, horizon-major like recentChanges. */
    public final float[] recentPoints;
    /**
     * The scale of the forecast distribution (Laplace, raw units) published with each of {@link #recentPoints};
     * 0 where none was published.
     */
    public final float[] recentSpreads;
    /**
     * Per horizon and channel, exponentially weighted sums of the absolute error of the published point forecast,
     * then (from index K * channels) of the weights: their ratio is the learnt scale of the errors.
     */
    public final double[] errorSpread;
    /**
     * Per horizon and channel, exponentially weighted sums of persistence's absolute error (the value at forecast
     * time as the forecast), over the same outcomes and with the same weights as {@link #errorSpread}: their ratio
     * is the sensor's rolling skill against persistence.
     */
    public final double[] persistenceSpread;
    /**
     * Per horizon and channel, the log of the factor on the learnt scale that keeps the 80 % interval's coverage at
     * 80 %: raised after each miss, lowered after each hit.
     */
    public final double[] intervalLog;
    /**
     * The anomaly score's memory of surprise beyond the band: exponentially weighted count of such events and of
     * all events (their ratio: how often surprise leaves the band), then the sums of the excesses, of their squares
     * and their weight (the tail's shape and scale).
     */
    public final double[] surprise;
    /** True from a flagged event until the score falls below the threshold again: a flag marks an onset. */
    public boolean anomalyActive;
    /**
     * The highest anomaly score of the sensor's recent events, decaying with every scored event: later surprises
     * of the same incident are discounted by it (a refractory period), so one incident is not reported many times.
     */
    public double anomalyPeak;
    /**
     * The anomaly score's memory of the sensor's range, per channel ({@code ch * LEVEL_SLOTS}): the long-run mean,
     * mean absolute deviation, and the recent high and low, which relax towards the mean; NaN before the first
     * value.
     */
    public final double[] level;
    /** Ring of the last inputs, {@code replayCapacity} vectors of {@code inputSize}. */
    public float[] replay;
    public final int inputSize;
    /** Inputs the ring holds; changes only when the configured replay window does ({@link #resizeReplay}). */
    public int replayCapacity;
    /** Number of valid vectors in the ring (at most replayCapacity). */
    public int replayCount;
    /** Ring index where the next vector goes. */
    public int replayHead;

    /** A fresh state: zero recurrent state, no statistics, no forecast yet. */
    public SensorState(int channels, int[] hiddenSizes, boolean hasCellState, int forecastSize,
                       int inputSize, int replayCapacity, int[] profileBuckets) {
        this.mean = new double[channels];
        this.variance = new double[channels];
        this.profiles = new float[profileBuckets.length][];
        this.openBuckets = new long[profileBuckets.length];
        Arrays.fill(openBuckets, Long.MIN_VALUE);
        this.openSums = new double[profileBuckets.length][channels];
        this.openCounts = new int[profileBuckets.length];
        for (int s = 0; s < profileBuckets.length; s++) {
            profiles[s] = new float[channels * profileBuckets[s]];
            Arrays.fill(profiles[s], Float.NaN);
        }
        this.lastValues = new double[channels];
        this.h = new float[hiddenSizes.length][];
        this.c = hasCellState ? new float[hiddenSizes.length][] : null;
        for (int l = 0; l < hiddenSizes.length; l++) {
            h[l] = new float[hiddenSizes[l]];
            if (c != null) {
                c[l] = new float[hiddenSizes[l]];
            }
        }
        this.lastForecast = new float[forecastSize];
        Arrays.fill(lastForecast, Float.NaN);
        int horizon = channels == 0 ? 0 : forecastSize / channels;
        this.recentChanges = new float[horizon * forecastSize];
        this.recentValues = new double[horizon * channels];
        this.calibration = new double[2 * forecastSize];
        this.recentPoints = new float[horizon * forecastSize];
        this.recentSpreads = new float[horizon * forecastSize];
        // NaN: no distribution published in that slot yet, so no outcome is scored against it.
        Arrays.fill(recentSpreads, Float.NaN);
        this.errorSpread = new double[2 * forecastSize];
        this.persistenceSpread = new double[forecastSize];
        this.intervalLog = new double[forecastSize];
        this.surprise = new double[SURPRISE_SLOTS];
        this.level = new double[LEVEL_SLOTS * channels];
        Arrays.fill(level, Double.NaN);
        this.inputSize = inputSize;
        this.replayCapacity = replayCapacity;
        this.replay = new float[replayCapacity * inputSize];
    }

    public int channels() {
        return mean.length;
    }

    /** K, the forecast horizon. */
    public int horizon() {
        return mean.length == 0 ? 0 : lastForecast.length / mean.length;
    }

    public int layers() {
        return h.length;
    }

    public boolean hasForecast() {
        return step > 0 && !Float.isNaN(lastForecast[0]);
    }

    /** Standard deviation of channel {@code ch} (0 before the second event). */
    public double std(int ch) {
        return Math.sqrt(variance[ch]);
    }

    /** Buckets of season {@code s}'s profile. */
    public int profileBuckets(int s) {
        return profiles[s].length / mean.length;
    }

    /** Zeroes the recurrent state of every layer (statistics and history stay). */
    public void resetRecurrentState() {
        for (float[] layer : h) {
            Arrays.fill(layer, 0f);
        }
        if (c != null) {
            for (float[] layer : c) {
                Arrays.fill(layer, 0f);
            }
        }
    }

    /** Appends an input vector to the replay ring, dropping the oldest when full. */
    public void remember(float[] input) {
        if (replayCapacity == 0) {
            return;
        }
        System.arraycopy(input, 0, replay, replayHead * inputSize, inputSize);
        replayHead = (replayHead + 1) % replayCapacity;
        replayCount = Math.min(replayCount + 1, replayCapacity);
    }

    /**
     * Gives the ring room for {@code capacity} inputs, keeping the newest of those it holds, so a changed replay
     * window keeps the rest of what the sensor has learnt.
     */
    public void resizeReplay(int capacity) {
        if (capacity == replayCapacity) {
            return;
        }
        int kept = Math.min(replayCount, capacity);
        float[] resized = new float[capacity * inputSize];
        float[] one = new float[inputSize];
        for (int i = 0; i < kept; i++) {
            remembered(replayCount - kept + i, one);
            System.arraycopy(one, 0, resized, i * inputSize, inputSize);
        }
        replay = resized;
        replayCapacity = capacity;
        replayCount = kept;
        replayHead = capacity == 0 ? 0 : kept % capacity;
    }

    /** Copies the i-th remembered input, oldest first, into {@code out}. */
    public void remembered(int i, float[] out) {
        if (i < 0 || i >= replayCount) {
            throw new IndexOutOfBoundsException(i);
        }
        int slot = (replayHead - replayCount + i + replayCapacity) % replayCapacity;
        System.arraycopy(replay, slot * inputSize, out, 0, inputSize);
    }

    /** True when this state's shapes fit a network and pipeline of the given dimensions. */
    public boolean fits(int channels, int[] hiddenSizes, boolean hasCellState, int forecastSize, int inputSize,
                        int[] profileBuckets) {
        if (profiles.length != profileBuckets.length) {
            return false;
        }
        for (int s = 0; s < profileBuckets.length; s++) {
            if (profiles[s].length != channels * profileBuckets[s]) {
                return false;
            }
        }
        if (mean.length != channels || h.length != hiddenSizes.length || (c != null) != hasCellState
                || lastForecast.length != forecastSize || this.inputSize != inputSize) {
            return false;
        }
        for (int l = 0; l < hiddenSizes.length; l++) {
            if (h[l].length != hiddenSizes[l]) {
                return false;
            }
        }
        return true;
    }
}
