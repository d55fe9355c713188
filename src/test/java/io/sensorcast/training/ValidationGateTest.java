package io.sensorcast.training;

import io.sensorcast.recurrent.CellType;
import io.sensorcast.recurrent.Dl4jNetworks;
import io.sensorcast.recurrent.NetworkSpec;
import io.sensorcast.recurrent.Optimizer;
import io.sensorcast.recurrent.TrainingOptions;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ValidationGateTest {

    private static final int INPUTS = 3;
    private static final int HORIZON = 2;
    private static final double[] LEVELS = {0.1, 0.5, 0.9};

    /** Held-out windows and a network fitted with the distribution head on them, shared: fitting is the slow part. */
    private static final DataSet DATA = heldOut();
    private static final MultiLayerNetwork FITTED = fitted(DATA);

    private static DataSet heldOut() {
        List<TrainingWindows.Window> windows = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            windows.addAll(TrainingWindows.windows(SyntheticSequences.normalisedSequence(120, INPUTS, s), 40, HORIZON));
        }
        return TrainingWindows.toDataSet(windows, HORIZON);
    }

    /** A network fitted with the distribution head on the held-out data's kind of sequences. */
    private static MultiLayerNetwork fitted(DataSet data) {
        NetworkSpec spec = new NetworkSpec(CellType.LSTM, INPUTS, new int[] {8}, 2 * HORIZON);
        TrainingOptions head = new TrainingOptions(Optimizer.ADAM, 1e-2, 50, 20.0, true, true);
        MultiLayerNetwork net = Dl4jNetworks.create(spec, head, 3);
        for (int epoch = 0; epoch < 15; epoch++) {
            net.fit(data);
        }
        return net;
    }

    /** The same network with every scale output shifted by {@code shift} before the softplus: same locations. */
    private static MultiLayerNetwork withScalesShifted(MultiLayerNetwork net, double shift) {
        MultiLayerNetwork copy = net.clone();
        INDArray bias = copy.getLayer(1).getParam("b");
        bias.get(NDArrayIndex.all(), NDArrayIndex.interval(HORIZON, 2 * HORIZON)).addi(shift);
        return copy;
    }

    @Test
    void aCandidateWithTheSamePointsButOverconfidentIntervalsIsRefused() {
        DataSet data = DATA;
        MultiLayerNetwork serving = FITTED;
        MultiLayerNetwork overconfident = withScalesShifted(serving, -6);
        ValidationGate gate = new ValidationGate(0.01, 8, true, LEVELS);

        ValidationGate.Verdict verdict = gate.judge(overconfident, serving, data);

        assertThat(verdict.scores().candidate()).isEqualTo(verdict.scores().serving());
        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.reason()).contains("quantile loss");
        assertThat(verdict.scores().candidateQuantileLoss()).isGreaterThan(verdict.scores().servingQuantileLoss());
    }

    @Test
    void aCandidateWithTheSamePointsButNeedlesslyWideIntervalsIsRefused() {
        DataSet data = DATA;
        MultiLayerNetwork serving = FITTED;

        ValidationGate.Verdict verdict = new ValidationGate(0.01, 8, true, LEVELS)
                .judge(withScalesShifted(serving, 3), serving, data);

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.reason()).contains("quantile loss");
    }

    @Test
    void theFittedHeadsIntervalsBeatAMisscaledCopyAndPassTheGate() {
        DataSet data = DATA;
        MultiLayerNetwork fitted = FITTED;
        ValidationGate gate = new ValidationGate(0.01, 8, true, LEVELS);

        ValidationGate.Verdict verdict = gate.judge(fitted, withScalesShifted(fitted, -3), data);

        assertThat(verdict.accepted()).as(verdict.reason()).isTrue();
        assertThat(gate.quantileLoss(fitted, data)).isLessThan(gate.quantileLoss(withScalesShifted(fitted, 3), data));
    }

    @Test
    void withoutLevelsTheGateJudgesPointErrorOnlyAndIgnoresTheScaleOutputs() {
        DataSet data = DATA;
        MultiLayerNetwork serving = FITTED;

        ValidationGate.Verdict verdict = new ValidationGate(0.01, 8, true).judge(withScalesShifted(serving, -6),
                serving, data);

        assertThat(verdict.accepted()).as(verdict.reason()).isTrue();
        assertThat(verdict.scores().candidateQuantileLoss()).isNaN();
    }
}
