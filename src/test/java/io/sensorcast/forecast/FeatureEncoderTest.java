package io.sensorcast.forecast;

import io.sensorcast.config.FeatureSettings;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FeatureEncoderTest {

    private final FeatureEncoder encoder = new FeatureEncoder(FeatureSettings.DEFAULTS, 2);

    private float[] encode(long gap, double cadence, String isoTime) {
        float[] out = new float[encoder.inputSize()];
        encoder.encode(new double[]{0.5, -1.25}, gap, cadence, Instant.parse(isoTime).toEpochMilli(), out);
        return out;
    }

    @Test
    void layoutIsChannelsThenGapThenTimeOfDayThenDayOfWeek() {
        assertThat(encoder.inputSize()).isEqualTo(2 + 1 + 2 + 2);
        float[] x = encode(60_000, 60_000, "2026-11-23T06:00:00Z");
        assertThat(x[0]).isEqualTo(0.5f);
        assertThat(x[1]).isEqualTo(-1.25f);
        assertThat(x[2]).isZero();
        // 06:00 is a quarter of the day: sin = 1, cos = 0.
        assertThat(x[3]).isCloseTo(1f, within(1e-6f));
        assertThat(x[4]).isCloseTo(0f, within(1e-6f));
    }

    @Test
    void gapFeatureIsZeroAtTheCadenceGrowsWithGapsAndIsClipped() {
        assertThat(FeatureEncoder.gapFeature(300_000, 300_000)).isZero();
        assertThat(FeatureEncoder.gapFeature(600_000, 300_000)).isCloseTo(Math.log(2), within(1e-12));
        assertThat(FeatureEncoder.gapFeature(Long.MAX_VALUE / 2, 1)).isEqualTo(5.0);
        assertThat(FeatureEncoder.gapFeature(1, 1e12)).isEqualTo(-5.0);
        assertThat(FeatureEncoder.gapFeature(-1, 300_000)).isZero();
        assertThat(FeatureEncoder.gapFeature(300_000, 0)).isZero();
    }

    @Test
    void timeOfDayEncodingIsContinuousAcrossMidnight() {
        float[] before = encode(1, 1, "2026-11-22T23:59:00Z");
        float[] after = encode(1, 1, "2026-11-23T00:01:00Z");
        assertThat(before[3]).isCloseTo(after[3], within(0.01f));
        assertThat(before[4]).isCloseTo(after[4], within(0.01f));
    }

    @Test
    void dayOfWeekEncodingStartsTheWeekOnMondayMidnightUtc() {
        float[] monday = encode(1, 1, "2026-11-23T00:00:00Z");
        assertThat(monday[5]).isCloseTo(0f, within(1e-6f));
        assertThat(monday[6]).isCloseTo(1f, within(1e-6f));
        float[] thursdayNoon = encode(1, 1, "2026-11-26T12:00:00Z");
        double phase = 2 * Math.PI * 3.5 / 7;
        assertThat((double) thursdayNoon[5]).isCloseTo(Math.sin(phase), within(1e-6));
    }

    @Test
    void disabledTimeFeaturesShrinkTheInput() {
        FeatureEncoder bare = new FeatureEncoder(new FeatureSettings(false, false, 60.0, java.util.List.of(), 0.5, 0.02), 1);
        assertThat(bare.inputSize()).isEqualTo(2);
    }
}
