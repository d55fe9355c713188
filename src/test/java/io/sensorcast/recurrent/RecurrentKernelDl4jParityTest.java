package io.sensorcast.recurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;

import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The serving kernel on the scalar step loops against DL4J's own one-step inference on the same weights. */
class RecurrentKernelDl4jParityTest {

    private static final int STEPS = 1000;
    private static final double TOLERANCE = 1e-5;

    @Test
    void singleLstmStepMatchesDl4jRnnTimeStepOver1000Steps() {
        assertMatchesDl4j(new NetworkSpec(CellType.LSTM, 6, new int[] {32}, 5), 11);
    }

    @Test
    void stackedLstmStepMatchesDl4jRnnTimeStepOver1000Steps() {
        assertMatchesDl4j(new NetworkSpec(CellType.LSTM, 6, new int[] {24, 16}, 5), 12);
    }

    @Test
    void singleRnnStepMatchesDl4jRnnTimeStepOver1000Steps() {
        assertMatchesDl4j(new NetworkSpec(CellType.RNN, 6, new int[] {32}, 5), 13);
    }

    @Test
    void stackedRnnStepMatchesDl4jRnnTimeStepOver1000Steps() {
        assertMatchesDl4j(new NetworkSpec(CellType.RNN, 6, new int[] {24, 16}, 5), 14);
    }

    @Test
    void singleGruStepMatchesDl4jRnnTimeStepOver1000Steps() {
        assertMatchesDl4j(new NetworkSpec(CellType.GRU, 6, new int[] {32}, 5), 15);
    }

    @Test
    void stackedGruStepMatchesDl4jRnnTimeStepOver1000Steps() {
        assertMatchesDl4j(new NetworkSpec(CellType.GRU, 6, new int[] {24, 16}, 5), 16);
    }

    @Test
    void lstmWithDistributionHeadMatchesDl4jLocationsAndScalesOver1000Steps() {
        NetworkSpec spec = new NetworkSpec(CellType.LSTM, 6, new int[] {32}, 10);
        TrainingOptions head = new TrainingOptions(Optimizer.ADAM, 1e-3, 50, 20.0, true, true);
        float[][] outputs = assertMatchesDl4j(spec, head, 15);
        // The scales the service reads from the kernel's outputs are the loss's: softplus + MIN_SCALE, as ND4J
        // computes it inside LaplaceHeadLoss.
        float[] dl4j = outputs[0];
        float[] kernel = outputs[1];
        INDArray raw = Nd4j.create(java.util.Arrays.copyOfRange(dl4j, 5, 10));
        float[] expected = org.nd4j.linalg.ops.transforms.Transforms.softPlus(raw, true)
                .addi(LaplaceHead.MIN_SCALE).toFloatVector();
        for (int j = 0; j < 5; j++) {
            assertThat(LaplaceHead.scale(kernel[5 + j])).isCloseTo(expected[j],
                    org.assertj.core.api.Assertions.within(TOLERANCE));
        }
    }

    /** The loops the kernel under test runs on; {@code VectorKernelDl4jParityTest} runs every case on the others. */
    StepLoops loops() {
        return StepLoops.scalar();
    }

    private void assertMatchesDl4j(NetworkSpec spec, long seed) {
        assertMatchesDl4j(spec, TrainingOptions.defaults(), seed);
    }

    /** @return DL4J's and the kernel's head outputs at the last step */
    private float[][] assertMatchesDl4j(NetworkSpec spec, TrainingOptions options, long seed) {
        MultiLayerNetwork net = Dl4jNetworks.create(spec, options, seed);
        perturbBiases(net, spec, seed);
        NetworkWeights weights = WeightSnapshots.fromNetwork(net, spec);
        RecurrentKernel kernel = new RecurrentKernel(spec, loops());

        int layers = spec.layerCount();
        float[][] h = new float[layers][];
        float[][] c = spec.cell().hasCellState() ? new float[layers][] : null;
        for (int l = 0; l < layers; l++) {
            h[l] = new float[spec.hiddenSize(l)];
            if (c != null) {
                c[l] = new float[spec.hiddenSize(l)];
            }
        }
        float[] x = new float[spec.inputSize()];
        float[] out = new float[spec.outputSize()];
        Random random = new Random(seed);
        double worstOutput = 0;
        double worstState = 0;
        double largestOutput = 0;
        float[] lastExpected = new float[0];
        net.rnnClearPreviousState();
        for (int t = 0; t < STEPS; t++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (random.nextGaussian() * 1.5);
            }
            float[] expected = flat(net.rnnTimeStep(Nd4j.create(x.clone(), new long[] {1, x.length, 1}, 'c')));
            kernel.step(weights, h, c, x);
            kernel.predict(weights, h, out);
            lastExpected = expected;

            worstOutput = Math.max(worstOutput, maxAbsDiff(expected, out));
            for (float v : expected) {
                largestOutput = Math.max(largestOutput, Math.abs(v));
            }
            // SimpleRnn and GruLayer store their hidden state under the same "prevAct" key as LSTM
            for (int l = 0; l < layers; l++) {
                Map<String, INDArray> state = net.rnnGetPreviousState(l);
                worstState = Math.max(worstState,
                        maxAbsDiff(flat(state.get(LSTM.STATE_KEY_PREV_ACTIVATION)), h[l]));
                if (c != null) {
                    worstState = Math.max(worstState,
                            maxAbsDiff(flat(state.get(LSTM.STATE_KEY_PREV_MEMCELL)), c[l]));
                }
            }
        }
        System.out.printf("%s on %s loops: worst output diff %.3g, worst state diff %.3g, largest output %.3g%n",
                spec, kernel.loops().name(), worstOutput, worstState, largestOutput);
        assertThat(worstOutput).as("max |head output difference| for %s", spec).isLessThan(TOLERANCE);
        assertThat(worstState).as("max |state difference| for %s", spec).isLessThan(TOLERANCE);
        // guards against a degenerate net whose outputs are all near zero and so trivially agree
        assertThat(largestOutput).as("largest head output for %s", spec).isGreaterThan(0.5);
        return new float[][] {lastExpected, out};
    }

    /** Xavier init leaves biases at zero (forget gate at one): randomise them so biases matter. */
    private static void perturbBiases(MultiLayerNetwork net, NetworkSpec spec, long seed) {
        Nd4j.getRandom().setSeed(seed);
        for (int l = 0; l <= spec.layerCount(); l++) {
            INDArray b = net.getLayer(l).getParam("b");
            b.addi(Nd4j.randn(b.dataType(), b.shape()).muli(0.5));
        }
    }

    private static float[] flat(INDArray a) {
        return Nd4j.toFlattened('c', a).toFloatVector();
    }

    private static double maxAbsDiff(float[] expected, float[] actual) {
        assertThat(actual).hasSameSizeAs(expected);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs((double) expected[i] - actual[i]));
        }
        return worst;
    }
}
