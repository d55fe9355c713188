package io.sensorcast.recurrent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The scalar step loops, and the fallback to them where the JVM lacks the Vector API module. */
class StepLoopsTest {

    @Test
    void scalarLoopsArePreferredWhenTheJvmLacksTheIncubatorModule() {
        // the unit tier's JVM starts without --add-modules jdk.incubator.vector (pom.xml, surefire's argLine)
        assertThat(ModuleLayer.boot().findModule(StepLoops.VECTOR_MODULE)).isEmpty();
        assertThat(StepLoops.vector()).isEmpty();
        assertThat(StepLoops.preferred()).isSameAs(StepLoops.scalar());
        assertThat(new RecurrentKernel(new NetworkSpec(CellType.LSTM, 1, new int[] {4}, 1)).loops())
                .isSameAs(StepLoops.scalar());
    }

    @Test
    void scaledTanhIsExactlyTanhAtScaleOneAndFastMathSigmoidAtScaleHalf() {
        float[] z = new float[2001];
        float[] one = new float[z.length];
        float[] half = new float[z.length];
        for (int j = 0; j < z.length; j++) {
            z[j] = (j - 1000) / 50f;
            one[j] = 1f;
            half[j] = 0.5f;
        }
        float[] tanh = z.clone();
        float[] sigmoid = z.clone();
        StepLoops.scalar().scaledTanh(tanh, one);
        StepLoops.scalar().scaledTanh(sigmoid, half);
        for (int j = 0; j < z.length; j++) {
            assertThat(tanh[j]).isEqualTo(FastMath.tanh(z[j]));
            assertThat(sigmoid[j]).isEqualTo(FastMath.sigmoid(z[j]));
        }
    }
}
