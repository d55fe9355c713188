package io.sensorcast.bench.kernel;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.sensorcast.recurrent.CellType;
import io.sensorcast.recurrent.Dl4jNetworks;
import io.sensorcast.recurrent.NetworkSpec;
import io.sensorcast.recurrent.NetworkWeights;
import io.sensorcast.recurrent.RecurrentKernel;
import io.sensorcast.recurrent.StepLoops;
import io.sensorcast.recurrent.TrainingOptions;
import io.sensorcast.recurrent.WeightSnapshots;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One recurrent step plus the linear head for one key: the serving Java kernel, DL4J {@code rnnTimeStep}
 * for a single key, and DL4J stepping {@value #BATCH} keys per call (reported per key).
 *
 * <p>One layer of H units over D inputs with a head of {@value #OUTPUTS} outputs, the shape
 * {@code src/bench/c/step.c} times in C. Inputs cycle through {@value #INPUTS} random vectors so the
 * state keeps changing. Sample mode, so that the median of single steps can be quoted: on a shared
 * machine the mean mostly measures how often the benchmark thread was descheduled.
 *
 * <p>{@code javaKernel} runs on {@link StepLoops#preferred()}, the Vector API loops (the forks start with
 * {@code --add-modules jdk.incubator.vector}, as the service does); {@code javaKernelScalar} on the plain Java loops.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class StepBench {

    static final int OUTPUTS = 5;
    static final int INPUTS = 256;
    static final int BATCH = 256;
    static final long SEED = 42;

    /** The shape under test; shared by the three implementations' states. */
    @State(Scope.Benchmark)
    public static class Shape {
        @Param({"LSTM", "GRU", "RNN"})
        public CellType cell;
        @Param({"32", "64", "128"})
        public int hidden;
        @Param({"1", "4"})
        public int inputs;

        NetworkSpec spec() {
            return new NetworkSpec(cell, inputs, new int[] {hidden}, OUTPUTS);
        }

        float[][] randomInputs(int count) {
            Random random = new Random(SEED);
            float[][] xs = new float[count][inputs];
            for (float[] x : xs) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) random.nextGaussian();
                }
            }
            return xs;
        }

        MultiLayerNetwork network() {
            return Dl4jNetworks.create(spec(), TrainingOptions.defaults(), SEED);
        }
    }

    /** The serving kernel over a snapshot of the DL4J network's weights, on the loops a subclass picks. */
    abstract static class KernelState {
        RecurrentKernel kernel;
        NetworkWeights weights;
        float[][] h;
        float[][] c;
        float[] out;
        float[][] xs;
        int t;

        void init(Shape shape, StepLoops loops) {
            NetworkSpec spec = shape.spec();
            weights = WeightSnapshots.fromNetwork(shape.network(), spec);
            kernel = new RecurrentKernel(spec, loops);
            h = new float[][] {new float[shape.hidden]};
            c = spec.cell().hasCellState() ? new float[][] {new float[shape.hidden]} : null;
            out = new float[OUTPUTS];
            xs = shape.randomInputs(INPUTS);
        }
    }

    /** The kernel as the service runs it: on {@link StepLoops#preferred()}. */
    @State(Scope.Thread)
    public static class JavaKernel extends KernelState {
        @Setup
        public void setUp(Shape shape) {
            init(shape, StepLoops.preferred());
        }
    }

    /** The kernel on the plain Java loops. */
    @State(Scope.Thread)
    public static class ScalarJavaKernel extends KernelState {
        @Setup
        public void setUp(Shape shape) {
            init(shape, StepLoops.scalar());
        }
    }

    /** DL4J holding one key's state inside the network, as {@code rnnTimeStep} does. */
    @State(Scope.Thread)
    public static class Dl4jSingleKey {
        MultiLayerNetwork net;
        INDArray[] xs;
        int t;

        @Setup
        public void setUp(Shape shape) {
            net = shape.network();
            float[][] raw = shape.randomInputs(INPUTS);
            xs = new INDArray[raw.length];
            for (int i = 0; i < raw.length; i++) {
                xs[i] = Nd4j.create(raw[i], new long[] {1, shape.inputs, 1}, 'c');
            }
            net.rnnClearPreviousState();
        }
    }

    /** DL4J stepping {@value #BATCH} keys in one call, their states stacked in the network. */
    @State(Scope.Thread)
    public static class Dl4jBatch {
        MultiLayerNetwork net;
        INDArray[] xs;
        int t;

        @Setup
        public void setUp(Shape shape) {
            net = shape.network();
            float[][] raw = shape.randomInputs(BATCH + 8);
            xs = new INDArray[8];
            for (int v = 0; v < xs.length; v++) {
                float[] batch = new float[BATCH * shape.inputs];
                for (int k = 0; k < BATCH; k++) {
                    System.arraycopy(raw[v + k], 0, batch, k * shape.inputs, shape.inputs);
                }
                xs[v] = Nd4j.create(batch, new long[] {BATCH, shape.inputs, 1}, 'c');
            }
            net.rnnClearPreviousState();
        }
    }

    @Benchmark
    public float javaKernel(JavaKernel s) {
        return step(s);
    }

    @Benchmark
    public float javaKernelScalar(ScalarJavaKernel s) {
        return step(s);
    }

    private static float step(KernelState s) {
        s.kernel.step(s.weights, s.h, s.c, s.xs[s.t++ & (INPUTS - 1)]);
        s.kernel.predict(s.weights, s.h, s.out);
        return s.out[0];
    }

    @Benchmark
    public INDArray dl4jSingleKey(Dl4jSingleKey s) {
        return s.net.rnnTimeStep(s.xs[s.t++ & (INPUTS - 1)]);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public INDArray dl4jBatch256PerKey(Dl4jBatch s) {
        return s.net.rnnTimeStep(s.xs[s.t++ & 7]);
    }
}
