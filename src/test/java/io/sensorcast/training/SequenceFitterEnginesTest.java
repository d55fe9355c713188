package io.sensorcast.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sensorcast.recurrent.CellType;
import io.sensorcast.recurrent.Dl4jNetworks;
import io.sensorcast.recurrent.NetworkSpec;
import io.sensorcast.recurrent.Optimizer;
import io.sensorcast.recurrent.TrainingOptions;
import io.sensorcast.testing.LongRunning;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

class SequenceFitterEnginesTest {

    private static final int HORIZON = 2;
    private static final int INPUT = 3;

    private static List<TrainingWindows.Window> windows(int count, int length, long seed) {
        List<TrainingWindows.Window> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.addAll(TrainingWindows.windows(SyntheticSequences.normalisedSequence(length + HORIZON, INPUT,
                    seed * 1000 + i), length, HORIZON));
        }
        return out;
    }

    private static MultiLayerNetwork network(CellType cell, String loss, int[] hidden, double clip, int tbptt) {
        boolean laplace = loss.equals("laplace");
        NetworkSpec spec = new NetworkSpec(cell, INPUT, hidden, laplace ? 2 * HORIZON : HORIZON);
        return Dl4jNetworks.create(spec, new TrainingOptions(Optimizer.ADAM, 1e-2, tbptt, clip, !loss.equals("mse"),
                laplace), 3);
    }

    @LongRunning // a dozen DL4J fits
    @ParameterizedTest(name = "{0} {1} clip {2} tbptt {3}")
    @CsvSource({"LSTM, mae, 0.5, 30", "LSTM, mse, 1e6, 12", "LSTM, laplace, 0.5, 30", "RNN, mae, 0.5, 12",
            "GRU, mae, 0.5, 12", "GRU, laplace, 1e6, 30"})
    void handWrittenFitEndsWhereDl4jsFitEndsAndReportsTheSameFigures(CellType cell, String loss, double clip,
                                                                     int tbptt) {
        List<TrainingWindows.Window> windows = windows(11, 30, 5);
        MultiLayerNetwork byDl4j = network(cell, loss, new int[]{6, 5}, clip, tbptt);
        MultiLayerNetwork byHand = network(cell, loss, new int[]{6, 5}, clip, tbptt);
        SequenceFitter dl4j = new SequenceFitter(4, 2, 9, clip, TrainingPacer.UNPACED, TrainingEngine.DL4J);
        SequenceFitter java = new SequenceFitter(4, 2, 9, clip, TrainingPacer.UNPACED, TrainingEngine.JAVA);

        assertThat(java.fitsByHand(byHand)).isTrue();
        assertThat(dl4j.fitsByHand(byDl4j)).isFalse();
        SequenceFitter.FitReport expected = dl4j.fit(byDl4j, windows, HORIZON);
        SequenceFitter.FitReport actual = java.fit(byHand, windows, HORIZON);

        // 11 windows in 3 mini-batches, 2 epochs, 30 steps in segments of 30 or 12 (3 updates).
        assertThat(actual.iterations()).isEqualTo(expected.iterations()).isEqualTo(6 * (tbptt == 30 ? 1 : 3));
        assertThat(byHand.getIterationCount()).isEqualTo(byDl4j.getIterationCount());
        double lossScale = Math.abs(expected.meanLoss());
        assertThat(actual.firstLoss()).isCloseTo(expected.firstLoss(), within(1e-4 * lossScale));
        assertThat(actual.lastLoss()).isCloseTo(expected.lastLoss(), within(1e-3 * lossScale));
        assertThat(actual.meanLoss()).isCloseTo(expected.meanLoss(), within(1e-3 * lossScale));
        assertThat(actual.meanPreClipNorm()).isCloseTo(expected.meanPreClipNorm(), within(1e-3 * expected.meanPreClipNorm()));
        assertThat(actual.maxPreClipNorm()).isCloseTo(expected.maxPreClipNorm(), within(1e-3 * expected.maxPreClipNorm()));
        assertThat(actual.clippedFraction()).isEqualTo(expected.clippedFraction());
        assertThat(actual.clippedFraction()).isEqualTo(clip < 1 ? 1.0 : 0.0);
        float[] a = byHand.params().toFloatVector();
        float[] e = byDl4j.params().toFloatVector();
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            scale = Math.max(scale, Math.abs(e[i]));
            worst = Math.max(worst, Math.abs(a[i] - e[i]));
        }
        assertThat(worst / scale).as("largest parameter difference relative to the largest parameter").isLessThan(1e-3);
    }

    @Test
    void sameSeedAndWindowsGiveBitIdenticalParametersByHand() {
        List<TrainingWindows.Window> windows = windows(9, 24, 2);
        INDArray first = fitted(windows, 4);
        INDArray second = fitted(windows, 4);
        INDArray otherSeed = fitted(windows, 5);

        assertThat(second.toFloatVector()).containsExactly(first.toFloatVector());
        assertThat(otherSeed.toFloatVector()).isNotEqualTo(first.toFloatVector());
    }

    private static INDArray fitted(List<TrainingWindows.Window> windows, long seed) {
        MultiLayerNetwork net = network(CellType.LSTM, "mae", new int[]{8}, 1, 10);
        new SequenceFitter(4, 2, seed, 1).fit(net, windows, HORIZON);
        return net.params().dup();
    }

    @Test
    void aNetworkWithItsOwnListenersIsFittedByDl4jSoTheySeeEveryIteration() {
        MultiLayerNetwork net = network(CellType.LSTM, "mae", new int[]{4}, 1, 10);
        SequenceFitter fitter = new SequenceFitter(4, 1, 1, 1);
        assertThat(fitter.fitsByHand(net)).isTrue();

        net.setListeners(new BaseTrainingListener() { });

        assertThat(fitter.fitsByHand(net)).isFalse();
    }
}
