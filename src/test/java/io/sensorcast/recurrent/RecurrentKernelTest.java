package io.sensorcast.recurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.lang.management.ManagementFactory;
import java.util.Random;

import com.sun.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

class RecurrentKernelTest {

    private static final int WARM_UP_STEPS = 30_000;
    private static final int MEASURED_STEPS = 10_000;
    private static final long ALLOCATION_SLACK_BYTES = 1024;

    @Test
    void lstmStepAndPredictAllocateNothingAfterWarmUp() {
        assertNoAllocationPerStep(new NetworkSpec(CellType.LSTM, 6, new int[] {32, 16}, 5));
    }

    @Test
    void rnnStepAndPredictAllocateNothingAfterWarmUp() {
        assertNoAllocationPerStep(new NetworkSpec(CellType.RNN, 6, new int[] {32, 16}, 5));
    }

    @Test
    void gruStepAndPredictAllocateNothingAfterWarmUp() {
        assertNoAllocationPerStep(new NetworkSpec(CellType.GRU, 6, new int[] {32, 16}, 5));
    }

    @Test
    void rnnStepIsTanhOfInputPlusRecurrentPlusBias() {
        // 1 input, 1 unit: h1 = tanh(2*0.5 + 0 + 0.25), h2 = tanh(2*(-1) + 3*h1 + 0.25)
        NetworkSpec spec = new NetworkSpec(CellType.RNN, 1, new int[] {1}, 1);
        NetworkWeights w = new NetworkWeights(spec,
                new LayerWeights[] {new LayerWeights(1, 1, new float[] {2f}, new float[] {3f}, new float[] {0.25f})},
                new float[] {1f}, new float[] {0f});
        float[][] h = {{0f}};
        RecurrentKernel kernel = new RecurrentKernel(spec);
        kernel.step(w, h, null, new float[] {0.5f});
        double h1 = Math.tanh(1.25);
        assertThat((double) h[0][0]).isCloseTo(h1, offset(1e-6));
        kernel.step(w, h, null, new float[] {-1f});
        assertThat((double) h[0][0]).isCloseTo(Math.tanh(-2 + 3 * h1 + 0.25), offset(1e-6));
    }

    @Test
    void predictIsLastHiddenTimesHeadPlusBias() {
        NetworkSpec spec = new NetworkSpec(CellType.RNN, 1, new int[] {3, 2}, 3);
        NetworkWeights w = randomWeights(spec, new Random(5));
        // head row-major 2 x 3
        w = new NetworkWeights(spec, w.layers(), new float[] {1, 2, 3, 4, 5, 6}, new float[] {0.5f, -0.5f, 1f});
        float[][] h = {{9f, 9f, 9f}, {0.5f, -1f}};
        float[] out = new float[3];
        new RecurrentKernel(spec).predict(w, h, out);
        assertThat(out).containsExactly(0.5f + 0.5f - 4f, -0.5f + 1f - 5f, 1f + 1.5f - 6f);
    }

    @Test
    void stepRejectsWeightsOfAnotherSpec() {
        NetworkSpec spec = new NetworkSpec(CellType.RNN, 2, new int[] {4}, 1);
        NetworkSpec other = new NetworkSpec(CellType.RNN, 2, new int[] {5}, 1);
        NetworkWeights w = randomWeights(other, new Random(1));
        assertThatThrownBy(() -> new RecurrentKernel(spec).step(w, new float[][] {new float[4]}, null, new float[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("H=[5]").hasMessageContaining("H=[4]");
    }

    @Test
    void stepRejectsMissingCellStateForLstmAndWrongInputWidth() {
        NetworkSpec spec = new NetworkSpec(CellType.LSTM, 2, new int[] {4}, 1);
        NetworkWeights w = randomWeights(spec, new Random(1));
        RecurrentKernel kernel = new RecurrentKernel(spec);
        float[][] h = {new float[4]};
        assertThatThrownBy(() -> kernel.step(w, h, null, new float[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cell state");
        assertThatThrownBy(() -> kernel.step(w, h, new float[][] {new float[4]}, new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3").hasMessageContaining("2");
    }

    @Test
    void lstmStepAndPredictEqualAPlainDoubleReferenceWhenNoSizeIsAMultipleOfFour() {
        assertMatchesReference(new NetworkSpec(CellType.LSTM, 3, new int[] {7, 5}, 3));
    }

    @Test
    void rnnStepAndPredictEqualAPlainDoubleReferenceWhenNoSizeIsAMultipleOfFour() {
        assertMatchesReference(new NetworkSpec(CellType.RNN, 3, new int[] {7, 5}, 3));
    }

    @Test
    void gruStepAndPredictEqualAPlainDoubleReferenceWhenNoSizeIsAMultipleOfFour() {
        assertMatchesReference(new NetworkSpec(CellType.GRU, 3, new int[] {7, 5}, 3));
    }

    @Test
    void gruWithAClosedUpdateGateKeepsItsStateAndWithAnOpenOneTakesTheCandidate() {
        // 1 input, 1 unit; blocks reset | update | candidate. Update bias -40: z = 0, h stays; +40: h = tanh(...)
        NetworkSpec spec = new NetworkSpec(CellType.GRU, 1, new int[] {1}, 1);
        float[] w = {0f, 0f, 2f};
        float[] rw = {0f, 0f, 3f};
        RecurrentKernel kernel = new RecurrentKernel(spec);
        float[][] h = {{0.5f}};
        NetworkWeights closed = new NetworkWeights(spec,
                new LayerWeights[] {new LayerWeights(1, 1, w, rw, new float[] {0f, -40f, 0.25f})}, new float[] {1f},
                new float[] {0f});
        kernel.step(closed, h, null, new float[] {1f});
        assertThat(h[0][0]).isEqualTo(0.5f);
        // reset bias +40: r = 1, so the candidate sees all of h: tanh(2*1 + 3*0.5 + 0.25)
        NetworkWeights open = new NetworkWeights(spec,
                new LayerWeights[] {new LayerWeights(1, 1, w, rw, new float[] {40f, 40f, 0.25f})}, new float[] {1f},
                new float[] {0f});
        kernel.step(open, h, null, new float[] {1f});
        assertThat((double) h[0][0]).isCloseTo(Math.tanh(2 + 1.5 + 0.25), offset(1e-6));
        // reset bias -40: r = 0, the candidate ignores h: tanh(2*1 + 0.25)
        NetworkWeights reset = new NetworkWeights(spec,
                new LayerWeights[] {new LayerWeights(1, 1, w, rw, new float[] {-40f, 40f, 0.25f})}, new float[] {1f},
                new float[] {0f});
        kernel.step(reset, h, null, new float[] {1f});
        assertThat((double) h[0][0]).isCloseTo(Math.tanh(2.25), offset(1e-6));
    }

    /**
     * The kernel's padded rows, gate copies and paired head against the textbook formulas evaluated in
     * double straight from the DL4J-layout arrays; odd sizes exercise every padding and tail path.
     */
    private static void assertMatchesReference(NetworkSpec spec) {
        Random random = new Random(7);
        NetworkWeights w = randomWeights(spec, random);
        int layers = spec.layerCount();
        boolean lstm = spec.cell() == CellType.LSTM;
        float[][] h = new float[layers][];
        float[][] c = lstm ? new float[layers][] : null;
        double[][] refH = new double[layers][];
        double[][] refC = new double[layers][];
        for (int l = 0; l < layers; l++) {
            h[l] = new float[spec.hiddenSize(l)];
            refH[l] = new double[spec.hiddenSize(l)];
            refC[l] = new double[spec.hiddenSize(l)];
            if (lstm) {
                c[l] = new float[spec.hiddenSize(l)];
            }
        }
        RecurrentKernel kernel = new RecurrentKernel(spec);
        float[] x = new float[spec.inputSize()];
        float[] out = new float[spec.outputSize()];
        double worst = 0;
        double largest = 0;
        for (int t = 0; t < 300; t++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (random.nextGaussian() * 1.5);
            }
            kernel.step(w, h, c, x);
            kernel.predict(w, h, out);
            double[] in = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                in[i] = x[i];
            }
            for (int l = 0; l < layers; l++) {
                referenceStep(w.layers()[l], spec.cell(), in, refH[l], refC[l]);
                in = refH[l];
            }
            for (int j = 0; j < out.length; j++) {
                double y = w.headB()[j];
                for (int k = 0; k < in.length; k++) {
                    y += in[k] * w.headW()[k * out.length + j];
                }
                worst = Math.max(worst, Math.abs(y - out[j]));
                largest = Math.max(largest, Math.abs(y));
            }
            for (int l = 0; l < layers; l++) {
                for (int k = 0; k < refH[l].length; k++) {
                    worst = Math.max(worst, Math.abs(refH[l][k] - h[l][k]));
                    if (lstm) {
                        worst = Math.max(worst, Math.abs(refC[l][k] - c[l][k]));
                    }
                }
            }
        }
        assertThat(worst).as("max |kernel - reference| over 300 steps of %s", spec).isLessThan(1e-5);
        assertThat(largest).as("outputs are not trivially near zero").isGreaterThan(0.1);
    }

    private static void referenceStep(LayerWeights lw, CellType cell, double[] in, double[] h, double[] c) {
        if (cell == CellType.GRU) {
            referenceGruStep(lw, in, h);
            return;
        }
        boolean lstm = cell == CellType.LSTM;
        int hs = h.length;
        int width = lw.b().length;
        double[] z = new double[width];
        for (int j = 0; j < width; j++) {
            z[j] = lw.b()[j];
            for (int i = 0; i < in.length; i++) {
                z[j] += in[i] * lw.w()[i * width + j];
            }
            for (int k = 0; k < hs; k++) {
                z[j] += h[k] * lw.rw()[k * width + j];
            }
        }
        for (int j = 0; j < hs; j++) {
            if (lstm) {
                double cj = sigmoid(z[hs + j]) * c[j] + sigmoid(z[3 * hs + j]) * Math.tanh(z[j]);
                c[j] = cj;
                h[j] = sigmoid(z[2 * hs + j]) * Math.tanh(cj);
            } else {
                h[j] = Math.tanh(z[j]);
            }
        }
    }

    /** r = σ(x·W_r + h·RW_r + b_r), z likewise, ĥ = tanh(x·W_c + (r ⊙ h)·RW_c + b_c), h' = (1 - z) h + z ĥ. */
    private static void referenceGruStep(LayerWeights lw, double[] in, double[] h) {
        int hs = h.length;
        int width = 3 * hs;
        double[] r = new double[hs];
        double[] z = new double[hs];
        for (int j = 0; j < hs; j++) {
            double ar = lw.b()[j];
            double az = lw.b()[hs + j];
            for (int i = 0; i < in.length; i++) {
                ar += in[i] * lw.w()[i * width + j];
                az += in[i] * lw.w()[i * width + hs + j];
            }
            for (int k = 0; k < hs; k++) {
                ar += h[k] * lw.rw()[k * width + j];
                az += h[k] * lw.rw()[k * width + hs + j];
            }
            r[j] = sigmoid(ar);
            z[j] = sigmoid(az);
        }
        double[] next = new double[hs];
        for (int j = 0; j < hs; j++) {
            double ac = lw.b()[2 * hs + j];
            for (int i = 0; i < in.length; i++) {
                ac += in[i] * lw.w()[i * width + 2 * hs + j];
            }
            for (int k = 0; k < hs; k++) {
                ac += r[k] * h[k] * lw.rw()[k * width + 2 * hs + j];
            }
            next[j] = (1 - z[j]) * h[j] + z[j] * Math.tanh(ac);
        }
        System.arraycopy(next, 0, h, 0, hs);
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    private static void assertNoAllocationPerStep(NetworkSpec spec) {
        Random random = new Random(42);
        NetworkWeights w = randomWeights(spec, random);
        float[][] inputs = new float[256][spec.inputSize()];
        for (float[] x : inputs) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
            }
        }
        float[][] h = new float[spec.layerCount()][];
        float[][] c = spec.cell().hasCellState() ? new float[spec.layerCount()][] : null;
        for (int l = 0; l < spec.layerCount(); l++) {
            h[l] = new float[spec.hiddenSize(l)];
            if (c != null) {
                c[l] = new float[spec.hiddenSize(l)];
            }
        }
        float[] out = new float[spec.outputSize()];
        RecurrentKernel kernel = new RecurrentKernel(spec);
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();

        run(kernel, w, h, c, inputs, out, WARM_UP_STEPS);
        long before = threads.getCurrentThreadAllocatedBytes();
        run(kernel, w, h, c, inputs, out, MEASURED_STEPS);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(allocated).as("bytes allocated over %d steps of %s", MEASURED_STEPS, spec)
                .isLessThan(ALLOCATION_SLACK_BYTES);
        // the steps really ran: a finite, non-trivial forecast came out
        for (float v : out) {
            assertThat(v).isFinite();
        }
        assertThat(h[spec.layerCount() - 1]).doesNotContain(0f);
    }

    private static void run(RecurrentKernel kernel, NetworkWeights w, float[][] h, float[][] c, float[][] inputs,
                            float[] out, int steps) {
        for (int t = 0; t < steps; t++) {
            kernel.step(w, h, c, inputs[t & (inputs.length - 1)]);
            kernel.predict(w, h, out);
        }
    }

    private static NetworkWeights randomWeights(NetworkSpec spec, Random random) {
        float[] flat = new float[WeightSnapshots.parameterCount(spec)];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = (float) (random.nextGaussian() * 0.2);
        }
        return WeightSnapshots.fromFlatParams(spec, flat);
    }
}
