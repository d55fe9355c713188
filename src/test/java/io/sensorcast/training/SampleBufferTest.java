package io.sensorcast.training;

import io.sensorcast.forecast.StepListener;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SampleBufferTest {

    private static void step(StepListener l, String key, long ts) {
        l.onStep(key, ts, ts, new float[]{ts, 0f}, new double[]{ts}, new double[]{0}, new double[]{1});
    }

    @Test
    void memoryStaysBoundedWhateverTheKeyCount() {
        SampleBuffer buffer = new SampleBuffer(50, 8, 1 << 20, 1);
        StepListener l = buffer.listener();
        for (int k = 0; k < 20_000; k++) {
            for (int t = 0; t < 12; t++) {
                step(l, "key-" + k, t);
            }
            if (k % 1000 == 0) {
                buffer.drain();
            }
        }
        buffer.drain();
        assertThat(buffer.sampledKeys()).isEqualTo(50);
        assertThat(buffer.sequences()).hasSize(50).allSatisfy(seq -> assertThat(seq).hasSize(8));
    }

    @Test
    void theSampledKeysAreTheSameWhateverTheArrivalOrder() {
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < 500; k++) {
            keys.add("sensor-" + k);
        }
        Set<Long> first = sampledFirstSteps(keys);
        Collections.shuffle(keys, new Random(3));
        assertThat(sampledFirstSteps(keys)).isEqualTo(first);
    }

    private static Set<Long> sampledFirstSteps(List<String> keys) {
        SampleBuffer buffer = new SampleBuffer(20, 4, 1 << 16, 9);
        for (String k : keys) {
            buffer.listener().onStep(k, 1, Long.parseLong(k.substring(7)), new float[]{0}, new double[]{0},
                    new double[]{0}, new double[]{1});
        }
        buffer.drain();
        Set<Long> out = new HashSet<>();
        buffer.sequences().forEach(seq -> out.add(seq.get(0).timestampMs()));
        assertThat(out).hasSize(20);
        return out;
    }

    @Test
    void eachRingKeepsTheMostRecentStepsOldestFirst() {
        SampleBuffer buffer = new SampleBuffer(4, 5, 1024, 1);
        for (int t = 0; t < 12; t++) {
            step(buffer.listener(), "only", t);
        }
        buffer.drain();
        assertThat(buffer.sequences().get(0)).extracting(StepRecord::timestampMs).containsExactly(7L, 8L, 9L, 10L, 11L);
        assertThat(buffer.drainedCount()).isEqualTo(12);
    }

    @Test
    void aFullIntakeDropsAndCountsRatherThanBlockingTheStreamThread() {
        SampleBuffer buffer = new SampleBuffer(4, 100, 10, 1);
        for (int t = 0; t < 25; t++) {
            step(buffer.listener(), "k", t);
        }
        assertThat(buffer.droppedCount()).isEqualTo(15);
        assertThat(buffer.drain()).isEqualTo(10);
    }

    @Test
    void theListenerCopiesTheCallersReusedArrays() {
        SampleBuffer buffer = new SampleBuffer(4, 10, 100, 1);
        float[] input = {1f, 2f};
        buffer.listener().onStep("k", 1, 1, input, new double[]{1}, new double[]{0}, new double[]{1});
        input[0] = 99f;
        buffer.drain();
        assertThat(buffer.sequences().get(0).get(0).input()).containsExactly(1f, 2f);
    }

    @Test
    void aDroppedStepStartsTheSensorsSequenceAgainSoNoWindowSpansTheGap() {
        SampleBuffer buffer = new SampleBuffer(4, 100, 5, 1);
        for (int t = 1; t <= 8; t++) { // steps 6..8 find the intake full and are dropped
            step(buffer.listener(), "k", t);
        }
        buffer.drain();
        for (int t = 9; t <= 12; t++) {
            step(buffer.listener(), "k", t);
        }
        buffer.drain();

        assertThat(buffer.droppedCount()).isEqualTo(3);
        assertThat(buffer.sequences().get(0)).extracting(StepRecord::timestampMs).containsExactly(9L, 10L, 11L, 12L);
    }

    @Test
    void aForgottenSensorLeavesTheSampleAndMakesRoomForAnother() {
        SampleBuffer buffer = new SampleBuffer(2, 10, 1024, 1);
        StepListener l = buffer.listener();
        List<String> keys = List.of("a", "b", "c", "d", "e", "f");
        for (String k : keys) {
            for (int t = 1; t <= 3; t++) {
                step(l, k, t);
            }
        }
        buffer.drain();
        assertThat(buffer.sampledKeys()).isEqualTo(2);
        // Forget every key: the sampled ones leave, the others were never in the sample.
        keys.forEach(l::forgotten);
        buffer.drain();
        assertThat(buffer.sampledKeys()).isZero();
        assertThat(buffer.sequences()).isEmpty();
        assertThat(buffer.heldSteps()).isZero();

        // A sensor the full sample had refused is admitted now.
        step(l, "g", 1);
        buffer.drain();
        assertThat(buffer.sampledKeys()).isEqualTo(1);
    }

    @Test
    void aResetSensorsStepsStartingAgainFromOneDropItsOldSteps() {
        SampleBuffer buffer = new SampleBuffer(4, 100, 1024, 1);
        for (int t = 1; t <= 6; t++) {
            step(buffer.listener(), "k", t);
        }
        for (int t = 1; t <= 2; t++) {
            step(buffer.listener(), "k", t);
        }
        buffer.drain();
        assertThat(buffer.sequences().get(0)).extracting(StepRecord::timestampMs).containsExactly(1L, 2L);
    }
}
