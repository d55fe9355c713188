package io.sensorcast.state;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SensorStateTest {

    /** A state with a ring of {@code capacity} that has been given inputs 0 .. count - 1. */
    private static SensorState withInputs(int capacity, int count) {
        SensorState state = new SensorState(1, new int[] {4}, true, 2, 3, capacity, new int[0]);
        for (int i = 0; i < count; i++) {
            state.remember(input(i));
        }
        return state;
    }

    private static float[] input(int i) {
        return new float[] {i, i + 0.5f, -i};
    }

    private static float[] remembered(SensorState state, int i) {
        float[] out = new float[state.inputSize];
        state.remembered(i, out);
        return out;
    }

    @Test
    void shrinkingTheReplayRingKeepsTheNewestInputsOldestFirst() {
        SensorState state = withInputs(8, 11);

        state.resizeReplay(4);

        assertThat(state.replayCapacity).isEqualTo(4);
        assertThat(state.replayCount).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            assertThat(remembered(state, i)).isEqualTo(input(7 + i));
        }
        state.remember(input(11));
        assertThat(remembered(state, 0)).isEqualTo(input(8));
        assertThat(remembered(state, 3)).isEqualTo(input(11));
    }

    @Test
    void growingTheReplayRingKeepsEveryInputAndFillsBeforeDropping() {
        SensorState state = withInputs(3, 5);

        state.resizeReplay(5);
        state.remember(input(5));
        state.remember(input(6));
        state.remember(input(7));

        assertThat(state.replayCount).isEqualTo(5);
        for (int i = 0; i < 5; i++) {
            assertThat(remembered(state, i)).isEqualTo(input(3 + i));
        }
    }

    @Test
    void aResizedRingSurvivesTheCodec() {
        SensorState state = withInputs(6, 9);
        state.resizeReplay(2);
        SensorStateCodec codec = new SensorStateCodec();

        SensorState decoded = codec.decode(codec.encode(state));

        assertThat(decoded.replayCapacity).isEqualTo(2);
        assertThat(remembered(decoded, 0)).isEqualTo(input(7));
        assertThat(remembered(decoded, 1)).isEqualTo(input(8));
    }

    @Test
    void aRingResizedToZeroRemembersNothing() {
        SensorState state = withInputs(4, 1);

        state.resizeReplay(0);
        state.remember(input(2));

        assertThat(state.replayCount).isZero();
        assertThat(state.replay).isEmpty();
    }
}
