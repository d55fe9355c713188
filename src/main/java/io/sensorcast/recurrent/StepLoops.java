package io.sensorcast.recurrent;

import java.lang.reflect.InvocationTargetException;
import java.util.Optional;

/**
 * The loops a serving step spends its time in, plain Java or written with the Vector API; both give bit-identical
 * results.
 *
 * <p>The vector loops ({@code io.sensorcast.recurrent.VectorStepLoops}) use {@code jdk.incubator.vector}, which
 * Java 17 only resolves when the JVM starts with {@code --add-modules jdk.incubator.vector} (every launcher of the
 * project passes it, and the JVM then prints one "Using incubator modules" line). Without it {@link #preferred()}
 * falls back to the scalar loops, which C2 auto-vectorises less well (BENCHMARKS.md, "Step kernel").
 */
public interface StepLoops {

    /** The module the vector loops need. */
    String VECTOR_MODULE = "jdk.incubator.vector";

    /**
     * {@code acc[j] += sum over r in [from, to) of coeff[r] * rows[r][j]}, for j in [jFrom, jTo), each acc[j] summing
     * the rows in order, one multiply and one add per row (never fused), so every implementation rounds alike.
     * {@code panels} are the same rows as {@link LayerWeights#panels(float[][])} lays them out; loops may read either.
     */
    void addRows(float[] acc, float[] coeff, float[][] rows, float[] panels, int from, int to, int jFrom, int jTo);

    /** {@code z[j] = (1 - s[j]) + s[j] * tanh(s[j] * z[j])} for j in [0, s.length), tanh as {@link FastMath#tanh}. */
    void scaledTanh(float[] z, float[] s);

    /**
     * The LSTM cell after its gate pre-activations {@code z[0, 4H)}: {@link LstmCell#step} with the cell state
     * {@code c} updated in place, and the same bits for {@code c} and {@code h}. {@code f}, {@code o}, {@code in} and
     * {@code tc} are scratch: the scalar loops leave the gates and tanh(c) there, other loops need not.
     */
    void lstmCell(float[] z, float[] scale, int hs, float[] f, float[] o, float[] in, float[] c, float[] tc, float[] h);

    /** {@code out[j] = tanh(in[j])} for j in [0, n), as {@link FastMath#tanh}. */
    void tanh(float[] in, float[] out, int n);

    /**
     * The linear head, {@code out[j] = bias[j] + h·columns[j]}: each dot product as four partial sums over
     * {@code k mod 4} (k below the largest multiple of 4 within h), the rest of h added to the first, then
     * {@code (s0 + s1) + (s2 + s3)}. The head is too narrow for a saxpy loop; independent partial sums keep the adds
     * from waiting on each other, which made it 2-3x faster than one running sum.
     */
    void head(float[] h, float[][] columns, float[] bias, float[] out);

    /** A short name for logs and benchmark tables. */
    String name();

    /** The plain Java loops. */
    static StepLoops scalar() {
        return ScalarStepLoops.INSTANCE;
    }

    /** The Vector API loops, when the JVM resolved {@value #VECTOR_MODULE}. */
    static Optional<StepLoops> vector() {
        return Optional.ofNullable(Preferred.VECTOR);
    }

    /** The vector loops where the JVM allows them, else the scalar ones. */
    static StepLoops preferred() {
        return Preferred.VECTOR != null ? Preferred.VECTOR : scalar();
    }

    /** Looks the vector loops up once per JVM: loading them without the module would fail to link. */
    final class Preferred {
        static final StepLoops VECTOR = loadVector();

        private Preferred() {
        }

        private static StepLoops loadVector() {
            if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
                return null;
            }
            try {
                return (StepLoops) Class.forName("io.sensorcast.recurrent.VectorStepLoops")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
                throw new IllegalStateException("cannot load the vector step loops although " + VECTOR_MODULE
                        + " is present", cause);
            }
        }
    }
}
