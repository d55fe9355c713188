package io.sensorcast.training;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TrainingWindowsTest {

    /** A sequence whose step i has timestamp i, so a window's steps can be told apart by their timestamps. */
    private static List<StepRecord> sequence(int size) {
        List<StepRecord> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            out.add(new StepRecord(i, new float[] {i}, new double[] {i}, new double[] {0}, new double[] {1}));
        }
        return out;
    }

    /** Every step a window uses: its inputs and its horizon targets. */
    private static Set<Long> stepsOf(TrainingWindows.Window window) {
        Set<Long> out = new HashSet<>();
        window.steps().forEach(s -> out.add(s.timestampMs()));
        window.future().forEach(s -> out.add(s.timestampMs()));
        return out;
    }

    private static long first(TrainingWindows.Window window) {
        return window.steps().get(0).timestampMs();
    }

    private static void assertContiguous(TrainingWindows.Window window, int length, int horizon) {
        assertThat(window.steps()).hasSize(length);
        assertThat(window.future()).hasSize(horizon);
        long start = first(window);
        for (int i = 0; i < length + horizon; i++) {
            StepRecord step = i < length ? window.steps().get(i) : window.future().get(i - length);
            assertThat(step.timestampMs()).isEqualTo(start + i);
        }
    }

    @Test
    void noTrainingWindowSharesAStepInputOrTargetWithAHeldOutWindow() {
        int length = 48;
        int horizon = 5;
        for (int stride : new int[] {1, 7, 16, 48}) {
            for (int every : new int[] {1, 2, 3, 4, 1_000_000}) {
                TrainingWindows.Split split = TrainingWindows.split(sequence(1000), length, horizon, stride, every);
                Set<Long> heldOutSteps = new HashSet<>();
                split.heldOut().forEach(w -> heldOutSteps.addAll(stepsOf(w)));
                for (TrainingWindows.Window window : split.train()) {
                    assertContiguous(window, length, horizon);
                    Set<Long> shared = new HashSet<>(stepsOf(window));
                    shared.retainAll(heldOutSteps);
                    assertThat(shared).as("stride %d, every %d, window at %d", stride, every, first(window)).isEmpty();
                }
                split.heldOut().forEach(w -> assertContiguous(w, length, horizon));
            }
        }
    }

    @Test
    void trainingKeepsEveryStrideWindowThatAvoidsTheHeldOutOnes() {
        int length = 48;
        int horizon = 5;
        int stride = 8;
        TrainingWindows.Split split = TrainingWindows.split(sequence(1000), length, horizon, stride, 4);
        Set<Long> heldOutSteps = new HashSet<>();
        split.heldOut().forEach(w -> heldOutSteps.addAll(stepsOf(w)));

        // Starts are aligned on the newest usable window (start 1000 - 5 - 48 = 947), every 8 steps.
        List<Long> expected = new ArrayList<>();
        for (long start = 947; start >= 0; start -= stride) {
            boolean free = true;
            for (long t = start; t < start + length + horizon; t++) {
                free &= !heldOutSteps.contains(t);
            }
            if (free) {
                expected.add(0, start);
            }
        }
        assertThat(split.train()).extracting(TrainingWindowsTest::first).containsExactlyElementsOf(expected);
        assertThat(split.train()).hasSizeGreaterThan(40);
    }

    @Test
    void heldOutWindowsAreSpreadOverTheHistoryAndTheNewestIsAlwaysHeldOut() {
        List<StepRecord> seq = sequence(1000);
        TrainingWindows.Split split = TrainingWindows.split(seq, 48, 5, 8, 4);

        // 20 non-overlapping windows fit (starts 947, 899, ..., 35); every 4th from the newest is held out.
        assertThat(split.heldOut()).extracting(TrainingWindowsTest::first).containsExactly(179L, 371L, 563L, 755L, 947L);
        TrainingWindows.Window newest = split.heldOut().get(split.heldOut().size() - 1);
        assertThat(newest.future().get(4)).isSameAs(seq.get(999));

        for (int every : new int[] {1, 3, 1_000_000}) {
            List<TrainingWindows.Window> heldOut = TrainingWindows.split(seq, 48, 5, 8, every).heldOut();
            assertThat(first(heldOut.get(heldOut.size() - 1))).as("every %d", every).isEqualTo(947L);
        }
        assertThat(TrainingWindows.split(seq, 48, 5, 8, 1_000_000).heldOut()).hasSize(1);
    }

    @Test
    void strideGivesOneWindowEveryStrideStepsAlignedOnTheNewest() {
        List<StepRecord> seq = sequence(1000);
        // 1000 steps, 5 targets: the newest window starts at 947; 947 / 8 = 118 earlier starts fit.
        List<TrainingWindows.Window> strided = TrainingWindows.windows(seq, 48, 5, 8);
        assertThat(strided).hasSize(119);
        assertThat(strided).extracting(TrainingWindowsTest::first).startsWith(3L, 11L).endsWith(939L, 947L);
        strided.forEach(w -> assertContiguous(w, 48, 5));
        // Without a stride the windows do not overlap: 947 / 48 = 19 earlier ones.
        assertThat(TrainingWindows.windows(seq, 48, 5)).hasSize(20);
        assertThat(TrainingWindows.windows(seq, 48, 5, 1)).hasSize(948);
    }

    @Test
    void aSequenceShorterThanTwoWindowsIsNotSplit() {
        assertThat(TrainingWindows.split(sequence(2 * 48 + 5 - 1), 48, 5, 8, 4).train()).isEmpty();
        assertThat(TrainingWindows.split(sequence(2 * 48 + 5 - 1), 48, 5, 8, 4).heldOut()).isEmpty();
        // Two windows and one horizon: the older window's targets would be the held-out window's inputs, so
        // nothing is cut at all.
        TrainingWindows.Split twoWindows = TrainingWindows.split(sequence(2 * 48 + 5), 48, 5, 1, 4);
        assertThat(twoWindows.heldOut()).isEmpty();
        assertThat(twoWindows.train()).isEmpty();
        // With room for both horizons, exactly one training window fits before the held-out one.
        TrainingWindows.Split justEnough = TrainingWindows.split(sequence(2 * 48 + 2 * 5), 48, 5, 1, 4);
        assertThat(justEnough.heldOut()).extracting(TrainingWindowsTest::first).containsExactly(53L);
        assertThat(justEnough.train()).extracting(TrainingWindowsTest::first).containsExactly(0L);
    }

    @Test
    void labelsAreTheChangeFromTheCurrentRawValueInTheCurrentStdClipped() {
        List<StepRecord> seq = new ArrayList<>();
        double[] raw = {10, 12, 9, 10, 1000, 10};
        for (int i = 0; i < raw.length; i++) {
            seq.add(new StepRecord(i, new float[] {i, -i}, new double[] {raw[i]}, new double[] {50}, new double[] {2}));
        }
        TrainingWindows.Window window = new TrainingWindows.Window(seq.subList(0, 3), seq.subList(3, 5));

        DataSet data = TrainingWindows.toDataSet(List.of(window), 2);

        assertThat(data.getFeatures().shape()).containsExactly(1, 2, 3);
        assertThat(data.getLabels().shape()).containsExactly(1, 2, 3);
        assertThat(data.getFeatures().getDouble(0, 1, 2)).isEqualTo(-2.0);
        // Step 0 (raw 10): next two are 12 and 9 -> +1 and -0.5 std; the mean (50) plays no part.
        assertThat(data.getLabels().getDouble(0, 0, 0)).isCloseTo(1.0, within(1e-6));
        assertThat(data.getLabels().getDouble(0, 1, 0)).isCloseTo(-0.5, within(1e-6));
        // Step 2 (raw 9): targets 10 and 1000 from the future -> +0.5 and clipped to +8.
        assertThat(data.getLabels().getDouble(0, 0, 2)).isCloseTo(0.5, within(1e-6));
        assertThat(data.getLabels().getDouble(0, 1, 2)).isEqualTo(8.0);
    }
}
