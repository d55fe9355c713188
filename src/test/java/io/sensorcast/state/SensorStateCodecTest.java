package io.sensorcast.state;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.forecast.SensorForecaster;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.model.ModelShapes;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SensorStateCodecTest {

    /** The default seasons' profile shapes: a day in half hours, a week in hours. */
    static final int[] SEASONS = {48, 168};
    private static final int[] NO_SEASONS = {};

    private final SensorStateCodec codec = new SensorStateCodec();

    @Test
    void lstmStateWithTwoLayersRoundTripsEveryField() {
        SensorState state = filled(new SensorState(3, new int[] {8, 4}, true, 6, 5, 8, SEASONS), 5);

        SensorState decoded = codec.decode(codec.encode(state));

        assertSameState(decoded, state);
        // A ring that never wrapped keeps its slot layout exactly.
        assertThat(decoded.replay).containsExactly(state.replay);
        assertThat(decoded.replayHead).isEqualTo(state.replayHead);
    }

    @Test
    void rnnStateWithoutCellStateRoundTripsEveryField() {
        SensorState state = filled(new SensorState(2, new int[] {16}, false, 3, 4, 6, SEASONS), 3);

        SensorState decoded = codec.decode(codec.encode(state));

        assertThat(decoded.c).isNull();
        assertSameState(decoded, state);
    }

    @Test
    void theLastEventTimeIsReadFromTheFirstBytesAloneAndOtherBytesAreRefused() {
        SensorState state = filled(new SensorState(3, new int[] {8, 4}, true, 6, 5, 8, SEASONS), 5);
        state.lastTimestampMs = 1_735_689_600_123L;
        byte[] bytes = codec.encode(state);
        assertThat(SensorStateCodec.lastTimestampMs(bytes)).isEqualTo(1_735_689_600_123L)
                .isEqualTo(codec.decode(bytes).lastTimestampMs);
        assertThatThrownBy(() -> SensorStateCodec.lastTimestampMs(new byte[24])).isInstanceOf(StateFormatException.class);
        byte[] future = bytes.clone();
        future[0] = (byte) (SensorStateCodec.VERSION + 1);
        assertThatThrownBy(() -> SensorStateCodec.lastTimestampMs(future)).isInstanceOf(StateFormatException.class);
    }

    @Test
    void aGruSensorsStateIsHiddenStateOnlyAndEncodesFourBytesPerUnitLessThanAnLstmOne() {
        byte[] lstm = encodedFreshState("lstm");
        byte[] gru = encodedFreshState("gru");

        assertThat(codec.decode(gru).c).isNull();
        assertThat(codec.decode(lstm).c).isNotNull();
        // layers [32, 16]: no cell state saves 4 bytes per unit, in the format that already carries RNN state
        assertThat(lstm.length - gru.length).isEqualTo(4 * (32 + 16));
    }

    private byte[] encodedFreshState(String cell) {
        PipelineConfig config = PipelineConfigLoader.parse("model: {layers: [32, 16], cell: " + cell + "}");
        SensorForecaster forecaster = new SensorForecaster(config, ModelShapes.specOf(config), StepListener.NONE);
        return codec.encode(forecaster.newState());
    }

    @Test
    void freshStateWithEmptyReplayRoundTrips() {
        SensorState state = new SensorState(1, new int[] {32}, true, 5, 6, 32, SEASONS);

        SensorState decoded = codec.decode(codec.encode(state));

        assertSameState(decoded, state);
        assertThat(decoded.lastTimestampMs).isEqualTo(Long.MIN_VALUE);
        assertThat(decoded.hasForecast()).isFalse();
        assertThat(decoded.replayCount).isZero();
        assertThat(decoded.replayHead).isZero();
    }

    @Test
    void wrappedAroundReplayRingDecodesOldestFirstAndKeepsRolling() {
        SensorState state = filled(new SensorState(1, new int[] {4}, true, 2, 3, 4, SEASONS), 11);
        assertThat(state.replayHead).isEqualTo(3);

        SensorState decoded = codec.decode(codec.encode(state));

        assertSameState(decoded, state);
        assertThat(decoded.replayHead).isZero();
        float[] next = {91f, 92f, 93f};
        state.remember(next);
        decoded.remember(next);
        assertSameReplay(decoded, state);
    }

    @Test
    void partiallyFilledRingRebuildsHeadAtCount() {
        SensorState state = filled(new SensorState(1, new int[] {4}, false, 1, 2, 7, SEASONS), 4);

        SensorState decoded = codec.decode(codec.encode(state));

        assertThat(decoded.replayCount).isEqualTo(4);
        assertThat(decoded.replayHead).isEqualTo(4);
        assertSameReplay(decoded, state);
    }

    @Test
    void stateWithoutReplayCapacityRoundTrips() {
        SensorState state = filled(new SensorState(2, new int[] {3, 3, 3}, true, 4, 2, 0, SEASONS), 0);

        assertSameState(codec.decode(codec.encode(state)), state);
    }

    @Test
    void referenceLstmStateWithFullReplayEncodesToTheLayoutSize() {
        // 62 fixed + 24 per channel + (4 + 4*32*2) for the layer + 4*5 forecast
        // + calibration (4 + 8*5 values + 4*5*5 changes + 16*5 sums)
        // + distribution (4*5*5 points + 4*5*5 spreads + 16*5 error sums + 8*5 interval scales + 8*5 surprise + 1 flag)
        // + 32 per channel of level memory + 8*5 persistence error sums + 8 anomaly peak + 4*32*6 replay + per season (16 + 8 per channel + 4 per channel and bucket): 48 and 168 buckets
        SensorState state = filled(new SensorState(1, new int[] {32}, true, 5, 6, 32, SEASONS), 32);
        assertThat(state.replayCount).isEqualTo(32);

        assertThat(codec.encode(state)).hasSize(62 + 24 + 260 + 20 + 224 + 361 + 32 + 40 + 8 + 768 + (24 + 192) + (24 + 672))
                .hasSize(2711);
    }

    @Test
    void freshReferenceStateStoresNoReplayVectors() {
        SensorState fresh = new SensorState(1, new int[] {32}, true, 5, 6, 32, SEASONS);

        assertThat(codec.encode(fresh)).hasSize(2711 - 4 * 32 * 6).hasSize(1943);
    }

    @Test
    void unknownFormatVersionFailsNamingTheVersion() {
        byte[] bytes = codec.encode(new SensorState(1, new int[] {2}, false, 1, 1, 1, SEASONS));
        bytes[0] = 7;

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("unsupported state format version 7")
                .hasMessageContaining("reads versions 1 to 6");
    }

    @Test
    void everyTruncationFailsWithATruncationMessage() {
        byte[] bytes = codec.encode(filled(new SensorState(2, new int[] {3, 2}, true, 2, 3, 4, SEASONS), 6));

        assertThatThrownBy(() -> codec.decode(new byte[0]))
                .isInstanceOf(StateFormatException.class).hasMessageContaining("empty");
        for (int length = 1; length < bytes.length; length++) {
            byte[] prefix = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> codec.decode(prefix))
                    .as("prefix of %d of %d bytes", length, bytes.length)
                    .isInstanceOf(StateFormatException.class)
                    .hasMessageContaining("truncated")
                    .hasMessageNotContaining("%");
        }
    }

    @Test
    void truncationMessageNamesTheFieldWithItsSize() {
        byte[] bytes = codec.encode(filled(new SensorState(2, new int[] {3, 2}, true, 2, 3, 4, SEASONS), 6));
        // Version byte, four 8-byte scalars and the channel count: 37 bytes, then 2 x 24 bytes of statistics.
        byte[] prefix = Arrays.copyOf(bytes, 40);

        assertThatThrownBy(() -> codec.decode(prefix))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("statistics of 2 channels needs 48 bytes at offset 37");
    }

    @Test
    void trailingBytesAreRejectedAsCorrupt() {
        byte[] bytes = codec.encode(new SensorState(1, new int[] {2}, false, 1, 1, 1, SEASONS));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);

        assertThatThrownBy(() -> codec.decode(longer))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("3 unexpected bytes");
    }

    @Test
    void replayCountAboveCapacityIsRejectedAsCorrupt() {
        SensorState state = new SensorState(1, new int[] {2}, false, 1, 2, 3, NO_SEASONS);
        byte[] bytes = codec.encode(state);
        // Without replay vectors or seasons the encoding ends with R, N and the season count S = 0.
        ByteBuffer.wrap(bytes).putInt(bytes.length - 8, 4);

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("replay count 4 exceeds replay capacity 3");
    }

    @Test
    void negativeChannelCountIsRejectedAsCorrupt() {
        byte[] bytes = codec.encode(new SensorState(1, new int[] {2}, false, 1, 1, 1, SEASONS));
        ByteBuffer.wrap(bytes).putInt(33, -1);

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("channel count is -1");
    }

    @Test
    void invalidCellStateFlagIsRejectedAsCorrupt() {
        byte[] bytes = codec.encode(new SensorState(1, new int[] {2}, false, 1, 1, 1, SEASONS));
        bytes[33 + 4 + 24 + 4] = 7;

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("cell state flag is 7");
    }

    @Test
    void absurdReplayCapacityIsRejectedBeforeAllocating() {
        SensorState state = new SensorState(1, new int[] {2}, false, 1, 64, 1, NO_SEASONS);
        byte[] bytes = codec.encode(state);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 12, Integer.MAX_VALUE);

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("replay ring of " + Integer.MAX_VALUE + " x 64");
    }

    @Test
    void encodeRejectsAReplayCountAboveCapacity() {
        SensorState state = new SensorState(1, new int[] {2}, false, 1, 1, 2, SEASONS);
        state.replayCount = 3;

        assertThatThrownBy(() -> codec.encode(state))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replay ring is inconsistent");
    }

    @Test
    void seasonalProfilesAndOpenBucketsRoundTripExactlyAndKeepFolding() {
        SensorState state = filled(new SensorState(2, new int[] {4}, true, 2, 3, 4, new int[] {48, 168, 24}), 2);

        SensorState decoded = codec.decode(codec.encode(state));

        assertThat(decoded.profiles).hasNumberOfRows(3);
        assertThat(decoded.profileBuckets(0)).isEqualTo(48);
        assertThat(decoded.profileBuckets(1)).isEqualTo(168);
        assertThat(decoded.profileBuckets(2)).isEqualTo(24);
        assertSameState(decoded, state);
        assertThat(decoded.fits(2, new int[] {4}, true, 2, 3, new int[] {48, 168, 24})).isTrue();
        assertThat(decoded.fits(2, new int[] {4}, true, 2, 3, SEASONS)).isFalse();
    }

    @Test
    void formatTwoStateDecodesEverythingButTheCalibrationWhichStartsAfresh() {
        SensorState state = filled(new SensorState(2, new int[] {4}, true, 6, 3, 4, SEASONS), 3);
        // Format 2 is format 6 without the calibration, distribution, level and peak blocks after the forecast.
        int block = 1 + 32 + 4 + 24 * 2 + 4 + 1 + (4 + 4 * 4 * 2) + 4 + 4 * 6;
        int calibrationBytes = 4 + 8 * 3 * 2 + 4 * 3 * 6 + 16 * 6;
        byte[] v2 = without(codec.encode(state), block, calibrationBytes + DISTRIBUTION_BYTES_K3_F6 + LEVEL_BYTES_C2 + PEAK_BYTES, 2);

        SensorState decoded = codec.decode(v2);

        assertThat(decoded.recentValues).containsOnly(0.0);
        assertThat(decoded.recentChanges).containsOnly(0f);
        assertThat(decoded.calibration).containsOnly(0.0);
        System.arraycopy(state.recentValues, 0, decoded.recentValues, 0, state.recentValues.length);
        System.arraycopy(state.recentChanges, 0, decoded.recentChanges, 0, state.recentChanges.length);
        System.arraycopy(state.calibration, 0, decoded.calibration, 0, state.calibration.length);
        copyDistribution(state, decoded);
        assertSameState(decoded, state);
    }

    /** 4*3*6 points + 4*3*6 spreads + 16*6 error sums + 8*6 interval scales + 8*5 surprise + 1 flag. */
    private static final int DISTRIBUTION_BYTES_K3_F6 = 72 + 72 + 96 + 48 + 40 + 1;
    /** Format 5's additions, 2 channels and 6 outputs: 4 doubles per channel of level memory, 6 persistence sums. */
    private static final int LEVEL_BYTES_C2 = 64 + 48;
    /** Format 6's addition: the anomaly peak. */
    private static final int PEAK_BYTES = 8;

    @Test
    void formatThreeStateDecodesEverythingButTheDistributionWhichStartsAfresh() {
        SensorState state = filled(new SensorState(2, new int[] {4}, true, 6, 3, 4, SEASONS), 3);
        int block = 1 + 32 + 4 + 24 * 2 + 4 + 1 + (4 + 4 * 4 * 2) + 4 + 4 * 6 + (4 + 8 * 3 * 2 + 4 * 3 * 6 + 16 * 6);
        byte[] v3 = without(codec.encode(state), block, DISTRIBUTION_BYTES_K3_F6 + LEVEL_BYTES_C2 + PEAK_BYTES, 3);

        SensorState decoded = codec.decode(v3);

        // No distribution published yet: no outcome is scored against the empty ring, and nothing was learnt.
        for (float spread : decoded.recentSpreads) {
            assertThat(spread).isNaN();
        }
        assertThat(decoded.errorSpread).containsOnly(0.0);
        assertThat(decoded.intervalLog).containsOnly(0.0);
        assertThat(decoded.surprise).containsOnly(0.0);
        assertThat(decoded.anomalyActive).isFalse();
        copyDistribution(state, decoded);
        assertSameState(decoded, state);
    }

    @Test
    void formatFourStateDecodesEverythingButTheLevelMemoryWhichStartsAfresh() {
        SensorState state = filled(new SensorState(2, new int[] {4}, true, 6, 3, 4, SEASONS), 3);
        int block = 1 + 32 + 4 + 24 * 2 + 4 + 1 + (4 + 4 * 4 * 2) + 4 + 4 * 6 + (4 + 8 * 3 * 2 + 4 * 3 * 6 + 16 * 6)
                + DISTRIBUTION_BYTES_K3_F6;
        byte[] v4 = without(codec.encode(state), block, LEVEL_BYTES_C2 + PEAK_BYTES, 4);

        SensorState decoded = codec.decode(v4);

        // The range is learnt afresh from the next value, as for a new sensor.
        for (double v : decoded.level) {
            assertThat(v).isNaN();
        }
        assertThat(decoded.persistenceSpread).containsOnly(0.0);
        System.arraycopy(state.level, 0, decoded.level, 0, state.level.length);
        System.arraycopy(state.persistenceSpread, 0, decoded.persistenceSpread, 0, state.persistenceSpread.length);
        decoded.anomalyPeak = state.anomalyPeak;
        assertSameState(decoded, state);
    }

    @Test
    void formatFiveStateDecodesEverythingButTheAnomalyPeakWhichStartsAtZero() {
        SensorState state = filled(new SensorState(2, new int[] {4}, true, 6, 3, 4, SEASONS), 3);
        assertThat(state.anomalyPeak).isPositive();
        int block = 1 + 32 + 4 + 24 * 2 + 4 + 1 + (4 + 4 * 4 * 2) + 4 + 4 * 6 + (4 + 8 * 3 * 2 + 4 * 3 * 6 + 16 * 6)
                + DISTRIBUTION_BYTES_K3_F6 + LEVEL_BYTES_C2;
        byte[] v5 = without(codec.encode(state), block, PEAK_BYTES, 5);

        SensorState decoded = codec.decode(v5);

        // No recent incident: the next surprise is not discounted.
        assertThat(decoded.anomalyPeak).isZero();
        decoded.anomalyPeak = state.anomalyPeak;
        assertSameState(decoded, state);
    }

    @Test
    void invalidAnomalyFlagIsRejectedAsCorrupt() {
        SensorState state = new SensorState(1, new int[] {2}, false, 1, 1, 1, new int[0]);
        byte[] bytes = codec.encode(state);
        int flagAt = 1 + 32 + 4 + 24 + 4 + 1 + (4 + 4 * 2) + 4 + 4 + (4 + 8 + 4 + 16) + (4 + 4 + 16 + 8 + 40);
        assertThat(bytes[flagAt]).isEqualTo((byte) 0);
        bytes[flagAt] = 2;

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("anomaly flag is 2");
    }

    /** An older format's bytes: {@code bytes} without {@code length} bytes at {@code from}, as version {@code version}. */
    private static byte[] without(byte[] bytes, int from, int length, int version) {
        byte[] out = new byte[bytes.length - length];
        System.arraycopy(bytes, 0, out, 0, from);
        System.arraycopy(bytes, from + length, out, from, bytes.length - from - length);
        out[0] = (byte) version;
        return out;
    }

    private static void copyDistribution(SensorState from, SensorState to) {
        System.arraycopy(from.recentPoints, 0, to.recentPoints, 0, from.recentPoints.length);
        System.arraycopy(from.recentSpreads, 0, to.recentSpreads, 0, from.recentSpreads.length);
        System.arraycopy(from.errorSpread, 0, to.errorSpread, 0, from.errorSpread.length);
        System.arraycopy(from.intervalLog, 0, to.intervalLog, 0, from.intervalLog.length);
        System.arraycopy(from.surprise, 0, to.surprise, 0, from.surprise.length);
        to.anomalyActive = from.anomalyActive;
        to.anomalyPeak = from.anomalyPeak;
        System.arraycopy(from.level, 0, to.level, 0, from.level.length);
        System.arraycopy(from.persistenceSpread, 0, to.persistenceSpread, 0, from.persistenceSpread.length);
    }

    @Test
    void calibrationBlockOfAnotherHorizonIsRejectedAsCorrupt() {
        byte[] bytes = codec.encode(new SensorState(1, new int[] {2}, false, 5, 1, 1, SEASONS));
        int horizonAt = 1 + 32 + 4 + 24 + 4 + 1 + (4 + 4 * 2) + 4 + 4 * 5;
        ByteBuffer.wrap(bytes).putInt(horizonAt, 4);

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("horizon 4 does not match a forecast of 5 values over 1 channels");
    }

    @Test
    void formatOneStateDecodesWithVarianceFromM2AndNoProfiles() {
        // Two channels, one LSTM layer of 2, forecast of 2, a replay ring of 3 holding 2 vectors of 2.
        long step = 8;
        double[] m2 = {20.0, 0.5};
        byte[] v1 = formatOne(step, new double[] {10.5, -3.25}, m2, new double[] {11.0, -3.0},
                new float[] {0.25f, -0.5f}, new float[] {1.5f, -2.5f}, new float[] {11.25f, -2.75f},
                2, 3, new float[] {1f, 2f, 3f, 4f});

        SensorState decoded = codec.decode(v1);

        assertThat(decoded.modelVersion).isEqualTo(5);
        assertThat(decoded.step).isEqualTo(step);
        assertThat(decoded.lastTimestampMs).isEqualTo(1_795_342_500_000L);
        assertThat(decoded.cadenceMs).isEqualTo(60_000.0);
        assertThat(decoded.mean).containsExactly(10.5, -3.25);
        assertThat(decoded.variance).containsExactly(20.0 / 8, 0.5 / 8);
        assertThat(decoded.lastValues).containsExactly(11.0, -3.0);
        assertThat(decoded.h[0]).containsExactly(0.25f, -0.5f);
        assertThat(decoded.c[0]).containsExactly(1.5f, -2.5f);
        assertThat(decoded.lastForecast).containsExactly(11.25f, -2.75f);
        assertThat(decoded.replayCount).isEqualTo(2);
        float[] vector = new float[2];
        decoded.remembered(1, vector);
        assertThat(vector).containsExactly(3f, 4f);
        assertThat(decoded.profiles).isEmpty();
        assertThat(decoded.openBuckets).isEmpty();
        // So it no longer fits a pipeline with seasons and the sensor starts afresh; it fits one without.
        assertThat(decoded.fits(2, new int[] {2}, true, 2, 2, SEASONS)).isFalse();
        assertThat(decoded.fits(2, new int[] {2}, true, 2, 2, NO_SEASONS)).isTrue();
        // Re-encoded, it is written in the current format.
        assertThat(codec.encode(decoded)[0]).isEqualTo((byte) SensorStateCodec.VERSION);
    }

    @Test
    void formatOneStateBeforeItsFirstEventHasZeroVariance() {
        byte[] v1 = formatOne(0, new double[] {0}, new double[] {0}, new double[] {0},
                new float[] {0f, 0f}, new float[] {0f, 0f}, new float[] {Float.NaN, Float.NaN}, 1, 3, new float[0]);

        SensorState decoded = codec.decode(v1);

        assertThat(decoded.variance).containsExactly(0.0);
        assertThat(decoded.hasForecast()).isFalse();
    }

    @Test
    void formatOneTruncationsAndTrailingBytesAreRejected() {
        byte[] v1 = formatOne(3, new double[] {1}, new double[] {2}, new double[] {3},
                new float[] {0f, 0f}, new float[] {0f, 0f}, new float[] {1f, 1f}, 1, 3, new float[] {1f});
        for (int length = 1; length < v1.length; length++) {
            byte[] prefix = Arrays.copyOf(v1, length);
            assertThatThrownBy(() -> codec.decode(prefix))
                    .as("prefix of %d of %d bytes", length, v1.length)
                    .isInstanceOf(StateFormatException.class)
                    .hasMessageContaining("truncated");
        }
        // A format-1 record followed by a season section is not a valid format-1 record.
        byte[] longer = Arrays.copyOf(v1, v1.length + 4);
        assertThatThrownBy(() -> codec.decode(longer))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("4 unexpected bytes");
    }

    @Test
    void negativeSeasonCountIsRejectedAsCorrupt() {
        byte[] bytes = codec.encode(new SensorState(1, new int[] {2}, false, 1, 1, 1, SEASONS));
        ByteBuffer.wrap(bytes).putInt(seasonCountOffset(bytes, 1, SEASONS), -1);

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("season count is -1");
    }

    @Test
    void absurdSeasonCountIsRejectedBeforeAllocating() {
        byte[] bytes = codec.encode(new SensorState(1, new int[] {2}, false, 1, 1, 1, SEASONS));
        ByteBuffer.wrap(bytes).putInt(seasonCountOffset(bytes, 1, SEASONS), 1_000_000);

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("1000000 seasons exceed the limit");
    }

    @Test
    void seasonCountBeyondTheStoredProfilesIsRejectedAsTruncated() {
        byte[] bytes = codec.encode(new SensorState(1, new int[] {2}, false, 1, 1, 1, SEASONS));
        ByteBuffer.wrap(bytes).putInt(seasonCountOffset(bytes, 1, SEASONS), 3);

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("truncated")
                .hasMessageContaining("season 2");
    }

    @Test
    void bucketCountLargerThanTheStoredProfileIsRejectedAsTruncated() {
        byte[] bytes = codec.encode(new SensorState(1, new int[] {2}, false, 1, 1, 1, SEASONS));
        int lastSeason = seasonCountOffset(bytes, 1, SEASONS) + 4 + (16 + 8 + 4 * 48);
        ByteBuffer.wrap(bytes).putInt(lastSeason, 169);

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("truncated")
                .hasMessageContaining("profile of season 1");
    }

    @Test
    void profileCutShortIsRejectedAsTruncated() {
        byte[] bytes = codec.encode(filled(new SensorState(1, new int[] {2}, false, 1, 1, 1, SEASONS), 1));

        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(bytes, bytes.length - 4)))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("truncated")
                .hasMessageContaining("profile of season 1");
    }

    /** Where the season count S sits: before every season's 16 + 8 C + 4 C B bytes at the end. */
    private static int seasonCountOffset(byte[] bytes, int channels, int[] buckets) {
        int offset = bytes.length - 4;
        for (int b : buckets) {
            offset -= 16 + 8 * channels + 4 * channels * b;
        }
        return offset;
    }

    /**
     * A format-1 record written by hand from the layout the format-1 codec documented: model version 5,
     * last timestamp 1_795_342_500_000, cadence 60 s, one LSTM layer of {@code h.length} units, forecast
     * {@code forecast}, a replay ring of {@code capacity} vectors of {@code inputSize} holding {@code replay}.
     */
    private static byte[] formatOne(long step, double[] mean, double[] m2, double[] last, float[] h, float[] c,
                                    float[] forecast, int inputSize, int capacity, float[] replay) {
        int channels = mean.length;
        ByteBuffer buf = ByteBuffer.allocate(58 + 24 * channels + 4 + 8 * h.length + 4 * forecast.length
                + 4 * replay.length);
        buf.put((byte) 1);
        buf.putLong(5);
        buf.putLong(step);
        buf.putLong(1_795_342_500_000L);
        buf.putDouble(60_000.0);
        buf.putInt(channels);
        for (int ch = 0; ch < channels; ch++) {
            buf.putDouble(mean[ch]).putDouble(m2[ch]).putDouble(last[ch]);
        }
        buf.putInt(1);
        buf.put((byte) 1);
        buf.putInt(h.length);
        for (float v : h) {
            buf.putFloat(v);
        }
        for (float v : c) {
            buf.putFloat(v);
        }
        buf.putInt(forecast.length);
        for (float v : forecast) {
            buf.putFloat(v);
        }
        buf.putInt(inputSize);
        buf.putInt(capacity);
        buf.putInt(replay.length / inputSize);
        for (float v : replay) {
            buf.putFloat(v);
        }
        assertThat(buf.hasRemaining()).as("format-1 record fills its layout size").isFalse();
        return buf.array();
    }

    /** Gives every field a distinct value, including the awkward ones a lossy codec would change. */
    static SensorState filled(SensorState state, int remembered) {
        state.modelVersion = 7;
        state.step = 123_456_789_012L;
        state.lastTimestampMs = 1_795_342_500_123L;
        state.cadenceMs = 60_000.000_000_1;
        for (int ch = 0; ch < state.channels(); ch++) {
            state.mean[ch] = 21.400_000_000_000_1 + ch;
            state.variance[ch] = 1e-300 * (ch + 1);
            state.lastValues[ch] = -7.25 * (ch + 1);
        }
        for (int l = 0; l < state.layers(); l++) {
            for (int i = 0; i < state.h[l].length; i++) {
                state.h[l][i] = (i % 2 == 0 ? -1 : 1) * (0.125f * i + l) + Float.MIN_VALUE;
                if (state.c != null) {
                    state.c[l][i] = i == 0 ? -0.0f : 3.5f * i - l;
                }
            }
        }
        for (int i = 0; i < state.lastForecast.length; i++) {
            state.lastForecast[i] = 20.25f + i;
        }
        for (int i = 0; i < state.recentValues.length; i++) {
            state.recentValues[i] = 1e15 + i + 0.25;
        }
        for (int i = 0; i < state.recentChanges.length; i++) {
            state.recentChanges[i] = (i % 2 == 0 ? -1 : 1) * 0.1f * i + Float.MIN_VALUE;
        }
        for (int i = 0; i < state.calibration.length; i++) {
            state.calibration[i] = 1e-300 * (i + 1) - 0.3 * i;
        }
        for (int i = 0; i < state.recentPoints.length; i++) {
            state.recentPoints[i] = 1.5e7f + i + Float.MIN_VALUE;
            state.recentSpreads[i] = i % 4 == 0 ? Float.NaN : 0.01f * i;
        }
        for (int i = 0; i < state.errorSpread.length; i++) {
            state.errorSpread[i] = 1e-300 * (i + 2) + 0.7 * i;
        }
        for (int i = 0; i < state.intervalLog.length; i++) {
            state.intervalLog[i] = -0.123_456_789_012_3 * i;
        }
        for (int i = 0; i < state.surprise.length; i++) {
            state.surprise[i] = 1.000_000_000_000_1 + i;
        }
        state.anomalyActive = true;
        state.anomalyPeak = 0.812_345_678_9;
        for (int i = 0; i < state.persistenceSpread.length; i++) {
            state.persistenceSpread[i] = 1e-300 * (i + 3) + 0.9 * i;
        }
        for (int i = 0; i < state.level.length; i++) {
            state.level[i] = i % 4 == 3 ? -1e-300 * i : 1.000_000_000_000_1e6 * i + 0.5;
        }
        for (int s = 0; s < state.profiles.length; s++) {
            float[] profile = state.profiles[s];
            for (int i = 0; i < profile.length; i++) {
                // Never-seen buckets (NaN) between seen ones, and values a float->double->float trip would change.
                profile[i] = i % 3 == 0 ? Float.NaN : (i % 2 == 0 ? -1 : 1) * (0.1f * i + s) + Float.MIN_VALUE;
            }
            state.openBuckets[s] = state.lastTimestampMs / 1_800_000L - s;
            state.openCounts[s] = 3 + s;
            for (int ch = 0; ch < state.channels(); ch++) {
                state.openSums[s][ch] = 64.200_000_000_000_1 * (ch + 1) + 1e-9 * s;
            }
        }
        float[] input = new float[state.inputSize];
        for (int n = 0; n < remembered; n++) {
            for (int j = 0; j < input.length; j++) {
                input[j] = n * 10 + j + 0.5f;
            }
            state.remember(input);
        }
        return state;
    }

    static void assertSameState(SensorState actual, SensorState expected) {
        assertThat(actual.modelVersion).isEqualTo(expected.modelVersion);
        assertThat(actual.step).isEqualTo(expected.step);
        assertThat(actual.lastTimestampMs).isEqualTo(expected.lastTimestampMs);
        assertThat(Double.doubleToRawLongBits(actual.cadenceMs)).isEqualTo(Double.doubleToRawLongBits(expected.cadenceMs));
        assertThat(actual.mean).containsExactly(expected.mean);
        assertThat(actual.variance).containsExactly(expected.variance);
        assertThat(actual.lastValues).containsExactly(expected.lastValues);
        assertThat(actual.h).isDeepEqualTo(expected.h);
        assertThat(actual.c).isDeepEqualTo(expected.c);
        assertThat(Arrays.equals(actual.lastForecast, expected.lastForecast)).isTrue();
        assertThat(actual.recentValues).containsExactly(expected.recentValues);
        assertBitExact(actual.recentChanges, expected.recentChanges);
        assertThat(actual.calibration).containsExactly(expected.calibration);
        assertBitExact(actual.recentPoints, expected.recentPoints);
        assertBitExact(actual.recentSpreads, expected.recentSpreads);
        assertThat(actual.errorSpread).containsExactly(expected.errorSpread);
        assertThat(actual.intervalLog).containsExactly(expected.intervalLog);
        assertThat(actual.surprise).containsExactly(expected.surprise);
        assertThat(actual.anomalyActive).isEqualTo(expected.anomalyActive);
        assertThat(actual.anomalyPeak).isEqualTo(expected.anomalyPeak);
        assertThat(actual.level).containsExactly(expected.level);
        assertThat(actual.persistenceSpread).containsExactly(expected.persistenceSpread);
        assertThat(actual.inputSize).isEqualTo(expected.inputSize);
        assertThat(actual.replayCapacity).isEqualTo(expected.replayCapacity);
        assertSameReplay(actual, expected);
        assertThat(actual.profiles.length).isEqualTo(expected.profiles.length);
        for (int s = 0; s < expected.profiles.length; s++) {
            assertBitExact(actual.profiles[s], expected.profiles[s]);
            assertThat(actual.openSums[s]).containsExactly(expected.openSums[s]);
        }
        assertThat(actual.openBuckets).containsExactly(expected.openBuckets);
        assertThat(actual.openCounts).containsExactly(expected.openCounts);
        for (int l = 0; l < expected.layers(); l++) {
            assertBitExact(actual.h[l], expected.h[l]);
            if (expected.c != null) {
                assertBitExact(actual.c[l], expected.c[l]);
            }
        }
    }

    private static void assertSameReplay(SensorState actual, SensorState expected) {
        assertThat(actual.replayCount).isEqualTo(expected.replayCount);
        float[] a = new float[expected.inputSize];
        float[] e = new float[expected.inputSize];
        for (int i = 0; i < expected.replayCount; i++) {
            actual.remembered(i, a);
            expected.remembered(i, e);
            assertThat(a).as("replay vector %d, oldest first", i).containsExactly(e);
        }
    }

    private static void assertBitExact(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Float.floatToRawIntBits(actual[i])).as("float %d", i).isEqualTo(Float.floatToRawIntBits(expected[i]));
        }
    }
}
