package io.sensorcast.recurrent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FastMathTest {

    private static final double TOLERANCE = 1e-6;
    /** 4 000 001 points, spacing 1e-5, over [-20, 20]. */
    private static final int GRID_HALF = 2_000_000;
    private static final float GRID_STEP = 1e-5f;

    @Test
    void tanhIsWithin1e6OfMathTanhOnDenseGridFromMinus20To20() {
        double worst = 0;
        for (int i = -GRID_HALF; i <= GRID_HALF; i++) {
            float x = i * GRID_STEP;
            worst = Math.max(worst, Math.abs(FastMath.tanh(x) - Math.tanh(x)));
        }
        assertThat(worst).isLessThan(TOLERANCE);
    }

    @Test
    void sigmoidIsWithin1e6OfExactLogisticOnDenseGridFromMinus20To20() {
        double worst = 0;
        for (int i = -GRID_HALF; i <= GRID_HALF; i++) {
            float x = i * GRID_STEP;
            double exact = 1.0 / (1.0 + Math.exp(-(double) x));
            worst = Math.max(worst, Math.abs(FastMath.sigmoid(x) - exact));
        }
        assertThat(worst).isLessThan(TOLERANCE);
    }

    @Test
    void tanhAndSigmoidAreWithin1e6OfTheJdkForFloatsOfEveryMagnitude() {
        // every 257th bit pattern: all exponents, subnormals and huge values included, beyond the dense grid
        double worstTanh = 0;
        double worstSigmoid = 0;
        for (long bits = 0; bits <= 0xFFFF_FFFFL; bits += 257) {
            float x = Float.intBitsToFloat((int) bits);
            if (Float.isNaN(x)) {
                continue;
            }
            worstTanh = Math.max(worstTanh, Math.abs(FastMath.tanh(x) - Math.tanh(x)));
            worstSigmoid = Math.max(worstSigmoid, Math.abs(FastMath.sigmoid(x) - 1.0 / (1.0 + Math.exp(-(double) x))));
        }
        assertThat(worstTanh).isLessThan(TOLERANCE);
        assertThat(worstSigmoid).isLessThan(TOLERANCE);
    }

    @Test
    void tanhAndSigmoidSaturateExactlyAtExtremes() {
        float[] huge = {20f, 1e6f, Float.MAX_VALUE, Float.POSITIVE_INFINITY};
        for (float x : huge) {
            assertThat(FastMath.tanh(x)).as("tanh(%s)", x).isEqualTo(1f);
            assertThat(FastMath.tanh(-x)).as("tanh(-%s)", x).isEqualTo(-1f);
            assertThat(FastMath.sigmoid(x)).as("sigmoid(%s)", x).isEqualTo(1f);
            assertThat(FastMath.sigmoid(-x)).as("sigmoid(-%s)", x).isEqualTo(0f);
        }
    }

    @Test
    void tanhIsOddAndNeverLeavesMinusOneToOne() {
        for (int i = 0; i <= GRID_HALF; i++) {
            float x = i * GRID_STEP * 2;
            float y = FastMath.tanh(x);
            assertThat(FastMath.tanh(-x)).isEqualTo(-y);
            assertThat(Math.abs(y)).isLessThanOrEqualTo(1f);
        }
        assertThat(FastMath.tanh(0f)).isEqualTo(0f);
    }

    @Test
    void nanInputGivesNanOutput() {
        assertThat(FastMath.tanh(Float.NaN)).isNaN();
        assertThat(FastMath.sigmoid(Float.NaN)).isNaN();
    }

    @Test
    void arrayFormsMatchScalarFormsOnlyWithinTheRange() {
        float[] values = new float[101];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i - 50) * 0.2f;
        }
        float[] tanh = values.clone();
        float[] sigmoid = values.clone();
        FastMath.tanhInPlace(tanh, 10, 90);
        FastMath.sigmoidInPlace(sigmoid, 10, 90);
        for (int i = 0; i < values.length; i++) {
            boolean inRange = i >= 10 && i < 90;
            assertThat(tanh[i]).isEqualTo(inRange ? FastMath.tanh(values[i]) : values[i]);
            assertThat(sigmoid[i]).isEqualTo(inRange ? FastMath.sigmoid(values[i]) : values[i]);
        }
    }
}
