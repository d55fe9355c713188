package io.sensorcast.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sensorcast.recurrent.CellType;
import io.sensorcast.recurrent.Dl4jNetworks;
import io.sensorcast.recurrent.NetworkSpec;
import io.sensorcast.recurrent.Optimizer;
import io.sensorcast.recurrent.TrainingOptions;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/** The network's per-layer L2 clipping, observed through the parameters a single plain SGD step changes. */
class GradientClippingTest {

    private static final NetworkSpec SPEC = new NetworkSpec(CellType.LSTM, 3, new int[]{6, 4}, 2);
    private static final int LENGTH = 10;
    private static final double THRESHOLD = 0.5;
    private static final double NO_CLIPPING = 1e9;

    @Test
    void clippingBoundsTheAppliedUpdatePerLayerToTheThreshold() {
        Step clipped = oneSgdStep(THRESHOLD);

        assertThat(clipped.listener.iterationCount()).isEqualTo(1);
        double[] preClip = clipped.listener.iterations().get(0).layerNorms();
        assertThat(preClip).hasSize(SPEC.layerCount() + 1);
        assertThat(Arrays.stream(preClip).max().orElseThrow()).as("largest pre-clip layer norm")
                .isGreaterThan(100 * THRESHOLD);
        assertThat(clipped.listener.iterations().get(0).clipped()).isTrue();
        for (int layer = 0; layer < preClip.length; layer++) {
            double applied = clipped.updates[layer].norm2Number().doubleValue();
            assertThat(applied).as("update norm of layer %d", layer).isLessThanOrEqualTo(THRESHOLD * (1 + 1e-4));
            // Per layer, not global: each layer is scaled to the threshold only if it exceeded it itself.
            double expected = Math.min(preClip[layer], THRESHOLD);
            assertThat(applied).as("update norm of layer %d", layer).isCloseTo(expected, within(1e-3 * expected));
        }
    }

    @Test
    void clippingKeepsTheDirectionOfEachLayersUpdate() {
        Step clipped = oneSgdStep(THRESHOLD);
        Step free = oneSgdStep(NO_CLIPPING);

        for (int layer = 0; layer < clipped.updates.length; layer++) {
            INDArray a = clipped.updates[layer].castTo(DataType.DOUBLE);
            INDArray b = free.updates[layer].castTo(DataType.DOUBLE);
            double cosine = a.mul(b).sumNumber().doubleValue()
                    / (a.norm2Number().doubleValue() * b.norm2Number().doubleValue());
            assertThat(cosine).as("cosine between clipped and unclipped update of layer %d", layer)
                    .isGreaterThan(1 - 1e-5);
        }
        assertThat(free.updates[SPEC.layerCount()].norm2Number().doubleValue()).isGreaterThan(100 * THRESHOLD);
    }

    /** The result of one SGD step with learning rate 1 (so the update is the clipped gradient itself). */
    private record Step(INDArray[] updates, GradientStatsListener listener) {
    }

    private static Step oneSgdStep(double threshold) {
        // TBPTT longer than the sequence: exactly one parameter update.
        MultiLayerNetwork net = Dl4jNetworks.create(SPEC, new TrainingOptions(Optimizer.SGD, 1.0, 2 * LENGTH,
                threshold), 11);
        GradientStatsListener listener = new GradientStatsListener(threshold);
        net.addListeners(listener);
        INDArray[] before = layerParams(net);
        net.fit(hugeErrorBatch());
        INDArray[] after = layerParams(net);
        INDArray[] updates = new INDArray[before.length];
        for (int l = 0; l < before.length; l++) {
            updates[l] = after[l].sub(before[l]);
        }
        return new Step(updates, listener);
    }

    /** Targets of 100 where an untrained network outputs about 0: gradients far above any sensible threshold. */
    private static DataSet hugeErrorBatch() {
        Nd4j.getRandom().setSeed(5);
        INDArray features = Nd4j.randn(DataType.FLOAT, 4, SPEC.inputSize(), LENGTH);
        INDArray labels = Nd4j.valueArrayOf(new long[]{4, SPEC.outputSize(), LENGTH}, 100f, DataType.FLOAT);
        return new DataSet(features, labels);
    }

    private static INDArray[] layerParams(MultiLayerNetwork net) {
        INDArray[] params = new INDArray[net.getnLayers()];
        for (int l = 0; l < params.length; l++) {
            params[l] = net.getLayer(l).params().dup();
        }
        return params;
    }
}
