package io.sensorcast.state;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The versioned binary form of a {@link SensorState}, as kept in the state store and its changelog.
 * Stateless and thread-safe.
 *
 * <p>Format version 6, big-endian:
 * <table>
 *   <caption>Layout of format version 6</caption>
 *   <tr><th>Bytes</th><th>Type</th><th>Field</th></tr>
 *   <tr><td>1</td><td>u8</td><td>format version, 6</td></tr>
 *   <tr><td>8</td><td>i64</td><td>modelVersion</td></tr>
 *   <tr><td>8</td><td>i64</td><td>step</td></tr>
 *   <tr><td>8</td><td>i64</td><td>lastTimestampMs</td></tr>
 *   <tr><td>8</td><td>f64</td><td>cadenceMs</td></tr>
 *   <tr><td>4</td><td>i32</td><td>C, channel count</td></tr>
 *   <tr><td>24 C</td><td>f64, f64, f64</td><td>per channel: mean, variance, last value</td></tr>
 *   <tr><td>4</td><td>i32</td><td>L, layer count</td></tr>
 *   <tr><td>1</td><td>u8</td><td>K, 1 when layers carry a cell state, else 0</td></tr>
 *   <tr><td>4</td><td>i32</td><td>per layer: H</td></tr>
 *   <tr><td>4 H</td><td>f32[H]</td><td>per layer: h</td></tr>
 *   <tr><td>4 H K</td><td>f32[H]</td><td>per layer: c, only when K = 1</td></tr>
 *   <tr><td>4</td><td>i32</td><td>F, forecast length</td></tr>
 *   <tr><td>4 F</td><td>f32[F]</td><td>lastForecast</td></tr>
 *   <tr><td>4</td><td>i32</td><td>K, horizon (F / C)</td></tr>
 *   <tr><td>8 K C</td><td>f64[K C]</td><td>recentValues</td></tr>
 *   <tr><td>4 K F</td><td>f32[K F]</td><td>recentChanges</td></tr>
 *   <tr><td>16 F</td><td>f64[2 F]</td><td>calibration sums</td></tr>
 *   <tr><td>4 K F</td><td>f32[K F]</td><td>recentPoints</td></tr>
 *   <tr><td>4 K F</td><td>f32[K F]</td><td>recentSpreads</td></tr>
 *   <tr><td>16 F</td><td>f64[2 F]</td><td>errorSpread sums</td></tr>
 *   <tr><td>8 F</td><td>f64[F]</td><td>intervalLog</td></tr>
 *   <tr><td>40</td><td>f64[5]</td><td>surprise memory</td></tr>
 *   <tr><td>1</td><td>u8</td><td>1 while an anomaly is active, else 0</td></tr>
 *   <tr><td>32 C</td><td>f64[4 C]</td><td>per channel: level mean, mean absolute deviation, high, low</td></tr>
 *   <tr><td>8 F</td><td>f64[F]</td><td>persistenceSpread sums</td></tr>
 *   <tr><td>8</td><td>f64</td><td>anomaly peak: the recent highest score, decaying</td></tr>
 *   <tr><td>4</td><td>i32</td><td>D, replay input size</td></tr>
 *   <tr><td>4</td><td>i32</td><td>R, replay capacity</td></tr>
 *   <tr><td>4</td><td>i32</td><td>N, valid replay vectors (at most R)</td></tr>
 *   <tr><td>4 N D</td><td>f32[N D]</td><td>the N valid vectors, oldest first</td></tr>
 *   <tr><td>4</td><td>i32</td><td>S, seasons</td></tr>
 *   <tr><td>4</td><td>i32</td><td>per season: B, buckets</td></tr>
 *   <tr><td>8</td><td>i64</td><td>per season: open bucket</td></tr>
 *   <tr><td>4</td><td>i32</td><td>per season: values summed in the open bucket</td></tr>
 *   <tr><td>8 C</td><td>f64[C]</td><td>per season: the open bucket's sums</td></tr>
 *   <tr><td>4 C B</td><td>f32[C B]</td><td>per season: the profile, channel-major</td></tr>
 * </table>
 * Total: {@code 62 + 24 C + sum over layers of (4 + 4 H (1 + K)) + 4 F + 4 + 8 K C + 4 K F + 16 F
 * + 8 K F + 24 F + 41 + 32 C + 8 F + 8 + 4 N D + sum over seasons of (16 + 8 C + 4 C B)} bytes. Formats 1 to 5 are
 * still read. Format 5 lacks the anomaly peak: such a sensor's next surprise is not discounted. Format 4 lacks the level memory and the persistence error sums: such a sensor learns its range and
 * its skill against persistence afresh. Format 3 lacks the distribution block (from recentPoints to the anomaly flag): such a sensor keeps everything
 * else and learns its error spread, interval scale and surprise history afresh. Format 2 also lacks the
 * calibration block: such a sensor keeps everything else and calibrates afresh (its network changes are served
 * unscaled until enough outcomes were seen). Format 1 also lacks the seasons and has Welford's M2 where the
 * variance is: its states have no profiles, so they no longer fit a pipeline with seasons and the sensor
 * starts afresh.
 *
 * <p>Only the valid replay vectors are written, so a fresh key costs no ring space; decoding lays
 * them out from slot 0, which puts the ring head at {@code N mod R}. Statistics stay doubles because
 * Welford sums lose precision in float over long runs; network state is float like the weights.
 */
public final class SensorStateCodec {

    /** The format version this codec writes; it also reads formats 1 to 5. */
    public static final int VERSION = 6;
    private static final int VERSION_1 = 1;
    /** The first format with the calibration block. */
    private static final int CALIBRATION_SINCE = 3;
    /** The first format with the distribution block. */
    private static final int DISTRIBUTION_SINCE = 4;
    /** The first format with the anomaly score's level memory. */
    private static final int LEVEL_SINCE = 5;
    /** The first format with the anomaly peak. */
    private static final int PEAK_SINCE = 6;

    private static final int SCALARS_BYTES = 4 * Long.BYTES;
    /** Fixed part of the encoding: every field except the per-channel, per-layer and array data. */
    private static final int FIXED_BYTES = 1 + SCALARS_BYTES + 4 + 4 + 1 + 4 + 3 * 4;
    /**
     * Upper bound on the decoded replay ring. The ring's full size is not backed by stored bytes, so
     * without a bound a corrupt capacity could demand gigabytes; real rings are a few thousand floats.
     */
    private static final long MAX_REPLAY_FLOATS = 1L << 24;
    /** Upper bound on decoded seasons; the configuration allows four. */
    private static final int MAX_SEASONS = 64;

    /** Encodes {@code state} into a new array of exactly the layout's size. */
    public byte[] encode(SensorState state) {
        Objects.requireNonNull(state, "state");
        checkEncodable(state);
        boolean cell = state.c != null;
        ByteBuffer buf = ByteBuffer.allocate(encodedSize(state));
        buf.put((byte) VERSION);
        buf.putLong(state.modelVersion);
        buf.putLong(state.step);
        buf.putLong(state.lastTimestampMs);
        buf.putDouble(state.cadenceMs);
        buf.putInt(state.channels());
        for (int ch = 0; ch < state.channels(); ch++) {
            buf.putDouble(state.mean[ch]);
            buf.putDouble(state.variance[ch]);
            buf.putDouble(state.lastValues[ch]);
        }
        buf.putInt(state.layers());
        buf.put((byte) (cell ? 1 : 0));
        for (int l = 0; l < state.layers(); l++) {
            buf.putInt(state.h[l].length);
            putFloats(buf, state.h[l], 0, state.h[l].length);
            if (cell) {
                putFloats(buf, state.c[l], 0, state.c[l].length);
            }
        }
        buf.putInt(state.lastForecast.length);
        putFloats(buf, state.lastForecast, 0, state.lastForecast.length);
        buf.putInt(state.horizon());
        for (double v : state.recentValues) {
            buf.putDouble(v);
        }
        putFloats(buf, state.recentChanges, 0, state.recentChanges.length);
        for (double v : state.calibration) {
            buf.putDouble(v);
        }
        putFloats(buf, state.recentPoints, 0, state.recentPoints.length);
        putFloats(buf, state.recentSpreads, 0, state.recentSpreads.length);
        putDoubles(buf, state.errorSpread);
        putDoubles(buf, state.intervalLog);
        putDoubles(buf, state.surprise);
        buf.put((byte) (state.anomalyActive ? 1 : 0));
        putDoubles(buf, state.level);
        putDoubles(buf, state.persistenceSpread);
        buf.putDouble(state.anomalyPeak);
        buf.putInt(state.inputSize);
        buf.putInt(state.replayCapacity);
        buf.putInt(state.replayCount);
        putReplayOldestFirst(buf, state);
        buf.putInt(state.profiles.length);
        for (int s = 0; s < state.profiles.length; s++) {
            buf.putInt(state.profileBuckets(s));
            buf.putLong(state.openBuckets[s]);
            buf.putInt(state.openCounts[s]);
            for (double sum : state.openSums[s]) {
                buf.putDouble(sum);
            }
            putFloats(buf, state.profiles[s], 0, state.profiles[s].length);
        }
        return buf.array();
    }

    /**
     * The event time of the last accepted event of an encoded state, read without decoding the rest: every format
     * starts with the version, the model version, the step and this time.
     *
     * @throws StateFormatException when the bytes are too short or of an unknown version
     */
    public static long lastTimestampMs(byte[] bytes) {
        if (bytes.length < 1 + 3 * Long.BYTES || bytes[0] < VERSION_1 || bytes[0] > VERSION) {
            throw new StateFormatException("not a sensor state of format 1 to " + VERSION + " (" + bytes.length
                    + " bytes, version " + (bytes.length == 0 ? "none" : bytes[0]) + ")");
        }
        return ByteBuffer.wrap(bytes, 1 + 2 * Long.BYTES, Long.BYTES).getLong();
    }

    /**
     * Decodes bytes written by {@link #encode}.
     *
     * @throws StateFormatException when the version is unknown or the bytes are truncated or inconsistent
     */
    public SensorState decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        // Validate the whole structure first so the fill pass below can read without checks and a
        // corrupt buffer never yields a half-filled state.
        Shape shape = scan(buf);
        SensorState state = new SensorState(shape.channels, shape.hiddenSizes, shape.cellState,
                shape.forecastSize, shape.inputSize, shape.capacity, shape.profileBuckets);
        buf.position(1);
        state.modelVersion = buf.getLong();
        state.step = buf.getLong();
        state.lastTimestampMs = buf.getLong();
        state.cadenceMs = buf.getDouble();
        buf.getInt();
        for (int ch = 0; ch < shape.channels; ch++) {
            state.mean[ch] = buf.getDouble();
            double spread = buf.getDouble();
            // Format 1 kept Welford's sum of squared deviations; the population variance is M2 / n.
            state.variance[ch] = shape.version == VERSION_1 ? spread / Math.max(1, state.step) : spread;
            state.lastValues[ch] = buf.getDouble();
        }
        buf.getInt();
        buf.get();
        for (int l = 0; l < shape.hiddenSizes.length; l++) {
            buf.getInt();
            getFloats(buf, state.h[l], shape.hiddenSizes[l]);
            if (shape.cellState) {
                getFloats(buf, state.c[l], shape.hiddenSizes[l]);
            }
        }
        buf.getInt();
        getFloats(buf, state.lastForecast, shape.forecastSize);
        if (shape.version >= CALIBRATION_SINCE) {
            buf.getInt();
            for (int i = 0; i < state.recentValues.length; i++) {
                state.recentValues[i] = buf.getDouble();
            }
            getFloats(buf, state.recentChanges, state.recentChanges.length);
            for (int i = 0; i < state.calibration.length; i++) {
                state.calibration[i] = buf.getDouble();
            }
        }
        if (shape.version >= DISTRIBUTION_SINCE) {
            getFloats(buf, state.recentPoints, state.recentPoints.length);
            getFloats(buf, state.recentSpreads, state.recentSpreads.length);
            getDoubles(buf, state.errorSpread);
            getDoubles(buf, state.intervalLog);
            getDoubles(buf, state.surprise);
            state.anomalyActive = buf.get() == 1;
        }
        if (shape.version >= LEVEL_SINCE) {
            getDoubles(buf, state.level);
            getDoubles(buf, state.persistenceSpread);
        }
        if (shape.version >= PEAK_SINCE) {
            state.anomalyPeak = buf.getDouble();
        }
        buf.position(buf.position() + 3 * Integer.BYTES);
        getFloats(buf, state.replay, shape.count * shape.inputSize);
        state.replayCount = shape.count;
        state.replayHead = shape.capacity == 0 ? 0 : shape.count % shape.capacity;
        if (shape.version != VERSION_1) {
            buf.getInt();
            for (int s = 0; s < shape.profileBuckets.length; s++) {
                buf.getInt();
                state.openBuckets[s] = buf.getLong();
                state.openCounts[s] = buf.getInt();
                for (int ch = 0; ch < shape.channels; ch++) {
                    state.openSums[s][ch] = buf.getDouble();
                }
                getFloats(buf, state.profiles[s], state.profiles[s].length);
            }
        }
        return state;
    }

    private static void checkEncodable(SensorState state) {
        if (state.variance.length != state.mean.length) {
            throw new IllegalArgumentException("state has " + state.mean.length + " means but "
                    + state.variance.length + " variances");
        }
        for (int l = 0; l < state.layers(); l++) {
            if (state.c != null && state.c[l].length != state.h[l].length) {
                throw new IllegalArgumentException("layer " + l + " has h of " + state.h[l].length
                        + " but c of " + state.c[l].length);
            }
        }
        if (state.replayCount < 0 || state.replayCount > state.replayCapacity
                || state.replayHead < 0 || state.replayHead >= Math.max(1, state.replayCapacity)) {
            throw new IllegalArgumentException("replay ring is inconsistent: count " + state.replayCount
                    + ", head " + state.replayHead + ", capacity " + state.replayCapacity);
        }
    }

    private static int encodedSize(SensorState state) {
        long size = FIXED_BYTES + 24L * state.channels() + 4L * state.lastForecast.length
                + 4L * state.replayCount * state.inputSize + calibrationBytes(state.channels(), state.lastForecast.length)
                + distributionBytes(state.channels(), state.lastForecast.length)
                + 8L * SensorState.LEVEL_SLOTS * state.channels() + 8L * state.lastForecast.length + Double.BYTES;
        size += 4;
        for (float[] profile : state.profiles) {
            size += 16 + 8L * state.channels() + 4L * profile.length;
        }
        int perHidden = state.c == null ? 1 : 2;
        for (float[] layer : state.h) {
            size += 4 + 4L * layer.length * perHidden;
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("state is too large to encode: " + size + " bytes");
        }
        return (int) size;
    }

    /** Bytes of the calibration block: K, the recent values, the recent changes and the sums. */
    private static long calibrationBytes(int channels, int forecastSize) {
        long horizon = channels == 0 ? 0 : forecastSize / channels;
        return 4 + 8 * horizon * channels + 4 * horizon * forecastSize + 16L * forecastSize;
    }

    /** Bytes of the distribution block: recent points and spreads, error spread, interval scale, surprise, flag. */
    private static long distributionBytes(int channels, int forecastSize) {
        long horizon = channels == 0 ? 0 : forecastSize / channels;
        return 8 * horizon * forecastSize + 24L * forecastSize + 8L * SensorState.SURPRISE_SLOTS + 1;
    }

    private static void putDoubles(ByteBuffer buf, double[] values) {
        for (double v : values) {
            buf.putDouble(v);
        }
    }

    private static void getDoubles(ByteBuffer buf, double[] into) {
        for (int i = 0; i < into.length; i++) {
            into[i] = buf.getDouble();
        }
    }

    private static void putReplayOldestFirst(ByteBuffer buf, SensorState state) {
        int count = state.replayCount;
        if (count == 0) {
            return;
        }
        int capacity = state.replayCapacity;
        int oldest = Math.floorMod(state.replayHead - count, capacity);
        // The valid vectors are at most two contiguous runs: oldest..end of ring, then 0..head.
        int firstRun = Math.min(count, capacity - oldest);
        putFloats(buf, state.replay, oldest * state.inputSize, firstRun * state.inputSize);
        putFloats(buf, state.replay, 0, (count - firstRun) * state.inputSize);
    }

    private static void putFloats(ByteBuffer buf, float[] values, int offset, int length) {
        buf.asFloatBuffer().put(values, offset, length);
        buf.position(buf.position() + length * Float.BYTES);
    }

    private static void getFloats(ByteBuffer buf, float[] into, int length) {
        buf.asFloatBuffer().get(into, 0, length);
        buf.position(buf.position() + length * Float.BYTES);
    }

    /** The dimensions read from an encoding; the scan has checked the bytes hold all of it. */
    private record Shape(int version, int channels, int[] hiddenSizes, boolean cellState, int forecastSize,
                         int inputSize, int capacity, int count, int[] profileBuckets) {
    }

    private static Shape scan(ByteBuffer buf) {
        if (!buf.hasRemaining()) {
            throw new StateFormatException("state is empty: it has no format version byte");
        }
        int version = Byte.toUnsignedInt(buf.get());
        if (version < VERSION_1 || version > VERSION) {
            throw new StateFormatException("unsupported state format version " + version
                    + " (this build reads versions " + VERSION_1 + " to " + VERSION + ")");
        }
        skip(buf, SCALARS_BYTES, "model version, step, last timestamp and cadence");
        int channels = readCount(buf, "channel count");
        skip(buf, 24L * channels, "statistics of %d channels", channels);
        int layers = readCount(buf, "layer count");
        need(buf, 1, "cell state flag");
        int flag = buf.get();
        if (flag != 0 && flag != 1) {
            throw new StateFormatException("state is corrupt: cell state flag is " + flag + ", expected 0 or 1");
        }
        boolean cellState = flag == 1;
        need(buf, 4L * layers, "%d layer sizes", layers, 0);
        int[] hiddenSizes = new int[layers];
        for (int l = 0; l < layers; l++) {
            hiddenSizes[l] = readCount(buf, "hidden size of layer %d", l);
            skip(buf, 4L * hiddenSizes[l] * (cellState ? 2 : 1), "recurrent state of layer %d", l);
        }
        int forecastSize = readCount(buf, "forecast length");
        skip(buf, 4L * forecastSize, "forecast of %d values", forecastSize);
        if (version >= CALIBRATION_SINCE) {
            int horizon = readCount(buf, "horizon");
            long expected = channels == 0 ? 0 : forecastSize / channels;
            if (horizon != expected) {
                throw new StateFormatException("state is corrupt: horizon " + horizon + " does not match a forecast of "
                        + forecastSize + " values over " + channels + " channels");
            }
            skip(buf, calibrationBytes(channels, forecastSize) - 4, "calibration of %d forecast values", forecastSize);
        }
        if (version >= DISTRIBUTION_SINCE) {
            skip(buf, distributionBytes(channels, forecastSize) - 1, "distribution of %d forecast values", forecastSize);
            need(buf, 1, "anomaly flag");
            int active = buf.get();
            if (active != 0 && active != 1) {
                throw new StateFormatException("state is corrupt: anomaly flag is " + active + ", expected 0 or 1");
            }
        }
        if (version >= LEVEL_SINCE) {
            skip(buf, 8L * SensorState.LEVEL_SLOTS * channels + 8L * forecastSize,
                    "level memory of %d channels and persistence errors of %d outputs", channels, forecastSize);
        }
        if (version >= PEAK_SINCE) {
            skip(buf, Double.BYTES, "anomaly peak");
        }
        int inputSize = readCount(buf, "replay input size");
        int capacity = readCount(buf, "replay capacity");
        int count = readCount(buf, "replay count");
        if (count > capacity) {
            throw new StateFormatException("state is corrupt: replay count " + count
                    + " exceeds replay capacity " + capacity);
        }
        if ((long) capacity * inputSize > MAX_REPLAY_FLOATS) {
            throw new StateFormatException("state is corrupt: replay ring of " + capacity + " x " + inputSize
                    + " floats exceeds the limit of " + MAX_REPLAY_FLOATS);
        }
        skip(buf, 4L * count * inputSize, "replay of %d vectors", count);
        int[] profileBuckets = new int[0];
        if (version != VERSION_1) {
            int seasons = readCount(buf, "season count");
            if (seasons > MAX_SEASONS) {
                throw new StateFormatException("state is corrupt: " + seasons + " seasons exceed the limit of "
                        + MAX_SEASONS);
            }
            profileBuckets = new int[seasons];
            for (int s = 0; s < seasons; s++) {
                profileBuckets[s] = readCount(buf, "buckets of season %d", s);
                skip(buf, 12L + 8L * channels + 4L * channels * profileBuckets[s], "profile of season %d", s);
            }
        }
        if (buf.hasRemaining()) {
            throw new StateFormatException("state is corrupt: " + buf.remaining()
                    + " unexpected bytes after the last field at offset " + buf.position());
        }
        return new Shape(version, channels, hiddenSizes, cellState, forecastSize, inputSize, capacity, count,
                profileBuckets);
    }

    private static int readCount(ByteBuffer buf, String what) {
        return readCount(buf, what, 0);
    }

    /*
     * The field descriptions are format templates filled in only when a check fails: decode runs on every event,
     * and building each message up front cost about ten string concatenations per state read.
     */
    private static int readCount(ByteBuffer buf, String what, long n) {
        need(buf, Integer.BYTES, what, n, 0);
        int position = buf.position();
        int value = buf.getInt();
        if (value < 0) {
            throw new StateFormatException("state is corrupt: " + String.format(what, n) + " is " + value
                    + " at offset " + position);
        }
        return value;
    }

    private static void skip(ByteBuffer buf, long bytes, String what) {
        skip(buf, bytes, what, 0, 0);
    }

    private static void skip(ByteBuffer buf, long bytes, String what, long n) {
        skip(buf, bytes, what, n, 0);
    }

    private static void skip(ByteBuffer buf, long bytes, String what, long n, long m) {
        need(buf, bytes, what, n, m);
        buf.position(buf.position() + (int) bytes);
    }

    private static void need(ByteBuffer buf, long bytes, String what) {
        need(buf, bytes, what, 0, 0);
    }

    /** Fails unless {@code bytes} remain; {@code what} is a template for {@code n} and {@code m}. */
    private static void need(ByteBuffer buf, long bytes, String what, long n, long m) {
        if (bytes > buf.remaining()) {
            throw new StateFormatException("state is truncated: " + String.format(what, n, m) + " needs " + bytes
                    + " bytes at offset " + buf.position() + " but only " + buf.remaining() + " remain");
        }
    }
}
