package io.sensorcast.forecast;

import io.sensorcast.state.SensorState;

import java.time.Duration;
import java.util.List;

/**
 * Gives the cell, for every forecast target and configured season, what the sensor did one season before
 * that target. Each sensor keeps, per season and channel, a profile of the cycle in buckets (half an hour
 * for a day, an hour for a week; at most {@value #MAX_BUCKETS}): the exponentially weighted mean over
 * earlier cycles of the values seen in that bucket. So the state per sensor is bounded whatever its
 * cadence, lives in the sensor's own state record (restarts and rebalances carry it), and a lookup is one
 * array read. Irregular sensors: a bucket never seen takes the nearest seen bucket up to
 * {@value #LOOKBACK_BUCKETS} buckets earlier; beyond that the value is missing and a flag says so.
 *
 * <p>Stateless apart from its settings; safe to share.
 */
public final class SeasonalContext {

    /** Most buckets a season's profile has: a week in hours. */
    public static final int MAX_BUCKETS = 168;
    /** How far back, in buckets, a lookup may fall back when its bucket was never seen. */
    static final int LOOKBACK_BUCKETS = 2;

    private final long[] seasonMs;
    private final long[] bucketMs;
    private final int[] buckets;
    private final double alpha;

    /**
     * @param seasons the seasons, e.g. one day and one week
     * @param alpha   weight of the newest cycle in each bucket's mean (1: the previous cycle only)
     */
    public SeasonalContext(List<Duration> seasons, double alpha) {
        this.seasonMs = new long[seasons.size()];
        this.bucketMs = new long[seasons.size()];
        this.buckets = new int[seasons.size()];
        for (int s = 0; s < seasons.size(); s++) {
            seasonMs[s] = seasons.get(s).toMillis();
            buckets[s] = bucketsFor(seasons.get(s));
            bucketMs[s] = seasonMs[s] / buckets[s];
        }
        this.alpha = alpha;
    }

    /** Buckets of a season's profile: half-hour buckets, at most {@value #MAX_BUCKETS}. */
    public static int bucketsFor(Duration season) {
        return (int) Math.max(1, Math.min(MAX_BUCKETS, season.toMinutes() / 30));
    }

    /** Buckets per season, the shape of a state's profiles. */
    public int[] buckets() {
        return buckets.clone();
    }

    public int seasons() {
        return buckets.length;
    }

    /** Input values this context adds for {@code horizon} targets and {@code channels} channels. */
    public int inputSize(int horizon, int channels) {
        return buckets.length * (horizon * channels + 1);
    }

    /**
     * Adds an accepted event's values to the open bucket of every season, first closing the open bucket
     * (folding its mean into the profile) when the event falls in a later one.
     */
    public void update(SensorState state, long timestampMs, double[] values) {
        int channels = values.length;
        roll(state, timestampMs);
        for (int s = 0; s < buckets.length; s++) {
            for (int ch = 0; ch < channels; ch++) {
                state.openSums[s][ch] += values[ch];
            }
            state.openCounts[s]++;
        }
    }

    /** Closes every season's open bucket that {@code timestampMs} has left, so the profile is current. */
    private void roll(SensorState state, long timestampMs) {
        for (int s = 0; s < buckets.length; s++) {
            long bucket = Math.floorDiv(timestampMs, bucketMs[s]);
            if (state.openBuckets[s] != bucket) {
                close(state, s);
                state.openBuckets[s] = bucket;
            }
        }
    }

    private void close(SensorState state, int s) {
        int count = state.openCounts[s];
        if (count > 0) {
            int b = index(s, state.openBuckets[s]);
            float[] profile = state.profiles[s];
            for (int ch = 0; ch < state.openSums[s].length; ch++) {
                double mean = state.openSums[s][ch] / count;
                int i = ch * buckets[s] + b;
                float old = profile[i];
                profile[i] = (float) (Float.isNaN(old) ? mean : old + alpha * (mean - old));
                state.openSums[s][ch] = 0;
            }
        }
        state.openCounts[s] = 0;
    }

    private int index(int s, long absoluteBucket) {
        return (int) Math.floorMod(absoluteBucket, (long) buckets[s]);
    }

    /** As {@link #lookup(SensorState, int, int, long, long)} from a cycle before the target: free fallback. */
    public double lookup(SensorState state, int s, int ch, long targetMs) {
        return lookup(state, s, ch, targetMs - seasonMs[s], targetMs);
    }

    /**
     * The profile's value for channel {@code ch} of season {@code s} at {@code targetMs}, as seen at
     * {@code nowMs}; NaN if unknown. Falling back to earlier buckets never reaches a bucket before the one
     * {@code nowMs} is in: those were filled in this cycle, minutes ago, not one season before the target.
     */
    public double lookup(SensorState state, int s, int ch, long nowMs, long targetMs) {
        long bucket = Math.floorDiv(targetMs, bucketMs[s]);
        long maxBack = Math.min(LOOKBACK_BUCKETS, bucket - Math.floorDiv(nowMs, bucketMs[s]));
        float[] profile = state.profiles[s];
        for (int back = 0; back <= maxBack; back++) {
            float v = profile[ch * buckets[s] + index(s, bucket - back)];
            if (!Float.isNaN(v)) {
                return v;
            }
        }
        return Double.NaN;
    }

    /**
     * Writes, per season, for each target k = 1..K and channel, how much the profile changes from now to the
     * target: (profile at the target time - profile at the current time) in the sensor's standard deviations
     * (clipped like the other inputs; 0 where either is unknown), then a flag that is 1 when any was unknown.
     * A difference of the profile with itself, not with the current value, so a level shift since the earlier
     * cycles does not read as a seasonal swing: forecast = value + this is seasonal persistence of the shape.
     *
     * @return the index after the last value written
     */
    public int encode(SensorState state, long timestampMs, long cadenceMs, int horizon, double[] current,
                      double[] std, float[] out, int offset) {
        int channels = current.length;
        roll(state, timestampMs);
        int i = offset;
        for (int s = 0; s < buckets.length; s++) {
            boolean missing = false;
            for (int ch = 0; ch < channels; ch++) {
                // The profile now is the same for every target: one lookup per season and channel.
                double now = lookup(state, s, ch, timestampMs, timestampMs);
                for (int k = 1; k <= horizon; k++) {
                    double then = lookup(state, s, ch, timestampMs, timestampMs + k * cadenceMs);
                    boolean unknown = Double.isNaN(then) || Double.isNaN(now);
                    missing |= unknown;
                    // Target-major layout, as the head's outputs: k * channels + ch.
                    out[i + (k - 1) * channels + ch] = unknown ? 0f : (float) Normalisation.clip((then - now) / std[ch]);
                }
            }
            i += horizon * channels;
            out[i++] = missing ? 1f : 0f;
        }
        return i;
    }
}
