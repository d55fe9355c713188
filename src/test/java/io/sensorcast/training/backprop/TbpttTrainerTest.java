package io.sensorcast.training.backprop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Percentage.withPercentage;

import io.sensorcast.recurrent.CellType;
import io.sensorcast.recurrent.Dl4jNetworks;
import io.sensorcast.recurrent.NetworkSpec;
import io.sensorcast.recurrent.Optimizer;
import io.sensorcast.recurrent.TrainingOptions;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

class TbpttTrainerTest {

    /** A loss, as the trainer's options select it. */
    enum Loss { MAE, MSE, LAPLACE }

    /** Cells, losses, one and two layers, several widths. */
    static Stream<Arguments> networks() {
        List<Arguments> cases = new ArrayList<>();
        for (CellType cell : CellType.values()) {
            for (Loss loss : Loss.values()) {
                cases.add(Arguments.of(cell, loss, new int[]{8}, 3, 4));
            }
            cases.add(Arguments.of(cell, Loss.MAE, new int[]{12, 6}, 5, 3));
            cases.add(Arguments.of(cell, Loss.MSE, new int[]{7, 9}, 2, 2));
        }
        return cases.stream();
    }

    static MultiLayerNetwork network(CellType cell, Loss loss, int[] hidden, int inputSize, int outputs,
                                     Optimizer optimizer, double clip, int tbptt, long seed) {
        NetworkSpec spec = new NetworkSpec(cell, inputSize, hidden, loss == Loss.LAPLACE ? 2 * outputs : outputs);
        TrainingOptions options = new TrainingOptions(optimizer, 1e-2, tbptt, clip, loss == Loss.MAE, loss == Loss.LAPLACE);
        MultiLayerNetwork net = Dl4jNetworks.create(spec, options, seed);
        // Random biases too, so every gate's gradient path is exercised away from its initial value.
        Random random = new Random(seed);
        INDArray params = net.params();
        for (long i = 0; i < params.length(); i++) {
            params.putScalar(i, (float) (random.nextGaussian() * 0.4));
        }
        return net;
    }

    static DataSet data(int n, int inputSize, int labels, int length, long seed) {
        Random random = new Random(seed);
        float[] f = new float[n * inputSize * length];
        float[] l = new float[n * labels * length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < l.length; i++) {
            l[i] = (float) random.nextGaussian();
        }
        return new DataSet(Nd4j.create(f, new long[]{n, inputSize, length}, 'c'),
                Nd4j.create(l, new long[]{n, labels, length}, 'c'));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("networks")
    void gradientAndScoreEqualDl4jsComputeGradientAndScore(CellType cell, Loss loss, int[] hidden, int inputSize,
                                                           int labels) {
        MultiLayerNetwork net = network(cell, loss, hidden, inputSize, labels, Optimizer.ADAM, 5, 20, 11);
        int n = 5;
        int length = 13;
        DataSet data = data(n, inputSize, labels, length, 3);

        net.rnnClearPreviousState();
        net.setInput(data.getFeatures());
        net.setLabels(data.getLabels());
        net.computeGradientAndScore();
        float[] expected = net.getFlattenedGradients().toFloatVector();
        double expectedScore = net.score();

        TbpttTrainer trainer = new TbpttTrainer(net, n, length);
        trainer.load();
        float[] actual = new float[expected.length];
        double score = trainer.gradientAndScore(flat(data.getFeatures()), flat(data.getLabels()), n, length, actual);

        assertThat(score).isCloseTo(expectedScore, withPercentage(1e-2));
        assertRelativelyClose(actual, expected, 1e-4);
    }

    /** Each optimiser and each cell, clipped (0.05 clips every update) and not (1e6). */
    static Stream<Arguments> optimisers() {
        return Stream.of(Arguments.of(Optimizer.ADAM, CellType.LSTM, 0.05), Arguments.of(Optimizer.ADAM, CellType.LSTM, 1e6),
                Arguments.of(Optimizer.ADAM, CellType.RNN, 0.05), Arguments.of(Optimizer.ADAM, CellType.GRU, 0.05),
                Arguments.of(Optimizer.SGD, CellType.LSTM, 0.05), Arguments.of(Optimizer.SGD, CellType.GRU, 1e6),
                Arguments.of(Optimizer.RMSPROP, CellType.LSTM, 0.05), Arguments.of(Optimizer.RMSPROP, CellType.RNN, 1e6));
    }

    @ParameterizedTest(name = "{0} {1} clip {2}")
    @MethodSource("optimisers")
    void severalTruncatedUpdatesEndWhereDl4jsFitEnds(Optimizer optimizer, CellType cell, double clip) {
        int[] hidden = {6, 5};
        int length = 24;
        // TBPTT 10: segments of 10, 10 and 4 steps, the state carried between them.
        MultiLayerNetwork reference = network(cell, Loss.MAE, hidden, 3, 2, optimizer, clip, 10, 5);
        MultiLayerNetwork fast = network(cell, Loss.MAE, hidden, 3, 2, optimizer, clip, 10, 5);
        List<DataSet> batches = List.of(data(4, 3, 2, length, 1), data(3, 3, 2, length, 2), data(4, 3, 2, length, 3));
        List<double[]> fastNorms = new ArrayList<>();

        TbpttTrainer trainer = new TbpttTrainer(fast, 4, length);
        trainer.load();
        for (DataSet batch : batches) {
            reference.fit(batch);
            trainer.fitBatch(flat(batch.getFeatures()), flat(batch.getLabels()), (int) batch.getFeatures().size(0),
                    length, norms -> fastNorms.add(norms.clone()));
        }
        trainer.store();

        assertThat(fastNorms).hasSize(9);
        assertThat(fast.getIterationCount()).isEqualTo(reference.getIterationCount()).isEqualTo(9);
        assertRelativelyClose(fast.params().toFloatVector(), reference.params().toFloatVector(), 1e-4);
        if (optimizer != Optimizer.SGD) {
            assertRelativelyClose(fast.getUpdater().getStateViewArray().toFloatVector(),
                    reference.getUpdater().getStateViewArray().toFloatVector(), 1e-4);
        }
    }

    static float[] flat(INDArray a) {
        return Nd4j.toFlattened('c', a).toFloatVector();
    }

    /** Every value within {@code tolerance} of the largest magnitude in {@code expected}. */
    static void assertRelativelyClose(float[] actual, float[] expected, double tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertThat(scale).isGreaterThan(0);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < actual.length; i++) {
            double d = Math.abs(actual[i] - expected[i]);
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        assertThat(worst / scale).as("largest difference at %d: %s vs %s (scale %s)", at,
                at < 0 ? 0 : actual[at], at < 0 ? 0 : expected[at], scale).isLessThanOrEqualTo(tolerance);
    }

    @Test
    void refusesANetworkItCannotReproduce() {
        MultiLayerNetwork dense = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .gradientNormalization(GradientNormalization.ClipL2PerLayer)
                .list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(3).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).nIn(3).nOut(1).build())
                .build());
        dense.init();

        assertThat(TbpttTrainer.unsupported(dense)).hasValueSatisfying(r -> assertThat(r).contains("DenseLayer"));
        assertThatThrownBy(() -> new TbpttTrainer(dense, 4, 10)).hasMessageContaining("cannot fit");
    }
}
