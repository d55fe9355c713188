package io.sensorcast.bench.kernel;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.sensorcast.recurrent.FastMath;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * FastMath's tanh and sigmoid against the JDK's {@code Math.tanh} and {@code 1/(1+Math.exp(-x))}, over
 * {@value #N} pre-activations per call the way the kernel applies them. Reported per call: sample mode
 * keeps whole nanoseconds, too coarse for one value.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Thread)
public class ActivationBench {

    /** 4H of the default H=64 LSTM layer. */
    static final int N = 256;

    float[] in;
    float[] out;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        in = new float[N];
        out = new float[N];
        for (int i = 0; i < N; i++) {
            // pre-activations of a trained network: mostly within a few units of zero
            in[i] = (float) (random.nextGaussian() * 3);
        }
    }

    @Benchmark
    public float[] fastTanh() {
        float[] x = in;
        float[] y = out;
        for (int i = 0; i < x.length; i++) {
            y[i] = FastMath.tanh(x[i]);
        }
        return y;
    }

    @Benchmark
    public float[] jdkTanh() {
        float[] x = in;
        float[] y = out;
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) Math.tanh(x[i]);
        }
        return y;
    }

    @Benchmark
    public float[] fastSigmoid() {
        float[] x = in;
        float[] y = out;
        for (int i = 0; i < x.length; i++) {
            y[i] = FastMath.sigmoid(x[i]);
        }
        return y;
    }

    @Benchmark
    public float[] jdkExpSigmoid() {
        float[] x = in;
        float[] y = out;
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
        }
        return y;
    }
}
