package io.sensorcast.state;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SensorStateCodecTest {

    private final SensorStateCodec codec = new SensorStateCodec();

    @Test
    void lstmStateWithTwoLayersRoundTripsEveryField() {
        SensorState state = filled(new SensorState(3, new int[] {8, 4}, true, 6, 5, 8), 5);

        SensorState decoded = codec.decode(codec.encode(state));

        assertSameState(decoded, state);
        // A ring that never wrapped keeps its slot layout exactly.
        assertThat(decoded.replay).containsExactly(state.replay);
        assertThat(decoded.replayHead).isEqualTo(state.replayHead);
    }

    @Test
    void rnnStateWithoutCellStateRoundTripsEveryField() {
        SensorState state = filled(new SensorState(2, new int[] {16}, false, 3, 4, 6), 3);

        SensorState decoded = codec.decode(codec.encode(state));

        assertThat(decoded.c).isNull();
        assertSameState(decoded, state);
    }

    @Test
    void freshStateWithEmptyReplayRoundTrips() {
        SensorState state = new SensorState(1, new int[] {32}, true, 5, 6, 32);

        SensorState decoded = codec.decode(codec.encode(state));

        assertSameState(decoded, state);
        assertThat(decoded.lastTimestampMs).isEqualTo(Long.MIN_VALUE);
        assertThat(decoded.hasForecast()).isFalse();
        assertThat(decoded.replayCount).isZero();
        assertThat(decoded.replayHead).isZero();
    }

    @Test
    void wrappedAroundReplayRingDecodesOldestFirstAndKeepsRolling() {
        SensorState state = filled(new SensorState(1, new int[] {4}, true, 2, 3, 4), 11);
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
        SensorState state = filled(new SensorState(1, new int[] {4}, false, 1, 2, 7), 4);

        SensorState decoded = codec.decode(codec.encode(state));

        assertThat(decoded.replayCount).isEqualTo(4);
        assertThat(decoded.replayHead).isEqualTo(4);
        assertSameReplay(decoded, state);
    }

    @Test
    void stateWithoutReplayCapacityRoundTrips() {
        SensorState state = filled(new SensorState(2, new int[] {3, 3, 3}, true, 4, 2, 0), 0);

        assertSameState(codec.decode(codec.encode(state)), state);
    }

    @Test
    void referenceLstmStateWithFullReplayEncodesToTheLayoutSize() {
        // 58 fixed + 24 per channel + (4 + 4*32*2) for the layer + 4*5 forecast + 4*32*6 replay
        SensorState state = filled(new SensorState(1, new int[] {32}, true, 5, 6, 32), 32);
        assertThat(state.replayCount).isEqualTo(32);

        assertThat(codec.encode(state)).hasSize(58 + 24 + 260 + 20 + 768).hasSize(1130);
    }

    @Test
    void freshReferenceStateStoresNoReplayVectors() {
        SensorState fresh = new SensorState(1, new int[] {32}, true, 5, 6, 32);

        assertThat(codec.encode(fresh)).hasSize(1130 - 4 * 32 * 6).hasSize(362);
    }

    @Test
    void unknownFormatVersionFailsNamingTheVersion() {
        byte[] bytes = codec.encode(new SensorState(1, new int[] {2}, false, 1, 1, 1));
        bytes[0] = 2;

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("unsupported state format version 2")
                .hasMessageContaining("reads version 1");
    }

    @Test
    void everyTruncationFailsWithATruncationMessage() {
        byte[] bytes = codec.encode(filled(new SensorState(2, new int[] {3, 2}, true, 2, 3, 4), 6));

        assertThatThrownBy(() -> codec.decode(new byte[0]))
                .isInstanceOf(StateFormatException.class).hasMessageContaining("empty");
        for (int length = 1; length < bytes.length; length++) {
            byte[] prefix = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> codec.decode(prefix))
                    .as("prefix of %d of %d bytes", length, bytes.length)
                    .isInstanceOf(StateFormatException.class)
                    .hasMessageContaining("truncated");
        }
    }

    @Test
    void trailingBytesAreRejectedAsCorrupt() {
        byte[] bytes = codec.encode(new SensorState(1, new int[] {2}, false, 1, 1, 1));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);

        assertThatThrownBy(() -> codec.decode(longer))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("3 unexpected bytes");
    }

    @Test
    void replayCountAboveCapacityIsRejectedAsCorrupt() {
        SensorState state = new SensorState(1, new int[] {2}, false, 1, 2, 3);
        byte[] bytes = codec.encode(state);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, 4);

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("replay count 4 exceeds replay capacity 3");
    }

    @Test
    void negativeChannelCountIsRejectedAsCorrupt() {
        byte[] bytes = codec.encode(new SensorState(1, new int[] {2}, false, 1, 1, 1));
        ByteBuffer.wrap(bytes).putInt(33, -1);

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("channel count is -1");
    }

    @Test
    void invalidCellStateFlagIsRejectedAsCorrupt() {
        byte[] bytes = codec.encode(new SensorState(1, new int[] {2}, false, 1, 1, 1));
        bytes[33 + 4 + 24 + 4] = 7;

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("cell state flag is 7");
    }

    @Test
    void absurdReplayCapacityIsRejectedBeforeAllocating() {
        SensorState state = new SensorState(1, new int[] {2}, false, 1, 64, 1);
        byte[] bytes = codec.encode(state);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 8, Integer.MAX_VALUE);

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("replay ring of " + Integer.MAX_VALUE + " x 64");
    }

    @Test
    void encodeRejectsAReplayCountAboveCapacity() {
        SensorState state = new SensorState(1, new int[] {2}, false, 1, 1, 2);
        state.replayCount = 3;

        assertThatThrownBy(() -> codec.encode(state))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replay ring is inconsistent");
    }

    /** Gives every field a distinct value, including the awkward ones a lossy codec would change. */
    static SensorState filled(SensorState state, int remembered) {
        state.modelVersion = 7;
        state.step = 123_456_789_012L;
        state.lastTimestampMs = 1_795_342_500_123L;
        state.cadenceMs = 60_000.000_000_1;
        for (int ch = 0; ch < state.channels(); ch++) {
            state.mean[ch] = 21.400_000_000_000_1 + ch;
            state.m2[ch] = 1e-300 * (ch + 1);
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
        assertThat(actual.m2).containsExactly(expected.m2);
        assertThat(actual.lastValues).containsExactly(expected.lastValues);
        assertThat(actual.h).isDeepEqualTo(expected.h);
        assertThat(actual.c).isDeepEqualTo(expected.c);
        assertThat(Arrays.equals(actual.lastForecast, expected.lastForecast)).isTrue();
        assertThat(actual.inputSize).isEqualTo(expected.inputSize);
        assertThat(actual.replayCapacity).isEqualTo(expected.replayCapacity);
        assertSameReplay(actual, expected);
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
