package io.sensorcast.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sensorcast.recurrent.CellType;
import io.sensorcast.recurrent.Dl4jNetworks;
import io.sensorcast.recurrent.NetworkSpec;
import io.sensorcast.recurrent.Optimizer;
import io.sensorcast.recurrent.TrainingOptions;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;

class GradientStatsListenerTest {

    private static final NetworkSpec SPEC = new NetworkSpec(CellType.LSTM, 3, new int[]{5}, 2);

    @Test
    void aLayersNormCombinesAllItsParametersDividedByTheBatchSizeListedInParameterOrder() {
        // Backpropagation order, as DL4J fills the gradient: last layer first.
        DefaultGradient gradient = new DefaultGradient();
        gradient.setGradientFor("1_W", Nd4j.createFromArray(6f, 8f));
        gradient.setGradientFor("1_b", Nd4j.createFromArray(0f));
        gradient.setGradientFor("0_W", Nd4j.createFromArray(3f, 0f, 0f, 0f));
        gradient.setGradientFor("0_RW", Nd4j.createFromArray(0f, 4f));
        gradient.setGradientFor("0_b", Nd4j.createFromArray(12f));

        assertThat(GradientStatsListener.layerNorms(gradient, List.of("0_W", "0_RW", "0_b", "1_W", "1_b"), 2))
                .containsExactly(6.5, 5.0);
    }

    @Test
    void preClipNormIsTheNormOfTheGradientTheOptimiserApplies() {
        // SGD with rate 1 and no effective clipping: each layer's update is exactly its gradient as DL4J
        // presents it to the clipping step, after dividing by the mini-batch size of 4.
        MultiLayerNetwork net = Dl4jNetworks.create(SPEC, new TrainingOptions(Optimizer.SGD, 1, 50, 1e9), 3);
        GradientStatsListener listener = new GradientStatsListener(1e9);
        net.addListeners(listener);
        INDArray[] before = {net.getLayer(0).params().dup(), net.getLayer(1).params().dup()};
        net.fit(batch(4, 12, 7));

        double[] recorded = listener.iterations().get(0).layerNorms();
        for (int layer = 0; layer < 2; layer++) {
            double applied = net.getLayer(layer).params().sub(before[layer]).norm2Number().doubleValue();
            assertThat(recorded[layer]).as("layer %d", layer).isCloseTo(applied, within(1e-4 * applied));
        }
    }

    @Test
    void eachIterationRecordsItsLargestLayerNormAndWhetherItExceededTheThreshold() {
        MultiLayerNetwork net = Dl4jNetworks.create(SPEC, new TrainingOptions(Optimizer.ADAM, 1e-2, 5, 1e9), 3);
        GradientStatsListener unclipped = new GradientStatsListener(1e9);
        net.addListeners(unclipped);
        net.fit(batch(4, 30, 8)); // 6 TBPTT segments
        List<GradientStatsListener.IterationGradients> seen = unclipped.iterations();
        double[] maxima = seen.stream().mapToDouble(GradientStatsListener.IterationGradients::maxNorm).sorted()
                .toArray();
        double threshold = (maxima[2] + maxima[3]) / 2; // half the iterations lie above it

        MultiLayerNetwork twin = Dl4jNetworks.create(SPEC, new TrainingOptions(Optimizer.ADAM, 1e-2, 5, 1e9), 3);
        GradientStatsListener listener = new GradientStatsListener(threshold);
        twin.addListeners(listener);
        twin.fit(batch(4, 30, 8));

        assertThat(listener.iterationCount()).isEqualTo(6);
        for (GradientStatsListener.IterationGradients it : listener.iterations()) {
            double largest = Arrays.stream(it.layerNorms()).max().orElseThrow();
            assertThat(it.maxNorm()).isEqualTo(largest);
            assertThat(it.clipped()).isEqualTo(largest > threshold);
        }
        assertThat(listener.clippedFraction()).isEqualTo(0.5);
        assertThat(listener.maxPreClipNorm()).isEqualTo(maxima[5]);
        assertThat(listener.meanPreClipNorm()).isCloseTo(Arrays.stream(maxima).average().orElseThrow(),
                within(1e-9));
    }

    @Test
    void resetForgetsEveryIteration() {
        MultiLayerNetwork net = Dl4jNetworks.create(SPEC, TrainingOptions.defaults(), 3);
        GradientStatsListener listener = new GradientStatsListener(1);
        net.addListeners(listener);
        net.fit(batch(2, 10, 9));
        assertThat(listener.iterationCount()).isEqualTo(1);

        listener.reset();

        assertThat(listener.iterationCount()).isZero();
        assertThat(listener.iterations()).isEmpty();
        assertThat(listener.meanPreClipNorm()).isNaN();
        assertThat(listener.maxPreClipNorm()).isNaN();
        assertThat(listener.clippedFraction()).isNaN();
    }

    @Test
    void rejectsANonPositiveThreshold() {
        assertThatThrownBy(() -> new GradientStatsListener(0)).hasMessageContaining("clipThreshold");
    }

    private static DataSet batch(int n, int length, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray features = Nd4j.randn(DataType.FLOAT, n, SPEC.inputSize(), length);
        INDArray labels = Nd4j.randn(DataType.FLOAT, n, SPEC.outputSize(), length);
        return new DataSet(features, labels);
    }
}
