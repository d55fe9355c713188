package io.sensorcast.forecast;

import io.sensorcast.config.FeatureSettings;

/**
 * Builds the cell's input vector for one event: normalised channel values, the log of the gap since the
 * previous event relative to the sensor's cadence (sensors are irregular), and optional time-of-day and
 * day-of-week encodings of the event's UTC timestamp as sin/cos pairs (so 23:59 sits next to 00:00).
 */
public final class FeatureEncoder {

    private static final double DAY_MS = 86_400_000.0;
    private static final double TWO_PI = 2 * Math.PI;
    /** Gap features are clipped to e^±5 times the cadence: beyond that, a gap is simply "long". */
    private static final double GAP_CLIP = 5.0;

    private final FeatureSettings settings;
    private final int channels;

    public FeatureEncoder(FeatureSettings settings, int channels) {
        this.settings = settings;
        this.channels = channels;
    }

    /** Width of what {@link #encode} writes: the inputs before the seasonal context. */
    public int inputSize() {
        return settings.baseInputSize(channels);
    }

    /**
     * Writes the input vector into {@code out}.
     *
     * @param normalised  normalised channel values
     * @param gapMs       time since the key's previous event, or -1 for its first event
     * @param cadenceMs   the key's cadence before this event, 0 if unknown
     * @param timestampMs the event's timestamp
     */
    public void encode(double[] normalised, long gapMs, double cadenceMs, long timestampMs, float[] out) {
        int i = 0;
        for (int ch = 0; ch < channels; ch++) {
            out[i++] = (float) normalised[ch];
        }
        out[i++] = (float) gapFeature(gapMs, cadenceMs);
        if (settings.timeOfDay()) {
            double phase = TWO_PI * (Math.floorMod(timestampMs, (long) DAY_MS) / DAY_MS);
            out[i++] = (float) Math.sin(phase);
            out[i++] = (float) Math.cos(phase);
        }
        if (settings.dayOfWeek()) {
            // Epoch day 0 was a Thursday: shift so Monday 00:00 UTC has phase 0.
            double days = Math.floorDiv(timestampMs, (long) DAY_MS) + 3
                    + Math.floorMod(timestampMs, (long) DAY_MS) / DAY_MS;
            double phase = TWO_PI * (((days % 7) + 7) % 7) / 7.0;
            out[i++] = (float) Math.sin(phase);
            out[i++] = (float) Math.cos(phase);
        }
    }

    static double gapFeature(long gapMs, double cadenceMs) {
        if (gapMs < 0 || cadenceMs <= 0) {
            return 0.0;
        }
        double ratio = Math.max(gapMs, 1) / cadenceMs;
        return Math.max(-GAP_CLIP, Math.min(GAP_CLIP, Math.log(ratio)));
    }
}
