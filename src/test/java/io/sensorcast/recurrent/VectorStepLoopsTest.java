package io.sensorcast.recurrent;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.testing.IntegrationTest;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Vector API step loops give the scalar loops' results bit for bit, and the kernel on them allocates nothing.
 * An integration test: it needs {@code --add-modules jdk.incubator.vector} and C2, which failsafe's JVMs have.
 */
@IntegrationTest
class VectorStepLoopsTest {

    private static final Random RANDOM = new Random(20261130);

    private static StepLoops vector() {
        return StepLoops.vector().orElseThrow(() -> new AssertionError(
                "the integration tier's JVM must start with --add-modules " + StepLoops.VECTOR_MODULE));
    }

    @Test
    void vectorLoopsArePreferredWhenTheJvmHasTheIncubatorModule() {
        assertThat(StepLoops.preferred()).isSameAs(vector()).isNotSameAs(StepLoops.scalar());
        assertThat(new RecurrentKernel(new NetworkSpec(CellType.LSTM, 1, new int[] {4}, 1)).loops()).isSameAs(vector());
        assertThat(vector().name()).startsWith("vector (");
    }

    @Test
    void rowSumsEqualTheScalarLoopsBitForBitForEveryWidthAndRange() {
        // widths below, at and between multiples of the vector length (4, 8 or 16 lanes) and of the panel width,
        // partial column ranges, some starting on a panel boundary (read from the panels) and some not (the rows)
        for (int width = 1; width <= 200; width += (width < 70 ? 1 : 13)) {
            int rowCount = 1 + RANDOM.nextInt(40);
            float[][] rows = new float[rowCount][width];
            float[] coeff = new float[rowCount];
            for (int r = 0; r < rowCount; r++) {
                coeff[r] = (float) RANDOM.nextGaussian();
                for (int j = 0; j < width; j++) {
                    rows[r][j] = (float) RANDOM.nextGaussian();
                }
            }
            float[] panels = LayerWeights.panels(rows);
            int from = RANDOM.nextInt(rowCount);
            int jFrom = RANDOM.nextInt(width);
            // the last range starts on a panel boundary past the first panel, and ends inside a later one
            int panelStart = width > LayerWeights.PANEL ? LayerWeights.PANEL : 0;
            for (int[] range : new int[][] {{0, rowCount, 0, width}, {from, rowCount, jFrom, width},
                    {from, rowCount, panelStart, width - RANDOM.nextInt(width - panelStart)}}) {
                float[] start = new float[width];
                for (int j = 0; j < width; j++) {
                    start[j] = (float) RANDOM.nextGaussian();
                }
                float[] scalar = start.clone();
                float[] vector = start.clone();
                StepLoops.scalar().addRows(scalar, coeff, rows, panels, range[0], range[1], range[2], range[3]);
                vector().addRows(vector, coeff, rows, panels, range[0], range[1], range[2], range[3]);
                assertBitIdentical(vector, scalar, "row sum, width " + width);
            }
        }
    }

    @Test
    void activationsEqualFastMathBitForBitOnSampledFloatBitPatterns() {
        // every 65,537th bit pattern (NaNs, infinities, subnormals, huge values) plus a dense grid over [-10, 10],
        // in arrays whose length is no multiple of the vector length, so the scalar tail runs too
        int n = 65_536 + 20_001 + 3;
        float[] x = new float[n];
        int k = 0;
        for (long bits = 0; bits <= 0xFFFF_FFFFL && k < 65_536; bits += 65_537) {
            x[k++] = Float.intBitsToFloat((int) bits);
        }
        for (int i = 0; i <= 20_000; i++) {
            x[k++] = -10f + i / 1000f;
        }
        x[k++] = Float.POSITIVE_INFINITY;
        x[k++] = Float.NEGATIVE_INFINITY;
        x[k] = Float.NaN;
        float[] scale = new float[n];
        for (int j = 0; j < n; j++) {
            scale[j] = j % 3 == 0 ? 1f : 0.5f;
        }
        float[] tanh = new float[n];
        vector().tanh(x, tanh, n);
        float[] scaled = x.clone();
        vector().scaledTanh(scaled, scale);
        float[] expectedScaled = x.clone();
        StepLoops.scalar().scaledTanh(expectedScaled, scale);
        for (int j = 0; j < n; j++) {
            assertThat(Float.floatToIntBits(tanh[j])).as("tanh(%s)", x[j]).isEqualTo(Float.floatToIntBits(FastMath.tanh(x[j])));
        }
        assertBitIdentical(scaled, expectedScaled, "scaled tanh");
    }

    @Test
    void kernelStepsAndHeadOutputsEqualTheScalarKernelBitForBitForEveryCell() {
        for (CellType cell : CellType.values()) {
            for (NetworkSpec spec : new NetworkSpec[] {
                    new NetworkSpec(cell, 4, new int[] {32}, 5),
                    new NetworkSpec(cell, 1, new int[] {64}, 5),
                    new NetworkSpec(cell, 3, new int[] {7, 5}, 3)}) {
                NetworkWeights w = randomWeights(spec);
                RecurrentKernel scalar = new RecurrentKernel(spec, StepLoops.scalar());
                RecurrentKernel vector = new RecurrentKernel(spec, vector());
                float[][] hs = zeros(spec);
                float[][] hv = zeros(spec);
                float[][] cs = cell.hasCellState() ? zeros(spec) : null;
                float[][] cv = cell.hasCellState() ? zeros(spec) : null;
                float[] outS = new float[spec.outputSize()];
                float[] outV = new float[spec.outputSize()];
                float[] x = new float[spec.inputSize()];
                for (int t = 0; t < 1000; t++) {
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) (RANDOM.nextGaussian() * 1.5);
                    }
                    scalar.step(w, hs, cs, x);
                    vector.step(w, hv, cv, x);
                    scalar.predict(w, hs, outS);
                    vector.predict(w, hv, outV);
                    assertBitIdentical(outV, outS, spec + " output at step " + t);
                    for (int l = 0; l < spec.layerCount(); l++) {
                        assertBitIdentical(hv[l], hs[l], spec + " hidden state at step " + t);
                        if (cs != null) {
                            assertBitIdentical(cv[l], cs[l], spec + " cell state at step " + t);
                        }
                    }
                }
                assertThat(hs[spec.layerCount() - 1]).as("a live state, not all zeros").doesNotContain(0f);
            }
        }
    }

    @Test
    void vectorKernelAllocatesNothingPerStepOnceCompiledEvenAfterOtherShapesRanFirst() {
        // Narrow layers first, whose units all go through the scalar tails: C2 then compiles the loops with their
        // vector paths cold, which once left a vector helper out of line and boxed 3 KB per step.
        NetworkSpec narrow = new NetworkSpec(CellType.LSTM, 3, new int[] {7, 5}, 3);
        RecurrentKernel narrowKernel = new RecurrentKernel(narrow, vector());
        NetworkWeights narrowWeights = randomWeights(narrow);
        float[][] nh = zeros(narrow);
        float[][] nc = zeros(narrow);
        float[] nOut = new float[3];
        for (int t = 0; t < 100_000; t++) {
            narrowKernel.step(narrowWeights, nh, nc, new float[] {0.1f, -0.2f, 0.3f});
            narrowKernel.predict(narrowWeights, nh, nOut);
        }
        NetworkSpec spec = new NetworkSpec(CellType.LSTM, 4, new int[] {64}, 5);
        NetworkWeights w = randomWeights(spec);
        RecurrentKernel kernel = new RecurrentKernel(spec, vector());
        float[][] h = zeros(spec);
        float[][] c = zeros(spec);
        float[] x = {0.5f, -1f, 2f, 0.1f};
        float[] out = new float[spec.outputSize()];
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // until C2 has compiled the loops, the Vector API boxes every vector; 200,000 steps is ample
        for (int t = 0; t < 200_000; t++) {
            kernel.step(w, h, c, x);
            kernel.predict(w, h, out);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int t = 0; t < 100_000; t++) {
            kernel.step(w, h, c, x);
            kernel.predict(w, h, out);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated over 100,000 compiled steps").isLessThan(1024);
        assertThat(out[0]).isFinite();
    }

    private static void assertBitIdentical(float[] actual, float[] expected, String what) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int j = 0; j < expected.length; j++) {
            assertThat(Float.floatToIntBits(actual[j])).as("%s, index %d: %s against %s", what, j, actual[j], expected[j])
                    .isEqualTo(Float.floatToIntBits(expected[j]));
        }
    }

    private static float[][] zeros(NetworkSpec spec) {
        float[][] s = new float[spec.layerCount()][];
        for (int l = 0; l < s.length; l++) {
            s[l] = new float[spec.hiddenSize(l)];
        }
        return s;
    }

    private static NetworkWeights randomWeights(NetworkSpec spec) {
        float[] flat = new float[WeightSnapshots.parameterCount(spec)];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = (float) (RANDOM.nextGaussian() * 0.3);
        }
        return WeightSnapshots.fromFlatParams(spec, flat);
    }
}
