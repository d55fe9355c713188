package io.sensorcast.forecast;

import io.sensorcast.state.SensorState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SeasonalContextTest {

    /** Midnight UTC, so buckets of a day start on the half hour of the day. */
    private static final long MIDNIGHT = 1_763_769_600_000L;
    private static final long FIVE_MIN = 300_000L;
    private static final long HALF_HOUR = 1_800_000L;
    private static final long DAY = 86_400_000L;

    private static SensorState stateFor(SeasonalContext context, int channels) {
        return new SensorState(channels, new int[] {2}, false, 1, 1, 0, context.buckets());
    }

    private static double daily(long ts, int day) {
        // A daily sine whose level also moves from day to day, so an average over days is told from the last day.
        return 10 + 2 * day + 3 * Math.sin(2 * Math.PI * Math.floorMod(ts, DAY) / DAY);
    }

    @Test
    void bucketsAreHalfHoursOfTheSeasonUpToAWeekInHours() {
        assertThat(SeasonalContext.bucketsFor(Duration.ofDays(1))).isEqualTo(48);
        assertThat(SeasonalContext.bucketsFor(Duration.ofDays(7))).isEqualTo(168);
        assertThat(SeasonalContext.bucketsFor(Duration.ofDays(30))).isEqualTo(SeasonalContext.MAX_BUCKETS);
        assertThat(SeasonalContext.bucketsFor(Duration.ofHours(1))).isEqualTo(2);
        assertThat(SeasonalContext.bucketsFor(Duration.ofMinutes(10))).isEqualTo(1);
        SeasonalContext context = new SeasonalContext(List.of(Duration.ofDays(1), Duration.ofDays(7)), 0.5);
        assertThat(context.buckets()).containsExactly(48, 168);
        // Per season: K * C residuals and one missing flag.
        assertThat(context.inputSize(5, 2)).isEqualTo(2 * (5 * 2 + 1));
    }

    @Test
    void afterTwoDaysTheDailyLookupOneDayLaterIsThePreviousDaysBucketMean() {
        SeasonalContext context = new SeasonalContext(List.of(Duration.ofDays(1)), 1.0);
        SensorState state = stateFor(context, 1);
        double[][] bucketMeans = new double[2][48];
        for (int i = 0; i < 2 * 288; i++) {
            long ts = MIDNIGHT + i * FIVE_MIN;
            int day = i / 288;
            double v = daily(ts, day);
            bucketMeans[day][(i % 288) / 6] += v / 6;
            context.update(state, ts, new double[] {v});
        }
        // Weight 1: each bucket holds exactly the last cycle's visit; the last bucket of day 1 is still open.
        for (int b = 0; b < 47; b++) {
            long tomorrow = MIDNIGHT + 2 * DAY + b * HALF_HOUR + 7 * 60_000L;
            assertThat(context.lookup(state, 0, 0, tomorrow)).as("bucket %d", b)
                    .isCloseTo(bucketMeans[1][b], within(1e-5));
            assertThat(bucketMeans[1][b] - bucketMeans[0][b]).isEqualTo(2.0, within(1e-9));
        }
        assertThat(context.lookup(state, 0, 0, MIDNIGHT + 2 * DAY + 47 * HALF_HOUR))
                .as("open bucket 47 is not visible: the lookup holds day 0's value")
                .isCloseTo(bucketMeans[0][47], within(1e-5));
    }

    @Test
    void earlierCyclesAreExponentiallyWeighted() {
        SeasonalContext context = new SeasonalContext(List.of(Duration.ofDays(1)), 0.25);
        SensorState state = stateFor(context, 1);
        for (int i = 0; i < 3 * 288 + 1; i++) {
            long ts = MIDNIGHT + i * FIVE_MIN;
            context.update(state, ts, new double[] {daily(ts, i / 288)});
        }
        // Bucket 0 (the first six readings of each day) has seen days 0, 1 and 2; the sine contributes the
        // same mean every day, so only the level differs: 0 -> +0.25 * 2 -> +0.25 * (4 - 0.5).
        double sineMean = 0;
        for (int j = 0; j < 6; j++) {
            sineMean += 3 * Math.sin(2 * Math.PI * j * FIVE_MIN / DAY) / 6;
        }
        double expected = 10 + sineMean + 0.5 + 0.25 * (4 - 0.5);
        assertThat(context.lookup(state, 0, 0, MIDNIGHT + 5 * DAY)).isCloseTo(expected, within(1e-5));
    }

    @Test
    void aYoungSensorsLookupNeverFallsBackToBucketsFilledThisCycle() {
        SeasonalContext context = new SeasonalContext(List.of(Duration.ofDays(1)), 0.5);
        SensorState state = stateFor(context, 1);
        // An hour of readings: buckets 0 and 1 close, bucket 2 is open.
        for (long t = MIDNIGHT; t <= MIDNIGHT + 2 * HALF_HOUR; t += 5 * 60_000L) {
            context.update(state, t, new double[] {7});
        }
        long now = MIDNIGHT + 2 * HALF_HOUR;
        // Seen from now, the target half an hour ahead has no value one day earlier: the sensor is too young.
        assertThat(context.lookup(state, 0, 0, now, now + HALF_HOUR)).isNaN();
        float[] out = new float[context.inputSize(1, 1)];
        context.encode(state, now, HALF_HOUR, 1, new double[] {7}, new double[] {1}, out, 0);
        assertThat(out[1]).as("missing flag").isEqualTo(1f);
        // A day later the same buckets are a cycle old and serve, also through the fallback.
        assertThat(context.lookup(state, 0, 0, now + DAY - 2 * HALF_HOUR, now + DAY - HALF_HOUR)).isEqualTo(7.0);
        assertThat(context.lookup(state, 0, 0, now + DAY - HALF_HOUR, now + DAY)).isEqualTo(7.0);
    }

    @Test
    void theOpenBucketIsInvisibleUntilALaterBucketStarts() {
        SeasonalContext context = new SeasonalContext(List.of(Duration.ofDays(1)), 0.5);
        SensorState state = stateFor(context, 1);
        context.update(state, MIDNIGHT, new double[] {1});
        context.update(state, MIDNIGHT + 10 * 60_000L, new double[] {2});
        context.update(state, MIDNIGHT + 20 * 60_000L, new double[] {6});

        assertThat(context.lookup(state, 0, 0, MIDNIGHT + DAY)).isNaN();
        assertThat(state.openCounts[0]).isEqualTo(3);
        assertThat(state.openSums[0][0]).isEqualTo(9.0);

        context.update(state, MIDNIGHT + HALF_HOUR, new double[] {100});

        assertThat(context.lookup(state, 0, 0, MIDNIGHT + DAY)).isEqualTo(3.0);
        // Bucket 1 is open now: its lookup falls back to bucket 0, not to the 100 being summed.
        assertThat(context.lookup(state, 0, 0, MIDNIGHT + DAY + HALF_HOUR)).isEqualTo(3.0);
        assertThat(state.openCounts[0]).isEqualTo(1);
        assertThat(state.openSums[0][0]).isEqualTo(100.0);
    }

    @Test
    void anIrregularSeriesProfilesEachBucketAsTheMeanOfItsReadings() {
        SeasonalContext context = new SeasonalContext(List.of(Duration.ofDays(1)), 1.0);
        SensorState state = stateFor(context, 2);
        SplittableRandom random = new SplittableRandom(42);
        TreeMap<Long, double[]> sums = new TreeMap<>();
        long ts = MIDNIGHT + 1234;
        while (ts < MIDNIGHT + DAY - 2 * HALF_HOUR) {
            double[] v = {random.nextDouble(-5, 5), 1000 + random.nextDouble(-50, 50)};
            context.update(state, ts, v);
            double[] sum = sums.computeIfAbsent(Math.floorDiv(ts, HALF_HOUR), b -> new double[3]);
            sum[0] += v[0];
            sum[1] += v[1];
            sum[2]++;
            // Gaps from a second to 40 minutes: some buckets get many readings, some one, some none.
            ts += random.nextLong(1_000, 2_400_000);
        }
        long open = sums.lastKey();
        int checked = 0;
        for (var bucket : sums.headMap(open).entrySet()) {
            long at = bucket.getKey() * HALF_HOUR + DAY;
            double[] sum = bucket.getValue();
            assertThat(context.lookup(state, 0, 0, at)).isCloseTo(sum[0] / sum[2], within(1e-5));
            assertThat(context.lookup(state, 0, 1, at)).isCloseTo(sum[1] / sum[2], within(1e-3));
            checked++;
        }
        assertThat(checked).isGreaterThan(20);
        assertThat(sums.values().stream().filter(s -> s[2] > 1).count()).isGreaterThan(5);
        assertThat(sums.size()).as("some buckets were skipped").isLessThan(46);
    }

    @Test
    void aGapFallsBackAtMostTwoBucketsThenIsMissing() {
        SeasonalContext context = new SeasonalContext(List.of(Duration.ofDays(1)), 0.5);
        SensorState state = stateFor(context, 1);
        // Buckets 0..3 seen (values 0, 10, 20, 30), then nothing until bucket 10.
        for (int b = 0; b < 4; b++) {
            context.update(state, MIDNIGHT + b * HALF_HOUR + 60_000L, new double[] {10 * b});
        }
        context.update(state, MIDNIGHT + 10 * HALF_HOUR, new double[] {99});

        long nextDay = MIDNIGHT + DAY;
        assertThat(context.lookup(state, 0, 0, nextDay + 3 * HALF_HOUR)).isEqualTo(30.0);
        assertThat(context.lookup(state, 0, 0, nextDay + 4 * HALF_HOUR)).as("one bucket back").isEqualTo(30.0);
        assertThat(context.lookup(state, 0, 0, nextDay + 5 * HALF_HOUR)).as("two buckets back").isEqualTo(30.0);
        assertThat(context.lookup(state, 0, 0, nextDay + 6 * HALF_HOUR)).as("three buckets back").isNaN();
        assertThat(context.lookup(state, 0, 0, nextDay + 9 * HALF_HOUR)).isNaN();
        // Bucket 10 is still open: its own lookup and the two after it see nothing.
        assertThat(context.lookup(state, 0, 0, nextDay + 10 * HALF_HOUR)).isNaN();

        // Encoding in bucket 2 (profile 20) with a half-hour cadence: targets in buckets 3 (its own 30) and 4 (falls
        // back to bucket 3's 30): a change of 10, 5 standard deviations of 2.
        float[] out = new float[4];
        Arrays.fill(out, 77f);
        int end = context.encode(state, nextDay + 2 * HALF_HOUR + 60_000L, HALF_HOUR, 2, new double[] {26},
                new double[] {2}, out, 1);
        assertThat(end).isEqualTo(1 + context.inputSize(2, 1));
        assertThat(out).containsExactly(77f, 5f, 5f, 0f);

        // From bucket 4, never seen, there is no profile now to measure a change from (and its targets' fallback
        // may not reach bucket 3, which lies before now and may be this cycle's): missing.
        end = context.encode(state, nextDay + 4 * HALF_HOUR + 60_000L, HALF_HOUR, 1, new double[] {26},
                new double[] {2}, out, 0);
        assertThat(end).isEqualTo(2);
        assertThat(out[0]).isEqualTo(0f);
        assertThat(out[1]).isEqualTo(1f);
    }

    @Test
    void encodeWritesTheClippedProfileChangeFromNowToEachTargetPerChannelThenAMissingFlagPerSeason() {
        SeasonalContext context = new SeasonalContext(List.of(Duration.ofDays(1), Duration.ofDays(7)), 0.5);
        SensorState state = stateFor(context, 2);
        int buckets = 48;
        // Day profile: bucket 0 (now) -> 10, 0; bucket 1 -> channel 0: 14, channel 1: 1000; bucket 2 -> 6, -1000.
        // The current values (here 500 and 77) do not matter: the profile's own change from now to the target does.
        state.profiles[0][0] = 10f;
        state.profiles[0][buckets] = 0f;
        state.profiles[0][1] = 14f;
        state.profiles[0][buckets + 1] = 1000f;
        state.profiles[0][2] = 6f;
        state.profiles[0][buckets + 2] = -1000f;
        // The week profile is empty: every target is missing.
        float[] out = new float[1 + context.inputSize(2, 2)];
        Arrays.fill(out, 77f);

        int end = context.encode(state, MIDNIGHT, HALF_HOUR, 2, new double[] {500, 77}, new double[] {2, 1}, out, 1);

        assertThat(end).isEqualTo(out.length);
        assertThat(out).containsExactly(
                77f,
                // day: k=1 (ch0, ch1), k=2 (ch0, ch1), flag
                2f, (float) Normalisation.CLIP, -2f, (float) -Normalisation.CLIP, 0f,
                // week: nothing known, zeros and the flag
                0f, 0f, 0f, 0f, 1f);
    }
}
